"""Clock times: how they are written, and which moment of the story each names.

Pure functions of a sentence's text; the claims stage (``extract``) turns
their matches into ``time`` claims. The words are language data
(``time_cues``, ``time_zones``, ``time_parts``, ``time_events``,
``time_as_of`` in ``lang/<code>/claims.json``).
"""

from __future__ import annotations

import re
from functools import cache

from consistency import lang


@cache
def time_re() -> re.Pattern[str]:
    """A clock time with its optional cue ("pukul"), part of day ("sore", "p.m.") and zone.

    The hour and minute are the groups ``h`` and ``m``, or ``hc`` and ``mc`` for a
    four-digit time, which is read only before a zone with a known offset.
    """
    data = lang.merged("claims")
    cues = "|".join(sorted((re.escape(c) for c in data["time_cues"]), key=len, reverse=True))
    zones = "|".join(sorted((re.escape(z) for z in data["time_zones"]), key=len, reverse=True))
    parts = "|".join(sorted((re.escape(p) for p in data["time_parts"]), key=len, reverse=True))
    known = [re.escape(z) for z, h in data["time_zones"].items() if h is not None]
    fixed = "|".join(sorted(known, key=len, reverse=True))
    return re.compile(
        rf"(?:(?P<cue>\b(?:{cues}))\s+)?(?<![\d.,:])"
        rf"(?:(?P<h>\d{{1,2}})(?:[.:](?P<m>\d{{2}}))?(?![\d.,:]\d)"
        # wire style, four digits and a zone with a known offset: "(0803 GMT)", "1430 WIB"
        rf"|(?P<hc>[01]\d|2[0-3])(?P<mc>[0-5]\d)(?=\s*(?:{fixed or '(?!)'})\b))"
        rf"(?:\s*(?P<part>(?:{parts}))(?![\w]))?(?:\s*(?P<zone>(?:{zones}))\b)?",
        re.I,
    )


@cache
def _time_event_res() -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str]]:
    data = lang.merged("claims")
    events = [
        (label, re.compile(rf"(?i)(?<![\w-]){re.escape(cue)}"))
        for label, cues in data.get("time_events", {}).items()
        for cue in cues
    ]
    as_of = "|".join(sorted(map(re.escape, data.get("time_as_of", [])), key=len, reverse=True))
    return events, re.compile(rf"(?i)(?<![\w-])(?:{as_of})(?:\s+\S+){{0,2}}?\s*$")


TIME_OCCUR = "occur"
"""The moment the event itself happened (the ``occur`` cues of ``time_events``)."""

TIME_AS_OF = "as of"
"""The subject of a clock time that dates a count ("hingga pukul 06.00 WIB, tercatat ...")."""


_ENTRY_DASH = re.compile(r"\s*[-\u2013\u2014:]\s")
"""What follows the time that opens a timeline's entry ("20.20 WIB – ...", "14.40: ...")."""

_CLAUSE_END = re.compile(r"[,;:()\u2013\u2014]|\s(?:dan|lalu|kemudian|and|then)\s", re.I)


def timeline_entry(text: str, a: int, b: int) -> bool:
    """Whether the time ``text[a:b]`` opens an entry of a timeline ("20.20 WIB – Pemadam tiba").

    The entry's own words name its moment; an entry that names no moment we
    know is about a moment of its own, not the event's time of another outlet.
    """
    return not text[:a].strip() and bool(_ENTRY_DASH.match(text, b))


def time_events(text: str, a: int, b: int) -> list[str]:
    """Which moment the clock time ``text[a:b]`` names, nearest cue first.

    A time right after an as-of word ("sampai pukul 23.00", "as of 5 p.m.")
    is the time of a count: ``[TIME_AS_OF]``. Otherwise every event cue inside
    the time's clause, nearest first ("ditembak pukul 11.30 pagi dan wafat jam
    5 sore": shot, then death; "lost contact during a dive at 4.30": both);
    when the clause names none, the nearest cue within 80 characters.
    """
    events, as_of = _time_event_res()
    if as_of.search(text[max(0, a - 30) : a]):
        return [TIME_AS_OF]
    ends = [m.start() for m in _CLAUSE_END.finditer(text)]
    c_lo = max([e for e in ends if e < a], default=0)
    c_hi = min([e for e in ends if e >= b], default=len(text))
    if timeline_entry(text, a, b):
        c_hi = len(text)  # the entry's text is the time's clause
    in_clause: list[tuple[int, str]] = []  # (distance, label)
    nearby: list[tuple[int, str]] = []
    # a cue in another clause that holds a clock time of its own is that time's
    # ("muncul pukul 21.15 dan baru dipadamkan pukul 01.30": 21.15 is not when it was put out)
    others = [
        (t.start(), t.end())
        for t in time_re().finditer(text, max(0, a - 80), min(len(text), b + 80))
        if t.end() <= a or t.start() >= b
    ]

    def clause_of(x: int) -> tuple[int, int]:
        return max([e for e in ends if e <= x], default=0), min(
            [e for e in ends if e > x], default=len(text)
        )

    for label, rx in events:
        for m in rx.finditer(text, max(0, a - 80), min(len(text), b + 80)):
            if m.end() <= a:
                dist, inside = a - m.end(), m.start() >= c_lo
            elif m.start() >= b:
                dist, inside = m.start() - b, m.end() <= c_hi
            else:
                continue
            if not inside:
                lo, hi = clause_of(m.start())
                if any(lo <= s and e <= hi for s, e in others):
                    continue
            (in_clause if inside else nearby).append((dist, label))
    if in_clause:
        return list(dict.fromkeys(label for _, label in sorted(in_clause)))
    return [min(nearby)[1]] if nearby else []
