"""The finding-confidence model: its features, the shipped model, and the cut it makes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import polars as pl
import pytest

from consistency.config import AlignConfig, Settings
from consistency.judge.confidence import (
    FEATURES,
    ConfidenceModel,
    calibrate,
    finding_features,
    load_confidence_model,
)
from consistency.models.bundle import ModelChoice
from consistency.types import DIVERGENCES

ARTICLES = pl.DataFrame(
    {
        "article_id": ["a", "b"],
        "language": ["id", "en"],
        "published": [dt.date(2024, 1, 2), dt.date(2024, 1, 3)],
    }
)


def row(kind: str, evidence: dict[str, Any], *, b: str | None = "b", **over: Any) -> dict:
    base = {
        "divergence_id": f"{kind}-{len(json.dumps(evidence))}",
        "kind": kind,
        "severity": "high",
        "score": 0.9,
        "a_article": "a",
        "a_idx": 3,
        "a_start": 0,
        "a_end": 10,
        "a_highlight": [],
        "b_article": b,
        "b_idx": 5 if b else None,
        "b_start": 0 if b else None,
        "b_end": 10 if b else None,
        "b_highlight": [],
        "explanation": "",
        "evidence": json.dumps(evidence),
        "claim_id": None,
    }
    return base | over


NUMBER = row(
    "number",
    {
        "comparator": "values",
        "a_value": "14",
        "b_value": "15",
        "a_qualifier": "exact",
        "b_qualifier": "exact",
        "reason": "two exact figures",
        "same_fact_probability": 0.97,
        "similarity": 0.95,
        "slot": "dead",
    },
)
QUOTE = row(
    "attribution",
    {"comparator": "attribution", "similarity": 0.86, "overlap": 0.1, "a_speaker": "X"},
)
UNIQUE = row("unique", {"comparator": "unique_number"}, b=None, severity="low", score=0.4)


def frame(*rows: dict) -> pl.DataFrame:
    return DIVERGENCES.validate(pl.DataFrame(list(rows), schema=DIVERGENCES.columns))


def test_features_read_each_finding_and_its_story() -> None:
    x = finding_features(frame(NUMBER, QUOTE, UNIQUE), ARTICLES)
    assert x.shape == (3, len(FEATURES))
    f = {name: x[:, i] for i, name in enumerate(FEATURES)}
    assert list(f["kind_number"]) == [1, 0, 0] and list(f["comparator_attribution"]) == [0, 1, 0]
    assert f["same_fact_probability"][0] == pytest.approx(0.97)
    assert f["same_fact_probability"][1] == -1  # no claim-identity probability
    assert f["log_ratio"][0] == pytest.approx(abs(np.log(14 / 15)), abs=1e-6)
    assert list(f["across_languages"]) == [1, 1, 0] and list(f["one_sided"]) == [0, 0, 1]
    assert f["published_gap"][0] == 1 and f["published_gap"][2] == -1
    assert list(f["same_sentence"]) == [3, 3, 3]  # all three start in sentence a:3
    assert f["both_exact"][0] == 1 and f["both_exact"][1] == -1


def test_which_articles_give_both_values_of_a_finding() -> None:
    # a: 14 and 15 (two things told apart, or an update), b: 15 only
    claims = pl.DataFrame(
        {
            "article_id": ["a", "a", "b", "c", "c", "c"],
            "value_kind": ["count", "count", "count", "count", "count", "time"],
            "value": ["14", "15", "15", "14", "15", "14:53+7"],
        }
    )
    x = finding_features(frame(NUMBER, QUOTE), ARTICLES, claims)
    f = {name: x[:, i] for i, name in enumerate(FEATURES)}
    assert f["sides_state_both"][0] == 1  # a gives both, b one of them
    assert f["sides_state_both"][1] == -1  # no values
    # without the claims the two features read as not applying
    x = finding_features(frame(NUMBER), ARTICLES)
    assert x[0, FEATURES.index("sides_state_both")] == -1


def test_how_widely_each_value_of_a_finding_is_given() -> None:
    # "14" in a only, "15" in a and b: one outlet's figure against what both give
    claims = pl.DataFrame(
        {
            "article_id": ["a", "a", "b"],
            "value_kind": ["count", "count", "count"],
            "value": ["14", "15", "15"],
        }
    )
    x = finding_features(frame(NUMBER, QUOTE), ARTICLES, claims)
    f = {name: x[:, i] for i, name in enumerate(FEATURES)}
    assert f["support_min"][0] == pytest.approx(0.5) and f["support_max"][0] == pytest.approx(1.0)
    assert f["support_min"][1] == -1 and f["support_max"][1] == -1  # no values


def test_the_shipped_model_loads_and_ranks_a_plain_conflict_above_a_loose_attribution() -> None:
    model = load_confidence_model()
    assert model is not None, "consistency/models/shipped/confidence/model.json is shipped"
    p = model.probability(finding_features(frame(NUMBER, QUOTE), ARTICLES))
    assert p[0] > p[1]
    assert 0.0 < model.report_at < model.medium < model.high <= 1.0


def toy(report_at: float) -> ConfidenceModel:
    """A model that reads only the rule score (one weight), for the cut's logic."""
    coef = [0.0] * len(FEATURES)
    coef[FEATURES.index("rule_score")] = 10.0
    return ConfidenceModel(
        {
            "features": list(FEATURES),
            "mean": [0.0] * len(FEATURES),
            "scale": [1.0] * len(FEATURES),
            "coef": coef,
            "intercept": -5.0,  # P 0.5 at rule score 0.5
            "report_at": report_at,
            "always_report": ["unique"],
            "severity": {"high": 0.9, "medium": 0.5},
        }
    )


def test_calibrate_scores_grades_and_cuts_but_keeps_what_one_outlet_alone_gives() -> None:
    weak = row("number", {"comparator": "values"}, score=0.3, divergence_id="weak")
    unique = UNIQUE | {"score": 0.1}
    # a magnitude, not a toll (a toll may have risen: never high)
    quake = NUMBER | {"evidence": NUMBER["evidence"].replace('"dead"', '"magnitude"')}
    out = calibrate(frame(quake, weak, unique), ARTICLES, toy(report_at=0.25))
    got = {r["divergence_id"]: r for r in out.iter_rows(named=True)}
    assert "weak" not in got  # P(0.3) = 0.12 < 0.25
    kept = got[quake["divergence_id"]]
    assert kept["score"] == pytest.approx(1 / (1 + np.exp(-4.0)), abs=1e-4)
    assert kept["severity"] == "high"
    assert json.loads(kept["evidence"])["rule_score"] == 0.9
    assert got[unique["divergence_id"]]["severity"] == "low"  # kept, and graded low
    assert calibrate(frame(weak), ARTICLES, None)["score"][0] == 0.3  # no model: as it was


def test_a_model_of_other_features_is_refused() -> None:
    with pytest.raises(ValueError, match="other features"):
        ConfidenceModel({"features": ["x"], "mean": [0], "scale": [1], "coef": [0], "intercept": 0})


def test_min_confidence_drops_findings_under_it(tmp_path, monkeypatch) -> None:
    from consistency.pipeline import run
    from tests.conftest import GATING_DOCS as DOCS
    from tests.conftest import FakeEmbedder

    monkeypatch.setenv("CONSISTENCY_CONFIDENCE_MODEL", "off")
    for name, sents in DOCS.items():
        (tmp_path / f"{name}.txt").write_text(" ".join(sents[0]), encoding="utf-8")
    align = AlignConfig(min_similarity=0.3, min_margin=0.0)
    every = run(
        [str(tmp_path)],
        Settings(nli_model=None, align=align),
        models=ModelChoice(FakeEmbedder(), None),
    )
    assert every.divergences.height
    floor = float(every.divergences["score"].max()) + 1e-6
    settings = Settings(nli_model=None, align=align, min_confidence=floor)
    none = run([str(tmp_path)], settings, models=ModelChoice(FakeEmbedder(), None))
    assert none.divergences.height == 0


def test_a_figure_that_rose_or_may_rise_is_never_high() -> None:
    rose = row("number", {"comparator": "values", "update": True}, divergence_id="rose")
    # a toll (a slot that rises over time) from two reports of unknown moments
    toll = row("number", {"comparator": "values", "slot": "dead"}, divergence_id="toll")
    quake = row("number", {"comparator": "values", "slot": "magnitude"}, divergence_id="quake")
    out = calibrate(frame(quake, rose, toll), ARTICLES, toy(report_at=0.25))
    got = dict(zip(out["divergence_id"], out["severity"], strict=True))
    assert got == {"quake": "high", "rose": "medium", "toll": "medium"}
