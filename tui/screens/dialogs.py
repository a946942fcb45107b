"""The review screen's dialogs: the keys (help), a finding's note, the filters."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, TextArea

from consistency.text.normalise import display_safe
from consistency.types import Severity
from tui.model import STATUSES, Filters

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
