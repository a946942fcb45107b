"""Pilot tests of the review app: the filter screen, search, and the queue of a feed
grouped by story (on the fixture report).
"""

from __future__ import annotations

import dataclasses

import polars as pl
from textual.widgets import Input

from consistency.outputs.report import Report
from consistency.outputs.review_store import ReviewStore
from consistency.types import STORIES
from tests.conftest import ids_of, sync
from tests.tui.conftest import SIZE, topbar
from tui import make_app
from tui.model import Filters
from tui.screens import FilterScreen


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
