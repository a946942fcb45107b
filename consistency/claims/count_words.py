"""The words around a figure: what is not a count, whom a count counts, whose age it is.

Readers :mod:`consistency.claims.counts` asks about each value: a change
("turun 10 ribu kaki") or a denial ("membantah kabar ...") before it, a
remainder ("dua bus lainnya") or a coordinated facet ("379 penumpang dan awak")
after it, a number that is part of a name ("KRI Nanggala 402", "Lapas Kelas 1
Tangerang"), the nationality a figure counts ("empat warga negara Iran"), and
the person an age follows ("Amanda, 19").
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.rows import GENERIC_PEOPLE, headline_like
from consistency.claims.slots import Token, clause_breaks, is_counted_noun, is_status_word
from consistency.text.names import name_key
from consistency.text.numbers import NUMBER_WORDS


@cache
def _change_re() -> re.Pattern[str]:
    data = lang.merged("claims")
    cues = "|".join(sorted(map(re.escape, data.get("change_cues", [])), key=len, reverse=True))
    quals = "|".join(
        sorted(map(re.escape, data.get("change_qualifiers", [])), key=len, reverse=True)
    )
    return re.compile(rf"(?i)(?<![\w-])(?:{cues or '(?!)'})\s+(?:(?:{quals or '(?!)'})\s+)?$")


def change_before(before: str) -> bool:
    """Whether a change word stands right before a measure ("turun 10 ribu kaki")."""
    return bool(_change_re().search(before))


def denied_before(before: str) -> bool:
    """Whether a denial cue comes before a figure in its sentence (it reports a denied figure)."""
    return bool(lang.words_re("denial_cues").search(before))


@cache
def other_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get("other_words", []))


def remainder_after(toks: list[Token], last: int) -> bool:
    """An other-word right after the figure or its noun ("dua bus lainnya", "two other buses")."""
    near = [t.text for t in toks[max(0, last - 1) : last + 3]]
    return any(w in other_words() for w in near)


def name_number(text: str, toks: list[Token], first: int, last: int) -> bool:
    """A plain number that is part of a capitalised name.

    "KRI Nanggala-402", "Boeing 737": a number of three digits or more after a
    capitalised word names the thing (a hull, a model); a count after a name is
    followed by what it counts ("Itaewon 154 orang"), which the caller checks.
    "Lapas Kelas 1 Tangerang", "Terminal 3 Soekarno-Hatta": in a sentence (not
    a title-cased headline) a number between two capitalised words is inside a
    name, whatever its length.
    """
    if first < 1 or first != last:
        return False
    prev, num = toks[first - 1], toks[first]
    if not (text[prev.start : prev.start + 1].isupper() and prev.text.isalpha()):
        return False
    if text[prev.end : num.start] not in (" ", "-") or not re.fullmatch(r"\d+", num.text):
        return False
    nxt = toks[last + 1] if last + 1 < len(toks) else None
    if (
        nxt is not None
        and first >= 2  # a sentence's first word is capitalised whatever it is
        and not nxt.acronym  # "Sebanyak 2 WNI": what it counts
        and text[num.end : nxt.start] == " "
        and text[nxt.start : nxt.start + 1].isupper()
        and re.fullmatch(r"[^\W\d_][\w'’-]*", nxt.text) is not None
        and not headline_like(text)
    ):
        return True
    if first < 2 or not re.fullmatch(r"\d{3,}", num.text):
        return False
    # "Itaewon 154 orang", "Membawa 379 Penumpang" (a title-cased headline): what it counts
    after = nxt.text if nxt is not None else ""
    return after not in GENERIC_PEOPLE and not is_counted_noun(after)


@cache
def _coordinators() -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get("coordinators", []))


def joined_noun(toks: list[Token], last: int, noun: str | None) -> str | None:
    """The noun coordinated with a figure's counted noun, with no figure of its own.

    "379 penumpang dan awak": the figure counts both groups together, everyone
    aboard, a different fact from the passengers alone ("367 penumpang dan 12
    awak" gives each its own figure, and returns None here). Only the facets
    aboard are told apart so: "57 students and teachers" and "61 siswa" are two
    accounts of the people a bus carried.
    """
    i = last + 1
    if not noun or i + 2 >= len(toks) or toks[i].text != noun:
        return None
    if toks[i + 1].text not in _coordinators():
        return None
    other = toks[i + 2]
    if not other.text.isalpha() or other.text in NUMBER_WORDS or other.text in clause_breaks():
        return None
    if other.acronym or is_status_word(other.text):
        return None
    nxt = toks[i + 3] if i + 3 < len(toks) else None
    if nxt is not None and (nxt.is_number or nxt.text in NUMBER_WORDS):
        return None
    return other.text


def persons_before(persons: list[dict[str, Any]], pos: int, sent: str, base: int) -> str | None:
    """The person whose mention ends just before ``pos`` ("Amanda, 19", "Adan (20")."""
    for p in sorted(persons, key=lambda r: -r["end"]):
        gap = sent[p["end"] - base : pos - base]
        if p["end"] <= pos and re.fullmatch(r"\s*[,(]?\s*(?:berusia|usia|umur|aged)?\s*", gap):
            return name_key(p["surface"])
    return None


_NATION_AFTER = re.compile(
    r"\s+(?:orang\s+)?(?:warga\s+negara|warga|WN)\s+(?P<c>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)"
    r"|\s+(?P<e>[A-Z][\w-]+)\s+(?:nationals|citizens)\b"
)
_NATION_BEFORE = re.compile(r"(?P<c>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s*\(\s*$")
_PEOPLE_CLOSE = re.compile(r"\s*(?:orang|people|jiwa|korban)?\s*\)")


def nationality(text: str, a: int, b: int) -> str | None:
    """The country a figure counts people of ("empat warga negara Iran", "Iran (5 orang)").

    Lists of victims by nationality give each country its own count; read as
    a population, they are not compared with the whole toll.
    """
    m = _NATION_AFTER.match(text, b)
    if m:
        return (m.group("c") or m.group("e")).lower()
    before = _NATION_BEFORE.search(text[max(0, a - 60) : a])  # a bounded look back
    if before and _PEOPLE_CLOSE.match(text, b):
        return before.group("c").lower()
    return None
