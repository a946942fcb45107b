"""What the review app's Pilot tests share: the fixture report, a store, a runner that
stands in for the pipeline, and small readers of the app's state.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.geometry import Region

from consistency.outputs.report import Report, load_report
from consistency.outputs.review_store import ReviewStore
from tests.conftest import TEST_DATA
from tui import ReviewApp

FIXTURE = TEST_DATA / "report_small.json"
SIZE = (120, 40)


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report(FIXTURE)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    st = ReviewStore(tmp_path / "s.sqlite", reviewer="tester")
    yield st
    st.close()


def topbar(app: ReviewApp) -> str:
    return str(app.review.query_one("#topbar").render())


def fake_runner(report: Report) -> Callable[[Callable[[str, int, int], None]], Report]:
    def run(progress: Callable[[str, int, int], None]) -> Report:
        for i in range(3):
            progress("embed", i, 3)
        return report

    return run


def inside(inner: Region, outer: Region) -> bool:
    """Whether ``inner`` lies wholly within ``outer``."""
    return (
        inner.x >= outer.x
        and inner.y >= outer.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )
