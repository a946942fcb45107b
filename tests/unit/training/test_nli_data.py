"""NLI data loading and the FactCC-style synthetic pairs (no models)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from consistency.training import nli_corpora, nli_data, nli_edits, nli_words
from consistency.training.nli_corpora import LABELS, NLIPair
from consistency.training.nli_data import synthetic_pairs

ROOT = nli_corpora.default_data_root()
needs_data = pytest.mark.skipif(
    not (ROOT / "indonli" / "train.jsonl").is_file(), reason="../shared/data not present"
)


def test_detokenize_ptb() -> None:
    assert (
        nli_corpora.detokenize_ptb("You ca n't take it , he said .")
        == "You can't take it, he said."
    )


def test_eval_only_data_is_refused_for_training() -> None:
    with pytest.raises(ValueError, match="evaluation only"):
        nli_corpora.load_split("xnli-test", for_training=True)


def test_negation_edits() -> None:
    rng = random.Random(0)
    neg = nli_edits.negate("Pemerintah Indonesia menaikkan harga bahan bakar minyak.", "id", rng)
    assert neg == "Pemerintah Indonesia tidak menaikkan harga bahan bakar minyak."
    back = nli_edits.negate("Pemerintah Indonesia tidak menaikkan harga.", "id", rng)
    assert back == "Pemerintah Indonesia menaikkan harga."
    assert nli_edits.negate("A man is playing a guitar.", "en", rng) == (
        "A man is not playing a guitar."
    )


def test_number_edit_changes_only_the_number() -> None:
    rng = random.Random(1)
    sent = "Sebanyak 30 rudal balistik diluncurkan tahun ini oleh COVID-19 itu."
    pair = nli_edits.edit_pair(sent, "id", "number", rng)
    assert pair is not None and pair.label == "contradiction"
    assert "30" not in pair.hypothesis and "COVID-19" in pair.hypothesis


def test_synthetic_pairs_cover_phenomena_with_sensible_labels() -> None:
    pairs = synthetic_pairs(
        ["Presiden Joko Widodo meresmikan 12 bendungan di Jawa Tengah pada Senin."],
        ["A man is riding a bicycle on Monday."],
        n_template=400,
        n_stance=200,
    )
    assert all(p.label in LABELS and p.source == "synthetic" for p in pairs)
    by = Counter((p.phenomenon, p.label) for p in pairs)
    for ph in ("speaker", "number", "weekday", "date", "place"):
        assert by[(ph, "contradiction")] > 0
        assert not any(p.phenomenon == ph and p.label != "contradiction" for p in pairs)
    assert by[("denied_admitted", "contradiction")] > 0
    assert by[("denied_admitted", "entailment")] > 0
    assert by[("paraphrase", "entailment")] + by[("translation", "entailment")] > 0
    assert by[("added_detail", "neutral")] > 0
    flips = [p for p in pairs if p.phenomenon == "denied_admitted" and p.label == "contradiction"]
    for p in flips:
        assert p.premise != p.hypothesis


def test_heldout_names_are_not_training_names() -> None:
    train_last = {last for _, last in nli_words.NAMES_TRAIN}
    held = synthetic_pairs([], [], n_template=200, n_stance=50, heldout=True)
    for p in held:
        if p.phenomenon in ("speaker", "denied_admitted"):
            assert not any(f" {last} " in f" {p.premise} " for last in train_last), p.premise


@needs_data
def test_training_set_never_holds_eval_only_data() -> None:
    pairs = nli_data.build_training_set(snli_max=100, n_template=50, n_stance=20)
    sources = Counter(p.source for p in pairs)
    assert set(sources) <= {"indonli", "mnli-id", "snli", "synthetic"}
    assert sources["indonli"] == 10330 and sources["snli"] == 100
    assert all(isinstance(p, NLIPair) and p.label in LABELS for p in pairs)


@needs_data
def test_load_splits() -> None:
    val = nli_corpora.load_split("indonli-val")
    assert len(val) == 2197
    assert Counter(p.label for p in val).keys() == set(LABELS)
    xnli_en = nli_corpora.load_split("xnli-dev", language="en")
    assert len(xnli_en) == 2490


@needs_data
def test_shipped_recipe_mix() -> None:
    from consistency.training.nli_train import RECIPE

    pairs = nli_data.build_training_set(**RECIPE)
    sources = Counter(p.source for p in pairs)
    # IndoNLI train (repeated), all translated MNLI (train + dev), both English MNLI samples.
    assert sources["indonli"] == 10330 * RECIPE["indonli_repeat"]
    translated = nli_corpora.load_split("mnli-id-train") + nli_corpora.load_split("mnli-id-dev")
    assert sources["mnli-id"] == len(translated) > 12000
    assert sources["mnli-m"] == 1000 and sources["mnli-mm"] == 1000
    assert sources["snli"] == RECIPE["snli_max"]
    assert not set(sources) & set(nli_corpora.NON_COMMERCIAL)
    # the English MNLI samples arrive detokenised
    assert not any(" n't" in p.premise or " ," in p.premise for p in pairs if p.source == "mnli-m")
