"""NLI training (``consistency nli train``, training.nli_train and nli_parts) on tiny
models, and the recipe the shipped model was trained with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from consistency.cli import main
from consistency.config import NLI_MODEL_DIR
from consistency.models import nli
from consistency.models.protocols import NLI_LABELS
from consistency.training import nli_corpora
from consistency.types import ExitCode
from tests.conftest import FakeNLI


def test_cli_train_missing_data_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    res = CliRunner().invoke(
        main, ["nli", "train", "--data-root", str(tmp_path / "empty"), "-o", str(tmp_path / "m")]
    )
    assert res.exit_code == ExitCode.INPUT_ERROR, res.output
    assert "NLI training data not found" in res.output


def _tiny_classifier(seed: int = 0, layers: int = 1) -> Any:
    """A BERT classifier small enough to train in a unit test (no dropout: deterministic)."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=12,
        hidden_size=8,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=16,
        num_labels=3,
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )
    return BertForSequenceClassification(config)


def test_layer_decay_param_groups() -> None:
    from consistency.training.nli_parts import TrainConfig, param_groups

    model = _tiny_classifier(layers=2)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    groups = param_groups(model, TrainConfig(lr=1.0, layer_decay=0.5, weight_decay=0.1))
    lr_of = {id(p): g["lr"] for g in groups for p in g["params"]}
    wd_of = {id(p): g["weight_decay"] for g in groups for p in g["params"]}
    named = dict(model.named_parameters())
    assert lr_of[id(named["classifier.weight"])] == 1.0
    assert lr_of[id(named["bert.encoder.layer.1.output.dense.weight"])] == 0.5
    assert lr_of[id(named["bert.encoder.layer.0.output.dense.weight"])] == 0.25
    assert lr_of[id(named["bert.embeddings.position_embeddings.weight"])] == 0.125
    assert wd_of[id(named["classifier.bias"])] == 0.0
    assert wd_of[id(named["classifier.weight"])] == 0.1
    # the frozen word embeddings are in no group
    assert id(named["bert.embeddings.word_embeddings.weight"]) not in lr_of


@pytest.mark.slow
def test_train_command_writes_a_model_that_loads(tmp_path: Path) -> None:
    """A smoke run of ``consistency nli train``: what it writes loads by path and predicts."""
    if not (nli_corpora.default_data_root() / "indonli" / "train.jsonl").is_file():
        pytest.skip("../shared/data not present")
    out = tmp_path / "model"
    res = CliRunner().invoke(
        main,
        [
            "nli",
            "train",
            "-o",
            str(out),
            "--limit",
            "64",
            "--max-steps",
            "2",
            "--finish-epochs",
            "1",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "best IndoNLI val accuracy" in res.output
    info = json.loads((out / "training_info.json").read_text())
    assert info["train_pairs"] == 64 and info["history"][-1]["steps"] == 2
    # the finishing phase validated its starting point, then trained on IndoNLI alone
    finish = info["finish"]
    assert finish["history"][0]["epoch"] == 0 and finish["history"][-1]["steps"] >= 1
    assert 0 < finish["train_pairs"] < 64
    config = json.loads((out / "config.json").read_text())
    assert sorted(config["id2label"].values()) == sorted(NLI_LABELS)
    model = nli.load_nli(str(out))
    assert model.model_id.startswith(f"{out}/e5-small-nli@")
    probs = model.predict(["Hujan turun di Jakarta."], ["Jakarta diguyur hujan."])
    assert probs.shape == (1, 3) and abs(float(probs.sum()) - 1.0) < 1e-4


def test_weight_average_is_validated_without_disturbing_training(tmp_path: Path) -> None:
    """With ``ema``, each validation also scores the averaged weights; the live weights the
    optimiser keeps training are exactly those of a run without it."""
    import torch

    from consistency.training.nli_parts import TrainConfig
    from consistency.training.nli_train import train_model

    rng = np.random.default_rng(0)
    ids = [[0, *rng.integers(2, 12, size=5).tolist(), 2] for _ in range(24)]
    y = [i % 3 for i in range(24)]
    finals = []
    infos = []
    for ema in (0.0, 0.9):
        model = _tiny_classifier()
        cfg = TrainConfig(epochs=2, batch_size=8, lr=5e-2, eval_every=2, ema=ema, threads=1)
        infos.append(
            train_model(
                model, ids, y, ids[:9], y[:9], tmp_path / f"m{ema}", cfg, log=lambda _: None
            )
        )
        finals.append({k: v.clone() for k, v in model.state_dict().items()})
    assert finals[0].keys() == finals[1].keys()
    assert all(torch.equal(finals[0][k], finals[1][k]) for k in finals[0])
    plain, averaged = infos
    assert all("val_acc_ema" not in row for row in plain["history"])
    assert all("val_acc_ema" in row for row in averaged["history"])
    assert [r["val_acc"] for r in plain["history"]] == [r["val_acc"] for r in averaged["history"]]
    assert averaged["best_val_acc"] == max(
        max(r["val_acc"], r["val_acc_ema"]) for r in averaged["history"]
    )
    # the exported checkpoint is named by the row and the weights that set the best
    source, steps = averaged["best_from"]["source"], averaged["best_from"]["steps"]
    row = next(r for r in averaged["history"] if r["steps"] == steps)
    assert max(row["val_acc"], row["val_acc_ema"]) == averaged["best_val_acc"]
    assert (source == "averaged") == (row["val_acc_ema"] > row["val_acc"])


def test_label_smoothing_reaches_the_loss(tmp_path: Path) -> None:
    import torch

    from consistency.training.nli_parts import TrainConfig
    from consistency.training.nli_train import train_model

    ids = [[0, 3 + i % 7, 4 + i % 5, 2] for i in range(16)]
    y = [i % 3 for i in range(16)]
    finals = []
    for smoothing in (0.0, 0.2):
        model = _tiny_classifier()
        cfg = TrainConfig(epochs=1, batch_size=8, lr=5e-2, label_smoothing=smoothing, threads=1)
        train_model(model, ids, y, ids[:4], y[:4], tmp_path / f"s{smoothing}", cfg, log=print)
        finals.append(model.classifier.weight.detach().clone())
    assert not torch.equal(finals[0], finals[1])


def test_distillation_follows_the_teacher(tmp_path: Path) -> None:
    """With the teacher's weight at 1, a student learns the teacher's labels, not the gold."""
    from consistency.training.nli_parts import TrainConfig, predict_ids
    from consistency.training.nli_train import train_model

    ids = [[0, 3 + i % 3, 6 + i % 4, 2] for i in range(24)]
    gold = [i % 3 for i in range(24)]
    taught = [(g + 1) % 3 for g in gold]
    soft = np.full((24, 3), 0.05, dtype=np.float32)
    soft[np.arange(24), taught] = 0.9
    agree = {}
    for alpha in (0.0, 1.0):
        model = _tiny_classifier()
        cfg = TrainConfig(
            epochs=30, batch_size=8, lr=1e-2, distill_alpha=alpha, distill_temp=1.0, threads=1
        )
        train_model(
            model,
            ids,
            gold,
            ids[:3],
            gold[:3],
            tmp_path / f"a{alpha}",
            cfg,
            log=lambda _: None,
            soft_targets=soft,
        )
        pred = predict_ids(model, ids, pad_id=1, bf16=False).argmax(axis=1)
        agree[alpha] = (float((pred == gold).mean()), float((pred == taught).mean()))
    # (the tiny model learns two of the three classes in this budget)
    gold_only, teacher_only = agree[0.0], agree[1.0]
    assert gold_only[0] > gold_only[1]  # no teacher weight: closer to the gold labels
    assert teacher_only[1] > teacher_only[0]  # all teacher: closer to the teacher's labels


def test_teacher_targets_are_the_teachers_probabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    """The teacher is any NLI model: its probabilities (already in E/N/C order) label the
    training pairs, and its val accuracy is logged."""
    from consistency.training import nli_train
    from consistency.training.nli_corpora import NLIPair

    teacher = FakeNLI()
    monkeypatch.setattr(nli, "load_nli", lambda name: teacher)
    pairs = [
        NLIPair("Hujan turun.", "Hujan turun.", "entailment", "indonli"),
        NLIPair("Ia membantah.", "Ia mengakui.", "contradiction", "indonli"),
    ]
    lines: list[str] = []
    soft = nli_train.teacher_targets("any", pairs, pairs[:1], log=lines.append)
    expected = teacher.predict([p.premise for p in pairs], [p.hypothesis for p in pairs])
    np.testing.assert_allclose(soft, expected)
    assert soft.shape == (2, 3) and soft.dtype == np.float32
    assert lines[0].startswith("teacher any: IndoNLI val 100.00;")


def test_rdrop_adds_only_the_dropout_consistency_term(tmp_path: Path) -> None:
    """R-Drop doubles each batch: without dropout both copies agree, so training is the plain
    run's; with dropout the KL between the copies changes the trained weights."""
    import torch

    from consistency.training.nli_parts import TrainConfig
    from consistency.training.nli_train import train_model

    ids = [[0, 3 + i % 3, 6 + i % 4, 2] for i in range(16)]
    y = [i % 3 for i in range(16)]

    def trained(rdrop: float, dropout: float) -> Any:
        model = _tiny_classifier()
        model.config.hidden_dropout_prob = dropout
        for module in model.modules():
            if isinstance(module, torch.nn.Dropout):
                module.p = dropout
        cfg = TrainConfig(epochs=2, batch_size=8, lr=1e-2, rdrop=rdrop, threads=1, bf16=False)
        train_model(
            model, ids, y, ids[:4], y[:4], tmp_path / f"r{rdrop}{dropout}", cfg, log=lambda _: None
        )
        return model.classifier.weight.detach().clone()

    assert torch.allclose(trained(0.0, 0.0), trained(1.0, 0.0), atol=1e-5)
    # with dropout the plain run draws one mask per step and R-Drop two, so compare two
    # R-Drop runs that differ only in the KL weight
    assert not torch.allclose(trained(0.0001, 0.3), trained(5.0, 0.3), atol=1e-4)


def test_shipped_model_was_trained_by_the_default_command() -> None:
    """The model card says ``consistency nli train`` rebuilds the shipped model: its recorded
    settings and data mix are the defaults."""
    from dataclasses import asdict

    from consistency.training.nli_train import DEFAULT_CONFIG, RECIPE

    info = json.loads((NLI_MODEL_DIR / "training_info.json").read_text())
    defaults = {k: v for k, v in asdict(DEFAULT_CONFIG).items() if k != "extra"}
    assert {k: info["config"][k] for k in defaults} == defaults
    assert info["config"]["extra"]["data"] == RECIPE
