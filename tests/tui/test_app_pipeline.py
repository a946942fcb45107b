"""Pilot tests of the review app while the pipeline runs: loading, quitting while
loading, and a pipeline error.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from consistency.outputs.report import Report
from consistency.outputs.review_store import ReviewStore
from consistency.types import InputError
from tests.conftest import ids_of, sync
from tests.tui.conftest import SIZE, fake_runner
from tui import make_app


@sync
async def test_pipeline_worker_loads_report(report: Report, store: ReviewStore) -> None:
    app = make_app(None, store, runner=fake_runner(report))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.review.shown) == 6
        assert app.review.current_id == ids_of(report)[0]


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
@sync
async def test_quitting_while_loading_stops_the_pipeline(store: ReviewStore, key: str) -> None:
    import threading
    import time

    stopped = threading.Event()

    def slow(progress: Callable[[str, int, int], None]) -> Report:
        try:
            for i in range(2000):  # about 100 s if nobody stops it
                progress("embed", i, 2000)
                time.sleep(0.05)
        except BaseException:
            stopped.set()
            raise
        raise AssertionError("the pipeline ran to its end after the reviewer quit")

    app = make_app(None, store, runner=slow)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert "embed" in str(app.review.query_one("#loading-stage").render())
        await pilot.press(key)
    assert stopped.wait(10)  # a safety bound for a stuck run, not a speed figure


@sync
async def test_pipeline_error_is_one_clear_message(store: ReviewStore) -> None:
    def bad(progress: Callable[[str, int, int], None]) -> Report:
        raise InputError("data/missing.txt", "no such file")

    app = make_app(None, store, runner=bad)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        msg = str(app.review.query_one("#message").render())
        assert "data/missing.txt: no such file" in msg and "Traceback" not in msg
        await pilot.press("q")
    assert app.return_code == 2
