"""Segment: kept blocks -> sentences with exact offsets into the original text.

Takes: ARTICLES and BLOCKS (from :mod:`consistency.stages.clean`). Returns: SENTENCES,
one row per sentence of each KEPT block, numbered 0.. per article over kept
sentences; ``text == article_text[start:end]`` holds exactly (surrounding
whitespace is left out of the span). Sentences never cross block boundaries;
sentences without any letter and lone credits such as ``(AP)`` are dropped,
short ones are kept.

The splitter is a small rule set for Indonesian and English news prose:

* A boundary is ``.``, ``!``, ``?``, ``...`` or ``…``, then any closing quotes or
  brackets, then whitespace, then an upper-case letter, a digit or an opening
  quote/bracket. A lower-case continuation never splits, so a closing quote
  followed by its attribution (``"...," kata Kirby.`` or ``"...!" ujar X.``) stays
  one sentence.
* No split after titles and abbreviations (:data:`ABBREVIATIONS`: ``Jl.``,
  ``Dr.``, ``Ir.``, ``H.``, ``Prof.``, ``Mr.``, ``Jan.``, ...), single-letter
  initials (``J. Smith``), ``No.``/``Rp.``/``hlm.`` before a number, or a list
  number opening a block (``1. ...``).
* After dotted acronyms (``U.S.``, ``a.n.``, ``S.H.``) and company suffixes
  (``Inc.``, ``Ltd.``, ``dkk.``) only when a typical sentence opener follows.
* A full stop glued between two words (``cermat.Dan``) splits, as in captured
  pages that lost a space; dates such as ``(30/8)``, ``(5/9/2023)``, decimals such
  as ``5,6`` or ``5.6`` and acronyms such as ``AS`` or ``PBB`` need no rule since
  they hold no boundary (``AS.`` ending a sentence does split).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import polars as pl

from consistency.types import ARTICLES, BLOCKS, SENTENCES

ABBREVIATIONS = frozenset(
    """
    jl jln gg kec kab kel kel desa prov kota kp rt rw
    dr drs dra drg ir h hj hm prof bpk bp ibu sdr sdri ny nn tn kh kyai ust
    kol letkol mayjen brigjen letjen jend jenderal kapt lettu letda serda sertu kompol
    akbp akp ipda iptu aiptu bripka brigpol pol
    mr mrs ms messrs st mt ft sen rep gov gen lt col maj capt sgt cpl pvt adm cmdr rev hon
    fr sr jr
    jan feb mar apr jun jul agu agt aug sep sept okt oct nov des dec
    vs v cf ca approx al e.g i.e viz
    yth tsb ybs sbb dg dgn utk yg
    """.split()
)
"""Lower-cased tokens after which a full stop never ends a sentence."""

NUMERIC_ABBREVIATIONS = frozenset("no nos nr hlm hal vol pp p fig tel telp rp art ps".split())
"""Lower-cased tokens after which a full stop does not end a sentence before a number."""

SOFT_ABBREVIATIONS = frozenset("inc corp ltd co bros tbk dkk".split())
"""Lower-cased tokens that end a sentence only before a typical sentence opener."""

SENTENCE_OPENERS = frozenset(
    """
    The A An He She It They We I You This That These Those There Then But And Or So Yet In On
    At For However Meanwhile His Her Their Its Our My What When Why How Who If As After Before
    Some Many Most Officials Both Neither Ia Dia Mereka Kami Kita Saya Ini Itu Namun Tetapi
    Tapi Sementara Selain Menurut Pada Di Dalam Sejak Setelah Hal Para Sebelumnya Kemudian
    Lalu Adapun Sedangkan Selanjutnya Akan Juga Tak Tidak Bahkan Oleh Untuk Dengan Karena
    """.split()
)
"""Words that, after a dotted acronym or a company suffix, start a new sentence."""

_CLOSE = "\"'\u201d\u2019\u00bb)]"
_OPEN = "\"'\u201c\u2018\u00ab(["
_CANDIDATE = re.compile(rf"(?:\.\.\.|\u2026|[.!?]+)[{re.escape(_CLOSE)}]*(?=\s+(\S))")
_GLUED = re.compile(r"(?<=[A-Za-z]{2})[.!?](?=[A-Z][a-z]{2,})")
_DOTTED = re.compile(r"(?:[A-Za-z]{1,3}\.)+[A-Za-z]{1,3}")
_CREDIT_ONLY = re.compile(r"\(\s*[A-Za-z][\w./ -]{0,20}\)\.?")
_WORD_AFTER = re.compile(r"[\w'\u2019-]+")


def _token_before(text: str, pos: int) -> str:
    """The word that ends right before ``pos`` (the sentence punctuation)."""
    i = pos
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    token = text[i:pos]
    return token.lstrip(_OPEN)


def _opens_block(text: str, block_start: int, at: int) -> bool:
    """Whether only white space stands between the block's start and ``at``.

    Walks back from ``at`` (the token's start), so a long block costs nothing
    per sentence: the walk stops at the first character that is not a space.
    """
    i = at
    while i > block_start and text[i - 1].isspace():
        i -= 1
    return i == block_start


def _is_boundary(text: str, punct: int, next_pos: int, block_start: int) -> bool:
    """Decide whether the punctuation at ``punct`` ends a sentence.

    Args:
        text: the block's text.
        punct: index of the first punctuation character of the candidate.
        next_pos: index of the first character of what follows.
        block_start: 0; kept for clarity when called on a block.
    """
    nxt = text[next_pos]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPEN):
        return False
    if text[punct] != ".":
        return True
    if text.startswith("...", punct) or text[punct] == "\u2026":
        return True
    token = _token_before(text, punct)
    low = token.lower()
    if not token:
        return True
    if low in ABBREVIATIONS:
        return False
    if low in NUMERIC_ABBREVIATIONS and nxt.isdigit():
        return False
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "J. Smith", "H. Ahmad"
    if token.isdigit() and _opens_block(text, block_start, punct - len(token)):
        return False  # a list number opening the block: "1. ..."
    if low in SOFT_ABBREVIATIONS or _DOTTED.fullmatch(token):
        m = _WORD_AFTER.match(text, next_pos)
        return m is not None and m.group() in SENTENCE_OPENERS
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` within ``text`` (one block), whitespace trimmed.

    Spans without any letter are left out, and so are lone parenthesised
    credits such as ``(AP)`` or ``(ian)`` closing a paragraph.
    """
    cuts: list[int] = []
    for m in _CANDIDATE.finditer(text):
        if _is_boundary(text, m.start(), m.start(1), 0):
            cuts.append(m.end())
    for m in _GLUED.finditer(text):
        token = _token_before(text, m.start())
        if token.lower() in ABBREVIATIONS or _DOTTED.fullmatch(token):
            continue
        cuts.append(m.end())
    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in sorted(set(cuts)) + [len(text)]:
        spans.extend(_trim(text, prev, cut))
        prev = cut
    return spans


def _trim(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    seg = text[start:end]
    body = seg.strip()
    if body and any(c.isalpha() for c in body) and not _CREDIT_ONLY.fullmatch(body):
        s = start + (len(seg) - len(seg.lstrip()))
        yield s, s + len(body)


def segment(articles: pl.DataFrame, blocks: pl.DataFrame) -> pl.DataFrame:
    """Split the kept blocks of each article into sentences.

    Args:
        articles: ARTICLES (for the text).
        blocks: BLOCKS of the same articles.

    Returns:
        SENTENCES, in article order then sentence order.
    """
    ARTICLES.validate(articles)
    BLOCKS.validate(blocks)
    texts = dict(articles.select("article_id", "text").iter_rows())
    kept = blocks.filter(pl.col("kept")).sort("article_id", "block_idx", maintain_order=True)
    rows: dict[str, list[Any]] = {c: [] for c in SENTENCES.columns}
    counters: dict[str, int] = {}
    order = {aid: i for i, aid in enumerate(articles["article_id"])}
    by_article = sorted(
        kept.iter_rows(named=True), key=lambda r: (order.get(r["article_id"], 0), r["block_idx"])
    )
    for r in by_article:
        aid = r["article_id"]
        text = texts[aid]
        b_start, b_end = r["start"], r["end"]
        block = text[b_start:b_end]
        for s, e in split_sentences(block):
            idx = counters.get(aid, 0)
            counters[aid] = idx + 1
            rows["article_id"].append(aid)
            rows["sent_idx"].append(idx)
            rows["block_idx"].append(r["block_idx"])
            rows["start"].append(b_start + s)
            rows["end"].append(b_start + e)
            rows["text"].append(block[s:e])
    return SENTENCES.validate(pl.DataFrame(rows, schema=SENTENCES.polars_schema))
