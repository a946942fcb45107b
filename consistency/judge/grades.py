"""Comparator: the injured counted by grade add up to more than the article's own total.

"49 orang menderita luka berat dan dua orang luka sedang" and, a few
paragraphs later in the same article, "korban luka berjumlah 50 orang": the
grades alone make 51. Reads the CLAIMS of one article at a time: a sentence
giving two or more exact counts of different injury grades (``GRADES``, of no
population or place of their own) sums them; an exact total of the injured in
the same article (no population, place, breakdown part or forecast) below
that sum is a finding. Only inside one article: another outlet's total may
be of another hour.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from consistency.claims.slot_table import parts_of
from consistency.judge.base import ClaimContext, Finding
from consistency.judge.explain import capital, number, quoted
from consistency.types import Kind, Severity

GRADES = parts_of("injured")
"""The slots of injuries by grade; their sum is at most the injured in all."""


def _plain(c: dict[str, Any]) -> bool:
    d = c["detail"]
    return (
        c["value_kind"] == "count"
        and c["qualifier"] == "exact"
        and not c["subject"]
        and not d.get("population")
        and not d.get("part")
        and not d.get("forecast")
        and c["value_num"] is not None
    )


class InjuryGrades:
    """Implements :class:`~consistency.judge.base.ClaimComparator`: injury grades vs the total."""

    name = "grades"

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """One finding per article whose grades exceed one of its totals of the injured."""
        graded: dict[tuple[str, int], dict[str, dict[str, Any]]] = defaultdict(dict)
        totals: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in sorted(ctx.claim.values(), key=lambda c: (c["article_id"], c["start"])):
            if not _plain(c):
                continue
            if c["slot"] in GRADES:
                graded[ctx.where(c)].setdefault(c["slot"], c)
            elif c["slot"] == "injured":
                totals[c["article_id"]].append(c)
        out = []
        for (art, _), by_grade in sorted(graded.items()):
            if len(by_grade) < 2:
                continue
            parts = sorted(by_grade.values(), key=lambda c: c["start"])
            total = sum(float(p["value_num"]) for p in parts)
            below = [t for t in totals[art] if float(t["value_num"]) < total]
            if below:
                out.append(self._finding(ctx, parts, below[0], total))
        return out

    def _finding(
        self, ctx: ClaimContext, parts: list[dict[str, Any]], whole: dict[str, Any], total: float
    ) -> Finding:
        shown = " + ".join(str(p["surface"]) for p in parts)
        ex = ctx.explain.speaking("grades")
        return Finding(
            kind=Kind.NUMBER,
            severity=Severity.MEDIUM,
            score=0.8,
            a=ctx.where(parts[0]),
            b=ctx.where(whole),
            a_hl=[[int(p["start"]), int(p["end"])] for p in parts],
            b_hl=[[int(whole["start"]), int(whole["end"])]],
            explanation=ex.text(
                "grades",
                Label=capital(ex.slot("injured")),
                outlet=ctx.outlet(whole["article_id"]),
                whole=quoted(whole["surface"]),
                parts=shown,
                sum=number(total),
            ),
            evidence={
                "comparator": self.name,
                "grades": {p["slot"]: p["value"] for p in parts},
                "sum": total,
                "total": whole["value"],
            },
            claim_id=ctx.groups.get(whole["claim_id"]),
        )
