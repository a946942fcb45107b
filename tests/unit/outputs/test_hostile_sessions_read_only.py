"""Review sessions under hostile conditions ("Untrusted input, round two"): files given
only to be read and an export onto the session.

* 5: files given only to be read (``report --verdicts``, ``check --baseline``,
  ``review --export``, ``--merge``) are opened read-only: another application's
  SQLite file is refused (exit 2, one line) and left byte for byte as it was; a
  read-only (``chmod 444``) session can still be read.
* 16: ``review --export`` onto the session's own path is refused.

The store with two reviewers and on a full disk: test_hostile_sessions_store.py; the
app: tests/tui/test_hostile_sessions.py; Ray: tests/unit/runner/test_hostile_ray_start.py.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from consistency.cli import main
from consistency.outputs.report import Report, load_report
from consistency.outputs.review_store import ReviewStore
from consistency.outputs.verdicts import read_verdicts
from consistency.types import ExitCode, InputError, Verdict
from tests.conftest import REPO_ROOT, TEST_DATA, ids_of, one_error_line

ROOT = REPO_ROOT
FIXTURE = TEST_DATA / "report_small.json"
OLD = 1_000_000_000  # an mtime (2001) that any write would change


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report(FIXTURE)


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
