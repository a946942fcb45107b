"""The article screen: a whole article around a finding's sentence."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from consistency.text.normalise import display_safe
from tui.model import Side


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
