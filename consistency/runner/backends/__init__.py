"""Where a feed's stories run: a :class:`Backend`, chosen by name.

``local`` (:mod:`consistency.runner.backends.local`: this process, one story after
another) or ``ray`` (:mod:`consistency.runner.backends.ray`: Ray actors on one machine or
a cluster). Both group the feed into stories, run :func:`consistency.pipeline.run_story`
on each and merge the reports (:mod:`consistency.runner.backends.merge`): the same report
either way. :func:`backend_named` imports a backend's module only when it is asked for,
so nothing here imports ray, and the feed code imports neither backend's module.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol

from consistency.types import ConsistencyError

if TYPE_CHECKING:
    import polars as pl

    from consistency.config import Settings
    from consistency.models.bundle import ModelChoice
    from consistency.outputs.report import Report
    from consistency.pipeline import RunOptions

BACKENDS: tuple[str, ...] = ("local", "ray")
"""The backends by name, each a module of this package with a ``make_backend``."""


class BackendError(ConsistencyError):
    """The compute backend cannot be used: Ray is not installed, or its cluster cannot be reached.

    The command line turns it into one line and exit 2 (a usage error: the option
    cannot be honoured here).
    """


class Backend(Protocol):
    """Runs a feed: groups its ARTICLES into stories, runs the pipeline on each, merges.

    Attributes:
        name: one of :data:`BACKENDS`.
    """

    name: str

    def run_feed(
        self,
        articles: pl.DataFrame,
        settings: Settings,
        models: ModelChoice | None,
        options: RunOptions,
    ) -> Report:
        """One report for the feed (see :func:`consistency.runner.feed.run_feed`); ``models``
        None: the settings' own."""
        ...


def backend_named(name: str, **options: Any) -> Backend:
    """The backend called ``name``, made with its ``options`` (ray: ``address``, ``workers``).

    Raises:
        ValueError: ``name`` is not one of :data:`BACKENDS`.
    """
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}")
    module = importlib.import_module(f"{__name__}.{name}")
    backend: Backend = module.make_backend(**options)
    return backend
