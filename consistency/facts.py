"""Facts: typed facts per sentence, with offsets into the original text.

Takes the ARTICLES frame (text, language, publication date) and the SENTENCES
frame (kept sentences with ``start``/``end`` into the article text) and
returns a FACTS frame (see :mod:`consistency.types`), one row per fact:

* ``speaker``  who a quote or reported statement is credited to ("kata Kirby",
  "X mengatakan", "menurut X", "said X", "according to X"); a quote that goes
  on in the next sentence keeps its speaker, and "katanya" / "ia menambahkan"
  resolve to the last named speaker. ``key`` is the speaker's name key;
  ``detail`` holds the title, how it was found and whether it is a person.
* ``person``   names, with a normalised ``key`` ("Kim Jong-un" == "Kim Jong Un").
* ``number``   quantities: ``value_num``, ``unit`` (what is counted), ``key``
  (canonical unit), ``qualifier`` (exact, more_than, at_least, about, almost,
  less_than, up_to, vague). Dates, times, years, ordinals, page counters,
  phone numbers and model designations are never quantities.
* ``date``     dates and times: ``value_date`` resolved against the explicit
  year or the article's publication date (null when no year is known),
  ``unit`` the granularity (day, month, year, week, weekday, time),
  ``qualifier`` the weekday named in the text (English, lower-case), and
  ``detail`` the raw parts, whether the weekday fits the calendar and whether
  the date is a dateline ("seperti dilansir CNN, Selasa (5/9/2023)").
* ``place`` / ``org``  from a small gazetteer and a few patterns (no NER model).
* ``polarity`` negation, denial and confirmation markers (``key`` neg, deny, affirm).

Nothing here loads a model; extraction is regular expressions and lexicons.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from consistency.lexicon import MONTH_ABBREVIATIONS, WEEKDAY_INDEX, WEEKDAYS
from consistency.lexicon import MONTHS as MONTH_NAMES
from consistency.names import (
    NAME_PARTICLES,
    NONNAME_WORDS,
    NUMBER_WORDS,
    ORGS,
    OUTLET_WORDS,
    PLACES,
    SCALES,
    TITLE_WORDS,
    VAGUE_NUMBERS,
    name_key,
    parse_decimal,
    parse_number_words,
    surname_key,
)
from consistency.types import ARTICLES, FACTS, SENTENCES

# --- lexicons ----------------------------------------------------------------


MONTHS: dict[str, int] = {**MONTH_NAMES, **MONTH_ABBREVIATIONS}

_WD_RE = r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Ahad|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"  # noqa: E501
_MONTH_LONG = sorted((m for m in MONTHS if len(m) > 3), key=len, reverse=True)
_MONTH_SHORT = sorted((m for m in MONTHS if len(m) <= 4), key=len, reverse=True)
_MON_RE = (
    "(?:"
    + "|".join(m.capitalize() for m in _MONTH_LONG)
    + "|"
    + "|".join(m.capitalize() + r"\." for m in _MONTH_SHORT)
    + ")"
)
_MON_ANY = "(?:" + "|".join(m.capitalize() for m in _MONTH_LONG + _MONTH_SHORT) + r")\.?"

QUALIFIERS: list[tuple[str, str]] = [
    ("lebih dari", "more_than"),
    ("lebih daripada", "more_than"),
    ("di atas", "more_than"),
    ("sedikitnya", "at_least"),
    ("setidaknya", "at_least"),
    ("paling sedikit", "at_least"),
    ("sekurang-kurangnya", "at_least"),
    ("minimal", "at_least"),
    ("sekitar", "about"),
    ("kurang lebih", "about"),
    ("lebih kurang", "about"),
    ("sekira", "about"),
    ("kisaran", "about"),
    ("kira-kira", "about"),
    ("hampir", "almost"),
    ("nyaris", "almost"),
    ("kurang dari", "less_than"),
    ("di bawah", "less_than"),
    ("hingga", "up_to"),
    ("sampai", "up_to"),
    ("maksimal", "up_to"),
    ("paling banyak", "up_to"),
    ("more than", "more_than"),
    ("over", "more_than"),
    ("at least", "at_least"),
    ("about", "about"),
    ("around", "about"),
    ("approximately", "about"),
    ("roughly", "about"),
    ("some", "about"),
    ("nearly", "almost"),
    ("almost", "almost"),
    ("fewer than", "less_than"),
    ("less than", "less_than"),
    ("under", "less_than"),
    ("up to", "up_to"),
    ("as many as", "about"),
    ("as high as", "up_to"),
]
"""Words before a number that qualify it, and their normalised qualifier."""

_QUAL_RE = re.compile(
    r"(?:^|(?<=[\s(]))("
    + "|".join(re.escape(q) for q, _ in sorted(QUALIFIERS, key=lambda x: -len(x[0])))
    + r")\s+$",
    re.I,
)
_QUAL_MAP = dict(QUALIFIERS)

UNIT_STOPWORDS = frozenset(
    {
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "pada",
        "dengan",
        "ini",
        "itu",
        "tersebut",
        "atau",
        "dalam",
        "oleh",
        "adalah",
        "akan",
        "telah",
        "sudah",
        "juga",
        "sejak",
        "sebagai",
        "lalu",
        "kali",
        "the",
        "of",
        "and",
        "in",
        "to",
        "on",
        "at",
        "for",
        "by",
        "with",
        "a",
        "an",
        "or",
        "is",
        "was",
        "were",
        "are",
        "from",
        "as",
        "that",
        "this",
    }
)

UNIT_SYNONYMS: dict[str, str] = {
    "rudal": "missile",
    "misil": "missile",
    "missile": "missile",
    "roket": "rocket",
    "rocket": "rocket",
    "peluru": "shell",
    "shell": "shell",
    "orang": "people",
    "people": "people",
    "person": "people",
    "persons": "people",
    "jiwa": "people",
    "korban": "victim",
    "victim": "victim",
    "tewas": "dead",
    "meninggal": "dead",
    "killed": "dead",
    "dead": "dead",
    "death": "dead",
    "warga": "citizen",
    "citizen": "citizen",
    "tentara": "soldier",
    "prajurit": "soldier",
    "soldier": "soldier",
    "troop": "soldier",
    "persen": "percent",
    "percent": "percent",
    "%": "percent",
    "negara": "country",
    "country": "country",
    "pesawat": "aircraft",
    "aircraft": "aircraft",
    "drone": "drone",
    "magnitudo": "magnitude",
    "magnitude": "magnitude",
    "sr": "magnitude",
    "rupiah": "rupiah",
    "rp": "rupiah",
    "dolar": "usd",
    "dollar": "usd",
    "usd": "usd",
    "hari": "day",
    "day": "day",
    "pekan": "week",
    "week": "week",
    "bulan": "month",
    "month": "month",
    "tahun": "year",
    "year": "year",
    "jam": "hour",
    "hour": "hour",
    "putaran": "round",
    "round": "round",
    "entitas": "entity",
    "entity": "entity",
    "unit": "unit",
    "km": "km",
    "kilometer": "km",
    "ton": "ton",
}
"""Counted objects to a canonical (English, singular) key, so "rudal" matches "missiles"."""

POLARITY: dict[str, str] = {
    "tidak": "neg",
    "tak": "neg",
    "bukan": "neg",
    "belum": "neg",
    "tanpa": "neg",
    "jangan": "neg",
    "not": "neg",
    "never": "neg",
    "no": "neg",
    "n't": "neg",
    "membantah": "deny",
    "menyangkal": "deny",
    "dibantah": "deny",
    "disangkal": "deny",
    "menampik": "deny",
    "denied": "deny",
    "denies": "deny",
    "deny": "deny",
    "rejected": "deny",
    "mengakui": "affirm",
    "membenarkan": "affirm",
    "mengonfirmasi": "affirm",
    "mengkonfirmasi": "affirm",
    "dikonfirmasi": "affirm",
    "confirmed": "affirm",
    "confirms": "affirm",
    "admitted": "affirm",
    "acknowledged": "affirm",
}
"""Polarity markers to ``neg`` (negation), ``deny`` or ``affirm``."""

_POST_VERBS = (
    r"kata|ujar|ungkap|tutur|ucap|jelas|tegas|imbuh|papar|terang|sebut|tambah|lanjut"
    r"|said|says|added|told|explained|noted"
)
_PRE_VERBS = (
    r"mengatakan|menyatakan|menambahkan|menegaskan|menjelaskan|mengungkapkan|menyebutkan"
    r"|menuturkan|memperingatkan|mengklaim|membantah|menyangkal|mengakui|menyampaikan"
    r"|berkata|said|says|told|added|stated|warned|claimed|denied|confirmed|explained"
)
_POST_RE = re.compile(rf"\b(?:{_POST_VERBS})\b(?!-)", re.I)
_PRE_RE = re.compile(
    rf"(?:\s+(?:juga|telah|sebelumnya|pun|kemudian|lalu|sempat|also|has|had|previously))?"
    rf"\s+(?:{_PRE_VERBS})\b",
    re.I,
)
_PRONOUN_RE = re.compile(
    rf"\b(?:katanya|ujarnya|ungkapnya|tuturnya|imbuhnya|jelasnya|tegasnya"
    rf"|(?:[Ii]a|[Dd]ia|[Bb]eliau|[Hh]e|[Ss]he)(?:\s+(?:juga|pun|also))?\s+(?:{_PRE_VERBS}))\b"
)
_ACCORDING_RE = re.compile(r"\b(?:menurut|according to)\s+", re.I)
_CITED_RE = re.compile(
    r"\b(?:(?:seperti\s+)?dilansir(?:\s+dari)?|dikutip\s+dari|melansir|mengutip"
    r"|seperti\s+dikutip(?:\s+dari)?|(?:as\s+)?reported\s+by)\s+"
    r"(?P<src>(?:The\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})"
)
_QUOTE_CHARS = '"“”«»'
_CAP_TOKEN = r"[A-Z][\w'’]*(?:-[\w'’]+)*"
_CAP_RUN_RE = re.compile(
    rf"{_CAP_TOKEN}(?:\s+(?:(?:{'|'.join(sorted(NAME_PARTICLES))})\s+)?{_CAP_TOKEN})*"
)
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*|%")


@dataclass
class _Ctx:
    """Per-article state while walking its sentences in order."""

    article_id: str
    text: str
    lang: str
    published: dt.date | None
    known_surnames: set[str] = field(default_factory=set)
    rows: list[dict[str, Any]] = field(default_factory=list)


def _row(
    ctx: _Ctx,
    sent_idx: int,
    fact_type: str,
    start: int,
    end: int,
    key: str | None = None,
    *,
    surface: str | None = None,
    value_num: float | None = None,
    value_date: dt.date | None = None,
    unit: str | None = None,
    qualifier: str | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    row = {
        "article_id": ctx.article_id,
        "sent_idx": sent_idx,
        "fact_type": fact_type,
        "start": start,
        "end": end,
        "surface": surface if surface is not None else ctx.text[start:end],
        "key": key,
        "value_num": value_num,
        "value_date": value_date,
        "unit": unit,
        "qualifier": qualifier,
        "detail": json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
    }
    ctx.rows.append(row)
    return row


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(a < e and s < b for s, e in spans)


# --- dates ---------------------------------------------------------------------

_DATE_NUMERIC = re.compile(
    rf"(?:\b(?P<wd>{_WD_RE})\b\s*,?\s*(?P<open>\()?\s*|(?P<open2>\()\s*)"
    r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}|\d{2}))?\b\s*\)?"
)
_DATE_DMY = re.compile(
    rf"(?:\b(?P<wd>{_WD_RE})\b\s*,?\s*(?:tanggal\s+)?)?\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MON_ANY})"
    r"(?:\s+(?P<y>\d{4}))?\b"
    r"(?:,?\s*(?:pukul\s+)?(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?:\s*(?P<tz>WIB|WITA|WIT|GMT|UTC))?)?"
)
_DATE_MDY = re.compile(
    rf"(?:\b(?P<wd>{_WD_RE})\b,?\s*)?\b(?P<mon>{_MON_ANY})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
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
    rf"\b(?:(?:pada|bulan|pada bulan|in|since|sejak|awal|akhir)\s+)?(?P<mon>{_MON_RE})"
    r"(?:\s+(?P<y>\d{4}))?\b"
)
_DATE_WEEKDAY = re.compile(rf"\b(?:(?:pada|hari|pada hari|on)\s+)?(?P<wd>{_WD_RE})\b")
_TIME_RE = re.compile(
    r"\b(?:pukul|jam|at)\s+\d{1,2}[.:]\d{2}\b(?:\s*(?:WIB|WITA|WIT|GMT|UTC|a\.m\.|p\.m\.))?"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:WIB|WITA|WIT|GMT|UTC|a\.m\.|p\.m\.|am|pm)\b|\b\d{1,2}:\d{2}\b"
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
    ctx: _Ctx, month: int, day: int, explicit: str | None
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


def _date_facts(ctx: _Ctx, idx: int, s: str, base: int, masked: list[tuple[int, int]]) -> None:
    """Find dates in sentence ``s`` (starting at ``base``); record their spans in ``masked``."""

    def dateline(a: int) -> bool:
        before = s[max(0, a - 60) : a]
        rest = (s[:a] + s[a:]).strip()
        return bool(_DATELINE_CUE.search(before)) or len(rest) < 45

    def add_day(
        m: re.Match[str], day: int, month: int, y: str | None, wd: str | None, raw: dict[str, Any]
    ) -> None:
        a, b = m.span()
        year, source = _resolve_year(ctx, month, day, y)
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
            "role": "dateline" if dateline(a) else "event",
            **raw,
        }
        key = value.isoformat() if value else f"--{month:02d}-{day:02d}"
        _row(
            ctx,
            idx,
            "date",
            base + a,
            base + b,
            key,
            value_date=value,
            unit="day",
            qualifier=weekday,
            detail=detail,
        )
        masked.append((a, b))

    for m in _DATE_NUMERIC.finditer(s):
        if _overlaps(masked, *m.span()):
            continue
        if not m.group("wd") and not m.group("open2"):
            continue
        add_day(m, int(m.group("d")), int(m.group("m")), m.group("y"), m.group("wd"), {})
    for rx in (_DATE_DMY, _DATE_MDY):
        for m in rx.finditer(s):
            if _overlaps(masked, *m.span()):
                continue
            mon = MONTHS.get(m.group("mon").rstrip(".").lower())
            if mon is None:
                continue
            raw = {}
            if m.groupdict().get("hh"):
                raw["time"] = f"{int(m.group('hh')):02d}:{m.group('mm')}"
                if m.group("tz"):
                    raw["tz"] = m.group("tz")
            add_day(m, int(m.group("d")), mon, m.group("y"), m.group("wd"), raw)
    for m in _TIME_RE.finditer(s):
        if _overlaps(masked, *m.span()):
            continue
        _row(
            ctx,
            idx,
            "date",
            base + m.start(),
            base + m.end(),
            None,
            unit="time",
            detail={"role": "time"},
        )
        masked.append(m.span())
    for m in _DATE_REL.finditer(s):
        if _overlaps(masked, *m.span()):
            continue
        _relative_date(ctx, idx, s, base, m)
        masked.append(m.span())
    for m in _DATE_MONTH.finditer(s):
        if _overlaps(masked, *m.span()):
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
        _row(
            ctx,
            idx,
            "date",
            base + m.start(),
            base + m.end(),
            key,
            value_date=value,
            unit="month",
            detail={"month": mon, "year": y, "year_source": source, "role": "event"},
        )
        masked.append(m.span())
    for m in _DATE_YEAR.finditer(s):
        if _overlaps(masked, *m.span()):
            continue
        if m.start() > 0 and s[m.start() - 1] in "/.,-:" or m.end() < len(s) and s[m.end()] in "/:":
            continue
        y = int(m.group("y"))
        unit = "decade" if m.group("decade") else "year"
        _row(
            ctx,
            idx,
            "date",
            base + m.start(),
            base + m.end(),
            str(y),
            value_date=dt.date(y, 1, 1),
            unit=unit,
            detail={"year": y, "role": "event"},
        )
        masked.append(m.span())
    for m in _DATE_WEEKDAY.finditer(s):
        if _overlaps(masked, *m.span()):
            continue
        wd = m.group("wd")
        if wd == "Minggu" and re.match(r"\s+(lalu|ini|depan)", s[m.end() :]):
            continue
        weekday = WEEKDAYS[wd.lower()]
        value = None
        if ctx.published is not None:
            back = (ctx.published.weekday() - WEEKDAY_INDEX[weekday]) % 7
            value = ctx.published - dt.timedelta(days=back)
        _row(
            ctx,
            idx,
            "date",
            base + m.start(),
            base + m.end(),
            value.isoformat() if value else None,
            value_date=value,
            unit="weekday",
            qualifier=weekday,
            detail={"weekday": wd, "role": "event", "year_source": "published" if value else None},
        )
        masked.append(m.span())


def _relative_date(ctx: _Ctx, idx: int, s: str, base: int, m: re.Match[str]) -> None:
    g = {k: v for k, v in m.groupdict().items() if v}
    text = m.group(0).lower()
    pub = ctx.published
    value: dt.date | None = None
    unit = "relative"
    if "rel2" in g:
        off = {
            "kemarin": -1,
            "yesterday": -1,
            "hari ini": 0,
            "today": 0,
            "besok": 1,
            "tomorrow": 1,
        }[g["rel2"].lower()]
        unit = "day"
        value = pub + dt.timedelta(days=off) if pub else None
    else:
        u = (g.get("u") or g.get("u3") or g.get("u4") or "").lower().rstrip("s")
        rel = (g.get("rel") or g.get("rel3") or ("lalu" if "u4" in g else "")).lower()
        n = int(g.get("n") or g.get("n4") or 1)
        sign = {
            "lalu": -1,
            "yang lalu": -1,
            "last": -1,
            "ini": 0,
            "this": 0,
            "depan": 1,
            "mendatang": 1,
            "next": 1,
        }.get(rel, 0)
        unit = {
            "hari": "day",
            "day": "day",
            "pekan": "week",
            "minggu": "week",
            "week": "week",
            "bulan": "month",
            "month": "month",
            "tahun": "year",
            "year": "year",
            "jam": "time",
            "hour": "time",
            "menit": "time",
            "minute": "time",
        }.get(u, "relative")
        if pub is not None:
            if unit == "day":
                value = pub + dt.timedelta(days=sign * n)
            elif unit == "week":
                value = pub + dt.timedelta(days=7 * sign * n)
                value = value - dt.timedelta(days=value.weekday())
            elif unit == "month":
                mm = pub.month - 1 + sign * n
                value = dt.date(pub.year + mm // 12, mm % 12 + 1, 1)
            elif unit == "year":
                value = dt.date(pub.year + sign * n, 1, 1)
    key = None
    if value is not None:
        key = {"year": str(value.year), "month": value.isoformat()[:7]}.get(unit, value.isoformat())
    _row(
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


# --- numbers -----------------------------------------------------------------

_PAGE_RE = re.compile(
    r"\b\d+\s+dari\s+\d+\s+halaman\b|\bhalaman\s+\d+(?:\s+dari\s+\d+)?\b"
    r"|\bpage\s+\d+(?:\s+of\s+\d+)?\b|\b\d+\s+of\s+\d+\s+pages?\b",
    re.I,
)
_PHONE_RE = re.compile(r"(?:\+\d{1,3}[\s-]?)?\(?\d[\d\s().-]{7,}\d")
_ORDINAL_RE = re.compile(
    r"\bke-?\s?\d+\b|\b\d+(?:st|nd|rd|th)\b|\b(?:No|no|Nomor|nomor|Pasal|pasal|No\.)\s*\.?\s*\d+"
    r"|#\d+"
)
_DIGITS_RE = re.compile(r"(?<![\w.,])(?P<cur>(?:Rp|US\$|\$|USD|IDR)\s?)?(?P<num>\d+(?:[.,]\d+)*)")
_SCALE_RE = re.compile(
    r"\s*(?P<scale>ribu|juta|miliar|milyar|triliun|thousand|million|billion|trillion)\b", re.I
)
_VAGUE_RE = re.compile(
    r"\b(?P<v>"
    + "|".join(sorted((re.escape(v) for v in VAGUE_NUMBERS), key=len, reverse=True))
    + r")\b(?:\s+of\b)?",
    re.I,
)
_NUMWORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_WORDNUM_RE = re.compile(
    rf"(?<![\w-])(?:{_NUMWORD})(?:\s+(?:(?:dan|and)\s+)?(?:{_NUMWORD}))*(?![\w-])", re.I
)


def _unit_after(s: str, pos: int, lang: str) -> tuple[str | None, str | None, int]:
    """The counted object after position ``pos``: (surface, key, end position)."""
    rest = s[pos:]
    m = re.match(r"\s*(%|persen\b|percent\b)", rest, re.I)
    if m:
        return m.group(1), "percent", pos + m.end()
    words: list[str] = []
    end = pos
    for wm in re.finditer(r"\S+", rest):
        if wm.start() > 0 and not rest[: wm.start()].strip() == "" and not words:
            break
        raw = wm.group(0)
        w = raw.rstrip(',.;:!?)"”’')
        if not w or not re.fullmatch(r"[^\W\d_][\w-]*", w):
            break
        if w.lower() in UNIT_STOPWORDS or w.lower() in SCALES or (w[0].isupper() and words):
            break
        if w[0].isupper() and not words and lang != "en":
            break
        words.append(w)
        end = pos + wm.start() + len(w)
        if len(words) == 2 or w != raw:
            break
    if not words:
        return None, None, pos
    first = words[0].lower()
    for suf in ("nya",):
        if first.endswith(suf) and len(first) > len(suf) + 3:
            first = first[: -len(suf)]
    if lang == "en" and first.endswith("s") and len(first) > 3 and first not in UNIT_SYNONYMS:
        first = first[:-1]
    key = UNIT_SYNONYMS.get(first, first)
    return " ".join(words), key, end


def _qualifier_before(s: str, pos: int) -> tuple[str, int]:
    m = _QUAL_RE.search(s[max(0, pos - 30) : pos])
    if not m:
        return "exact", pos
    return _QUAL_MAP[m.group(1).lower()], max(0, pos - 30) + m.start(1)


def _number_facts(ctx: _Ctx, idx: int, s: str, base: int, masked: list[tuple[int, int]]) -> None:
    skip = list(masked)
    for rx in (_PAGE_RE, _ORDINAL_RE):
        skip += [m.span() for m in rx.finditer(s)]
    for m in _PHONE_RE.finditer(s):
        if sum(c.isdigit() for c in m.group(0)) >= 9:
            skip.append(m.span())
    found: list[tuple[int, int]] = []

    def emit(a: int, b: int, value: float, qual_default: str, extra: dict[str, Any]) -> None:
        qual, qa = _qualifier_before(s, a)
        if qual_default == "vague":
            qual = "vague"
        unit, key, ue = _unit_after(s, b, ctx.lang)
        cur = extra.pop("currency", None)
        if cur:
            unit, key = cur, UNIT_SYNONYMS.get(cur.lower().strip("$ "), "usd")
            ue = b
        end = max(b, ue)
        _row(
            ctx,
            idx,
            "number",
            base + qa,
            base + end,
            key,
            value_num=value,
            unit=unit,
            qualifier=qual,
            detail={"number": s[a:b], **extra},
        )
        found.append((a, b))

    for m in _VAGUE_RE.finditer(s):
        if _overlaps(skip, *m.span()):
            continue
        lo, hi = VAGUE_NUMBERS[m.group("v").lower()]
        emit(m.start(), m.end(), lo, "vague", {"range": [lo, hi]})
    for m in _DIGITS_RE.finditer(s):
        a, b = m.span("num")
        if _overlaps(skip + found, a, b):
            continue
        prev = s[max(0, a - 2) : a]
        nxt = s[b : b + 2]
        if re.match(r"[A-Za-z]-$", prev) or re.match(r"\w", prev[-1:] or " "):
            continue  # Mohajer-6, F16: model designations
        if nxt[:1] and (nxt[:1].isalpha() or nxt[:1] in "/:" or re.match(r"-\w", nxt)):
            continue  # 2nd, 5G, 30/8, 1990-an
        value = parse_decimal(m.group("num"), ctx.lang)
        if value is None:
            continue
        extra: dict[str, Any] = {}
        if m.group("cur"):
            extra["currency"] = m.group("cur").strip()
        sm = _SCALE_RE.match(s, b)
        if sm:
            value *= SCALES[sm.group("scale").lower()]
            b = sm.end()
        if 1800 <= value <= 2100 and re.fullmatch(r"\d{4}", m.group("num")):
            continue
        emit(m.start("cur") if m.group("cur") else a, b, value, "exact", extra)
    for m in _WORDNUM_RE.finditer(s):
        a, b = m.span()
        if _overlaps(skip + found, a, b):
            continue
        words = m.group(0).split()
        if words[0][0].isupper() and a > 2:
            continue  # "Lima" the city; number words are lower-case mid-sentence
        if re.search(r"\bsalah\s+$", s[max(0, a - 7) : a]) or s[b : b + 1] == "-":
            continue  # "salah satu", "satu-satunya"
        value = parse_number_words(words)
        if value is None or (len(words) == 1 and value < 2):
            continue
        sm = _SCALE_RE.match(s, b)
        if sm and sm.group("scale").lower() not in [w.lower() for w in words]:
            value *= SCALES[sm.group("scale").lower()]
            b = sm.end()
        emit(a, b, value, "exact", {"words": True})


# --- people, speakers, places --------------------------------------------------


def _name_tokens(run: str, offset: int) -> Iterator[tuple[str, int, int]]:
    for m in re.finditer(r"\S+", run):
        yield m.group(0), offset + m.start(), offset + m.end()


def _split_names(run: str, offset: int, ctx: _Ctx) -> list[tuple[int, int]]:
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


def _person_spans(ctx: _Ctx, s: str, accept_single: bool = True) -> list[tuple[int, int]]:
    """Sentence-relative spans of person names in ``s``."""
    title_case = _is_title_case(s)
    out = []
    for m in _CAP_RUN_RE.finditer(s):
        for a, b in _split_names(m.group(0), m.start(), ctx):
            toks = s[a:b].split()
            if len(toks) >= 2 and not title_case:
                out.append((a, b))
            elif accept_single and len(toks) == 1 and surname_key(toks[0]) in ctx.known_surnames:
                out.append((a, b))
    return out


def _title_before(s: str, a: int) -> str | None:
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


def _name_in_window(ctx: _Ctx, s: str, pos: int) -> tuple[int, int, str | None] | None:
    """The first person name at ``pos`` after only title/role words (post-posed speaker)."""
    window = re.split(r"[,.;:!?“”\"]", s[pos:], maxsplit=1)[0]
    for m in _CAP_RUN_RE.finditer(window):
        gap = window[: m.start()]
        gap_words = [w.strip("()").lower() for w in gap.split()]
        if any(
            w
            and w not in TITLE_WORDS
            and w not in NONNAME_WORDS
            and not w.isupper()
            and not w[:1].isupper()
            for w in gap_words
            if not re.fullmatch(r"\(?[A-Z]+\)?", w.upper()) or w.islower()
        ) and any(w not in TITLE_WORDS and w not in NONNAME_WORDS for w in gap_words):
            return None
        segs = _split_names(m.group(0), pos + m.start(), ctx)
        if segs:
            a, b = segs[0]
            return a, b, _title_before(s, a)
    return None


@dataclass
class _Speaker:
    name: str
    key: str
    start: int  # original offsets of the naming mention
    end: int
    title: str | None
    is_person: bool
    sent_idx: int


def _speaker_facts(ctx: _Ctx, idx: int, s: str, base: int) -> list[_Speaker]:
    """Speakers named in sentence ``s`` itself (no carry-over)."""
    out: list[_Speaker] = []
    taken: list[tuple[int, int]] = []

    def add(a: int, b: int, title: str | None, how: str, is_person: bool = True) -> None:
        if _overlaps(taken, a, b):
            return
        name = s[a:b]
        key = name_key(name)
        if not key or key in OUTLET_WORDS:
            return
        taken.append((a, b))
        sp = _Speaker(name, key, base + a, base + b, title, is_person, idx)
        out.append(sp)
        if is_person:
            ctx.known_surnames.add(surname_key(name))
        _row(
            ctx,
            idx,
            "speaker",
            base + a,
            base + b,
            key,
            qualifier=how,
            detail={
                "title": title,
                "how": how,
                "is_person": is_person,
                "surname": surname_key(name),
            },
        )

    for m in _POST_RE.finditer(s):
        if m.group(0).lower() in ("said", "says", "added", "told", "explained", "noted"):
            # "X said" is handled below; "said X" only when a name follows at once
            pass
        got = _name_in_window(ctx, s, m.end())
        if got:
            a, b, title = got
            if re.search(r"\b(?:pemerintahan|administration)\s*$", s[:a], re.I):
                a = s.rfind(" ", 0, a - 1) + 1 if s[:a].strip() else a
                add(a, b, None, "post", is_person=False)
            else:
                add(a, b, title, "post")
    for m in _ACCORDING_RE.finditer(s):
        got = _name_in_window(ctx, s, m.end())
        if got:
            add(got[0], got[1], got[2], "according")
    for m in _PRE_RE.finditer(s):
        prefix = s[: m.start()]
        run = re.search(rf"({_CAP_TOKEN}(?:\s+{_CAP_TOKEN})*)\s*$", prefix)
        if not run:
            continue
        segs = _split_names(run.group(1), run.start(1), ctx)
        if segs and segs[-1][1] == run.end(1):
            a, b = segs[-1]
            add(a, b, _title_before(s, a), "pre")
        elif run.group(1).lower() in ORGS or name_key(run.group(1)) in ORGS:
            add(run.start(1), run.end(1), None, "pre", is_person=False)
    return out


def _gazetteer_facts(ctx: _Ctx, idx: int, s: str, base: int) -> None:
    taken: list[tuple[int, int]] = []
    for m in _CITED_RE.finditer(s):
        src = m.group("src")
        _row(
            ctx,
            idx,
            "org",
            base + m.start("src"),
            base + m.end("src"),
            ORGS.get(src.lower(), name_key(src)),
            detail={"role": "cited_source"},
        )
        taken.append(m.span("src"))
    for table, ftype in ((ORGS, "org"), (PLACES, "place")):
        for m in _GAZ_RE[ftype].finditer(s):
            word = m.group(0)
            if _overlaps(taken, *m.span()):
                continue
            if len(word) <= 4 and not word.isupper():
                continue
            if not word[0].isupper():
                continue
            _row(ctx, idx, ftype, base + m.start(), base + m.end(), table[word.lower()])
            taken.append(m.span())


_GAZ_RE = {
    ftype: re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
        + r")(?![\w-])",
        re.I,
    )
    for table, ftype in ((ORGS, "org"), (PLACES, "place"))
}
_POLARITY_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(k) for k in sorted(POLARITY, key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)


def _polarity_facts(ctx: _Ctx, idx: int, s: str, base: int) -> None:
    for m in _POLARITY_RE.finditer(s):
        w = m.group(0).lower()
        if w == "no" and ctx.lang != "en":
            continue
        _row(ctx, idx, "polarity", base + m.start(), base + m.end(), POLARITY[w])


# --- quotes and carry-over -------------------------------------------------------


def _quote_state(s: str, open_in: bool) -> tuple[bool, bool]:
    """(has a quote, quote still open at the end) for sentence ``s``."""
    state = open_in
    has = open_in
    for c in s:
        if c == "“" or c == "«":
            state, has = True, True
        elif c == "”" or c == "»":
            state, has = False, True
        elif c == '"':
            state, has = not state, True
    return has, state


def _carry_speaker(ctx: _Ctx, idx: int, sp: _Speaker, a: int, b: int, how: str) -> None:
    _row(
        ctx,
        idx,
        "speaker",
        a,
        b,
        sp.key,
        surface=sp.name,
        qualifier=how,
        detail={
            "title": sp.title,
            "how": how,
            "is_person": sp.is_person,
            "surname": surname_key(sp.name),
            "from_sent": sp.sent_idx,
            "from_start": sp.start,
            "from_end": sp.end,
        },
    )


def _article_facts(ctx: _Ctx, sents: list[dict[str, Any]]) -> None:
    # pass 1: surnames of multi-word names, so that "Kirby" alone is known
    for r in sents:
        for a, b in _person_spans(ctx, r["text"], accept_single=False):
            ctx.known_surnames.add(surname_key(r["text"][a:b]))
    own: dict[int, list[_Speaker]] = {}
    quote_info: dict[int, tuple[bool, bool, bool]] = {}  # idx -> (starts open, has, ends open)
    prev_block: int | None = None
    open_q = False
    for r in sents:
        idx, s, base = r["sent_idx"], r["text"], r["start"]
        if r["block_idx"] != prev_block:
            open_q = False
        prev_block = r["block_idx"]
        starts_open = open_q
        has, open_q = _quote_state(s, open_q)
        quote_info[idx] = (starts_open, has, open_q)
        masked: list[tuple[int, int]] = []
        _date_facts(ctx, idx, s, base, masked)
        _number_facts(ctx, idx, s, base, masked)
        own[idx] = _speaker_facts(ctx, idx, s, base)
        taken = [(sp.start - base, sp.end - base) for sp in own[idx]]
        for a, b in _person_spans(ctx, s):
            if _overlaps(taken, a, b):
                continue
            _row(
                ctx,
                idx,
                "person",
                base + a,
                base + b,
                name_key(s[a:b]),
                detail={"surname": surname_key(s[a:b]), "title": _title_before(s, a)},
            )
        for sp in own[idx]:
            if sp.is_person:
                _row(
                    ctx,
                    idx,
                    "person",
                    sp.start,
                    sp.end,
                    sp.key,
                    detail={"surname": surname_key(sp.name), "title": sp.title},
                )
        _gazetteer_facts(ctx, idx, s, base)
        _polarity_facts(ctx, idx, s, base)

    # pass 2: quotes spanning sentences share a speaker; follow-ups inherit it
    by_idx = {r["sent_idx"]: r for r in sents}
    order = [r["sent_idx"] for r in sents]
    resolved: dict[int, _Speaker | None] = {
        i: next((sp for sp in own[i] if sp.is_person), None) for i in order
    }
    # backward: a quote opened in i and closed in i+1 ("... blah. Blah," kata X.)
    for k in range(len(order) - 2, -1, -1):
        i, j = order[k], order[k + 1]
        if resolved[i] is None and quote_info[i][2] and quote_info[j][0] and resolved[j]:
            nxt = resolved[j]
            assert nxt is not None
            resolved[i] = nxt
            r = by_idx[i]
            _carry_speaker(ctx, i, nxt, r["start"], r["end"], "quote_span")
    last: _Speaker | None = None
    last_pos = -10
    for k, i in enumerate(order):
        r = by_idx[i]
        s, base = r["text"], r["start"]
        if resolved[i] is not None:
            last, last_pos = resolved[i], k
            continue
        pm = _PRONOUN_RE.search(s)
        if pm and last is not None and k - last_pos <= 4:
            _carry_speaker(ctx, i, last, base + pm.start(), base + pm.end(), "pronoun")
            resolved[i] = last
            last_pos = k
            continue
        starts_open, has, _ = quote_info[i]
        if has and last is not None and k - last_pos == 1 and quote_info[order[k - 1]][1]:
            prev = by_idx[order[k - 1]]
            if r["block_idx"] - prev["block_idx"] <= 1 and (
                starts_open or s.lstrip()[:1] in _QUOTE_CHARS
            ):
                _carry_speaker(ctx, i, last, base, r["end"], "continuation")
                resolved[i] = last
                last_pos = k


def extract_facts(articles: pl.DataFrame, sentences: pl.DataFrame) -> pl.DataFrame:
    """Extract typed facts from every kept sentence.

    Args:
        articles: ARTICLES frame (for ``text``, ``language`` and ``published``).
        sentences: SENTENCES frame (kept sentences with original offsets).

    Returns:
        A FACTS frame; offsets index into the article's original text.
    """
    ARTICLES.validate(articles)
    SENTENCES.validate(sentences)
    rows: list[dict[str, Any]] = []
    by_article = sentences.sort(["article_id", "sent_idx"]).partition_by(
        "article_id", as_dict=True, maintain_order=True
    )
    for art in articles.iter_rows(named=True):
        part = by_article.get((art["article_id"],))
        if part is None or part.height == 0:
            continue
        lang = "en" if (art["language"] or "").startswith("en") else "id"
        ctx = _Ctx(art["article_id"], art["text"], lang, art["published"])
        _article_facts(ctx, part.to_dicts())
        rows.extend(ctx.rows)
    if not rows:
        return FACTS.empty()
    df = pl.DataFrame(rows, schema=FACTS.polars_schema)
    return FACTS.validate(df.sort(["article_id", "sent_idx", "start", "fact_type"]))
