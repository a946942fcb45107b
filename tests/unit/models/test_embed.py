"""Tests for consistency.models.embed: the embed stage and the sentence-transformers embedder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from consistency import config
from consistency.models import e5, e5_file
from consistency.models.embed import SentenceTransformerEmbedder, embed_sentences, load_embedder
from consistency.models.protocols import Embedder
from consistency.types import SENTENCES, ModelError, SchemaError


class CountingEmbedder:
    """Embeds a text as normalised (length, vowels, words, 1); records every call."""

    model_id = "fake/counting"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = [[len(t), sum(c in "aeiou" for c in t), len(t.split()), 1.0] for t in texts]
        m = np.array(rows, dtype=np.float32).reshape(len(texts), 4)
        return m / np.linalg.norm(m, axis=1, keepdims=True).clip(1e-9)


def sentences_frame(texts: list[str], article: str = "a") -> pl.DataFrame:
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]]).tolist() if texts else []
    return SENTENCES.conform(
        pl.DataFrame(
            {
                "article_id": [article] * len(texts),
                "sent_idx": list(range(len(texts))),
                "block_idx": [0] * len(texts),
                "start": starts,
                "end": [s + len(t) for s, t in zip(starts, texts, strict=True)],
                "text": texts,
            },
            schema_overrides={"text": pl.String, "article_id": pl.String},
        )
    )


def test_fake_is_an_embedder() -> None:
    assert isinstance(CountingEmbedder(), Embedder)


def test_rows_in_order_and_duplicates_embedded_once() -> None:
    texts = ["satu dua", "tiga", "satu dua", "empat lima enam", "tiga"]
    fake = CountingEmbedder()
    out = embed_sentences(sentences_frame(texts), fake)
    assert out.shape == (5, 4) and out.dtype == np.float32 and out.flags.c_contiguous
    assert fake.calls == [["tiga", "satu dua", "empat lima enam"]]  # distinct, by length
    direct = CountingEmbedder().embed(texts)
    np.testing.assert_allclose(out, direct, rtol=1e-6)
    np.testing.assert_array_equal(out[0], out[2])
    assert not np.allclose(out[0], out[1])


def test_wire_copies_embedded_once_in_length_sorted_chunks() -> None:
    from tests.conftest import FakeEmbedder

    wire = "Bus itu membawa 61 penumpang, kata polisi."
    outlets = [
        [wire, "Sopir selamat.", "Rem blong."],
        ["Rem  blong.", wire, "Korban dibawa ke rumah sakit terdekat di Subang."],
        [wire, "Sopir\nselamat.", "Polisi masih menyelidiki penyebab kecelakaan itu."],
    ]
    frame = pl.concat([sentences_frame(texts, article=f"a{i}") for i, texts in enumerate(outlets)])
    fake = FakeEmbedder(dim=32)
    seen: list[tuple[int, int]] = []
    out = embed_sentences(frame, fake, chunk=2, progress=lambda d, t: seen.append((d, t)))
    # 9 sentences, 5 distinct ones (whitespace variants are copies): 3 calls of <= 2 texts
    assert sum(fake.calls) == 5 and fake.calls == [2, 2, 1]
    assert seen[-1] == (9, 9) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    texts = frame["text"].to_list()
    want = FakeEmbedder(dim=32).embed(texts)
    np.testing.assert_allclose(out, want, atol=1e-6)
    assert out.shape == (9, 32) and out.flags.c_contiguous


def test_distinct_texts_reach_the_embedder_shortest_first() -> None:
    texts = ["ccc ccc ccc", "a", "bb bb", "a", "dddd dddd dddd dddd"]
    fake = CountingEmbedder()
    embed_sentences(sentences_frame(texts), fake, chunk=2)
    assert fake.calls == [["a", "bb bb"], ["ccc ccc ccc", "dddd dddd dddd dddd"]]


def test_empty_frame_gives_zero_rows() -> None:
    out = embed_sentences(SENTENCES.empty(), CountingEmbedder())
    assert out.shape == (0, 4) and out.dtype == np.float32


def test_rejects_a_frame_that_is_not_sentences() -> None:
    with pytest.raises(SchemaError):
        embed_sentences(pl.DataFrame({"text": ["a"]}), CountingEmbedder())


def test_wrong_row_count_from_embedder_is_a_model_error() -> None:
    class Short(CountingEmbedder):
        def embed(self, texts: Sequence[str]) -> np.ndarray:
            return super().embed(texts)[:-1]

    with pytest.raises(ModelError, match="returned shape"):
        embed_sentences(sentences_frame(["a", "b"]), Short())


def test_prefix_and_model_id_rules() -> None:
    assert SentenceTransformerEmbedder("intfloat/multilingual-e5-base").prefix == "query: "
    other = SentenceTransformerEmbedder("sentence-transformers/all-MiniLM-L6-v2")
    assert other.prefix == "" and other.model_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert SentenceTransformerEmbedder("x/e5-ish", prefix="passage: ").prefix == "passage: "
    default = SentenceTransformerEmbedder(config.DEFAULT_EMBED_MODEL)
    sha = hashlib.sha256(e5.source_path().read_bytes()).hexdigest()
    assert default.model_id == f"{config.DEFAULT_EMBED_MODEL}@{sha[:12]}"
    assert re.fullmatch(r".+@[0-9a-f]{12}", default.model_id)
    assert default.prefix == "query: "


# ------------------------------------------------------------- a tiny model on disk


def _tiny_model_dir(root: Path) -> Path:
    """A tiny e5-shaped sentence-transformers dir built by the real builder."""
    rng = np.random.default_rng(7)
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁a", "▁b", "a", "b", "c", "▁ab", "▁query", ":"]
    h = e5_file.E5Header(1, 32, 1, 2, 64, len(pieces), 32, 2, 1e-12, 32, len(pieces), 0, 2, 1, 3)

    def q4(*shape: int) -> bytes:
        return e5_file.quantize_q4_0(rng.standard_normal(shape).astype(np.float32) * 0.2)

    def f32(*shape: int, loc: float = 0.0) -> np.ndarray:
        return (loc + rng.standard_normal(shape) * 0.1).astype(np.float32)

    t: dict[str, np.ndarray | bytes] = {
        "emb.word": q4(h.vocab, 32),
        "emb.pos": f32(32, 32),
        "emb.type": f32(2, 32),
        "emb.ln.w": f32(32, loc=1.0),
        "emb.ln.b": f32(32),
    }
    for name, (nout, nin) in {
        "q": (32, 32), "k": (32, 32), "v": (32, 32), "ao": (32, 32), "fi": (64, 32), "fo": (32, 64),
    }.items():  # fmt: skip
        t[f"l0.{name}.w"] = q4(nout, nin)
        t[f"l0.{name}.b"] = f32(nout)
    for ln in ("aln", "oln"):
        t[f"l0.{ln}.w"] = f32(32, loc=1.0)
        t[f"l0.{ln}.b"] = f32(32)
    scores = -np.arange(len(pieces), dtype=np.float32) * 0.3
    data = e5_file.write_e5_file(h, pieces, scores, {}, t)
    src = root / "tiny.bin"
    src.write_bytes(data)
    return e5.build_model_dir(src, root / "tiny-e5", hashlib.sha256(data).hexdigest())


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tiny_model_dir(tmp_path_factory.mktemp("tiny"))


def test_embedder_on_a_local_dir(tiny_dir: Path) -> None:
    from sentence_transformers import SentenceTransformer

    emb = SentenceTransformerEmbedder(str(tiny_dir), batch_size=2)
    assert emb._model is None  # lazy
    assert emb.model_id == str(tiny_dir) and emb.prefix == "query: "
    texts = ["ab c", "a b", "c", "b a ab"]
    out = emb.embed(texts)
    assert out.shape == (4, 32) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    ref = SentenceTransformer(str(tiny_dir), device="cpu").encode(
        ["query: " + t for t in texts], convert_to_numpy=True
    )
    np.testing.assert_allclose(out, ref, atol=1e-5)
    plain = SentenceTransformer(str(tiny_dir), device="cpu").encode(texts, convert_to_numpy=True)
    assert not np.allclose(out, plain, atol=1e-3)  # the prefix really is applied
    assert emb.embed([]).shape == (0, 32)


def test_load_embedder_is_cached(tiny_dir: Path) -> None:
    a = load_embedder(str(tiny_dir))
    assert load_embedder(str(tiny_dir)) is a
    assert isinstance(a, Embedder)


def test_unloadable_dir_is_a_model_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken-model"
    bad.mkdir()
    (bad / "modules.json").write_text("not json")
    (bad / "config.json").write_text("{")
    with pytest.raises(ModelError, match=r"could not load embedding model .*broken-model: "):
        load_embedder(str(bad))
    err = pytest.raises(ModelError, SentenceTransformerEmbedder(str(bad)).embed, ["x"])
    assert "\n" not in str(err.value)


# ------------------------------------------------------------------ the real model (slow)


@pytest.mark.slow
def test_default_embedder_sanity() -> None:
    emb = load_embedder()
    assert emb.model_id.startswith(config.DEFAULT_EMBED_MODEL + "@")
    texts = [
        "Rusia sedang mencari amunisi artileri dari Korea Utara, kata Gedung Putih.",
        "Russia is seeking artillery ammunition from North Korea, the White House said.",
        "Gedung Putih mengatakan Rusia berupaya mendapatkan amunisi artileri dari Korea Utara.",
        "Harga cabai di pasar tradisional naik menjelang hari raya.",
    ]
    v = emb.embed(texts)
    assert v.shape == (4, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    translation, paraphrase, unrelated = v[0] @ v[1], v[0] @ v[2], v[0] @ v[3]
    assert translation > unrelated + 0.05
    assert paraphrase > unrelated + 0.05
    assert emb.embed([]).shape == (0, 384)
    frame = sentences_frame([texts[0], texts[3], texts[0]])
    out = embed_sentences(frame, emb)
    np.testing.assert_allclose(out, v[[0, 3, 0]], atol=1e-5)
