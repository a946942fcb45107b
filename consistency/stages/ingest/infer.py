"""Metadata from the text itself: language, outlet, title and publication date.

What a record and its manifest leave missing is read from the head of the text where
it shows it: datelines such as ``TEMPO.CO, Jakarta -`` and dates such as ``Kamis, 31
Agustus 2023 17:06 WIB`` or ``Rabu (30/8/2023)``. A date without a year (``(30/8)``)
gives no publication date. :func:`parse_published` reads a ``published`` field.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

from consistency.lang.lexicon import MONTH_ABBREVIATIONS, MONTHS

_MONTHS: Mapping[str, int] = MONTHS


_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))


_DOMAIN_RE = r"[A-Za-z][A-Za-z0-9-]*(?:\.(?i:co|com|id|net|org|news|tv))+"


_DAY_RE = (
    r"(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
)


_STAMP_RE = r"(?:Published|Updated|Posted|Diterbitkan|Diperbarui|Dipublikasikan)\s*:?\s*"


_TIME_OR_EOL = r"(?=[ \t]*(?:,?[ \t]*(?:pukul[ \t]*)?\d{1,2}[.:]\d{2}|\||$))"


# Dateline dates, the earliest match in the head of the text wins. A date in the
# prose ("pada 17 Agustus 1945") is not a dateline: a day-month-year date counts
# only after a weekday or a "Published:" stamp, or alone at the start of a line.
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Rabu (30/8/2023)", "(5/9/2023)"
    ("dmy_slash", re.compile(r"\((\d{1,2})/(\d{1,2})/(\d{4})\)")),
    # "Kamis, 31 Agustus 2023 17:06 WIB", "Published: 31 August 2023"
    (
        "d_month_y",
        re.compile(
            rf"(?:\b{_DAY_RE},?\s+|{_STAMP_RE})(\d{{1,2}})\s+({_MONTH_RE})\s+(\d{{4}})\b",
            re.IGNORECASE,
        ),
    ),
    # a line that starts with "31 Agustus 2023" and holds only a time after it
    (
        "d_month_y",
        re.compile(
            rf"^[ \t]*(\d{{1,2}})\s+({_MONTH_RE})\s+(\d{{4}})\b{_TIME_OR_EOL}",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
    # "Thursday, August 31, 2023", "Published: August 31, 2023", a line "August 31, 2023"
    (
        "month_d_y",
        re.compile(
            rf"(?:\b{_DAY_RE},?\s+|{_STAMP_RE}|^[ \t]*)({_MONTH_RE})\s+(\d{{1,2}}),\s+(\d{{4}})\b",
            re.IGNORECASE | re.MULTILINE,
        ),
    ),
)


# Outlet patterns in datelines, searched in the head of the text.
_OUTLET_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "TEMPO.CO, Jakarta -", "Liputan6.com, Washington -"
    re.compile(rf"(?m)^\s*({_DOMAIN_RE})\s*,\s*[A-Z][\w .]{{1,40}}?\s*[-\u2013\u2014]"),
    # "WASHINGTON DC, SATUHARAPAN.COM-", "JAKARTA, KOMPAS.com -"
    re.compile(rf"(?m)^\s*[A-Z][A-Za-z .]{{1,40}},\s*({_DOMAIN_RE})\s*[-\u2013\u2014]"),
    # "JAKARTA (ANTARA) -", "JAKARTA, (VOI) -"
    re.compile(r"(?m)^\s*[A-Z][A-Z .]{1,40},?\s*\(([A-Z][A-Za-z0-9.]{1,20})\)\s*[-\u2013\u2014]"),
)


KNOWN_OUTLETS: Mapping[str, str] = {
    "tempo.co": "Tempo.co",
    "liputan6.com": "Liputan6.com",
    "satuharapan.com": "SATUHARAPAN.COM",
    "sindonews.com": "SINDOnews",
    "kompas.com": "Kompas.com",
    "detik.com": "detik.com",
    "antara": "ANTARA",
    "voi": "VOI",
    "voi.id": "VOI",
}
"""Display names for outlets whose dateline spelling varies (lower-cased key)."""


_HEAD_CHARS = 4000


# --------------------------------------------------------------------------- inference


@functools.cache
def _language_detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.INDONESIAN,
        Language.ENGLISH,
        Language.MALAY,
        Language.TAGALOG,
        Language.DUTCH,
        Language.FRENCH,
        Language.GERMAN,
        Language.SPANISH,
        Language.PORTUGUESE,
        Language.RUSSIAN,
        Language.ARABIC,
        Language.CHINESE,
        Language.JAPANESE,
        Language.KOREAN,
        Language.VIETNAMESE,
        Language.THAI,
    ]
    # Low-accuracy mode uses trigram models only: about 0.5 s to load instead of ~6 s
    # for the 1-5-gram models that short texts need in high-accuracy mode, and
    # articles are long enough for trigrams (Indonesian vs Malay included).
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language, ``"und"`` when unsure."""
    sample = text[:3000]
    if sum(c.isalpha() for c in sample) < 20:
        return "und"
    values = _language_detector().compute_language_confidence_values(sample)
    if not values:
        return "und"
    top = values[0]
    if top.value < 0.5:
        return "und"
    return str(top.language.iso_code_639_1.name).lower()


def infer_outlet(text: str) -> str | None:
    """The outlet a dateline near the top shows ("TEMPO.CO, Jakarta -"), else None."""
    head = text[:_HEAD_CHARS]
    best: tuple[int, str] | None = None
    for pat in _OUTLET_PATTERNS:
        m = pat.search(head)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.group(1))
    if best is None:
        return None
    name = best[1].strip()
    return KNOWN_OUTLETS.get(name.lower(), name)


def infer_published(text: str) -> dt.date | None:
    """The first full date (with a year) near the top of ``text``, else None."""
    head = text[:_HEAD_CHARS]
    found: list[tuple[int, dt.date]] = []
    for kind, pat in _DATE_PATTERNS:
        for m in pat.finditer(head):
            try:
                if kind == "dmy_slash":
                    d = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                elif kind == "d_month_y":
                    d = dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
                else:
                    d = dt.date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
            except ValueError:
                continue
            found.append((m.start(), d))
            break
    if not found:
        return None
    return min(found)[1]


_TITLE_END_OK = re.compile(r"[^.,;:]$")


def infer_title(text: str) -> str | None:
    """A headline-like first line (3+ words, no final full stop), else None.

    Looks at the first few non-empty lines and stops at the first line of prose.
    """
    seen = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > 3:
            break
        words = line.split()
        if len(line) > 200:
            break
        if len(words) >= 3 and _TITLE_END_OK.search(line) and not line.endswith("..."):
            return line
    return None


# --------------------------------------------------------------------------- manifests


_ABBREV_MONTHS: Mapping[str, int] = MONTH_ABBREVIATIONS


_WRITTEN_MONTHS: Mapping[str, int] = {**_ABBREV_MONTHS, **_MONTHS}


_WRITTEN_DMY = re.compile(
    rf"(?:{_DAY_RE},?\s*)?(\d{{1,2}})\s+([A-Za-z]+)\.?,?\s+(\d{{4}})(?:\b.*)?", re.I
)


_WRITTEN_MDY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:\b.*)?", re.I)


_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?")


PRECISIONS = ("day", "month", "year")
"""Values of ARTICLES ``published_precision``: how much of ``published`` is known."""


def parse_published(value: Any) -> tuple[dt.date, str] | None:
    """A publication date and its precision (``day``, ``month`` or ``year``), or None.

    Accepts ISO 8601 dates and timestamps (the date in the stated zone:
    ``2023-09-05T23:30:00+07:00`` is 5 September), partial ISO dates (``2023-09``,
    ``2023``: the first day of the month or year, with that precision), and
    written dates in Indonesian and English (``5 Sept 2023``, ``5 September 2023``,
    ``5 Sep. 2023``, ``Selasa, 5 September 2023 10:00 WIB``, ``September 5, 2023``).
    """
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text), "day"
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("z", "Z")).date(), "day"
    except ValueError:
        pass
    m = _PARTIAL.fullmatch(text)
    if m:
        year, month = int(m.group(1)), m.group(2)
        if month is None:
            return dt.date(year, 1, 1), "year"
        if 1 <= int(month) <= 12:
            return dt.date(year, int(month), 1), "month"
        return None
    for rx, order in ((_WRITTEN_DMY, (1, 2, 3)), (_WRITTEN_MDY, (2, 1, 3))):
        m = rx.fullmatch(text)
        if not m:
            continue
        d_s, name, y_s = (m.group(i) for i in order)
        mon = _WRITTEN_MONTHS.get(name.lower())
        if mon is None:
            continue
        try:
            return dt.date(int(y_s), mon, int(d_s)), "day"
        except ValueError:
            return None
    return None


def parse_date(
    value: Any, source: str, warnings: list[str] | None = None
) -> tuple[dt.date | None, str | None]:
    """``(date, precision)`` of a ``published`` value; ``(None, None)`` when absent.

    A value that is not a date is left out with a warning naming ``source``
    (the file and line) and the field; the article is kept.
    """
    if value is None or value == "":
        return None, None
    got = parse_published(value)
    if got is None:
        if warnings is not None:
            warnings.append(f"{source}: field 'published': {str(value)!r} is not a date; left out")
        return None, None
    return got
