"""Compass bearings ("11 mil barat laut Bandara Soekarno-Hatta", "20 miles east-southeast
of Gaziantep") -> ``bearing`` CLAIMS rows keyed by the landmark they are read from.

A bearing is read only after a distance (a figure and its unit word, up to two
words: "11 nautical mile di utara ...", "40 km dari ...") and before a
capitalised landmark, with the direction in lower case: "Jawa Barat" or "North
Korea" name places, they give no bearing. The compass words and the words that
may stand around them are language data (``compass_points``, ``bearing_joins``,
``bearing_of`` in ``lang/<code>/claims.json``). The value is the direction in
degrees (north 0, east 90); two bearings of one landmark a point apart or more
(22.5 degrees) cannot both hold (:func:`~consistency.claims.values.compatible_bearings`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.entities import name_tokens
from consistency.claims.rows import make_claim, token_span
from consistency.claims.slots import occurrence, tokens
from consistency.claims.values import Value


@cache
def compass_points() -> dict[str, float]:
    """Direction word (lower case) -> degrees clockwise from north, every language."""
    return {k.lower(): float(v) for k, v in lang.merged("claims").get("compass_points", {}).items()}


def _alternation(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True)) or "(?!)"


@cache
def bearing_re() -> re.Pattern[str]:
    """A distance, its unit word(s), optional joining words, a direction, an optional "of",
    and a capitalised landmark of up to four words."""
    data = lang.merged("claims")
    joins = _alternation(data.get("bearing_joins", []))
    of = _alternation(data.get("bearing_of", []))
    points = _alternation(list(compass_points()))
    return re.compile(
        rf"(?<![\w.,])\d+(?:[.,]\d+)?\s+[a-z]+(?:\s+[a-z]+)?\s+"
        rf"(?:(?:{joins})\s+)*"
        rf"(?P<dir>{points})\s+"
        rf"(?:(?:{of})\s+)?"
        rf"(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,3}})"
    )


def bearing_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """The bearing claims of one sentence (SENTENCES row as a dict)."""
    text, base = sent["text"], sent["start"]
    out = []
    toks = None
    for m in bearing_re().finditer(text):
        landmark = " ".join(name_tokens(m.group("place")))
        if not landmark:
            continue
        if toks is None:
            toks = tokens(text)
        a, b = m.span("dir")
        span = token_span(toks, a, b)
        degrees = compass_points()[m.group("dir").lower()]
        out.append(
            make_claim(
                aid,
                sent["sent_idx"],
                "bearing",
                "bearing",
                base + a,
                base + b,
                text[a:b],
                Value(degrees, degrees, degrees),
                subject=landmark,
                cue=m.group("dir").lower(),
                detail={
                    "occurrence": occurrence(toks, *span) if span is not None else None,
                },
            )
        )
    return out
