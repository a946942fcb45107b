"""How sure a finding is: a probability that a fact-checker would call it a real disagreement.

The comparators raise candidate findings with rule scores and severities that
were tuned on nine clusters and run backwards on other pages. A
:class:`ConfidenceModel` (a logistic regression, trained by
``python -m consistency.training.confidence_train`` on the fact tables' verdicts of the
candidate findings: correct against equivalent, wrong pair or off the table)
reads each candidate's :data:`FEATURES` and gives the probability that it is
correct. :func:`calibrate` makes that probability the finding's ``score``,
derives its severity from it (:data:`SEVERITY_FLOORS`) and drops what falls
under the model's reporting threshold; the rule score and severity stay in the
evidence (``rule_score``, ``rule_severity``).

The model ships as JSON in ``consistency/models/shipped/confidence/`` with its card and is
evaluated with numpy.
``CONSISTENCY_CONFIDENCE_MODEL=PATH`` uses another file, ``off`` keeps the rule
scores.
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from consistency.claims.slot_table import names_where
from consistency.config import CONFIDENCE_MODEL_DIR
from consistency.judge.config import JudgeConfig
from consistency.judge.pair_numbers import rises
from consistency.types import Kind, Severity

MODEL_ENV = "CONSISTENCY_CONFIDENCE_MODEL"

COMPARATORS: tuple[str, ...] = (
    "values",
    "attribution",
    "names",
    "name",
    "unique_number",
    "weekday_conflict",
    "weekday_calendar",
    "date_typo",
    "day_typo",
    "date",
    "other_year",
    "breakdown_sum",
    "grades",
    "vehicles",
    "titles",
    "quotes",
    "polarity",
    "nli",
    "number",
)
"""The comparators a finding's evidence may name (anything else is ``other``)."""

KINDS: tuple[str, ...] = tuple(k.value for k in Kind)

_SEVERITY_RANK = {Severity.LOW.value: 0.0, Severity.MEDIUM.value: 1.0, Severity.HIGH.value: 2.0}

FEATURES: tuple[str, ...] = (
    *(f"kind_{k}" for k in KINDS),
    *(f"comparator_{c}" for c in COMPARATORS),
    "comparator_other",
    "rule_severity",  # 0 low, 1 medium, 2 high
    "rule_score",
    "same_fact_probability",  # the claim-identity model's P for the two values; -1 none
    "similarity",  # the two sentences' cosine; -1 none
    "nli_contradiction",  # the larger of the two directions; -1 not scored
    "nli_entailment",
    "overlap",  # word overlap of the two sentences; -1 none
    "one_sided",
    "same_article",
    "across_languages",
    "both_exact",  # both values exact figures; -1 not a value pair
    "log_ratio",  # |log(a / b)| of two figures, capped at 5; -1 none
    "values_apart",  # the values are written alike (1) or not (0); -1 none
    "published_gap",  # days between the two articles' dates; -1 unknown
    "first_sentence",  # a side is its article's first sentence (a headline)
    "sentence_index",  # the earlier side's sentence index, capped at 40
    "same_claim",  # findings of the story on this finding's claim group
    "claim_rank",  # its rank among them by rule score (0 the strongest)
    "same_sentence",  # findings of the story that share this finding's first side
    "kind_share",  # findings of its kind in the story, per article
    "reason_exact",  # the values' reading: two exact figures
    "reason_approximate",  # ... approximate figures
    "reason_bound",  # ... a figure under or over a bound
    "reason_apart",  # ... times some minutes apart
    "reason_later",  # a later report gives the higher figure (an update; not the explanation)
    "sides_state_both",  # of the two sides' articles, how many give both values; -1 none
    "support_min",  # share of the story's articles giving the less-given of the two values; -1
    "support_max",  # ... the more-given; -1 none
)
"""The features of a candidate finding, in the model's column order."""


def _evidence(raw: str | None) -> dict[str, Any]:
    try:
        got = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return got if isinstance(got, dict) else {}


def _number(text: object) -> float | None:
    try:
        return float(str(text).replace(",", "."))
    except (TypeError, ValueError):
        return None


def later_higher(evidence: dict[str, Any], a_published: Any, b_published: Any) -> bool:
    """Whether a finding is a later report giving the higher figure: an update, not a conflict.

    The value comparator marks it (``update``); the aligned-pair one
    (:func:`~consistency.judge.pair_numbers.rises`) is read from its figures and the
    two articles' dates. Read from the evidence, never from the explanation, whose
    words depend on the language asked for.
    """
    if evidence.get("update") is True:
        return True
    fa, fb = evidence.get("a_facts"), evidence.get("b_facts")
    if evidence.get("comparator") != "number" or not fa or not fb:
        return False
    x, y = fa[0], fb[0]
    if x.get("value_num") is None or y.get("value_num") is None:
        return False
    rising = JudgeConfig().rising_units
    return rises(x.get("key"), x["value_num"], y["value_num"], a_published, b_published, rising)


def value_key(value: object) -> str:
    """A value as the claims and a finding's evidence both write it ("14:53+7" -> "14:53")."""
    return str(value).split("+")[0]


def stated_values(claims: pl.DataFrame | None) -> dict[str, set[str]]:
    """article id -> the values its counts, measures and times give (:func:`value_key`)."""
    out: dict[str, set[str]] = {}
    if claims is None or claims.is_empty():
        return out
    kinds = ("count", "measure", "time")
    for aid, kind, value in claims.select("article_id", "value_kind", "value").iter_rows():
        if kind in kinds and value is not None:
            out.setdefault(aid, set()).add(value_key(value))
    return out


def states_both(
    ev: dict[str, Any], sides: tuple[str, str | None], stated: dict[str, set[str]]
) -> float:
    """How many of the two sides' articles give both values of a finding (-1: no two values).

    An outlet that gives both figures itself mostly tells two things apart (two
    quakes, the passengers and everyone aboard) or an update; on the fact
    tables, number findings with a side whose article gives both were less
    often right (34 of 75) than the others (122 of 163). How many other
    articles give both was tried as well and added nothing (left out, AUC
    0.727 against 0.726 with it).
    """
    if ev.get("a_value") is None or ev.get("b_value") is None or not stated:
        return -1.0
    pair = {value_key(ev["a_value"]), value_key(ev["b_value"])}
    if len(pair) < 2:
        return -1.0
    return float(sum(1 for a in {a for a in sides if a} if pair <= stated.get(a, set())))


def finding_features(
    divergences: pl.DataFrame, articles: pl.DataFrame, claims: pl.DataFrame | None = None
) -> np.ndarray:
    """The :data:`FEATURES` of every DIVERGENCES row (one story's candidates), in order.

    ``claims``: the story's CLAIMS frame, for which articles give both values of a
    finding (without it those two features read as not applying).
    """
    if divergences.is_empty():
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    stated = stated_values(claims)
    language = dict(zip(articles["article_id"], articles["language"], strict=True))
    published = dict(zip(articles["article_id"], articles["published"], strict=True))
    rows = divergences.to_dicts()
    per_claim = Counter(r["claim_id"] for r in rows if r["claim_id"])
    firsts = Counter((r["a_article"], r["a_idx"]) for r in rows)
    kinds = Counter(r["kind"] for r in rows)
    n_articles = max(1, articles.height)
    rank: dict[int, int] = {}
    by_claim: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r["claim_id"]:
            by_claim.setdefault(r["claim_id"], []).append(i)
    for members in by_claim.values():
        for n, i in enumerate(sorted(members, key=lambda i: -float(rows[i]["score"]))):
            rank[i] = n
    out = []
    for i, r in enumerate(rows):
        ev = _evidence(r["evidence"])
        comparator = ev.get("comparator")
        nli = ev.get("nli") if isinstance(ev.get("nli"), dict) else None
        a, b = r["a_article"], r["b_article"]
        log_ratio = values_log_ratio(ev)
        qa, qb = ev.get("a_qualifier"), ev.get("b_qualifier")
        pa, pb = published.get(a), published.get(b) if b else None
        reason = str(ev.get("reason") or "")
        idx = [x for x in (r["a_idx"], r["b_idx"]) if x is not None]
        la, lb = language.get(a), language.get(b) if b else None
        out.append(
            [
                *(float(r["kind"] == k) for k in KINDS),
                *(float(comparator == c) for c in COMPARATORS),
                float(comparator not in COMPARATORS),
                _SEVERITY_RANK.get(r["severity"], 0.0),
                float(r["score"]),
                float(ev.get("same_fact_probability", -1.0) or -1.0),
                float(ev.get("similarity", -1.0) or -1.0),
                max(float(nli.get("ab_contra", 0)), float(nli.get("ba_contra", 0)))
                if nli
                else -1.0,
                max(float(nli.get("ab_entail", 0)), float(nli.get("ba_entail", 0)))
                if nli
                else -1.0,
                float(ev.get("overlap", -1.0) or -1.0),
                float(b is None),
                float(b is not None and a == b),
                float(bool(la and lb and la != lb)),
                float(qa == qb == "exact") if qa and qb else -1.0,
                log_ratio,
                float(ev.get("a_value") == ev.get("b_value")) if "a_value" in ev else -1.0,
                float(abs((pa - pb).days)) if pa and pb else -1.0,
                float(0 in idx),
                float(min(min(idx), 40)) if idx else -1.0,
                float(per_claim[r["claim_id"]]) if r["claim_id"] else 0.0,
                float(rank.get(i, 0)),
                float(firsts[(a, r["a_idx"])]),
                kinds[r["kind"]] / n_articles,
                float("exact" in reason),
                float("approximate" in reason),
                float("bound" in reason),
                float("apart" in reason),
                float(later_higher(ev, pa, pb)),
                states_both(ev, (a, b), stated),
                *value_support(ev, stated, n_articles),
            ]
        )
    return np.asarray(out, dtype=np.float32)


def values_log_ratio(ev: dict[str, Any]) -> float:
    """``|log(a / b)|`` of a finding's two figures, capped at 5; -1 when it has no two."""
    va, vb = _number(ev.get("a_value")), _number(ev.get("b_value"))
    if va is not None and vb is not None and va > 0 and vb > 0:
        return min(5.0, abs(math.log(va / vb)))
    return -1.0


def value_support(ev: dict[str, Any], stated: dict[str, set[str]], n: int) -> tuple[float, float]:
    """The shares of the story's articles that give each of a finding's two values, the
    smaller first ((-1, -1): no two values): one outlet's figure against what the others
    all say, or two figures each widely given (most often two facts)."""
    if ev.get("a_value") is None or ev.get("b_value") is None or not stated:
        return -1.0, -1.0
    counts = [
        sum(1 for values in stated.values() if value_key(ev[k]) in values)
        for k in ("a_value", "b_value")
    ]
    return min(counts) / n, max(counts) / n


RISING_SLOTS = frozenset(names_where(lambda s: s.rises))
"""Slots whose figures rise over time (the slot table's ``rises``)."""


def may_be_update(evidence: dict[str, Any]) -> bool:
    """Whether a finding's two values may be one figure at two moments (never HIGH)."""
    return bool(evidence.get("update")) or evidence.get("slot") in RISING_SLOTS


SEVERITY_FLOORS = {"high": 0.8, "medium": 0.5}
"""Default probability floors of HIGH and MEDIUM (the model file may set its own)."""


class ConfidenceModel:
    """The probability that a candidate finding is a real disagreement.

    A logistic regression over the standardised :data:`FEATURES`, read from JSON:
    ``features`` (must equal :data:`FEATURES`), ``mean`` and ``scale`` (the
    standardisation), ``coef`` and ``intercept``, ``report_at`` (the probability
    under which a finding is not reported), ``always_report`` (kinds kept whatever
    their probability: a figure only one outlet gives is no disagreement the
    tables could label, yet a reviewer wants to see it) and ``severity`` (the
    floors of ``high`` and ``medium``).
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        if list(spec.get("features", [])) != list(FEATURES):
            raise ValueError("the confidence model was trained on other features")
        self.mean = np.asarray(spec["mean"], dtype=np.float64)
        self.scale = np.asarray(spec["scale"], dtype=np.float64)
        self.coef = np.asarray(spec["coef"], dtype=np.float64)
        self.intercept = float(spec["intercept"])
        self.report_at = float(spec.get("report_at", 0.0))
        self.always = frozenset(spec.get("always_report", ()))
        floors = spec.get("severity") or SEVERITY_FLOORS
        self.high, self.medium = float(floors["high"]), float(floors["medium"])

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The log-odds for each row of a feature matrix."""
        z = (np.asarray(x, dtype=np.float64) - self.mean) / self.scale
        return z @ self.coef + self.intercept

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(real disagreement) per row of a feature matrix."""
        if len(x) == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-self.raw(x)))

    def severity(self, p: float) -> str:
        """The severity a probability earns."""
        if p >= self.high:
            return Severity.HIGH.value
        if p >= self.medium:
            return Severity.MEDIUM.value
        return Severity.LOW.value


@functools.cache
def _load(path: str) -> ConfidenceModel:
    return ConfidenceModel(json.loads(Path(path).read_text(encoding="utf-8")))


def load_confidence_model() -> ConfidenceModel | None:
    """The configured model (``$CONSISTENCY_CONFIDENCE_MODEL``, else the shipped one), or None."""
    chosen = os.environ.get(MODEL_ENV, "")
    if chosen.lower() == "off":
        return None
    path = Path(chosen) if chosen else CONFIDENCE_MODEL_DIR / "model.json"
    if not path.is_file():
        return None
    return _load(str(path))


def calibrate(
    divergences: pl.DataFrame,
    articles: pl.DataFrame,
    model: ConfidenceModel | None,
    claims: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """DIVERGENCES with the model's probability as ``score`` and the severity it earns.

    Findings under the model's ``report_at`` are dropped (but for its
    ``always_report`` kinds); the rule score and severity move into the evidence.
    A figure that rose between two reports (evidence ``update``) is at most
    MEDIUM, so it fails no gate by default: of such findings on the fact tables,
    19 were on updates and 17 on real conflicts, too many for LOW. So is any
    figure of a slot that rises over time (the slot table's ``rises``: the dead,
    the injured, the missing ...) whichever report came first: reports of one
    day, or undated, may be hours apart, and a toll that moved is an update
    (:func:`may_be_update`).
    Without a model the frame is returned as is.
    """
    if model is None or divergences.is_empty():
        return divergences
    p = model.probability(finding_features(divergences, articles, claims))
    evidence, severity = [], []
    rows = divergences.select("evidence", "score", "severity").iter_rows()
    for (raw, rule_score, rule_severity), x in zip(rows, p, strict=True):
        ev = _evidence(raw)
        earned = model.severity(float(x))
        if may_be_update(ev) and earned == Severity.HIGH.value:
            earned = Severity.MEDIUM.value
        severity.append(earned)
        ev["rule_score"] = round(float(rule_score), 4)
        ev["rule_severity"] = rule_severity
        evidence.append(json.dumps(ev, ensure_ascii=False, sort_keys=True))
    out = divergences.with_columns(
        pl.Series("score", np.round(p, 4), dtype=pl.Float64),
        pl.Series("severity", severity, dtype=pl.String),
        pl.Series("evidence", evidence, dtype=pl.String),
    )
    return out.filter(
        (pl.col("score") >= model.report_at) | pl.col("kind").is_in(list(model.always))
    )
