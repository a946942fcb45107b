"""A feed's stories run in this process, one after another, on models already loaded.

:func:`run_stories` is what the local backend (:mod:`consistency.runner.backends.local`)
does once it has loaded the models: the per-article stages once over the whole feed
(:func:`consistency.stages.prepare.prepare_articles`: matching view, clean, segment), the
articles grouped (:func:`consistency.stages.stories.group_stories`, or
:func:`~consistency.stages.stories.one_story` for ``one_story``) on that, each story run
(:func:`consistency.pipeline.run_story` on the story's articles, in input order, with their
cut of the prepared feed) and the reports merged
(:func:`~consistency.runner.backends.merge.merge_reports`). The opening sentences the
grouping embeds are kept for the run (:class:`RunEmbedder`) and not embedded again by
their story's run, with or without an on-disk cache; the sentences of every story to run
(of two articles or more) are then embedded in one pass sorted by length
(:meth:`RunEmbedder.prefetch`), so the model gets full batches of texts of about one
length, not a few short calls per story.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np
import polars as pl

from consistency import pipeline
from consistency.config import Thresholds
from consistency.models.bundle import Models
from consistency.models.protocols import Embedder
from consistency.outputs.report import Report
from consistency.pipeline import Progress, RunOptions
from consistency.runner.backends.merge import articles_shown, merge_reports, stories_to_run
from consistency.stages.prepare import Prepared, prepare_articles
from consistency.stages.stories import StorySettings, group_stories, one_story
from consistency.types import ARTICLES, STORIES, ModelError

PREFETCH_CHUNK = 256
"""Texts per embedder call when a feed embeds all its stories' sentences at once
(:meth:`RunEmbedder.prefetch`): long enough for full, evenly long batches, short
enough that the ``embed`` progress moves."""


class RunEmbedder:
    """An :class:`~consistency.models.Embedder` that keeps, for one run, what it is told to.

    The grouping embeds each article's opening sentences; :meth:`keep` holds on to
    those vectors, and a later :meth:`embed` of the same text (the story's run)
    takes them (once each, so the memory stays that of the openings not yet
    reused) instead of calling the model again. Everything else goes to ``inner``.

    Attributes:
        inner: the real embedder (its ``model_id`` and ``cache_key`` are shown as this one's).
        calls, texts: calls and texts passed on to ``inner``.
    """

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.cache_key = getattr(inner, "cache_key", inner.model_id)
        self._kept: dict[str, np.ndarray] = {}
        self._keeping = False
        self.calls = 0
        self.texts = 0

    def keep(self) -> RunEmbedder:
        """From now on, remember what is embedded (until :meth:`stop_keeping`)."""
        self._keeping = True
        return self

    def stop_keeping(self) -> None:
        """Remember nothing more; what is kept is still served (once per text)."""
        self._keeping = False

    def prefetch(
        self,
        texts: Sequence[str],
        *,
        chunk: int = PREFETCH_CHUNK,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Embed and keep the distinct ``texts`` now, shortest first, in calls of ``chunk``.

        A feed's stories each embed a few dozen sentences; embedding every story's
        sentences here in one pass sorted by length gives the model long runs of
        texts of about one length (little padding, full batches for every worker)
        instead of a few short calls per story. What is kept is served as by
        :meth:`keep` (once per text, after :meth:`stop_keeping`).

        Args:
            texts: the texts the run will embed (repeats are embedded once).
            chunk: texts per call of ``inner``.
            progress: called with (texts done, distinct texts) after each call.
        """
        todo = sorted(
            (t for t in dict.fromkeys(texts) if t not in self._kept), key=lambda t: (len(t), t)
        )
        step = max(1, chunk)
        for s in range(0, len(todo), step):
            part = todo[s : s + step]
            self.calls += 1
            self.texts += len(part)
            vecs = np.asarray(self.inner.embed(part), dtype=np.float32)
            if vecs.ndim != 2 or vecs.shape[0] != len(part):
                raise ModelError(
                    f"embedding model {self.model_id} returned shape {vecs.shape} "
                    f"for {len(part)} texts"
                )
            self._kept.update(zip(part, vecs, strict=True))
            if progress is not None:
                progress(s + len(part), len(todo))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: kept vectors where there are, the rest from ``inner``."""
        texts = list(texts)
        found = {t: self._kept[t] for t in texts if t in self._kept}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing or not texts:
            self.calls += 1
            self.texts += len(missing)
            vecs = np.asarray(self.inner.embed(missing), dtype=np.float32)
            if not texts:
                return vecs
            found.update(zip(missing, vecs, strict=True))
            if self._keeping:
                self._kept.update(zip(missing, vecs, strict=True))
        if not self._keeping:
            for t in found:
                self._kept.pop(t, None)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)


def run_stories(
    articles: pl.DataFrame, thresholds: Thresholds, models: Models, options: RunOptions
) -> Report:
    """Group ARTICLES into stories, run the pipeline on each here with ``models`` (loaded),
    merge the reports.

    Args:
        articles: an ARTICLES frame.
        thresholds: what each story's run is given of the settings (``Settings.thresholds``).
        models: the run's models, loaded (:func:`~consistency.models.bundle.resolve_models`).
        options: as for :func:`consistency.runner.feed.run_feed`.
    """
    ARTICLES.validate(articles)
    run_embedder = RunEmbedder(models.embedder)
    prepared, stories = _stories_stage(
        articles, run_embedder, options.one_story, options.story_settings, options.progress
    )
    wanted = set(options.focus) if options.focus is not None else None
    todo = stories_to_run(stories, wanted)
    _prefetch_stage(todo, prepared, run_embedder, options.progress)
    parts = _story_stage(todo, articles, prepared, models, run_embedder, thresholds, options)
    return _merged(parts, todo, articles, wanted)


def _stories_stage(
    articles: pl.DataFrame,
    run_embedder: RunEmbedder,
    one: bool,
    story_settings: StorySettings | None,
    progress: Progress | None,
) -> tuple[Prepared, pl.DataFrame]:
    """The feed's per-article stages done once, then its STORIES grouped on them."""
    if progress is not None:
        progress("stories", 0, 1)
    prepared = prepare_articles(articles)
    segmented = (prepared.articles, prepared.sentences)
    if one:
        stories = one_story(articles, story_settings, segmented=segmented)
    else:
        stories = group_stories(articles, run_embedder.keep(), story_settings, segmented=segmented)
        run_embedder.stop_keeping()
    if progress is not None:
        progress("stories", 1, 1)
    return prepared, stories


def _prefetch_stage(
    todo: Sequence[dict[str, Any]],
    prepared: Prepared,
    run_embedder: RunEmbedder,
    progress: Progress | None,
) -> None:
    """Embed the sentences of the stories to run in one pass (:meth:`RunEmbedder.prefetch`)."""
    # the sentences of every story to run that has two articles or more (a story of one
    # embeds nothing), in one length-sorted pass rather than story by story
    compared = [i for row in todo if len(row["article_ids"]) >= 2 for i in row["article_ids"]]
    if compared:
        texts = prepared.sentences.filter(pl.col("article_id").is_in(compared))["text"].to_list()
        if progress is not None:
            progress("embed", 0, len(texts))
        run_embedder.prefetch(
            texts,
            progress=None if progress is None else lambda d, n: progress("embed", d, n),
        )


class StoryRun(NamedTuple):
    """What one call of :func:`~consistency.pipeline.run_story` is given besides the
    thresholds and the models."""

    articles: pl.DataFrame
    options: RunOptions
    prepared: Prepared | None


def _story_stage(
    todo: Sequence[dict[str, Any]],
    articles: pl.DataFrame,
    prepared: Prepared,
    models: Models,
    run_embedder: RunEmbedder,
    thresholds: Thresholds,
    options: RunOptions,
) -> list[Report]:
    """Each story's report (:func:`~consistency.pipeline.run_story` on its cut of the feed,
    its sentences embedded by ``run_embedder``), in story order; with no story to run, the
    pipeline's own report on the whole input (its handling of empty input, with the models
    as given), the only one."""
    progress = options.progress
    in_stories = replace(models, embedder=run_embedder) if todo else models
    parts: list[Report] = []
    for k, run in enumerate(_story_runs(todo, articles, prepared, options)):
        if progress is not None and todo:
            progress("story", k, len(todo))
        parts.append(
            pipeline.run_story(
                run.articles, thresholds, in_stories, run.options, prepared=run.prepared
            )
        )
    if progress is not None:
        progress("story", len(todo), len(todo))
    return parts


def _story_runs(
    todo: Sequence[dict[str, Any]],
    articles: pl.DataFrame,
    prepared: Prepared,
    options: RunOptions,
) -> Iterator[StoryRun]:
    """Each story's :class:`StoryRun`, one at a time: its ARTICLES (in input order), the
    options with the focus articles among its own, its cut of the prepared feed. With no
    story to run, one run of the whole input as the pipeline handles it alone: no options,
    nothing prepared."""
    if not todo:
        yield StoryRun(articles, RunOptions(), None)
        return
    wanted = set(options.focus) if options.focus is not None else None
    for row in todo:
        ids = row["article_ids"]
        focus = None if wanted is None else sorted(wanted.intersection(ids))
        part = articles.filter(pl.col("article_id").is_in(ids))
        yield StoryRun(part, replace(options, focus=focus), prepared.subset(ids))


def _merged(
    parts: Sequence[Report],
    todo: Sequence[dict[str, Any]],
    articles: pl.DataFrame,
    wanted: set[str] | None,
) -> Report:
    """One report from the stories' (when none ran, the pipeline's own report on the input)."""
    ran = pl.DataFrame(list(todo), schema=STORIES.polars_schema) if todo else STORIES.empty()
    if not todo:
        return replace(parts[0], stories=ran)
    return merge_reports(parts, articles_shown(articles, todo, wanted), ran)
