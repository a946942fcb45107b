"""Pilot tests of the review app: moving through the queue, verdicts, undo, notes and
resuming a session (on the fixture report).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest
from textual.geometry import Region

from consistency.outputs.report import Report
from consistency.outputs.review_store import ReviewStore
from consistency.types import Verdict
from tests.conftest import ids_of, sync
from tests.tui.conftest import SIZE, fake_runner, inside, topbar
from tui import make_app
from tui.screens import NoteScreen


@sync
async def test_navigation_keys(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        s = app.review
        assert s.current_id == ids[0]
        await pilot.press("j")
        assert s.current_id == ids[1]
        await pilot.press("down", "down")
        assert s.current_id == ids[3]
        await pilot.press("k")
        assert s.current_id == ids[2]
        await pilot.press("up", "up", "up")  # stops at the top
        assert s.current_id == ids[0]
        for _ in range(10):
            await pilot.press("j")
        assert s.current_id == ids[-1]
        assert "0 / 6 reviewed" in topbar(app)


@sync
async def test_every_verdict_key_saves_and_advances(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert app.review.current_id == ids[1]  # moved on
        await pilot.press("r", "s")
        assert app.review.current_id == ids[3]
        await pilot.pause()
        assert "3 / 6 reviewed" in topbar(app)
    got = {k: d.verdict for k, d in store.decisions().items()}
    assert got == {
        ids[0]: Verdict.ACCEPTED,
        ids[1]: Verdict.REJECTED,
        ids[2]: Verdict.UNSURE,
    }


@sync
async def test_undo_key(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "r")
        await pilot.press("u")
        assert app.review.current_id == ids[1]  # back on the undone finding
        assert store.get(ids[1]) is None
        d = store.get(ids[0])
        assert d is not None and d.verdict is Verdict.ACCEPTED
        await pilot.press("u", "u")  # the second one has nothing to undo
        assert store.decisions() == {}
        assert app.review.current_id == ids[0]


@sync
async def test_note_editor_saves_and_cancels(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Watson bukan Kirby")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        d = store.get(ids[0])
        assert d is not None and d.note == "Watson bukan Kirby" and d.verdict is None
        assert "Watson bukan Kirby" in str(app.review.query_one("#note").render())
        # typing in the editor does not trigger review keys
        assert store.get(ids[1]) is None
        await pilot.press("n", "x", "escape")
        await pilot.pause()
        d = store.get(ids[0])
        assert d is not None and d.note == "Watson bukan Kirby"


@sync
async def test_space_jumps_to_next_unreviewed(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    store.set_verdict(ids[1], Verdict.ACCEPTED)
    store.set_verdict(ids[2], Verdict.ACCEPTED)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        assert app.review.current_id == ids[0]
        await pilot.press("space")
        assert app.review.current_id == ids[3]


@sync
async def test_resume_after_reopen(report: Report, tmp_path: Path) -> None:
    ids = ids_of(report)
    path = tmp_path / "resume.sqlite"
    with ReviewStore(path, reviewer="tester") as st:
        app = make_app(report, st)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a", "r")
            await pilot.press("q")
    with ReviewStore(path, reviewer="tester") as st:
        app = make_app(report, st)
        async with app.run_test(size=SIZE) as pilot:
            assert app.review.current_id == ids[2]  # first unreviewed
            assert "2 / 6 reviewed" in topbar(app)
            assert "✓" in str(app.review.query_one("#queue").get_row(ids[0])[0])
            assert "✗" in str(app.review.query_one("#queue").get_row(ids[1])[0])


@sync
async def test_mouse_click_selects_row(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#queue", offset=(10, 5))  # the border, the header row, then rows 0..
        await pilot.pause()
        assert app.review.current_id == ids[3]


@sync
async def test_a_note_typed_fast_and_saved_at_once_keeps_its_end(
    report: Report, store: ReviewStore
) -> None:
    from textual import events

    ids = ids_of(report)
    app = make_app(report, store)
    note = "a quick note with several words in it ok"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        # as a terminal delivers a paste or fast typing: every key queued, then ctrl+s
        for ch in note:
            app.post_message(events.Key(ch if ch != " " else "space", ch))
        app.post_message(events.Key("ctrl+s", None))
        for _ in range(5):
            await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        d = store.get(ids[0])
        assert d is not None and d.note == note


def _many(report: Report, copies: int = 13) -> Report:
    """The fixture's findings repeated under other ids: a long queue (78 rows)."""
    parts = [
        report.divergences.with_columns(pl.col("divergence_id") + f"-{i:02d}")
        for i in range(copies)
    ]
    return dataclasses.replace(report, divergences=pl.concat(parts))


@pytest.mark.parametrize("via_runner", [False, True])
@sync
async def test_reopening_lands_on_the_first_unreviewed_in_view(
    report: Report, tmp_path: Path, via_runner: bool
) -> None:
    from tui.model import findings_from_report

    long = _many(report)
    ids = [f.id for f in findings_from_report(long)]
    path = tmp_path / "long.sqlite"
    with ReviewStore(path, reviewer="tester") as st:
        for fid in ids[:40] + ids[41:45]:  # a gap: the 41st is still to review
            st.set_verdict(fid, Verdict.ACCEPTED)
    with ReviewStore(path, reviewer="tester") as st:
        app = make_app(None, st, runner=fake_runner(long)) if via_runner else make_app(long, st)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.pause()
            s = app.review
            assert s.current_id == ids[40]
            queue = s.query_one("#queue")
            row = queue.cursor_row  # type: ignore[attr-defined]
            rows_in_view = queue.scrollable_content_region.height - 1  # less the header
            assert queue.scroll_y <= row < queue.scroll_y + rows_in_view
            assert "44 / 78 reviewed" in topbar(app)
            assert s.query_one("#detail-head").render().plain.find(ids[40]) >= 0  # type: ignore[attr-defined]


@sync
async def test_note_box_says_how_to_save(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        box = app.screen.query_one("#note-text")
        assert "ctrl+s" in str(box.border_subtitle)
        hint = str(app.screen.query_one("#note-hint").render())
        assert "enter" in hint and "ctrl+s" in hint and "esc" in hint
        assert inside(app.screen.query_one("#note-hint").region, Region(0, 0, 80, 24))
        await pilot.press("x", "enter", "y")  # enter is a new line, not a save
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        d = store.get(ids[0])
        assert d is not None and d.note == "x\ny"
