"""Claim identity: features, the numpy tree evaluator, the shipped model, and its use in linking.

Hand-written cases only; the model's figures on the fact tables are the training
script's business (leave one cluster out), not a test's.
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from consistency.claims import link_claims
from consistency.claims.identity import FEATURES, VALUE_MASK, window_texts
from consistency.claims.identity_trees import (
    IdentityModel,
    TreeEnsemble,
    load_identity_model,
)
from consistency.claims.link import Story
from consistency.config import IDENTITY_MODEL_DIR
from consistency.models.embed import embed_texts
from tests.conftest import frames, same_vectors

# one leaf tree under a root split on feature 0 at 0.5: left -> -2, right -> +2
STUMP = {
    "init": 0.5,
    "learning_rate": 0.5,
    "threshold": 0.5,
    "veto": 0.3,
    "trees": [
        {
            "feature": [0, -2, -2],
            "threshold": [0.5, -2.0, -2.0],
            "left": [1, -1, -1],
            "right": [2, -1, -1],
            "value": [0.0, -2.0, 2.0],
        }
    ],
}


def test_tree_ensemble_walks_its_trees_as_scikit_learn_does() -> None:
    t = TreeEnsemble(STUMP)
    x = np.array([[0.2], [0.5], [0.9]])
    # raw = init + rate * leaf; a value equal to the threshold goes left
    assert t.raw(x).tolist() == pytest.approx([-0.5, -0.5, 1.5])
    p = t.predict(x)
    assert p[0] < 0.5 < p[2]


def test_model_with_other_features_is_refused() -> None:
    with pytest.raises(ValueError, match="features"):
        IdentityModel({"features": ["sim"], "heads": {}}, source="old.json")


def test_two_heads_by_whether_the_values_are_written_alike() -> None:
    same = dict(STUMP, init=5.0, trees=[])  # always sure
    other = dict(STUMP, init=-5.0, trees=[])  # never
    m = IdentityModel(
        {"features": list(FEATURES), "heads": {"same_value": same, "other_value": other}}
    )
    x = np.zeros((2, len(FEATURES)))
    x[0, FEATURES.index("value_equal")] = 1.0
    p = m.predict(x)
    assert p[0] > 0.99 and p[1] < 0.01
    p2, linked, vetoed = m.decide(x)
    assert p2.tolist() == p.tolist()
    assert linked.tolist() == [True, False]
    assert vetoed.tolist() == [False, True]


def test_masked_window_hides_the_value_and_keeps_its_words() -> None:
    _, sents, claims = frames(
        {"a": [["Korban tewas akibat banjir itu mencapai 12 orang pada Sabtu."]]}
    )
    windows = window_texts(claims, sents)
    (text,) = windows.values()
    assert "12" not in text and VALUE_MASK in text
    assert text.split(VALUE_MASK)[0].split()[-1] == "mencapai"
    assert text.split(VALUE_MASK)[1].split()[0] == "orang"


class CountingEmbedder:
    model_id = "counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.seen += list(texts)
        v = np.array([[len(t), 1.0] for t in texts], dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_embed_texts_embeds_each_distinct_text_once() -> None:
    e = CountingEmbedder()
    out = embed_texts({"x": "sama", "y": "sama", "z": "lain sekali"}, e)
    assert sorted(e.seen) == ["lain sekali", "sama"]
    assert np.array_equal(out["x"], out["y"]) and not np.array_equal(out["x"], out["z"])
    assert embed_texts({}, e) == {}


DOCS = {
    "a": [["Banjir itu menewaskan 12 orang pada Sabtu.", "Sebanyak 40 rumah rusak berat."]],
    "b": [["Sebanyak 11 orang tewas dalam banjir itu.", "Ada 300 rumah terendam air."]],
}


def test_shipped_model_loads_and_tells_same_fact_from_another() -> None:
    model = load_identity_model(IDENTITY_MODEL_DIR / "model.json")
    assert model is not None
    info = json.loads((IDENTITY_MODEL_DIR / "training_info.json").read_text(encoding="utf-8"))
    assert len(info["clusters"]) >= 10 and info["leave_one_cluster_out"]["folds"]
    arts, sents, claims = frames(DOCS)
    story = Story(claims, sents, same_vectors(sents), articles=arts)
    pairs, x = story.candidates()
    p = dict(zip(((a["surface"], b["surface"]) for a, b in pairs), model.predict(x), strict=True))
    toll = p.get(("12", "11"), p.get(("11", "12")))
    other = p.get(("12", "300"), p.get(("300", "12")))
    assert toll is not None and other is not None
    # the toll of one flood given twice vs a toll against a count of houses
    assert toll > other
    assert toll >= model.heads["other_value"].veto > other


def test_environment_can_turn_the_model_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSISTENCY_IDENTITY_MODEL", "off")
    assert load_identity_model() is None
    monkeypatch.setenv("CONSISTENCY_IDENTITY_MODEL", "/nonexistent/model.json")
    assert load_identity_model() is None


def test_a_veto_drops_the_rules_link_and_the_probability_is_kept() -> None:
    arts, sents, claims = frames(
        {
            "a": [["Banjir itu menewaskan 12 orang pada Sabtu."]],
            "b": [["Sebanyak 11 orang tewas dalam banjir itu."]],
        }
    )
    v = same_vectors(sents)
    rules = link_claims(claims, sents, v).filter(pl.col("slot") == "dead")
    assert rules.height == 1 and rules["probability"][0] is None
    keep = dict(STUMP, init=5.0, trees=[], veto=0.3)
    drop = dict(STUMP, init=-5.0, trees=[], veto=0.3)

    def model(other: dict) -> IdentityModel:
        return IdentityModel(
            {"features": list(FEATURES), "heads": {"same_value": keep, "other_value": other}}
        )

    kept = link_claims(claims, sents, v, identity=model(keep), articles=arts)
    kept = kept.filter(pl.col("slot") == "dead")
    assert kept.height == 1 and kept["probability"][0] > 0.99
    dropped = link_claims(claims, sents, v, identity=model(drop), articles=arts)
    assert dropped.filter(pl.col("slot") == "dead").is_empty()


def test_a_count_and_its_neighbours_make_the_totals_of_a_breakdown() -> None:
    """'367 penumpang dan 12 awak' makes 379: another outlet's '379 penumpang dan awak'."""
    from consistency.claims.identity import figure_context

    def row(cid: str, art: str, sent: int, start: int, value: float) -> dict:
        return {
            "claim_id": cid,
            "article_id": art,
            "sent_idx": sent,
            "start": start,
            "value_kind": "count",
            "value": str(int(value)),
            "value_num": value,
        }

    rows = [row("p", "a", 0, 10, 367), row("c", "a", 0, 28, 12), row("t", "b", 0, 5, 379)]
    near, support, totals = figure_context(rows)
    assert near == {"p": 1, "c": 1, "t": 0}
    assert 379.0 in totals["p"] and 379.0 in totals["c"] and totals["t"] == set()
    assert support == {"p": 0, "c": 0, "t": 0}


def test_a_measure_given_only_as_text_is_left_to_the_rules() -> None:
    # the model reads figures: a height that "could not be observed" is no
    # candidate of it, so even a model that vetoes everything keeps the rules'
    # link between it and a figure of that height (a contradiction to show)
    arts, sents, claims = frames(
        {
            "a": [["Tinggi kolom abu tidak teramati karena tertutup kabut."]],
            "b": [["Kolom abu setinggi 3.000 meter teramati di atas puncak."]],
        }
    )
    text_valued = claims.filter(pl.col("value_num").is_null() & (pl.col("slot") == "height"))
    assert text_valued.height == 1, claims.select("surface", "slot", "value").to_dicts()
    v = same_vectors(sents)
    drop = dict(STUMP, init=-5.0, trees=[], veto=0.3)
    veto_all = IdentityModel(
        {"features": list(FEATURES), "heads": {"same_value": drop, "other_value": drop}}
    )
    pairs, _ = Story(claims, sents, v, articles=arts).candidates()
    assert all(x["value_num"] is not None and y["value_num"] is not None for x, y in pairs)
    links = link_claims(claims, sents, v, identity=veto_all, articles=arts)
    height = links.filter(pl.col("slot") == "height")
    assert height.height == 1 and height["compatible"][0] is False
    assert height["probability"][0] is None


def test_a_group_said_to_have_no_victims_keeps_its_link_to_a_count_of_them() -> None:
    # "no citizens among the victims" / "two citizens lightly injured": one fact,
    # even under a model that vetoes every pair it scores
    arts, sents, claims = frames(
        {
            "a": [["Duta besar memastikan tidak ada WNI yang menjadi korban dalam insiden itu."]],
            "b": [["Sejauh ini terdapat 2 WNI luka ringan akibat insiden itu."]],
        }
    )
    v = same_vectors(sents)
    drop = dict(STUMP, init=-5.0, trees=[], veto=0.3)
    veto_all = IdentityModel(
        {"features": list(FEATURES), "heads": {"same_value": drop, "other_value": drop}}
    )
    links = link_claims(claims, sents, v, identity=veto_all, articles=arts)
    zero = links.filter(
        pl.col("a_claim").str.starts_with("a") & pl.col("b_claim").str.starts_with("b")
    )
    assert zero.height == 1 and zero["compatible"][0] is False
