"""SVG snapshots of the review app (pytest-textual-snapshot).

Regenerate with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and
look at the SVGs before committing them. The store uses a fixed reviewer and
clock, so nothing in the rendering depends on the machine or the time.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from consistency.outputs.report import Report, load_report
from consistency.outputs.review_store import ReviewStore
from consistency.types import DIVERGENCES
from tests.conftest import TEST_DATA
from tui import ReviewApp, make_app

FIXTURE = TEST_DATA / "report_small.json"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReviewStore]:
    st = ReviewStore(tmp_path / "s.sqlite", reviewer="tester", clock=lambda: "2024-01-01T00:00:00")
    yield st
    st.close()


def app_for(store: ReviewStore, empty: bool = False) -> ReviewApp:
    report: Report = load_report(FIXTURE)
    if empty:
        report = dataclasses.replace(report, divergences=DIVERGENCES.empty())
    return make_app(report, store, source="report_small.json")


Snap = Callable[..., bool]


@pytest.mark.parametrize("size", SIZES)
def test_queue(snap_compare: Snap, store: ReviewStore, size: Any) -> None:
    # accepted, rejected and unsure rows, the cursor on the fourth
    assert snap_compare(app_for(store), press=["a", "r", "s"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_detail_number_with_note(snap_compare: Snap, store: ReviewStore, size: Any) -> None:
    ids = load_report(FIXTURE).sorted_divergences()["divergence_id"].to_list()
    store.set_note(ids[3], "AP says 40, SATUHARAPAN 30: check the AP original")
    assert snap_compare(app_for(store), press=["j", "j", "j"], terminal_size=size)


def test_detail_continued_quote(snap_compare: Snap, store: ReviewStore) -> None:
    # the speaker of a quote continued from the sentence before is marked in that sentence
    assert snap_compare(app_for(store), press=["j", "j"], terminal_size=(120, 40))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Snap, store: ReviewStore, size: Any) -> None:
    assert snap_compare(app_for(store), press=["question_mark"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_empty(snap_compare: Snap, store: ReviewStore, size: Any) -> None:
    assert snap_compare(app_for(store, empty=True), terminal_size=size)


def with_judge_figures(report: Report) -> Report:
    """The fixture with its number finding's evidence as the judge writes figures."""
    ev = {"comparator": "values", "slot": "count", "similarity": 0.921}
    ev |= {"a_value": "30", "a_qualifier": "more_than", "b_value": "40", "b_qualifier": "more_than"}
    return dataclasses.replace(
        report,
        divergences=report.divergences.with_columns(
            pl.when(pl.col("kind") == "number")
            .then(pl.lit(json.dumps(ev)))
            .otherwise(pl.col("evidence"))
            .alias("evidence")
        ),
    )


@pytest.mark.parametrize("size", SIZES)
def test_clashing_values_and_explanation(snap_compare: Snap, store: ReviewStore, size: Any) -> None:
    # each row names what clashes (>30 / >40, Watson / John Kirby, the two dates); the
    # cursor on the figures: their explanation under the heading, both highlights in view
    app = make_app(with_judge_figures(load_report(FIXTURE)), store, source="report_small.json")
    assert snap_compare(app, press=["j", "j", "j"], terminal_size=size)


def test_detail_focused_80x24(snap_compare: Snap, store: ReviewStore) -> None:
    # tab: the finding's pane has the heavy accent border and says how to scroll
    assert snap_compare(app_for(store), press=["tab"], terminal_size=(80, 24))
