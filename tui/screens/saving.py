"""How the review screen keeps verdicts: written at once, kept in memory when the store
cannot write them (a full disk...) and retried, undone, and re-read when another reviewer
writes to the same session file."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from consistency.outputs.review_files import Decision
from consistency.outputs.review_store import ReviewStore, UndoConflict
from consistency.types import ConsistencyError, Verdict

if TYPE_CHECKING:
    from tui.model import Finding


@dataclass(frozen=True)
class Unsaved:
    """A verdict or note the store could not write (disk full...): kept in memory, retried.

    Attributes:
        fid: the finding.
        verdict: True for a verdict change, False for a note.
        value: the verdict value (None clears it) or the note text.
        before: the decision shown before this change (what undo restores).
        after: the decision as it is shown now (in memory only).
    """

    fid: str
    verdict: bool
    value: str | None
    before: Decision | None
    after: Decision


def save_problem(e: BaseException) -> str:
    """What the reviewer is told when a verdict cannot be written."""
    if isinstance(e, sqlite3.OperationalError) and "full" in str(e).lower():
        return "disk full: verdicts kept in memory, not saved"
    return f"{e}: verdicts kept in memory, not saved"


class KeepsVerdicts:
    """The review screen's verdict keeping (a mixin of :class:`~tui.screens.review.ReviewScreen`,
    which gives it ``notify``, ``refresh_queue``, ``current_id`` and the top bar)."""

    store: ReviewStore
    findings: list[Finding]
    shown: list[Finding]
    decisions: dict[str, Decision]
    unsaved: list[Unsaved]
    """Changes not written yet, oldest first (retried on each write and at quit)."""
    save_error: str | None
    """Why the last write failed (None once everything is saved)."""

    if TYPE_CHECKING:
        # what the review screen gives the mixin (a Textual screen and its queue)
        @property
        def current_id(self) -> str | None: ...

        def notify(
            self,
            message: str,
            *,
            title: str = "",
            severity: Literal["information", "warning", "error"] = "information",
            timeout: float | None = None,
            markup: bool = True,
        ) -> None: ...

        def refresh_queue(self, select: str | None = None) -> None: ...

        def _update_topbar(self) -> None: ...

    def _read_decisions(self) -> dict[str, Decision]:
        """The store's decisions with the changes not saved yet on top."""
        decisions = self.store.decisions()
        for u in self.unsaved:
            decisions[u.fid] = u.after
        return decisions

    def _change(self, fid: str, *, verdict: str | None = None, note: str | None = None) -> None:
        """Record a verdict (``verdict``) or a note (``note``) on ``fid``: saved at once if
        the store can write, else kept in memory (and retried on the next change)."""
        before = self.decisions.get(fid)
        is_verdict = note is None
        if is_verdict:
            new_verdict = Verdict(verdict) if verdict is not None else None
            new_note = before.note if before else None
        else:
            new_verdict = before.verdict if before else None
            new_note = (note or "").strip() or None
        now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        after = Decision(fid, new_verdict, new_note, self.store.reviewer, now)
        value = verdict if is_verdict else note
        self.unsaved.append(Unsaved(fid, is_verdict, value, before, after))
        self.decisions[fid] = after
        self.flush()

    def flush(self) -> bool:
        """Write the changes kept in memory, oldest first; True when none is left.

        On a write error (``database or disk is full``, an I/O error...) the
        rest stay in memory, the reviewer is told once, and the next change or
        quitting tries again.
        """
        if not self.unsaved:
            return True
        was_failing = self.save_error is not None
        while self.unsaved:
            u = self.unsaved[0]
            try:
                if u.verdict:
                    d = self.store.set_verdict(u.fid, u.value)
                else:
                    d = self.store.set_note(u.fid, u.value)
            except (sqlite3.Error, ConsistencyError) as e:
                self.save_error = save_problem(e)
                self.notify(self.save_error, severity="error", timeout=10)
                self._update_topbar()
                return False
            self.unsaved.pop(0)
            if not any(v.fid == u.fid for v in self.unsaved):
                self.decisions[u.fid] = d
        self.save_error = None
        if was_failing:
            self.notify("saved: the verdicts kept in memory are written now", timeout=5)
        return True

    def sync_from_store(self) -> None:
        """Show what another reviewer saved in the same session file since we last looked."""
        try:
            if not self.store.changed_elsewhere():
                return
            decisions = self._read_decisions()
        except sqlite3.Error:
            return  # the next tick tries again
        if decisions == self.decisions:
            return
        self.decisions = decisions
        if self.findings:
            self.refresh_queue(select=self.current_id)

    def action_undo(self) -> None:
        if self.unsaved:  # the last change was never written: forget it
            u = self.unsaved.pop()
            if u.before is None:
                self.decisions.pop(u.fid, None)
            else:
                self.decisions[u.fid] = u.before
            if not self.unsaved:
                self.save_error = None
            fid: str | None = u.fid
        else:
            try:
                fid = self.store.undo()
            except UndoConflict as e:
                self.notify(f"not undone: {e}", severity="warning", timeout=6)
                self.decisions = self._read_decisions()
                self.refresh_queue(select=self.current_id)
                return
            except sqlite3.Error as e:
                self.notify(f"undo failed: {e}", severity="error", timeout=8)
                return
            if fid is None:
                self.notify("nothing to undo", timeout=3)
                return
            self.decisions = self._read_decisions()
        self.refresh_queue(select=fid)
        if fid not in {f.id for f in self.shown}:
            self.notify("undone (that finding is hidden by the filters)", timeout=4)
