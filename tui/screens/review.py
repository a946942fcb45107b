"""The review screen: the queue of findings on top, the selected one below, every key a
reviewer needs; its dialogs are in :mod:`tui.screens.dialogs`, the article in
:mod:`tui.screens.article`, how it keeps verdicts in :mod:`tui.screens.saving`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from consistency.outputs.report import Report
from consistency.outputs.review_files import Decision
from consistency.outputs.review_store import ReviewStore
from consistency.text.normalise import display_safe
from consistency.types import ExitCode, InputError, Kind, ModelError
from tui.messages import PipelineDone, PipelineFailed, PipelineProgress
from tui.model import Filters, Finding, claims_by_id, findings_from_report, matches
from tui.screens.article import ArticleScreen
from tui.screens.dialogs import FilterScreen, HelpScreen, NoteScreen
from tui.screens.saving import KeepsVerdicts, Unsaved
from tui.widgets import DetailView, QueueTable, SearchBox


class _Cancelled(Exception):
    """Raised inside the pipeline worker once the reviewer has quit."""


Runner = Callable[[Callable[[str, int, int], None]], Report]
"""Runs the pipeline, reporting progress as ``(stage, done, total)``; returns the report."""

SYNC_INTERVAL_S = 2.0
"""How often the review screen looks for verdicts another reviewer saved in the same file."""


class ReviewScreen(KeepsVerdicts, Screen[None]):
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

    def action_verdict(self, verdict: str) -> None:
        fid = self.current_id
        if fid is None:
            return
        nxt = self._after(fid)
        self._change(fid, verdict=verdict)
        self.refresh_queue(select=nxt)

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
