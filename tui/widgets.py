"""Display-only widgets: the queue table, a sentence panel, the detail view.

Widgets take state through their methods (``show``, ``populate``) and never
read or write the review store themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Size
from textual.widgets import DataTable, Input, Static

from consistency.outputs.review_files import Decision
from consistency.text.normalise import display_safe
from tui.fit import SideView, evidence_lines, fit_side, wrapped_height
from tui.model import Finding, Side, claim_lines, clash_summary, status_of

GLYPH = {"accepted": "✓", "rejected": "✗", "unsure": "?", "unreviewed": "·"}
SEV_LABEL = {"high": "HIGH", "medium": "med", "low": "low"}


def _short(name: str, n: int) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


class QueueTable(DataTable[Text]):
    """The queue: one row per finding, keyed by divergence id.

    Columns: status, severity, kind, what clashes (the two values, see
    :func:`tui.model.clash_summary`), outlets, and the score when the table is
    wide enough; a story column for a feed of several stories.
    """

    COMPONENT_CLASSES = {
        "queue--high",
        "queue--medium",
        "queue--low",
        "queue--accepted",
        "queue--rejected",
        "queue--unsure",
        "queue--unreviewed",
    }

    BINDINGS = [
        Binding("home", "first_row", "First", show=False),
        Binding("end", "last_row", "Last", show=False),
    ]

    STORY_WIDTH = 18
    """Cells of the story column (shown only when the findings span several stories)."""

    SCORE_FROM = 100
    """The narrowest table (cells) that has a score column (it is in the detail head)."""

    GUTTER = 4
    """Cells of the table that are not columns: its border and the vertical scroll bar."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._layout: tuple[tuple[str, str, int], ...] = ()

    def action_first_row(self) -> None:
        """Home: the first finding."""
        if self.row_count:
            self.move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        """End: the last finding."""
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)

    @staticmethod
    def outlet_chars(width: int) -> int:
        """How many characters of each outlet name a table ``width`` cells wide shows."""
        return 8 if width < 110 else min(20, 9 + (width - 110) // 4 + 6)

    @classmethod
    def columns_for(cls, width: int, stories: bool = False) -> tuple[tuple[str, str, int], ...]:
        """``(key, label, cells)`` of each column of a table ``width`` cells wide.

        The clash column gets what the fixed columns leave, after the outlets
        (at least 20 cells: the two values come before the outlets).
        """
        fixed = [("status", "", 2), ("sev", "sev", 4), ("kind", "kind", 13)]
        tail = [("score", "score", 5)] if width >= cls.SCORE_FROM else []
        if stories:
            tail.append(("story", "story", cls.STORY_WIDTH))
        outlets = 2 * cls.outlet_chars(width) + 3
        n = len(fixed) + len(tail) + 2
        used = sum(w for _, _, w in fixed + tail) + 2 * n + cls.GUTTER
        clash = max(20, width - used - outlets)
        outlets = max(9, min(outlets, width - used - clash))
        return (
            *fixed,
            ("clash", "clash", clash),
            ("outlets", "outlets", outlets),
            *tail,
        )

    def populate(
        self,
        findings: Sequence[Finding],
        decisions: dict[str, Decision],
        select: str | None = None,
        width: int = 80,
    ) -> None:
        """Show ``findings`` and put the cursor on ``select`` (or keep its row number).

        ``width`` is the table's width in cells (the screen's, since the table
        may be hidden and unsized when it is filled).
        """
        old_row = self.cursor_row
        # a feed of several stories: a story column, and each story's findings
        # together (the model orders them so); one story shows as it always did
        stories = len({f.story for f in findings}) > 1
        layout = self.columns_for(width, stories)
        if layout != self._layout:
            self.clear(columns=True)
            for key, label, cells_wide in layout:
                self.add_column(label, key=key, width=cells_wide)
            self._layout = layout
        else:
            self.clear()
        per = max(4, (dict((k, w) for k, _, w in layout)["outlets"] - 3) // 2)
        for f in findings:
            d = decisions.get(f.id)
            st = status_of(d)
            glyph = GLYPH[st] + ("✎" if d is not None and d.note else " ")
            outlets = " ↔ ".join(_short(o, per) for o in f.outlets)
            cells = {
                "status": Text(glyph, style=self.get_component_rich_style(f"queue--{st}")),
                "sev": Text(
                    SEV_LABEL.get(f.severity, f.severity),
                    style=self.get_component_rich_style(f"queue--{f.severity}", partial=True)
                    if f.severity in SEV_LABEL
                    else "",
                ),
                "kind": Text(f.kind),
                "clash": Text(clash_summary(f), no_wrap=True, overflow="ellipsis"),
                "outlets": Text(outlets, no_wrap=True, overflow="ellipsis"),
                "score": Text(f"{f.score:.2f}"),
                "story": Text(f.story_label or f.story or "", no_wrap=True, overflow="ellipsis"),
            }
            self.add_row(*(cells[key] for key, _, _ in layout), key=f.id)
        if not findings:
            return
        ids = [f.id for f in findings]
        row = ids.index(select) if select in ids else min(max(old_row, 0), len(ids) - 1)
        self.move_cursor(row=row, animate=False)

    @property
    def current_id(self) -> str | None:
        """The divergence id under the cursor, or None when empty."""
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None


class SearchBox(Input):
    """The ``/`` search box: esc clears the search (the other filters stay), enter leaves it."""

    BINDINGS = [
        Binding("escape", "screen.clear_filters", "Clear search"),
        Binding("enter", "submit", "Back to the list"),
    ]


class SidePanel(Static):
    """One sentence with its outlet and date above, highlights and context."""

    COMPONENT_CLASSES = {"side--header", "side--highlight", "side--context"}

    def show(self, side: Side, label: str, view: SideView | None = None) -> None:
        """Render ``side`` under ``label`` (such as ``A``).

        ``view``: the part of it that fits (:func:`tui.fit.fit_side`); all of it when None.
        """
        v = view or fit_side(side, None, None)
        head = self.get_component_rich_style("side--header")
        ctx = self.get_component_rich_style("side--context")
        mark = self.get_component_rich_style("side--highlight")
        out = Text()
        date = side.published or "no date"
        out.append(f"{label}  {side.outlet} · {date}\n", style=head)
        if v.before:
            before = Text(v.before + "\n", style=ctx)
            for a, b in v.before_highlight:
                before.stylize(mark, a, b)
            out.append_text(before)
        body = Text(v.text)
        for a, b in v.highlight:
            body.stylize(mark, a, b)
        out.append_text(body)
        if v.after:
            out.append("\n" + v.after, style=ctx)
        self.update(out)


class DetailView(VerticalScroll):
    """The selected finding: heading, explanation, both sentences, claim, evidence, note.

    The explanation comes right under the heading, and each sentence is cut to
    what shows its highlight in the room above the fold (the sentence after,
    then the one before, go first): the rest is one Tab and PgDn away, and the
    whole article one ``o``.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: tuple[Finding, Decision | None, dict[str, Any] | None, bool] | None = None
        self._room_seen = Size(0, 0)

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-head")
        yield Static(id="explanation")
        with Horizontal(id="sides"):
            yield SidePanel(id="side-a", classes="side")
            yield SidePanel(id="side-b", classes="side")
        yield Static(id="story")
        yield Static(id="claim")
        yield Static(id="evidence")
        yield Static(id="note")

    def on_mount(self) -> None:
        self.border_title = "Finding"

    def on_resize(self) -> None:
        room = self.scrollable_content_region.size
        if self._shown is not None and room != self._room_seen:
            self._room_seen = room  # re-cut the sentences to the new room
            self.show(*self._shown[:3], saved=self._shown[3])

    def watch_virtual_size(self) -> None:
        self._hint()  # the content's height changed: is there more below?

    def on_focus(self) -> None:
        self._hint(focused=True)  # (runs before the widget's own has_focus is set)

    def on_blur(self) -> None:
        self._hint(focused=False)

    def _hint(self, focused: bool | None = None) -> None:
        """Say in the bottom border how to reach what is below the fold."""
        if self.has_focus if focused is None else focused:
            self.border_subtitle = "PgDn/PgUp scroll · tab: back to the list"
        elif self.max_scroll_y > 0:
            self.border_subtitle = "more below: tab, then PgDn"
        else:
            self.border_subtitle = ""

    def _room(self, finding: Finding) -> tuple[int | None, int | None]:
        """``(width, lines)`` each sentence has above the fold; None before layout."""
        inner = self.scrollable_content_region
        if inner.width <= 0 or inner.height <= 0:
            return None, None
        side = self.query_one("#side-a", SidePanel)
        n = 2 if len(finding.sides) > 1 else 1
        per_side = side.styles.gutter.width + side.styles.margin.width
        width = (inner.width - n * per_side) // n
        expl = self.query_one("#explanation", Static)
        used = 1 + self.query_one("#detail-head", Static).styles.margin.height
        used += wrapped_height(finding.explanation, inner.width) + expl.styles.margin.height
        used += 1  # the side's heading: outlet and date
        return width, max(2, inner.height - used)

    def show(
        self,
        finding: Finding,
        decision: Decision | None,
        claim: dict[str, Any] | None = None,
        *,
        saved: bool = True,
    ) -> None:
        """Show ``finding``, the reviewer's decision on it and its claim group's values.

        ``saved``: False while the decision is only in memory (the store could not write it).
        """
        self._shown = (finding, decision, claim, saved)
        st = status_of(decision)
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f" {finding.severity.upper()} ", style="reverse")
        verdict = f" {GLYPH[st]} {st}"
        if not saved:
            verdict += " (NOT SAVED, kept in memory)"
        elif decision is not None and decision.verdict is not None:
            verdict += f" (saved, {decision.reviewer})"
        head.append(verdict, style="bold")
        head.append(f"   {finding.kind} · score {finding.score:.2f} · {finding.id}")
        self.query_one("#detail-head", Static).update(head)
        self.query_one("#explanation", Static).update(Text(finding.explanation))
        width, lines = self._room(finding)
        a = self.query_one("#side-a", SidePanel)
        b = self.query_one("#side-b", SidePanel)
        a.show(finding.sides[0], "A", fit_side(finding.sides[0], width, lines))
        if len(finding.sides) > 1:
            b.display = True
            b.show(finding.sides[1], "B", fit_side(finding.sides[1], width, lines))
        else:
            b.display = False
        story_w = self.query_one("#story", Static)
        story_w.display = finding.story is not None
        if finding.story is not None:
            label = finding.story_label or ""
            story_w.update(Text(f"story     {label} ({finding.story})".replace(" ()", "")))
        claim_w = self.query_one("#claim", Static)
        claim_w.display = finding.claim is not None
        if claim is not None:
            title, lines_ = claim_lines(claim)
            claim_w.update(Text(display_safe("claim     " + "\n          ".join([title, *lines_]))))
        elif finding.claim is not None:
            claim_w.update(Text(f"claim     {finding.claim}"))
        ev = [display_safe(line) for line in evidence_lines(finding.evidence)]
        self.query_one("#evidence", Static).update(
            Text("evidence  " + "\n          ".join(ev) if ev else "evidence  -")
        )
        note = decision.note if decision is not None and decision.note else None
        self.query_one("#note", Static).update(
            Text(display_safe(f"note  {note}") if note else "note  - (n to add)")
        )
        self.scroll_home(animate=False)
