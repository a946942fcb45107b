"""On-disk caches: reuse, invalidation on model change, laziness, concurrent writers."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from consistency.models.cache import CACHE_FILE, CacheStore, IndexCache, model_key, text_sha
from consistency.models.cached import CachedEmbedder, CachedNLI
from consistency.models.protocols import Embedder, NLIModel
from tests.conftest import REPO_ROOT, FakeEmbedder, FakeNLI

TEXTS = ["Kim akan ke Rusia.", "Putin bertemu Kim.", "Korea Utara menguji 30 rudal."]


class CountingNLI(FakeNLI):
    def __init__(self) -> None:
        self.calls: list[int] = []

    def predict(self, premises, hypotheses):  # type: ignore[no-untyped-def]
        self.calls.append(len(premises))
        return super().predict(premises, hypotheses)


def test_cached_embedder_is_an_embedder_and_keeps_model_id(tmp_path: Path) -> None:
    emb = CachedEmbedder(FakeEmbedder(), tmp_path)
    assert isinstance(emb, Embedder)
    assert emb.model_id == FakeEmbedder.model_id
    assert isinstance(CachedNLI(FakeNLI(), tmp_path), NLIModel)


def test_embeddings_are_reused_across_instances(tmp_path: Path) -> None:
    inner = FakeEmbedder()
    first = CachedEmbedder(inner, tmp_path).embed(TEXTS)
    np.testing.assert_array_equal(first, FakeEmbedder().embed(TEXTS))
    assert inner.calls == [3]

    inner2 = FakeEmbedder()
    again = CachedEmbedder(inner2, tmp_path)
    out = again.embed([TEXTS[2], TEXTS[0], "baru"])
    assert inner2.calls == [1]  # only the unseen text goes to the model
    assert (again.hits, again.misses) == (2, 1)
    np.testing.assert_array_equal(out[0], first[2])
    np.testing.assert_array_equal(out[1], first[0])
    assert out.dtype == np.float32 and out.shape == (3, 256)


def test_duplicate_texts_are_embedded_once(tmp_path: Path) -> None:
    inner = FakeEmbedder()
    out = CachedEmbedder(inner, tmp_path).embed([TEXTS[0], TEXTS[0], TEXTS[1]])
    assert inner.calls == [2]
    np.testing.assert_array_equal(out[0], out[1])


def test_another_model_id_invalidates(tmp_path: Path) -> None:
    CachedEmbedder(FakeEmbedder(), tmp_path).embed(TEXTS)

    class Other(FakeEmbedder):
        model_id = "fake-bow-256@v2"

    other = Other()
    CachedEmbedder(other, tmp_path).embed(TEXTS)
    assert other.calls == [3]  # nothing served from the old model's entries
    with CacheStore(tmp_path) as store:
        assert store.counts()["embeddings"] == 6
        assert store.prune([Other.model_id]) == 3
        assert store.counts()["embeddings"] == 3


def test_factory_is_not_called_when_everything_is_cached(tmp_path: Path) -> None:
    CachedEmbedder(FakeEmbedder(), tmp_path).embed(TEXTS)
    built: list[int] = []

    def factory() -> Embedder:
        built.append(1)
        return FakeEmbedder()

    lazy = CachedEmbedder(factory, tmp_path, model_id=FakeEmbedder.model_id)
    lazy.embed(TEXTS)
    assert built == [] and not lazy.loaded
    lazy.embed(["sesuatu yang baru"])
    assert built == [1] and lazy.loaded


def test_factory_with_a_different_model_id_is_refused(tmp_path: Path) -> None:
    lazy = CachedEmbedder(FakeEmbedder, tmp_path, model_id="something-else")
    with pytest.raises(ValueError, match="model_id"):
        lazy.embed(["x"])


def test_model_key_changes_when_local_weights_change(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    weights = model / "model.safetensors"
    weights.write_bytes(b"one")
    k1 = model_key("local", str(model))
    weights.write_bytes(b"three")
    k2 = model_key("local", str(model))
    assert k1 != k2 and k1.startswith("local#")
    assert model_key("hub/name", "hub/name") == "hub/name"


def test_nli_results_are_cached_by_both_texts(tmp_path: Path) -> None:
    inner = CountingNLI()
    prem = ["Kim tidak ke Rusia.", "Kim ke Rusia."]
    hyp = ["Kim ke Rusia.", "Kim ke Rusia."]
    first = CachedNLI(inner, tmp_path).predict(prem, hyp)
    assert inner.calls == [2]
    inner2 = CountingNLI()
    cached = CachedNLI(inner2, tmp_path)
    # the swapped direction is another key: premise and hypothesis are not symmetric
    out = cached.predict([*prem, hyp[0]], [*hyp, prem[0]])
    assert inner2.calls == [1]
    np.testing.assert_array_equal(out[:2], first)
    assert out.shape == (3, 3) and out.dtype == np.float32


def test_corrupt_vector_rows_are_recomputed(tmp_path: Path) -> None:
    CachedEmbedder(FakeEmbedder(), tmp_path).embed(TEXTS[:1])
    db = sqlite3.connect(tmp_path / CACHE_FILE)
    db.execute("UPDATE embeddings SET vec = ?", (b"\x00" * 8,))
    db.commit()
    db.close()
    inner = FakeEmbedder()
    out = CachedEmbedder(inner, tmp_path).embed(TEXTS[:1])
    assert inner.calls == [1]
    np.testing.assert_array_equal(out, FakeEmbedder().embed(TEXTS[:1]))


WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from consistency.models.cached import CachedEmbedder

    class Slow:
        model_id = "fake-concurrent"
        def embed(self, texts):
            out = np.zeros((len(texts), 8), dtype=np.float32)
            for i, t in enumerate(texts):
                out[i, int(t.split()[1]) % 8] = 1.0
                out[i, 0] += 0.001 * int(t.split()[1])
            return out

    cache_dir, start, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    emb = CachedEmbedder(Slow(), cache_dir)
    for lo in range(start, stop, 7):
        emb.embed([f"kalimat {i}" for i in range(lo, min(lo + 7, stop))])
    """
)


def test_two_processes_writing_one_cache_lose_nothing(tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    cache = tmp_path / "cache"
    CacheStore(cache).close()
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    # overlapping ranges: both write 150..299, each writes its own part too
    procs = [
        subprocess.Popen([sys.executable, str(script), str(cache), "0", "300"], env=env),
        subprocess.Popen([sys.executable, str(script), str(cache), "150", "450"], env=env),
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    db = sqlite3.connect(cache / CACHE_FILE)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = db.execute("SELECT text_sha, vec FROM embeddings").fetchall()
    db.close()
    assert len(rows) == 450
    stored = {sha: np.frombuffer(v, dtype=np.float32) for sha, v in rows}
    for i in (0, 149, 150, 299, 449):
        vec = stored[text_sha(f"kalimat {i}")]
        assert vec[i % 8] >= 1.0 and abs(vec[0] % 1.0 - (0.001 * i) % 1.0) < 1e-4


def test_faiss_index_is_reused_only_for_the_same_corpus_and_model(tmp_path: Path) -> None:
    vecs = FakeEmbedder().embed(TEXTS)
    shas = [text_sha(t) for t in TEXTS]
    cache = IndexCache(tmp_path)
    index, reused = cache.load_or_build("m1", shas, vecs)
    assert not reused and index.ntotal == 3
    again, reused = cache.load_or_build("m1", shas, vecs)
    assert reused and again.ntotal == 3
    sims, ids = again.search(vecs[:1], 1)
    assert ids[0, 0] == 0 and sims[0, 0] == pytest.approx(1.0, abs=1e-5)
    _, reused = cache.load_or_build("m2", shas, vecs)
    assert not reused
    _, reused = cache.load_or_build("m1", shas[:2], vecs[:2])
    assert not reused


def test_a_corrupt_cache_file_is_moved_aside_and_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    with CacheStore(tmp_path) as store:
        assert store.moved_aside is not None and store.moved_aside.exists()
        assert store.moved_aside.read_bytes().startswith(b"this is not a database")
        store.put_vectors("m", [("sha", np.ones(3, dtype=np.float32))])
        assert set(store.get_vectors("m", ["sha"])) == {"sha"}
    err = capsys.readouterr().err
    assert str(tmp_path / "cache.sqlite") in err and "moved to cache.sqlite.corrupt-" in err
    with CacheStore(tmp_path) as again:  # the rebuilt file is sound
        assert again.moved_aside is None


def _fake_nli_module(monkeypatch: pytest.MonkeyPatch, model_id: object) -> list[str]:
    """``consistency.models.nli`` telling ``model_id`` (raising it when an exception) and
    loading a fake; the names it loaded come back."""
    import consistency.models.nli as nli_module

    loaded: list[str] = []

    def model_id_for(name: str) -> object:
        if isinstance(model_id, Exception):
            raise model_id
        return model_id

    def load_nli(name: str) -> FakeNLI:
        loaded.append(name)
        return FakeNLI()

    monkeypatch.setattr(nli_module, "model_id_for", model_id_for)
    monkeypatch.setattr(nli_module, "load_nli", load_nli)
    monkeypatch.setattr("consistency.models.embed.make_embedder", lambda *a, **k: FakeEmbedder())
    return loaded


def test_cached_models_describe_the_nli_model_by_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from consistency.config import Settings
    from consistency.models.cached import cached_models

    loaded = _fake_nli_module(monkeypatch, "told-id")
    embedder, nli, handles = cached_models(Settings(nli_model="mine"), tmp_path)
    assert isinstance(nli, CachedNLI) and not nli.loaded and loaded == []
    assert nli.model_id == "told-id" and nli.cache_key == model_key("told-id", "mine")
    assert embedder.model_id == FakeEmbedder.model_id
    handles["store"].close()  # type: ignore[attr-defined]


def test_cached_models_load_an_nli_model_whose_id_cannot_be_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from consistency.config import Settings
    from consistency.models.cached import cached_models

    loaded = _fake_nli_module(monkeypatch, RuntimeError("no id without the weights"))
    _, nli, handles = cached_models(Settings(nli_model="mine"), tmp_path)
    assert isinstance(nli, CachedNLI) and nli.loaded and loaded == ["mine"]
    assert nli.model_id == FakeNLI.model_id
    assert nli.cache_key == model_key(FakeNLI.model_id, "mine")
    _, none, more = cached_models(Settings(nli_model=None), tmp_path)
    assert none is None and loaded == ["mine"]
    for h in (handles, more):
        h["store"].close()  # type: ignore[attr-defined]
