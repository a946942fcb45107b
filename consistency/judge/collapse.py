"""At most two findings per disagreement: the same two values of one claim, told again.

A figure copied by many outlets gives a finding per pair of articles ("7.8" in
five articles against "7.5" in two is ten findings of one disagreement). After
calibration, :func:`collapse_repeats` keeps for each claim and pair of values
the :data:`KEEP` findings a reader is surest of (highest probability, the
stronger evidence first); the others are not lost: the first kept finding lists
their two sentences in its evidence (``also``: ``{"a": [article, sentence],
"b": [...]}``), where the report's claim table and every mention of the claim
also show them.

Two are kept rather than one: on the dev clusters, whose gold names one pair of
articles per divergence, keeping one finding per pair of values lost 11 of 77
found divergences (the strongest pair is often not the one annotated); keeping
two lost none, and cut the findings from 261 to 242 (fact tables: 415 -> 380,
the same facts found, precision unchanged at 0.66).

A finding of no claim (a weekday against its date, a name spelt two ways, one
vehicle given two makes) is grouped by its kind and the two values it sets side
by side (:func:`told_values`): one outlet that misspells a name the six others
spell right is one disagreement, not six. An article that gives both values
contradicts itself; that finding is kept apart from the same two values told
across outlets.

A claim given three or more figures is told as its steps: of "13", "14", "15",
"21" and "22" (a toll that rose report by report), the findings 13/14, 14/15,
15/21 and 21/22 stand for it, and 13/22, which those four already span, is
listed in the evidence of the claim's first finding instead of shown on its own
(:func:`spanned`), when each step is scored at least as high as the pair it
stands for; a figure that rises over time (an update, or a slot that rises:
:func:`~consistency.judge.confidence.may_be_update`) is told as its steps
whatever their scores. On the fact tables (leave one cluster out, measured in
two steps, each with the fold models of its time) the steps removed 14 findings
(6 correct repeats, 8 wrong) and then 16 more for the rising figures (15 correct
repeats, 1 wrong), and lost no fact; the dev clusters kept every item found.
"""

from __future__ import annotations

import json
import math
from typing import Any

import polars as pl

from consistency.judge.confidence import may_be_update
from consistency.types import DIVERGENCES

KEEP = 2
"""Findings kept per claim and pair of values."""


def value_pair(evidence: dict[str, Any]) -> frozenset[str] | None:
    """The two values a finding sets side by side (``a_value``/``b_value``), in no order."""
    a, b = evidence.get("a_value"), evidence.get("b_value")
    if a is None or b is None:
        return None
    return frozenset((str(a), str(b)))


def repeats(
    keys: list[tuple[str, frozenset[str]] | None], scores: list[float], keep: int = KEEP
) -> dict[int, int]:
    """Which findings are repeats: index -> the index of the first kept finding of its group.

    ``keys[i]`` is finding i's claim and pair of values (None: never a repeat); in each
    group the ``keep`` findings of highest score (the earlier on a tie) are kept.
    """
    order = sorted(range(len(keys)), key=lambda i: -scores[i])
    kept_in: dict[tuple[str, frozenset[str]], list[int]] = {}
    out: dict[int, int] = {}
    for i in order:
        key = keys[i]
        if key is None:
            continue
        group = kept_in.setdefault(key, [])
        if len(group) < keep:
            group.append(i)
        else:
            out[i] = group[0]
    return out


def told_values(evidence: dict[str, Any]) -> frozenset[str] | None:
    """The two values a finding sets side by side, in no order, or None.

    A claim's values (``a_value``/``b_value``), else the two names compared
    (``a_name``/``b_name``, lower case), else the facts read on each side
    (``a_facts``/``b_facts``: their keys and qualifiers, "2023-03-14 tuesday").
    """
    pair = value_pair(evidence)
    if pair is not None:
        return pair
    a, b = evidence.get("a_name"), evidence.get("b_name")
    if a and b:
        return frozenset((str(a).lower(), str(b).lower()))
    sides = []
    for side in ("a_facts", "b_facts"):
        facts = evidence.get(side) or []
        if not facts:
            return None
        sides.append(
            "; ".join(
                sorted(
                    f"{f.get('key') or f.get('surface')} {f.get('qualifier') or ''}".strip().lower()
                    for f in facts
                )
            )
        )
    return frozenset(sides)


def repeat_key(
    claim: str | None, evidence: dict[str, Any], has_b: bool, kind: str = ""
) -> tuple[str, frozenset[str]] | None:
    """A finding's disagreement: its claim and the pair of values it sets side by side;
    for a finding with no claim's values, its kind and the two values it names
    (:func:`told_values`); None when it has no b side or no two values."""
    pair = value_pair(evidence)
    if claim is None or pair is None:
        # no claim's values: two names or two dates, whichever comparator read them
        claim, pair = f"kind:{kind}", told_values(evidence)
    if pair is None or len(pair) != 2 or not has_b:
        return None
    return (claim, pair)


def figure(value: object) -> float | None:
    """A finding's value as a number, or None for a value that is no plain figure."""
    try:
        x = float(str(value))
    except ValueError:
        return None
    return x if x == x else None  # NaN is no figure


def spanned(
    keys: list[tuple[str, frozenset[str]] | None],
    scores: list[float],
    rising: list[bool] | None = None,
) -> set[int]:
    """Findings whose two figures other findings of their claim already join step by step.

    Finding i with figures lo < hi is spanned when its claim has findings on
    lo/v and v/hi for some v between them, each scored at least as high as i:
    the reader sees lo, v and hi side by side there. A weaker step (a figure
    that may belong to another quantity) spans nothing, unless ``rising[i]``: a
    figure that rises over time (a toll) is told as its steps however sure each
    step is, as the reports made it rise.
    """
    best: dict[str, dict[tuple[float, float], float]] = {}
    numeric: dict[int, tuple[str, float, float]] = {}
    for i, key in enumerate(keys):
        if key is None or len(key[1]) != 2:
            continue
        xs = [figure(v) for v in key[1]]
        if any(x is None for x in xs):
            continue
        lo, hi = sorted(x for x in xs if x is not None)
        have = best.setdefault(key[0], {})
        have[(lo, hi)] = max(have.get((lo, hi), scores[i]), scores[i])
        numeric[i] = (key[0], lo, hi)
    out = set()
    for i, (claim, lo, hi) in numeric.items():
        have = best[claim]
        floor = -math.inf if rising is not None and rising[i] else scores[i]
        for (a, v), s in have.items():
            second = have.get((v, hi))
            if a == lo and lo < v < hi and second is not None and min(s, second) >= floor:
                out.add(i)
                break
    return out


def collapse_repeats(divergences: pl.DataFrame, keep: int = KEEP) -> pl.DataFrame:
    """Keep at most ``keep`` findings per claim and pair of values (see the module docstring).

    Args:
        divergences: DIVERGENCES frame, scored.
        keep: findings kept per claim and pair of values.

    Returns:
        The frame without the repeats, rows in their order; the first kept finding
        of each collapsed group lists the others' sentences in its evidence.
    """
    DIVERGENCES.validate(divergences)
    if divergences.is_empty():
        return divergences
    rows = divergences.to_dicts()
    evidence = [json.loads(r["evidence"] or "{}") for r in rows]
    # an article that gives both values contradicts itself: its own disagreement,
    # never a repeat of the same two values told across outlets (a claim's
    # findings keep their comparator's choice: it already keeps such a pair)
    keys = [
        None
        if k is None
        else (
            k[0]
            + ("|within" if k[0].startswith("kind:") and r["a_article"] == r["b_article"] else ""),
            k[1],
        )
        for r, ev in zip(rows, evidence, strict=True)
        for k in [repeat_key(r["claim_id"], ev, r["b_article"] is not None, str(r["kind"]))]
    ]
    scores = [float(r["score"]) for r in rows]
    dropped = repeats(keys, scores, keep)
    kept = [k if i not in dropped else None for i, k in enumerate(keys)]
    steps = spanned(kept, scores, [may_be_update(ev) for ev in evidence])
    claim_first: dict[str, int] = {}
    for i in sorted(range(len(rows)), key=lambda i: -scores[i]):
        if kept[i] is not None and i not in steps:
            claim_first.setdefault(kept[i][0], i)  # type: ignore[index]
    for i in steps:
        dropped[i] = claim_first[kept[i][0]]  # type: ignore[index]
    if not dropped:
        return divergences
    for i, first in sorted(dropped.items(), key=lambda t: -float(rows[t[0]]["score"])):
        a, b = [rows[i]["a_article"], rows[i]["a_idx"]], [rows[i]["b_article"], rows[i]["b_idx"]]
        also: dict[str, Any] = {"a": a, "b": b}
        if i in steps:
            also["values"] = [evidence[i].get("a_value"), evidence[i].get("b_value")]
        evidence[first].setdefault("also", []).append(also)
    for first in set(dropped.values()):
        rows[first]["evidence"] = json.dumps(evidence[first], ensure_ascii=False, sort_keys=True)
    out = [r for i, r in enumerate(rows) if i not in dropped]
    return DIVERGENCES.validate(pl.DataFrame(out, schema=DIVERGENCES.polars_schema))
