"""Claim identity: do two value mentions state the same fact? A learned pairwise model.

Every pair of value claims of one kind (counts with counts across their slots,
a measure with a measure of its slot, a time with a time) in a story is a
candidate. :func:`pair_features` describes a pair by what a reader weighs:
how alike the two statements are (their sentence embeddings), the words right
around the two values with the values masked, the counted noun, the slot cues,
the population, place and moment each names, whether each is a part, a
forecast, a change or a remainder, the two values themselves (equal, how far
apart), the units, whether the two are in one article, in a headline, in two
languages, how far apart the reports were published, how each ranks among the
other's candidates in its article, how many figures stand beside each value and
how many mentions repeat it, and what the hand-written rules say
(:func:`consistency.claims.same_fact.same_fact_rule`).

The model that reads these features
(:class:`consistency.claims.identity_trees.IdentityModel`: two gradient-boosted
tree ensembles, pairs that write one value and pairs that do not) is fitted by
``python -m consistency.training.identity_train`` on the fact tables (mentions of one
fact are positives, of different facts negatives), shipped as JSON and evaluated
with numpy alone (``claims/identity_trees.py``).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from consistency.claims.places import places_agree
from consistency.claims.times import TIME_AS_OF

FEATURES: tuple[str, ...] = (
    "sim",  # cosine of the two sentences' embeddings
    "window_sim",  # cosine of the embeddings of the words around each value, the value masked
    "context",  # Jaccard of the words within 40 characters of each value (values masked)
    "near",  # Jaccard of the two words either side of each value
    "next_same",  # the first word after the two values is the same (the counted noun)
    "prev_same",  # the word before the two values is the same (the cue)
    "same_slot",
    "generic",  # how many of the two have the generic slot "count" (0, 1, 2)
    "population_same",  # both name a population, the same one
    "population_one",  # only one names a population
    "population_differ",
    "subject_same",
    "subject_one",
    "subject_agree",  # the places allow one fact (unknown, same, or a total)
    "occurrence_differ",  # the main shock / an aftershock
    "forecast_differ",
    "change_differ",
    "remainder_any",
    "part_differ",
    "part_any",
    "zero_any",
    "events_jaccard",  # the moments two times name
    "events_one",  # only one time names its moment
    "as_of_any",  # a time a count was made
    "entry_any",  # a timeline entry
    "value_equal",
    "compatible",  # the two values can both hold
    "log_ratio",  # |log(x / y)|, capped at 5
    "exact_both",
    "unit_same",
    "same_article",
    "headline_any",
    "headline_both",
    "lead_both",  # each is its article's first figure of its slot
    "across_languages",
    "published_gap",  # days between the two articles' dates; -1 unknown
    "rank_max",  # the worse of the two ranks among each other's candidates in their article
    "rank_min",
    "candidates",  # how many candidates the side with more has in the other's article
    "rule",  # the hand-written rules' verdict (same_fact.same_fact_rule)
    "kind_count",
    "kind_measure",
    "kind_time",
    "figures_near_min",  # other figures within 60 characters of each value, the fewer
    "figures_near_max",  # ... the more ("367 passengers and 12 crew" breaks a total down)
    "support_min",  # other mentions in the story giving the same value, the fewer
    "support_max",
    "whole_any",  # one is the whole of "X dari Y" / "X of Y" (what happened is said of X)
    "sums_other",  # one value is the other plus the figures beside it ("379" / "367 ... dan 12")
)
"""The features of a pair, in the model's column order."""

MODEL_KINDS = ("count", "measure", "time")
"""Value kinds whose identity the model decides (ages and plates are named by their subject)."""

_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def claim_detail(row: dict[str, Any]) -> dict[str, Any]:
    """A CLAIMS row's ``detail`` JSON, parsed once and kept on the row."""
    d = row.get("_detail")
    if d is None:
        d = json.loads(row["detail"]) if row["detail"] else {}
        row["_detail"] = d
    return d


@dataclass(frozen=True)
class PairContext:
    """What :func:`pair_features` reads besides the two claims.

    Attributes:
        sentence: (article id, sentence index) -> (sentence start offset, its text).
        sim: two claims -> the cosine of their sentences.
        language: article id -> language code (or None).
        published: article id -> publication date (or None).
        rule: two claims -> the hand-written rules' verdict.
        headline: (article id, sentence index) -> whether the sentence is a headline.
        window: claim id -> the unit embedding of its masked window (:func:`claim_windows`).
    """

    sentence: dict[tuple[str, int], tuple[int, str]]
    sim: Callable[[dict[str, Any], dict[str, Any]], float]
    language: dict[str, str | None]
    published: dict[str, date | None]
    rule: Callable[[dict[str, Any], dict[str, Any]], bool]
    headline: Callable[[tuple[str, int]], bool]
    window: dict[str, np.ndarray] | None = None


def _around(row: dict[str, Any], ctx: PairContext, width: int) -> tuple[list[str], list[str]]:
    base, text = ctx.sentence.get((row["article_id"], row["sent_idx"]), (0, ""))
    a, b = row["start"] - base, row["end"] - base
    before = [w.lower() for w in _WORD_RE.findall(text[max(0, a - width) : max(0, a)])]
    after = [w.lower() for w in _WORD_RE.findall(text[b : b + width])]
    return before, after


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _events(row: dict[str, Any]) -> set[str]:
    return set(claim_detail(row).get("events") or ())


def pair_features(
    x: dict[str, Any],
    y: dict[str, Any],
    ctx: PairContext,
    ranks: tuple[int, int, int],
    lead: bool,
    compatible: bool,
    sim: float,
) -> list[float]:
    """The :data:`FEATURES` of one candidate pair, in order.

    Args:
        x, y: CLAIMS rows (dicts).
        ctx: the story's sentences, similarities and articles.
        ranks: (x's rank among y's candidates in x's article, y's among x's in
            y's article, the larger candidate count).
        lead: both are their article's first figure of their slot.
        compatible: whether the two values can both hold.
        sim: the cosine of the two sentences (``ctx.sim``, computed once by the caller).
    """
    dx, dy = claim_detail(x), claim_detail(y)
    return [
        *_wording_features(x, y, ctx, sim),
        *_subject_features(x, y, dx, dy),
        *_reading_features(x, y, dx, dy),
        *_value_features(x, y, dx, dy, compatible),
        *_placement_features(x, y, ctx, ranks, lead),
        float(ctx.rule(x, y)),
        float(x["value_kind"] == "count"),
        float(x["value_kind"] == "measure"),
        float(x["value_kind"] == "time"),
    ]


def _wording_features(
    x: dict[str, Any], y: dict[str, Any], ctx: PairContext, sim: float
) -> list[float]:
    """How alike the two statements and the words around the two values are."""
    bx, ax = _around(x, ctx, 40)
    by, ay = _around(y, ctx, 40)
    wx = ctx.window.get(x["claim_id"]) if ctx.window else None
    wy = ctx.window.get(y["claim_id"]) if ctx.window else None
    return [
        sim,
        float(wx @ wy) if wx is not None and wy is not None else 0.0,
        _jaccard(set(bx + ax), set(by + ay)),
        _jaccard(set(bx[-2:] + ax[:2]), set(by[-2:] + ay[:2])),
        float(bool(ax and ay and ax[0] == ay[0])),
        float(bool(bx and by and bx[-1] == by[-1])),
    ]


def _subject_features(
    x: dict[str, Any], y: dict[str, Any], dx: dict[str, Any], dy: dict[str, Any]
) -> list[float]:
    """Whether the two slots, populations and subjects (places) agree."""
    px, py = dx.get("population"), dy.get("population")
    sx, sy = x["subject"], y["subject"]
    return [
        float(x["slot"] == y["slot"]),
        float((x["slot"] == "count") + (y["slot"] == "count")),
        float(bool(px and py and px == py)),
        float(bool(px) != bool(py)),
        float(bool(px and py and px != py)),
        float(bool(sx and sy and sx == sy)),
        float(bool(sx) != bool(sy)),
        float(places_agree(sx, sy)),
    ]


def _reading_features(
    x: dict[str, Any], y: dict[str, Any], dx: dict[str, Any], dy: dict[str, Any]
) -> list[float]:
    """How each value is read: which shock, a forecast, a change, a part, a zero, its moment."""
    ex, ey = _events(x), _events(y)
    return [
        float(dx.get("occurrence") != dy.get("occurrence")),
        float(bool(dx.get("forecast")) != bool(dy.get("forecast"))),
        float(bool(dx.get("change")) != bool(dy.get("change"))),
        float(bool(dx.get("remainder")) or bool(dy.get("remainder"))),
        float(bool(dx.get("part")) != bool(dy.get("part"))),
        float(bool(dx.get("part")) or bool(dy.get("part"))),
        float(bool(dx.get("zero")) or bool(dy.get("zero"))),
        _jaccard(ex, ey),
        float(bool(ex) != bool(ey)),
        float(TIME_AS_OF in ex | ey),
        float(bool(dx.get("entry")) or bool(dy.get("entry"))),
    ]


def _log_ratio(x: dict[str, Any], y: dict[str, Any]) -> float:
    """How far apart the two values are: ``|log(x / y)|``, capped at 5."""
    nx, ny = x["value_num"], y["value_num"]
    if nx is not None and ny is not None and nx > 0 and ny > 0:
        return min(5.0, abs(math.log(nx / ny)))
    if nx is not None and ny is not None:
        return 0.0 if nx == ny else 5.0
    return 0.0 if x["value"] == y["value"] else 5.0


def _value_features(
    x: dict[str, Any],
    y: dict[str, Any],
    dx: dict[str, Any],
    dy: dict[str, Any],
    compatible: bool,
) -> list[float]:
    """The two values themselves: equal, able to both hold, how far apart, exact, one unit."""
    return [
        float(x["value"] == y["value"]),
        float(compatible),
        _log_ratio(x, y),
        float((x["qualifier"] or "exact") == (y["qualifier"] or "exact") == "exact"),
        float(dx.get("unit") == dy.get("unit")),
    ]


def _placement_features(
    x: dict[str, Any], y: dict[str, Any], ctx: PairContext, ranks: tuple[int, int, int], lead: bool
) -> list[float]:
    """Where the two stand: one article, headlines, lead figures, languages, dates, ranks."""
    pa, pb = ctx.published.get(x["article_id"]), ctx.published.get(y["article_id"])
    la, lb = ctx.language.get(x["article_id"]), ctx.language.get(y["article_id"])
    hx = ctx.headline((x["article_id"], x["sent_idx"]))
    hy = ctx.headline((y["article_id"], y["sent_idx"]))
    return [
        float(x["article_id"] == y["article_id"]),
        float(hx or hy),
        float(hx and hy),
        float(lead),
        float(bool(la and lb and la != lb)),
        float(abs((pa - pb).days)) if pa and pb else -1.0,
        float(max(ranks[0], ranks[1])),
        float(min(ranks[0], ranks[1])),
        float(ranks[2]),
    ]


WINDOW_WORDS = 8
"""Words either side of a value in its masked window."""

VALUE_MASK = "#"
"""What stands for the value in its window."""


def claim_windows(
    claims: Sequence[dict[str, Any]], sentence: dict[tuple[str, int], tuple[int, str]]
) -> dict[str, str]:
    """Claim id -> the words around its value, the value masked ("korban tewas mencapai # orang").

    Only the model's kinds. Two windows that read alike say the same thing of a
    figure, whatever the figure.
    """
    out = {}
    for r in claims:
        if r["value_kind"] not in MODEL_KINDS:
            continue
        base, text = sentence.get((r["article_id"], r["sent_idx"]), (0, ""))
        a, b = r["start"] - base, r["end"] - base
        before = text[: max(0, a)].split()[-WINDOW_WORDS:]
        after = text[max(0, b) :].split()[:WINDOW_WORDS]
        out[r["claim_id"]] = " ".join([*before, VALUE_MASK, *after])
    return out


def window_texts(claims: pl.DataFrame, sentences: pl.DataFrame) -> dict[str, str]:
    """:func:`claim_windows` of a CLAIMS frame over its SENTENCES frame."""
    where = {
        (a, i): (start, text)
        for a, i, start, text in sentences.select(
            "article_id", "sent_idx", "start", "text"
        ).iter_rows()
    }
    return claim_windows(claims.to_dicts(), where)


NEAR_CHARS = 60
"""How close another figure must stand to count as beside a value."""


def figure_context(
    rows: Sequence[dict[str, Any]],
) -> tuple[dict[str, int], dict[str, int], dict[str, set[float]]]:
    """Per claim id: how many other figures stand within :data:`NEAR_CHARS` of it in
    its sentence (a breakdown or a list), how many other mentions in the story give
    its value (a figure many outlets repeat, or one stated once), and the totals its
    count makes with the counts beside it (itself plus one of them, or plus all):
    "367 penumpang dan 12 awak" makes 379, the "379 penumpang dan awak" of another
    outlet, a whole and not a rival figure."""
    figures = [r for r in rows if r["value_kind"] in MODEL_KINDS]
    by_sentence: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    same: dict[tuple[str, str], int] = defaultdict(int)
    for r in figures:
        by_sentence[(r["article_id"], r["sent_idx"])].append(r)
        same[(r["value_kind"], r["value"])] += 1
    beside = {
        r["claim_id"]: [
            o
            for o in by_sentence[(r["article_id"], r["sent_idx"])]
            if o is not r and abs(o["start"] - r["start"]) <= NEAR_CHARS
        ]
        for r in figures
    }
    near = {cid: len(os_) for cid, os_ in beside.items()}
    support = {r["claim_id"]: same[(r["value_kind"], r["value"])] - 1 for r in figures}
    totals: dict[str, set[float]] = {}
    for r in figures:
        counts = [
            float(o["value_num"])
            for o in beside[r["claim_id"]]
            if o["value_kind"] == "count" and o["value_num"] is not None
        ]
        if r["value_kind"] != "count" or r["value_num"] is None or not counts:
            totals[r["claim_id"]] = set()
            continue
        own = float(r["value_num"])
        totals[r["claim_id"]] = {own + c for c in counts} | {own + sum(counts)}
    return near, support, totals


def candidate_pairs(
    rows: Sequence[dict[str, Any]],
    ctx: PairContext,
    compatible: Callable[[dict[str, Any], dict[str, Any]], bool],
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], np.ndarray]:
    """Every candidate pair of the model's kinds (each once) and its feature matrix.

    Two claims are candidates when they are of one value kind, of one slot (counts
    of any slot meet), not in one sentence, and both give a figure: the features
    read figures, so a measure given only as text ("the ash column's height could
    not be observed") is left to the rules.
    """
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["value_kind"] in MODEL_KINDS and r["value_num"] is not None:
            groups["count" if r["value_kind"] == "count" else r["slot"]].append(r)
    lead: set[str] = set()
    seen_lead: set[tuple[str, str]] = set()
    for r in sorted(rows, key=lambda r: (r["article_id"], r["start"])):
        if r["value_kind"] == "count" and (r["article_id"], r["slot"]) not in seen_lead:
            seen_lead.add((r["article_id"], r["slot"]))
            lead.add(r["claim_id"])
    near, support, totals = figure_context(rows)
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for group in groups.values():
        for i, x in enumerate(group):
            for y in group[i + 1 :]:
                if x["article_id"] == y["article_id"] and x["sent_idx"] == y["sent_idx"]:
                    continue
                pairs.append((x, y))
    if not pairs:
        return [], np.zeros((0, len(FEATURES)), dtype=np.float32)
    # each claim's candidates in every other article, ranked by how alike the statements are
    score = {}
    per: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for x, y in pairs:
        s = ctx.sim(x, y)
        score[(x["claim_id"], y["claim_id"])] = s
        per[(x["claim_id"], y["article_id"])].append((s, y["claim_id"]))
        per[(y["claim_id"], x["article_id"])].append((s, x["claim_id"]))
    rank: dict[tuple[str, str], int] = {}
    size: dict[tuple[str, str], int] = {}
    for (cid, art), cands in per.items():
        cands.sort(key=lambda t: -t[0])
        for n, (_, other) in enumerate(cands):
            rank[(cid, other)] = n
        size[(cid, art)] = len(cands)
    out = []
    for x, y in pairs:
        ranks = (
            rank[(y["claim_id"], x["claim_id"])],
            rank[(x["claim_id"], y["claim_id"])],
            max(size[(x["claim_id"], y["article_id"])], size[(y["claim_id"], x["article_id"])]),
        )
        both_lead = x["claim_id"] in lead and y["claim_id"] in lead and x["slot"] == y["slot"]
        s = score[(x["claim_id"], y["claim_id"])]
        row = pair_features(x, y, ctx, ranks, both_lead, compatible(x, y), s)
        nx, ny = near[x["claim_id"]], near[y["claim_id"]]
        sx, sy = support[x["claim_id"]], support[y["claim_id"]]
        whole = bool(claim_detail(x).get("whole")) or bool(claim_detail(y).get("whole"))
        sums = _sums(x, totals[y["claim_id"]]) or _sums(y, totals[x["claim_id"]])
        out.append(
            [*row, min(nx, ny), max(nx, ny), min(sx, sy), max(sx, sy), float(whole), float(sums)]
        )
    return pairs, np.asarray(out, dtype=np.float32)


def _sums(row: dict[str, Any], totals: set[float]) -> bool:
    """Whether ROW's count is one of the totals another count makes with its neighbours."""
    return (
        row["value_kind"] == "count"
        and row["value_num"] is not None
        and float(row["value_num"]) in totals
    )
