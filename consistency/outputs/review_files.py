"""What a review session file holds, and how it is opened: the VERDICTS frame, the
tables, read-only opening, a :class:`Decision`, and a finding's row in an export.

Shared by the store (:mod:`consistency.outputs.review_store`) and the readers of
verdict files (:mod:`consistency.outputs.verdicts`).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from consistency.types import InputError, Schema, Verdict

if TYPE_CHECKING:
    from consistency.outputs.report import Report


STORE_SCHEMA_VERSION = "1"


VERDICTS = Schema(
    "VERDICTS",
    {
        "divergence_id": pl.String,
        "verdict": pl.String,  # a Verdict value; null when only a note was written
        "note": pl.String,  # nullable
        "reviewer": pl.String,
        "decided_at": pl.String,  # ISO 8601 UTC timestamp of the last change
    },
)
"""What :meth:`ReviewStore.verdicts` and :func:`read_verdicts` return."""


EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "severity",
    "score",
    "a_article",
    "a_start",
    "a_end",
    "a_text",
    "b_article",
    "b_start",
    "b_end",
    "b_text",
    "verdict",
    "note",
    "reviewer",
    "decided_at",
)
"""Columns of an export, in order (one row per finding of the report)."""


DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    divergence_id TEXT PRIMARY KEY,
    verdict TEXT,
    note TEXT,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    divergence_id TEXT NOT NULL,
    existed INTEGER NOT NULL,
    verdict TEXT,
    note TEXT,
    reviewer TEXT,
    decided_at TEXT,
    session TEXT,
    after TEXT
);
"""


HISTORY_ADDED = ("session", "after")
"""History columns added after schema 1 first shipped (added to older files on open)."""


_DECISION_COLUMNS = ("divergence_id", "verdict", "note", "reviewer", "decided_at")


def _connect_readonly(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``; ``immutable=1``: no locks, no ``-shm`` file)."""
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    if immutable:
        uri += "&immutable=1"
    try:
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10.0)
    except sqlite3.Error as e:
        raise InputError(str(path), f"cannot open review session ({e})") from None


def _checked(db: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    try:
        check_session(db, path)
    except BaseException:
        db.close()
        raise
    return db


def check_session(db: sqlite3.Connection, path: Path | str) -> None:
    """Raise InputError unless ``db`` holds a review session (reads only).

    A review session has a ``meta`` table with a supported ``schema`` and a
    ``decisions`` table with the expected columns.
    """
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"meta", "decisions"} <= tables:
            raise InputError(
                str(path), "not a review session file (an SQLite file of another kind)"
            )
        cols = {r[1] for r in db.execute("PRAGMA table_info(decisions)")}
        if not set(_DECISION_COLUMNS) <= cols:
            raise InputError(
                str(path), "not a review session file (an SQLite file of another kind)"
            )
        row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    except sqlite3.DatabaseError as e:
        raise InputError(str(path), f"not a review session file ({e})") from None
    if row is None:
        raise InputError(str(path), "not a review session file (no schema version)")
    if row[0] != STORE_SCHEMA_VERSION:
        raise InputError(str(path), f"review session schema {row[0]} not supported")


def open_readonly(path: Path | str) -> sqlite3.Connection:
    """Open a review session file read-only (``file:...?mode=ro``), checked.

    Nothing is written to the file, whatever it holds: a file that is not a
    review session keeps its bytes and modification time, and when no program
    has it open (no ``-wal`` file beside it) it is looked at without locks
    (``immutable=1``), so not even SQLite's ``-wal``/``-shm`` files appear
    beside another application's database. A session the user cannot write
    (``chmod 444``, or in a folder they cannot write) can be read.

    Raises:
        InputError: missing, unreadable, or not a review session (one line naming it).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such review session file")
    idle = not Path(f"{path}-wal").exists()  # no connection has it open in WAL mode
    if idle:
        _checked(_connect_readonly(path, immutable=True), path).close()
    try:
        # with locks: a reviewer may be writing it now (a WAL reader needs a -shm file)
        return _checked(_connect_readonly(path), path)
    except InputError:
        if not idle:
            raise
    # a WAL file in a folder this user cannot write (no -shm can be made there); nobody
    # can be writing it either (a writer needs a -wal file beside it): read it as it is
    return _checked(_connect_readonly(path, immutable=True), path)


def default_reviewer() -> str:
    """The reviewer's name from ``$USER`` (or the login name), ``"unknown"`` if none."""
    name = os.environ.get("USER") or os.environ.get("USERNAME")
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name on this system
            name = ""
    return name or "unknown"


def default_session_path(inputs: Sequence[str]) -> Path:
    """Where a review session lives when ``--session`` is not given.

    Beside a single report (``REPORT.review.sqlite`` for ``REPORT.json``),
    otherwise ``./consistency.review.sqlite``.
    """
    if len(inputs) == 1 and inputs[0].endswith(".json"):
        p = Path(inputs[0])
        return p.with_name(p.stem + ".review.sqlite")
    return Path("consistency.review.sqlite")


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on one divergence.

    Attributes:
        divergence_id: the finding's stable id.
        verdict: the verdict, or None when only a note was written (or it was cleared).
        note: free text, or None.
        reviewer: who made the last change.
        decided_at: when (ISO 8601 UTC).
    """

    divergence_id: str
    verdict: Verdict | None
    note: str | None
    reviewer: str
    decided_at: str


def decision_of(row: Sequence[Any]) -> Decision:
    did, verdict, note, reviewer, decided_at = row
    return Decision(str(did), Verdict(verdict) if verdict else None, note, reviewer, decided_at)


def export_rows(report: Report, decisions: dict[str, Decision]) -> list[dict[str, Any]]:
    """One dict per finding of ``report`` (sorted), with :data:`EXPORT_COLUMNS` as keys."""
    from consistency.outputs.report import sort_divergences

    texts = dict(zip(report.articles["article_id"], report.articles["text"], strict=True))
    out = []
    for r in sort_divergences(report.divergences).iter_rows(named=True):
        d = decisions.get(r["divergence_id"])
        row: dict[str, Any] = {
            "id": r["divergence_id"],
            "kind": r["kind"],
            "severity": r["severity"],
            "score": round(float(r["score"]), 4),
        }
        for p in ("a", "b"):
            art = r[f"{p}_article"]
            start, end = r[f"{p}_start"], r[f"{p}_end"]
            row[f"{p}_article"] = art
            row[f"{p}_start"] = start
            row[f"{p}_end"] = end
            row[f"{p}_text"] = texts.get(art, "")[start:end] if art is not None else None
        row["verdict"] = d.verdict.value if d and d.verdict else None
        row["note"] = d.note if d else None
        row["reviewer"] = d.reviewer if d else None
        row["decided_at"] = d.decided_at if d else None
        out.append(row)
    return out


CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Characters a spreadsheet may read as the start of a formula (OWASP CSV injection)."""


def csv_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    A string starting with one of :data:`CSV_FORMULA_START` gets a leading
    single quote, as OWASP recommends; :func:`read_verdicts` removes it again.
    None becomes an empty cell; numbers are written as they are.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def csv_unquote(value: str | None) -> str | None:
    if value and value.startswith("'") and value[1:].startswith(CSV_FORMULA_START):
        return value[1:]
    return value
