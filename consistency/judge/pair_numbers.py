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
from consistency.judge.facts_view import FactsView, facts_compatible
from consistency.types import Kind, Severity


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
        note = ""
        pa = self._articles[a[0]].get("published")
        pb = self._articles[b[0]].get("published")
        if x["key"] in cfg.rising_units and pa and pb and pa != pb:
            later_bigger = (pa > pb) == (x["value_num"] > y["value_num"])
            if later_bigger:
                sev = Severity.LOW
                note = " The later report has the higher count (a rising toll?)."
        parts = "; ".join(f"'{u['surface']}' vs '{v['surface']}'" for u, v in conflicts)
        return self._from_facts(
            Kind.NUMBER,
            sev,
            round(min(0.95, 0.5 + 0.5 * min(gap * 2, 1.0) * max(overlap, 0.5)), 4),
            a,
            b,
            [u for u, _ in conflicts],
            [v for _, v in conflicts],
            f"{self._outlet(a[0])} and {self._outlet(b[0])} give different numbers for the "
            f"same thing: {parts}.{note}",
            "number",
            suppress_on_entail=gap < cfg.weak_number_gap,
            relative_gap=round(gap, 4),
        )
