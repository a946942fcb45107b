"""Matching value claims: how close two statements must be, and which match is best.

:func:`~consistency.claims.link.link_claims` links each value claim with its best
match in every article. :class:`LinkConfig` holds its thresholds (cosines of the
two sentences' embeddings); :func:`pair_threshold` is the similarity a pair of
claims needs, by slot, kind, moment and article; :func:`match_score` ranks the
candidates: the statements' similarity plus the overlap of the words right
around the two values (:func:`context_overlap`), so that of two magnitudes in
one article the one said of the same shock is chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from consistency.claims.identity import claim_detail
from consistency.claims.rows import headline_like


@dataclass(frozen=True)
class LinkConfig:
    """Thresholds of :func:`~consistency.claims.link.link_claims` (cosines of e5 embeddings).

    e5's cosines are compressed: unrelated sentences of one story sit near
    0.80 to 0.85, paraphrases and translations above 0.90.
    """

    typed: float = 0.78  # a status or measure slot named by a cue
    untyped: float = 0.86  # a count named only by the word after it
    time: float = 0.80  # two times of the same named moment ("lepas landas", "took off")
    time_unnamed: float = 0.86  # two times whose moment no cue names
    same_article_extra: float = 0.04  # inside one article, be stricter
    statement: float = 0.92  # two statements credited to speakers
    statement_worded: float = 0.84  # ... or this close and sharing their distinctive words
    statement_words: float = 0.3  # share of the rarer side's word weight held in common
    statement_k: int = 12  # neighbours per sentence searched
    measure_tolerance: float = 0.03  # unit conversions ("11 miles (17.9 km)")
    context_weight: float = 0.1  # weight of the words around the values in choosing a match
    headline_penalty: float = 0.02  # in choosing among mentions, a headline yields to the body
    one_way: float = 0.90  # a best match that is not mutual still links from this similarity
    lead: float = (
        0.70  # two outlets' headline figures of one slot: only a guard against another story
    )


MEASURE_DIMENSIONS = ("length", "duration", "percent")
"""Slots of a measure read only from its unit: what it measures is not named."""

WORD_RE = re.compile(r"[^\W\d_]{3,}")
"""A word of three letters or more (no figures)."""


def facet(row: dict[str, Any]) -> str | None:
    """The population a claim counts or measures ("students", "climbers"), if it names one."""
    return claim_detail(row).get("population")


def _context_words(row: dict[str, Any], sent_text: dict[Any, tuple[int, str]]) -> set[str]:
    """The words (no figures) within 40 characters either side of the value."""
    base, text = sent_text.get((row["article_id"], row["sent_idx"]), (0, ""))
    a, b = row["start"] - base, row["end"] - base
    return {w.lower() for w in WORD_RE.findall(text[max(0, a - 40) : a] + " " + text[b : b + 40])}


def context_overlap(
    x: dict[str, Any], y: dict[str, Any], sent_text: dict[Any, tuple[int, str]]
) -> float:
    """Jaccard overlap of the words around two values: the value's own context, masked."""
    wx, wy = _context_words(x, sent_text), _context_words(y, sent_text)
    if not wx or not wy:
        return 0.0
    return len(wx & wy) / len(wx | wy)


def slot_threshold(row: dict[str, Any], cfg: LinkConfig) -> float | None:
    """The similarity a claim of this slot and kind needs (None: its subject names the fact)."""
    if row["value_kind"] in ("age", "plate"):
        return None
    if row["value_kind"] in ("time", "daypart"):
        return cfg.time
    if row["slot"] == "count" and not facet(row):
        return cfg.untyped
    if row["value_kind"] == "measure" and row["slot"] in MEASURE_DIMENSIONS:
        return cfg.untyped  # "2.891 meter": a length no cue names (height? distance?)
    return cfg.typed


def pair_threshold(x: dict[str, Any], y: dict[str, Any], cfg: LinkConfig) -> float | None:
    """The similarity the statements of ``x`` and ``y`` need (None: the subject names the fact)."""
    thr = slot_threshold(x, cfg)
    if (claim_detail(x).get("zero") or claim_detail(y).get("zero")) and facet(x):
        # "tidak ada WNI yang menjadi korban" / "dua WNI ... menjadi
        # korban": the group named is the fact, however worded
        thr = None
    if x["value_kind"] == "time" and not (x["subject"] or y["subject"]):
        thr = cfg.time_unnamed
    if thr is not None and y["article_id"] == x["article_id"]:
        thr += cfg.same_article_extra
    return thr


def match_score(
    x: dict[str, Any],
    y: dict[str, Any],
    s: float,
    cfg: LinkConfig,
    sent_text: dict[tuple[str, int], tuple[int, str]],
) -> float | None:
    """How well ``y`` matches ``x``, their statements ``s`` alike; None under the threshold."""
    thr = pair_threshold(x, y, cfg)
    if thr is not None and s < thr:
        return None
    score = s + cfg.context_weight * context_overlap(x, y, sent_text)
    if x["value_kind"] == "age":
        # whose age: of two people with alike names ("Muhammad Teguh Adan",
        # "Muhammad Adan"), the one whose name is most like it
        score += fuzz.ratio(x["subject"], y["subject"]) / 100
    if headline_like(sent_text.get((y["article_id"], y["sent_idx"]), (0, ""))[1]):
        score -= cfg.headline_penalty  # a reviewer quotes the body
    return score
