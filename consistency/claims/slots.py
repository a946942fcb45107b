"""Reading a value's slot from the words around it, in any language with data.

A slot names what a value is about. Three families, language-free:

* **status** slots say what happened to the people counted (dead, injured and
  its grades, missing, evacuated, rescued, aboard; casualties for the dead and
  injured together);
* **measure** slots say what is measured (magnitude, depth, height, distance,
  age);
* **population** slots say who or what is counted (students, climbers,
  vehicles, hospitals, aftershocks, ...). A count with a status keeps its
  population as a facet ("61 siswa" aboard vs "57 students" aboard).

The slots and what is true of each are the table in
:mod:`consistency.claims.slot_table`; the cue words live in
``consistency/lang/<code>/claims.json``. The cue nearest the value wins, after
the value on ties, within its clause: the window stops at punctuation, a
clause break word or another figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from consistency import lang
from consistency.claims.slot_table import THINGS, names_where, slots_of
from consistency.text.numbers import NUMBER_WORDS

STATUS = slots_of("status")
MEASURE = slots_of("measure")
POPULATION = slots_of("population")
ALL_SLOTS = STATUS + MEASURE + POPULATION
"""The slots of each family, in :data:`~consistency.claims.slot_table.SLOTS`'s order."""
BEFALLS = frozenset(names_where(lambda s: s.befalls))
"""Statuses that say what befell the people counted: all but ``aboard`` (where they were)."""

_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W_]+(?:[-'’.][^\W_]+)*%?|%|[,;:()\[\]\"“”]")
_BREAK_PUNCT = frozenset(',;:()[]"“”')
_ACRONYM_RE = re.compile(r"[A-Z]{2,6}")
RELATIVE_WORDS = frozenset({"yang", "who", "which"})


@dataclass(frozen=True)
class Token:
    """A word (lower-case) or punctuation mark with its offsets in the sentence."""

    text: str
    start: int
    end: int
    acronym: bool = False

    @property
    def is_punct(self) -> bool:
        """True for a clause-breaking punctuation mark."""
        return self.text in _BREAK_PUNCT

    @property
    def is_number(self) -> bool:
        """True for a figure ("3.000", "7,5", "19")."""
        return bool(re.fullmatch(r"\d+(?:[.,]\d+)*%?", self.text))


def tokens(sentence: str) -> list[Token]:
    """The sentence's words and clause punctuation, lower-cased, with offsets."""
    return [
        Token(m.group(0).lower(), m.start(), m.end(), _ACRONYM_RE.fullmatch(m.group(0)) is not None)
        for m in _TOKEN_RE.finditer(sentence)
    ]


@cache
def cue_lists() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """slot family -> [(cue tokens, slot)], longest cues first."""
    slots = lang.merged("claims").get("slots", {})
    fams: dict[str, list[tuple[tuple[str, ...], str]]] = {"status": [], "measure": [], "pop": []}
    for slot, words in slots.items():
        fam = "status" if slot in STATUS else "measure" if slot in MEASURE else "pop"
        for w in words:
            fams[fam].append((tuple(w.lower().split()), slot))
    for v in fams.values():
        v.sort(key=lambda x: (-len(x[0]), -sum(map(len, x[0]))))
    return fams


def is_counted_noun(tok: str) -> bool:
    """Whether a token is a one-word cue of a counted population or of people aboard
    ("siswa", "pendaki", "penumpang"): what a figure before it counts. A status word
    ("hilang", "tewas") is not: "KRI Nanggala 402 hilang kontak" names the submarine."""
    return any(
        len(cue) == 1 and _tok_match(cue[0], tok)
        for fam in ("pop", "status")
        for cue, slot in cue_lists()[fam]
        if fam == "pop" or slot == "aboard"
    )


@cache
def clause_breaks() -> frozenset[str]:
    """Words that end a value's clause ("dan", "and", ...)."""
    return frozenset(w.lower() for w in lang.merged("claims").get("clause_breaks", []))


def _tok_match(cue: str, tok: str) -> bool:
    return tok == cue or (len(cue) >= 4 and cue in tok)


def match_at(toks: list[Token], i: int, cue: tuple[str, ...]) -> bool:
    if i + len(cue) > len(toks):
        return False
    return all(_tok_match(c, toks[i + k].text) for k, c in enumerate(cue))


def window(
    toks: list[Token], first: int, last: int, before: int = 6, after: int = 5, wide: bool = False
) -> list[int]:
    """Token indices around the value ``toks[first..last]`` inside its clause, nearest first.

    ``wide`` crosses clause-break words (still not punctuation or another figure).
    """
    breaks = frozenset() if wide else clause_breaks()
    out: list[tuple[int, int]] = []
    for step, limit, start in ((1, after, last + 1), (-1, before, first - 1)):
        i, n = start, 0
        close = bracketed_after(toks, start) if step == 1 else None
        while 0 <= i < len(toks) and n < limit:
            t = toks[i]
            if close is not None and i in (start, close):
                i += 1  # "Empat puluh (penumpang) dewasa": an insertion, read through
                continue
            if t.is_punct or t.is_number or t.text in breaks:
                break
            out.append((n * 2 + (0 if step == 1 else 1), i))
            i += step
            n += 1
    return [i for _, i in sorted(out)]


BRACKET_WORDS = 3
"""Words a bracket right after a figure may hold and still be read with it."""


def bracketed_after(toks: list[Token], i: int) -> int | None:
    """When ``toks[i]`` opens a bracket of at most :data:`BRACKET_WORDS` words (no figure),
    the index of its closing bracket: an editor's insertion naming what a quoted figure
    counts ("Empat puluh (penumpang) dewasa"); else None."""
    if i >= len(toks) or toks[i].text not in ("(", "["):
        return None
    for j in range(i + 1, min(len(toks), i + BRACKET_WORDS + 2)):
        if toks[j].text in ")]":
            return j if j > i + 1 else None
        if toks[j].is_punct or toks[j].is_number:
            return None
    return None


@cache
def phrases(key: str) -> tuple[tuple[str, ...], ...]:
    """A list of the language files' ``key`` as word tuples, longest first, each once."""
    cues = lang.merged("claims").get(key, [])
    return tuple(sorted({tuple(c.lower().split()) for c in cues}, key=lambda c: (-len(c), c)))


def _breakdown_cues() -> tuple[tuple[str, ...], ...]:
    return phrases("breakdown_cues")


def _part_after() -> tuple[tuple[str, ...], ...]:
    return phrases("part_after")


_PART_OF = frozenset({"dari", "of"})


BREAKDOWN_REACH = 40
"""How many words before a value a breakdown cue may open the list it is in."""


@cache
def _breakdown_by_last() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Breakdown cues by their last word, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for cue in _breakdown_cues():
        out.setdefault(cue[-1], []).append(cue)
    return {k: tuple(v) for k, v in out.items()}


def part_of(toks: list[Token], first: int, last: int) -> int | None:
    """Where the breakdown that the value ``toks[first..last]`` is a part of begins, or None.

    A value is a part when a breakdown cue comes before it in its sentence, at
    most ``BREAKDOWN_REACH`` words back ("terdiri atas 6 penumpang minibus dan 2
    pejalan kaki", "including nine students"), when a part-of cue follows it or
    its noun ("26 di antaranya", "19 orang dari korban luka", "37 of the
    injured"), or when "dari"/"of" and another figure follow it ("tiga dari 11
    pendaki", "58 of the 75 climbers"). Returns the token index of the cue's
    first word, or of the value itself when the cue follows it.
    """
    by_last = _breakdown_by_last()
    for i in range(first - 1, max(-1, first - 1 - BREAKDOWN_REACH), -1):
        for cue in by_last.get(toks[i].text, ()):
            s = i - len(cue) + 1
            if s >= 0 and all(toks[s + k].text == c for k, c in enumerate(cue)):
                return s
    for skip in (1, 2):  # "26 di antaranya", "19 orang dari korban luka"
        for cue in _part_after():
            s = last + skip
            if s + len(cue) <= len(toks) and all(toks[s + k].text == c for k, c in enumerate(cue)):
                if skip == 1 or not (toks[last + 1].is_punct or toks[last + 1].is_number):
                    return first
    nxt = toks[last + 1 : last + 4]
    if nxt and nxt[0].text in _PART_OF:
        rest = [t for t in nxt[1:] if t.text not in ("the", "para")]
        if rest and (rest[0].is_number or rest[0].text in NUMBER_WORDS):
            return first
    return None


def whole_of(toks: list[Token], first: int) -> bool:
    """True when the value at ``toks[first]`` is the whole of "X dari Y" / "X of (the) Y".

    What happened is said of the part X ("tiga dari 11 pendaki selamat"), not of Y.
    """
    i = first - 1
    if i >= 0 and toks[i].text in ("the", "para"):
        i -= 1
    if i < 1 or toks[i].text not in _PART_OF:
        return False
    return toks[i - 1].is_number or toks[i - 1].text in NUMBER_WORDS


@cache
def _occurrences(key: str = "occurrences") -> tuple[tuple[tuple[str, ...], str], ...]:
    got = lang.merged("claims").get(key, {})
    return tuple(
        sorted(((tuple(k.lower().split()), v) for k, v in got.items()), key=lambda x: -len(x[0]))
    )


_last_scan: tuple[list[Token], int, str | None] | None = None
"""The last sentence :func:`sentence_occurrence` scanned: its token list, length and answer."""


def sentence_occurrence(toks: list[Token]) -> str | None:
    """Which happening an ``occurrences_in_sentence`` cue anywhere in the sentence names.

    None when no such cue is written, or when the cue says "first"/"main".
    These cues hold for the whole sentence, so the answer is the same for every
    value in it: the scan (every token against every cue) is done once per
    token list and remembered for the next call with the same list object, which
    keeps :func:`occurrence` linear in the number of values of a sentence
    (the callers tokenise a sentence once and pass the same list for each value).
    """
    global _last_scan
    memo = _last_scan
    if memo is not None and memo[0] is toks and memo[1] == len(toks):
        return memo[2]
    got: str | None = None
    for cue, what in _occurrences("occurrences_in_sentence"):
        if any(match_at(toks, s, cue) for s in range(len(toks))):
            got = None if what == "first" else what
            break
    _last_scan = (toks, len(toks), got)
    return got


def occurrence(toks: list[Token], first: int, last: int) -> str | None:
    """Which happening the value belongs to ("aftershock", "second"), from its clause.

    None for the main one (no cue, or a cue saying "first"/"main"). A cue in the
    value's window wins; otherwise a cue that holds for the whole sentence
    (:func:`sentence_occurrence`).
    """
    win = window(toks, first, last, before=8, after=6, wide=True)
    pos = set(win)
    for i in win:
        for cue, what in _occurrences():
            for s in range(i - len(cue) + 1, i + 1):
                if all(j in pos for j in range(s, s + len(cue))) and match_at(toks, s, cue):
                    return None if what == "first" else what
    return sentence_occurrence(toks)


def status_before(toks: list[Token], i: int, reach: int = 8) -> str | None:
    """The status named by the nearest status cue ending before ``toks[i]`` (within ``reach``)."""
    cues = cue_lists()["status"]
    for end in range(i - 1, max(-1, i - 1 - reach), -1):
        for cue, slot in cues:
            s = end - len(cue) + 1
            if s >= 0 and match_at(toks, s, cue):
                return slot
    return None


def measure_before(toks: list[Token], i: int, reach: int = 6) -> tuple[str, int] | None:
    """The measure named by the nearest measure cue before ``toks[i]`` in its clause.

    Returns:
        ``(slot, index of the cue's first token)``, or None.
    """
    cues = cue_lists()["measure"]
    for end in range(i - 1, max(-1, i - 1 - reach), -1):
        if toks[end].is_punct or toks[end].is_number:
            return None
        for cue, slot in cues:
            s = end - len(cue) + 1
            if s >= 0 and match_at(toks, s, cue):
                return slot, s
    return None


@cache
def _aboard_facets() -> dict[str, str]:
    got = lang.merged("claims").get("aboard_facets", {})
    return {w.lower(): facet for facet, words in got.items() for w in words}


def aboard_facet(cue: str | None) -> str | None:
    """Who a count aboard counts, from its cue: ``passengers``, ``crew`` or None (everyone).

    "membawa 56 penumpang" counts passengers and "ditambah 6 awak" the crew;
    "62 orang di dalam pesawat" counts everyone aboard. The three are
    different facts: 56 passengers and 62 aboard do not disagree.
    """
    return _aboard_facets().get(cue or "")


@dataclass(frozen=True)
class SlotReading:
    """What the words around a value say it is about."""

    status: str | None
    measure: str | None
    population: str | None
    cue: str | None


def is_status_word(tok: str) -> bool:
    """Whether a token is (part of) a status cue ("luka", "tewas"): not whom a figure counts."""
    return any(
        len(cue) == 1 and _tok_match(cue[0], tok)
        for cue, slot in cue_lists()["status"]
        if slot in BEFALLS
    )


PREDICATE_REACH = 14
"""Words after a counted group in which its predicate may name what befell it."""


def predicate_status(toks: list[Token], last: int) -> tuple[str, str] | None:
    """What befell a counted group, said by the predicate after it: ``(slot, cue)``.

    "tujuh santri yang menjadi penumpang truk dan dua pejalan kaki di tepi jalan
    meninggal dunia": the group's relative clause and the groups coordinated
    with it ("dan dua pejalan kaki ...") come before the status its predicate
    gives. Stops at punctuation, at another figure not joined by "dan"/"and",
    and after :data:`PREDICATE_REACH` words. Counts aboard are no status here.
    """
    joins = {"dan", "serta", "and"}
    cues = [(c, slot) for c, slot in cue_lists()["status"] if slot in BEFALLS]
    end = min(len(toks), last + 1 + PREDICATE_REACH)
    for i in range(last + 1, end):
        t = toks[i]
        if t.is_punct:
            return None
        if (t.is_number or t.text in NUMBER_WORDS) and toks[i - 1].text not in joins:
            return None
        for cue, slot in cues:
            if match_at(toks, i, cue):
                return slot, " ".join(cue)
    return None


@cache
def _place_prepositions() -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get("place_prepositions", []))


def read_slot(toks: list[Token], first: int, last: int, wide: bool = False) -> SlotReading:
    """Read status, measure and population cues around the value at ``toks[first..last]``.

    ``wide`` reads the whole sentence part before the value (up to 12 words, and 8 after it,
    across clause breaks): for a bare count of people whose clause names no
    status ("setidaknya mencapai 1.750 orang" after "korban tewas ...").
    """
    win = (
        window(toks, first, last, before=12, after=8, wide=True)
        if wide
        else window(toks, first, last)
    )
    pos = set(win)
    found: dict[str, tuple[int, str, str]] = {}
    for fam, cues in cue_lists().items():
        whom: tuple[int, str, str] | None = None
        for rank, i in enumerate(win):
            hit: tuple[int, str, str] | None = None
            for cue, slot in cues:
                # a multi-word cue may start before i and end on it
                for s in range(i - len(cue) + 1, i + 1):
                    if all(j in pos for j in range(s, s + len(cue))) and match_at(toks, s, cue):
                        hit = (rank, slot, " ".join(cue))
                        break
                if hit:
                    break
            if hit and fam == "status" and hit[1] not in BEFALLS:
                # "empat penumpang meninggal dunia": whom a count is of (passengers)
                # yields to what befell them, said after it in the same clause
                whom = whom or hit
                continue
            if hit and whom is not None and i < first - 2:
                # "Korban meninggal terdiri atas 7 penumpang": a breakdown's part; a
                # verb right before the figure is still its status ("killing four passengers")
                continue
            if hit:
                found[fam] = hit
                break
        if fam not in found and whom is not None:
            found[fam] = whom
    st = found.get("status")
    me = found.get("measure")
    po = found.get("pop")
    # a population is what is counted: one of the two words right after the
    # value, with no status word before it ("11 penumpang bus" counts no buses)
    after = [i for i in win if i > last][:2]
    if after and toks[after[0]].text in _place_prepositions():
        after = []  # "delapan di RSUD Tugu Koja": eight (bodies) at a hospital, not hospitals
    if po is not None:
        at = win[po[0]]
        st_at = win[st[0]] if st else None
        # "40 penumpang dewasa": people of a kind among those aboard; "11 penumpang
        # bus" counts no buses
        of_aboard = st is not None and st[1] == "aboard" and po[1] not in THINGS
        if at not in after or (st_at is not None and last < st_at < at and not of_aboard):
            po = None
    cue_word: str | None = None
    for f in (me, st, po):
        if f:
            cue_word = f[2]
            break
    return SlotReading(
        status=st[1] if st else None,
        measure=me[1] if me else None,
        population=po[1] if po else None,
        cue=cue_word,
    )
