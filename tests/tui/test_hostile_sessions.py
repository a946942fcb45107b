"""The review app under hostile conditions ("Untrusted input, round two").

* 10: two review sessions on one file: a change made by the other shows in the app at
  its next refresh, and the app undoes only its own.
* 15: a full disk: verdicts kept in memory and retried, and an honest non-zero exit
  when they could not be written by quit time.

The store alone: tests/unit/outputs/test_hostile_sessions_store.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from consistency.cli import main
from consistency.outputs.report import Report
from consistency.outputs.review_store import ReviewStore
from consistency.types import ExitCode, Verdict
from tests.conftest import ids_of, one_error_line, sync
from tests.tui.conftest import FIXTURE, SIZE


def capture_notes(screen: Any) -> list[str]:
    """The messages ``screen.notify`` is called with from now on (still shown as well)."""
    notes: list[str] = []
    shown = screen.notify

    def notify(message: str, **kw: Any) -> None:
        notes.append(message)
        shown(message, **kw)

    screen.notify = notify
    return notes


@sync
async def test_app_shows_the_other_reviewers_verdicts_and_undoes_only_its_own(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.screens.review
    from tui import make_app

    monkeypatch.setattr(tui.screens.review, "SYNC_INTERVAL_S", 0.1)
    ids = ids_of(report)
    path = tmp_path / "s.sqlite"
    with ReviewStore(path, reviewer="ana") as mine, ReviewStore(path, reviewer="bo") as theirs:
        app = make_app(report, mine)
        async with app.run_test(size=SIZE) as pilot:
            s = app.review
            theirs.set_verdict(
                ids[1], Verdict.REJECTED
            )  # the other reviewer, the other file handle
            await pilot.pause(0.5)  # the refresh timer fires
            d = s.decisions.get(ids[1])
            assert d is not None and d.verdict is Verdict.REJECTED and d.reviewer == "bo"
            assert "1 / 6 reviewed" in str(s.query_one("#topbar").render())
            await pilot.press("a")  # ana accepts ids[0]
            theirs.set_verdict(ids[2], Verdict.UNSURE)
            await pilot.press("u")  # undoes ana's accept, not bo's later verdict
            await pilot.pause(0.5)
            assert mine.get(ids[0]) is None
            got = {k: d.verdict for k, d in mine.decisions().items()}
            assert got == {ids[1]: Verdict.REJECTED, ids[2]: Verdict.UNSURE}
            assert {k: d.verdict for k, d in s.decisions.items()} == got
            await pilot.press("u")  # nothing of ana's left to undo
            assert {k: d.verdict for k, d in mine.decisions().items()} == got
            assert "2 / 6 reviewed" in str(s.query_one("#topbar").render())


@sync
async def test_app_undo_of_a_verdict_the_other_reviewer_replaced_says_so(
    report: Report, tmp_path: Path
) -> None:
    from tui import make_app

    ids = ids_of(report)
    path = tmp_path / "s.sqlite"
    with ReviewStore(path, reviewer="ana") as mine, ReviewStore(path, reviewer="bo") as theirs:
        app = make_app(report, mine)
        async with app.run_test(size=SIZE) as pilot:
            s = app.review
            notes = capture_notes(s)
            await pilot.press("a")  # ana accepts ids[0]
            theirs.set_verdict(ids[0], Verdict.REJECTED)  # bo replaces it
            await pilot.press("u")
            await pilot.pause()
            assert any(n.startswith("not undone:") and "bo" in n for n in notes), notes
            d = mine.get(ids[0])
            assert d is not None and d.verdict is Verdict.REJECTED and d.reviewer == "bo"
            shown = s.decisions.get(ids[0])
            assert shown is not None and shown.verdict is Verdict.REJECTED  # shown at once


class FullDisk:
    """A store connection whose writes fail as on a full disk (SQLite rolls back itself)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.full = True

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.full and sql.lstrip().upper().startswith(("INSERT", "DELETE", "UPDATE")):
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")  # what SQLite does on SQLITE_FULL
            raise sqlite3.OperationalError("database or disk is full")
        return self._db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


def saved(store: ReviewStore) -> dict[str, Verdict | None]:
    db = store._db._db if isinstance(store._db, FullDisk) else store._db
    rows = db.execute("SELECT divergence_id, verdict FROM decisions").fetchall()
    return {k: Verdict(v) if v else None for k, v in rows}


@sync
async def test_app_keeps_verdicts_in_memory_on_a_full_disk_and_retries(
    report: Report, tmp_path: Path
) -> None:
    from tui import make_app

    ids = ids_of(report)
    with ReviewStore(tmp_path / "s.sqlite", reviewer="ana") as store:
        disk = FullDisk(store._db)
        store._db = disk  # type: ignore[assignment]
        app = make_app(report, store)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            s = app.review
            notes = capture_notes(s)
            await pilot.press("a", "r")
            await pilot.pause()
            assert "disk full: verdicts kept in memory, not saved" in notes
            assert not any("rollback" in n for n in notes)
            assert saved(store) == {}
            assert s.decisions[ids[0]].verdict is Verdict.ACCEPTED  # shown, in memory
            assert s.decisions[ids[1]].verdict is Verdict.REJECTED
            bar = str(s.query_one("#topbar").render())
            assert "2 NOT SAVED" in bar and "2 / 6 reviewed" in bar
            await pilot.press("u")  # the last unsaved change is simply forgotten
            assert ids[1] not in s.decisions and len(s.unsaved) == 1
            disk.full = False  # space again: the next change writes the ones kept
            await pilot.press("s")
            await pilot.pause()
            assert saved(store) == {ids[0]: Verdict.ACCEPTED, ids[1]: Verdict.UNSURE}
            assert not s.unsaved and s.save_error is None
            assert "NOT SAVED" not in str(s.query_one("#topbar").render())
            await pilot.press("q")
        assert app.return_code == 0


@sync
async def test_quitting_with_unsaved_verdicts_is_not_success(
    report: Report, tmp_path: Path
) -> None:
    from tui import make_app

    with ReviewStore(tmp_path / "s.sqlite", reviewer="ana") as store:
        store._db = FullDisk(store._db)  # type: ignore[assignment]
        app = make_app(report, store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a", "q")
        assert app.return_code == ExitCode.INPUT_ERROR
        assert len(app.unsaved) == 1
        assert app.save_error == "disk full: verdicts kept in memory, not saved"


def test_cli_review_on_a_full_disk_exits_non_zero_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: Report
) -> None:
    from consistency.cli import review as cli_review
    from tui.app import ReviewApp

    rep = tmp_path / "r.json"
    rep.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    session = tmp_path / "s.sqlite"
    monkeypatch.setattr(cli_review, "require_terminal", lambda: None)
    real_run = ReviewApp.run

    def run_headless(self: ReviewApp, *a: Any, **k: Any) -> Any:
        async def script(pilot: Any) -> None:
            self.store._db = FullDisk(self.store._db)  # type: ignore[assignment]
            await pilot.press("a", "r", "q")

        return real_run(self, headless=True, size=SIZE, auto_pilot=script)

    monkeypatch.setattr(ReviewApp, "run", run_headless)
    r = CliRunner().invoke(main, ["review", str(rep), "--session", str(session)])
    assert r.exit_code == ExitCode.INPUT_ERROR, r.output
    assert "verdicts saved" not in r.output
    line = one_error_line(r, "s.sqlite", "2 change(s) NOT saved", "disk full")
    assert "lost" in line
    ids = ids_of(report)
    assert f"not saved: {ids[0]} verdict='accepted'" in r.stderr
    with ReviewStore(session, read_only=True) as st:
        assert st.decisions() == {}
