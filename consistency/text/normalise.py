"""Normalised views of untrusted text: one for matching, one for display.

Article text comes from the open web. Two things are done with it here, and the
text an article's offsets index (ARTICLES ``text``, exactly as read) is never
changed by either:

* :func:`match_view` builds the text the stages *compare* (segmentation, facts,
  claims, alignment, ids) and an offset map back to the original, so that an
  invisible character inside a name ("Kir\\u200bby") does not split it. What it
  does is listed in :data:`MATCHING_RULES`.
* :func:`display_safe` makes a string safe to show a person on a terminal or in
  a rendered document: control characters (an ANSI escape ``ESC[2J``, an OSC
  title sequence, a carriage return, bidirectional overrides) become visible
  placeholders of the same length, so a span's offsets into the displayed
  string stay those of the original.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

MATCHING_RULES = (
    "a BOM and zero-width characters (U+200B-U+200D, U+2060, U+FEFF) and soft hyphens "
    "(U+00AD) are removed",
    "CRLF becomes LF and a lone CR becomes LF",
    "non-breaking and other Unicode spaces (U+00A0, U+2000-U+200A, U+202F, U+205F, U+3000) "
    "become a plain space; other control characters become a space",
    "compatibility forms (fullwidth and halfwidth letters and digits, ligatures such as "
    "'ﬁ', mathematical alphanumerics) are NFKC-folded; a letter followed by combining "
    "marks is NFC-composed",
    "typographic quotes become ' and \", and hyphen, dash and minus characters become '-'",
)
"""What :func:`match_view` normalises, in words (the README lists the same)."""

_REMOVE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e")
_SPACES = frozenset(
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)  # noqa: E501
_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_KEEP_CONTROLS = frozenset("\t\n")
_COMPAT_RANGES = ((0xFB00, 0xFB4F), (0xFF00, 0xFFEF), (0x1D400, 0x1D7FF))

# Anything the fast path must look at: not printable ASCII or a plain line break.
_SPECIAL = re.compile(r"[^\t\n\x20-\x7e]")


def _is_compat(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _COMPAT_RANGES)


def _map_char(ch: str, nxt: str | None) -> str:
    """What one character (not a combining mark) becomes in the matching view."""
    if ch in _REMOVE:
        return ""
    if ch == "\r":
        return "" if nxt == "\n" else "\n"
    if ch in _SPACES:
        return " "
    if ch in _QUOTES:
        return _QUOTES[ch]
    if ch in _DASHES:
        return "-"
    if ch in _KEEP_CONTROLS:
        return ch
    cat = unicodedata.category(ch)
    if cat == "Cc" or ch in _BIDI:
        return " "
    if _is_compat(ch):
        return unicodedata.normalize("NFKC", ch)
    return ch


@dataclass(frozen=True)
class MatchView:
    """A normalised text and the way back to the original's offsets.

    Attributes:
        text: the normalised text.
        src_start: for each character of ``text``, the offset in the original
            of the character (or cluster) it comes from; one extra entry, the
            original's length, closes the list.
        src_end: for each character of ``text``, the original offset just after
            the character (or cluster) it comes from.
        identity: True when ``text`` is the original unchanged (the maps are then
            the identity and are left empty).
    """

    text: str
    src_start: Sequence[int]
    src_end: Sequence[int]
    identity: bool

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span ``[start, end)``."""
        if self.identity:
            return start, end
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if end == start:
            o = self.src_start[start]
            return o, o
        return self.src_start[start], self.src_end[end - 1]


def match_view(text: str) -> MatchView:
    """The matching view of ``text`` (see :data:`MATCHING_RULES`)."""
    if not _SPECIAL.search(text):
        return MatchView(text, (), (), True)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        if j > i + 1:  # a base character with combining marks
            piece = unicodedata.normalize("NFC", _map_char(ch, None) + text[i + 1 : j])
        else:
            piece = _map_char(ch, text[j] if j < n else None)
        for c in piece:
            out.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    norm = "".join(out)
    if norm == text:
        return MatchView(text, (), (), True)
    starts.append(n)
    return MatchView(norm, starts, ends, False)


def match_text(text: str) -> str:
    """Only the normalised text of :func:`match_view` (for keys and comparisons)."""
    return match_view(text).text


# -- display ----------------------------------------------------------------------

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DISPLAY_BAD = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _picture(m: re.Match[str]) -> str:
    c = m.group()
    o = ord(c)
    if o < 0x20:
        return chr(0x2400 + o)  # U+2400 CONTROL PICTURES: ␛ for ESC, ␍ for CR
    if o == 0x7F:
        return "\u2421"
    return "\ufffd"


def display_safe(text: str, *, newlines: bool = True) -> str:
    """``text`` with every control character replaced by a visible placeholder.

    Each character is replaced by exactly one character (ESC by "␛", CR by
    "␍", C1 controls and bidirectional controls by U+FFFD), so offsets into
    ``text`` are offsets into the result. Tabs are kept; line feeds are kept
    unless ``newlines`` is False (then they become "␊").
    """
    out = _DISPLAY_BAD.sub(_picture, text.replace("\r\n", " \n"))
    if not newlines:
        out = out.replace("\n", "\u240a")
    return out


# -- frames ---------------------------------------------------------------------------


def match_articles(articles: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, MatchView]]:
    """ARTICLES with each ``text`` replaced by its matching view.

    ``text_sha`` becomes the sha256 of the normalised text, so that what is
    keyed on it (finding ids) does not depend on line endings, a BOM or
    invisible characters. A partial ``published`` date (precision ``month`` or
    ``year``) is hidden from the stages, whose date reasoning (weekdays, the
    year of a date written without one, which report is later) needs a day.

    Returns:
        ``(normalised ARTICLES, article_id -> MatchView)``.
    """
    views: dict[str, MatchView] = {}
    texts, shas = [], []
    for aid, text, sha in articles.select("article_id", "text", "text_sha").iter_rows():
        v = match_view(text)
        views[aid] = v
        texts.append(v.text)
        shas.append(sha if v.identity else hashlib.sha256(v.text.encode("utf-8")).hexdigest())
    partial = pl.col("published_precision").is_not_null() & (pl.col("published_precision") != "day")
    out = articles.with_columns(
        pl.Series("text", texts, dtype=pl.String),
        pl.Series("text_sha", shas, dtype=pl.String),
        # a month or a year is not a day: no weekday or year-rollover reasoning from it
        pl.when(partial).then(None).otherwise(pl.col("published")).alias("published"),
    )
    return out, views


def _remap_spans(
    df: pl.DataFrame,
    views: dict[str, MatchView],
    originals: dict[str, str],
    article_col: str,
    start_col: str,
    end_col: str,
    text_col: str | None = None,
    highlight_col: str | None = None,
) -> pl.DataFrame:
    if df.height == 0 or all(v.identity for v in views.values()):
        return df
    cols = [article_col, start_col, end_col] + ([highlight_col] if highlight_col else [])
    starts: list[int | None] = []
    ends: list[int | None] = []
    texts: list[str | None] = []
    highs: list[list[list[int]] | None] = []
    for row in df.select(cols).iter_rows():
        aid, s, e = row[0], row[1], row[2]
        v = views.get(aid) if aid is not None else None
        if v is None or s is None or e is None:
            starts.append(s)
            ends.append(e)
            texts.append(None)
            highs.append(row[3] if highlight_col else None)
            continue
        os_, oe = v.to_original(s, e)
        starts.append(os_)
        ends.append(oe)
        texts.append(originals[aid][os_:oe])
        if highlight_col:
            highs.append([list(v.to_original(a, b)) for a, b in (row[3] or [])])
    new = [
        pl.Series(start_col, starts, dtype=df.schema[start_col]),
        pl.Series(end_col, ends, dtype=df.schema[end_col]),
    ]
    if text_col:
        old = df[text_col].to_list()
        new.append(
            pl.Series(
                text_col,
                [t if t is not None else o for t, o in zip(texts, old, strict=True)],
                dtype=pl.String,
            )
        )
    if highlight_col:
        new.append(pl.Series(highlight_col, highs, dtype=df.schema[highlight_col]))
    return df.with_columns(new)


def to_original_frames(
    articles: pl.DataFrame, views: dict[str, MatchView], frames: dict[str, pl.DataFrame]
) -> dict[str, pl.DataFrame]:
    """Map the offsets of stage frames computed on the matching view back to the original.

    Args:
        articles: the ORIGINAL ARTICLES.
        views: from :func:`match_articles`.
        frames: any of ``sentences``, ``facts``, ``claims``, ``divergences``.

    Returns:
        The same frames, ``start``/``end`` (and highlights) indexing the original
        text, and ``text``/``surface`` the original text of the span.
    """
    originals = dict(articles.select("article_id", "text").iter_rows())
    out = dict(frames)
    if "sentences" in out:
        out["sentences"] = _remap_spans(
            out["sentences"], views, originals, "article_id", "start", "end", "text"
        )
    for name in ("facts", "claims"):
        if name in out:
            out[name] = _remap_spans(
                out[name], views, originals, "article_id", "start", "end", "surface"
            )
    if "divergences" in out:
        d = out["divergences"]
        for p in ("a", "b"):
            d = _remap_spans(
                d,
                views,
                originals,
                f"{p}_article",
                f"{p}_start",
                f"{p}_end",
                highlight_col=f"{p}_highlight",
            )
        out["divergences"] = d
    return out
