"""The models behind the on-disk cache: :class:`CachedEmbedder` and :class:`CachedNLI`.

Each wraps an :class:`~consistency.models.protocols.Embedder` or
:class:`~consistency.models.protocols.NLIModel` and satisfies the same protocol, reading
what the cache (:class:`~consistency.models.cache.CacheStore`) holds and running the
model only on what it lacks; :func:`cached_models` gives the settings' models so
wrapped, described without loading.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from consistency.config import Settings
from consistency.models.cache import CacheStore, IndexCache, model_key, text_sha
from consistency.models.protocols import Embedder, NLIModel
from consistency.types import ModelError

M = TypeVar("M")


class _CachedModel(Generic[M]):
    """What the cached wrappers share: a model given as an instance or a factory.

    The model's id is known up front (a factory needs ``model_id``), so a fully
    warm run never builds the model; other attributes pass through to it.
    """

    _protocol: type

    def __init__(
        self,
        inner: M | Callable[[], M],
        store: CacheStore | Path | str,
        *,
        model_id: str | None = None,
        cache_key: str | None = None,
    ) -> None:
        if isinstance(inner, self._protocol) and not isinstance(inner, type):
            self._inner: M | None = inner  # type: ignore[assignment]
            self._factory: Callable[[], M] | None = None
            self.model_id: str = model_id or inner.model_id  # type: ignore[union-attr]
        else:
            if model_id is None:
                raise ValueError("model_id is required when inner is a factory")
            self._inner = None
            self._factory = inner  # type: ignore[assignment]
            self.model_id = model_id
        self.cache_key = cache_key or self.model_id
        self.store = store if isinstance(store, CacheStore) else CacheStore(store)
        self.hits = 0
        self.misses = 0

    @property
    def inner(self) -> M:
        """The wrapped model (built on first use when given as a factory)."""
        if self._inner is None:
            assert self._factory is not None
            self._inner = self._factory()
            got = self._inner.model_id  # type: ignore[attr-defined]
            if got != self.model_id:
                raise ValueError(f"model_id {got!r} != cache key {self.model_id!r}")
        return self._inner

    @property
    def loaded(self) -> bool:
        """Whether the wrapped model has been built."""
        return self._inner is not None

    def __getattr__(self, name: str) -> Any:
        # labels, dimensions and the like pass through to the wrapped model
        if name.startswith("_") or name in (
            "inner",
            "store",
            "model_id",
            "cache_key",
            "hits",
            "misses",
        ):
            raise AttributeError(name)
        return getattr(self.inner, name)


class CachedEmbedder(_CachedModel[Embedder]):
    """An :class:`~consistency.models.protocols.Embedder` that remembers vectors on disk.

    Args:
        inner: the real embedder, or a zero-argument factory that builds it; a
            factory is called only when some text is not cached, so a fully
            warm run never loads the model.
        store: the cache (a :class:`CacheStore` or its directory).
        model_id: required with a factory (the key must be known before
            loading); defaults to ``inner.model_id``.
        cache_key: what entries are stored under; defaults to ``model_id``
            (pass :func:`model_key` for a local model directory, whose name
            alone does not change when its weights do).

    Attributes:
        hits, misses: texts served from the cache / computed, over all calls.
    """

    _protocol = Embedder

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: cached vectors from disk, the rest from the model (then stored)."""
        texts = list(texts)
        if not texts:
            return np.asarray(self.inner.embed(texts), dtype=np.float32)
        shas = [text_sha(t) for t in texts]
        unique = list(dict.fromkeys(shas))
        found = self.store.get_vectors(self.cache_key, unique)
        missing = [s for s in unique if s not in found]
        if missing:
            first = {s: t for s, t in zip(shas, texts, strict=True)}
            vecs = np.asarray(self.inner.embed([first[s] for s in missing]), dtype=np.float32)
            new = dict(zip(missing, vecs, strict=True))
            self.store.put_vectors(self.cache_key, new.items())
            found.update(new)
        self.misses += len(missing)
        self.hits += len(unique) - len(missing)
        return np.stack([found[s] for s in shas]).astype(np.float32, copy=False)


class CachedNLI(_CachedModel[NLIModel]):
    """An :class:`~consistency.models.protocols.NLIModel` that remembers predictions on disk.

    Args:
        inner: the real model, or a zero-argument factory (called only on a miss).
        store: the cache (a :class:`CacheStore` or its directory).
        model_id: required with a factory; defaults to ``inner.model_id``.
        cache_key: what entries are stored under; defaults to ``model_id``.

    Attributes:
        hits, misses: pairs served from the cache / computed, over all calls.
    """

    _protocol = NLIModel

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        """Probabilities ``(n, 3)``: cached rows from disk, the rest from the model."""
        premises, hypotheses = list(premises), list(hypotheses)
        if len(premises) != len(hypotheses):
            raise ValueError("premises and hypotheses differ in length")
        if not premises:
            return np.zeros((0, 3), dtype=np.float32)
        keys = [(text_sha(p), text_sha(h)) for p, h in zip(premises, hypotheses, strict=True)]
        unique = list(dict.fromkeys(keys))
        found = self.store.get_nli(self.cache_key, unique)
        missing = [k for k in unique if k not in found]
        if missing:
            first = {k: (p, h) for k, p, h in zip(keys, premises, hypotheses, strict=True)}
            probs = np.asarray(
                self.inner.predict([first[k][0] for k in missing], [first[k][1] for k in missing]),
                dtype=np.float32,
            )
            new = dict(zip(missing, probs, strict=True))
            self.store.put_nli(self.cache_key, new.items())
            found.update(new)
        self.misses += len(missing)
        self.hits += len(unique) - len(missing)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)


def _nli_model_id(name: str) -> str | None:
    """The NLI model id for ``name`` without loading it, when :mod:`consistency.models.nli`
    can tell.

    Raises:
        ModelError: there is no NLI module to load ``name`` with.
    """
    try:
        module = importlib.import_module("consistency.models.nli")
    except ModuleNotFoundError as e:
        if e.name != "consistency.models.nli":
            raise
        raise ModelError(
            f"could not load NLI model {name}: no NLI support installed (use --nli-model none)"
        ) from None
    fn = getattr(module, "model_id_for", None)
    if fn is None:
        return None
    try:
        return str(fn(name))
    except Exception:  # noqa: BLE001 - fall back to loading the model
        return None


def cached_models(
    settings: Settings, cache_dir: Path | str
) -> tuple[Embedder, NLIModel | None, dict[str, object]]:
    """The settings' embedder and NLI model wrapped in on-disk caches.

    The embedder is described without loading (its id carries the weights'
    hash) and loads only when a sentence is missing from the cache; the NLI
    model likewise when :mod:`consistency.models.nli` offers ``model_id_for(name)``,
    else it is loaded up front. A fully warm check then never runs a model.

    Returns:
        ``(embedder, nli or None, {"store": CacheStore, "index_cache": IndexCache})``.
    """
    from consistency.models.embed import make_embedder

    nli_name = settings.nli_model or None
    nli_id = _nli_model_id(nli_name) if nli_name is not None else None
    nli_model: NLIModel | Callable[[], NLIModel] | None = None
    if nli_name is not None:

        def load_nli_model() -> NLIModel:
            from consistency.models.nli import load_nli

            return load_nli(nli_name)

        if nli_id:  # described by its id, loaded on the first pair the cache lacks
            nli_model = load_nli_model
        else:  # the NLI module cannot tell the id: the model is loaded now for it
            loaded = load_nli_model()
            nli_model, nli_id = loaded, loaded.model_id
    store = CacheStore(cache_dir)
    inner = make_embedder(settings.embed_model, batch_size=settings.batch_size)
    embedder = CachedEmbedder(
        inner, store, cache_key=model_key(inner.model_id, settings.embed_model)
    )
    nli: NLIModel | None = None
    if nli_name is not None and nli_model is not None and nli_id is not None:
        key = model_key(nli_id, nli_name)
        nli = CachedNLI(nli_model, store, model_id=nli_id, cache_key=key)
    return embedder, nli, {"store": store, "index_cache": IndexCache(cache_dir)}
