"""A person's title as written next to the name: the rank and the grade of the post.

"Kapolres Sleman AKBP Budi Santoso" gives the rank ``akbp`` and a head's post
("Kapolres"); "Petugas Pos Gunung Lawu, Joko Susilo" an officer's post of the Lawu
post; "Plt Kepala Dinas Sosial Rina Hartati" an acting head's.
:func:`read_title` reads the words that stand right before a name (capitalised
words, acronyms, the lexicon's title words and the few lower-case words that
join the parts of an office, commas and brackets, up to the first other word,
another person or the sentence's edge) and an appositive right after it
(", head of the Mount Lawu observation post,"). The words come from
``lang/<code>/titles.json`` of the article's language (see its ``_doc``); the
rank ids are shared by every language, so "First Admiral" meets "Laksma".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from consistency import lang

_TOKEN = re.compile(r"[^\W_][\w'’./-]*|[,()]|[.;:!?\"“”]")
_STOPS = frozenset('.;:!?"“”')
_MAX_FORM = 4
"""The most words a lexicon form has."""
_MAX_APPOSITIVE = 14
"""The most tokens a title after a name runs to."""


def _norm(token: str) -> str:
    t = token.lower().replace("’", "'")
    if t.endswith("'s"):
        t = t[:-2]
    return t.strip(".")


@dataclass(frozen=True)
class TitleLexicon:
    """One language's title words, keyed by their words as :func:`_norm` writes them."""

    forms: dict[tuple[str, ...], tuple[str, str]]
    """form -> (``rank``/``level``/``deputy``/``acting``/``former``/``bodies``, the id)."""
    joins: frozenset[str]
    words: frozenset[str]
    """Every word of every form (a lower-case one may stand in a title)."""
    lower_appositive: bool = False
    """A title after a name may run in lower-case words ("head of the fire department")."""


@cache
def lexicon(code: str | None) -> TitleLexicon:
    """The title words of language ``code`` (every language's together when it has none)."""
    codes = (code,) if code and lang.load(code, "titles") else lang.having("titles")
    forms: dict[tuple[str, ...], tuple[str, str]] = {}
    joins: set[str] = set()
    lower = False
    for c in codes:
        data = lang.load(c, "titles")
        for group in ("ranks", "levels"):
            for ident, written in (data.get(group) or {}).items():
                for w in written:
                    forms[tuple(_norm(t) for t in w.split())] = (group[:-1], ident)
        for group in ("deputy", "acting", "former", "bodies"):
            for w in data.get(group) or []:
                forms[tuple(_norm(t) for t in w.split())] = (group, group)
        joins |= {_norm(w) for w in data.get("joins") or []}
        lower |= bool(data.get("appositive_in_lower_case"))
    words = frozenset(w for form in forms for w in form)
    return TitleLexicon(forms, frozenset(joins), words, lower)


@dataclass(frozen=True)
class Title:
    """What a title says of its person.

    Attributes:
        rank: the rank's id (``akbp``), or None.
        rank_span: where the rank is written (sentence offsets), or None.
        level: the grade of the post (``head``, ``director``, ``officer`` ...), or None.
        deputy: the post is a deputy's.
        acting: the post is held in an acting capacity.
        words: the office's other words, lower case (to tell one office from another).
        span: the whole title (sentence offsets).
        post_spans: where the grade and its acting or deputy marks are written.
    """

    rank: str | None
    rank_span: tuple[int, int] | None
    level: str | None
    deputy: bool
    acting: bool
    words: frozenset[str]
    span: tuple[int, int]
    post_spans: tuple[tuple[int, int], ...] = ()

    @property
    def post(self) -> str | None:
        """The post's grade with its deputy and acting marks (``acting head``), or None."""
        if self.level is None:
            return None
        marks = [m for m, on in (("acting", self.acting), ("deputy", self.deputy)) if on]
        return " ".join([*marks, self.level])


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _title_like(tok: str, lex: TitleLexicon) -> bool:
    if tok in (",", "(", ")"):
        return True
    n = _norm(tok)
    return tok[:1].isupper() or tok[:1].isdigit() or n in lex.words or n in lex.joins


def _inside(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and b > s for s, e in spans)


def _run_before(
    toks: list[tuple[str, int, int]], start: int, lex: TitleLexicon, others: list[tuple[int, int]]
) -> list[tuple[str, int, int]]:
    """The title-like tokens right before ``start``, up to the first other word."""
    run: list[tuple[str, int, int]] = []
    for tok, a, b in reversed([t for t in toks if t[2] <= start]):
        if tok in _STOPS or not _title_like(tok, lex) or _inside(a, b, others):
            break
        run.append((tok, a, b))
    run.reverse()
    while run and (run[0][0] in (",", ")") or _norm(run[0][0]) in lex.joins):
        run.pop(0)  # a title starts with a word of its own
    return run


def _run_after(
    toks: list[tuple[str, int, int]], end: int, lex: TitleLexicon, others: list[tuple[int, int]]
) -> list[tuple[str, int, int]]:
    """An appositive title right after the name (", head of the ... post,"), or []."""
    after = [t for t in toks if t[1] >= end]
    if not after or after[0][0] != ",":
        return []
    run: list[tuple[str, int, int]] = []
    closed = True  # an appositive ends at a comma or the sentence's edge
    for tok, a, b in after[1:]:
        if tok in _STOPS or tok == ",":
            break
        if _inside(a, b, others) or not (_title_like(tok, lex) or lex.lower_appositive):
            closed = False  # ", petugas di lapangan": words of the sentence, not a title
            break
        if len(run) >= _MAX_APPOSITIVE:
            closed = False
            break
        run.append((tok, a, b))
    if not closed:
        return []
    # it must open with a title word, after at most an article ("the head of")
    opening = [_norm(t) for t, _, _ in run[:3] if _norm(t) not in lex.joins]
    if not opening or not any(o in lex.words for o in opening[:1]):
        return []
    return run


def _matches(run: list[tuple[str, int, int]], lex: TitleLexicon) -> list[tuple[str, str, int, int]]:
    """The lexicon's forms in ``run``, longest first at each place: (group, id, start, end)."""
    out = []
    i = 0
    words = [_norm(t) for t, _, _ in run]
    while i < len(run):
        for n in range(min(_MAX_FORM, len(run) - i), 0, -1):
            got = lex.forms.get(tuple(words[i : i + n]))
            if got is not None:
                out.append((got[0], got[1], run[i][1], run[i + n - 1][2]))
                i += n
                break
        else:
            i += 1
    return out


def read_title(
    text: str,
    name: tuple[int, int],
    code: str | None = None,
    others: list[tuple[int, int]] | None = None,
) -> Title | None:
    """The title written next to the name at ``name`` (sentence offsets) in ``text``.

    Args:
        text: the sentence.
        name: the name's span in it.
        code: the article's language (its ``titles.json``; every language's when None).
        others: spans of other people named in the sentence (a title stops at them).

    Returns:
        The title, or None when none is written, or when it is a former one ("mantan").
    """
    lex = lexicon(code)
    toks = _tokens(text)
    others = others or []
    before = _run_before(toks, name[0], lex, others)
    inner = [t for t in toks if t[1] >= name[0] and t[2] <= name[1]]
    after = _run_after(toks, name[1], lex, others)
    sides = [(before + inner, True), (after, False)]
    rank = level = None
    rank_span: tuple[int, int] | None = None
    deputy = acting = False
    span: tuple[int, int] | None = None
    words: set[str] = set()
    post_spans: list[tuple[int, int]] = []
    name_words = {_norm(t) for t, _, _ in inner}
    for run, nearest_last in sides:
        found = _matches(run, lex)
        if not found:
            continue
        if any(g == "former" for g, *_ in found):
            return None
        # the rank nearest the name ("Kepala BNPB Letjen TNI Suharyanto"); the
        # grade the title opens with ("Kepala Staf Angkatan Laut", "Head of the
        # ... Post"): the words after it name its office
        ordered = list(reversed(found)) if nearest_last else found
        for group, ident, a, b in ordered:
            if group == "rank" and rank is None:
                rank, rank_span = ident, (a, b)
        level = level or next((ident for group, ident, _, _ in found if group == "level"), None)
        for group, _, a, b in found:
            deputy |= group == "deputy"
            acting |= group == "acting"
            if group in ("level", "deputy", "acting"):
                post_spans.append((a, b))
        lo = min(a for _, _, a, _ in found)
        hi = max(b for _, _, _, b in found)
        words_of = [t for t in (run if not nearest_last else before) if t[0] not in ",()"]
        hi = max(hi, max((b for _, _, b in words_of), default=hi))
        while hi > lo and text[hi - 1] in ".,":
            hi -= 1  # the sentence's full stop, not the title's
        span = (min(span[0], lo), max(span[1], hi)) if span else (lo, hi)
        taken = {(a, b) for _, _, a, b in found}
        for tok, a, b in run:
            n = _norm(tok).strip("()")
            if (
                len(n) >= 3
                and n not in lex.joins
                and n not in name_words
                and not any(a >= x and b <= y for x, y in taken)
            ):
                words.add(n)
    if span is None:
        return None
    return Title(rank, rank_span, level, deputy, acting, frozenset(words), span, tuple(post_spans))


def person_mentions(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The name and speaker claims that may name a person, each span once.

    A speaker read as a body ("Basarnas mencatat") is left out; a name the facts
    stage read as a person may still be a place ("Gunung Lawu"), so callers
    keep the people that are credited with something somewhere (:func:`credited`).
    """
    out = []
    seen: set[tuple[str, int]] = set()
    for c in sorted(claims, key=lambda c: (c["article_id"], c["start"], c["slot"] != "speaker")):
        d = c.get("detail") or {}
        person = (c["slot"] == "speaker" and d.get("is_person") is not False) or (
            c["slot"] == "name" and d.get("entity") == "person"
        )
        if person and c["value"] and (c["article_id"], c["start"]) not in seen:
            seen.add((c["article_id"], c["start"]))
            out.append(c)
    return out


def credited(mention: dict[str, Any]) -> bool:
    """Whether a mention is of a person credited with a statement.

    The facts stage says so (``is_person``), or the claims stage moved the credit
    from an office to the person named after it ("ujar Kepala Basarnas Semarang,
    Andi Wijaya": the office kept as the title, the person unknown to the facts).
    """
    d = mention.get("detail") or {}
    if mention["slot"] != "speaker":
        return False
    return d.get("is_person") is True or (d.get("is_person") is None and bool(d.get("title")))
