"""Dates and times of a sentence -> ``date`` FACTS rows.

Numeric ("Selasa (5/9/2023)"), day-month-year, month-day-year, relative
("kemarin", "3 hari lalu"), year, month, weekday and clock-time mentions;
years resolved from the text or the article's publication date, weekdays
checked against the calendar, datelines marked. Spans read are masked so
the number reader does not read them again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from consistency import lang
from consistency.facts.context import Ctx, fact_row
from consistency.facts.words import MON_ANY, MON_RE, MONTHS, WD_RE
from consistency.lang.lexicon import WEEKDAY_INDEX, WEEKDAYS
from consistency.text.spans import TakenSpans

# --- dates ---------------------------------------------------------------------

_DATE_NUMERIC = re.compile(
    rf"(?:\b(?P<wd>{WD_RE})\b\s*,?\s*(?P<open>\()?\s*|(?P<open2>\()\s*)"
    r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}|\d{2}))?\b\s*\)?"
)
_DATE_ISO = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")
"""An ISO 8601 calendar date ("2021-09-09"), as page metadata and wire copy write it."""
_DATE_DMY = re.compile(
    rf"(?:\b(?P<wd>{WD_RE})\b\s*,?\s*(?:tanggal\s+)?)?\b(?P<d>\d{{1,2}})\s+(?P<mon>{MON_ANY})"
    r"(?:\s+(?P<y>\d{4}))?\b"
    r"(?:,?\s*(?:pukul\s+)?(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?:\s*(?P<tz>WIB|WITA|WIT|GMT|UTC))?)?"
)
_DATE_MDY = re.compile(
    rf"(?:\b(?P<wd>{WD_RE})\b,?\s*)?\b(?P<mon>{MON_ANY})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?P<y>\d{4}))?"
)
_DATE_REL = re.compile(
    r"\b(?:(?P<n>\d+)\s+)?(?P<u>hari|pekan|minggu|bulan|tahun|jam|menit)\s+"
    r"(?P<rel>lalu|yang lalu|ini|depan|mendatang)\b"
    r"|\b(?P<rel2>kemarin|hari ini|besok|yesterday|today|tomorrow)\b"
    r"|\b(?P<rel3>last|this|next)\s+(?P<u3>week|month|year)\b"
    r"|\b(?P<n4>\d+)\s+(?P<u4>minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b",
    re.I,
)
_DATE_YEAR = re.compile(r"\b(?P<y>(?:18|19|20)\d{2})(?P<decade>-an|s)?\b(?![.,]\d)")
_DATE_MONTH = re.compile(
    rf"\b(?:(?:pada|bulan|pada bulan|in|since|sejak|awal|akhir)\s+)?(?P<mon>{MON_RE})"
    r"(?:\s+(?P<y>\d{4}))?\b"
)
_DATE_WEEKDAY = re.compile(rf"\b(?:(?:pada|hari|pada hari|on)\s+)?(?P<wd>{WD_RE})\b")
_TIME_RE = re.compile(
    r"\b(?:pukul|jam|at)\s+\d{1,2}[.:]\d{2}\b(?:\s*(?:WIB|WITA|WIT|GMT|UTC|a\.m\.|p\.m\.))?"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:WIB|WITA|WIT|GMT|UTC|a\.m\.|p\.m\.|am|pm)\b|\b\d{1,2}:\d{2}\b"
    r"|\b(?:[01]\d|2[0-3])[0-5]\d\s*(?:WIB|WITA|WIT|GMT|UTC)\b"  # wire style: "(0803 GMT)"
)
_DATELINE_CUE = re.compile(
    r"(dilansir|dikutip|melansir|mengutip|reported|according to|reuters|\bap\b|cnn)"
    r"[^.]{0,40}$",
    re.I,
)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _resolve_year(
    ctx: Ctx, month: int, day: int, explicit: str | None
) -> tuple[int | None, str | None]:
    """The year of a day/month: explicit, else from the publication date (never after it)."""
    if explicit:
        y = int(explicit)
        return (y + 2000 if y < 100 else y), "explicit"
    if ctx.published is not None:
        y = ctx.published.year
        cand = _safe_date(y, month, day)
        if cand is not None and cand > ctx.published + dt.timedelta(days=31):
            y -= 1
        return y, "published"
    return None, None


def _weekday_years(weekday: str, month: int, day: int, around: int = 2023) -> list[int]:
    """Years near ``around`` in which day/month falls on ``weekday``."""
    want = WEEKDAY_INDEX[weekday]
    out = []
    for y in range(around - 8, around + 9):
        d = _safe_date(y, month, day)
        if d is not None and d.weekday() == want:
            out.append(y)
    return out


@dataclass(frozen=True)
class _DateSentence:
    """One sentence being read for dates, with the spans already read (masked)."""

    ctx: Ctx
    idx: int
    s: str
    base: int
    masked: list[tuple[int, int]]
    taken: TakenSpans  # a sentence of many dates and times stays linear

    def free(self, m: re.Match[str]) -> bool:
        """Whether a match overlaps no span already read."""
        return not self.taken.overlaps(*m.span())

    def mask(self, span: tuple[int, int]) -> None:
        """Mark a span as read, for the later readers and the number reader."""
        self.masked.append(span)
        self.taken.add(*span)

    def dateline(self, a: int) -> bool:
        """Whether a date at ``a`` is a dateline (after a wire cue, or in a short line)."""
        s = self.s
        before = s[max(0, a - 60) : a]
        rest = (s[:a] + s[a:]).strip()
        return bool(_DATELINE_CUE.search(before)) or len(rest) < 45

    def row(
        self,
        m: re.Match[str],
        key: str | None,
        *,
        unit: str,
        detail: dict[str, Any],
        value_date: dt.date | None = None,
        qualifier: str | None = None,
    ) -> None:
        """Write a ``date`` fact over a match and mask its span."""
        a, b = m.span()
        fact_row(
            self.ctx,
            self.idx,
            "date",
            self.base + a,
            self.base + b,
            key,
            value_date=value_date,
            unit=unit,
            qualifier=qualifier,
            detail=detail,
        )
        self.mask((a, b))


def date_facts(ctx: Ctx, idx: int, s: str, base: int, masked: list[tuple[int, int]]) -> None:
    """Find dates in sentence ``s`` (starting at ``base``); record their spans in ``masked``."""
    r = _DateSentence(ctx, idx, s, base, masked, TakenSpans(masked))
    _iso_dates(r)
    _numeric_dates(r)
    _named_month_dates(r)
    _clock_times(r)
    _relative_dates(r)
    _months(r)
    _years(r)
    _weekdays(r)


def _add_day(
    r: _DateSentence,
    m: re.Match[str],
    day: int,
    month: int,
    y: str | None,
    wd: str | None,
    raw: dict[str, Any],
) -> None:
    """Write a day's date fact (its year resolved, its weekday checked), unless impossible."""
    a = m.start()
    year, source = _resolve_year(r.ctx, month, day, y)
    value = _safe_date(year, month, day) if year else None
    if year and value is None:
        return
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return
    weekday = WEEKDAYS.get(wd.lower()) if wd else None
    weekday_ok = None
    if weekday and value is not None:
        weekday_ok = value.weekday() == WEEKDAY_INDEX[weekday]
    detail = {
        "day": day,
        "month": month,
        "year": year,
        "year_source": source,
        "weekday": wd,
        "weekday_ok": weekday_ok,
        "role": "dateline" if r.dateline(a) else "event",
        **raw,
    }
    key = value.isoformat() if value else f"--{month:02d}-{day:02d}"
    r.row(m, key, value_date=value, unit="day", qualifier=weekday, detail=detail)


def _iso_dates(r: _DateSentence) -> None:
    """ISO dates ("2021-09-09")."""
    for m in _DATE_ISO.finditer(r.s):
        _add_day(r, m, int(m.group("d")), int(m.group("m")), m.group("y"), None, {})


def _numeric_dates(r: _DateSentence) -> None:
    """Numeric dates after a weekday or in brackets ("Selasa (5/9/2023)")."""
    for m in _DATE_NUMERIC.finditer(r.s):
        if not r.free(m):
            continue
        if not m.group("wd") and not m.group("open2"):
            continue
        _add_day(r, m, int(m.group("d")), int(m.group("m")), m.group("y"), m.group("wd"), {})


def _named_month_dates(r: _DateSentence) -> None:
    """Day-month-year then month-day-year dates, with a time said after them."""
    for rx in (_DATE_DMY, _DATE_MDY):
        for m in rx.finditer(r.s):
            if not r.free(m):
                continue
            mon = MONTHS.get(m.group("mon").rstrip(".").lower())
            if mon is None:
                continue
            raw = {}
            if m.groupdict().get("hh"):
                raw["time"] = f"{int(m.group('hh')):02d}:{m.group('mm')}"
                if m.group("tz"):
                    raw["tz"] = m.group("tz")
            _add_day(r, m, int(m.group("d")), mon, m.group("y"), m.group("wd"), raw)


def _clock_times(r: _DateSentence) -> None:
    """Clock times ("pukul 10.30 WIB", "(0803 GMT)")."""
    for m in _TIME_RE.finditer(r.s):
        if not r.free(m):
            continue
        r.row(m, None, unit="time", detail={"role": "time"})


def _relative_dates(r: _DateSentence) -> None:
    """Relative dates ("kemarin", "3 hari lalu", "last week")."""
    for m in _DATE_REL.finditer(r.s):
        if not r.free(m):
            continue
        _relative_date(r.ctx, r.idx, r.s, r.base, m)
        r.mask(m.span())


def _months(r: _DateSentence) -> None:
    """Months, with their year said or taken from the publication date."""
    ctx = r.ctx
    for m in _DATE_MONTH.finditer(r.s):
        if not r.free(m):
            continue
        word = m.group("mon").rstrip(".")
        if (
            word in ("May", "Mei", "March")
            and not m.group(0)
            .lower()
            .startswith(("pada", "bulan", "in", "since", "sejak", "awal", "akhir"))
            and not m.group("y")
        ):
            continue
        mon = MONTHS[word.lower()]
        y = int(m.group("y")) if m.group("y") else None
        source = "explicit" if y else None
        if y is None and ctx.published is not None:
            y = ctx.published.year if mon <= ctx.published.month else ctx.published.year - 1
            source = "published"
        value = dt.date(y, mon, 1) if y else None
        key = f"{y:04d}-{mon:02d}" if y else f"--{mon:02d}"
        detail = {"month": mon, "year": y, "year_source": source, "role": "event"}
        r.row(m, key, value_date=value, unit="month", detail=detail)


def _years(r: _DateSentence) -> None:
    """Years and decades ("2023", "1990-an", "1990s"), not parts of other numbers."""
    s = r.s
    for m in _DATE_YEAR.finditer(s):
        if not r.free(m):
            continue
        if m.start() > 0 and s[m.start() - 1] in "/.,-:" or m.end() < len(s) and s[m.end()] in "/:":
            continue
        y = int(m.group("y"))
        unit = "decade" if m.group("decade") else "year"
        r.row(
            m, str(y), value_date=dt.date(y, 1, 1), unit=unit, detail={"year": y, "role": "event"}
        )


def _weekdays(r: _DateSentence) -> None:
    """Weekdays, dated the last such day up to the publication date."""
    ctx = r.ctx
    for m in _DATE_WEEKDAY.finditer(r.s):
        if not r.free(m):
            continue
        wd = m.group("wd")
        if wd == "Minggu" and re.match(r"\s+(lalu|ini|depan)", r.s[m.end() :]):
            continue
        weekday = WEEKDAYS[wd.lower()]
        value = None
        if ctx.published is not None:
            back = (ctx.published.weekday() - WEEKDAY_INDEX[weekday]) % 7
            value = ctx.published - dt.timedelta(days=back)
        r.row(
            m,
            value.isoformat() if value else None,
            value_date=value,
            unit="weekday",
            qualifier=weekday,
            detail={"weekday": wd, "role": "event", "year_source": "published" if value else None},
        )


PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year", "time": "time"}
"""dateparser's period of a relative date -> the date fact's unit."""


@cache
def _relative_parser(base: dt.date) -> Any:
    """A dateparser reader of the languages the project knows, relative to BASE (noon)."""
    from dateparser.date import DateDataParser  # loaded when a relative date is first met

    return DateDataParser(
        languages=list(lang.LANGUAGES),
        settings={
            "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day, 12),
            "RETURN_TIME_AS_PERIOD": True,
        },
    )


def resolve_relative(text: str, published: dt.date | None) -> tuple[dt.date | None, str]:
    """A relative date ("kemarin", "3 hari lalu", "last week") read by dateparser.

    Returns the day it names, resolved against the article's date (the Monday of
    a week, the first of a month, the first of January of a year; None without
    a date), and its unit: ``day``, ``week``, ``month``, ``year``, ``time`` (hours
    and minutes ago) or ``relative`` when dateparser cannot read it. A unit said
    without a number ("bulan lalu") is read as one of it ("1 bulan lalu"); the
    language files' ``relative_date_rewrites`` put a phrase dateparser does not
    know into words it does ("pekan lalu" -> "minggu lalu").
    """
    for old, new in lang.merged("claims").get("relative_date_rewrites", {}).items():
        text = re.sub(rf"\b{re.escape(old)}\b", new, text)
    parser = _relative_parser(published or _ANY_DAY)
    got = parser.get_date_data(text)
    if got.date_obj is None:
        got = parser.get_date_data(f"1 {text}")
    if got.date_obj is None:
        return None, "relative"
    unit = PERIODS.get(got.period or "", "relative")
    if published is None:
        return None, unit
    day = got.date_obj.date()
    if unit == "week":
        day = day - dt.timedelta(days=day.weekday())
    elif unit == "month":
        day = day.replace(day=1)
    elif unit == "year":
        day = dt.date(day.year, 1, 1)
    return day, unit


_ANY_DAY = dt.date(2000, 1, 1)
"""A base for reading the unit of a relative date in an undated article."""


def _relative_date(ctx: Ctx, idx: int, s: str, base: int, m: re.Match[str]) -> None:
    text = m.group(0).lower()
    value, unit = resolve_relative(text, ctx.published)
    key = None
    if value is not None:
        key = {"year": str(value.year), "month": value.isoformat()[:7]}.get(unit, value.isoformat())
    fact_row(
        ctx,
        idx,
        "date",
        base + m.start(),
        base + m.end(),
        key,
        value_date=value,
        unit=unit,
        detail={
            "relative": text,
            "role": "relative",
            "year_source": "published" if value else None,
        },
    )
