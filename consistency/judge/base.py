"""What every comparator shares: the :class:`Finding` it returns and the context it reads.

A comparator is a small object with a ``name`` and a ``compare(ctx)`` method
that returns findings (:class:`ClaimComparator`); the judge runs a list of
them over one :class:`ClaimContext` and turns their findings into a
DIVERGENCES frame.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import polars as pl

from consistency.judge.explain import Explainer
from consistency.types import Kind, Severity


@dataclass
class Finding:
    """One divergence before it becomes a DIVERGENCES row.

    Attributes:
        kind: what it is about.
        severity: how urgent.
        score: 0..1, higher is more certain.
        a: (article id, sentence index) of the first side.
        b: the second side, or None for a single-article finding.
        a_hl: ``[start, end]`` spans to highlight on side a (original offsets).
        b_hl: the same for side b.
        explanation: one or two sentences for a reviewer.
        evidence: JSON-able details (values, scores, the claims compared).
        suppress_on_entail: drop it when NLI says both sentences entail each other.
        claim_id: the claim group it belongs to.
    """

    kind: Kind
    severity: Severity
    score: float
    a: tuple[str, int]
    b: tuple[str, int] | None
    a_hl: list[list[int]]
    b_hl: list[list[int]]
    explanation: str
    evidence: dict[str, Any]
    suppress_on_entail: bool = False
    claim_id: str | None = None


@dataclass
class ClaimContext:
    """What claim comparators read: the cluster's articles, sentences, claims and links.

    Attributes:
        articles: ARTICLES frame.
        sentences: SENTENCES frame.
        claims: CLAIMS frame.
        links: CLAIM_LINKS frame.
        groups: claim id -> claim group id (from ``group_claims``).
        explain: the language explanations are written in (English by default).
    """

    articles: pl.DataFrame
    sentences: pl.DataFrame
    claims: pl.DataFrame
    links: pl.DataFrame
    groups: dict[str, str] = field(default_factory=dict)
    explain: Explainer = field(default_factory=Explainer)

    @cached_property
    def article(self) -> dict[str, dict[str, Any]]:
        """article id -> ARTICLES row."""
        return {r["article_id"]: r for r in self.articles.iter_rows(named=True)}

    @cached_property
    def sentence(self) -> dict[tuple[str, int], dict[str, Any]]:
        """(article id, sentence index) -> SENTENCES row."""
        return {(r["article_id"], r["sent_idx"]): r for r in self.sentences.iter_rows(named=True)}

    @cached_property
    def claim(self) -> dict[str, dict[str, Any]]:
        """claim id -> CLAIMS row, its ``detail`` parsed."""
        out = {}
        for r in self.claims.iter_rows(named=True):
            r["detail"] = json.loads(r["detail"]) if r["detail"] else {}
            out[r["claim_id"]] = r
        return out

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Words written in lower case somewhere in the cluster's sentences (common words,
        not names); page furniture such as a tag line ("Tag: bandara sukamulya") is no
        sentence and counts for nothing."""
        from consistency.claims.entities import lowercase_words

        return lowercase_words(self.sentences["text"])

    def sentence_text(self, claim: dict[str, Any]) -> str:
        """The text of the sentence a claim is in ("" when unknown)."""
        row = self.sentence.get((claim["article_id"], claim["sent_idx"]))
        return row["text"] if row else ""

    def outlet(self, article_id: str) -> str:
        """The article's outlet, or its id when the outlet is unknown."""
        return (self.article.get(article_id) or {}).get("outlet") or article_id

    def where(self, claim: dict[str, Any]) -> tuple[str, int]:
        """The (article id, sentence index) a claim sits in."""
        return (claim["article_id"], claim["sent_idx"])


class ClaimComparator(Protocol):
    """Compares claims of one kind across the cluster and returns findings."""

    name: str

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """Findings for the claims and links in ``ctx``."""
        ...
