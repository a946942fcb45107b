"""NLI training and evaluation data: IndoNLI, SNLI, XNLI and FactCC-style synthetic pairs.

This module feeds :mod:`consistency.training.nli_train` and ``bench/nli_eval.py``; it is not a
pipeline stage and takes or returns no stage frames. Pairs are :class:`NLIPair` records.

Data sources (resolved under a data root, by default ``<repo>/../shared/data``):

* ``indonli/train.jsonl`` (``premise``/``hypothesis``/``label`` e|n|c), CC BY-SA 4.0: training.
* ``indonli/translate_train_small.train.jsonl`` (``sentence1``/``sentence2``/``gold_label``),
  MNLI machine-translated to Indonesian: training.
* ``indonli/val.jsonl``: model selection and the reported accuracy.
* ``nli-extra/snli.{dev,test}.jsonl.gz``, CC BY-SA 4.0: English training data.
* ``nli-extra/xnli.*.jsonl.gz``: CC BY-NC 4.0, **evaluation only** (never trained on:
  :func:`load_split` refuses it for training).

Synthetic pairs (:func:`synthetic_pairs`) imitate how news drifts between outlets: a
changed speaker, number, date or weekday, "membantah"/"mengakui" (denied/admitted)
flipped, a negation inserted or removed (contradiction); a light paraphrase, a dropped
clause or a translation (entailment); an added detail (neutral). Each pair records its
phenomenon, and a held-apart slice (other names, other source sentences) measures
per-phenomenon accuracy.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from consistency.training.nli_corpora import NLIPair, load_split
from consistency.training.nli_edits import sentence_pairs
from consistency.training.nli_templates import stance_pairs, template_pairs
from consistency.training.nli_words import (
    CLAIMS,
    CLAIMS_HELDOUT,
    NAMES_HELDOUT,
    NAMES_TRAIN,
    stable_fraction,
)


def news_sentences(
    pairs: Iterable[NLIPair], lang: str, *, heldout: bool, max_chars: int = 300
) -> list[tuple[str, str]]:
    """Distinct premises of ``pairs`` as (sentence, lang), split by a stable hash (10% held out)."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for p in pairs:
        s = p.premise
        if s in seen or len(s) > max_chars or len(s) < 20:
            continue
        seen.add(s)
        if (stable_fraction(s) < 0.1) == heldout:
            out.append((s, lang))
    return out


def synthetic_pairs(
    id_sentences: Sequence[str],
    en_sentences: Sequence[str],
    *,
    n_template: int = 3000,
    n_stance: int = 1200,
    heldout: bool = False,
    seed: int = 13,
) -> list[NLIPair]:
    """FactCC-style synthetic pairs (see the module docstring).

    Args:
        id_sentences: real Indonesian sentences to edit.
        en_sentences: real English sentences to edit.
        n_template: how many bilingual template pairs.
        n_stance: how many denied/admitted pairs.
        heldout: use the held-apart names and claims (for per-phenomenon accuracy).
        seed: random seed.

    Returns:
        Pairs with ``source="synthetic"`` and their ``phenomenon`` set.
    """
    rng = random.Random(seed + (1000 if heldout else 0))
    names = NAMES_HELDOUT if heldout else NAMES_TRAIN
    claims = CLAIMS_HELDOUT if heldout else CLAIMS
    out = template_pairs(rng, n_template, names)
    out += stance_pairs(rng, n_stance, names, claims)
    sents = [(s, "id") for s in id_sentences] + [(s, "en") for s in en_sentences]
    out += sentence_pairs(rng, sents)
    rng.shuffle(out)
    return out


def build_training_set(
    root: Path | None = None,
    *,
    indonli_repeat: int = 1,
    mnli_max: int = 0,
    use_mnli_dev: bool = False,
    use_mnli_en: bool = False,
    use_snli: bool = True,
    snli_max: int = 12000,
    synthetic: bool = True,
    n_template: int = 3000,
    n_stance: int = 1200,
    id_sentences_max: int = 3000,
    en_sentences_max: int = 1500,
    seed: int = 13,
) -> list[NLIPair]:
    """The training pairs: IndoNLI train, translated MNLI, SNLI (optional) and synthetic pairs.

    Args:
        root: the data root (default :func:`default_data_root`).
        indonli_repeat: how many times IndoNLI train is included (oversampling).
        mnli_max: at most this many translated MNLI pairs (a seeded sample; 0 = all).
        use_mnli_dev: also include the translated MNLI development split (2,198 pairs).
        use_mnli_en: include the two English MNLI dev samples (2,000 pairs, detokenised).
        use_snli: include English SNLI (dev + test) pairs.
        snli_max: at most this many SNLI pairs (a seeded sample).
        synthetic: include FactCC-style synthetic pairs (:func:`synthetic_pairs`).
        n_template: template pairs.
        n_stance: denied/admitted pairs.
        id_sentences_max: IndoNLI premises edited into synthetic pairs.
        en_sentences_max: SNLI premises edited into synthetic pairs.
        seed: random seed.

    Never includes evaluation-only (CC BY-NC) data.
    """
    rng = random.Random(seed)
    indo = load_split("indonli-train", root, for_training=True)
    mnli = load_split("mnli-id-train", root, for_training=True)
    if mnli_max:
        rng.shuffle(mnli)
        mnli = mnli[:mnli_max]
    if use_mnli_dev:
        mnli += load_split("mnli-id-dev", root, for_training=True)
    data = indo * max(1, indonli_repeat) + mnli
    if use_mnli_en:
        data += load_split("mnli-m-sample", root, for_training=True)
        data += load_split("mnli-mm-sample", root, for_training=True)
    snli: list[NLIPair] = []
    if use_snli:
        snli = load_split("snli-dev", root, for_training=True)
        snli += load_split("snli-test", root, for_training=True)
        rng.shuffle(snli)
        snli = snli[:snli_max]
        data += snli
    if synthetic:
        id_s = news_sentences(indo, "id", heldout=False)
        en_s = news_sentences(snli, "en", heldout=False)
        rng.shuffle(id_s)
        rng.shuffle(en_s)
        data += synthetic_pairs(
            [s for s, _ in id_s[:id_sentences_max]],
            [s for s, _ in en_s[:en_sentences_max]],
            n_template=n_template,
            n_stance=n_stance,
            seed=seed,
        )
    rng.shuffle(data)
    return data


def heldout_synthetic(root: Path | None = None, *, seed: int = 13) -> list[NLIPair]:
    """The held-apart synthetic slice: other names and claims, held-out source sentences."""
    indo_val = load_split("indonli-val", root)
    snli = load_split("snli-test", root)
    id_s = news_sentences(indo_val, "id", heldout=True, max_chars=300)
    id_s += news_sentences(load_split("indonli-train", root), "id", heldout=True)
    en_s = news_sentences(snli, "en", heldout=True)
    return synthetic_pairs(
        [s for s, _ in id_s[:600]],
        [s for s, _ in en_s[:300]],
        n_template=600,
        n_stance=300,
        heldout=True,
        seed=seed,
    )
