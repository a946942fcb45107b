"""Figures only one outlet reports: a bounded estimate no other article corroborates.

The claim matrix shows which outlet alone gives a figure; a ``unique``
finding (low severity) is kept only for a bounded or approximate estimate
("lebih dari 30 rudal") of a slot and population no other article gives,
and never for a figure in a headline (the body it sums up gives it too).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from consistency.claims.rows import headline_like
from consistency.judge.base import Finding as _Finding
from consistency.judge.explain import quoted
from consistency.judge.facts_view import FactsView, facts_compatible
from consistency.types import Kind, Severity


def reported_elsewhere(
    claims: pl.DataFrame, links: pl.DataFrame | None = None
) -> set[tuple[str, int, int]]:
    """Spans of count and measure claims whose slot (and population) another article also gives,
    or that the claims link, as one fact that can hold, to a figure of another article.

    Such a figure is corroborated or contradicted by the claim comparators and
    shown in the claim matrix; it is not "reported by one outlet only" ("Some 23
    houses" beside another outlet's "23 rumah rusak berat": the claims link them,
    the facts' words differ by language).
    """
    out: set[tuple[str, int, int]] = set()
    if links is not None and not links.is_empty():
        rows = claims.select("claim_id", "article_id", "start", "end").iter_rows()
        span = {cid: (aid, int(a), int(b)) for cid, aid, a, b in rows}
        for x, y in links.filter(pl.col("compatible")).select("a_claim", "b_claim").iter_rows():
            sx, sy = span.get(x), span.get(y)
            if sx is not None and sy is not None and sx[0] != sy[0]:
                out |= {sx, sy}
    vals = claims.filter(pl.col("value_kind").is_in(["count", "measure"]))
    if vals.is_empty():
        return out
    key = (
        pl.col("slot")
        + "|"
        + pl.col("detail").str.extract(r'"population": "([^"]*)"').fill_null("")
    )
    vals = vals.with_columns(key.alias("_k"))
    n_articles = vals.group_by("_k").agg(pl.col("article_id").n_unique().alias("_n"))
    many = vals.join(n_articles, on="_k").filter((pl.col("_n") >= 2) & (pl.col("slot") != "count"))
    return out | set(zip(many["article_id"], many["start"], many["end"], strict=True))


class UniqueFigures(FactsView):
    """Unique-figure findings (a mixin of the rule judge)."""

    def _unique_findings(
        self,
        compared: set[tuple[str, int, int]],
        claims_given: bool = False,
        elsewhere: set[tuple[str, int, int]] | None = None,
    ) -> list[_Finding]:
        """Counted quantities no other article corroborates (and no number finding covers).

        With claims, the claim matrix already shows which outlet alone gives a
        figure; a finding is kept only for a bounded or approximate estimate
        ("lebih dari 30 rudal") that no other article corroborates.
        """
        cfg = self.config
        nums = [f for f in self._all("number") if f["key"]]
        out: list[_Finding] = []
        told: set[tuple[str, Any, Any]] = set()
        for x in nums:
            if (x["article_id"], x["start"], x["end"]) in compared:
                continue
            if (x["article_id"], x["value_num"], x["key"]) in told:
                continue  # the headline and the print headline say it again: one finding
            if any(
                art == x["article_id"] and a < x["end"] and x["start"] < b
                for art, a, b in elsewhere or ()
            ):
                continue
            if claims_given and x["qualifier"] in ("exact", "vague"):
                continue
            if headline_like(self._sents.get((x["article_id"], x["sent_idx"]), {}).get("text", "")):
                continue  # a headline sums up its body ("Over 22 Still Missing"): the body tells
            if x["qualifier"] == "exact" and float(x["value_num"]) < cfg.unique_min_value:
                continue
            others = [y for y in nums if y["article_id"] != x["article_id"]]
            same_key = [y for y in others if y["key"] == x["key"]]
            if any(facts_compatible(x, y, cfg.about_tolerance) for y in same_key):
                continue
            if claims_given and same_key:
                continue  # others give this quantity: the claim comparators judge it
            told.add((x["article_id"], x["value_num"], x["key"]))
            key = (x["article_id"], x["sent_idx"])
            out.append(
                self._from_facts(
                    Kind.UNIQUE,
                    Severity.LOW,
                    0.4 if x["qualifier"] != "vague" else 0.3,
                    key,
                    None,
                    [x],
                    [],
                    self._only_here(x, same_key),
                    "unique_number",
                )
            )
        # one finding per sentence
        by_sent: dict[tuple[str, int], _Finding] = {}
        for f in out:
            if f.a in by_sent:
                prev = by_sent[f.a]
                prev.a_hl += f.a_hl
                prev.evidence["a_facts"] += f.evidence["a_facts"]
                ex = self.explain.speaking("unique_many")
                prev.explanation = ex.text(
                    "unique_many",
                    outlet=self._outlet(f.a[0]),
                    figures=ex.join([quoted(e["surface"]) for e in prev.evidence["a_facts"]]),
                )
            else:
                by_sent[f.a] = f
        return list(by_sent.values())

    def _only_here(self, x: dict[str, Any], same_key: list[dict[str, Any]]) -> str:
        """The explanation of a figure only one outlet gives, with what others give instead."""
        ex = self.explain.speaking("unique")
        others = [
            ex.text(
                "unique_other", figure=quoted(y["surface"]), outlet=self._outlet(y["article_id"])
            )
            for y in same_key[:3]
        ]
        return ex.text(
            "unique",
            outlet=self._outlet(x["article_id"]),
            figure=quoted(x["surface"]),
            others=ex.text("unique_others", figures=ex.join(others)) if others else "",
        )
