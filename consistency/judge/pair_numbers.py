"""Pair comparator: the same counted thing with values that cannot both hold, on an aligned pair.

Reads the number facts of the two sentences (their key names what is counted)
and their qualifiers ("lebih dari 30" vs "32" can both hold). A toll that is
higher in the later report is a low-severity finding, explained as a rising
toll. The claim comparator :mod:`.values` does the same across the whole
cluster; this one sees what only an aligned pair shows.
"""

from __future__ import annotations

from typing import Any

from consistency.judge.base import Finding as _Finding
from consistency.judge.explain import quoted
from consistency.judge.facts_view import FactsView, facts_compatible
from consistency.types import Kind, Severity


def rises(
    key: object, x_value: float, y_value: float, x_published: Any, y_published: Any, rising: Any
) -> bool:
    """Whether the later of two reports gives the higher figure of a count that rises.

    ``key`` is what the figures count (a number fact's key), ``rising`` the keys
    that grow as a story develops (:attr:`JudgeConfig.rising_units`). The
    explanation says so, and the confidence model reads it from the evidence.
    """
    if key not in rising or not (x_published and y_published) or x_published == y_published:
        return False
    return bool((x_published > y_published) == (x_value > y_value))


def _gap(x: dict[str, Any], y: dict[str, Any]) -> float:
    a, b = float(x["value_num"]), float(y["value_num"])
    return abs(a - b) / max(abs(a), abs(b), 1e-9)


class PairNumbers(FactsView):
    """Differing figures of an aligned pair."""

    def _numbers(
        self,
        a: tuple[str, int],
        b: tuple[str, int],
        fa: list[dict[str, Any]],
        fb: list[dict[str, Any]],
        overlap: float,
    ) -> _Finding | None:
        cfg = self.config
        na = [f for f in fa if f["fact_type"] == "number" and f["key"]]
        nb = [f for f in fb if f["fact_type"] == "number" and f["key"]]
        conflicts: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for key in {f["key"] for f in na} & {f["key"] for f in nb}:
            xs = [f for f in na if f["key"] == key]
            ys = [f for f in nb if f["key"] == key]
            if any(facts_compatible(x, y, cfg.about_tolerance) for x in xs for y in ys):
                continue
            if all(x["qualifier"] == "vague" for x in xs) or all(
                y["qualifier"] == "vague" for y in ys
            ):
                continue
            conflicts.append(min(((x, y) for x in xs for y in ys), key=lambda t: _gap(*t)))
        if not conflicts:
            return None
        x, y = conflicts[0]
        gap = _gap(x, y)
        both_exact = x["qualifier"] == "exact" and y["qualifier"] == "exact"
        sev = Severity.HIGH if both_exact and gap >= 0.1 else Severity.MEDIUM
        ex, note = self.explain.speaking("numbers"), ""
        pa = self._articles[a[0]].get("published")
        pb = self._articles[b[0]].get("published")
        if rises(x["key"], x["value_num"], y["value_num"], pa, pb, cfg.rising_units):
            sev = Severity.LOW
            note = ex.text("numbers_rising")
        oa, ob = self._outlet(a[0]), self._outlet(b[0])
        parts = "; ".join(
            ex.sides(quoted(u["surface"]), oa, quoted(v["surface"]), ob) for u, v in conflicts
        )
        return self._from_facts(
            Kind.NUMBER,
            sev,
            round(min(0.95, 0.5 + 0.5 * min(gap * 2, 1.0) * max(overlap, 0.5)), 4),
            a,
            b,
            [u for u, _ in conflicts],
            [v for _, v in conflicts],
            ex.text("numbers", pairs=parts, note=note),
            "number",
            suppress_on_entail=gap < cfg.weak_number_gap,
            relative_gap=round(gap, 4),
        )
