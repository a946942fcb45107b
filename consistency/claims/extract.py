"""Claims stage: FACTS -> CLAIMS, what each value is about.

Takes ARTICLES, SENTENCES and FACTS (see :mod:`consistency.types`) and returns
a CLAIMS frame: one row per value a reader could compare with another
outlet's, with its slot (what it is about), subject, language-free value,
qualifier and span.

* counts and measures come from the number facts; the slot is read from the
  words before and after the value (:mod:`consistency.claims.slots`), units
  are converted to SI (kilometres and feet to metres, minutes to seconds);
  "600 hingga 700" and "10-15 detik" become one range claim;
* clock times ("pukul 19:00 WIB", "2.53pm local time", "jam 5 sore") become
  ``time`` claims in minutes after midnight, with their zone and precision;
* an age next to a person ("Teguh Amanda, 19 tahun", "Yamagami, 41") is that
  person's ``age``;
* vehicle plates ("bernopol AD 7524 DG") are ``plate`` claims keyed by their
  region and digits;
* every mention of a person or a named place is a ``name`` claim, and every
  credited speaker a ``speaker`` claim, for the entity and attribution
  comparators.

Each reader has its module: counts, measures and zeros in :mod:`.counts`,
clock times and parts of the day in :mod:`.clock`, build years and
unobserved measures in :mod:`.built`, plates in :mod:`.plates`, names and
sources in :mod:`.mentions`, the row builder in :mod:`.rows`; a local
time's offset from its written equivalent in :mod:`.zones`. This module
runs them over every sentence and writes the frame.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl

from consistency.claims.bearings import bearing_claims
from consistency.claims.built import built_claims, unobserved_claims
from consistency.claims.clock import (
    daypart_claims,
    time_claims,
    time_word_claims,
    timestamp_line,
)
from consistency.claims.counts import number_claims
from consistency.claims.entities import lowercase_words
from consistency.claims.mentions import (
    mark_bodies_and_places,
    mid_sentence_capitals,
    name_claims,
    resolve_pronoun_speakers,
    source_claims,
)
from consistency.claims.places import named_places
from consistency.claims.plates import plate_claims
from consistency.claims.rows import CALENDAR_WORDS
from consistency.claims.updates import resolve_updates
from consistency.claims.zeros import zero_claims
from consistency.claims.zones import resolve_local_zones
from consistency.types import ARTICLES, CLAIMS, FACTS, SENTENCES

__all__ = ["extract_claims"]


def extract_claims(
    articles: pl.DataFrame, sentences: pl.DataFrame, facts: pl.DataFrame
) -> pl.DataFrame:
    """Turn every comparable fact of every sentence into a claim.

    Args:
        articles: ARTICLES frame.
        sentences: SENTENCES frame.
        facts: FACTS frame.

    Returns:
        A CLAIMS frame sorted by article, sentence and offset; claim ids are unique.
    """
    ARTICLES.validate(articles)
    SENTENCES.validate(sentences)
    FACTS.validate(facts)
    by_sent = _facts_by_sentence(facts)
    # the story's sentences, not page furniture: a tag line writes names in lower case
    common = lowercase_words(sentences["text"]) | CALENDAR_WORDS
    mid_caps = mid_sentence_capitals(sentences["text"].to_list())
    rows: list[dict[str, Any]] = []
    published = _publication_dates(articles)
    for s in sentences.iter_rows(named=True):
        fs = by_sent.get((s["article_id"], s["sent_idx"]), {})
        rows += _sentence_claims(s, fs, published, common, mid_caps)
    mark_bodies_and_places(rows, common, named_places(sentences["text"].to_list()))
    resolve_pronoun_speakers(rows)
    sent_text = {
        (a, i): (st, t)
        for a, i, st, t in sentences.select("article_id", "sent_idx", "start", "text").iter_rows()
    }
    rows = resolve_local_zones(resolve_updates(rows, sent_text), sent_text)
    return _claims_frame(rows)


_SentenceFacts = dict[str, list[dict[str, Any]]]
"""One sentence's facts by fact type."""


def _facts_by_sentence(facts: pl.DataFrame) -> dict[tuple[str, int], _SentenceFacts]:
    """The FACTS rows of each (article, sentence), by fact type."""
    by_sent: dict[tuple[str, int], _SentenceFacts] = defaultdict(lambda: defaultdict(list))
    for f in facts.iter_rows(named=True):
        by_sent[(f["article_id"], f["sent_idx"])][f["fact_type"]].append(f)
    return by_sent


def _publication_dates(articles: pl.DataFrame) -> dict[str, Any]:
    """Article id -> the date its figures' years are counted from."""
    # the year a thing's age is counted from: its article's publication date, or
    # (an article with none) the date most of the other articles give
    published = dict(zip(articles["article_id"], articles["published"], strict=True))
    known = sorted(d for d in published.values() if d is not None)
    usual = known[len(known) // 2] if known else None
    return {k: v if v is not None else usual for k, v in published.items()}


def _sentence_claims(
    s: dict[str, Any],
    fs: _SentenceFacts,
    published: dict[str, Any],
    common: frozenset[str],
    mid_caps: frozenset[str],
) -> list[dict[str, Any]]:
    """The claims of one sentence: its values, then its names and sources."""
    aid = s["article_id"]
    persons = [f for f in fs.get("person", [])] + [
        f
        for f in fs.get("speaker", [])
        if '"is_person": true' in (f["detail"] or "")
        and '"how": "pronoun"' not in (f["detail"] or "")
    ]
    rows = _value_claims(s, fs, persons, published.get(aid))
    speakers = [
        f for f in fs.get("speaker", []) if s["start"] <= f["start"] and f["end"] <= s["end"]
    ]
    people = [f for f in persons if s["start"] <= f["start"] and f["end"] <= s["end"]]
    rows += name_claims(aid, s, people, speakers, common, mid_caps)
    rows += source_claims(aid, s, [(f["start"], f["end"]) for f in speakers], common)
    return rows


def _value_claims(
    s: dict[str, Any], fs: _SentenceFacts, persons: list[dict[str, Any]], published: Any
) -> list[dict[str, Any]]:
    """A sentence's counts, zeros, times, plates and build years; no span read twice."""
    aid = s["article_id"]
    nums = sorted(fs.get("number", []), key=lambda r: r["start"])
    plates = plate_claims(aid, s) + bearing_claims(aid, s)
    times = (
        []
        if timestamp_line(s["text"])  # when the page was made, not an event's time
        else time_claims(aid, s) + time_word_claims(aid, s) + daypart_claims(aid, s)
    )
    built = built_claims(aid, s, published) + unobserved_claims(aid, s)
    taken = [(c["start"], c["end"]) for c in plates + times + built]
    counts = [
        c
        for c in number_claims(aid, s, nums, persons)
        if not any(c["start"] < e and a < c["end"] for a, e in taken)
    ]
    rows = list(counts)
    rows += [
        z
        for z in zero_claims(aid, s)
        if not any(z["start"] < c["end"] and c["start"] < z["end"] for c in counts)
    ]
    return rows + times + plates + built


def _claims_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """The CLAIMS frame of the rows: one row per claim and slot, claim ids made unique."""
    if not rows:
        return CLAIMS.empty()
    df = pl.DataFrame(rows, schema=CLAIMS.polars_schema)
    df = df.unique(subset=["claim_id", "slot"], keep="first", maintain_order=True)
    # a speaker and a name on one span: keep ids unique by suffixing the slot
    df = df.with_columns(
        pl.when(pl.col("claim_id").is_duplicated())
        .then(pl.col("claim_id") + ":" + pl.col("slot"))
        .otherwise(pl.col("claim_id"))
        .alias("claim_id")
    )
    return CLAIMS.validate(df.sort(["article_id", "sent_idx", "start", "slot"]))
