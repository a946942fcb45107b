"""Ingest: files, directories, JSONL, JSON, HTML, manifests and stdin -> ARTICLES.

Takes: paths (files or directories, read recursively) or ``-`` for stdin.
Returns: an :class:`IngestResult` whose ``articles`` frame has the ARTICLES
schema, plus one-line warnings (each starting with the file it is about).

The ``text`` column holds each article exactly as it was read, and every later
offset indexes into it:

* plain text (``.txt``, ``.md`` and unknown extensions given explicitly): the
  file's decoded content. A leading UTF-8 byte-order mark is not part of the
  text (it is dropped before anything else, so offsets index the text without it).
* JSONL / JSON: the ``text`` field (a ``.json`` file holds one article, a
  list of them, or a cluster: an object whose ``articles`` list holds them).
* HTML (``.html``, ``.htm``): the main text that trafilatura extracts; offsets
  index that extracted text, not the HTML source.

Metadata (``outlet``, ``title``, ``url``, ``published``, ``language``) comes from
the record itself, then from a ``manifest.csv`` / ``manifest.jsonl`` in the
file's directory (or an ancestor up to the input directory), keyed by ``id`` or
``file`` name; what is still missing is inferred from the text where it shows it
(datelines such as ``TEMPO.CO, Jakarta -`` and dates such as
``Kamis, 31 Agustus 2023 17:06 WIB`` or ``Rabu (30/8/2023)``). A date without a
year (``(30/8)``) gives no publication date.

Everything read is untrusted: no source (stdin and devices included) is read
past the size limit plus one byte; in a directory a link to a file outside it
is skipped unless asked (``follow_links``); a file name that is not UTF-8 is
read and named with its undecodable bytes as ``\\xNN`` (:func:`display_name`);
a malformed record or manifest row is an :class:`InputError` naming the file
and line.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import polars as pl

from consistency.lexicon import MONTH_ABBREVIATIONS, MONTHS
from consistency.types import ARTICLES, InputError

ARTICLE_EXTENSIONS = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})
"""Extensions read as articles when a directory is walked."""

MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
"""File names read as manifests (never as articles)."""

META_FIELDS = ("outlet", "title", "url", "published", "language")
"""Optional metadata fields of a JSONL record or a manifest row."""

_LATIN_FAMILY = re.compile(
    r"(?:cp125[02478]|latin_?\d*|iso8859_(?:[1-49]|1[03-6])|mac_(?:roman|latin2|iceland|turkish)"
    r"|cp85[028]|ascii)$"
)
"""Encodings charset-normalizer may name for Latin-script text; cp1252 is used for all."""

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


@dataclass(frozen=True)
class IngestResult:
    """What :func:`read_inputs` read.

    Attributes:
        articles: one row per article, ARTICLES schema.
        warnings: one line each, starting with the file (or line) it is about.
    """

    articles: pl.DataFrame
    warnings: tuple[str, ...]


@dataclass
class _Record:
    """One article before it becomes an ARTICLES row."""

    source: str
    id_hint: str
    explicit_id: bool
    text: str
    file_name: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    manifest: Mapping[str, Mapping[str, str]] | None = None


# --------------------------------------------------------------------------- names and limits

_SURROGATE = re.compile("[\ud800-\udfff]")


def display_name(name: str) -> str:
    """A file name as text that any output can hold.

    A name that is not UTF-8 comes from the OS with its bytes as surrogate
    escapes (``berita_\\udce9.txt``); each such byte is written ``\\xe9``
    instead (``berita_\\xe9.txt``), as Python shows undecodable bytes. Other
    characters are kept (control characters are made visible where a line
    is printed, see :func:`consistency.normalise.display_safe`).
    """
    if not _SURROGATE.search(name):
        return name

    def esc(m: re.Match[str]) -> str:
        o = ord(m.group())
        return f"\\x{o - 0xDC00:02x}" if 0xDC80 <= o <= 0xDCFF else f"\\u{o:04x}"

    return _SURROGATE.sub(esc, name)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_limited(path: Path, max_bytes: int) -> bytes | None:
    """At most ``max_bytes + 1`` bytes of ``path``; None when it holds more than ``max_bytes``.

    Never reads without a bound, so a device (``/dev/zero``) or a growing file
    cannot exhaust memory.

    Raises:
        OSError: the file cannot be opened or read.
    """
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


# --------------------------------------------------------------------------- decoding


def _is_binary_text(text: str) -> bool:
    if not text:
        return False
    control = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    return control / len(text) > 0.01


def decode_bytes(data: bytes, source: str) -> tuple[str | None, str | None]:
    """Decode file content.

    UTF-8 first (a leading byte-order mark is dropped), UTF-16/32 with a BOM,
    UTF-8 with a few stray invalid bytes (each replaced by U+FFFD, with a
    warning that counts them; see :func:`_mostly_utf8`), then the common legacy
    encodings as charset-normalizer detects them.

    Returns:
        ``(text, warning)``: ``text`` is None when the content is binary or
        cannot be decoded (``warning`` then says so); ``warning`` names a legacy
        encoding that was used.
    """
    for bom, enc in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                break
            return text, f"{source}: decoded as {enc.upper()} (byte-order mark)"
    if b"\x00" in data:
        return None, f"{source}: binary file (NUL bytes), skipped"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if text.startswith("\ufeff"):
            text = text[1:]
        if _is_binary_text(text):
            return None, f"{source}: binary file (control characters), skipped"
        return text, None
    mostly = _mostly_utf8(data)
    if mostly is not None:
        text, bad = mostly
        if text.startswith("\ufeff"):
            text = text[1:]
        if not _is_binary_text(text):
            return text, (
                f"{source}: UTF-8 but for {bad} invalid byte{'s' if bad != 1 else ''}; "
                f"decoded as UTF-8 with {'each' if bad != 1 else 'it'} replaced by U+FFFD"
            )
    return _decode_legacy(data, source)


STRAY_BYTES_MAX = 16
"""Invalid bytes a UTF-8 file may hold and still be read as UTF-8 (or under 1% of its bytes)."""


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """``(text, number of invalid bytes)`` when ``data`` is UTF-8 but for a few stray bytes.

    It counts as UTF-8 when it holds well-formed multi-byte sequences (more of
    them than invalid bytes: a legacy 8-bit file holds almost none) and the
    invalid bytes are under :data:`STRAY_BYTES_MAX` or under 1% of the bytes.
    Each invalid byte becomes U+FFFD.
    """
    text = data.decode("utf-8", "surrogateescape")  # each invalid byte: U+DC80..U+DCFF
    bad = len(_STRAY.findall(text))
    if not bad or not (bad < STRAY_BYTES_MAX or bad * 100 < len(data)):
        return None
    multi = sum(1 for c in text if ord(c) > 0x7F) - bad
    if multi <= bad:
        return None
    return _STRAY.sub("\ufffd", text), bad


_STRAY = re.compile("[\udc80-\udcff]")


def _decode_legacy(data: bytes, source: str) -> tuple[str | None, str | None]:
    """Decode non-UTF-8 bytes: cp1252 for Latin-script text, else charset-normalizer's guess.

    charset-normalizer often names a sibling (cp1250, iso8859_2, ...) for short
    Latin-script text, where cp1252 is by far the most likely for news copy; a
    guess outside that family (cp1251, Shift-JIS, GB18030, ...) is used as is.
    latin-1 (which decodes any byte) is a last resort, only when cp1252 cannot
    decode the bytes and the detector named a Latin encoding.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = best.encoding if best is not None else None
    latin = guess is None or bool(_LATIN_FAMILY.match(guess))
    candidates = ["cp1252", "latin_1"] if latin else [guess, "cp1252"]
    if guess is None:
        candidates = ["cp1252"]
    for enc in candidates:
        if enc is None:
            continue
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _is_binary_text(text):
            continue
        return text, f"{source}: not UTF-8; decoded as {enc}"
    return None, f"{source}: not UTF-8 and no common legacy encoding fits (binary?), skipped"


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


# --------------------------------------------------------------------------- JSON records


def _json_line(line: str, where: str, what: str = "JSON line") -> Any:
    """``json.loads(line)``; anything it cannot read is an InputError naming ``where``.

    Besides malformed JSON: an integer of more than 4,300 digits (ValueError)
    and nesting deeper than the interpreter's recursion limit (RecursionError).
    """
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(where, f"malformed {what}: {e.msg} (column {e.colno})") from None
    except ValueError as e:  # an integer too long to convert
        raise InputError(where, f"malformed {what}: {e}".split(";")[0]) from None
    except RecursionError:
        raise InputError(where, f"malformed {what}: nested too deeply") from None


def _kind(value: Any) -> str:
    """What a JSON value is, in words ("a list")."""
    kinds = {dict: "an object", list: "a list", bool: "true/false", int: "an integer"}
    return kinds.get(type(value), "a decimal number" if isinstance(value, float) else "a string")


def _no_surrogate(value: str, where: str, field: str) -> None:
    """Refuse a string holding a lone surrogate (a ``\\ud800`` escape is not Unicode text)."""
    m = _SURROGATE.search(value)
    if m:
        raise InputError(
            where, f"field {field!r} holds a lone surrogate (\\u{ord(m.group()):04x}), not text"
        )


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


def _parse_date(
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


def _read_manifest(path: Path, max_bytes: int) -> dict[str, dict[str, str]]:
    """Manifest rows keyed by both ``id`` and ``file`` (when present).

    A CSV row with more cells than the header (an unquoted comma in a title), a
    field over the CSV field limit (128 KiB), a malformed JSON line or a field
    that is not a string, a number or null is an error naming the file and line.
    """
    rows: list[tuple[str, dict[str, str]]] = []
    source = display_name(str(path))
    try:
        data = read_limited(path, max_bytes)
        if data is None:
            raise InputError(source, f"manifest exceeds the limit of {_mb(max_bytes)}")
        raw = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(source, f"unreadable manifest: {e}") from None
    if path.suffix == ".csv":
        reader = csv.reader(io.StringIO(raw, newline=""))
        try:
            header = [h.strip() for h in next(reader, [])]
            if not {"id", "file"} & set(header):
                raise InputError(source, "manifest needs an 'id' or 'file' column")
            for cells in reader:
                where = f"{source}:{reader.line_num}"
                if len(cells) > len(header):
                    raise InputError(
                        where,
                        f"row has {len(cells)} cells but the header has {len(header)} "
                        "(a comma inside a field must be quoted)",
                    )
                if not any(c.strip() for c in cells):
                    continue
                row = {k: v.strip() for k, v in zip(header, cells, strict=False)}
                rows.append((where, {k: row.get(k, "") for k in header}))
        except csv.Error as e:
            raise InputError(f"{source}:{reader.line_num}", f"malformed CSV row: {e}") from None
    else:
        for i, line in enumerate(raw.split("\n"), start=1):
            if not line.strip():
                continue
            where = f"{source}:{i}"
            obj = _json_line(line, where)
            if not isinstance(obj, dict):
                raise InputError(where, "manifest line is not a JSON object")
            row = {}
            for k, v in obj.items():
                if isinstance(v, (dict, list)):
                    raise InputError(
                        where, f"manifest field {k!r} must be a string, not {_kind(v)}"
                    )
                row[k] = "" if v is None else str(v)
                _no_surrogate(row[k], where, k)
            rows.append((where, row))
    out: dict[str, dict[str, str]] = {}
    for where, row in rows:
        if not row.get("id") and not row.get("file"):
            raise InputError(where, "manifest row without 'id' or 'file'")
        row["_where"] = where  # names the line when a field cannot be read
        if row.get("id"):
            out[f"id:{row['id']}"] = row
        if row.get("file"):
            out[f"file:{Path(row['file']).name}"] = row
    return out


class _Manifests:
    """Finds the manifest that applies to a file (its directory or an ancestor)."""

    def __init__(self, max_bytes: int) -> None:
        self._cache: dict[Path, dict[str, dict[str, str]] | None] = {}
        self.warnings: list[str] = []
        self.max_bytes = max_bytes

    def for_dir(self, directory: Path, root: Path | None) -> dict[str, dict[str, str]] | None:
        d = directory.resolve()
        stop = root.resolve() if root is not None else d
        while True:
            m = self._load(d)
            if m is not None:
                return m
            if d == stop or d.parent == d:
                return None
            d = d.parent

    def _load(self, d: Path) -> dict[str, dict[str, str]] | None:
        if d not in self._cache:
            found = None
            for name in MANIFEST_NAMES:
                p = d / name
                if p.is_file():
                    found = _read_manifest(p, self.max_bytes)
                    for row in {id(r): r for r in found.values()}.values():
                        f = row.get("file")
                        if f and not (d / f).exists():
                            self.warnings.append(
                                f"{row['_where']}: manifest entry names a missing file {f!r}"
                            )
                    break
            self._cache[d] = found
        return self._cache[d]


# --------------------------------------------------------------------------- readers


def _record_from_obj(
    obj: Any, where: str, *, id_required: bool, default_id: str, file_name: str | None
) -> _Record:
    """One JSON(L) record as a :class:`_Record`, its fields checked.

    ``id`` must be a string or an integer, ``text`` a string, ``outlet``,
    ``title``, ``url`` and ``language`` strings and ``published`` a string or a
    number (each may be null); no string may hold a lone surrogate.

    Raises:
        InputError: naming ``where`` (the file and line) and the field.
    """
    if not isinstance(obj, dict):
        raise InputError(where, "expected a JSON object with 'id' and 'text'")
    missing = [k for k in (("id", "text") if id_required else ("text",)) if k not in obj]
    if missing:
        raise InputError(where, f"JSON object without {' or '.join(repr(k) for k in missing)}")
    text = obj["text"]
    if not isinstance(text, str):
        raise InputError(where, "'text' must be a string")
    _no_surrogate(text, where, "text")
    raw_id = obj.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        raise InputError(where, f"'id' must be a string or an integer, not {_kind(raw_id)}")
    has_id = raw_id not in (None, "")
    id_hint = str(raw_id) if has_id else default_id
    _no_surrogate(id_hint, where, "id")
    meta = {k: obj[k] for k in META_FIELDS if obj.get(k) not in (None, "")}
    for k, v in meta.items():
        number_ok = k == "published" and isinstance(v, (int, float)) and not isinstance(v, bool)
        if not isinstance(v, str) and not number_ok:
            raise InputError(where, f"{k!r} must be a string, not {_kind(v)}")
        _no_surrogate(str(v), where, k)
    return _Record(
        source=where,
        id_hint=id_hint,
        explicit_id=has_id,
        text=text,
        file_name=file_name,
        meta=meta,
    )


def _jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of JSONL text, split at ``\\n`` only.

    ``str.splitlines`` also splits at U+2028, U+2029, U+0085 and other
    characters that JSON allows raw inside a string.
    """
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield lineno, line


def _parse_jsonl(text: str, source: str, file_name: str | None) -> list[_Record]:
    out = []
    for lineno, line in _jsonl_lines(text):
        where = f"{source}:{lineno}"
        obj = _json_line(line, where)
        out.append(
            _record_from_obj(obj, where, id_required=True, default_id="", file_name=file_name)
        )
    return out


def _parse_json(
    text: str, source: str, stem: str, file_name: str, warnings: list[str]
) -> list[_Record]:
    """A ``.json`` file: one article object, a list of them, or a cluster.

    A cluster is an object without ``text`` holding an ``articles`` list (as
    the evaluation clusters do); its other keys (``cluster_id``, gold lists)
    are ignored. A list's or a cluster's article ``i`` is named
    ``FILE[i]`` or ``FILE:articles[i]`` in errors and in ``source``.
    """
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(source, f"malformed JSON: {e.msg} (line {e.lineno})") from None
    except ValueError as e:  # an integer too long to convert
        raise InputError(source, f"malformed JSON: {e}".split(";")[0]) from None
    except RecursionError:
        raise InputError(source, "malformed JSON: nested too deeply") from None
    prefix = source
    if isinstance(obj, dict) and "text" not in obj and "articles" in obj:
        if not isinstance(obj["articles"], list):
            raise InputError(
                source,
                f"'articles' must be a list of article objects, not {_kind(obj['articles'])}",
            )
        if not obj["articles"]:
            warnings.append(f"{source}: a cluster with an empty 'articles' list, skipped")
            return []
        items, prefix = obj["articles"], f"{source}:articles"
    elif isinstance(obj, dict) and "text" not in obj:
        raise InputError(
            source, "JSON object without 'text' (an article) or 'articles' (a cluster)"
        )
    else:
        items = obj if isinstance(obj, list) else [obj]
    out = []
    for i, item in enumerate(items):
        alone = len(items) == 1 and prefix == source
        default_id = stem if alone else f"{stem}-{i + 1}"
        where = source if alone else f"{prefix}[{i}]"
        out.append(
            _record_from_obj(
                item, where, id_required=False, default_id=default_id, file_name=file_name
            )
        )
    return out


def _parse_html(html: str, source: str, stem: str, file_name: str) -> tuple[list[_Record], str]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True
    )
    if doc is None:
        return [], f"{source}: no main text found in HTML, skipped"
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    text = get("text") or ""
    meta: dict[str, Any] = {}
    for key, field_name in (("title", "title"), ("url", "url"), ("outlet", "sitename")):
        value = get(field_name)
        if value:
            meta[key] = str(value)
    date = get("date")
    if date:
        try:
            meta["published"] = dt.date.fromisoformat(str(date)[:10])
        except ValueError:
            pass
    rec = _Record(
        source=source, id_hint=stem, explicit_id=False, text=text, file_name=file_name, meta=meta
    )
    return [rec], ""


def _looks_like_jsonl(text: str) -> bool:
    for _, line in _jsonl_lines(text):
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            return False
        return isinstance(obj, dict) and "text" in obj
    return False


def _iter_dir(root: Path, *, follow_links: bool, warnings: list[str]) -> Iterator[Path]:
    """The article files under ``root``, sorted; hidden files and folders left out.

    A file reached through a symbolic link that leads outside ``root`` is
    skipped with a warning unless ``follow_links`` (linked folders are never
    walked).
    """
    base = root.resolve()
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if p.suffix.lower() not in ARTICLE_EXTENSIONS or p.name in MANIFEST_NAMES:
            continue
        if not p.is_file():
            continue
        if not follow_links:
            target = p.resolve()
            if not target.is_relative_to(base):
                warnings.append(
                    f"{display_name(str(p))}: a link to {display_name(str(target))}, outside "
                    f"{display_name(str(root))}; skipped (--follow-links reads it)"
                )
                continue
        yield p


def _read_file(
    path: Path,
    *,
    explicit: bool,
    max_bytes: int,
    warnings: list[str],
    manifests: _Manifests,
    root: Path | None,
) -> list[_Record]:
    source = display_name(str(path))
    ext = path.suffix.lower()
    if path.name in MANIFEST_NAMES:
        warnings.append(f"{source}: a manifest, not an article; used as metadata only")
        return []
    if explicit and ext not in ARTICLE_EXTENSIONS:
        warnings.append(f"{source}: unknown extension {ext or '(none)'!r}; reading it as text")
    try:
        size = path.stat().st_size
        # a device or a pipe tells no size: read at most the limit plus one byte
        data = None if size > max_bytes else read_limited(path, max_bytes)
    except OSError as e:
        if explicit:
            raise InputError(source, f"cannot read: {e.strerror or e}") from None
        warnings.append(f"{source}: cannot read ({e.strerror or e}), skipped")
        return []
    if data is None:
        what = f"{_mb(size)} exceeds" if size > max_bytes else "exceeds"
        warnings.append(f"{source}: {what} the limit of {_mb(max_bytes)}, skipped")
        return []
    text, warning = decode_bytes(data, source)
    if warning:
        warnings.append(warning)
    if text is None:
        return []
    manifest = manifests.for_dir(path.parent, root)
    stem = display_name(path.stem)
    if ext == ".jsonl":
        records = _parse_jsonl(text, source, path.name)
    elif ext == ".json":
        records = _parse_json(text, source, stem, path.name, warnings)
    elif ext in {".html", ".htm"}:
        records, warning = _parse_html(text, source, stem, path.name)
        if warning:
            warnings.append(warning)
    else:
        records = [
            _Record(source=source, id_hint=stem, explicit_id=False, text=text, file_name=path.name)
        ]
    for r in records:
        r.manifest = manifest
    return records


def _read_stdin(stream: TextIO, max_bytes: int, warnings: list[str]) -> list[_Record]:
    """Standard input, under the same size limit as a file.

    The bytes are read (at most the limit plus one) and decoded as a file's
    are; a text stream without a byte buffer is read as text.
    """
    source = "<stdin>"
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        data = buffer.read(max_bytes + 1)
        over = len(data) > max_bytes
        text: str | None = None
        if not over:
            text, warning = decode_bytes(data, source)
            if warning:
                warnings.append(warning)
            if text is None:
                return []
    else:
        text = stream.read(max_bytes + 1)
        over = len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes
        if text.startswith("\ufeff"):
            text = text[1:]
    if over or text is None:
        warnings.append(f"{source}: exceeds the limit of {_mb(max_bytes)}, skipped")
        return []
    if _looks_like_jsonl(text):
        return _parse_jsonl(text, source, None)
    _no_surrogate(text, source, "text")
    return [_Record(source=source, id_hint="stdin", explicit_id=False, text=text, file_name=None)]


# --------------------------------------------------------------------------- assembly


def _manifest_row(rec: _Record) -> Mapping[str, str]:
    if not rec.manifest:
        return {}
    if rec.explicit_id and f"id:{rec.id_hint}" in rec.manifest:
        return rec.manifest[f"id:{rec.id_hint}"]
    if rec.file_name and not rec.explicit_id and f"file:{rec.file_name}" in rec.manifest:
        return rec.manifest[f"file:{rec.file_name}"]
    return rec.manifest.get(f"id:{rec.id_hint}", {})


def _unique_id(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def _build_row(rec: _Record, article_id: str, warnings: list[str]) -> dict[str, Any]:
    row = _manifest_row(rec)
    meta: dict[str, Any] = {}
    where = rec.source
    for key in META_FIELDS:
        value = rec.meta.get(key)
        if value in (None, ""):
            value = row.get(key) or None
            if key == "published" and value is not None:
                where = row.get("_where") or rec.source
        meta[key] = value
    published, precision = _parse_date(meta["published"], where, warnings)
    text = rec.text
    if published is None:
        published = infer_published(text)
        precision = "day" if published is not None else None
    return {
        "article_id": article_id,
        "source": rec.source,
        "outlet": meta["outlet"] or infer_outlet(text),
        "title": meta["title"] or infer_title(text),
        "url": meta["url"],
        "published": published,
        "language": meta["language"] or detect_language(text),
        "text": text,
        "text_sha": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "published_precision": precision,
    }


def input_rows(articles: pl.DataFrame) -> list[dict[str, Any]]:
    """ARTICLES as JSONL input records (id, text, outlet, title, published, language).

    The inverse of reading a JSONL file: writing these and reading them back
    gives the same articles.
    """
    return [
        {
            "id": r["article_id"],
            "text": r["text"],
            "outlet": r["outlet"],
            "title": r["title"],
            "published": r["published"].isoformat() if r["published"] else None,
            "language": r["language"],
        }
        for r in articles.iter_rows(named=True)
    ]


def read_inputs(
    inputs: Sequence[str],
    *,
    stdin: TextIO | None = None,
    max_bytes: int = 20 * 1024 * 1024,
    warn_single: bool = True,
    follow_links: bool = False,
) -> IngestResult:
    """Read articles from paths, directories (recursively) and ``-`` (stdin).

    Args:
        inputs: files, directories or ``-``. In a directory only ``.txt .md
            .html .htm .json .jsonl`` files are read (others are ignored
            quietly); a file given explicitly with another extension is read as
            text with a warning.
        stdin: the stream ``-`` reads (default ``sys.stdin``): JSONL when its
            first line is a JSON object with ``text``, else one plain-text article.
        max_bytes: larger files, and standard input when larger, are skipped
            with a warning; no source is read past this limit plus one byte
            (a device such as ``/dev/zero`` included).
        warn_single: warn when only one article was read (nothing to compare it
            with); off where one article is expected, e.g. the new side of a check.
        follow_links: read a file in a directory that is a symbolic link to a
            file outside that directory (by default it is skipped with a warning).

    Returns:
        The articles (ARTICLES schema) and warnings, one line each.

    Raises:
        InputError: a missing path, a malformed JSON(L) line (named with its
            line number), a JSONL object without ``id`` or ``text`` or with a
            field of the wrong type or holding a lone surrogate, a ``.json``
            object that is neither an article nor a cluster (an ``articles``
            list), a bad manifest (a CSV row with more cells than its header, a
            field over the CSV field limit), or no readable article at all.
    """
    warnings: list[str] = []
    manifests = _Manifests(max_bytes)
    records = _read_records(inputs, stdin, max_bytes, follow_links, warnings, manifests)
    warnings.extend(manifests.warnings)
    rows = _article_rows(records, warnings)
    if not rows:
        why = f" ({'; '.join(warnings)})" if warnings else ""
        names = ", ".join(display_name(i) for i in inputs)
        raise InputError(names or "<no inputs>", f"no readable articles{why}")
    if len(rows) == 1 and warn_single:
        warnings.append(f"{rows[0]['source']}: only one article read; nothing to compare it with")
    df = pl.DataFrame(rows, schema=ARTICLES.polars_schema)
    return IngestResult(articles=ARTICLES.validate(df), warnings=tuple(warnings))


def _read_records(
    inputs: Sequence[str],
    stdin: TextIO | None,
    max_bytes: int,
    follow_links: bool,
    warnings: list[str],
    manifests: _Manifests,
) -> list[_Record]:
    """The records of every input in turn: ``-`` (stdin), a directory's files, or a file."""
    records: list[_Record] = []
    for item in inputs:
        if item == "-":
            stream = stdin if stdin is not None else sys.stdin
            records.extend(_read_stdin(stream, max_bytes, warnings))
            continue
        path = Path(item)
        if not path.exists():
            raise InputError(display_name(item), "no such file or directory")
        if path.is_dir():
            for p in _iter_dir(path, follow_links=follow_links, warnings=warnings):
                records.extend(
                    _read_file(
                        p,
                        explicit=False,
                        max_bytes=max_bytes,
                        warnings=warnings,
                        manifests=manifests,
                        root=path,
                    )
                )
        else:
            records.extend(
                _read_file(
                    path,
                    explicit=True,
                    max_bytes=max_bytes,
                    warnings=warnings,
                    manifests=manifests,
                    root=None,
                )
            )
    return records


def _article_rows(records: Sequence[_Record], warnings: list[str]) -> list[dict[str, Any]]:
    """ARTICLES rows of the records: empty ones skipped, ids made unique, repeated texts dropped."""
    rows: list[dict[str, Any]] = []
    taken: set[str] = set()
    by_sha: dict[str, dict[str, Any]] = {}
    for rec in records:
        if not rec.text.strip():
            warnings.append(f"{rec.source}: empty or whitespace-only, skipped")
            continue
        mrow = _manifest_row(rec)
        wanted = rec.id_hint if rec.explicit_id else (mrow.get("id") or rec.id_hint)
        article_id = _unique_id(wanted, taken)
        if article_id != wanted:
            warnings.append(f"{rec.source}: id {wanted!r} already taken; using {article_id!r}")
        row = _build_row(rec, article_id, warnings)
        first = by_sha.get(row["text_sha"])
        if first is not None:
            warnings.append(
                f"{rec.source}: same text as {first['source']} ({first['article_id']}); dropped"
            )
            continue
        taken.add(article_id)
        by_sha[row["text_sha"]] = row
        rows.append(row)
    return rows
