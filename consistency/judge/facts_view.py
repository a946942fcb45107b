"""What the fact-based comparators of the rule judge share: the facts of a cluster, read once.

:class:`FactsView` holds the ARTICLES, SENTENCES and FACTS rows the judge was
given, keyed for lookup, and builds findings whose highlights and evidence
are the facts compared. The weekday checks (:mod:`.weekdays`), the
one-outlet figures (:mod:`.unique`) and the rule judge (:mod:`.rules`) build
on it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from consistency.judge.base import Finding as _Finding
from consistency.judge.explain import Explainer
from consistency.types import Kind, Severity

if TYPE_CHECKING:
    from consistency.judge.config import JudgeConfig


def fact_interval(f: dict[str, Any], tol: float) -> tuple[float, float]:
    """The values a number fact allows, its qualifier read ("lebih dari 30": above 30)."""
    v = float(f["value_num"])
    q = f["qualifier"] or "exact"
    if q == "vague":
        rng = f["detail"].get("range") or [v, v * 10]
        return float(rng[0]), float(rng[1])
    return {
        "more_than": (v + 1e-9, math.inf),
        "at_least": (v, math.inf),
        "about": (v * (1 - tol), v * (1 + tol)),
        "almost": (v * (1 - tol), v),
        "less_than": (0.0, v - 1e-9),
        "up_to": (0.0, v),
    }.get(q, (v, v))


def facts_compatible(x: dict[str, Any], y: dict[str, Any], tol: float) -> bool:
    """Whether two number facts' values can both hold, qualifiers read ("lebih dari 30" / "32")."""
    a, b = fact_interval(x, tol), fact_interval(y, tol)
    return a[0] <= b[1] and b[0] <= a[1]


def fact_evidence(f: dict[str, Any]) -> dict[str, Any]:
    out = {
        "type": f["fact_type"],
        "surface": f["surface"],
        "key": f["key"],
        "start": f["start"],
        "end": f["end"],
    }
    for k in ("value_num", "unit", "qualifier"):
        if f.get(k) is not None:
            out[k] = f[k]
    if f.get("value_date") is not None:
        out["value_date"] = f["value_date"].isoformat()
    return out


class FactsView:
    """The facts of one cluster, keyed by sentence, and the finding builder over them."""

    config: JudgeConfig
    explain: Explainer = Explainer()  # the rule judge sets the language it was asked for
    _articles: dict[str, dict[str, Any]]
    _sents: dict[tuple[str, int], dict[str, Any]]
    _facts: dict[tuple[str, int], list[dict[str, Any]]]

    def _language(self, article_id: str) -> str:
        art = self._articles.get(article_id) or {}
        return str(art.get("language") or "und")

    def _outlet(self, article_id: str) -> str:
        art = self._articles.get(article_id) or {}
        return art.get("outlet") or article_id

    def _in_sentence(self, key: tuple[str, int], f: dict[str, Any]) -> list[list[int]]:
        s = self._sents[key]
        if (
            s["start"] <= f["start"]
            and f["end"] <= s["end"]
            and f["end"] - f["start"] < (s["end"] - s["start"])
        ):
            return [[int(f["start"]), int(f["end"])]]
        return []

    def _from_facts(
        self,
        kind: Kind,
        severity: Severity,
        score: float,
        a: tuple[str, int],
        b: tuple[str, int] | None,
        fa: list[dict[str, Any]],
        fb: list[dict[str, Any]],
        explanation: str,
        comparator: str,
        *,
        suppress_on_entail: bool = False,
        **evidence: Any,
    ) -> _Finding:
        """A finding whose highlights and evidence are the facts compared on each side."""
        ev: dict[str, Any] = {"comparator": comparator, "a_facts": [fact_evidence(f) for f in fa]}
        if b is not None:
            ev["b_facts"] = [fact_evidence(f) for f in fb]
        return _Finding(
            kind,
            severity,
            score,
            a,
            b,
            [h for f in fa for h in self._in_sentence(a, f)],
            [h for f in fb for h in self._in_sentence(b, f)] if b is not None else [],
            explanation,
            {**ev, **evidence},
            suppress_on_entail,
        )

    def _all(self, fact_type: str) -> list[dict[str, Any]]:
        return [
            f
            for key, fs in sorted(self._facts.items())
            if key in self._sents
            for f in fs
            if f["fact_type"] == fact_type
        ]
