"""Clock times, time words and parts of the day -> ``time`` and ``daypart`` CLAIMS rows.

"pukul 19:00 WIB", "2.53pm local time", "jam 5 sore", "tengah malam",
"Minggu malam (10/9)": minutes after midnight with their zone, precision and
the moment they name.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.rows import make_claim
from consistency.claims.slots import (
    Token,
    occurrence,
    tokens,
)
from consistency.claims.times import time_events, time_re, timeline_entry
from consistency.claims.values import Value
from consistency.lang.lexicon import MONTHS, WEEKDAYS
from consistency.text.names import name_key


@cache
def _timestamp_words() -> frozenset[str]:
    words = lang.merged("claims").get("timestamp_words", [])
    return frozenset(w.lower() for w in words) | frozenset(WEEKDAYS) | frozenset(MONTHS)


def timestamp_line(text: str) -> bool:
    """A page's date-and-time stamp ("Tue, January 2, 2024 at 3:25 PM", "Senin, 08 Apr
    2024 10:15 WIB"): a line with a clock time and no word but weekdays, months and
    ``timestamp_words``. It says when the page was made; its time is no event's."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(re.search(r"\d{1,2}[:.]\d{2}", text)) and all(
        w in _timestamp_words() for w in words
    )


def nearest_person(persons: list[dict[str, Any]], pos: int) -> str | None:
    if not persons:
        return None
    p = min(persons, key=lambda r: min(abs(r["end"] - pos), abs(r["start"] - pos)))
    return name_key(p["surface"])


MAX_TIMES_PER_SENTENCE = 200
"""How many clock times, time words or parts of the day one reader takes from one sentence.

Each value's moment and occurrence are read from the words around it, so a
sentence stuffed with thousands of times ("12:30 12:31 12:32 ...") costs one
look at the sentence per value. No news sentence writes more than a few dozen;
the reader stops at this many claims, which keeps a hostile sentence linear.
"""


class SentenceTokens:
    """A sentence's tokens, made once and shared by every value read in it.

    Tokenising the sentence (and its occurrence cues, see
    :func:`~consistency.claims.slots.sentence_occurrence`) once rather than once
    per value keeps a sentence with many values linear.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._toks: list[Token] | None = None
        self._ends: list[int] = []

    def occurrence(self, a: int, b: int) -> str | None:
        """Which happening the value at ``text[a:b]`` belongs to (see :func:`occurrence`)."""
        if self._toks is None:
            self._toks = tokens(self.text)
            self._ends = [t.end for t in self._toks]
        toks = self._toks
        # the first and last token overlapping [a, b), as rows._token_span finds them
        i = bisect.bisect_right(self._ends, a)
        idx = []
        while i < len(toks) and toks[i].start < b:
            if toks[i].end > a:
                idx.append(i)
            i += 1
        return occurrence(toks, idx[0], idx[-1]) if idx else None


@cache
def _time_word_re() -> re.Pattern[str]:
    data = lang.merged("claims")
    words = "|".join(sorted(map(re.escape, data.get("time_words", {})), key=len, reverse=True))
    near_words = [w for ws in data.get("time_word_near", {}).values() for w in ws]
    near = "|".join(sorted(map(re.escape, near_words), key=len, reverse=True))
    wd = "|".join(sorted(map(re.escape, WEEKDAYS), key=len, reverse=True))
    return re.compile(
        rf"(?i)(?<![\w-])(?:(?P<near>{near or '(?!)'})\s+)?(?:(?:{wd})\s+)?"
        rf"(?P<w>{words or '(?!)'})(?![\w-])"
    )


def time_word_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """Clock times named by a word ("just before Friday midnight", "tengah malam").

    The word stands for the hour around it (precision 60 minutes, from half an
    hour before); "just before" or "just after" narrows it to that half hour.
    """
    text, base = sent["text"], sent["start"]
    data = lang.merged("claims")
    minutes_of = {k.lower(): float(v) for k, v in data.get("time_words", {}).items()}
    after_words = {w.lower() for w in data.get("time_word_near", {}).get("after", [])}
    out: list[dict[str, Any]] = []
    for m in _time_word_re().finditer(text):
        if len(out) >= MAX_TIMES_PER_SENTENCE:
            break
        at = minutes_of[m.group("w").lower()]
        near = (m.group("near") or "").lower()
        if not near:
            lo, prec = (at - 30) % 1440, 60.0
        elif near in after_words:
            lo, prec = at, 30.0
        else:
            lo, prec = (at - 30) % 1440, 31.0  # up to the moment named, which it may round to
        a, b = m.span()
        events = time_events(text, a, b)
        out.append(
            make_claim(
                aid,
                sent["sent_idx"],
                "time",
                "time",
                base + a,
                base + b,
                text[a:b],
                Value(lo, lo, lo, "exact", precision=prec),
                subject=events[0] if events else None,
                cue=None,
                detail={"zone_written": None, "events": events, "entry": False, "word": True},
            )
        )
    return out


def time_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    data = lang.merged("claims")
    zones = {k.lower(): v for k, v in data["time_zones"].items()}
    parts = {k.lower(): v for k, v in data["time_parts"].items()}
    clock24_cues = {c.lower() for c in data.get("clock24_cues", [])}
    text, base = sent["text"], sent["start"]
    sentence = SentenceTokens(text)
    out: list[dict[str, Any]] = []
    for m in time_re().finditer(text):
        if len(out) >= MAX_TIMES_PER_SENTENCE:
            break
        cue, hh, mm, part, zone = (m.group(g) for g in ("cue", "h", "m", "part", "zone"))
        compact = hh is None
        if compact:
            hh, mm = m.group("hc"), m.group("mc")
        h = int(hh)
        strong_cue = cue is not None and cue.lower().split()[-1] in ("pukul", "jam", "pkl", "pkl.")
        if mm is None and not (strong_cue and (part or zone)) and not (part and part[0] in "ap"):
            continue
        if mm is not None and not (strong_cue or part or zone):
            continue
        if mm is not None and int(mm) > 59 or h > 24:
            continue
        if cue and not strong_cue and not (part or zone):
            continue
        ampm = parts.get(part.lower()) if part else None
        clock24 = compact or (bool(cue) and cue.lower().split()[-1] in clock24_cues)
        if ampm == "pm" and h < 12:
            h += 12
        if ampm == "am" and h == 12:
            h = 0
        minutes = h * 60 + int(mm or 0)
        z = zones.get(zone.lower()) if zone else None
        a = m.start("hc" if compact else "h")
        b = m.end()
        out.append(
            make_claim(
                aid,
                sent["sent_idx"],
                "time",
                "time",
                base + a,
                base + b,
                text[a:b],
                Value(
                    float(minutes),
                    float(minutes),
                    float(minutes),
                    "exact",
                    zone=z,
                    precision=1.0 if mm is not None else 60.0,
                    twelve_hour=ampm is None and 1 <= h <= 12 and not clock24,
                    zone_local=zone is not None and z is None,
                ),
                subject=(events[0] if (events := time_events(text, m.start(), b)) else None),
                cue=cue.lower() if cue else None,
                detail={
                    "zone_written": zone,
                    "events": events,
                    "entry": timeline_entry(text, m.start(), b),
                    "occurrence": sentence.occurrence(m.start(), b),
                },
            )
        )
    return out


@cache
def _daypart_re() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[float, float]]]:
    parts = {
        k.lower(): (float(v[0]), float(v[1]))
        for k, v in lang.merged("claims").get("dayparts", {}).items()
    }
    wd = "|".join(sorted(map(re.escape, WEEKDAYS), key=len, reverse=True))
    pt = "|".join(sorted(map(re.escape, parts), key=len, reverse=True))
    after = re.compile(rf"\b(?P<wd>{wd})\b(?P<mid>[\s,()/\d\w-]{{0,28}}?)\s(?P<part>{pt})\b", re.I)
    before = re.compile(rf"\b(?P<part>{pt})(?:\s+hari)?,?\s+(?P<wd>{wd})\b", re.I)
    return after, before, parts


def dayparts_told(text: str) -> frozenset[str]:
    """The parts of the day a text names with a weekday ("Rabu (13/3) dini hari" -> "dini hari")."""
    after, before, _ = _daypart_re()
    return frozenset(m.group("part").lower() for rx in (after, before) for m in rx.finditer(text))


def daypart_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """The part of the day of a weekday ("Minggu, 10 September sore", "Sunday night").

    Its value is the part's span of minutes after midnight; the subject is the
    weekday, so only parts of one day meet, and the moment comes from the
    clause's event cues as for a clock time.
    """
    after, before, parts = _daypart_re()
    text, base = sent["text"], sent["start"]
    sentence = SentenceTokens(text)
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for m in [*after.finditer(text), *before.finditer(text)]:
        if len(out) >= MAX_TIMES_PER_SENTENCE:
            break
        mid = m.groupdict().get("mid") or ""
        if any(w.lower() in WEEKDAYS for w in re.findall(r"[^\W\d_]+", mid)):
            continue  # another weekday in between
        if re.search(r"[^\W\d_]{3,}", mid) and not any(
            w.lower() in MONTHS for w in re.findall(r"[^\W\d_]+", mid)
        ):
            continue  # words in between that are no date ("Minggu ketika ... malam")
        a, b = m.start("part"), m.end("part")
        if a in seen:
            continue
        seen.add(a)
        part = m.group("part").lower()
        lo, hi = parts[part]
        events = time_events(text, m.start(), m.end())
        out.append(
            make_claim(
                aid,
                sent["sent_idx"],
                "daypart",
                "daypart",
                base + a,
                base + b,
                text[a:b],
                Value(None, lo, hi, "range", text=part),
                subject=WEEKDAYS[m.group("wd").lower()],
                cue=m.group(0).lower(),
                detail={"events": events, "occurrence": sentence.occurrence(m.start(), b)},
            )
        )
    return out
