"""Pilot tests of the review app on the fixture report."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from rich.text import Text
from textual.geometry import Region
from textual.widgets import Input

from consistency.outputs.report import Report, load_report
from consistency.outputs.review_store import ReviewStore
from consistency.types import DIVERGENCES, STORIES, InputError, Verdict
from tests.conftest import TEST_DATA, sync
from tui import ReviewApp, make_app
from tui.model import Filters
from tui.screens import ArticleScreen, FilterScreen, HelpScreen, NoteScreen

FIXTURE = TEST_DATA / "report_small.json"
SIZE = (120, 40)


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report(FIXTURE)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    st = ReviewStore(tmp_path / "s.sqlite", reviewer="tester")
    yield st
    st.close()


def ids_of(report: Report) -> list[str]:
    return report.sorted_divergences()["divergence_id"].to_list()


def topbar(app: ReviewApp) -> str:
    return str(app.review.query_one("#topbar").render())


@sync
async def test_navigation_keys(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        s = app.review
        assert s.current_id == ids[0]
        await pilot.press("j")
        assert s.current_id == ids[1]
        await pilot.press("down", "down")
        assert s.current_id == ids[3]
        await pilot.press("k")
        assert s.current_id == ids[2]
        await pilot.press("up", "up", "up")  # stops at the top
        assert s.current_id == ids[0]
        for _ in range(10):
            await pilot.press("j")
        assert s.current_id == ids[-1]
        assert "0 / 6 reviewed" in topbar(app)


@sync
async def test_every_verdict_key_saves_and_advances(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert app.review.current_id == ids[1]  # moved on
        await pilot.press("r", "s")
        assert app.review.current_id == ids[3]
        await pilot.pause()
        assert "3 / 6 reviewed" in topbar(app)
    got = {k: d.verdict for k, d in store.decisions().items()}
    assert got == {
        ids[0]: Verdict.ACCEPTED,
        ids[1]: Verdict.REJECTED,
        ids[2]: Verdict.UNSURE,
    }


@sync
async def test_undo_key(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "r")
        await pilot.press("u")
        assert app.review.current_id == ids[1]  # back on the undone finding
        assert store.get(ids[1]) is None
        d = store.get(ids[0])
        assert d is not None and d.verdict is Verdict.ACCEPTED
        await pilot.press("u", "u")  # the second one has nothing to undo
        assert store.decisions() == {}
        assert app.review.current_id == ids[0]


@sync
async def test_note_editor_saves_and_cancels(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Watson bukan Kirby")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        d = store.get(ids[0])
        assert d is not None and d.note == "Watson bukan Kirby" and d.verdict is None
        assert "Watson bukan Kirby" in str(app.review.query_one("#note").render())
        # typing in the editor does not trigger review keys
        assert store.get(ids[1]) is None
        await pilot.press("n", "x", "escape")
        await pilot.pause()
        d = store.get(ids[0])
        assert d is not None and d.note == "Watson bukan Kirby"


@sync
async def test_space_jumps_to_next_unreviewed(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    store.set_verdict(ids[1], Verdict.ACCEPTED)
    store.set_verdict(ids[2], Verdict.ACCEPTED)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        assert app.review.current_id == ids[0]
        await pilot.press("space")
        assert app.review.current_id == ids[3]


@sync
async def test_resume_after_reopen(report: Report, tmp_path: Path) -> None:
    ids = ids_of(report)
    path = tmp_path / "resume.sqlite"
    with ReviewStore(path, reviewer="tester") as st:
        app = make_app(report, st)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("a", "r")
            await pilot.press("q")
    with ReviewStore(path, reviewer="tester") as st:
        app = make_app(report, st)
        async with app.run_test(size=SIZE) as pilot:
            assert app.review.current_id == ids[2]  # first unreviewed
            assert "2 / 6 reviewed" in topbar(app)
            assert "✓" in str(app.review.query_one("#queue").get_row(ids[0])[0])
            assert "✗" in str(app.review.query_one("#queue").get_row(ids[1])[0])


@sync
async def test_filter_screen(report: Report, store: ReviewStore) -> None:
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#filter-kind").value = "date"
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = app.review.shown
        assert [f.kind for f in shown] == ["date", "date"]
        assert "showing 2" in topbar(app)
        await pilot.press("escape")
        assert len(app.review.shown) == 6


@sync
async def test_filters_by_severity_outlet_status(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        s = app.review
        s.set_filters(Filters(severity="low"))
        assert {f.severity for f in s.shown} == {"low"} and len(s.shown) == 2
        s.set_filters(Filters(outlet="AP (English)"))
        assert len(s.shown) == 1 and s.shown[0].kind == "number"
        s.set_filters(Filters(status="unreviewed"))
        cur = s.current_id
        assert cur == ids[3]  # the cursor stays on the same finding
        await pilot.press("a")  # accepted: leaves the unreviewed view
        assert cur not in [f.id for f in s.shown] and len(s.shown) == 5
        assert s.current_id == ids[4]
        s.set_filters(Filters(status="accepted"))
        assert [f.id for f in s.shown] == [cur]
        s.set_filters(Filters(kind="name"))
        await pilot.pause()
        assert s.shown == []
        assert "No findings match" in str(s.query_one("#message").render())
        await pilot.press("a")  # nothing selected: no crash, nothing saved
        assert len(store.decisions()) == 1


@sync
async def test_search(report: Report, store: ReviewStore) -> None:
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.press(*"balistik")
        await pilot.pause()
        s = app.review
        assert [f.kind for f in s.shown] == ["number"]
        # letters went to the search box, not to the verdict keys
        assert store.decisions() == {}
        await pilot.press("enter", "a")
        assert store.get(s.shown[0].id) is not None
        await pilot.press("escape")
        assert len(s.shown) == 6


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
async def test_mouse_click_selects_row(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#queue", offset=(10, 5))  # the border, the header row, then rows 0..
        await pilot.pause()
        assert app.review.current_id == ids[3]


@sync
async def test_empty_report(report: Report, store: ReviewStore) -> None:
    empty = dataclasses.replace(report, divergences=DIVERGENCES.empty())
    app = make_app(empty, store)
    async with app.run_test(size=SIZE) as pilot:
        assert "Nothing to review" in str(app.review.query_one("#message").render())
        await pilot.press("a", "j", "space", "o", "n", "f", "slash")
        assert store.decisions() == {}
        await pilot.press("q")


def fake_runner(report: Report) -> Callable[[Callable[[str, int, int], None]], Report]:
    def run(progress: Callable[[str, int, int], None]) -> Report:
        for i in range(3):
            progress("embed", i, 3)
        return report

    return run


@sync
async def test_pipeline_worker_loads_report(report: Report, store: ReviewStore) -> None:
    app = make_app(None, store, runner=fake_runner(report))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.review.shown) == 6
        assert app.review.current_id == ids_of(report)[0]


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
@sync
async def test_quitting_while_loading_stops_the_pipeline(store: ReviewStore, key: str) -> None:
    import threading
    import time

    stopped = threading.Event()

    def slow(progress: Callable[[str, int, int], None]) -> Report:
        try:
            for i in range(2000):  # about 100 s if nobody stops it
                progress("embed", i, 2000)
                time.sleep(0.05)
        except BaseException:
            stopped.set()
            raise
        raise AssertionError("the pipeline ran to its end after the reviewer quit")

    app = make_app(None, store, runner=slow)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert "embed" in str(app.review.query_one("#loading-stage").render())
        await pilot.press(key)
    assert stopped.wait(10)  # a safety bound for a stuck run, not a speed figure


@sync
async def test_pipeline_error_is_one_clear_message(store: ReviewStore) -> None:
    def bad(progress: Callable[[str, int, int], None]) -> Report:
        raise InputError("data/missing.txt", "no such file")

    app = make_app(None, store, runner=bad)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        msg = str(app.review.query_one("#message").render())
        assert "data/missing.txt: no such file" in msg and "Traceback" not in msg
        await pilot.press("q")
    assert app.return_code == 2


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
async def test_a_note_typed_fast_and_saved_at_once_keeps_its_end(
    report: Report, store: ReviewStore
) -> None:
    from textual import events

    ids = ids_of(report)
    app = make_app(report, store)
    note = "a quick note with several words in it ok"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        # as a terminal delivers a paste or fast typing: every key queued, then ctrl+s
        for ch in note:
            app.post_message(events.Key(ch if ch != " " else "space", ch))
        app.post_message(events.Key("ctrl+s", None))
        for _ in range(5):
            await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        d = store.get(ids[0])
        assert d is not None and d.note == note


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


def _inside(inner: Region, outer: Region) -> bool:
    return (
        inner.x >= outer.x
        and inner.y >= outer.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


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
            assert _inside(room, screen)
            expl = s.query_one("#explanation")
            assert str(expl.render()).startswith(f.explanation[:30])
            assert expl.region.height and _inside(expl.region, room), (f.kind, expl.region, room)
            for side in s.query(SidePanel):
                if not side.display:
                    continue
                assert _inside(side.region, room), (f.kind, side.id, side.region, room)
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


@sync
async def test_escape_in_search_keeps_the_other_filters(report: Report, store: ReviewStore) -> None:
    app = make_app(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        s = app.review
        s.set_filters(Filters(severity="medium"))
        assert len(s.shown) == 3
        await pilot.press("slash", *"kirby")
        await pilot.pause()
        assert s.filters == Filters(severity="medium", search="kirby") and len(s.shown) == 1
        from textual.widgets._footer import FooterKey

        await pilot.pause()
        keys = {k.key: k.description for k in app.screen.query(FooterKey)}
        assert keys.get("escape") == "Clear search", keys  # the footer says what esc does
        await pilot.press("escape")  # in the box: the search goes, the severity stays
        await pilot.pause()
        assert s.filters == Filters(severity="medium")
        assert len(s.shown) == 3 and not s.query_one("#search").display
        assert app.focused is s.query_one("#queue")
        await pilot.press("slash", *"kirby", "enter")  # a search left in place
        await pilot.pause()
        await pilot.press("escape")  # from the list: the search first
        assert s.filters == Filters(severity="medium")
        await pilot.press("escape")  # then the other filters
        assert s.filters == Filters() and len(s.shown) == 6


def _many(report: Report, copies: int = 13) -> Report:
    """The fixture's findings repeated under other ids: a long queue (78 rows)."""
    parts = [
        report.divergences.with_columns(pl.col("divergence_id") + f"-{i:02d}")
        for i in range(copies)
    ]
    return dataclasses.replace(report, divergences=pl.concat(parts))


@pytest.mark.parametrize("via_runner", [False, True])
@sync
async def test_reopening_lands_on_the_first_unreviewed_in_view(
    report: Report, tmp_path: Path, via_runner: bool
) -> None:
    from tui.model import findings_from_report

    long = _many(report)
    ids = [f.id for f in findings_from_report(long)]
    path = tmp_path / "long.sqlite"
    with ReviewStore(path, reviewer="tester") as st:
        for fid in ids[:40] + ids[41:45]:  # a gap: the 41st is still to review
            st.set_verdict(fid, Verdict.ACCEPTED)
    with ReviewStore(path, reviewer="tester") as st:
        app = make_app(None, st, runner=fake_runner(long)) if via_runner else make_app(long, st)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.pause()
            s = app.review
            assert s.current_id == ids[40]
            queue = s.query_one("#queue")
            row = queue.cursor_row  # type: ignore[attr-defined]
            rows_in_view = queue.scrollable_content_region.height - 1  # less the header
            assert queue.scroll_y <= row < queue.scroll_y + rows_in_view
            assert "44 / 78 reviewed" in topbar(app)
            assert s.query_one("#detail-head").render().plain.find(ids[40]) >= 0  # type: ignore[attr-defined]


@sync
async def test_note_box_says_how_to_save(report: Report, store: ReviewStore) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        box = app.screen.query_one("#note-text")
        assert "ctrl+s" in str(box.border_subtitle)
        hint = str(app.screen.query_one("#note-hint").render())
        assert "enter" in hint and "ctrl+s" in hint and "esc" in hint
        assert _inside(app.screen.query_one("#note-hint").region, Region(0, 0, 80, 24))
        await pilot.press("x", "enter", "y")  # enter is a new line, not a save
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        d = store.get(ids[0])
        assert d is not None and d.note == "x\ny"


@sync
async def test_first_last_keys_wide_outlets_and_search_without_match(
    report: Report, store: ReviewStore
) -> None:
    ids = ids_of(report)
    app = make_app(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        s = app.review
        for key, want in (("G", -1), ("g", 0), ("end", -1), ("home", 0)):
            await pilot.press(key)
            assert s.current_id == ids[want], key
        queue = s.query_one("QueueTable")
        cells = [str(queue.get_row_at(i)[4]) for i in range(queue.row_count)]  # type: ignore[attr-defined]
        assert any("Liputan6.com" in c for c in cells), cells
        await pilot.press("slash", *"zzzzqq", "enter")
        await pilot.pause()
        assert not isinstance(app.focused, Input)
        await pilot.press("escape")  # a command again, not text in the box
        await pilot.pause()
        assert s.filters.search == "" and s.current_id in ids


def _two_stories(report: Report) -> Report:
    """The fixture report with its articles in two stories (a feed)."""
    rows = [
        ("s-aaaaaaaaaaaa", "Kirby, Watson (2023-09-05)", ["liputan6", "tempo"]),
        ("s-bbbbbbbbbbbb", "AP, Satuharapan (2022-09-05)", ["apnews", "satuharapan"]),
    ]
    stories = pl.DataFrame(
        {
            "story_id": [r[0] for r in rows],
            "label": [r[1] for r in rows],
            "first_published": [None, None],
            "last_published": [None, None],
            "n_articles": [len(r[2]) for r in rows],
            "article_ids": [sorted(r[2]) for r in rows],
        },
        schema=STORIES.polars_schema,
    )
    return dataclasses.replace(report, stories=stories)


@sync
async def test_a_feed_groups_the_queue_by_story(report: Report, store: ReviewStore) -> None:
    feed = _two_stories(report)
    app = make_app(feed, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        queue = app.review.query_one("#queue")
        assert "story" in queue.columns
        labels = [str(queue.get_row_at(i)[-1]) for i in range(queue.row_count)]
        # each story's findings together, in the order of the report's stories
        assert labels == sorted(labels, key=lambda x: not x.startswith("Kirby"))
        assert set(labels) == {"Kirby, Watson (2023-09-05)", "AP, Satuharapan (2022-09-05)"}
        assert labels[0].startswith("Kirby")


@sync
async def test_one_story_has_no_story_column(report: Report, store: ReviewStore) -> None:
    app = make_app(report, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "story" not in app.review.query_one("#queue").columns
