"""consistency: a fact-consistency checker across news outlets.

Public API:
    run(inputs, settings=None, ...) -> Report     read articles and run every stage
    run_articles(articles, ...) -> Report          the same from an ARTICLES frame
    run_feed(articles, settings, models, options, backend="local") -> Report
                                                   group a feed into stories, run each
    load_report(path) -> Report                    read a saved JSON report
    Report, Settings, Kind, Severity, Verdict, ExitCode
    ModelChoice, Models                            which models a run uses (models.bundle)
    RunOptions                                     focus, progress, warnings... of a run
"""

from __future__ import annotations

from consistency.config import VERSION

__version__ = VERSION

from consistency.config import Settings
from consistency.models.bundle import ModelChoice, Models
from consistency.outputs.report import Report, load_report
from consistency.pipeline import RunOptions
from consistency.types import ExitCode, Kind, Severity, Verdict


def run(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Read inputs and run the pipeline (see :func:`consistency.pipeline.run`)."""
    from consistency.pipeline import run as _run

    return _run(*args, **kwargs)


def run_articles(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Run the pipeline on an ARTICLES frame (see :func:`consistency.pipeline.run_articles`)."""
    from consistency.pipeline import run_articles as _run_articles

    return _run_articles(*args, **kwargs)


def run_feed(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Group ARTICLES into stories and run each (see :func:`consistency.runner.feed.run_feed`)."""
    from consistency.runner.feed import run_feed as _run_feed

    return _run_feed(*args, **kwargs)


__all__ = [
    "ExitCode",
    "Kind",
    "ModelChoice",
    "Models",
    "Report",
    "RunOptions",
    "Settings",
    "Severity",
    "Verdict",
    "__version__",
    "load_report",
    "run",
    "run_articles",
    "run_feed",
]
