"""Pilot tests of the review app: what the queue, the detail pane, the article and help
screens show, at the usual and the smallest terminal sizes (on the fixture report).
"""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from rich.text import Text
from textual.geometry import Region

from consistency.outputs.report import Report
from consistency.outputs.review_store import ReviewStore
from consistency.types import DIVERGENCES
from tests.conftest import ids_of, sync
from tests.tui.conftest import SIZE, inside, topbar
from tui import make_app
from tui.screens import ArticleScreen, HelpScreen


@sync
async def test_detail_shows_both_sides_and_single_side(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        s = app.review
        a = str(s.query_one("#side-a").render())
        b = str(s.query_one("#side-b").render())
        assert "Liputan6.com · 2023-09-05" in a and "ungkap Watson" in a
        assert "Tempo.co · 2023-08-31" in b and "John Kirby" in b
        await pilot.press("j")
        assert s.current_id == ids[1]
        assert "Senin (5/9)" in str(s.query_one("#side-a").render())
        assert not s.query_one("#side-b").display  # single-article finding


@sync
async def test_highlight_spans_are_styled(report: Report, store: ReviewStore) -> None:
    app = make_app(report, store)
    async with app.run_test(size=SIZE):
        side = app.review.query_one("#side-b")
        text = side.content
        assert isinstance(text, Text)
        mark = side.get_component_rich_style("side--highlight")
        marked = [str(text)[sp.start : sp.end] for sp in text.spans if sp.style == mark]
        assert marked == ["John Kirby"]


@sync
async def test_open_article_and_help(report: Report, store: ReviewStore) -> None:
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, ArticleScreen)
        focus = str(app.screen.query_one("#article-focus").render())
        assert "ungkap Watson" in focus
        await pilot.press("tab")
        assert "John Kirby" in str(app.screen.query_one("#article-focus").render())
        await pilot.press("a")  # review keys do nothing here
        assert store.decisions() == {}
        await pilot.press("escape")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@sync
async def test_empty_report(report: Report, store: ReviewStore) -> None:
    empty = dataclasses.replace(report, divergences=DIVERGENCES.empty())
    app = make_app(empty, store)
    async with app.run_test(size=SIZE) as pilot:
        assert "Nothing to review" in str(app.review.query_one("#message").render())
        await pilot.press("a", "j", "space", "o", "n", "f", "slash")
        assert store.decisions() == {}
        await pilot.press("q")


@sync
async def test_small_terminal_is_usable(report: Report, store: ReviewStore) -> None:
    app = make_app(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "a")
        assert store.decisions()
        assert "1 / 6 reviewed" in topbar(app)


@sync
async def test_detail_shows_the_claim_row(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    number = report.divergences.filter(pl.col("kind") == "number")["divergence_id"][0]
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        s = app.review
        claim = s.query_one("#claim")
        assert not claim.display  # the first finding has no claim
        for _ in range(ids.index(number)):
            await pilot.press("j")
        assert s.current_id == number
        assert claim.display
        text = str(claim.render())
        assert "count ballistic missiles tested  (conflict)" in text
        assert "30 (more_than) — SATUHARAPAN.COM   “lebih dari 30”" in text
        assert "40 (more_than) — AP (English)   “more than 40”" in text
        await pilot.press("j")
        assert not claim.display


@sync
async def test_claim_row_shows_markup_literally(report: Report, store: ReviewStore) -> None:
    number = report.divergences.filter(pl.col("kind") == "number")["divergence_id"][0]
    gid = report.divergences.filter(pl.col("kind") == "number")["claim_id"][0]
    g = next(c for c in report.loaded_claims if c["id"] == gid)
    evil = {
        **g,
        "subject": "[bold red]korban[/]",
        "values": [
            {**v, "spans": [{**sp, "text": "[link=x]30[/link]"} for sp in v["spans"]]}
            for v in g["values"]
        ],
    }
    rep = dataclasses.replace(report, loaded_claims=(evil,))
    app = make_app(rep, store)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(ids_of(rep).index(number)):
            await pilot.press("j")
        assert app.review.current_id == number
        text = str(app.review.query_one("#claim").render())
        assert "count [bold red]korban[/]" in text
        assert "“[link=x]30[/link]”" in text


@sync
async def test_80x24_footer_keys_and_help_scrolls_unwrapped(
    report: Report, store: ReviewStore
) -> None:
    from textual.containers import ScrollableContainer
    from textual.widgets._footer import FooterKey

    from tui.screens import HELP

    app = make_app(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = {
            k.key_display or k.key
            for k in app.screen.query(FooterKey)
            if k.region.width and k.region.right <= 80 and k.region.y < 24
        }
        # the verdict keys, undo, next unreviewed, note, help and quit always fit
        assert {"a", "r", "s", "u", "spc", "n", "?", "q"} <= shown, shown
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        sc = app.screen.query_one("#help-scroll", ScrollableContainer)
        text = app.screen.query_one("#help-text")
        lines = Text.from_markup(HELP.rstrip("\n")).plain.split("\n")
        assert text.region.height == len(lines)  # not one line wrapped
        assert max(len(x) for x in lines) <= sc.scrollable_content_region.width
        hint = app.screen.query_one(".dialog-hint")
        assert hint.region.height == 1 and hint.region.bottom <= 24  # in view, one line
        assert sc.max_scroll_y > 0  # taller than the box at 80x24: it must scroll
        await pilot.press("end")
        await pilot.pause()
        assert sc.scroll_y == sc.max_scroll_y


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@sync
async def test_explanation_and_highlights_visible_without_tab(
    report: Report, store: ReviewStore, size: tuple[int, int]
) -> None:
    from tui.widgets import DetailView, SidePanel

    app = make_app(report, store)
    async with app.run_test(size=size) as pilot:
        s = app.review
        screen = Region(0, 0, *size)
        detail = s.query_one(DetailView)
        for i in range(len(s.shown)):
            await pilot.pause()
            f = s.shown[i]
            assert s.current_id == f.id and isinstance(app.focused, type(s.query_one("#queue")))
            room = detail.scrollable_content_region
            assert inside(room, screen)
            expl = s.query_one("#explanation")
            assert str(expl.render()).startswith(f.explanation[:30])
            assert expl.region.height and inside(expl.region, room), (f.kind, expl.region, room)
            for side in s.query(SidePanel):
                if not side.display:
                    continue
                assert inside(side.region, room), (f.kind, side.id, side.region, room)
                content = side.content
                assert isinstance(content, Text)
                mark = side.get_component_rich_style("side--highlight")
                marked = [
                    content.plain[sp.start : sp.end] for sp in content.spans if sp.style == mark
                ]
                src = f.sides[0 if side.id == "side-a" else 1]
                want = [src.text[x:y] for x, y in src.highlight[:1]]
                want += [src.before[x:y] for x, y in src.before_highlight[:1] if src.before]
                for words in want:  # the first highlight is on screen, whole
                    assert any(words in m for m in marked), (f.kind, words, marked)
            await pilot.press("j")


@sync
async def test_queue_rows_show_the_clashing_values(report: Report, store: ReviewStore) -> None:
    import json

    # a figure as the judge writes it: a_value / b_value, their qualifiers, the slot
    number = report.divergences.filter(pl.col("kind") == "number")["divergence_id"][0]
    ev = {"comparator": "values", "slot": "dead", "a_value": "41", "a_qualifier": "exact"}
    ev |= {"b_value": "44", "b_qualifier": "exact"}
    divs = report.divergences.with_columns(
        pl.when(pl.col("divergence_id") == number)
        .then(pl.lit(json.dumps(ev)))
        .otherwise(pl.col("evidence"))
        .alias("evidence")
    )
    rep = dataclasses.replace(report, divergences=divs)
    app = make_app(rep, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        queue = app.review.query_one("#queue")
        by_kind: dict[str, list[str]] = {}
        for f in app.review.shown:
            cells = " | ".join(str(c) for c in queue.get_row(f.id))  # type: ignore[attr-defined]
            by_kind.setdefault(f.kind, []).append(cells)
        assert any("Watson / John Kirby" in r for r in by_kind["attribution"])
        assert any("41 / 44   dead" in r for r in by_kind["number"])
        assert any("Selasa (5/9/2023) / Senin (5/9)" in r for r in by_kind["date"])
        # and on screen, in the 80 columns: the figures whole, not cut
        rows = [
            "".join(seg.text for seg in queue.render_line(y))  # type: ignore[attr-defined]
            for y in range(queue.size.height)
        ]
        assert any("number" in r and "41 / 44   dead" in r for r in rows), rows
        assert any("Watson / John Kirby" in r for r in rows), rows


@sync
async def test_tab_shows_which_pane_has_focus(report: Report, store: ReviewStore) -> None:
    from tui.widgets import DetailView, QueueTable

    app = make_app(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = app.review
        queue, detail = s.query_one(QueueTable), s.query_one(DetailView)
        assert (queue.border_title, detail.border_title) == ("Findings", "Finding")
        assert app.focused is queue
        assert queue.styles.border_top[0] == "heavy" and detail.styles.border_top[0] == "round"
        assert "tab" in str(detail.border_subtitle)  # what is below the fold, and how
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is detail
        assert detail.styles.border_top[0] == "heavy" and queue.styles.border_top[0] == "round"
        assert "PgDn" in str(detail.border_subtitle) and "back" in str(detail.border_subtitle)
        row = queue.cursor_row
        await pilot.press("pagedown")
        await pilot.pause()
        assert detail.scroll_y > 0 and queue.cursor_row == row  # the finding scrolled, not the list
