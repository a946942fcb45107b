"""Align: pair each sentence with its counterparts in OTHER articles, with FAISS.

Takes the SENTENCES frame and its embedding matrix (row ``i`` of the matrix is
row ``i`` of the frame, unit-normalised float32) and returns a PAIRS frame.

e5's cosines are compressed (unrelated Indonesian sentences still score about
0.83, paraphrases 0.93 to 0.99), so a bare threshold is not enough. A
candidate ``j`` in article ``B`` for sentence ``i`` in article ``A`` is kept
when its similarity is at least ``min_similarity`` and either it is the best
match of ``i`` in ``B`` *and* ``i`` is the best match of ``j`` in ``A``
(mutual best), or it beats the next-best candidate in ``B`` by ``min_margin``.
Each unordered pair is reported once, with ``a_article < b_article``.

In focus mode (a check of new articles against a corpus) the corpus side can come
as a prebuilt FAISS index (``other_index``, e.g. from :class:`consistency.models.cache.IndexCache`),
so a corpus already seen is not indexed again; the result is the same as without it.

Index choice (:func:`make_index`): exact flat inner-product search up to
:data:`FLAT_MAX` vectors, HNSW above. Measured on 2 AVX2 cores (self-join,
k=64, 384-d clustered unit vectors, machine shared): flat 0.06 s / 0.85 s /
7.1 s at 2k / 10k / 30k vectors, HNSW (M=32) build plus search 0.33 s / 4.1 s /
28 s with recall@64 0.999 / 0.988 / 0.957. Flat is faster and exact at every
size a story or a checked corpus reaches on one machine, so the switch sits
well above them (a story's sentences are hundreds; 1,000 articles are about
20k sentences, and alignment never indexes a whole feed, only one story).

Exact search compares every sentence with every other, so its cost grows with
the square of the sentences; one article of 100,000 tiny sentences would cost
minutes here (every other stage is linear in them). Only the first
:data:`MAX_ALIGNED_SENTENCES` sentences of an article are aligned
(:func:`articles_over_align_cap` names the articles cut short, for a warning).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import faiss
import numpy as np
import polars as pl

from consistency.config import AlignConfig
from consistency.types import PAIRS


def _search(
    index_vectors: np.ndarray, queries: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Inner-product k-NN of ``queries`` in ``index_vectors`` (exact, FAISS flat)."""
    return _flat(index_vectors).search(queries, min(k, index_vectors.shape[0]))


def _search_parts(
    parts: list[tuple[Any, np.ndarray]], queries: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """k-NN of ``queries`` over several indexes at once.

    Args:
        parts: ``(index, rows)``: row ``i`` of ``index`` is sentence ``rows[i]``.
        queries: the query vectors.
        k: neighbours wanted.

    Returns:
        ``(sims, ids)`` as from one search over all parts, ``ids`` being sentence rows
        (-1 where fewer than ``k`` exist).
    """
    all_s, all_i = [], []
    for index, rows in parts:
        if index.ntotal == 0:
            continue
        s, i = index.search(queries, min(k, index.ntotal))
        all_s.append(s)
        all_i.append(np.where(i >= 0, rows[np.clip(i, 0, None)], -1))
    sims, ids = np.concatenate(all_s, axis=1), np.concatenate(all_i, axis=1)
    order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(sims, order, axis=1), np.take_along_axis(ids, order, axis=1)


MAX_ALIGNED_SENTENCES = 5_000
"""How many sentences of one article (its first, in order) :func:`align` pairs.

A news article has tens of sentences, a long feature a few hundred. Past this an
article is no news report but a hostile or broken input ("Ini kalimat nomor 5. "
100,000 times): the exact search's cost grows with the square of the sentences
(measured on the machine above, fake 256-d vectors: 5 s at 20k sentences, 21 s
at 40k, 84 s at 80k), so the rest of such an article is left out of alignment;
its facts and claims are still read. At this many the search takes well under a
second.
"""


def articles_over_align_cap(
    sentences: pl.DataFrame, cap: int = MAX_ALIGNED_SENTENCES
) -> dict[str, int]:
    """Articles with more than ``cap`` sentences -> their sentence count.

    :func:`align` pairs only the first ``cap`` sentences of these: a caller
    can warn that the rest were not compared.
    """
    counts = sentences.group_by("article_id", maintain_order=True).len()
    return {a: int(n) for a, n in counts.filter(pl.col("len") > cap).iter_rows()}


def _first_sentences(sentences: pl.DataFrame, cap: int) -> np.ndarray:
    """A mask of the rows that are among the first ``cap`` of their article (frame order)."""
    rank = sentences.select(pl.int_range(pl.len()).over("article_id").alias("rank"))["rank"]
    return (rank < cap).to_numpy()


FLAT_MAX = 100_000
"""Above this many vectors :func:`make_index` builds HNSW instead of a flat index
(see the module docstring for the measurement behind it)."""


def make_index(vectors: np.ndarray, *, flat_max: int = FLAT_MAX, ef_search: int = 128) -> Any:
    """An inner-product FAISS index over ``vectors``: flat (exact) up to ``flat_max``
    rows, HNSW (M=32, approximate) above."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.shape[0] <= flat_max:
        index: Any = faiss.IndexFlatIP(vectors.shape[1])
    else:
        index = faiss.IndexHNSWFlat(vectors.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = ef_search
    index.add(vectors)
    return index


def _flat(vectors: np.ndarray) -> Any:
    return make_index(vectors)


_Best = dict[tuple[int, str], tuple[int, float, float]]
"""(query row, other article) -> (best row, best sim, second-best sim)."""


def _best_per_article(
    sims: np.ndarray,
    ids: np.ndarray,
    query_rows: np.ndarray,
    index_rows: np.ndarray,
    articles: np.ndarray,
) -> _Best:
    """For each (query row, other article): (best row, best sim, second-best sim)."""
    best: _Best = {}
    for qi, q in enumerate(query_rows):
        q_art = articles[q]
        for s, j in zip(sims[qi], ids[qi], strict=True):
            if j < 0:
                continue
            row = int(index_rows[j])
            art = articles[row]
            if art == q_art:
                continue
            key = (int(q), str(art))
            cur = best.get(key)
            if cur is None:
                best[key] = (row, float(s), -1.0)
            elif cur[2] < 0:
                best[key] = (cur[0], cur[1], float(s))
    return best


def align(
    sentences: pl.DataFrame,
    vectors: np.ndarray,
    config: AlignConfig | None = None,
    focus: Collection[str] | None = None,
    other_index: Any | None = None,
) -> pl.DataFrame:
    """Pair sentences across articles.

    Args:
        sentences: SENTENCES frame.
        vectors: ``(len(sentences), dim)`` float32, unit rows, in frame order.
        config: thresholds; defaults to :class:`AlignConfig`.
        focus: article ids; when given, only pairs with at least one side in
            one of these articles are searched for and returned.
        other_index: with ``focus``, a FAISS inner-product index over the vectors
            of the sentences *outside* the focus articles, in frame order (built
            here when not given or when its size does not match).

    Returns:
        PAIRS frame, sorted by (a_article, a_idx, b_article, b_idx). Only the
        first :data:`MAX_ALIGNED_SENTENCES` sentences of each article are paired.
    """
    config = config or AlignConfig()
    n = sentences.height
    if n == 0 or sentences["article_id"].n_unique() < 2:
        return PAIRS.empty()
    if vectors.shape[0] != n:
        raise ValueError(f"{vectors.shape[0]} vectors for {n} sentences")
    if n > MAX_ALIGNED_SENTENCES:
        keep = _first_sentences(sentences, MAX_ALIGNED_SENTENCES)
        if not keep.all():
            # pairs name sentences by article and index, so the cut frame's pairs stand
            # as they are; a prebuilt index of more rows than are kept is rebuilt
            return align(
                sentences.filter(pl.Series(keep)), vectors[keep], config, focus, other_index
            )
    vecs = np.ascontiguousarray(vectors, dtype=np.float32)
    articles = sentences["article_id"].to_numpy()
    n_articles = int(sentences["article_id"].n_unique())
    # enough neighbours to see the best two in each other article, most of the time
    k = min(n, max(config.k * n_articles, 32))

    if focus is None:
        all_rows = np.arange(n)
        sims, ids = _search(vecs, vecs, k)
        best = _best_per_article(sims, ids, all_rows, all_rows, articles)
    else:
        best = _best_around_focus(vecs, articles, k, focus, other_index)
    return _pairs_frame(best, articles, sentences["sent_idx"].to_numpy(), config)


def _best_around_focus(
    vecs: np.ndarray,
    articles: np.ndarray,
    k: int,
    focus: Collection[str],
    other_index: Any | None,
) -> _Best:
    """The best matches of the focus sentences everywhere, and of the others in the focus."""
    all_rows = np.arange(len(articles))
    in_focus = np.isin(articles, np.array(list(focus), dtype=object))
    f_rows, o_rows = all_rows[in_focus], all_rows[~in_focus]
    best: _Best = {}
    if len(f_rows):
        if other_index is None or other_index.ntotal != len(o_rows):
            other_index = _flat(vecs[o_rows]) if len(o_rows) else None
        parts = [(_flat(vecs[f_rows]), f_rows)]
        if other_index is not None:
            parts.append((other_index, o_rows))
        sims, ids = _search_parts(parts, vecs[f_rows], k)
        best.update(_best_per_article(sims, ids, f_rows, all_rows, articles))
        if len(o_rows):
            sims, ids = _search(vecs[f_rows], vecs[o_rows], k)
            best.update(_best_per_article(sims, ids, o_rows, f_rows, articles))
    return best


def _pairs_frame(
    best: _Best, articles: np.ndarray, idx: np.ndarray, config: AlignConfig
) -> pl.DataFrame:
    """The PAIRS frame of the matches that are mutual best or win by the margin, each once."""
    seen: set[tuple[int, int]] = set()
    rows = []
    for (i, b_art), (j, s, second) in best.items():
        if s < config.min_similarity:
            continue
        back = best.get((j, str(articles[i])))
        mutual = back is not None and back[0] == i
        margin = s - second if second >= 0 else s - config.min_similarity
        if not (mutual or margin >= config.min_margin):
            continue
        a, b = (i, j) if articles[i] < b_art else (j, i)
        if (a, b) in seen:
            continue
        seen.add((a, b))
        rows.append((articles[a], int(idx[a]), articles[b], int(idx[b]), s, margin))
    if not rows:
        return PAIRS.empty()
    out = pl.DataFrame(rows, schema=PAIRS.polars_schema, orient="row")
    return PAIRS.validate(out.sort(["a_article", "a_idx", "b_article", "b_idx"]))
