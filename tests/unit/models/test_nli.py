"""The NLI loader (label mapping), the nli_scores stage and the ``consistency nli`` command."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner

from consistency.cli import main
from consistency.config import NLI_MODEL_DIR
from consistency.models import nli
from consistency.models.protocols import NLI_LABELS
from consistency.types import NLI_SCORES, PAIRS, SENTENCES, ExitCode, InputError, ModelError
from tests.conftest import FakeNLI

# ---------------------------------------------------------------------------- labels


def test_label_order_reads_config_in_any_order_and_case() -> None:
    order = nli.label_order({0: "CONTRADICTION", 1: "Entailment", 2: "neutral"})
    assert order == [1, 2, 0]
    assert nli.label_order({"0": "entailment", "1": "neutral", "2": "contradiction"}) == [0, 1, 2]


def test_label_order_rejects_configs_without_nli_labels() -> None:
    with pytest.raises(ModelError, match="contradiction"):
        nli.label_order({0: "entailment", 1: "neutral", 2: "LABEL_2"})
    with pytest.raises(ModelError, match="two labels"):
        nli.label_order({0: "entailment", 1: "entails", 2: "neutral"})


def _tiny_model_dir(path: Path, id2label: dict[int, str], favour: int) -> Path:
    """A tiny random BERT classifier whose head always prefers logit column ``favour``."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from tokenizers.processors import TemplateProcessing
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "tidak", "hujan", "turun"]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="[PAD]", unk_token="[UNK]", model_max_length=64
    )
    config = BertConfig(
        vocab_size=len(words),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=3,
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 0.0, 0.0]))
        model.classifier.bias[favour] = 5.0
    model.save_pretrained(str(path))
    fast.save_pretrained(str(path))
    return path


@pytest.mark.parametrize("favour", [0, 1, 2])
def test_other_model_labels_mapped_from_its_config(tmp_path: Path, favour: int) -> None:
    id2label = {0: "CONTRADICTION", 1: "ENTAILMENT", 2: "NEUTRAL"}
    d = _tiny_model_dir(tmp_path / f"m{favour}", id2label, favour)
    model = nli.load_nli(str(d))
    probs = model.predict(["hujan turun", "a b"], ["hujan tidak turun", "a"])
    assert probs.shape == (2, 3)
    assert probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    expected = NLI_LABELS.index(id2label[favour].lower())
    assert (probs.argmax(axis=1) == expected).all()


def test_load_nli_bad_path_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="could not load NLI model"):
        nli.load_nli(str(tmp_path / "no-such-model"))


# ---------------------------------------------------------------------------- stage


class DirectionalNLI:
    """Entailment when the premise is longer than the hypothesis; records its inputs."""

    model_id = "directional"

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        self.seen += list(zip(premises, hypotheses, strict=True))
        out = np.zeros((len(premises), 3), dtype=np.float32)
        for i, (p, h) in enumerate(zip(premises, hypotheses, strict=True)):
            out[i] = (0.8, 0.1, 0.1) if len(p) > len(h) else (0.1, 0.2, 0.7)
        return out


def _sentences() -> pl.DataFrame:
    rows = [
        ("a", 0, "Kirby mengatakan itu pada hari Senin."),
        ("a", 1, "Hujan turun."),
        ("b", 0, "Kirby mengatakan itu."),
        ("b", 1, "Hujan turun."),
        ("c", 0, "Kirby mengatakan itu."),
    ]
    df = pl.DataFrame(
        {
            "article_id": [r[0] for r in rows],
            "sent_idx": [r[1] for r in rows],
            "block_idx": [0] * len(rows),
            "start": [0] * len(rows),
            "end": [len(r[2]) for r in rows],
            "text": [r[2] for r in rows],
        }
    )
    return SENTENCES.conform(df)


def _pairs(keys: list[tuple[str, int, str, int]]) -> pl.DataFrame:
    return PAIRS.conform(
        pl.DataFrame(
            {
                "a_article": [k[0] for k in keys],
                "a_idx": [k[1] for k in keys],
                "b_article": [k[2] for k in keys],
                "b_idx": [k[3] for k in keys],
                "similarity": [0.95] * len(keys),
                "margin": [0.05] * len(keys),
            }
        )
    )


def test_nli_scores_both_directions_and_schema() -> None:
    model = DirectionalNLI()
    out = nli.nli_scores(_pairs([("a", 0, "b", 0), ("a", 1, "b", 1)]), _sentences(), model)
    NLI_SCORES.validate(out)
    assert out.height == 2
    first = out.row(0, named=True)
    # a is longer than b: a => b entails, b => a does not
    assert first["ab_entail"] == pytest.approx(0.8)
    assert first["ba_contra"] == pytest.approx(0.7)
    assert (first["a_article"], first["a_idx"], first["b_article"]) == ("a", 0, "b")


def test_nli_scores_deduplicates_identical_text_pairs() -> None:
    model = DirectionalNLI()
    pairs = _pairs([("a", 0, "b", 0), ("a", 0, "c", 0), ("a", 1, "b", 1)])
    out = nli.nli_scores(pairs, _sentences(), model)
    assert out.height == 3
    # b0 and c0 have the same text: 2 directions x 2 distinct text pairs + identical a1/b1 once
    assert len(model.seen) == len(set(model.seen)) == 3
    assert out["ab_entail"][0] == out["ab_entail"][1]


def test_nli_scores_in_chunks_report_progress_and_keep_each_row() -> None:
    pairs = _pairs([("a", 0, "b", 0), ("a", 0, "c", 0), ("a", 1, "b", 1)])
    whole = nli.nli_scores(pairs, _sentences(), DirectionalNLI())
    seen: list[tuple[int, int]] = []
    model = DirectionalNLI()
    calls = []
    predict = model.predict

    def counted(p, h):  # type: ignore[no-untyped-def]
        calls.append(len(p))
        return predict(p, h)

    model.predict = counted  # type: ignore[method-assign]
    out = nli.nli_scores(
        pairs, _sentences(), model, chunk=2, progress=lambda d, t: seen.append((d, t))
    )
    assert out.equals(whole)  # the same scores on the same rows, whatever the chunks
    assert calls == [2, 1]  # 3 distinct text pairs, at most 2 per call
    assert seen[-1] == (3, 3) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) == 2


def test_nli_scores_empty() -> None:
    out = nli.nli_scores(PAIRS.empty(), _sentences(), DirectionalNLI())
    assert out.height == 0
    NLI_SCORES.validate(out)


# ---------------------------------------------------------------------------- JSONL + CLI


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_pairs_jsonl_names_file_and_line(tmp_path: Path) -> None:
    good = json.dumps({"premise": "a", "hypothesis": "b"})
    p = _write(tmp_path / "pairs.jsonl", [good, "", "{not json", good])
    with pytest.raises(InputError) as err:
        nli.read_pairs_jsonl(str(p))
    assert f"{p}:3" in str(err.value)
    p2 = _write(tmp_path / "p2.jsonl", [good, json.dumps({"premise": "a"})])
    with pytest.raises(InputError, match=r"p2\.jsonl:2: missing or non-string 'hypothesis'"):
        nli.read_pairs_jsonl(str(p2))


@pytest.fixture()
def fake_model(monkeypatch: pytest.MonkeyPatch) -> FakeNLI:
    model = FakeNLI()
    monkeypatch.setattr(nli, "load_nli", lambda name="builtin": model)
    return model


@pytest.mark.parametrize("form", [["nli"], ["nli", "predict"]])
def test_cli_labels_lines_and_keeps_fields(
    tmp_path: Path, fake_model: FakeNLI, form: list[str]
) -> None:
    src = _write(
        tmp_path / "pairs.jsonl",
        [
            json.dumps({"id": 7, "premise": "Hujan turun.", "hypothesis": "Hujan tidak turun."}),
            json.dumps({"id": 8, "premise": "Hujan turun.", "hypothesis": "Hujan turun deras."}),
        ],
    )
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, [*form, str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [7, 8]
    assert [r["label"] for r in rows] == ["contradiction", "entailment"]
    assert set(rows[0]["probs"]) == set(NLI_LABELS)
    assert sum(rows[0]["probs"].values()) == pytest.approx(1.0, abs=1e-5)


def test_cli_malformed_line_exit_code(tmp_path: Path, fake_model: FakeNLI) -> None:
    src = _write(tmp_path / "bad.jsonl", [json.dumps({"premise": "a", "hypothesis": "b"}), "[1]"])
    res = CliRunner().invoke(main, ["nli", str(src)])
    assert res.exit_code == ExitCode.INPUT_ERROR
    assert "bad.jsonl:2" in res.output
    assert "Traceback" not in res.output


def test_cli_missing_file(tmp_path: Path, fake_model: FakeNLI) -> None:
    res = CliRunner().invoke(main, ["nli", str(tmp_path / "nope.jsonl")])
    assert res.exit_code == ExitCode.INPUT_ERROR
    assert "nope.jsonl" in res.output


# ---------------------------------------------------------------------------- shipped model


def test_shipped_weights_small_and_labelled() -> None:
    weights = NLI_MODEL_DIR / "model.safetensors"
    assert weights.is_file()
    assert weights.stat().st_size <= 60 * 1024 * 1024
    config = json.loads((NLI_MODEL_DIR / "config.json").read_text())
    assert sorted(nli.label_order(config["id2label"])) == [0, 1, 2]
    assert (NLI_MODEL_DIR / "MODEL_CARD.md").is_file()


@pytest.mark.slow
def test_builtin_tokenizer_is_the_training_tokenizer() -> None:
    from transformers import AutoTokenizer

    from consistency.models.e5 import e5_model_dir
    from consistency.training.nli_parts import tokenizer_sha256

    info = json.loads((NLI_MODEL_DIR / "training_info.json").read_text())
    assert info["config"]["extra"]["tokenizer_sha256"] == tokenizer_sha256(e5_model_dir())
    from consistency.models.onnx_models import OnnxNLI

    model = nli.load_nli("builtin")
    assert isinstance(model, nli.CrossEncoderNLI | OnnxNLI)
    prem = ["Juru bicara Gedung Putih John Kirby mengatakan hal itu pada Selasa (5/9/2023)."]
    hyp = ["Kirby membantah laporan itu — “tidak benar”, katanya."]
    auto = AutoTokenizer.from_pretrained(str(e5_model_dir()))
    assert model.encode(prem, hyp)[0] == auto(prem[0], hyp[0])["input_ids"]


@pytest.mark.slow
def test_cli_with_builtin_model(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "pairs.jsonl",
        [
            json.dumps(
                {
                    "premise": "Presiden mengatakan harga beras akan turun bulan depan.",
                    "hypothesis": "Presiden mengatakan harga beras akan turun bulan depan.",
                }
            ),
            json.dumps(
                {
                    "premise": "Polisi menangkap tiga orang tersangka di Jakarta.",
                    "hypothesis": "Polisi tidak menangkap siapa pun di Jakarta.",
                }
            ),
        ],
    )
    res = CliRunner().invoke(main, ["nli", str(src)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines() if x.startswith("{")]
    assert [r["label"] for r in rows] == ["entailment", "contradiction"]


@pytest.mark.slow
def test_model_id_for_builtin_matches_the_loaded_model() -> None:
    from consistency.models.nli import load_nli, model_id_for

    assert model_id_for("builtin") == load_nli("builtin").model_id
    assert model_id_for("some/other-model") is None
