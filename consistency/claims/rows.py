"""What the claim readers share: the CLAIMS row builder (:func:`make_claim`), unit
conversions (:func:`units`), words for people in general and calendar words,
and the token-span helper.
"""

from __future__ import annotations

import bisect
import json
import re
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.slots import (
    Token,
)
from consistency.claims.values import Value
from consistency.lang.lexicon import MONTHS, WEEKDAYS

GENERIC_PEOPLE = frozenset(
    {
        "orang",
        "korban",
        "jiwa",
        "warga",
        "people",
        "persons",
        "person",
        "victims",
        "others",
        "other",
        "lain",
        "lainnya",
        "more",
    }
)
"""Count words that name no population of their own ("11 orang", "11 people")."""

CALENDAR_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS)
"""Capitalised words that are never names ("Senin", "September")."""

RANGE_GAP = re.compile(r"^\s*(?:-|–|—|hingga|sampai(?: dengan)?|s/d|to|and|dan|atau|or)\s*$", re.I)
PLATE_RE = re.compile(
    r"(?:nopol|no\.? pol|nomor polisi|pelat(?: nomor)?|plat(?: nomor)?|plate|registration)"
    r"[^A-Za-z0-9]{1,4}(?P<r>[A-Z]{1,2})\s?(?P<d>\d{1,4})\s?(?P<s>[A-Z]{1,3})\b",
    re.I,
)
BARE_PLATE_RE = re.compile(
    r"(?<![\w.,])(?P<r>[A-Z]{1,2}) (?P<d>\d{1,4}) (?P<s>[A-Z]{1,3})(?![\w.,])"
)
"""An Indonesian plate written without a cue word ("Daihatsu Feroza D 1455 VCD")."""
YEAR_OLD_RE = re.compile(r"\b(?P<n>\d{1,3})[- ]year[- ]old\b", re.I)


BASE_UNITS = {"[length]": "metre", "[time]": "second", "dimensionless": "percent"}
"""The unit a measure's values are kept in, by the pint dimensionality of its units."""


@cache
def unit_table() -> dict[str, tuple[str, float, str]]:
    """Every language's units: written form (lower case) -> (measure, factor, base unit).

    The language files name each unit as pint does ("mile", "foot", "hour"); pint
    gives its factor to the base unit of its dimensionality (:data:`BASE_UNITS`), so
    "2 miles" and "3.2 km", "90 minutes" and "1.5 hours" are compared as quantities.
    """
    import pint  # loaded when claims are first read, not at import

    registry: Any = pint.UnitRegistry()
    out = {}
    for written, (measure, name) in lang.merged("claims")["units"].items():
        quantity = registry.Quantity(1, name)
        base = BASE_UNITS[str(quantity.dimensionality)]
        out[written.lower()] = (measure, float(quantity.to(base).magnitude), base)
    return out


@cache
def units() -> dict[str, tuple[str, float]]:
    """Every language's units: written form (lower case) -> (measure, factor to the base unit)."""
    return {k: (m, f) for k, (m, f, _) in unit_table().items()}


def claim_unit(claim: dict[str, Any]) -> str | None:
    """The unit a CLAIMS row's value was written with ("mil", "feet"), or None."""
    detail = claim.get("detail")
    if not detail:
        return None
    unit = json.loads(detail).get("unit") if isinstance(detail, str) else detail.get("unit")
    return unit if isinstance(unit, str) else None


def base_unit(written: str | None) -> str | None:
    """The unit a measure written in WRITTEN is compared in ("mil" -> "metre"), or None."""
    got = unit_table().get(written.lower()) if written else None
    return got[2] if got else None


@cache
def age_words() -> tuple[str, ...]:
    return tuple(w.lower() for w in lang.merged("claims").get("age_words", []))


@cache
def place_re() -> re.Pattern[str]:
    words = lang.merged("claims").get("place_words", [])
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"\b(?i:{alt})\.?\s+(?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)?")


def time_text(minutes: float, zone: float | None) -> str:
    """A time claim's value as the report writes it ("17:03", "05:03+9")."""
    h, m = divmod(int(minutes), 60)
    return f"{h:02d}:{m:02d}" + ("" if zone is None else f"{zone:+g}")


def make_claim(
    article_id: str,
    sent_idx: int,
    slot: str,
    kind: str,
    start: int,
    end: int,
    surface: str,
    value: Value,
    *,
    subject: str | None = None,
    cue: str | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if value.num is not None:
        if kind == "time":
            text = time_text(value.num, value.zone)
        elif value.qualifier == "range":
            text = f"{value.lo:g}-{value.hi:g}"
        else:
            text = f"{value.num:g}"
    else:
        text = value.text or ""
    d = dict(detail or {})
    if kind == "time":
        d.update(
            zone=value.zone,
            precision=value.precision,
            twelve_hour=value.twelve_hour,
            zone_local=value.zone_local,
        )
    return {
        "claim_id": f"{article_id}:{start}-{end}",
        "article_id": article_id,
        "sent_idx": sent_idx,
        "slot": slot,
        "subject": subject,
        "value_kind": kind,
        "value": text,
        "value_num": value.num,
        "value_lo": value.lo,
        "value_hi": value.hi,
        "qualifier": value.qualifier,
        "start": start,
        "end": end,
        "surface": surface,
        "cue": cue,
        "detail": json.dumps(d, ensure_ascii=False, sort_keys=True),
    }


def token_span(toks: list[Token], a: int, b: int) -> tuple[int, int] | None:
    """The first and last token overlapping ``[a, b)`` (tokens are in offset order)."""
    i = bisect.bisect_right([t.end for t in toks], a)
    idx = []
    while i < len(toks) and toks[i].start < b:
        if toks[i].end > a:
            idx.append(i)
        i += 1
    return (idx[0], idx[-1]) if idx else None


def exact_at(toks: list[Token], i: int, cue: tuple[str, ...]) -> bool:
    return i + len(cue) <= len(toks) and all(toks[i + k].text == w for k, w in enumerate(cue))


_SENTENCE_END_RE = re.compile(r"[.!?…\"”’'»)\]]\s*$")


def headline_like(text: str) -> bool:
    """A title or sub-heading: a line that does not end as a sentence ends."""
    return bool(text.strip()) and not _SENTENCE_END_RE.search(text)
