"""Small, fast stand-ins for the real models, for unit tests only.

The end-to-end tests (marked ``slow``) use the real embedding and NLI models.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import re
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import numpy as np
import polars as pl

from consistency.models.protocols import NLI_LABELS
from consistency.types import SENTENCES


class FakeEmbedder:
    """Bag-of-words hashed into 256 dimensions: similar word sets, similar vectors."""

    model_id = "fake-bow-256"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls: list[int] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                h = int.from_bytes(hashlib.md5(w.encode()).digest()[:4], "little")
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


class FakeNLI:
    """Contradiction when exactly one side has a negation word, else entailment."""

    model_id = "fake-nli"
    labels = NLI_LABELS

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        neg = re.compile(r"\b(tidak|bukan|not|never|membantah|denied)\b", re.I)
        out = np.zeros((len(premises), 3), dtype=np.float32)
        for i, (p, h) in enumerate(zip(premises, hypotheses, strict=True)):
            if bool(neg.search(p)) != bool(neg.search(h)):
                out[i] = (0.05, 0.05, 0.9)
            else:
                out[i] = (0.9, 0.05, 0.05)
        return out


def sentences_frame(rows: Sequence[tuple[str, int, str]]) -> pl.DataFrame:
    """A SENTENCES frame of (article id, sentence index, text) rows, one block each."""
    return SENTENCES.conform(
        pl.DataFrame(
            [
                {
                    "article_id": a,
                    "sent_idx": i,
                    "block_idx": 0,
                    "start": 0,
                    "end": len(t),
                    "text": t,
                }
                for a, i, t in rows
            ]
        )
    )


def sync(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test with asyncio.run (no async pytest plugin needed)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))

    return wrapper
