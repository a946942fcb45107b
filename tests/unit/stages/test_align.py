import numpy as np
import polars as pl
import pytest

from consistency.config import AlignConfig
from consistency.stages.align import align
from consistency.types import PAIRS, SENTENCES, SchemaError
from tests.conftest import FakeEmbedder, sentences_frame

ROWS = [
    ("a", 0, "Kirby said the talks between Russia and North Korea are advancing"),
    ("a", 1, "The weather in Jakarta was hot on Monday afternoon"),
    ("a", 2, "Kim plans to travel to Russia this month to meet Putin"),
    ("b", 0, "Watson said the talks between Russia and North Korea are advancing"),
    ("b", 1, "Kim plans to travel to Russia this month to meet Putin in Moscow"),
    ("b", 2, "Football results from the weekend league matches"),
    ("c", 0, "Kim plans to travel to Russia this month to meet Putin"),
]


def test_align_pairs_counterparts_across_articles_only():
    s = sentences_frame(ROWS)
    vecs = FakeEmbedder().embed(s["text"].to_list())
    pairs = align(s, vecs, AlignConfig(min_similarity=0.6, min_margin=0.05))
    PAIRS.validate(pairs)
    got = {(r[0], r[1], r[2], r[3]) for r in pairs.iter_rows()}
    assert ("a", 0, "b", 0) in got
    assert ("a", 2, "b", 1) in got
    assert ("a", 2, "c", 0) in got
    assert ("b", 1, "c", 0) in got
    # never the same article, each pair once, canonical order
    assert all(r[0] < r[2] for r in pairs.iter_rows())
    assert len(got) == pairs.height
    # unrelated sentences are not paired
    assert not any((a, i) == ("a", 1) or (b, j) == ("b", 2) for a, i, b, j in got)


def test_align_threshold_drops_weak_pairs():
    s = sentences_frame(ROWS)
    vecs = FakeEmbedder().embed(s["text"].to_list())
    pairs = align(s, vecs, AlignConfig(min_similarity=0.99, min_margin=0.05))
    got = {(r[0], r[1], r[2], r[3]) for r in pairs.iter_rows()}
    assert got == {("a", 2, "c", 0)}  # identical texts only


def test_align_focus_keeps_only_pairs_touching_focus():
    s = sentences_frame(ROWS)
    vecs = FakeEmbedder().embed(s["text"].to_list())
    full = align(s, vecs, AlignConfig(min_similarity=0.6, min_margin=0.05))
    focused = align(s, vecs, AlignConfig(min_similarity=0.6, min_margin=0.05), focus=["c"])
    assert focused.height > 0
    assert all("c" in (r[0], r[2]) for r in focused.iter_rows())
    expected = full.filter((pl.col("a_article") == "c") | (pl.col("b_article") == "c"))
    assert sorted(focused.select("a_article", "a_idx", "b_article", "b_idx").rows()) == sorted(
        expected.select("a_article", "a_idx", "b_article", "b_idx").rows()
    )


def test_align_single_article_and_empty():
    s = sentences_frame(ROWS[:3])
    assert align(s, FakeEmbedder().embed(s["text"].to_list())).height == 0
    assert align(SENTENCES.empty(), np.zeros((0, 8), np.float32)).height == 0


def test_align_rejects_mismatched_vectors():
    s = sentences_frame(ROWS)
    with pytest.raises(ValueError):
        align(s, np.zeros((2, 8), np.float32))


def test_schema_validate_catches_wrong_dtype():
    df = pl.DataFrame({"a_article": ["x"]})
    with pytest.raises(SchemaError):
        PAIRS.validate(df)


def _clustered(n_articles: int, per_article: int, seed: int = 0):
    """Sentences whose vectors are noisy copies of shared 'facts' (so pairs exist)."""
    rng = np.random.default_rng(seed)
    facts = rng.normal(size=(per_article, 16))
    rows, vecs = [], []
    for a in range(n_articles):
        for i in range(per_article):
            rows.append((f"art{a}", i, f"sentence {a}/{i}"))
            vecs.append(facts[i] + rng.normal(scale=0.3, size=16))
    v = np.asarray(vecs, dtype=np.float32)
    return sentences_frame(rows), v / np.linalg.norm(v, axis=1, keepdims=True)


def test_focus_with_a_prebuilt_corpus_index_gives_the_same_pairs():
    import faiss

    s, vecs = _clustered(6, 30)  # k = 48 < 180 sentences: the merged search is exercised
    cfg = AlignConfig(min_similarity=0.5, min_margin=0.01)
    focus = ["art2"]
    plain = align(s, vecs, cfg, focus=focus)
    outside = (s["article_id"] != "art2").to_numpy()
    index = faiss.IndexFlatIP(vecs.shape[1])
    index.add(np.ascontiguousarray(vecs[outside]))
    reused = align(s, vecs, cfg, focus=focus, other_index=index)
    assert plain.height > 10
    assert reused.equals(plain)
    # an index of the wrong size (a stale corpus) is not used
    stale = faiss.IndexFlatIP(vecs.shape[1])
    stale.add(np.ascontiguousarray(vecs[:5]))
    assert align(s, vecs, cfg, focus=focus, other_index=stale).equals(plain)


def test_make_index_flat_below_switch_hnsw_above_and_they_agree() -> None:
    import faiss

    from consistency.stages.align import make_index

    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 16)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    flat = make_index(x, flat_max=400)
    hnsw = make_index(x, flat_max=399)
    assert isinstance(flat, faiss.IndexFlatIP)
    assert isinstance(hnsw, faiss.IndexHNSWFlat)
    _, fi = flat.search(x, 5)
    _, hi = hnsw.search(x, 5)
    assert (fi[:, 0] == np.arange(400)).all()
    assert np.mean(fi[:, :5] == hi[:, :5]) > 0.95
