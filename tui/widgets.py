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
from textual.widgets import DataTable, Static

from consistency.normalise import display_safe
from consistency.review_store import Decision
from tui.model import Finding, Side, claim_lines, evidence_lines, excerpt, status_of

GLYPH = {"accepted": "✓", "rejected": "✗", "unsure": "?", "unreviewed": "·"}
SEV_LABEL = {"high": "HIGH", "medium": "med", "low": "low"}


def _short(name: str, n: int) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


class QueueTable(DataTable[Text]):
    """The queue: one row per finding, keyed by divergence id."""

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

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]

    def action_first_row(self) -> None:
        """Home: the first finding."""
        if self.row_count:
            self.move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        """End: the last finding."""
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)

    def on_mount(self) -> None:
        self.add_column("", key="status", width=2)
        self.add_column("sev", key="sev", width=4)
        self.add_column("kind", key="kind", width=13)
        self.add_column("score", key="score", width=5)
        self.add_column("outlets", key="outlets", width=21)
        self.add_column("excerpt", key="excerpt")

    @staticmethod
    def outlet_chars(width: int) -> int:
        """How many characters of each outlet name a table ``width`` cells wide shows."""
        return 9 if width < 110 else min(20, 9 + (width - 110) // 4 + 6)

    STORY_WIDTH = 18
    """Cells of the story column (shown only when the findings span several stories)."""

    @classmethod
    def excerpt_width(cls, width: int, stories: bool = False) -> int:
        """How many characters the excerpt column has in a table ``width`` cells wide."""
        outlets = 2 * cls.outlet_chars(width) + 3
        story = cls.STORY_WIDTH + 2 if stories else 0
        return max(16, width - (2 + 4 + 13 + 5 + outlets) - 2 * 6 - 2 - story)

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
        self.clear()
        per = self.outlet_chars(width)
        col = self.columns.get("outlets")  # type: ignore[call-overload]
        if col is not None and col.width != 2 * per + 3:
            col.width = 2 * per + 3
            col.auto_width = False
        # a feed of several stories: a story column, and each story's findings
        # together (the model orders them so); one story shows as it always did
        stories = len({f.story for f in findings}) > 1
        if stories and "story" not in self.columns:
            self.add_column("story", key="story", width=self.STORY_WIDTH)
        width = self.excerpt_width(width, stories="story" in self.columns)
        for f in findings:
            d = decisions.get(f.id)
            st = status_of(d)
            glyph = GLYPH[st] + ("✎" if d is not None and d.note else " ")
            outlets = " ↔ ".join(_short(o, per) for o in f.outlets)
            story = (
                [Text(f.story_label or f.story or "", no_wrap=True, overflow="ellipsis")]
                if "story" in self.columns
                else []
            )
            self.add_row(
                Text(glyph, style=self.get_component_rich_style(f"queue--{st}")),
                Text(
                    SEV_LABEL.get(f.severity, f.severity),
                    style=self.get_component_rich_style(f"queue--{f.severity}", partial=True)
                    if f.severity in SEV_LABEL
                    else "",
                ),
                Text(f.kind),
                Text(f"{f.score:.2f}"),
                Text(outlets, no_wrap=True, overflow="ellipsis"),
                Text(excerpt(f, width), no_wrap=True),
                *story,
                key=f.id,
            )
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


class SidePanel(Static):
    """One sentence with its outlet and date above, highlights and context."""

    COMPONENT_CLASSES = {"side--header", "side--highlight", "side--context"}

    def show(self, side: Side, label: str) -> None:
        """Render ``side`` under ``label`` (such as ``A``)."""
        head = self.get_component_rich_style("side--header")
        ctx = self.get_component_rich_style("side--context")
        mark = self.get_component_rich_style("side--highlight")
        out = Text()
        date = side.published or "no date"
        out.append(f"{label}  {side.outlet} · {date}\n", style=head)
        if side.before:
            before = Text(side.before + "\n", style=ctx)
            for a, b in side.before_highlight:
                before.stylize(mark, a, b)
            out.append_text(before)
        body = Text(side.text)
        for a, b in side.highlight:
            body.stylize(mark, a, b)
        out.append_text(body)
        if side.after:
            out.append("\n" + side.after, style=ctx)
        self.update(out)


class DetailView(VerticalScroll):
    """The selected finding: heading, both sentences, explanation, claim, evidence, note."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-head")
        with Horizontal(id="sides"):
            yield SidePanel(id="side-a", classes="side")
            yield SidePanel(id="side-b", classes="side")
        yield Static(id="explanation")
        yield Static(id="story")
        yield Static(id="claim")
        yield Static(id="evidence")
        yield Static(id="note")

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
        st = status_of(decision)
        head = Text()
        head.append(f" {finding.severity.upper()} ", style="reverse")
        head.append(f" {finding.kind} · score {finding.score:.2f} · {finding.id}   ")
        verdict = f"{GLYPH[st]} {st}"
        if not saved:
            verdict += " (NOT SAVED, kept in memory)"
        elif decision is not None and decision.verdict is not None:
            verdict += f" (saved, {decision.reviewer})"
        head.append(verdict, style="bold")
        head.append("   tab, PgDn: explanation, evidence, note below", style="dim")
        self.query_one("#detail-head", Static).update(head)
        a = self.query_one("#side-a", SidePanel)
        b = self.query_one("#side-b", SidePanel)
        a.show(finding.sides[0], "A")
        if len(finding.sides) > 1:
            b.display = True
            b.show(finding.sides[1], "B")
        else:
            b.display = False
        self.query_one("#explanation", Static).update(Text(finding.explanation))
        story_w = self.query_one("#story", Static)
        story_w.display = finding.story is not None
        if finding.story is not None:
            label = finding.story_label or ""
            story_w.update(Text(f"story     {label} ({finding.story})".replace(" ()", "")))
        claim_w = self.query_one("#claim", Static)
        claim_w.display = finding.claim is not None
        if claim is not None:
            title, lines = claim_lines(claim)
            claim_w.update(Text(display_safe("claim     " + "\n          ".join([title, *lines]))))
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
