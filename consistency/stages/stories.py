"""The stories stage: ARTICLES -> STORIES (which articles report one event).

A feed holds articles about many events; the later stages compare articles
only inside a story. Two articles belong to one story when they name the same
things and open alike, and their publication dates are not too far apart:

* **names**: the capitalised words, acronyms and letter-digit codes of the
  title and the kept text (after clean and segment, so page furniture does not
  count), a capitalised word that the article also writes in lower case
  excepted (``Saat`` at a sentence start); each name also counts by its
  character trigrams, so that spellings across languages (Turki, Turkey)
  overlap in part; weighted by rarity in the feed (tf-idf, the idf smoothed by
  :attr:`StorySettings.idf_prior` name-less articles so a small feed weighs
  names as a large one does);
* **opening**: the title and first :attr:`StorySettings.lead_sentences` kept
  sentences, embedded by the run's :class:`~consistency.models.protocols.Embedder`; two
  openings score the mean best-match cosine of their sentences, rescaled from
  :attr:`StorySettings.embed_floor` (these are sentences the pipeline embeds
  later, so a cached embedder embeds them once);
* **dates**: two articles whose ``published`` dates differ by more than
  :attr:`StorySettings.window_days` (31: a month-long story, or a dateline
  misread by a month, stays one) are never in one story, unless they are of
  different years and one's text names the other's year (a wrong year in one
  dateline does not split a story). The same event reported a year earlier
  is another story.

Grouping is average-linkage agglomeration over the pairwise score
``embed_weight * opening + (1 - embed_weight) * names``, merging while the
best pair of stories scores at least :attr:`StorySettings.threshold`; a date
conflict between any two of their articles keeps two stories apart. Articles
are ordered by text sha256 first, so the grouping does not depend on the input
order, and a story's id hashes the sorted shas of its articles: the same
articles give the same id.

The defaults were chosen on the development clusters mixed with the sample
(``bench/stories_bench.py``): any threshold from 0.14 to 0.18 groups that feed
exactly, and each cluster alone stays one story up to 0.18.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from consistency.models.protocols import Embedder
from consistency.types import ARTICLES, STORIES

_NAME = re.compile(r"\b(?:[A-Z][\w'\-]*\w|[A-Za-z]+\d[\w\-]*|\d+[A-Za-z][\w\-]*)")
"""A name-like token: a Capitalised word, an ACRONYM or a letter-digit code (SJ182)."""
_WORD = re.compile(r"\w+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class StorySettings:
    """How articles are grouped into stories.

    Attributes:
        threshold: the lowest average score at which two stories merge.
        embed_weight: the share of the opening embedding in the score (the
            rest is the overlap of names).
        embed_floor: the sentence cosine counted as nothing in common.
        idf_prior: articles without names the name idf counts besides the feed's.
        name_gram: the length of the character n-grams of names.
        window_days: the longest span of publication dates inside one story.
        lead_sentences: kept sentences that make the opening (with the title).
        label_names: how many names the label shows.
    """

    threshold: float = 0.16
    embed_weight: float = 0.2
    embed_floor: float = 0.8
    idf_prior: int = 100
    name_gram: int = 3
    window_days: int = 31
    lead_sentences: int = 5
    label_names: int = 3


def story_id(text_shas: list[str]) -> str:
    """``s-`` and 12 hex characters hashing the sorted text shas of a story's articles."""
    raw = "|".join(sorted(text_shas))
    return "s-" + hashlib.sha256(raw.encode()).hexdigest()[:12]


def _names(text: str) -> list[str]:
    """Name-like tokens of ``text`` as written (see ``_NAME``)."""
    out = []
    for m in _NAME.finditer(text):
        w = m.group(0).strip("-'")
        if len(w) < 3 and not any(c.isdigit() for c in w):
            continue
        out.append(w)
    return out


def _article_names(texts: list[str]) -> Counter[str]:
    """Casefolded names of one article; a capitalised word also written in lower case
    in the same article (``Saat`` at a sentence start, ``saat`` inside one) is no name."""
    lower = {w for t in texts for w in _WORD.findall(t) if w.islower()}
    out: Counter[str] = Counter()
    for t in texts:
        for w in _names(t):
            key = w.casefold()
            if key in lower and not w.isupper() and not any(c.isdigit() for c in w):
                continue
            out[key] += 1
    return out


@dataclass(frozen=True)
class _Features:
    """What the grouping reads of each article, in the sorted row order."""

    openings: list[list[str]]  # title and first kept sentences
    names: list[Counter[str]]  # casefolded names of the whole kept text -> count
    surface: dict[str, str]  # casefolded name -> as first written
    years: list[frozenset[int]]  # the years the article's text and date mention
    common: frozenset[str] = frozenset()  # words written in lower case somewhere in the feed


Segmented = tuple[pl.DataFrame, pl.DataFrame]
"""``(view, sentences)``: the matching view of ARTICLES and its SENTENCES, done before
(``consistency.stages.prepare.prepare_articles``), so a feed cleans and segments each article
once for the grouping and its story's run; any row order."""


def _segmented(articles: pl.DataFrame, given: Segmented | None) -> Segmented:
    """The view (in ``articles``' row order) and sentences, computed when not given."""
    if given is None:
        from consistency.stages.clean import clean
        from consistency.stages.segment import segment
        from consistency.text.normalise import match_articles

        view, _ = match_articles(articles)
        return view, segment(view, clean(view))
    view, sentences = given
    ids = articles["article_id"].to_list()
    pos = {a: i for i, a in enumerate(ids)}
    view = view.filter(pl.col("article_id").is_in(ids))
    view = view.sort(pl.col("article_id").replace_strict(pos, return_dtype=pl.Int64))
    if view["article_id"].to_list() != ids:
        raise ValueError("the segmented view does not hold every article")
    return view, sentences.filter(pl.col("article_id").is_in(ids))


def _features(articles: pl.DataFrame, n_lead: int, given: Segmented | None = None) -> _Features:
    view, sentences = _segmented(articles, given)
    texts: dict[str, list[str]] = {
        aid: [t] if t else [] for aid, t in articles.select("article_id", "title").iter_rows()
    }
    for aid, text in sentences.select("article_id", "text").iter_rows():
        texts[aid].append(text)
    openings, names, years = [], [], []
    surface: dict[str, str] = {}
    for aid, full, published in view.select("article_id", "text", "published").iter_rows():
        kept = texts[aid] or [full[:300]]
        head = kept[: n_lead + 1]
        openings.append(list(dict.fromkeys(head)))
        names.append(_article_names(kept))
        for t in kept:
            for w in _names(t):
                surface.setdefault(w.casefold(), w)
        ys = {int(y) for y in _YEAR.findall(full)}
        if published is not None:
            ys.add(published.year)
        years.append(frozenset(ys))
    common = frozenset(
        w for ts in texts.values() for t in ts for w in _WORD.findall(t) if w.islower()
    )
    return _Features(openings, names, surface, years, common)


def _name_grams(names: Counter[str], n: int) -> Counter[str]:
    """Each name and its character ``n``-grams (``#tu``, ``tur``, ... ``ki#``), so that
    spellings across languages (Turki, Turkey; Suriah, Syria) overlap in part."""
    out: Counter[str] = Counter()
    for k, v in names.items():
        out["w:" + k] += v
        if len(k) < 4 or any(ch.isdigit() for ch in k):
            continue
        t = "#" + k + "#"
        for i in range(len(t) - n + 1):
            out[t[i : i + n]] += v
    return out


def _name_matrix(names: list[Counter[str]], prior: int = 0, n_gram: int = 3) -> np.ndarray:
    """Cosine of rarity-weighted name (and name n-gram) vectors.

    The idf counts ``prior`` more articles that name nothing, so a name in
    every article of a small feed weighs about as much, next to a rare one,
    as it would in a large feed.
    """
    from scipy import sparse

    grams = [_name_grams(c, n_gram) for c in names]
    n = len(grams) + prior
    df = Counter(k for c in grams for k in c)
    index = {k: i for i, k in enumerate(sorted(df))}
    rows, cols, vals = [], [], []
    for i, c in enumerate(grams):
        for k, tf in c.items():
            rows.append(i)
            cols.append(index[k])
            vals.append((1.0 + math.log(tf)) * (1.0 + math.log((1.0 + n) / (1.0 + df[k]))))
    m = sparse.csr_matrix(
        (np.asarray(vals, dtype=np.float64), (rows, cols)), shape=(len(grams), max(len(index), 1))
    )
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    m = sparse.diags(inv) @ m
    return np.asarray((m @ m.T).toarray())


OPENING_CHUNK = 2048
"""Opening sentences compared at once (bounds the memory of the best-match step)."""


def _opening_matrix(openings: list[list[str]], embedder: Embedder, floor: float) -> np.ndarray:
    """Mean best-match cosine of the opening sentences of two articles, rescaled
    from ``[floor, 1]`` to ``[0, 1]`` (sentence embeddings rarely fall below the floor)."""
    flat = [t for texts in openings for t in texts]
    vecs = np.asarray(embedder.embed(flat), dtype=np.float32)
    lens = np.asarray([len(t) for t in openings])
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.intp)
    # best[s, b]: how well sentence s is matched by article b's best sentence
    best = np.empty((len(flat), len(openings)), dtype=np.float32)
    for lo in range(0, len(flat), OPENING_CHUNK):
        sim = vecs[lo : lo + OPENING_CHUNK] @ vecs.T
        best[lo : lo + OPENING_CHUNK] = np.maximum.reduceat(sim, starts, axis=1)
    mean = np.add.reduceat(best.astype(np.float64), starts, axis=0) / lens[:, None]
    out = 0.5 * (mean + mean.T)
    return np.asarray(np.clip((out - floor) / (1.0 - floor), 0.0, 1.0))


def similarity_matrix(
    articles: pl.DataFrame, embedder: Embedder, settings: StorySettings | None = None
) -> np.ndarray:
    """The pairwise story score of ARTICLES' rows (symmetric, in row order)."""
    settings = settings or StorySettings()
    return _scores(_features(articles, settings.lead_sentences), embedder, settings)


def _scores(f: _Features, embedder: Embedder, settings: StorySettings) -> np.ndarray:
    w = settings.embed_weight
    names = _name_matrix(f.names, settings.idf_prior, settings.name_gram)
    if w == 0:
        return names
    return w * _opening_matrix(f.openings, embedder, settings.embed_floor) + (1.0 - w) * names


def _date_apart(
    a: dt.date | None, b: dt.date | None, ya: frozenset[int], yb: frozenset[int], window: int
) -> bool:
    """Whether two articles are too far apart in time to report one event.

    Their dates differ by more than ``window`` days and, when the years differ,
    neither article's text names the other's year (a wrong year in a dateline,
    a photo credit's date, should not split a story; the same event a year
    earlier, told as such, does).
    """
    if a is None or b is None or abs((a - b).days) <= window:
        return False
    if a.year == b.year:
        return True
    return b.year not in ya and a.year not in yb


def _apart_matrix(
    dates: list[dt.date | None], years: list[frozenset[int]], window: int
) -> np.ndarray:
    """Which pairs of articles are too far apart in time (see :func:`_date_apart`)."""
    n = len(dates)
    apart = np.zeros((n, n), dtype=bool)
    known = [i for i, d in enumerate(dates) if d is not None]
    if not known:
        return apart
    days = np.asarray([dates[i].toordinal() for i in known])  # type: ignore[union-attr]
    far = np.abs(days[:, None] - days[None, :]) > window
    for x, y in zip(*np.nonzero(np.triu(far, 1)), strict=True):
        i, j = known[x], known[y]
        apart[i, j] = apart[j, i] = _date_apart(dates[i], dates[j], years[i], years[j], window)
    return apart


def cluster_by_similarity(
    sim: np.ndarray,
    dates: list[dt.date | None],
    settings: StorySettings,
    years: list[frozenset[int]] | None = None,
) -> list[list[int]]:
    """Average-linkage agglomeration; two stories with articles too far apart never merge.

    Each step merges the pair of live stories with the highest average score
    (the first in row order on a tie).
    """
    n = sim.shape[0]
    years = years or [frozenset({d.year}) if d else frozenset() for d in dates]
    blocked = _apart_matrix(dates, years, settings.window_days)
    np.fill_diagonal(blocked, True)
    total = sim.astype(np.float64).copy()  # sum of pair scores between stories
    size = np.ones(n, dtype=np.float64)
    alive = np.ones(n, dtype=bool)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    # the average score of each pair of live stories (symmetric; -inf where no merge may
    # happen); argmax's first hit in row order is always the upper of two twins
    score = total.copy()
    score[blocked] = -np.inf
    while len(members) > 1:
        flat = int(np.argmax(score))
        a, b = divmod(flat, n)
        if not np.isfinite(score[a, b]) or score[a, b] < settings.threshold:
            break
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        blocked[a, :] |= blocked[b, :]
        blocked[:, a] |= blocked[:, b]
        size[a] += size[b]
        alive[b] = False
        members[a].extend(members.pop(b))
        row = total[a, :] / (size[a] * size)
        row[blocked[a, :] | ~alive] = -np.inf
        row[a] = -np.inf
        score[a, :] = row
        score[:, a] = row
        score[b, :] = -np.inf
        score[:, b] = -np.inf
    return [sorted(m) for m in members.values()]


def story_label(
    rows: list[int],
    counts: list[Counter[str]],
    surface: dict[str, str],
    dates: list[dt.date | None],
    n_names: int,
    common: frozenset[str] = frozenset(),
) -> str:
    n_arts: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for i in rows:
        for k, v in counts[i].items():
            n_arts[k] += 1  # in how many of the story's articles
            mentions[k] += v
    # a word some article writes in lower case is no name to label a story by
    # ("Menurut" opening a sentence), unless it is an acronym
    named = [k for k in n_arts if k not in common or surface[k].isupper()] or list(n_arts)
    ranked = sorted(named, key=lambda k: (-n_arts[k], -mentions[k], k))
    names = [surface[k] for k in ranked]
    known = Counter(d for i in rows if (d := dates[i]) is not None)
    label = ", ".join(names[:n_names]) or "story"
    if known:  # the date most articles give (a wrong year in one dateline does not show)
        main, n = sorted(known.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if n == 1:  # no two agree: the median, not the earliest (an outlier would show)
            every = sorted(known.elements())
            main = every[(len(every) - 1) // 2]
        label += f" ({main.isoformat()})"
    return label


def _frame(
    articles: pl.DataFrame, groups: list[list[int]], f: _Features, settings: StorySettings
) -> pl.DataFrame:
    ids = articles["article_id"].to_list()
    shas = articles["text_sha"].to_list()
    dates = articles["published"].to_list()
    rows: list[dict[str, Any]] = []
    for g in groups:
        known = [d for i in g if (d := dates[i]) is not None]
        rows.append(
            {
                "story_id": story_id([shas[i] for i in g]),
                "label": story_label(g, f.names, f.surface, dates, settings.label_names, f.common),
                "first_published": min(known) if known else None,
                "last_published": max(known) if known else None,
                "n_articles": len(g),
                "article_ids": sorted(ids[i] for i in g),
            }
        )
    rows.sort(
        key=lambda r: (-int(r["n_articles"]), r["first_published"] or dt.date.max, r["story_id"])
    )
    return STORIES.validate(pl.DataFrame(rows, schema=STORIES.polars_schema))


def _sorted(articles: pl.DataFrame) -> pl.DataFrame:
    return articles.sort(["text_sha", "article_id"])


def group_stories(
    articles: pl.DataFrame,
    embedder: Embedder,
    settings: StorySettings | None = None,
    *,
    segmented: Segmented | None = None,
) -> pl.DataFrame:
    """Group ARTICLES into stories.

    Args:
        articles: ARTICLES (any order; the result does not depend on it).
        embedder: embeds the opening sentences.
        settings: thresholds; default :class:`StorySettings`.
        segmented: ARTICLES' view and sentences done before (see :data:`Segmented`).

    Returns:
        STORIES: one row per story, the largest first; ``article_ids`` sorted.
    """
    return _stories(articles, embedder, settings or StorySettings(), segmented)


def one_story(
    articles: pl.DataFrame,
    settings: StorySettings | None = None,
    *,
    segmented: Segmented | None = None,
) -> pl.DataFrame:
    """Every article of ARTICLES in one story (``--one-story``); no articles, no story."""
    return _stories(articles, None, settings or StorySettings(), segmented)


def _stories(
    articles: pl.DataFrame,
    embedder: Embedder | None,
    settings: StorySettings,
    segmented: Segmented | None = None,
) -> pl.DataFrame:
    """Group (or, with no embedder, put all in one story) and build the STORIES frame."""
    ARTICLES.validate(articles)
    if articles.height == 0:
        return STORIES.empty()
    articles = _sorted(articles)
    f = _features(articles, settings.lead_sentences, segmented)
    if embedder is None or articles.height == 1:
        groups = [list(range(articles.height))]
    else:
        sim = _scores(f, embedder, settings)
        groups = cluster_by_similarity(sim, articles["published"].to_list(), settings, f.years)
    return _frame(articles, groups, f, settings)


def story_of(stories: pl.DataFrame) -> dict[str, str]:
    """article id -> story id, from a STORIES frame."""
    STORIES.validate(stories)
    out: dict[str, str] = {}
    for sid, aids in stories.select("story_id", "article_ids").iter_rows():
        for a in aids:
            out[a] = sid
    return out
