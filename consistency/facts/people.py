"""Person names in a sentence: capitalised runs split into name-like segments,
title-case headlines left out, role words before a name read as its title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from consistency import lang
from consistency.facts.context import CAP_RUN_RE, Ctx
from consistency.text.names import (
    NAME_PARTICLES,
    NONNAME_WORDS,
    TITLE_WORDS,
    surname_key,
)

# --- people, speakers, places --------------------------------------------------


def _name_tokens(run: str, offset: int) -> Iterator[tuple[str, int, int]]:
    for m in re.finditer(r"\S+", run):
        yield m.group(0), offset + m.start(), offset + m.end()


def split_names(run: str, offset: int, ctx: Ctx) -> list[tuple[int, int]]:
    """Spans (in sentence offsets) of name-like segments of a capitalised run."""
    segs: list[tuple[int, int]] = []
    cur: list[tuple[str, int, int]] = []
    for tok, a, b in _name_tokens(run, offset):
        low = tok.lower()
        is_acronym = tok.isupper() and len(tok) >= 2
        if low in NONNAME_WORDS or is_acronym or tok.startswith("("):
            if cur:
                segs.append((cur[0][1], cur[-1][2]))
            cur = []
            continue
        cur.append((tok, a, b))
    if cur:
        segs.append((cur[0][1], cur[-1][2]))
    # strip trailing particles
    out = []
    for a, b in segs:
        text = run[a - offset : b - offset].split()
        while text and text[-1].lower() in NAME_PARTICLES:
            b -= len(text[-1]) + 1
            text.pop()
        if text:
            out.append((a, b))
    return out


def _is_title_case(s: str) -> bool:
    """A headline in title case ("Makin Mesra, Rusia Rayu Korea Utara"): at most one
    lower-case word of four letters or more."""
    words = re.findall(r"[^\W\d_][\w'-]*", s)
    if len(words) < 4:
        return False
    return sum(w[0].islower() and len(w) >= 4 for w in words) <= 1


def person_spans(ctx: Ctx, s: str, accept_single: bool = True) -> list[tuple[int, int]]:
    """Sentence-relative spans of person names in ``s``."""
    title_case = _is_title_case(s)
    out = []
    for m in CAP_RUN_RE.finditer(s):
        for a, b in split_names(m.group(0), m.start(), ctx):
            toks = s[a:b].split()
            if len(toks) >= 2 and not title_case:
                out.append((a, b))
            elif accept_single and len(toks) == 1 and surname_key(toks[0]) in ctx.known_surnames:
                out.append((a, b))
    return out


def title_before(s: str, a: int) -> str | None:
    """Role words right before a name ("juru bicara Dewan Keamanan Nasional")."""
    clause = re.split(r"[,.;:“”\"]", s[:a])[-1]
    words = clause.split()
    keep: list[str] = []
    for w in reversed(words):
        wl = w.lower().strip("()")
        if wl in TITLE_WORDS or wl in NONNAME_WORDS or w[:1].isupper() or w.startswith("("):
            keep.append(w)
        else:
            break
    keep.reverse()
    while keep and keep[0].lower() not in TITLE_WORDS:
        keep.pop(0)
    return " ".join(keep) or None


def name_in_window(ctx: Ctx, s: str, pos: int) -> tuple[int, int, str | None] | None:
    """The person named at ``pos`` after only title/role words (post-posed speaker).

    A speaker's titles may run on for several capitalised runs joined by
    ``title_chain_joins`` words, acronyms in brackets or title words ("kata
    Kepala Bidang Humas dan TI Dishub Kalbar Arif Wicaksono", "ujar Kapolres
    Sleman AKBP Budi Santoso", "said Tokyo Governor Yuriko Koike"):
    the person is the last name of the chain. A name followed by other words
    ("kata Yasonna di Lapas Tangerang", "kata Suharyanto Kepala BNPB") is
    the speaker.
    """
    window = re.split(r"[,.;:!?“”\"]", s[pos:], maxsplit=1)[0]
    runs = list(CAP_RUN_RE.finditer(window))
    start = None
    for k, m in enumerate(runs):
        if not _lead_gap_ok(window[: m.start()]):
            return None
        if split_names(m.group(0), pos + m.start(), ctx):
            start = k
            break
    if start is None:
        app = _appositive_after_titles(ctx, s, pos, window)
        return (*app, title_before(s, app[0])) if app else None
    segs = split_names(runs[start].group(0), pos + runs[start].start(), ctx)
    last = runs[start]
    for m in runs[start + 1 :]:
        if not _title_chain_gap(window[last.end() : m.start()]):
            break
        segs += split_names(m.group(0), pos + m.start(), ctx)
        last = m
    k = 0
    while k + 1 < len(segs) and _title_chain_gap(s[segs[k][1] : segs[k + 1][0]]):
        k += 1
    a, b = segs[k]
    app = _appositive_after_titles(ctx, s, pos, window)
    if app is not None:
        a, b = app
    return a, b, title_before(s, a)


def _appositive_after_titles(ctx: Ctx, s: str, pos: int, window: str) -> tuple[int, int] | None:
    """The person named after a comma that closes a chain of titles ("kata Kapolres
    Sleman AKBP, Budi Santoso"): the chain ends in a title or an acronym
    and the name after the comma is a name of two words or more, followed by a
    punctuation mark, a lower-case word or the end of the sentence."""
    words = window.split()
    if not words or s[pos + len(window) : pos + len(window) + 1] != ",":
        return None
    last = words[-1].strip("()")
    if not (last.lower() in TITLE_WORDS or (last.isupper() and len(last) >= 2)):
        return None
    rest_at = pos + len(window) + 1
    m = CAP_RUN_RE.match(s, rest_at + len(s[rest_at:]) - len(s[rest_at:].lstrip()))
    if m is None or not re.match(r"\s*(?:$|[,.;:!?)]|[a-z])", s[m.end() :]):
        return None
    segs = split_names(m.group(0), m.start(), ctx)
    if len(segs) == 1 and segs[0] == m.span() and len(m.group(0).split()) >= 2:
        return segs[0]
    return None


def _lead_gap_ok(gap: str) -> bool:
    """Whether the words between a reporting verb and a name are titles or roles only."""
    gap_words = [w.strip("()").lower() for w in gap.split()]
    return not (
        any(
            w
            and w not in TITLE_WORDS
            and w not in NONNAME_WORDS
            and not w.isupper()
            and not w[:1].isupper()
            for w in gap_words
            if not re.fullmatch(r"\(?[A-Z]+\)?", w.upper()) or w.islower()
        )
        and any(w not in TITLE_WORDS and w not in NONNAME_WORDS for w in gap_words)
    )


@cache
def _chain_joins() -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get("title_chain_joins", []))


def _title_chain_gap(gap: str) -> bool:
    """Whether two capitalised runs of one speaker's titles may be joined across ``gap``."""
    words = [w.strip("()") for w in gap.split()]
    return all(
        not w
        or (w.isupper() and len(w) >= 2)  # an acronym: "Kemlu RI", "(Plt)"
        or w.lower() in TITLE_WORDS
        or w.lower() in _chain_joins()
        or (w[:1].isupper() and w.lower() in NONNAME_WORDS)  # "Kantor", "Kementerian"
        for w in words
    )
