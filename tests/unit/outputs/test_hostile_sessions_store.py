"""The review store under hostile conditions ("Untrusted input, round two").

* 10: two review sessions on one file: each undoes only its own changes.
* 15: a full disk: the real error, not "cannot rollback".

The app in both cases: tests/tui/test_hostile_sessions.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from consistency.outputs.review_store import ReviewStore
from consistency.outputs.verdicts import read_verdicts
from consistency.types import Verdict

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
