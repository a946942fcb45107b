"""Comparator: values of one claim that cannot both hold (counts, measures, times, ages, plates).

Reads CLAIM_LINKS whose values are incompatible and makes a finding per pair
of differing values: for the :attr:`ValueConflicts.per_value_pair` pairs of
articles whose statements are most alike (a figure copied by many outlets
does not make a finding per outlet), and the most alike pair across two
languages when none of those is (a translation is where figures drift). A
toll that rises between reports published on different days is still
reported, at low severity, explained as such.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import polars as pl

from consistency import lang
from consistency.claims.entities import relation
from consistency.claims.rows import headline_like
from consistency.claims.slot_table import labels, names_where
from consistency.judge.base import ClaimContext, Finding
from consistency.types import Kind, Severity

RISING = frozenset(names_where(lambda s: s.rises))
"""Slots whose figures grow as a story develops."""

MEASURED = frozenset(names_where(lambda s: s.per_agency))
"""Slots each measuring agency reads for itself: two agencies' readings differ without a drift."""


_ACRONYM = re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])")


@cache
def _not_agencies() -> frozenset[str]:
    data = lang.merged("claims")
    return frozenset(w.upper() for key in ("time_zones", "units") for w in data.get(key, {}))


def _agencies(text: str) -> list[str]:
    """The acronyms a sentence names ("AFAD", "USGS", "EMSC"): who took a reading."""
    return [
        m.group(0).lower() for m in _ACRONYM.finditer(text) if m.group(0) not in _not_agencies()
    ]


def _other_sources(a: list[str], b: list[str]) -> bool:
    """Both statements credit a source, and no source of one is a source of the other."""
    if not a or not b:
        return False
    return all(relation(x, y) == "different" for x in a for y in b)


SURE_SAME_FACT = 0.8
"""Under this probability that two figures state one fact (the identity model's), a
conflict between them is at most MEDIUM. Scored leave one cluster out on the fact tables
(shipped configuration): HIGH findings 63/117 correct with the cap at 0.8, 94/168 at 0.5,
and updates flagged HIGH 4 against 7; the probability itself is not calibrated (findings
at 0.5 or more were 0.58 to 0.77 correct per 0.1 bin, under 0.5 0.31 to 0.52)."""

HEADLINE_PENALTY = 0.02
"""How much less alike a pair with a headline counts in choosing the pair shown."""


def _across(ctx: ClaimContext, x: dict[str, Any], y: dict[str, Any]) -> bool:
    """Whether two claims are in articles of two different known languages."""
    la = (ctx.article.get(x["article_id"]) or {}).get("language")
    lb = (ctx.article.get(y["article_id"]) or {}).get("language")
    return bool(la and lb and la != lb)


_SLOT_WORDS = {
    **labels(),
    # slots read from a value's kind or unit, not from cue words: not in the table
    "length": "the distance",
    "duration": "the duration",
    "time": "the time of day",
    "daypart": "the part of the day",
    "plate": "the vehicle plate",
    "built": "the year built",
    "count": "the count",
}
"""Slot -> the words explanations name it by: the table's labels and the slots it does not hold."""


def slot_words(claim: dict[str, Any]) -> str:
    """A few words naming the claim's slot ("the death toll", "the count of students")."""
    base = _SLOT_WORDS.get(claim["slot"], f"the {claim['slot']}")
    pop = (claim.get("detail") or {}).get("population")
    if claim["slot"] == "count" and pop:
        base = f"the count of {pop}"
    if claim["slot"] == "age" and claim.get("subject"):
        base = f"the age of {claim['subject'].title()}"
    if claim["subject"] and claim["slot"] not in ("age", "plate"):
        base += f" in {claim['subject'].title()}"
    return base


class ValueConflicts:
    """Implements :class:`~consistency.judge.base.ClaimComparator` for value claims."""

    name = "values"

    def __init__(self, per_value_pair: int = 3, per_value: int = 3) -> None:
        self.per_value_pair = per_value_pair
        self.per_value = per_value

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """One finding per differing value pair per article pair."""
        bad = ctx.links.filter(~pl.col("compatible") & (pl.col("slot") != "speaker"))
        sources: dict[tuple[str, int], list[str]] = {}
        for c in ctx.claim.values():
            if c["slot"] == "speaker":
                sources.setdefault(ctx.where(c), []).append(c["value"])
        best: dict[tuple[Any, ...], tuple[float, dict[str, Any], dict[str, Any], str]] = {}
        sim_of: dict[tuple[str, str], float] = {}
        prob: dict[tuple[str, str], float | None] = {}
        for r in bad.iter_rows(named=True):
            x, y = ctx.claim[r["a_claim"]], ctx.claim[r["b_claim"]]
            if (x["article_id"], x["start"]) > (y["article_id"], y["start"]):
                x, y = y, x
            if x["slot"] in MEASURED and _other_sources(
                sources.get(ctx.where(x), []) + _agencies(ctx.sentence_text(x)),
                sources.get(ctx.where(y), []) + _agencies(ctx.sentence_text(y)),
            ):
                continue  # "AFAD mencatat 7,4" / "EMSC put it at 7.7": two agencies' readings
            # one disagreement per pair of figures, however each is qualified:
            # "sekitar 5.500", "mencapai 5.500" and "hingga 5.500" against
            # one outlet's 3.000 are one finding, not three
            key = (x["slot"], x["article_id"], y["article_id"], *sorted((x["value"], y["value"])))
            s = float(r["similarity"])
            prob[(x["claim_id"], y["claim_id"])] = r.get("probability")
            # of the mentions of one disagreement, a pair in the body stands
            # for it before a pair with a headline
            heads = sum(headline_like(ctx.sentence_text(c)) for c in (x, y))
            rank_s = s - HEADLINE_PENALTY * heads
            sim_of[(x["claim_id"], y["claim_id"])] = s
            if key not in best or rank_s > best[key][0]:
                best[key] = (rank_s, x, y, r["reason"])
        # one value pair may recur across many article pairs (a wire figure
        # copied everywhere): the most similar statements stand for it
        per_values: dict[tuple[Any, ...], list[tuple[float, Any, Any, str]]] = {}
        for key, item in best.items():
            per_values.setdefault((key[0], *key[3:]), []).append(item)
        # of the pairs of values of one claim group, each value keeps its
        # per_value best-matched disagreements: a toll given eight ways makes
        # findings for the pairs of statements most alike, not all 28 pairs
        rank: dict[tuple[Any, str], list[tuple[float, tuple[Any, ...]]]] = {}
        for vkey, items in per_values.items():
            s0, x0, _, _ = max(items, key=lambda t: t[0])
            group = ctx.groups.get(x0["claim_id"], vkey[0])
            for v in vkey[1:]:
                rank.setdefault((group, v), []).append((s0, vkey))
        keep: set[tuple[Any, ...]] = set()
        for cands in rank.values():
            cands.sort(key=lambda t: -t[0])
            keep.update(k for _, k in cands[: self.per_value])
        out = []
        for vkey, items in per_values.items():
            if vkey not in keep:
                continue
            items.sort(key=lambda t: -t[0])
            shown = items[: self.per_value_pair]
            if not any(_across(ctx, x, y) for _, x, y, _ in shown):
                # a translation is where figures drift most: the best pair
                # across two languages stands for it too
                shown += [t for t in items[self.per_value_pair :] if _across(ctx, t[1], t[2])][:1]
            # an article that gives both values contradicts itself: that pair
            # stands for it too, however alike other outlets' statements are
            shown += [
                t for t in items if t not in shown and t[1]["article_id"] == t[2]["article_id"]
            ]
            for _, x, y, reason in shown:
                s = sim_of[(x["claim_id"], y["claim_id"])]
                out.append(
                    self._finding(ctx, x, y, s, reason, prob[(x["claim_id"], y["claim_id"])])
                )
        return out

    def _finding(
        self,
        ctx: ClaimContext,
        x: dict[str, Any],
        y: dict[str, Any],
        sim: float,
        reason: str,
        probability: float | None = None,
    ) -> Finding:
        what = slot_words(x)
        ox, oy = ctx.outlet(x["article_id"]), ctx.outlet(y["article_id"])
        where = "within " + ox if x["article_id"] == y["article_id"] else f"{ox} vs {oy}"
        kind = Kind.NAME if x["slot"] == "plate" else Kind.NUMBER
        severity = Severity.HIGH
        note = ""
        update = False
        if x["slot"] == "plate":
            severity = Severity.LOW
        elif x["value_kind"] == "time":
            gap = abs((x["value_num"] or 0) - (y["value_num"] or 0))
            severity = Severity.LOW if gap <= 5 else Severity.MEDIUM
        elif x["qualifier"] != "exact" or y["qualifier"] != "exact":
            severity = Severity.MEDIUM
        elif probability is not None and probability < SURE_SAME_FACT:
            severity = Severity.MEDIUM  # the two may not be about one quantity
        if x["slot"] in RISING and x["article_id"] != y["article_id"]:
            px = ctx.article[x["article_id"]]["published"]
            py = ctx.article[y["article_id"]]["published"]
            if px and py and px != py:
                later, earlier = (x, y) if px > py else (y, x)
                if (later["value_num"] or 0) > (earlier["value_num"] or 0):
                    severity = Severity.LOW
                    update = True
                    le, ll = (
                        f"{ctx.outlet(c['article_id'])}, {(px if c is x else py).isoformat()}"
                        for c in (earlier, later)
                    )
                    note = (
                        f" It rose from {_shown(earlier)!r} ({le}) to {_shown(later)!r} ({ll}):"
                        " the later report gives the higher figure, most likely an update"
                        " between reports rather than a conflict."
                    )
        sx, sy = _shown(x), _shown(y)
        explanation = f"{what.capitalize()}: {sx!r} vs {sy!r} ({where}); {reason}.{note}"
        return Finding(
            kind=kind,
            severity=severity,
            score=min(1.0, 0.5 + sim / 2),
            a=ctx.where(x),
            b=ctx.where(y),
            a_hl=[[int(x["start"]), int(x["end"])]],
            b_hl=[[int(y["start"]), int(y["end"])]],
            explanation=explanation,
            evidence={
                "comparator": self.name,
                "slot": x["slot"],
                "a_value": x["value"],
                "a_qualifier": x["qualifier"],
                "b_value": y["value"],
                "b_qualifier": y["qualifier"],
                "similarity": round(sim, 4),
                "reason": reason,
                "same_fact_probability": None if probability is None else round(probability, 4),
                "update": update,
            },
            claim_id=ctx.groups.get(x["claim_id"]),
        )


def _shown(c: dict[str, Any]) -> str:
    """A value as the article wrote it, with its unit for a measure ("11 nautical mile")."""
    detail = c["detail"] if isinstance(c["detail"], dict) else json.loads(c["detail"] or "{}")
    unit = detail.get("unit") if c["value_kind"] == "measure" else None
    return f"{c['surface']} {unit}" if unit else str(c["surface"])
