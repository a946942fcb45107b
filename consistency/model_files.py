"""What the model modules share: the built-in NLI model's files, its id, and label order.

The bottom of the model modules: :mod:`consistency.nli_torch`,
:mod:`consistency.onnx_models`, :mod:`consistency.onnx_build`,
:mod:`consistency.embed` and :mod:`consistency.nli` all import it, and it
imports none of them (nor torch or transformers, but inside
:func:`quiet_transformers`).
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from consistency.models import NLI_LABELS
from consistency.types import ModelError

BUILTIN_DIR = Path(__file__).resolve().parent / "nli_model"
"""The shipped model: ``model.safetensors`` (fp16, no word embeddings), ``config.json``."""

BUILTIN_NAME = "builtin"

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
    from consistency.e5 import file_sha256

    return file_sha256(weights)[:12]


def builtin_weights() -> Path:
    """The shipped model's ``model.safetensors``.

    Raises:
        ModelError: it is missing.
    """
    weights = BUILTIN_DIR / "model.safetensors"
    if not weights.is_file():
        raise ModelError(f"built-in NLI model missing: {weights} not found")
    return weights


def model_id_for(name: str) -> str | None:
    """The model id :func:`consistency.nli.load_nli` would give ``name``, without loading it.

    Known for the built-in model only (its id hashes the shipped weights), so
    that a fully cached run never loads it; ``None`` for other models.

    Raises:
        ModelError: the built-in model's weights are missing.
    """
    if name != BUILTIN_NAME:
        return None
    return f"builtin/e5-small-nli@{weights_sha12(builtin_weights())}"


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
