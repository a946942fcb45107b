"""Review sessions under hostile conditions ("Untrusted input, round two").

* 5: files given only to be read (``report --verdicts``, ``check --baseline``,
  ``review --export``, ``--merge``) are opened read-only: another application's
  SQLite file is refused (exit 2, one line) and left byte for byte as it was; a
  read-only (``chmod 444``) session can still be read.
* 10: two review sessions on one file: each undoes only its own changes, and a
  change made by the other shows in the app at its next refresh.
* 15: a full disk: the real error, verdicts kept in memory and retried, and an
  honest non-zero exit when they could not be written by quit time.
* 16: ``review --export`` onto the session's own path is refused.
* 20: ``report --backend ray`` where Ray cannot start (no loopback network): one
  line and exit 2 at once, never a real Ray start in these tests.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import threading
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from consistency.cli import main
from consistency.outputs.report import Report, load_report
from consistency.outputs.review_store import ReviewStore
from consistency.outputs.verdicts import read_verdicts
from consistency.runner.backends import BackendError
from consistency.types import ExitCode, InputError, Verdict
from tests.conftest import REPO_ROOT, TEST_DATA, sync

ROOT = REPO_ROOT
FIXTURE = TEST_DATA / "report_small.json"
SIZE = (120, 40)
OLD = 1_000_000_000  # an mtime (2001) that any write would change


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report(FIXTURE)


def capture_notes(screen: Any) -> list[str]:
    """The messages ``screen.notify`` is called with from now on (still shown as well)."""
    notes: list[str] = []
    shown = screen.notify

    def notify(message: str, **kw: Any) -> None:
        notes.append(message)
        shown(message, **kw)

    screen.notify = notify
    return notes


def ids_of(report: Report) -> list[str]:
    return report.sorted_divergences()["divergence_id"].to_list()


def one_error_line(result: Any, *needles: str) -> str:
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("consistency: error:")]
    assert len(lines) == 1, result.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    return str(lines[0])


def fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def other_apps_db(path: Path, *, wal: bool = False) -> tuple[bytes, int]:
    """An SQLite file of another application (a ``meta`` table too), with an old mtime."""
    db = sqlite3.connect(path)
    if wal:
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO users(name) VALUES ('ana'), ('bo')")
    db.commit()
    db.close()
    os.utime(path, ns=(OLD, OLD))
    return fingerprint(path)


def assert_untouched(path: Path, before: tuple[bytes, int], *, journal: str = "delete") -> None:
    assert fingerprint(path) == before, f"{path} was modified"
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)  # leaves no -shm
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "decisions" not in tables and "history" not in tables
    finally:
        db.close()
    # the header's read/write versions: 1 for a rollback journal, 2 for WAL
    assert path.read_bytes()[18:20] == (b"\x02\x02" if journal == "wal" else b"\x01\x01")


@pytest.fixture
def fake_report_run(monkeypatch: pytest.MonkeyPatch, report: Report) -> None:
    """``consistency report`` without models: the pipeline returns the fixture report."""
    import consistency.cli.report
    import consistency.runner.feed

    monkeypatch.setattr(consistency.cli.report, "models_for", lambda *a, **k: (None, None))
    monkeypatch.setattr(consistency.runner.feed, "run_feed", lambda *a, **k: report)


def session_with_verdicts(path: Path, report: Report) -> list[str]:
    ids = ids_of(report)
    with ReviewStore(path, reviewer="ana") as st:
        st.set_verdict(ids[0], Verdict.ACCEPTED)
        st.set_verdict(ids[1], Verdict.REJECTED)
        st.set_note(ids[1], "a false alarm")
    return ids


# -- 5: read-only operations never write -----------------------------------------------


def test_report_verdicts_refuses_another_apps_sqlite_untouched(
    tmp_path: Path, fake_report_run: None
) -> None:
    app_db = tmp_path / "app.db"
    before = other_apps_db(app_db)
    r = CliRunner().invoke(
        main,
        ["report", str(ROOT / "data"), "--verdicts", str(app_db), "-o", str(tmp_path / "r.json")],
    )
    assert r.exit_code == ExitCode.INPUT_ERROR, r.output
    one_error_line(r, "app.db", "not a review session")
    assert_untouched(app_db, before)
    assert not (tmp_path / "app.db-wal").exists()


def test_check_baseline_refuses_another_apps_sqlite_untouched(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    before = other_apps_db(other, wal=True)
    (tmp_path / "new.txt").write_text("Banjir menewaskan 12 orang.", encoding="utf-8")
    (tmp_path / "old.txt").write_text("Banjir menewaskan 11 orang.", encoding="utf-8")
    r = CliRunner().invoke(
        main,
        [
            "check",
            str(tmp_path / "new.txt"),
            "--against",
            str(tmp_path / "old.txt"),
            "--baseline",
            str(other),
        ],
    )
    assert r.exit_code == ExitCode.INPUT_ERROR, r.output
    one_error_line(r, "other.sqlite", "not a review session")
    assert_untouched(other, before, journal="wal")
    # looked at without locks: not even SQLite's own files appear beside it
    assert not (tmp_path / "other.sqlite-wal").exists()
    assert not (tmp_path / "other.sqlite-shm").exists()


def test_merge_and_session_of_another_kind_are_refused_untouched(tmp_path: Path) -> None:
    app_db = tmp_path / "app.db"
    before = other_apps_db(app_db)
    with ReviewStore(tmp_path / "s.sqlite") as st, pytest.raises(InputError, match="app.db"):
        st.merge(app_db)
    assert_untouched(app_db, before)
    with pytest.raises(InputError, match="not a review session"):
        ReviewStore(app_db)  # --session app.db: refused before any table is added
    assert_untouched(app_db, before)
    with pytest.raises(InputError, match="not a review session"):
        read_verdicts(app_db)
    assert_untouched(app_db, before)


def test_read_only_store_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with ReviewStore(path) as st:
        st.set_verdict("x", Verdict.ACCEPTED)
    os.utime(path, ns=(OLD, OLD))
    before = fingerprint(path)
    with ReviewStore(path, read_only=True) as st:
        d = st.get("x")
        assert d is not None and d.verdict is Verdict.ACCEPTED
        with pytest.raises(InputError, match="read-only"):
            st.set_verdict("y", Verdict.REJECTED)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            st._db.execute("CREATE TABLE t (x)")  # the connection itself cannot write
    assert fingerprint(path) == before


def test_read_only_session_file_can_be_exported_and_used(
    tmp_path: Path, report: Report, fake_report_run: None
) -> None:
    rep = tmp_path / "r.json"
    rep.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    session = tmp_path / "s.sqlite"
    ids = session_with_verdicts(session, report)
    os.chmod(session, 0o444)
    os.utime(session, ns=(OLD, OLD))
    before = fingerprint(session)
    try:
        out = tmp_path / "v.jsonl"
        r = CliRunner().invoke(
            main, ["review", str(rep), "--session", str(session), "--export", str(out)]
        )
        assert r.exit_code == 0, r.output
        assert "exported 6 findings" in r.output
        back = read_verdicts(out)
        assert dict(zip(back["divergence_id"], back["verdict"], strict=True)) == {
            ids[0]: "accepted",
            ids[1]: "rejected",
        }
        r = CliRunner().invoke(
            main,
            ["report", str(ROOT / "data"), "--verdicts", str(session), "--hide-rejected"],
        )
        assert r.exit_code == 0, r.output
        assert ids[0] in r.stdout and ids[1] not in r.stdout  # marked; rejected one hidden
        assert fingerprint(session) == before
    finally:
        os.chmod(session, 0o644)


def _unprivileged() -> list[str] | None:
    """A command prefix under which file permissions hold (root drops its overrides)."""
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    try:
        ok = subprocess.run([*prefix, "true"], capture_output=True).returncode == 0
    except OSError:
        return None
    return prefix if ok else None


READ_ONLY_SCRIPT = """
import sys
from pathlib import Path
import consistency.cli, consistency.cli.report, consistency.runner.feed
from consistency.outputs.report import load_report
report = load_report(Path(sys.argv[1]))
consistency.cli.report.models_for = lambda *a, **k: (None, None)
consistency.runner.feed.run_feed = lambda *a, **k: report
consistency.cli.main(sys.argv[2:])
"""


@pytest.mark.skipif(_unprivileged() is None, reason="needs setpriv to drop root's overrides")
def test_read_only_session_in_a_read_only_folder(tmp_path: Path, report: Report) -> None:
    """chmod 444 for real (root's permission overrides dropped), in a folder that is 555 too."""
    prefix = _unprivileged()
    assert prefix is not None
    folder = tmp_path / "ro"
    folder.mkdir()
    session = folder / "s.sqlite"
    ids = session_with_verdicts(session, report)
    rep = tmp_path / "r.json"
    rep.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(session, 0o444)
    os.utime(session, ns=(OLD, OLD))
    before = fingerprint(session)
    os.chmod(folder, 0o555)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [*prefix, sys.executable, "-c", READ_ONLY_SCRIPT, str(FIXTURE), *args]
        return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)

    try:
        out = tmp_path / "v.csv"
        p = run("review", str(rep), "--session", str(session), "--export", str(out))
        assert p.returncode == 0, p.stderr
        back = read_verdicts(out)
        assert set(back["divergence_id"]) == {ids[0], ids[1]}
        p = run("report", str(ROOT / "data"), "--verdicts", str(session), "--hide-rejected")
        assert p.returncode == 0, p.stderr
        assert ids[0] in p.stdout and ids[1] not in p.stdout
    finally:
        os.chmod(folder, 0o755)
    assert fingerprint(session) == before
    assert sorted(x.name for x in folder.iterdir()) == ["s.sqlite"]


# -- 10: two reviewers on one session file ------------------------------------------------


def test_two_sessions_undo_only_their_own_changes(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with ReviewStore(path, reviewer="ana") as a, ReviewStore(path, reviewer="bo") as b:
        a.set_verdict("x", Verdict.ACCEPTED)
        b.set_verdict("y", Verdict.REJECTED)
        assert a.undo() == "x"  # not bo's y
        y = a.get("y")
        assert y is not None and y.verdict is Verdict.REJECTED
        assert a.get("x") is None
        assert a.undo() is None and not a.can_undo()
        assert b.can_undo()
        assert b.undo() == "y"
        assert b.get("y") is None


def test_undo_of_a_change_another_session_overwrote_is_refused(tmp_path: Path) -> None:
    from consistency.outputs.review_store import UndoConflict

    path = tmp_path / "s.sqlite"
    with ReviewStore(path, reviewer="ana") as a, ReviewStore(path, reviewer="bo") as b:
        a.set_verdict("x", Verdict.ACCEPTED)
        b.set_verdict("x", Verdict.REJECTED)
        with pytest.raises(UndoConflict, match="bo"):
            a.undo()
        x = b.get("x")
        assert x is not None and x.verdict is Verdict.REJECTED and x.reviewer == "bo"
        assert not a.can_undo()  # the stale change is dropped
        assert b.undo() == "x"  # bo's own undo restores what was there before bo's change
        x = b.get("x")
        assert x is not None and x.verdict is Verdict.ACCEPTED


def test_changed_elsewhere_sees_only_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with ReviewStore(path) as a, ReviewStore(path) as b:
        assert not a.changed_elsewhere()
        a.set_verdict("x", Verdict.ACCEPTED)
        assert not a.changed_elsewhere()  # its own write
        b.set_verdict("y", Verdict.REJECTED)
        assert a.changed_elsewhere()
        assert not a.changed_elsewhere()


def test_undo_survives_reopen_with_the_same_session_id(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "s.sqlite", session_id="ana-1") as st:
        st.set_verdict("x", Verdict.ACCEPTED)
    with ReviewStore(tmp_path / "s.sqlite") as other:
        assert other.undo() is None  # another session
    with ReviewStore(tmp_path / "s.sqlite", session_id="ana-1") as st:
        assert st.undo() == "x"


def test_session_file_from_before_per_session_undo_opens(tmp_path: Path) -> None:
    """A file whose history has no ``session`` column is upgraded in place; old rows stay."""
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema', '1');"
        "CREATE TABLE decisions (divergence_id TEXT PRIMARY KEY, verdict TEXT, note TEXT,"
        " reviewer TEXT NOT NULL, decided_at TEXT NOT NULL);"
        "CREATE TABLE history (seq INTEGER PRIMARY KEY AUTOINCREMENT, divergence_id TEXT NOT NULL,"
        " existed INTEGER NOT NULL, verdict TEXT, note TEXT, reviewer TEXT, decided_at TEXT);"
        "INSERT INTO decisions VALUES ('x', 'accepted', NULL, 'ana', '2024-01-01');"
        "INSERT INTO history(divergence_id, existed) VALUES ('x', 0);"
    )
    db.commit()
    db.close()
    assert read_verdicts(path)["divergence_id"].to_list() == ["x"]  # read-only: no upgrade
    with ReviewStore(path) as st:
        assert not st.can_undo()  # nobody's undo now
        st.set_verdict("y", Verdict.REJECTED)
        assert st.undo() == "y"
        assert st.get("x") is not None


@sync
async def test_app_shows_the_other_reviewers_verdicts_and_undoes_only_its_own(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.screens
    from tui import make_app

    monkeypatch.setattr(tui.screens, "SYNC_INTERVAL_S", 0.1, raising=False)
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


# -- 15: a full disk ------------------------------------------------------------------


def test_a_full_database_raises_the_real_error(tmp_path: Path) -> None:
    """A real SQLITE_FULL (``max_page_count``), not "cannot rollback - no transaction"."""
    with ReviewStore(tmp_path / "s.sqlite") as st:
        st.set_verdict("x", Verdict.ACCEPTED)
        pages = st._db.execute("PRAGMA page_count").fetchone()[0]
        st._db.execute(f"PRAGMA max_page_count={pages}")
        with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
            for i in range(1000):
                st.set_note(f"id{i}", "a long note " * 50)
        assert not st._db.in_transaction
        st._db.execute(f"PRAGMA max_page_count={pages * 1000}")  # space again
        st.set_verdict("after", Verdict.REJECTED)
        assert st.get("after") is not None


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


# -- 16: an export onto the session's own path ---------------------------------------


def test_export_onto_the_session_itself_is_refused(tmp_path: Path, report: Report) -> None:
    rep = tmp_path / "r.json"
    rep.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    session = tmp_path / "s.csv"  # a SQLite session that happens to end in .csv
    session_with_verdicts(session, report)
    before = fingerprint(session)
    (tmp_path / "sub").mkdir()
    os.symlink(session, tmp_path / "link.csv")
    for target in (session, tmp_path / "sub" / ".." / "s.csv", tmp_path / "link.csv"):
        r = CliRunner().invoke(
            main, ["review", str(rep), "--session", str(session), "--export", str(target)]
        )
        assert r.exit_code == ExitCode.INPUT_ERROR, (target, r.output)
        one_error_line(r, "review session itself")
        assert fingerprint(session) == before
    with ReviewStore(session, read_only=True) as st:
        assert len(st.decisions()) == 2
    # relative paths from another directory name the same file too
    cwd = os.getcwd()
    os.chdir(tmp_path / "sub")
    try:
        r = CliRunner().invoke(
            main, ["review", str(rep), "--session", "../s.csv", "--export", str(session)]
        )
    finally:
        os.chdir(cwd)
    assert r.exit_code == ExitCode.INPUT_ERROR
    assert fingerprint(session) == before
    # and a merged file is not overwritten either
    other = tmp_path / "other.csv"
    session_with_verdicts(other, report)
    r = CliRunner().invoke(
        main,
        [
            "review",
            str(rep),
            "--session",
            str(session),
            "--merge",
            str(other),
            "--export",
            str(other),
        ],
    )
    assert r.exit_code == ExitCode.INPUT_ERROR
    one_error_line(r, "merged")


# -- 20: Ray cannot start --------------------------------------------------------------


def test_no_loopback_network_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    ray = pytest.importorskip("ray")
    import consistency.runner.backends.ray as backend

    def unreachable(host: str) -> None:
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    def must_not_start(*a: Any, **k: Any) -> None:
        raise AssertionError("ray.init must not run when the local network is unusable")

    monkeypatch.setattr(backend, "_probe", unreachable, raising=False)
    monkeypatch.setattr(ray, "init", must_not_start)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    r = CliRunner().invoke(
        main, ["report", str(ROOT / "data"), "--backend", "ray", "--nli-model", "none"]
    )
    assert r.exit_code == ExitCode.INPUT_ERROR, r.output
    one_error_line(r, "cannot start a local Ray instance", "Network is unreachable", "loopback")


def test_ray_init_that_never_returns_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import consistency.runner.backends.ray as backend

    release = threading.Event()
    fake = types.SimpleNamespace(
        is_initialized=lambda: False,
        init=lambda **k: release.wait(5),  # what ray.init does while it retries
        shutdown=lambda: None,
    )
    monkeypatch.setattr(backend, "_import_ray", lambda: fake)
    monkeypatch.setattr(backend, "START_TIMEOUT_S", 0.3, raising=False)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    try:
        with pytest.raises(BackendError, match="no answer within 0.3 s"):
            backend.connect(None, num_cpus=1)
    finally:
        release.set()


def test_ray_init_error_in_its_thread_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import consistency.runner.backends.ray as backend

    def init(**k: Any) -> None:
        raise ConnectionError("GCS did not answer\nmore detail")

    fake = types.SimpleNamespace(is_initialized=lambda: False, init=init)
    monkeypatch.setattr(backend, "_import_ray", lambda: fake)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    with pytest.raises(BackendError) as e:
        backend.connect(None)
    assert str(e.value) == "cannot start Ray (a local instance): GCS did not answer"


def _netns_works() -> bool:
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


@pytest.mark.skipif(not _netns_works(), reason="needs `unshare -n` (a network namespace)")
def test_no_loopback_namespace_for_real(tmp_path: Path) -> None:
    """In a new network namespace (loopback down, as in those CI sandboxes), for real.

    ``ray.init`` is replaced by a stub that fails loudly: Ray never starts here.
    """
    pytest.importorskip("ray")
    code = (
        "import sys, ray\n"
        "def init(*a, **k):\n"
        "    sys.stderr.write('STUB: ray.init was called\\n'); sys.exit(99)\n"
        "ray.init = init\n"
        "from consistency.cli import main\n"
        "main(['report', sys.argv[1], '--backend', 'ray', '--nli-model', 'none'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    p = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code, str(ROOT / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert "STUB" not in p.stderr, p.stderr
    assert p.returncode == ExitCode.INPUT_ERROR, p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith("consistency: error:")]
    assert len(lines) == 1 and "cannot start a local Ray instance" in lines[0], p.stderr
