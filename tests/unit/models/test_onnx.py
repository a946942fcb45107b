"""Tests for the ONNX Runtime path of the default models (models.onnx_models / onnx_build).

Fast tests cover the pieces that need no model; ``slow`` tests export (or reuse) the
real multilingual-e5-small and built-in NLI models in the model cache and compare
them with sentence-transformers and the torch cross-encoder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from consistency import config
from consistency.models import model_files, onnx_build, onnx_models
from consistency.types import ModelError
from tests.conftest import REPO_ROOT

ROOT = REPO_ROOT

SENTENCES = [
    "Juru bicara Dewan Keamanan Nasional AS John Kirby mengatakan hal itu, Rabu (30/8/2023).",
    "The White House said Russia is seeking artillery ammunition from North Korea.",
    "Café naïve résumé — “kutipan” ﬁ ½ Ｆｕｌｌ　width  dua  spasi\ttab\u200bzw\u00a0nbsp",
    "Korea Utara telah menguji lebih dari 30 rudal balistik tahun ini… ‘Andrienne’ Watson",
    "Rp1,5 triliun; 5,6% vs 6,2%; 10.000 orang (±3°C) – https://example.com/a?b=c",
    "Sebanyak 11 orang tewas dan puluhan lainnya luka-luka dalam kecelakaan itu.",
    " ".join(["Kalimat yang sangat panjang ini diulang berkali-kali."] * 80),  # > 512 tokens
]

PAIRS = [
    ("Polisi menangkap tiga orang tersangka di Jakarta.", "Polisi tidak menangkap siapa pun."),
    ("Korban tewas mencapai 11 orang.", "Sebelas orang meninggal dunia."),
    ("The minister resigned on Monday.", "Menteri itu mengundurkan diri pada Senin."),
    (SENTENCES[6], SENTENCES[5]),
]


# ------------------------------------------------------------------------------ fast


def test_batches_group_similar_lengths_and_cover_every_row() -> None:
    lengths = [5, 1, 9, 3, 7, 2]
    batches = onnx_models.length_batches(lengths, 2)
    assert sorted(i for b in batches for i in b) == list(range(6))
    assert [[lengths[i] for i in b] for b in batches] == [[1, 2], [3, 5], [7, 9]]


def test_batches_cut_where_padding_is_least() -> None:
    # one long row among short ones gets a batch of its own instead of padding 31 rows to 100
    lengths = [100] + [10] * 31
    batches = onnx_models.length_batches(lengths, 32)
    assert sorted(i for b in batches for i in b) == list(range(32))
    assert [0] in batches and all(len(b) <= 32 for b in batches)
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    assert padded <= sum(lengths) + 10 * onnx_models.CALL_COST_TOKENS
    # equal lengths are never cut below the batch size
    assert [len(b) for b in onnx_models.length_batches([7] * 70, 32)] == [6, 32, 32]


def test_run_batches_runs_each_batch_once_on_several_threads() -> None:
    import threading

    seen: list[tuple[int, ...]] = []
    names: set[str] = set()
    lock = threading.Lock()

    def run_one(b: list[int]) -> None:
        with lock:
            seen.append(tuple(b))
            names.add(threading.current_thread().name)

    batches = [[i, i + 100] for i in range(20)]
    onnx_models.run_batches(batches, run_one, workers=2)
    assert sorted(seen) == sorted(tuple(b) for b in batches)
    assert names and all(n.startswith("consistency-ort") for n in names)

    def fail(b: list[int]) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        onnx_models.run_batches(batches, fail, workers=2)


def test_run_workers_two_on_two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONSISTENCY_ORT_WORKERS", raising=False)
    monkeypatch.setattr(onnx_models.os, "cpu_count", lambda: 2)
    assert onnx_models.run_workers() == (2, 1)
    monkeypatch.setattr(onnx_models.os, "cpu_count", lambda: 16)
    assert onnx_models.run_workers() == (2, 8)
    monkeypatch.setenv("CONSISTENCY_ORT_WORKERS", "1")
    assert onnx_models.run_workers() == (1, 16)


def test_unbuilt_directory_is_not_built(tmp_path: Path) -> None:
    assert not model_files.is_built(tmp_path)
    (tmp_path / model_files.BUILD_INFO).write_text(
        json.dumps({"format": model_files.ONNX_FORMAT, "verified": True})
    )
    assert not model_files.is_built(tmp_path)  # the model files are missing


def test_the_export_says_so_on_stderr_when_it_is_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One line as the build starts and one when it is done, in a log file too (a fake export)."""

    def fake_write(tmp: Path) -> dict:
        (tmp / "embedder.onnx").write_bytes(b"\0" * (3 << 20))
        return {}

    monkeypatch.setattr(onnx_build, "_write", fake_write)
    target = tmp_path / "models" / "onnx-fake"
    with (tmp_path / "stderr.log").open("w+", encoding="utf-8") as log:
        monkeypatch.setattr("sys.stderr", log)
        assert onnx_build.build_onnx_dir(target) == target
        log.seek(0)
        lines = log.read().splitlines()
    parent = target.parent
    start = f"consistency: building the default models into {parent} (once, about 1 GB)..."
    assert lines[0] == start
    assert lines[1].startswith("consistency: done in ")
    assert lines[1].endswith(f" s: 3 MB in the model cache at {parent}") and len(lines) == 2


def test_check_set_is_indonesian_and_english() -> None:
    assert len(onnx_build.CHECK_SENTENCES) >= 16 and len(onnx_build.CHECK_PAIRS) >= 16


def test_unreadable_word_embeddings_is_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "w.npy"
    bad.write_bytes(b"not numpy")
    with pytest.raises(ModelError):
        onnx_models.word_embeddings(bad)


def test_precision_follows_the_setting_and_the_cpu() -> None:
    vnni = frozenset({"avx2", "avx512f", "avx512_vnni"})
    avx2 = frozenset({"avx2", "fma"})
    choose = onnx_models.choose_precision
    assert choose(vnni, "fp32") == "fp32" and choose(avx2, "int8") == "int8"
    assert choose(vnni, "INT8 ") == "int8"
    # auto: int8 only with fast int8 dot products and a copy that kept the recall
    assert choose(vnni, "auto", int8_keeps_recall=True) == "int8"
    assert choose(frozenset({"amx_int8"}), None, int8_keeps_recall=True) == "int8"
    assert choose(avx2, "auto", int8_keeps_recall=True) == "fp32"
    assert choose(vnni, "auto", int8_keeps_recall=False) == "fp32"
    assert choose(vnni, None) == ("int8" if onnx_models.INT8_KEEPS_RECALL else "fp32")
    with pytest.raises(ModelError, match="expected fp32, int8 or auto"):
        choose(vnni, "fp16")


def test_the_int8_embedder_is_cached_under_its_own_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(onnx_models.PRECISION_ENV, "int8")
    assert onnx_models.OnnxEmbedder("e5@abc").model_id == "e5@abc+int8"
    monkeypatch.setenv(onnx_models.PRECISION_ENV, "fp32")
    assert onnx_models.OnnxEmbedder("e5@abc").model_id == "e5@abc"
    assert onnx_models.OnnxEmbedder("e5@abc", precision="int8").precision == "int8"
    monkeypatch.setenv(onnx_models.PRECISION_ENV, "bogus")
    with pytest.raises(ModelError):
        onnx_models.OnnxEmbedder("e5@abc")


# ------------------------------------------------------------------------------ slow


@pytest.fixture(scope="module")
def onnx_dir() -> Path:
    return onnx_build.onnx_model_dir()


@pytest.mark.slow
def test_onnx_embedder_matches_sentence_transformers(onnx_dir: Path) -> None:
    from consistency.models.embed import SentenceTransformerEmbedder, load_embedder

    onnx = load_embedder()
    assert isinstance(onnx, onnx_models.OnnxEmbedder)
    torch_emb = SentenceTransformerEmbedder(config.DEFAULT_EMBED_MODEL, batch_size=3)
    assert onnx.model_id == torch_emb.model_id
    got = onnx.embed(SENTENCES)
    want = torch_emb.embed(SENTENCES)
    assert got.shape == want.shape == (len(SENTENCES), 384) and got.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cos = (got.astype(np.float64) * want).sum(axis=1)
    assert cos.min() >= onnx_build.MIN_COSINE, cos
    # the order and batching of the input do not change a sentence's vector
    rev = onnx.embed(SENTENCES[::-1])[::-1]
    assert float((rev * got).sum(axis=1).min()) >= 0.99999
    # nor do the threads that run the batches
    one = onnx_models.OnnxEmbedder(onnx.model_id, batch_size=2)
    one.workers = 1
    two = onnx_models.OnnxEmbedder(onnx.model_id, batch_size=2)
    two.workers = 2
    assert float((one.embed(SENTENCES) * two.embed(SENTENCES)).sum(axis=1).min()) >= 0.99999


@pytest.mark.slow
def test_onnx_nli_matches_the_torch_model(onnx_dir: Path) -> None:
    from consistency.models.nli import CrossEncoderNLI, load_nli, model_id_for

    onnx = load_nli("builtin")
    assert isinstance(onnx, onnx_models.OnnxNLI)
    torch_nli = CrossEncoderNLI.builtin()
    torch_nli.bf16 = False
    assert onnx.model_id == torch_nli.model_id == model_id_for("builtin")
    prem, hyp = [p for p, _ in PAIRS], [h for _, h in PAIRS]
    assert onnx.encode(prem, hyp) == torch_nli.encode(prem, hyp)
    got, want = onnx.predict(prem, hyp), torch_nli.predict(prem, hyp)
    assert got.shape == (len(PAIRS), 3)
    np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-5)
    assert float(np.abs(got - want).max()) <= onnx_build.MAX_PROB_DIFF
    onnx.batch_size, onnx.workers = 1, 2
    try:
        two = onnx.predict(prem, hyp)
    finally:
        onnx.batch_size, onnx.workers = 32, None
    assert float(np.abs(two - got).max()) <= 1e-5


@pytest.mark.slow
def test_build_is_refused_when_the_export_does_not_match(
    onnx_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sentence_transformers import SentenceTransformer

    from consistency.models.e5 import e5_model_dir
    from consistency.models.nli import CrossEncoderNLI

    st = SentenceTransformer(str(e5_model_dir()), device="cpu", local_files_only=True)
    monkeypatch.setattr(onnx_build, "MIN_COSINE", 1.0 + 1e-9)
    with pytest.raises(ModelError, match="does not match"):
        onnx_build.verify(onnx_dir, st, CrossEncoderNLI.builtin(), ("e", "n"))


@pytest.mark.slow
def test_default_report_does_not_import_torch(onnx_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code = (
        "import sys\n"
        "from consistency.cli import main\n"
        f"args = ['report', 'data/', '--format', 'json', '-o', {str(out)!r},\n"
        f"        '--cache-dir', {str(tmp_path / 'cache')!r}]\n"
        "try:\n"
        "    main(args, standalone_mode=False)\n"
        "finally:\n"
        "    heavy = [m for m in ('torch', 'transformers', 'sentence_transformers', 'sklearn')\n"
        "             if m in sys.modules]\n"
        "    print('HEAVY', heavy)\n"
        "assert not heavy, heavy\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "HEAVY []" in res.stdout
    report = json.loads(out.read_text())
    assert report["generated_by"]["nli_model"].startswith("builtin/e5-small-nli@")


@pytest.mark.slow
def test_the_int8_embedder_stays_close_to_fp32(onnx_dir: Path) -> None:
    path = onnx_build.int8_embedder(onnx_dir)
    info = json.loads((onnx_dir / model_files.INT8_INFO).read_text())
    assert info["min_cosine"] >= model_files.INT8_MIN_COSINE and path is not None, info
    sents = list(onnx_build.CHECK_SENTENCES)
    fp32 = onnx_models.OnnxEmbedder("e5", directory=onnx_dir, precision="fp32").embed(sents)
    int8 = onnx_models.OnnxEmbedder("e5", directory=onnx_dir, precision="int8").embed(sents)
    cos = (fp32.astype(np.float64) * int8).sum(axis=1)
    assert cos.min() >= model_files.INT8_MIN_COSINE, cos
    assert cos.min() < 0.99999  # the int8 graph really ran, not the fp32 one
