"""Feeds: group ARTICLES into stories, run the pipeline once per story, merge the reports.

:func:`run_feed` hands the feed to a backend (:mod:`consistency.runner.backends`), chosen
by name: ``local`` runs the stories here (:mod:`~consistency.runner.backends.local`),
``ray`` on Ray actors (:mod:`~consistency.runner.backends.ray`); the report is the same.
Each article is in exactly one story, so clean, segment, facts, claims and embedding run
once per article; alignment, NLI and judging only see pairs inside a story; a story of
one article gets no cross-article finding.

Cost therefore grows with the number of articles times the size of their
stories: linearly while stories stay small (a feed of many events), and as the
square of a story's size inside one story (every pair of its sentences is a
candidate); ``one_story=True`` on a large feed is one large story.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from consistency.config import Settings
from consistency.models.bundle import ModelChoice
from consistency.outputs.report import Report
from consistency.pipeline import RunOptions
from consistency.runner.backends import Backend, backend_named

FEED_STAGES = ("stories", "story")
"""The progress stages :func:`run_feed` adds to the pipeline's: ``stories`` (grouping),
then ``story`` (done, total) before each story's pipeline stages."""


def run_feed(
    articles: pl.DataFrame,
    settings: Settings | None = None,
    models: ModelChoice | None = None,
    options: RunOptions | None = None,
    *,
    backend: Backend | str = "local",
    **backend_options: Any,
) -> Report:
    """Group ARTICLES into stories and run the pipeline on each; one merged report.

    Args:
        articles: an ARTICLES frame.
        settings: models and thresholds (default :class:`~consistency.config.Settings`).
        models: which models (default: the settings', :meth:`ModelChoice.from_settings
            <consistency.models.bundle.ModelChoice.from_settings>`), resolved once by the
            backend (on Ray, once by each actor).
        options: focus, progress, warnings, index cache, ``one_story`` and how stories
            are grouped (:class:`~consistency.pipeline.RunOptions`).
        backend: a :class:`~consistency.runner.backends.Backend`, or its name (``"local"``
            or ``"ray"``), made with ``backend_options`` (ray: ``address``, ``workers``).

    With ``options.focus``, only the stories holding a focus article are run (the
    others cost nothing but their share of the grouping) and the report's
    articles are theirs.
    """
    settings = settings or Settings()
    runner = backend_named(backend, **backend_options) if isinstance(backend, str) else backend
    return runner.run_feed(articles, settings, models, options or RunOptions())
