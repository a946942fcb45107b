"""Findings: which of the judge's findings a report keeps.

Takes the judge's DIVERGENCES, with the ARTICLES and CLAIMS they are about, and returns
those to report, as :class:`~consistency.config.FindingsConfig` says: every finding's
confidence calibrated (:mod:`consistency.judge.confidence`), then those at
``min_confidence`` or above that touch the focus articles, at most two per claim and pair
of values (:mod:`consistency.judge.collapse`).
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from consistency.config import FindingsConfig
from consistency.judge.collapse import collapse_repeats
from consistency.judge.confidence import calibrate, load_confidence_model


def keep_findings(
    divergences: pl.DataFrame,
    articles: pl.DataFrame,
    claims: pl.DataFrame,
    config: FindingsConfig,
    focus: Collection[str] | None = None,
) -> pl.DataFrame:
    """The findings calibrated, then those at ``config.min_confidence`` or above touching
    ``focus`` (None: all), at most two per claim and pair of values with ``config.collapse``.

    Args:
        divergences: the judge's DIVERGENCES.
        articles: the ARTICLES they are about.
        claims: the CLAIMS they compare.
        config: the threshold and whether repeats collapse.
        focus: article ids; a finding is kept when one of its sides is among them.
    """
    divergences = calibrate(divergences, articles, load_confidence_model(), claims)
    if config.min_confidence > 0:
        divergences = divergences.filter(pl.col("score") >= config.min_confidence)
    if focus is not None:
        f = list(focus)
        divergences = divergences.filter(
            pl.col("a_article").is_in(f) | pl.col("b_article").is_in(f)
        )
    if config.collapse:
        divergences = collapse_repeats(divergences)
    return divergences
