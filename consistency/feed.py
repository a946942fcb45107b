"""Feeds: group ARTICLES into stories, run the pipeline once per story, merge the reports.

:func:`run_feed` is a wrapper around :func:`consistency.pipeline.run_articles`:
it groups the articles (:func:`consistency.stories.group_stories`, or
:func:`~consistency.stories.one_story` for ``one_story=True``), loads the
models once, runs the pipeline on each story's articles (in input order) and
concatenates the frames. Each article is in exactly one story, so clean,
segment, facts and claims run once per article; alignment, NLI and judging
only see pairs inside a story; a story of one article gets no cross-article
finding. The opening sentences the grouping embeds are embedded again by the
story's run unless the embedder caches (the command line's does).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

import polars as pl

from consistency.config import Settings
from consistency.models import Embedder, Judge, NLIModel
from consistency.report import Report, sort_divergences
from consistency.stories import StorySettings, group_stories, one_story
from consistency.types import ARTICLES, STORIES

if TYPE_CHECKING:
    from consistency.cache import IndexCache
    from consistency.pipeline import Progress

FEED_STAGES = ("stories", "story")
"""The progress stages :func:`run_feed` adds to the pipeline's: ``stories`` (grouping),
then ``story`` (done, total) before each story's pipeline stages."""


def _concat(frames: Sequence[pl.DataFrame | None]) -> pl.DataFrame | None:
    got = [f for f in frames if f is not None]
    if not got:
        return None
    return pl.concat(got, how="vertical")


def merge_reports(parts: Sequence[Report], articles: pl.DataFrame, stories: pl.DataFrame) -> Report:
    """One report from per-story reports: frames concatenated, ``articles`` as given."""
    if not parts:
        raise ValueError("no report to merge")
    first = parts[0]
    groups: dict[str, str] = {}
    for p in parts:
        groups.update(p.claim_groups)
    warnings = list(dict.fromkeys(w for p in parts for w in p.warnings))
    return replace(
        first,
        articles=articles,
        sentences=pl.concat([p.sentences for p in parts], how="vertical"),
        facts=pl.concat([p.facts for p in parts], how="vertical"),
        pairs=pl.concat([p.pairs for p in parts], how="vertical"),
        divergences=sort_divergences(pl.concat([p.divergences for p in parts], how="vertical")),
        claims=_concat([p.claims for p in parts]),
        claim_links=_concat([p.claim_links for p in parts]),
        claim_groups=groups,
        warnings=tuple(warnings),
        stories=STORIES.validate(stories),
    )


def run_feed(
    articles: pl.DataFrame,
    settings: Settings | None = None,
    *,
    embedder: Embedder | None = None,
    nli: NLIModel | None | Literal["default"] = "default",
    judge: Judge | None = None,
    focus: Collection[str] | None = None,
    progress: Progress | None = None,
    warnings: Sequence[str] = (),
    index_cache: IndexCache | None = None,
    one: bool = False,
    story_settings: StorySettings | None = None,
    backend: Literal["local", "ray"] = "local",
    ray_address: str | None = None,
    ray_workers: int | None = None,
) -> Report:
    """Group ARTICLES into stories and run the pipeline on each; one merged report.

    Arguments as for :func:`consistency.pipeline.run_articles`, and:

    Args:
        one: every article in one story (today's behaviour before stories).
        story_settings: how articles are grouped.
        backend: ``"local"`` (here, one story after another) or ``"ray"``: the stories
            run on Ray actors (:func:`consistency.backends.ray.run_feed_ray`), same report.
        ray_address, ray_workers: for ``backend="ray"``: the cluster (None:
            ``RAY_ADDRESS`` or a local instance) and the number of actors.

    With ``focus``, only the stories holding a focus article are run (the
    others cost nothing) and the report's articles are theirs.
    """
    if backend == "ray":
        from consistency.backends.ray import run_feed_ray

        return run_feed_ray(
            articles,
            settings,
            embedder=embedder,
            nli=nli,
            judge=judge,
            focus=focus,
            progress=progress,
            warnings=warnings,
            index_cache=index_cache,
            one=one,
            story_settings=story_settings,
            address=ray_address,
            workers=ray_workers,
        )
    if backend != "local":
        raise ValueError(f"unknown backend {backend!r}")
    from consistency.embed import load_embedder
    from consistency.pipeline import resolve_nli, run_articles

    settings = settings or Settings()
    ARTICLES.validate(articles)
    if embedder is None:
        embedder = load_embedder(settings.embed_model)
    if progress is not None:
        progress("stories", 0, 1)
    stories = (
        one_story(articles, story_settings)
        if one
        else group_stories(articles, embedder, story_settings)
    )
    if progress is not None:
        progress("stories", 1, 1)
    nli_model = resolve_nli(nli, settings)
    wanted = set(focus) if focus is not None else None
    parts: list[Report] = []
    kept: list[str] = []
    run_rows = []
    todo = [
        row
        for row in stories.iter_rows(named=True)
        if wanted is None or wanted.intersection(row["article_ids"])
    ]
    for k, row in enumerate(todo):
        ids = row["article_ids"]
        if progress is not None:
            progress("story", k, len(todo))
        run_rows.append(row)
        kept.extend(ids)
        part = articles.filter(pl.col("article_id").is_in(ids))
        parts.append(
            run_articles(
                part,
                settings,
                embedder=embedder,
                nli=nli_model,
                judge=judge,
                focus=None if wanted is None else sorted(wanted.intersection(ids)),
                progress=progress,
                warnings=warnings,
                index_cache=index_cache,
            )
        )
    if progress is not None:
        progress("story", len(todo), len(todo))
    shown = articles.filter(pl.col("article_id").is_in(kept)) if wanted is not None else articles
    ran = pl.DataFrame(run_rows, schema=STORIES.polars_schema) if run_rows else STORIES.empty()
    if not parts:  # no article at all: the pipeline's own empty-input handling
        return replace(
            run_articles(articles, settings, embedder=embedder, nli=nli_model, judge=judge),
            stories=ran,
        )
    return merge_reports(parts, shown, ran)
