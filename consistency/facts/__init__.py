"""Facts: typed facts per sentence, with offsets into the original text.

Takes the ARTICLES frame (text, language, publication date) and the SENTENCES
frame (kept sentences with ``start``/``end`` into the article text) and
returns a FACTS frame (see :mod:`consistency.types`), one row per fact:

* ``speaker``  who a quote or reported statement is credited to ("kata Kirby",
  "X mengatakan", "menurut X", "said X", "according to X"); a quote that goes
  on in the next sentence keeps its speaker, and "katanya" / "ia menambahkan"
  resolve to the last named speaker. ``key`` is the speaker's name key;
  ``detail`` holds the title, how it was found and whether it is a person.
* ``person``   names, with a normalised ``key`` ("Kim Jong-un" == "Kim Jong Un").
* ``number``   quantities: ``value_num``, ``unit`` (what is counted), ``key``
  (canonical unit), ``qualifier`` (exact, more_than, at_least, about, almost,
  less_than, up_to, vague). Dates, times, years, ordinals, page counters,
  phone numbers and model designations are never quantities.
* ``date``     dates and times: ``value_date`` resolved against the explicit
  year or the article's publication date (null when no year is known),
  ``unit`` the granularity (day, month, year, week, weekday, time),
  ``qualifier`` the weekday named in the text (English, lower-case), and
  ``detail`` the raw parts, whether the weekday fits the calendar and whether
  the date is a dateline ("seperti dilansir CNN, Selasa (5/9/2023)").
* ``place`` / ``org``  from a small gazetteer and a few patterns (no NER model).
* ``polarity`` negation, denial and confirmation markers (``key`` neg, deny, affirm).

Nothing here loads a model; extraction is regular expressions and lexicons.

The readers live in one module each: :mod:`.dates`, :mod:`.numbers`,
:mod:`.people` and :mod:`.speakers`, :mod:`.places`, :mod:`.polarity`; the
language data they share in :mod:`.words`, the per-article state in
:mod:`.context`. This module walks each article's sentences in order.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from consistency.facts.context import QUOTE_CHARS, Ctx, fact_row, overlaps
from consistency.facts.dates import date_facts
from consistency.facts.numbers import number_facts
from consistency.facts.people import person_spans, title_before
from consistency.facts.places import gazetteer_facts
from consistency.facts.polarity import polarity_facts
from consistency.facts.speakers import Speaker, carry_speaker, quote_state, speaker_facts
from consistency.facts.words import PRONOUN_RE
from consistency.text.names import name_key, surname_key
from consistency.types import ARTICLES, FACTS, SENTENCES

__all__ = ["extract_facts"]


_QuoteInfo = dict[int, tuple[bool, bool, bool]]
"""Sentence index -> (a quote is open at its start, it has a quote, one is open at its end)."""


def _article_facts(ctx: Ctx, sents: list[dict[str, Any]]) -> None:
    """Read the facts of one article's sentences, in order, then carry speakers across them."""
    _learn_surnames(ctx, sents)
    own, quote_info = _read_sentences(ctx, sents)
    # pass 2: quotes spanning sentences share a speaker; follow-ups inherit it
    by_idx = {r["sent_idx"]: r for r in sents}
    order = [r["sent_idx"] for r in sents]
    resolved: dict[int, Speaker | None] = {
        i: next((sp for sp in own[i] if sp.is_person), None) for i in order
    }
    _carry_quote_spans(ctx, by_idx, order, resolved, quote_info)
    _carry_to_follow_ups(ctx, by_idx, order, resolved, quote_info)


def _learn_surnames(ctx: Ctx, sents: list[dict[str, Any]]) -> None:
    """Know the surnames of the article's multi-word names before reading its sentences."""
    # pass 1: surnames of multi-word names, so that "Kirby" alone is known
    for r in sents:
        for a, b in person_spans(ctx, r["text"], accept_single=False):
            ctx.known_surnames.add(surname_key(r["text"][a:b]))


def _read_sentences(
    ctx: Ctx, sents: list[dict[str, Any]]
) -> tuple[dict[int, list[Speaker]], _QuoteInfo]:
    """Each sentence's facts; its own speakers and its quote state, by sentence index."""
    own: dict[int, list[Speaker]] = {}
    quote_info: _QuoteInfo = {}  # idx -> (starts open, has, ends open)
    prev_block: int | None = None
    open_q = False
    for r in sents:
        idx, s, base = r["sent_idx"], r["text"], r["start"]
        if r["block_idx"] != prev_block:
            open_q = False
        prev_block = r["block_idx"]
        starts_open = open_q
        has, open_q = quote_state(s, open_q)
        quote_info[idx] = (starts_open, has, open_q)
        own[idx] = _sentence_facts(ctx, idx, s, base)
    return own, quote_info


def _sentence_facts(ctx: Ctx, idx: int, s: str, base: int) -> list[Speaker]:
    """Read one sentence's dates, numbers, speakers, people, places and polarity; its speakers."""
    masked: list[tuple[int, int]] = []
    date_facts(ctx, idx, s, base, masked)
    number_facts(ctx, idx, s, base, masked)
    own = speaker_facts(ctx, idx, s, base)
    taken = [(sp.start - base, sp.end - base) for sp in own]
    for a, b in person_spans(ctx, s):
        if overlaps(taken, a, b):
            continue
        fact_row(
            ctx,
            idx,
            "person",
            base + a,
            base + b,
            name_key(s[a:b]),
            detail={"surname": surname_key(s[a:b]), "title": title_before(s, a)},
        )
    for sp in own:
        if sp.is_person:
            fact_row(
                ctx,
                idx,
                "person",
                sp.start,
                sp.end,
                sp.key,
                detail={"surname": surname_key(sp.name), "title": sp.title},
            )
    gazetteer_facts(ctx, idx, s, base)
    polarity_facts(ctx, idx, s, base)
    return own


def _carry_quote_spans(
    ctx: Ctx,
    by_idx: dict[int, dict[str, Any]],
    order: list[int],
    resolved: dict[int, Speaker | None],
    quote_info: _QuoteInfo,
) -> None:
    """Give a quote that closes in the next sentence that sentence's speaker."""
    # backward: a quote opened in i and closed in i+1 ("... blah. Blah," kata X.)
    for k in range(len(order) - 2, -1, -1):
        i, j = order[k], order[k + 1]
        if resolved[i] is None and quote_info[i][2] and quote_info[j][0] and resolved[j]:
            nxt = resolved[j]
            assert nxt is not None
            resolved[i] = nxt
            r = by_idx[i]
            carry_speaker(ctx, i, nxt, r["start"], r["end"], "quote_span")


def _carry_to_follow_ups(
    ctx: Ctx,
    by_idx: dict[int, dict[str, Any]],
    order: list[int],
    resolved: dict[int, Speaker | None],
    quote_info: _QuoteInfo,
) -> None:
    """Give the last speaker to a pronoun soon after ("katanya") and to a quote's next part."""
    last: Speaker | None = None
    last_pos = -10
    for k, i in enumerate(order):
        r = by_idx[i]
        s, base = r["text"], r["start"]
        if resolved[i] is not None:
            last, last_pos = resolved[i], k
            continue
        pm = PRONOUN_RE.search(s)
        if pm and last is not None and k - last_pos <= 4:
            carry_speaker(ctx, i, last, base + pm.start(), base + pm.end(), "pronoun")
            resolved[i] = last
            last_pos = k
            continue
        starts_open, has, _ = quote_info[i]
        if has and last is not None and k - last_pos == 1 and quote_info[order[k - 1]][1]:
            prev = by_idx[order[k - 1]]
            if r["block_idx"] - prev["block_idx"] <= 1 and (
                starts_open or s.lstrip()[:1] in QUOTE_CHARS
            ):
                carry_speaker(ctx, i, last, base, r["end"], "continuation")
                resolved[i] = last
                last_pos = k


def extract_facts(articles: pl.DataFrame, sentences: pl.DataFrame) -> pl.DataFrame:
    """Extract typed facts from every kept sentence.

    Args:
        articles: ARTICLES frame (for ``text``, ``language`` and ``published``).
        sentences: SENTENCES frame (kept sentences with original offsets).

    Returns:
        A FACTS frame; offsets index into the article's original text.
    """
    ARTICLES.validate(articles)
    SENTENCES.validate(sentences)
    rows: list[dict[str, Any]] = []
    by_article = sentences.sort(["article_id", "sent_idx"]).partition_by(
        "article_id", as_dict=True, maintain_order=True
    )
    for art in articles.iter_rows(named=True):
        part = by_article.get((art["article_id"],))
        if part is None or part.height == 0:
            continue
        lang = "en" if (art["language"] or "").startswith("en") else "id"
        ctx = Ctx(art["article_id"], art["text"], lang, art["published"])
        _article_facts(ctx, part.to_dicts())
        rows.extend(ctx.rows)
    if not rows:
        return FACTS.empty()
    df = pl.DataFrame(rows, schema=FACTS.polars_schema)
    return FACTS.validate(df.sort(["article_id", "sent_idx", "start", "fact_type"]))
