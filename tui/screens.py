"""Screens: the review screen (queue + detail), help, note editor, filters, article."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
    TextArea,
)
from textual.worker import get_current_worker

from consistency.outputs.report import Report
from consistency.outputs.review_files import Decision
from consistency.outputs.review_store import ReviewStore, UndoConflict
from consistency.text.normalise import display_safe
from consistency.types import (
    ConsistencyError,
    ExitCode,
    InputError,
    Kind,
    ModelError,
    Severity,
    Verdict,
)
from tui.messages import PipelineDone, PipelineFailed, PipelineProgress
from tui.model import (
    STATUSES,
    Filters,
    Finding,
    Side,
    claims_by_id,
    findings_from_report,
    matches,
)
from tui.widgets import DetailView, QueueTable, SearchBox


class _Cancelled(Exception):
    """Raised inside the pipeline worker once the reviewer has quit."""


Runner = Callable[[Callable[[str, int, int], None]], Report]
"""Runs the pipeline, reporting progress as ``(stage, done, total)``; returns the report."""

SYNC_INTERVAL_S = 2.0
"""How often the review screen looks for verdicts another reviewer saved in the same file."""


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


HELP = """\
[b]Moving[/b]
  j / ↓     next finding              k / ↑      previous finding
  G / End   last finding              g / Home   first finding
  space     next unreviewed           mouse      click a row
  tab       the other pane: the finding's pane scrolls with
            PageDown / PageUp (evidence and note are below)
[b]Deciding[/b] (saved at once)
  a         accept: a real divergence
  r         reject: a false alarm
  s         unsure
  u         undo the last change
  n         add or edit a note (ctrl+s saves it, esc cancels)
[b]Looking[/b]
  o         the full article around the sentence (tab: other side)
  f         filter by kind, severity, outlet, status
  /         search text (esc in the box: clear the search only)
  esc       clear the search, then the filters
[b]Leaving[/b]
  ?         this help                 q          quit (all is saved)
"""
"""The keys, one per line: at most 68 characters, so that no line wraps at 80 columns."""


class HelpScreen(ModalScreen[None]):
    """The keys."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close", show=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Label("Review keys", classes="dialog-title")
            with ScrollableContainer(id="help-scroll"):
                help_text = Text.from_markup(HELP.rstrip("\n"))
                help_text.no_wrap = True
                yield Static(help_text, id="help-text")
            yield Label("esc closes · ↑ ↓ PgUp PgDn scroll", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-scroll", ScrollableContainer).focus()

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """Edit a finding's note; dismisses with the text, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", show=True, priority=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]

    def __init__(self, note: str, title: str) -> None:
        super().__init__()
        self._note = note
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog"):
            yield Label(Text(display_safe(self._title, newlines=False)), classes="dialog-title")
            note = TextArea(self._note, id="note-text", soft_wrap=True)
            note.border_title = "note"
            note.border_subtitle = "ctrl+s saves"
            yield note
            yield Label(
                "enter: new line · ctrl+s: save the note · esc: cancel",
                id="note-hint",
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="note-save", variant="primary")
                yield Button("Cancel (esc)", id="note-cancel")

    def on_mount(self) -> None:
        ta = self.query_one(TextArea)
        ta.focus()
        ta.move_cursor(ta.document.end)

    def action_save(self) -> None:
        """Save what the editor holds once the keys already sent to it are processed.

        Ctrl-S is a priority binding, handled as soon as the app sees it; keys
        typed just before it may still wait in the editor's queue. A callback
        queued behind them reads the text after they are applied.
        """
        ta = self.query_one(TextArea)

        def save() -> None:
            if self.is_current:
                self.dismiss(ta.text)

        ta.call_later(save)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#note-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-cancel")
    def _cancel(self) -> None:
        self.action_cancel()


ANY = "any"


class FilterScreen(ModalScreen[Filters | None]):
    """Choose kind, severity, outlet and status; dismisses with the new Filters."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", show=True, priority=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]

    def __init__(self, filters: Filters, kinds: list[str], outlets: list[str]) -> None:
        super().__init__()
        self._filters = filters
        self._kinds = kinds
        self._outlets = outlets

    def compose(self) -> ComposeResult:
        f = self._filters

        def select(name: str, values: list[str], current: str | None) -> Select[str]:
            return Select(
                [(ANY, ANY)] + [(Text(v), v) for v in values],
                value=current or ANY,
                allow_blank=False,
                id=f"filter-{name}",
            )

        with Vertical(id="filter-box", classes="dialog"):
            yield Label("Filters", classes="dialog-title")
            for name, values, cur in (
                ("kind", self._kinds, f.kind),
                ("severity", [s.value for s in Severity], f.severity),
                ("outlet", self._outlets, f.outlet),
                ("status", list(STATUSES), f.status),
            ):
                with Horizontal(classes="filter-row"):
                    yield Label(name, classes="filter-label")
                    yield select(name, values, cur)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply (ctrl+s)", id="filter-apply", variant="primary")
                yield Button("Clear", id="filter-clear")
                yield Button("Cancel (esc)", id="filter-cancel")

    def _value(self, name: str) -> str | None:
        v = self.query_one(f"#filter-{name}", Select).value
        return None if v == ANY or v == Select.NULL else str(v)

    def action_apply(self) -> None:
        self.dismiss(
            Filters(
                kind=self._value("kind"),
                severity=self._value("severity"),
                outlet=self._value("outlet"),
                status=self._value("status"),
                search=self._filters.search,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#filter-apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#filter-clear")
    def _clear(self) -> None:
        self.dismiss(Filters())

    @on(Button.Pressed, "#filter-cancel")
    def _cancel(self) -> None:
        self.action_cancel()


class ArticleScreen(Screen[None]):
    """A whole article, scrolled to the finding's sentence, which is highlighted."""

    BINDINGS = [
        Binding("escape,o,q", "close", "Back", show=True),
        Binding("tab", "other_side", "Other side", show=True),
    ]

    def __init__(self, sides: tuple[Side, ...], texts: dict[str, str], which: int = 0) -> None:
        super().__init__()
        self._sides = sides
        self._texts = texts
        self._which = which

    def compose(self) -> ComposeResult:
        yield Static(id="article-head")
        with VerticalScroll(id="article-scroll"):
            yield Static(id="article-before")
            yield Static(id="article-focus")
            yield Static(id="article-after")
        yield Footer()

    def on_mount(self) -> None:
        self._render_side()

    def _render_side(self) -> None:
        side = self._sides[self._which]
        text = display_safe(self._texts.get(side.article_id, ""))
        head = f" {side.outlet} · {side.published or 'no date'}"
        if side.title:
            head += f" · {side.title}"
        if len(self._sides) > 1:
            head += f"   (side {'AB'[self._which]}; tab: other side)"
        head_text = Text(head, no_wrap=True, overflow="ellipsis")
        self.query_one("#article-head", Static).update(head_text)
        focus = Text(text[side.start : side.end] or side.text)
        for a, b in side.highlight:
            focus.stylize("bold underline", a, b)
        self.query_one("#article-before", Static).update(Text(text[: side.start].rstrip("\n")))
        self.query_one("#article-focus", Static).update(focus)
        self.query_one("#article-after", Static).update(Text(text[side.end :].lstrip("\n")))
        self.call_after_refresh(self._scroll)

    def _scroll(self) -> None:
        scroll = self.query_one("#article-scroll", VerticalScroll)
        focus = self.query_one("#article-focus", Static)
        target = max(0, focus.virtual_region.y - 3)
        scroll.scroll_to(y=target, animate=False)

    def action_other_side(self) -> None:
        if len(self._sides) > 1:
            self._which = 1 - self._which
            self._render_side()

    def action_close(self) -> None:
        self.dismiss(None)


class ReviewScreen(Screen[None]):
    """The queue on top, the selected finding below; every key a reviewer needs."""

    BINDINGS = [
        Binding("j,down", "move(1)", "Next", show=False),
        Binding("k,up", "move(-1)", "Prev", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("g,home", "first", "First", show=False),
        # the footer shows these in this order: at 80 columns the verdict keys,
        # undo, next unreviewed, note, help and quit always fit; the last ones may be cut
        Binding("a", "verdict('accepted')", "Accept"),
        Binding("r", "verdict('rejected')", "Reject"),
        Binding("s", "verdict('unsure')", "Unsure"),
        Binding("u", "undo", "Undo"),
        Binding("space", "next_unreviewed", "Next", key_display="spc"),
        Binding("n", "note", "Note"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("o", "open_article", "Article"),
        Binding("slash", "search", "Find", key_display="/"),
        Binding("f", "filters", "Filter"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("escape", "clear_filters", "Clear", show=False),
    ]

    def __init__(
        self,
        report: Report | None,
        store: ReviewStore,
        *,
        runner: Runner | None = None,
        source: str = "",
    ) -> None:
        super().__init__()
        self.store = store
        self.source = source
        self._runner = runner
        self.report: Report | None = None
        self.findings: list[Finding] = []
        self.by_id: dict[str, Finding] = {}
        self.claims: dict[str, dict[str, Any]] = {}
        self.decisions: dict[str, Decision] = {}
        self.filters = Filters()
        self.shown: list[Finding] = []
        self.error: str | None = None
        self.exit_code = 0
        self.unsaved: list[Unsaved] = []
        """Changes not written yet, oldest first (retried on each write and at quit)."""
        self.save_error: str | None = None
        """Why the last write failed (None once everything is saved)."""
        self._initial = report

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with Vertical(id="loading"):
            yield Label("Running the pipeline…", id="loading-stage")
            yield ProgressBar(id="loading-bar", show_eta=False)
        yield Static(id="message")
        yield QueueTable(id="queue")
        yield DetailView(id="detail")
        yield SearchBox(
            placeholder="search text (enter: back to the list · esc: clear the search)",
            id="search",
        )
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one(QueueTable).border_title = "Findings"
        self.set_interval(SYNC_INTERVAL_S, self.sync_from_store)
        if self._initial is not None:
            self.load(self._initial)
        elif self._runner is not None:
            self._set_mode("loading")
            self.run_pipeline(self._runner)
        else:
            self.load(None)

    def _set_mode(self, mode: str) -> None:
        """``loading``, ``message`` (empty state or error) or ``review``."""
        self.refresh_bindings()
        self.query_one("#loading").display = mode == "loading"
        self.query_one("#message").display = mode == "message"
        self.query_one("#queue").display = mode == "review"
        self.query_one("#detail").display = mode == "review"
        self._update_topbar()

    # -- loading -----------------------------------------------------------------

    def load(self, report: Report | None) -> None:
        """Show ``report``'s findings, resuming at the first unreviewed one."""
        self.report = report
        self.findings = findings_from_report(report) if report is not None else []
        self.by_id = {f.id: f for f in self.findings}
        self.claims = claims_by_id(report) if report is not None else {}
        self.decisions = self._read_decisions()
        start = self.store.first_unreviewed([f.id for f in self.findings])
        self.refresh_queue(select=start)
        queue = self.query_one(QueueTable)
        if queue.display:
            queue.focus()
            # once the table has its size: its cursor row in view, not the top of the list
            self.call_after_refresh(self._cursor_in_view)

    def _cursor_in_view(self) -> None:
        queue = self.query_one(QueueTable)
        if queue.row_count:
            queue.move_cursor(row=queue.cursor_row, animate=False, scroll=True)

    @work(thread=True, exclusive=True)
    def run_pipeline(self, runner: Runner) -> None:
        """Run the pipeline in a thread, posting progress and the result."""

        worker = get_current_worker()

        def progress(stage: str, done: int, total: int) -> None:
            if worker.is_cancelled:
                raise _Cancelled  # q or ctrl+c while loading: stop at the next step
            self.post_message(PipelineProgress(stage, done, total))

        try:
            report = runner(progress)
        except _Cancelled:
            return
        except InputError as e:
            self.post_message(PipelineFailed(str(e), int(ExitCode.INPUT_ERROR)))
        except ModelError as e:
            self.post_message(PipelineFailed(f"model: {e}", int(ExitCode.INTERNAL_ERROR)))
        except Exception as e:  # noqa: BLE001 - shown as one line, never a traceback
            msg = f"internal error: {type(e).__name__}: {e}"
            self.post_message(PipelineFailed(msg, int(ExitCode.INTERNAL_ERROR)))
        else:
            self.post_message(PipelineDone(report))

    def on_pipeline_progress(self, message: PipelineProgress) -> None:
        self.query_one("#loading-stage", Label).update(
            f"Running the pipeline: {message.stage} ({message.done} / {message.total})"
        )
        self.query_one("#loading-bar", ProgressBar).update(
            total=max(message.total, 1), progress=message.done
        )

    def on_pipeline_done(self, message: PipelineDone) -> None:
        self.load(message.report)

    def on_pipeline_failed(self, message: PipelineFailed) -> None:
        self.error = message.message
        self.exit_code = message.code
        self.query_one("#message", Static).update(
            Text.assemble(
                ("Could not build the report\n\n", "bold"),
                display_safe(message.message),
                "\n\nq quits.",
            )
        )
        self._set_mode("message")

    # -- state -> widgets --------------------------------------------------------

    def refresh_queue(self, select: str | None = None) -> None:
        """Re-apply the filters and redraw the queue, detail and top bar."""
        self.shown = [
            f for f in self.findings if matches(f, self.filters, self.decisions.get(f.id))
        ]
        queue = self.query_one(QueueTable)
        if not self.shown:
            queue.clear()
            if not self.findings:
                msg = Text.assemble(
                    ("Nothing to review\n\n", "bold"),
                    "This report has no divergences: the articles agree on everything "
                    "the checker compares.\n\nq quits.",
                )
            else:
                msg = Text.assemble(
                    ("No findings match the filters\n\n", "bold"),
                    f"{self.filters.describe()}\n\nf changes the filters, esc clears them.",
                )
            self.query_one("#message", Static).update(msg)
            self._set_mode("message")
            return
        self._set_mode("review")
        queue.populate(self.shown, self.decisions, select=select, width=self.size.width)
        self._show_current()

    def _show_current(self) -> None:
        queue = self.query_one(QueueTable)
        fid = queue.current_id
        queue.border_subtitle = f"{queue.cursor_row + 1} of {len(self.shown)}" if fid else ""
        if fid is not None and fid in self.by_id:
            f = self.by_id[fid]
            claim = self.claims.get(f.claim) if f.claim is not None else None
            saved = not any(u.fid == fid for u in self.unsaved)
            self.query_one(DetailView).show(f, self.decisions.get(fid), claim, saved=saved)
        self._update_topbar()

    def _update_topbar(self) -> None:
        done = sum(
            1 for f in self.findings if (d := self.decisions.get(f.id)) and d.verdict is not None
        )
        left = f" consistency review  {self.source}".rstrip()
        right = f"{done} / {len(self.findings)} reviewed "
        if self.filters.active:
            right = f"showing {len(self.shown)} · {self.filters.describe()} · " + right
        if self.unsaved:
            right = f"{len(self.unsaved)} NOT SAVED · " + right
        bar = Text(left, style="bold")
        width = max(self.size.width, 40)
        bar.append(" " * max(1, width - len(left) - len(right)))
        bar.append(right)
        self.query_one("#topbar", Static).update(bar)

    def on_resize(self) -> None:
        if self.shown:
            self.query_one(QueueTable).populate(
                self.shown, self.decisions, select=self.current_id, width=self.size.width
            )
        self._update_topbar()

    @on(DataTable.RowHighlighted, "#queue")
    def _row_highlighted(self) -> None:
        self._show_current()

    @property
    def current_id(self) -> str | None:
        """The divergence under the cursor."""
        if not self.shown:
            return None
        return self.query_one(QueueTable).current_id

    # -- actions -----------------------------------------------------------------

    NEEDS_FINDING = frozenset(
        {"move", "verdict", "note", "next_unreviewed", "open_article", "filters", "search"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out the review keys while there is nothing to act on."""
        if action in self.NEEDS_FINDING and not self.findings:
            return None
        return True

    def action_first(self) -> None:
        if self.shown:
            self.query_one(QueueTable).move_cursor(row=0, animate=False)

    def action_last(self) -> None:
        if self.shown:
            self.query_one(QueueTable).move_cursor(row=len(self.shown) - 1, animate=False)

    def action_move(self, delta: int) -> None:
        if not self.shown:
            return
        queue = self.query_one(QueueTable)
        row = min(max(queue.cursor_row + delta, 0), len(self.shown) - 1)
        queue.move_cursor(row=row, animate=False)

    def _after(self, fid: str) -> str | None:
        ids = [f.id for f in self.shown]
        if fid not in ids:
            return None
        i = ids.index(fid)
        return ids[i + 1] if i + 1 < len(ids) else fid

    # -- saving ------------------------------------------------------------------

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

    def action_verdict(self, verdict: str) -> None:
        fid = self.current_id
        if fid is None:
            return
        nxt = self._after(fid)
        self._change(fid, verdict=verdict)
        self.refresh_queue(select=nxt)

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

    def action_note(self) -> None:
        fid = self.current_id
        if fid is None:
            return
        d = self.decisions.get(fid)
        f = self.by_id[fid]

        def done(text: str | None) -> None:
            if text is not None:
                self._change(fid, note=text)
                self.refresh_queue(select=fid)

        note = d.note if d and d.note else ""
        self.app.push_screen(NoteScreen(note, f"Note on {f.kind} {fid}"), done)

    def action_next_unreviewed(self) -> None:
        ids = [f.id for f in self.shown]
        if not ids:
            return
        undecided = {i for i in ids if (d := self.decisions.get(i)) is None or d.verdict is None}
        cur = self.current_id
        start = ids.index(cur) + 1 if cur in ids else 0
        for i in ids[start:] + ids[:start]:
            if i in undecided:
                self.query_one(QueueTable).move_cursor(row=ids.index(i), animate=False)
                return
        self.notify("every finding shown is reviewed", timeout=3)

    def action_open_article(self) -> None:
        fid = self.current_id
        if fid is None or self.report is None:
            return
        texts = dict(
            zip(self.report.articles["article_id"], self.report.articles["text"], strict=True)
        )
        self.app.push_screen(ArticleScreen(self.by_id[fid].sides, texts))

    def action_filters(self) -> None:
        if not self.findings:
            return
        kinds = sorted({f.kind for f in self.findings} | {k.value for k in Kind})
        outlets = sorted({o for f in self.findings for o in f.outlets})

        def done(filters: Filters | None) -> None:
            if filters is not None:
                self.set_filters(filters)

        self.app.push_screen(FilterScreen(self.filters, kinds, outlets), done)

    def set_filters(self, filters: Filters) -> None:
        """Apply ``filters``, keeping the cursor on the same finding when it stays visible."""
        keep = self.current_id
        self.filters = filters
        search = self.query_one("#search", Input)
        if search.value != filters.search:
            search.value = filters.search
        self.refresh_queue(select=keep)

    def action_search(self) -> None:
        if not self.findings:
            return
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value != self.filters.search:
            keep = self.current_id
            self.filters = dataclasses.replace(self.filters, search=event.value)
            self.refresh_queue(select=keep)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        if self.shown:
            self.query_one(QueueTable).focus()
        else:  # no match: leave the box, so the next key is a command, not more text
            self.set_focus(None)
        if not self.filters.search:
            self.query_one("#search", Input).display = False

    def action_clear_filters(self) -> None:
        """Esc: clear the search first (in its box, only the search), then the other filters."""
        search = self.query_one("#search", Input)
        searching = bool(self.filters.search) or search.display
        search.display = False
        if searching:
            if self.filters.search:
                self.set_filters(dataclasses.replace(self.filters, search=""))
        elif self.filters.active:
            self.set_filters(Filters())
        if self.shown:
            self.query_one(QueueTable).focus()
        else:
            self.set_focus(None)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        self.workers.cancel_all()  # a pipeline still loading stops at its next step
        if not self.flush():  # a last try; the command line says what was not saved
            self.app.exit(return_code=int(ExitCode.INPUT_ERROR))
            return
        self.app.exit(return_code=self.exit_code)
