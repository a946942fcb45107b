"""What a check found, ready to render: :class:`CheckResult` (the gate's decision too).

:mod:`consistency.runner.check` makes it; the gate's renderers (:mod:`consistency.outputs.formats`)
read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from consistency.outputs.report import Report
from consistency.types import ExitCode, Severity


@dataclass(frozen=True)
class CheckResult:
    """What a check found, ready to render.

    Attributes:
        report: the pipeline's report, its divergences narrowed to the ones
            that count (see the module docstring), sorted.
        new_ids: article ids of the NEW articles, in input order.
        fail_on: the threshold.
        dropped_copies: corpus article ids dropped as exact copies of a NEW article.
        suppressed: number of findings the baseline suppressed.
        stats: counters (cache hits and misses, timings) for diagnostics.
    """

    report: Report
    new_ids: tuple[str, ...]
    fail_on: Severity = Severity.HIGH
    dropped_copies: tuple[str, ...] = ()
    suppressed: int = 0
    stats: dict[str, float] = field(default_factory=dict)

    @cached_property
    def articles_by_id(self) -> dict[str, dict[str, Any]]:
        """The report's ARTICLES rows by article id (read once per result)."""
        return {r["article_id"]: r for r in self.report.articles.iter_rows(named=True)}

    @property
    def findings(self) -> pl.DataFrame:
        """The DIVERGENCES that count, sorted by severity then score."""
        return self.report.divergences

    @property
    def failing(self) -> pl.DataFrame:
        """The findings at or above :attr:`fail_on`."""
        return at_or_above(self.findings, self.fail_on)

    @property
    def exit_code(self) -> ExitCode:
        """FINDINGS when a finding is at or above the threshold, else OK."""
        return ExitCode.FINDINGS if self.failing.height else ExitCode.OK


def at_or_above(divergences: pl.DataFrame, threshold: Severity | str) -> pl.DataFrame:
    """The rows of a DIVERGENCES frame whose severity is ``threshold`` or more urgent."""
    t = Severity(threshold)
    keep = [s.value for s in Severity if s.at_least(t)]
    return divergences.filter(pl.col("severity").is_in(keep))
