"""Comparator: one vehicle given two makes, or its model spelt two ways.

Reads the ``name`` claims of the cluster that begin with a vehicle make from
the language files (``vehicle_makes``: "Daihatsu Feroza", "Suzuki Forza",
"Boeing 737-500"): the make and the next word, the model. Two mentions whose
models are alike (the same, or a close spelling) but whose makes differ are
a substantive finding ("Suzuki Forza" / "Daihatsu Feroza": which car was
hit?); one make with two close spellings of the model is a minor one. Models
that are not alike are two vehicles (a bus and a car), not a finding.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz

from consistency import lang
from consistency.claims.entities import name_tokens
from consistency.judge.base import ClaimContext, Finding
from consistency.judge.explain import quoted
from consistency.types import Kind, Severity

ALIKE = 70.0
"""rapidfuzz ratio from which two model names with one first letter are one model spelt two ways."""


@cache
def _makes() -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get("vehicle_makes", []))


def make_and_model(name: str) -> tuple[str, str] | None:
    """("daihatsu", "feroza") for "Daihatsu Feroza D"; None when it names no make."""
    toks = name_tokens(name)
    for i, t in enumerate(toks[:-1]):
        if t in _makes():
            model = toks[i + 1]
            return (t, model) if len(model) >= 3 else None
    return None


class VehicleMakes:
    """Implements :class:`~consistency.judge.base.ClaimComparator` for vehicle makes and models."""

    name = "vehicles"

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """One finding per pair of articles (or one article) naming one vehicle two ways."""
        first: dict[tuple[str, str, str], dict[str, Any]] = {}
        for c in sorted(ctx.claim.values(), key=lambda c: (c["article_id"], c["start"])):
            if c["slot"] != "name" or not c["value"]:
                continue
            mm = make_and_model(c["surface"])
            if mm is not None:
                first.setdefault((c["article_id"], *mm), c)
        out = []
        for (ka, x), (kb, y) in combinations(sorted(first.items()), 2):
            (_, make_a, model_a), (_, make_b, model_b) = ka, kb
            if (make_a, model_a) == (make_b, model_b):
                continue
            score = fuzz.ratio(model_a, model_b)
            if score < ALIKE or model_a[0] != model_b[0]:
                continue  # two vehicles
            out.append(self._finding(ctx, x, y, make_a != make_b, score))
        return out

    def _finding(
        self,
        ctx: ClaimContext,
        x: dict[str, Any],
        y: dict[str, Any],
        other_make: bool,
        score: float,
    ) -> Finding:
        ox, oy = ctx.outlet(x["article_id"]), ctx.outlet(y["article_id"])
        what = "vehicle_make" if other_make else "vehicle_model"
        ex = ctx.explain.speaking(what)
        said = ex.sides(quoted(x["surface"]), ox, quoted(y["surface"]), oy)
        return Finding(
            kind=Kind.NAME,
            severity=Severity.HIGH if other_make else Severity.LOW,
            score=round(0.5 + score / 200, 4),
            a=ctx.where(x),
            b=ctx.where(y),
            a_hl=[[int(x["start"]), int(x["end"])]],
            b_hl=[[int(y["start"]), int(y["end"])]],
            explanation=ex.text(what, sides=said),
            evidence={
                "comparator": self.name,
                "a_name": x["surface"],
                "b_name": y["surface"],
                "model_similarity": round(score, 1),
            },
            claim_id=ctx.groups.get(x["claim_id"]),
        )
