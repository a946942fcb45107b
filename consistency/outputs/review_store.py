"""Review store: a reviewer's verdicts and notes in a SQLite file (WAL mode).

Takes a DIVERGENCES frame's ``divergence_id`` values (via a
:class:`~consistency.outputs.report.Report`) and returns a VERDICTS frame
(:data:`~consistency.outputs.review_files.VERDICTS`: ``divergence_id, verdict, note,
reviewer, decided_at``). What a session file holds and how it is opened is
:mod:`consistency.outputs.review_files`; reading verdicts back and applying them to
findings, :mod:`consistency.outputs.verdicts`.

The file is keyed by the divergence's stable id (see
:func:`consistency.types.make_divergence_id`), so a re-run of the pipeline on
the same articles finds the verdicts of findings that still exist. Every
change is committed at once (``synchronous=FULL``), so killing the process,
even with SIGKILL, loses nothing a caller has already been told is saved.

Tables:

* ``decisions``: one row per divergence: ``verdict`` (null when cleared),
  ``note`` (null when none), ``reviewer`` and ``decided_at`` (ISO 8601 UTC).
* ``history``: one row per change with the row as it was before (and, in
  ``after``, the row as the change wrote it), tagged with the ``session`` of
  the :class:`ReviewStore` that made it, so that :meth:`ReviewStore.undo`
  restores only that session's own changes: two reviewers on one file each
  undo their own. A store gets a new session id (random) unless it is given
  one; reopening with the same ``session_id`` can undo what was done before.
* ``meta``: ``schema`` version.

Files given only to be read (``report --verdicts``, ``check --baseline``,
``review --export``, ``--merge``) are opened read-only
(:func:`~consistency.outputs.review_files.open_readonly`):
a file that is not a review session is refused, one line naming it, and is
left as it was (no table added, no journal mode changed).

Several processes may have one session open: :meth:`ReviewStore.changed_elsewhere`
says when another one has written since this store last looked.

Merging (:meth:`ReviewStore.merge`): for each divergence the row with the
later ``decided_at`` wins; on a tie this store's row is kept. Merged rows are
not added to the undo history.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import polars as pl

from consistency.types import InputError, Verdict

if TYPE_CHECKING:
    from consistency.outputs.report import Report
from consistency.outputs.review_files import (
    DDL,
    EXPORT_COLUMNS,
    HISTORY_ADDED,
    STORE_SCHEMA_VERSION,
    VERDICTS,
    Decision,
    csv_safe,
    decision_of,
    default_reviewer,
    export_rows,
    open_readonly,
    utc_now,
)


class UndoConflict(Exception):  # noqa: N818 - a result, not a failure of the store
    """The change to undo was overwritten since by another session; it is dropped.

    Attributes:
        divergence_id: the finding.
        reviewer: who changed it since (None when the row is gone).
    """

    def __init__(self, divergence_id: str, reviewer: str | None) -> None:
        self.divergence_id = divergence_id
        self.reviewer = reviewer
        who = f"by {reviewer}" if reviewer else "elsewhere"
        super().__init__(f"{divergence_id} was changed {who} since; not undone")


class ReviewStore:
    """Verdicts and notes for one review session, in a SQLite file.

    Use as a context manager or call :meth:`close`. All methods commit before
    they return.

    Args:
        path: the session file; created (with its folder) when missing.
        reviewer: name recorded with each change (default: :func:`default_reviewer`).
        clock: returns the timestamp to record (tests pass a fixed one).

    Raises:
        InputError: the file exists but is not a review session.
    """

    def __init__(
        self,
        path: Path | str,
        reviewer: str | None = None,
        *,
        clock: Callable[[], str] = utc_now,
        read_only: bool = False,
        session_id: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.reviewer = reviewer or default_reviewer()
        self.read_only = read_only
        self.session_id = session_id or uuid.uuid4().hex
        """Whose undo history this store sees (its own changes only)."""
        self._clock = clock
        if read_only:
            self._db = open_readonly(self.path)
            self._seen_version = self._data_version()
            return
        if self.path.is_file() and self.path.stat().st_size > 0:
            open_readonly(self.path).close()  # refuse another kind of file before writing to it
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        except (OSError, sqlite3.Error) as e:
            raise InputError(str(self.path), f"cannot open review session ({e})") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(DDL)
            have = {r[1] for r in self._db.execute("PRAGMA table_info(history)")}
            for col in HISTORY_ADDED:
                if col not in have:  # a file written before undo was per session
                    self._db.execute(f"ALTER TABLE history ADD COLUMN {col} TEXT")
            row = self._db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                self._db.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema', ?)", (STORE_SCHEMA_VERSION,)
                )
            elif row[0] != STORE_SCHEMA_VERSION:
                raise InputError(str(self.path), f"review session schema {row[0]} not supported")
            self._seen_version = self._data_version()
        except sqlite3.DatabaseError as e:
            self._db.close()
            raise InputError(str(self.path), f"not a review session file ({e})") from None
        except BaseException:
            self._db.close()
            raise

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        """Close the file (everything is already committed)."""
        self._db.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------

    def get(self, divergence_id: str) -> Decision | None:
        """The decision on one divergence, or None when it has none."""
        row = self._db.execute(
            "SELECT divergence_id, verdict, note, reviewer, decided_at FROM decisions "
            "WHERE divergence_id = ?",
            (divergence_id,),
        ).fetchone()
        return decision_of(row) if row else None

    def decisions(self) -> dict[str, Decision]:
        """Every decision in the store, by divergence id."""
        rows = self._db.execute(
            "SELECT divergence_id, verdict, note, reviewer, decided_at FROM decisions"
        ).fetchall()
        return {r[0]: decision_of(r) for r in rows}

    def verdicts(self) -> pl.DataFrame:
        """A VERDICTS frame: every divergence with a verdict or a note, by id."""
        rows = self._db.execute(
            "SELECT divergence_id, verdict, note, reviewer, decided_at FROM decisions "
            "WHERE verdict IS NOT NULL OR note IS NOT NULL ORDER BY divergence_id"
        ).fetchall()
        return VERDICTS.validate(pl.DataFrame(rows, schema=VERDICTS.polars_schema, orient="row"))

    def reviewed_count(self, ids: Iterable[str]) -> int:
        """How many of ``ids`` have a verdict."""
        decided = {k for k, d in self.decisions().items() if d.verdict is not None}
        return sum(1 for i in ids if i in decided)

    def first_unreviewed(self, ids: Sequence[str], after: str | None = None) -> str | None:
        """The first id in ``ids`` without a verdict (resume point).

        Args:
            ids: divergence ids in queue order.
            after: start looking just after this id and wrap around.

        Returns:
            The id, or None when every one has a verdict.
        """
        decided = {k for k, d in self.decisions().items() if d.verdict is not None}
        order = list(ids)
        if after is not None and after in order:
            cut = order.index(after) + 1
            order = order[cut:] + order[:cut]
        for fid in order:
            if fid not in decided:
                return fid
        return None

    def can_undo(self) -> bool:
        """Whether this session has a change to undo."""
        row = self._db.execute(
            "SELECT 1 FROM history WHERE session = ? LIMIT 1", (self.session_id,)
        ).fetchone()
        return row is not None

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another reviewer) wrote since the last call.

        Cheap (``PRAGMA data_version``): the review app asks it on a timer and
        re-reads the decisions when it says yes. This store's own writes do not count.
        """
        version = self._data_version()
        changed = version != self._seen_version
        self._seen_version = version
        return changed

    def _data_version(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    # -- writing -------------------------------------------------------------------

    def set_verdict(self, divergence_id: str, verdict: Verdict | str | None) -> Decision:
        """Record (or clear, with None) the verdict on a divergence; committed on return."""
        v = Verdict(verdict).value if verdict is not None else None
        return self._write(divergence_id, verdict=v, change_verdict=True)

    def set_note(self, divergence_id: str, note: str | None) -> Decision:
        """Record a note (an empty or blank note clears it); committed on return."""
        n = note.strip() if note is not None else None
        return self._write(divergence_id, note=n or None, change_note=True)

    def undo(self) -> str | None:
        """Restore the row this session changed last to what it was before.

        Only this store's own changes (its :attr:`session_id`) are undone, never
        another reviewer's on the same file.

        Returns:
            The divergence id whose change was undone, or None when there is nothing to undo.

        Raises:
            UndoConflict: another session changed that row since; the change is
                dropped from the history (the next undo goes further back) and the
                row is left as the other session wrote it.
        """
        self._writable()
        conflict: UndoConflict | None = None
        self._db.execute("BEGIN IMMEDIATE")
        try:
            row = self._db.execute(
                "SELECT seq, divergence_id, existed, verdict, note, reviewer, decided_at, after "
                "FROM history WHERE session = ? ORDER BY seq DESC LIMIT 1",
                (self.session_id,),
            ).fetchone()
            if row is None:
                self._db.execute("COMMIT")
                return None
            seq, undone, existed, verdict, note, reviewer, decided_at, after = row
            current = self._db.execute(
                "SELECT verdict, note, reviewer, decided_at FROM decisions WHERE divergence_id = ?",
                (undone,),
            ).fetchone()
            self._db.execute("DELETE FROM history WHERE seq = ?", (seq,))
            if after is not None and json.loads(after) != (list(current) if current else None):
                conflict = UndoConflict(str(undone), current[2] if current else None)
            elif existed:
                self._db.execute(
                    "INSERT OR REPLACE INTO decisions"
                    "(divergence_id, verdict, note, reviewer, decided_at) VALUES (?, ?, ?, ?, ?)",
                    (undone, verdict, note, reviewer, decided_at),
                )
            else:
                self._db.execute("DELETE FROM decisions WHERE divergence_id = ?", (undone,))
            self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        if conflict is not None:
            raise conflict
        return str(undone)

    def merge(self, other_path: Path | str) -> int:
        """Merge another session file into this one; the later ``decided_at`` wins.

        On equal timestamps this store's row is kept. Merged rows are not undoable.

        Returns:
            How many rows of this store were added or replaced.

        Raises:
            InputError: ``other_path`` is missing or not a review session.
        """
        other_path = Path(other_path)
        if not other_path.is_file():
            raise InputError(str(other_path), "no such review session file")
        with ReviewStore(other_path, reviewer=self.reviewer, read_only=True) as other:
            theirs = other.decisions()
        self._writable()
        ours = self.decisions()
        changed = 0
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for did, d in theirs.items():
                mine = ours.get(did)
                if mine is not None and mine.decided_at >= d.decided_at:
                    continue
                self._db.execute(
                    "INSERT OR REPLACE INTO decisions"
                    "(divergence_id, verdict, note, reviewer, decided_at) VALUES (?, ?, ?, ?, ?)",
                    (
                        did,
                        d.verdict.value if d.verdict else None,
                        d.note,
                        d.reviewer,
                        d.decided_at,
                    ),
                )
                changed += 1
            self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return changed

    def export(self, report: Report, path: Path | str) -> int:
        """Write one row per finding of ``report`` to ``.jsonl`` or ``.csv``.

        Columns are :data:`EXPORT_COLUMNS`; unreviewed findings have empty
        verdict, note, reviewer and time.

        Returns:
            The number of rows written.

        Raises:
            InputError: the suffix is not ``.jsonl`` or ``.csv``, or the file cannot be written.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".jsonl", ".csv"):
            raise InputError(str(path), "export format must be .jsonl or .csv")
        rows = export_rows(report, self.decisions())
        try:
            with path.open("w", encoding="utf-8", newline="") as fh:
                if suffix == ".jsonl":
                    for r in rows:
                        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                else:
                    w = csv.DictWriter(fh, fieldnames=list(EXPORT_COLUMNS))
                    w.writeheader()
                    for r in rows:
                        w.writerow({k: csv_safe(v) for k, v in r.items()})
        except OSError as e:
            raise InputError(str(path), f"cannot write export ({e.strerror or e})") from None
        return len(rows)

    # -- internals -----------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise InputError(str(self.path), "review session opened read-only")

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already done so.

        On some errors (``database or disk is full``, I/O errors) SQLite rolls
        the transaction back itself; a ROLLBACK then would fail with "no
        transaction is active" and hide the real error.
        """
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the error being raised says more

    def _write(
        self,
        divergence_id: str,
        *,
        verdict: str | None = None,
        note: str | None = None,
        change_verdict: bool = False,
        change_note: bool = False,
    ) -> Decision:
        self._writable()
        now = self._clock()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            old = self._db.execute(
                "SELECT verdict, note, reviewer, decided_at FROM decisions WHERE divergence_id = ?",
                (divergence_id,),
            ).fetchone()
            new_verdict = verdict if change_verdict else (old[0] if old else None)
            new_note = note if change_note else (old[1] if old else None)
            after = json.dumps([new_verdict, new_note, self.reviewer, now])
            self._db.execute(
                "INSERT INTO history(divergence_id, existed, verdict, note, reviewer, decided_at, "
                "session, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    divergence_id,
                    int(old is not None),
                    *(old or (None, None, None, None)),
                    self.session_id,
                    after,
                ),
            )
            self._db.execute(
                "INSERT OR REPLACE INTO decisions"
                "(divergence_id, verdict, note, reviewer, decided_at) VALUES (?, ?, ?, ?, ?)",
                (divergence_id, new_verdict, new_note, self.reviewer, now),
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return Decision(
            divergence_id,
            Verdict(new_verdict) if new_verdict else None,
            new_note,
            self.reviewer,
            now,
        )
