"""The per-article stages, done once: the matching view, then clean and segment.

Each article's rows depend on that article alone, so a feed is prepared once
(:func:`prepare_articles`), cut into stories (:meth:`Prepared.subset`) and each story run
on its cut (:func:`consistency.pipeline.run_story`) with the same result as preparing it
there.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

from consistency.text.normalise import MatchView
from consistency.types import ARTICLES


@dataclass(frozen=True)
class Prepared:
    """The per-article stages of a feed, done once: the matching view, then clean and segment.

    Each article's rows depend on that article alone, so a feed prepared once can be
    cut into stories (:meth:`subset`) and each story run on its cut
    (``run_articles(..., prepared=)``) with the same result as preparing it there.

    Attributes:
        articles: the matching view of ARTICLES (:func:`consistency.text.normalise.match_articles`).
        views: article id -> its :class:`~consistency.text.normalise.MatchView`.
        sentences: SENTENCES of the view, in article order then sentence order.
    """

    articles: pl.DataFrame
    views: dict[str, MatchView]
    sentences: pl.DataFrame

    def subset(self, article_ids: Collection[str]) -> Prepared:
        """The same for ``article_ids`` only (feed order kept)."""
        ids = list(article_ids)
        keep = set(ids)
        return Prepared(
            self.articles.filter(pl.col("article_id").is_in(ids)),
            {k: v for k, v in self.views.items() if k in keep},
            self.sentences.filter(pl.col("article_id").is_in(ids)),
        )


def prepare_articles(articles: pl.DataFrame) -> Prepared:
    """Matching view, clean and segment of ARTICLES (see :class:`Prepared`)."""
    from consistency.stages.clean import clean
    from consistency.stages.segment import segment
    from consistency.text.normalise import match_articles

    ARTICLES.validate(articles)
    view, views = match_articles(articles)
    return Prepared(view, views, segment(view, clean(view)))
