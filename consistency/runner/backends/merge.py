"""What every backend does with a feed's stories: which to run, which articles to show,
and one report from the per-story reports.

Shared by the local backend (:mod:`consistency.runner.backends.in_process`, which runs its
stories) and :mod:`consistency.runner.backends.ray`, so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import polars as pl

from consistency.outputs.report import Report, sort_divergences
from consistency.types import STORIES


def _concat(frames: Sequence[pl.DataFrame | None]) -> pl.DataFrame | None:
    got = [f for f in frames if f is not None]
    if not got:
        return None
    return pl.concat(got, how="vertical")


def stories_to_run(stories: pl.DataFrame, wanted: set[str] | None) -> list[dict[str, Any]]:
    """The STORIES rows to run: all of them, or those holding an article in ``wanted``."""
    return [
        row
        for row in stories.iter_rows(named=True)
        if wanted is None or wanted.intersection(row["article_ids"])
    ]


def articles_shown(
    articles: pl.DataFrame, todo: Sequence[dict[str, Any]], wanted: set[str] | None
) -> pl.DataFrame:
    """The report's articles: all, or with a focus only those of the stories run."""
    if wanted is None:
        return articles
    kept = [i for row in todo for i in row["article_ids"]]
    return articles.filter(pl.col("article_id").is_in(kept))


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
