"""Credited statements: what a sentence states, and which statements of a story say one thing.

:func:`statement_neighbours` finds each credited sentence's nearest statement in
every other article (a FAISS inner-product index); :func:`statement_overlap` weighs
the distinctive words two statements share. Both serve the speaker links of
:func:`consistency.claims.link.link_claims`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import numpy as np

from consistency.claims.quoted import QUOTED

_WORD_RE = re.compile(r"[^\W\d_]{3,}")


def _statement(text: str) -> str:
    """What a sentence states: its quoted words when it quotes, else all of it.

    Around a quote stand who said it and where it was quoted from ("kata
    Sadira, seperti dikutip dari detikJabar, Minggu"): words two unrelated
    quotes can share.
    """
    inner = [m.group(1) for m in QUOTED.finditer(text) if len(m.group(1).split()) >= 2]
    return " ".join(inner) if inner else text


def statement_overlap(texts: list[str]) -> Any:
    """A function ``(i, j, leave_out) -> 0..1``: the distinctive words sentences i and j share.

    A quoting sentence is read by its quoted words only (:func:`_statement`).
    Words weigh by their rarity in the cluster (log inverse sentence
    frequency), so that the story's own words ("korban", "gempa") count
    little and a statement's own ("oksigen", "kritis", "pendataan") much;
    the shared weight is divided by the smaller side's weight.
    """
    import math

    bags = [set(_WORD_RE.findall(_statement(t).lower())) for t in texts]
    df: dict[str, int] = defaultdict(int)
    for b in bags:
        for w in b:
            df[w] += 1
    n = max(1, len(bags))
    weight = {w: math.log(n / c) for w, c in df.items()}

    def overlap(i: int, j: int, leave_out: set[str]) -> float:
        a, b = bags[i] - leave_out, bags[j] - leave_out
        wa, wb = sum(weight[w] for w in a), sum(weight[w] for w in b)
        if min(wa, wb) <= 0:
            return 0.0
        return sum(weight[w] for w in a & b) / min(wa, wb)

    return overlap


def statement_neighbours(
    article_ids: list[str], vectors: np.ndarray, threshold: float, k: int
) -> list[tuple[int, int, float]]:
    """Sentence pairs ``(i, j, cosine)``: each sentence's nearest statement per other article.

    A FAISS flat inner-product index over all sentences of the cluster gives
    each sentence's ``k`` nearest neighbours; of those in another article,
    the best one per article is kept when it reaches ``threshold``. Each
    pair once, ``i < j``.
    """
    import faiss  # type: ignore[import-untyped]

    n = vectors.shape[0]
    if n < 2:
        return []
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    index = faiss.IndexFlatIP(x.shape[1])
    index.add(x)
    sims, ids = index.search(x, min(k + 1, n))
    out: dict[tuple[int, int], float] = {}
    for i in range(n):
        seen: set[str] = {article_ids[i]}
        for s, j in zip(sims[i], ids[i], strict=True):
            if j < 0 or s < threshold or article_ids[j] in seen:
                continue
            seen.add(article_ids[j])
            a, b = (i, int(j)) if i < j else (int(j), i)
            out[(a, b)] = float(s)
    return [(a, b, s) for (a, b), s in sorted(out.items())]
