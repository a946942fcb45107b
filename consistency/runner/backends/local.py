"""The local backend: a feed's stories run here, one after another.

:class:`LocalBackend` loads the run's models once (the ``models`` stage:
:func:`~consistency.models.bundle.resolve_models`), then runs the feed on them in this
process (:func:`consistency.runner.backends.in_process.run_stories`: the per-article
stages once over the feed, the grouping into stories, one pipeline run per story, the
reports merged).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from consistency.config import Settings
from consistency.models.bundle import ModelChoice, resolve_models
from consistency.outputs.report import Report
from consistency.pipeline import RunOptions
from consistency.runner.backends.in_process import run_stories
from consistency.types import ARTICLES


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
        """Load the models, group ARTICLES into stories, run the pipeline on each here,
        merge the reports."""
        ARTICLES.validate(articles)
        if options.progress is not None:
            options.progress("models", 0, 1)
        resolved = resolve_models(models, settings)
        if options.progress is not None:
            options.progress("models", 1, 1)
        return run_stories(articles, settings.thresholds, resolved, options)


def make_backend() -> LocalBackend:
    """The local backend (it takes no options)."""
    return LocalBackend()
