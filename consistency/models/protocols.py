"""Model protocols and lazy, cached loaders.

Stages never construct models themselves: they receive an :class:`Embedder`
or :class:`NLIModel`, so that unit tests can pass small fakes and the real
models are loaded once, lazily, by :func:`load_embedder` / :func:`load_nli`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import polars as pl

NLI_LABELS: tuple[str, str, str] = ("entailment", "neutral", "contradiction")
"""The label order of :meth:`NLIModel.predict`'s columns, whatever the model's own order."""


@runtime_checkable
class Embedder(Protocol):
    """Turns sentences into L2-normalised float32 vectors.

    Attributes:
        model_id: names the model and its version; part of every cache key.
    """

    model_id: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as an ``(n, dim)`` float32 matrix with unit rows."""
        ...


@runtime_checkable
class NLIModel(Protocol):
    """A 3-way NLI cross-encoder.

    Attributes:
        model_id: names the model and its version; part of every cache key.
    """

    model_id: str

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        """Probabilities ``(n, 3)`` in :data:`NLI_LABELS` order, rows summing to 1."""
        ...


@runtime_checkable
class Judge(Protocol):
    """Turns aligned pairs (and single sentences) into findings.

    Attributes:
        name: a short name, reported in ``generated_by``.
    """

    name: str

    def judge(
        self,
        articles: pl.DataFrame,
        sentences: pl.DataFrame,
        facts: pl.DataFrame,
        pairs: pl.DataFrame,
        nli_scores: pl.DataFrame | None,
        *,
        claims: pl.DataFrame | None = None,
        links: pl.DataFrame | None = None,
        groups: dict[str, str] | None = None,
    ) -> pl.DataFrame:
        """Return a DIVERGENCES frame for ARTICLES, SENTENCES, FACTS, PAIRS and NLI_SCORES.

        ``claims``, ``links`` and ``groups`` (CLAIMS, CLAIM_LINKS and the claim
        groups) let a judge compare claims across the whole cluster.
        """
        ...
