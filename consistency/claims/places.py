"""Places of figures: where a count was counted ("tewas di Derna", "Di pihak Turki, ... 284").

A toll in Derna and a toll in all of eastern Libya, or in Turkey and in Turkey
and Syria together, are different facts: a sub-total is not a conflict with its
total. :func:`place_after` reads the place a value's clause names after it (a
preposition, an optional frame word such as "wilayah" or "the city of", an
optional direction, a capitalised name, or two joined by "dan"/"and");
:func:`place_before` reads the last such place before the value in its
sentence (the frame a sentence opens with: "Di pihak Turki, Wakil Presiden ...
menyebut 284 warganya tewas"). A figure over all the event's places ("di
kedua negara", "in both countries") has the place :data:`ALL_PLACES`.

The words come from ``lang/<code>/claims.json`` (``place_prepositions``,
``place_frames``, ``place_directions``, ``place_lead_ins``, ``total_places``).
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz

from consistency import lang
from consistency.claims.slot_table import names_where
from consistency.text.names import name_key

ALL_PLACES = "*"
"""The place of a figure said of all the event's places together."""

PLACED_SLOTS = frozenset(names_where(lambda s: s.placed))
"""Slots counted place by place: a figure of these may take its place from before it."""

REACH = 70
"""Characters after a value in which its place's preposition may stand."""

_NAME = r"[A-Z][\w'’-]+"
_JOIN = r"\s+(?:dan|and|&)\s+"


def _alt(key: str) -> str:
    words = lang.merged("claims").get(key, [])
    alts = (re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return "|".join(sorted(alts, key=len, reverse=True))


@cache
def _place_re() -> re.Pattern[str]:
    prep, frame = _alt("place_prepositions"), _alt("place_frames")
    direction = _alt("place_directions")
    total = _alt("total_places") or "(?!)"
    name = rf"(?:(?:{direction})\s+)?{_NAME}(?:\s+(?:{direction})(?![\w-]))?"
    return re.compile(
        rf"(?<![\w-])(?i:{prep})\s+(?:(?i:{total})(?P<all>)"
        rf"|(?:(?i:{frame})\s+)?(?P<p>{name}(?:{_JOIN}{name})?))(?![\w-])"
    )


@cache
def _lead_in_re() -> re.Pattern[str]:
    lead = _alt("place_lead_ins") or "(?!)"
    prep = _alt("place_prepositions")
    return re.compile(rf"^,\s*(?:(?i:{lead})\s+)?(?i:{prep})\s")


def _key(m: re.Match[str]) -> str:
    if m.group("all") is not None:
        return ALL_PLACES
    directions = {w.lower() for w in lang.merged("claims").get("place_directions", [])}
    parts = []
    for one in re.split(_JOIN, m.group("p")):
        words = [w for w in one.split() if w.lower() not in directions]
        parts.append(name_key(" ".join(words)))
    return "+".join(sorted(parts))


def place_after(sent: str, pos: int) -> str | None:
    """The place named right after the value's clause ("tewas di Derna", ", baik di wilayah X")."""
    rest = re.split(r"[;:()]", sent[pos:], maxsplit=1)[0]
    head, comma, tail = rest.partition(",")
    if comma and _lead_in_re().match("," + tail):
        head = head + " " + tail.partition(",")[0]  # ", baik di wilayah Suriah maupun ..."
    m = _place_re().search(head)
    return _key(m) if m and m.start() <= REACH else None


def place_before(sent: str, pos: int) -> str | None:
    """The last place named before the value in its sentence ("Di pihak Turki, ... 284")."""
    found = list(_place_re().finditer(sent[:pos]))
    return _key(found[-1]) if found else None


def places_agree(a: str | None, b: str | None) -> bool:
    """Whether two figures' places allow one fact: unknown, the same, or both over all places."""
    if a is None or b is None or a == b:
        return True
    if ALL_PLACES in (a, b):
        return "+" in (b if a == ALL_PLACES else a)
    return fuzz.ratio(a, b) >= 70


def named_places(texts: list[str]) -> frozenset[str]:
    """The places the texts name after a place preposition ("di Libya", "in north Jakarta")."""
    out: set[str] = set()
    for t in texts:
        for m in _place_re().finditer(t):
            if m.group("all") is None:
                out.update(_key(m).split("+"))
    return frozenset(out)


def ends_in_direction(name: str) -> bool:
    """Whether a name ends in a direction word: a region ("Jawa Barat", "Libya timur")."""
    words = name.split()
    directions = {w.lower() for w in lang.merged("claims").get("place_directions", [])}
    return len(words) >= 2 and words[-1].lower() in directions
