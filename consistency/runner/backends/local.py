"""The local backend: a feed's stories run here, one after another.

:class:`LocalBackend` does the per-article stages once over the whole feed
(:func:`consistency.stages.prepare.prepare_articles`: matching view, clean, segment),
groups the articles (:func:`consistency.stages.stories.group_stories`, or
:func:`~consistency.stages.stories.one_story` for ``one_story``) on that,
resolves the models once, runs each story (:func:`consistency.pipeline.run_story` on
the story's articles, in input order, with their cut of the prepared feed) and
merges the reports (:func:`~consistency.runner.backends.merge.merge_reports`). The
opening sentences the grouping embeds are kept for the run (:class:`RunEmbedder`) and
not embedded again by their story's run, with or without an on-disk cache; the
sentences of every story to run (of two articles or more) are then embedded in one
pass sorted by length (:meth:`RunEmbedder.prefetch`), so the model gets full batches of
texts of about one length, not a few short calls per story.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import polars as pl

from consistency import pipeline
from consistency.config import Settings, Thresholds
from consistency.models.bundle import ModelChoice, Models, resolve_models
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


@dataclass(frozen=True)
class LocalBackend:
    """Runs a feed's stories in this process, one after another (a :class:`Backend`)."""

    name: str = "local"

    def run_feed(
        self,
        articles: pl.DataFrame,
        settings: Settings,
        models: ModelChoice | None,
        options: RunOptions,
    ) -> Report:
        """Group ARTICLES into stories, run the pipeline on each here, merge the reports."""
        ARTICLES.validate(articles)
        if options.progress is not None:
            options.progress("models", 0, 1)
        resolved = resolve_models(models, settings)
        if options.progress is not None:
            options.progress("models", 1, 1)
        run_embedder = RunEmbedder(resolved.embedder)
        prepared, stories = _stories_stage(
            articles, run_embedder, options.one_story, options.story_settings, options.progress
        )
        wanted = set(options.focus) if options.focus is not None else None
        todo = stories_to_run(stories, wanted)
        _prefetch_stage(todo, prepared, run_embedder, options.progress)
        thresholds = settings.thresholds
        parts = _story_stage(todo, articles, prepared, resolved, run_embedder, thresholds, options)
        return _merged(parts, todo, articles, wanted)


def make_backend() -> LocalBackend:
    """The local backend (it takes no options)."""
    return LocalBackend()


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
    pipeline's own report on the whole input (its handling of empty input), the only one."""
    progress = options.progress
    wanted = set(options.focus) if options.focus is not None else None
    in_stories = replace(models, embedder=run_embedder)
    parts: list[Report] = []
    for k, row in enumerate(todo):
        ids = row["article_ids"]
        if progress is not None:
            progress("story", k, len(todo))
        part = articles.filter(pl.col("article_id").is_in(ids))
        focus = None if wanted is None else sorted(wanted.intersection(ids))
        parts.append(
            pipeline.run_story(
                part,
                thresholds,
                in_stories,
                replace(options, focus=focus),
                prepared=prepared.subset(ids),
            )
        )
    if progress is not None:
        progress("story", len(todo), len(todo))
    if not todo:
        parts.append(pipeline.run_story(articles, thresholds, models))
    return parts


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
