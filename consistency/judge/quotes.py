"""Comparator: one direct quote worded differently by two outlets.

A direct quote (the words between quotation marks) promises the speaker's own
words. When two outlets quote the same remark ("Kami sudah berusaha mencari
jalan keluar lewat tangga darurat, tetapi asapnya terlalu tebal" / "Waktu itu kami
bingung [cari jalan] keluar, tangga daruratnya penuh asap tebal") in
different words, at most one of them is verbatim: a minor finding of kind
``quote``, for a reviewer to check against the source.

Reads the SENTENCES of the cluster (their original text, so the highlights
are original offsets) and the ``speaker`` claims. Two quotes are the same
remark when they share at least :data:`MIN_SHARED` words and at least
:data:`MIN_SHARE` of the shorter quote's words, in order
(:class:`difflib.SequenceMatcher` on lower-cased words). They differ when the
matched words have words between them that the other side lacks or replaces,
or when both sides end (or begin) in different words. These are not a
finding:

* one quote a part of the other (an excerpt: extra words at one side only);
* two quotes overlapping at opposite ends (two windows on a longer remark);
* a quote with an ellipsis ("..." marks words left out on purpose);
* quotes of one article (headline and body often shorten a quote);
* quotes whose sentences credit two different people (who said it is the
  attribution comparator's question);
* quotes in two languages (a translation shares too few words to match).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from consistency.claims.entities import relation
from consistency.claims.quoted import QUOTED
from consistency.judge.base import ClaimContext, Finding
from consistency.judge.explain import quoted
from consistency.types import Kind, Severity

MIN_WORDS = 5
"""Words a quote needs before it is compared (shorter ones are phrases, not remarks)."""

MIN_SHARED = 4
"""Words, in order, two quotes must share to be one remark."""

MIN_SHARE = 0.5
"""Share of the shorter quote's words the two must share to be one remark."""

MIN_SHARE_LONGER = 0.35
"""Share of the longer quote's words the two must share: a short quoted fragment
("dalam jumlah besar dan berbagai jenis") inside a long remark, or a short remark
sharing a few words with a long one, is not one remark worded two ways. On the
fact tables the quote findings a reader called real shared 0.42 to 0.57; the one
called trivial, 0.26."""

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|%")
_SAME_WORDS = {"%": "percent", "persen": "percent", "prosen": "percent"}
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")


@dataclass(frozen=True)
class Quote:
    """One quoted passage: where it is and its words."""

    where: tuple[str, int]
    start: int
    end: int
    text: str
    words: tuple[str, ...]


def quotes_in(article_id: str, sent_idx: int, start: int, text: str) -> Iterator[Quote]:
    """The quoted passages of one sentence (``start``: the sentence's original offset)."""
    for m in QUOTED.finditer(text):
        inner = m.group(1)
        words = words_of(inner)
        if len(words) < MIN_WORDS or _ELLIPSIS.search(inner):
            continue
        lead = len(inner) - len(inner.lstrip())
        body = inner.strip().rstrip(",.;:")
        s = start + m.start(1) + lead
        yield Quote((article_id, sent_idx), s, s + len(body), body, words)


def words_of(text: str) -> tuple[str, ...]:
    """Lower-cased words, figures split from letters, one word for a percent sign and its names.

    "25per cent" and "25%" both read ``("25", "percent")``: a notation, not a rewording.
    """
    out: list[str] = []
    for w in (w.lower() for w in _WORD.findall(text)):
        w = _SAME_WORDS.get(w, w)
        if w == "cent" and out and out[-1] == "per":
            out[-1] = "percent"
            continue
        out.append(w)
    return tuple(out)


def differ(a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    """The share of words matched when ``a`` and ``b`` are one remark worded two ways, else None."""
    if a == b:
        return None
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = [bl for bl in sm.get_matching_blocks() if bl.size]
    shared = sum(bl.size for bl in blocks)
    if shared < MIN_SHARED or shared < MIN_SHARE * min(len(a), len(b)):
        return None
    if shared < MIN_SHARE_LONGER * max(len(a), len(b)):
        return None
    first, last = blocks[0], blocks[-1]
    inside_a = a[first.a : last.a + last.size]
    inside_b = b[first.b : last.b + last.size]
    if inside_a != inside_b:
        return shared / max(len(a), len(b))
    head = first.a > 0 and first.b > 0
    tail = last.a + last.size < len(a) and last.b + last.size < len(b)
    return shared / max(len(a), len(b)) if head or tail else None


def one_remark(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two quotes' words are one remark (worded alike or apart): at least
    :data:`MIN_SHARED` words in order, and :data:`MIN_SHARE` of the shorter quote's."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    shared = sum(bl.size for bl in sm.get_matching_blocks())
    return shared >= MIN_SHARED and shared >= MIN_SHARE * min(len(a), len(b))


def two_remarks(a: tuple[str, int, str], b: tuple[str, int, str]) -> bool:
    """Whether two sentences of one language, (article, index, text) each, both quote
    someone directly and no quote of one is a remark of the other: two statements, not
    one quote credited to two people. Unknown (False) when either quotes no one."""
    qa = list(quotes_in(a[0], a[1], 0, a[2]))
    qb = list(quotes_in(b[0], b[1], 0, b[2]))
    if not qa or not qb:
        return False
    return not any(one_remark(x.words, y.words) for x in qa for y in qb)


class QuoteWording:
    """Implements :class:`~consistency.judge.base.ClaimComparator` for direct quotes."""

    name = "quotes"

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """One finding per pair of articles quoting one remark in different words."""
        speakers: dict[tuple[str, int], list[str]] = defaultdict(list)
        for c in ctx.claim.values():
            if c["slot"] == "speaker" and c["value"]:
                speakers[ctx.where(c)].append(c["value"])
        by_article: dict[str, list[Quote]] = defaultdict(list)
        for r in ctx.sentences.iter_rows(named=True):
            by_article[r["article_id"]].extend(
                quotes_in(r["article_id"], r["sent_idx"], r["start"], r["text"])
            )
        best: dict[tuple[str, str, int], tuple[float, Quote, Quote]] = {}
        for art_a, art_b in combinations(sorted(by_article), 2):
            for qa in by_article[art_a]:
                for qb in by_article[art_b]:
                    share = differ(qa.words, qb.words)
                    if share is None or _two_people(speakers[qa.where], speakers[qb.where]):
                        continue
                    key = (art_a, art_b, qa.start)
                    if key not in best or share > best[key][0]:
                        best[key] = (share, qa, qb)
        seen: set[tuple[str, int, str, int]] = set()
        out = []
        for share, qa, qb in sorted(best.values(), key=lambda t: -t[0]):
            k = (qa.where[0], qa.start, qb.where[0], qb.start)
            if k in seen:
                continue
            seen.add(k)
            out.append(self._finding(ctx, qa, qb, share))
        return out

    def _finding(self, ctx: ClaimContext, qa: Quote, qb: Quote, share: float) -> Finding:
        oa, ob = ctx.outlet(qa.where[0]), ctx.outlet(qb.where[0])
        ex = ctx.explain.speaking("quote")
        said = ex.sides(quoted(_short(qa.text)), oa, quoted(_short(qb.text)), ob)
        return Finding(
            kind=Kind.QUOTE,
            severity=Severity.LOW,
            score=round(0.5 + share / 2, 4),
            a=qa.where,
            b=qb.where,
            a_hl=[[qa.start, qa.end]],
            b_hl=[[qb.start, qb.end]],
            explanation=ex.text("quote", sides=said),
            evidence={
                "comparator": self.name,
                "a_quote": qa.text,
                "b_quote": qb.text,
                "shared_words": round(share, 3),
            },
        )


def _two_people(a: list[str], b: list[str]) -> bool:
    """True when both sides name a speaker and no speaker of one may be one of the other."""
    if not a or not b:
        return False
    return all(relation(x, y) == "different" for x in a for y in b)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
