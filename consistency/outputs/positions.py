"""Where a finding's spans lie in their files, for the gate's renderers (text, SARIF,
GitHub annotations, JUnit XML), and what those renderers share: a finding's sides,
the rows, the summary line.

Positions: a span's ``start``/``end`` are offsets into the article's text as
read; they become 1-based line and column numbers in the file named by the
ARTICLES ``source`` column. Columns count characters in ``text``, ``github``
and ``junit`` and UTF-16 code units in SARIF (its default ``columnKind``,
which GitHub uses). A JSONL source (``file.jsonl:LINE``) maps to that line,
and to the columns of the span within the line as written: the line is read
again from the file and the ``text`` string's JSON escapes (``\\n``, ``\\"``,
``\\u00e9``) are counted as the characters they take there. When the file is
gone, changed, unreadable or over the input size limit, the position is the
line alone, without columns (as for a JSONL line read from standard input,
``<stdin>:LINE``).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from consistency.outputs.check_result import CheckResult
from consistency.text.normalise import display_safe
from consistency.types import Severity


@dataclass(frozen=True)
class Position:
    """Where a span lies in its file.

    Attributes:
        path: the file, as a path relative to the working directory where possible.
        start_line, start_col, end_line, end_col: 1-based; columns None when unknown;
            ``end_col`` is exclusive (the column just after the span).
    """

    path: str
    start_line: int
    start_col: int | None
    end_line: int
    end_col: int | None

    def label(self) -> str:
        """``path:line:col`` (or ``path:line``)."""
        if self.start_col is None:
            return f"{self.path}:{self.start_line}"
        return f"{self.path}:{self.start_line}:{self.start_col}"


_JSONL_SOURCE = re.compile(r"^(?P<path>.+\.jsonl?|<stdin>):(?P<line>\d+)$", re.I)

_JSON_ESCAPE = re.compile(
    r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.S
)
"""One escape in a JSON string, a character of the decoded text (a surrogate pair is one)."""


_scanstring: Callable[[str, int], tuple[str, int]]
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
"""``_scanstring(s, i)``: the JSON string opened by the quote at ``i - 1``; the index after it."""


def _skip_ws(line: str, i: int) -> int:
    """The index of the first character at or after ``i`` that is not JSON whitespace."""
    while i < len(line) and line[i] in " \t\n\r":
        i += 1
    return i


@dataclass(frozen=True)
class JsonlText:
    """Where the characters of a JSONL record's ``text`` lie in the line as written.

    Attributes:
        line: the line as read (decoded as ingest decodes the file).
        first: index in ``line`` of the text's first character (after the quote).
        esc_at: the text offset of each character written as an escape, ascending.
        extra: through each of those escapes, how many characters of ``line``
            the escapes took beyond one character each (cumulative).
        sha: SHA-256 of the decoded text, to check it is the article's.
    """

    line: str
    first: int
    esc_at: tuple[int, ...]
    extra: tuple[int, ...]
    sha: str

    def column(self, offset: int, *, utf16: bool = False) -> int:
        """1-based column in ``line`` of the text's character at ``offset``."""
        k = bisect.bisect_left(self.esc_at, offset)  # the escapes before ``offset``
        i = self.first + offset + (self.extra[k - 1] if k else 0)
        if utf16:
            return len(self.line[:i].encode("utf-16-le")) // 2 + 1
        return i + 1


def _text_token(line: str) -> int | None:
    """Index of the opening quote of a JSON object's ``text`` string in ``line``.

    The object's top-level members are walked as :func:`json.loads` reads them
    (the last ``text`` wins); None when ``line`` is not such an object.
    """
    decoder = json.JSONDecoder()
    try:
        i = _skip_ws(line, 0)
        if not line.startswith("{", i):
            return None
        i = _skip_ws(line, i + 1)
        found = None
        while line.startswith('"', i):
            key, i = _scanstring(line, i + 1)
            i = _skip_ws(line, i)
            if not line.startswith(":", i):
                return None
            i = _skip_ws(line, i + 1)
            if key == "text" and line.startswith('"', i):
                found = i
            _, i = decoder.raw_decode(line, i)
            i = _skip_ws(line, i)
            if line.startswith(",", i):
                i = _skip_ws(line, i + 1)
                continue
            return found if line.startswith("}", i) else None
        return None
    except (ValueError, RecursionError):
        return None


@functools.lru_cache(maxsize=2)
def _jsonl_file_lines(path: str, mtime_ns: int, size: int) -> tuple[str, ...] | None:
    """The lines of a JSONL file, read and decoded as ingest reads it (split at ``\\n``)."""
    from consistency.config import Settings
    from consistency.stages.ingest import decode_bytes, read_limited

    try:
        data = read_limited(Path(path), Settings().max_file_bytes)
    except OSError:
        return None
    if data is None:
        return None
    text, _ = decode_bytes(data, path)
    return None if text is None else tuple(text.split("\n"))


@functools.lru_cache(maxsize=64)
def _jsonl_text_at(path: str, mtime_ns: int, size: int, lineno: int) -> JsonlText | None:
    lines = _jsonl_file_lines(path, mtime_ns, size)
    if lines is None or not 1 <= lineno <= len(lines):
        return None
    line = lines[lineno - 1]
    quote = _text_token(line)
    if quote is None:
        return None
    try:
        value, end = _scanstring(line, quote + 1)
    except ValueError:
        return None
    esc_at, extra, more = [], [], 0
    for m in _JSON_ESCAPE.finditer(line, quote + 1, end - 1):
        esc_at.append(m.start() - (quote + 1) - more)
        more += len(m.group()) - 1
        extra.append(more)
    sha = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return JsonlText(line, quote + 1, tuple(esc_at), tuple(extra), sha)


def jsonl_text(path: str, lineno: int, text: str) -> JsonlText | None:
    """Line ``lineno`` of the JSONL file ``path`` when its ``text`` is ``text``, else None.

    The file is read again (no more than the input size limit; only a regular
    file), so a position can name the columns of the line as written.
    """
    try:
        p = Path(path)
        if not p.is_file():
            return None
        st = p.stat()
    except (OSError, ValueError):
        return None
    found = _jsonl_text_at(os.path.realpath(p), st.st_mtime_ns, st.st_size, lineno)
    if found is None:
        return None
    if found.sha != hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest():
        return None
    return found


def display_path(source: str, cwd: Path | None = None) -> str:
    """``source`` relative to ``cwd`` (forward slashes) when it lies beneath it."""
    if source.startswith("<"):
        return source
    base = (cwd or Path.cwd()).resolve()
    p = Path(source)
    full = p if p.is_absolute() else base / p
    try:
        rel = os.path.relpath(full.resolve(), base)
    except ValueError:  # another drive on Windows
        return full.as_posix()
    if rel.startswith(".."):
        return full.resolve().as_posix()
    return Path(rel).as_posix()


def line_col(text: str, offset: int, *, utf16: bool = False) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text``; lines end at ``\\n``.

    With ``utf16`` the column counts UTF-16 code units (characters outside the
    BMP count two), as SARIF's default ``columnKind`` does.
    """
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    seg = text[line_start:offset]
    col = len(seg.encode("utf-16-le")) // 2 if utf16 else len(seg)
    return line, col + 1


def span_position(
    source: str, text: str, start: int, end: int, *, utf16: bool = False, cwd: Path | None = None
) -> Position:
    """The :class:`Position` of ``text[start:end]`` in the file ``source``.

    A JSONL record (``file.jsonl:LINE``) is on its line; the columns are those
    of the span in the line as written (see the module docstring), or None
    when the line cannot be read back.
    """
    m = _JSONL_SOURCE.match(source)
    if m and not Path(source).exists():
        line = int(m.group("line"))
        path = m.group("path")
        found = None if path.startswith("<") else jsonl_text(path, line, text)
        if found is None:
            return Position(display_path(path, cwd), line, None, line, None)
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        sc, ec = found.column(start, utf16=utf16), found.column(end, utf16=utf16)
        return Position(display_path(path, cwd), line, sc, line, ec)
    sl, sc = line_col(text, start, utf16=utf16)
    el, ec = line_col(text, end, utf16=utf16)
    return Position(display_path(source, cwd), sl, sc, el, ec)


@dataclass(frozen=True)
class Side:
    article_id: str
    source: str
    outlet: str | None
    text: str
    pos: Position
    is_new: bool


def span_side(result: CheckResult, article_id: str, start: int, end: int, *, utf16: bool) -> Side:
    """The span ``start:end`` of one article of the result, located in its file."""
    art = result.articles_by_id.get(article_id)
    text = art["text"] if art else ""
    source = (art["source"] if art else None) or article_id
    return Side(
        article_id=article_id,
        source=source,
        outlet=art["outlet"] if art else None,
        text=text[start:end],
        pos=span_position(source, text, start, end, utf16=utf16),
        is_new=article_id in result.new_ids,
    )


def finding_sides(result: CheckResult, row: dict[str, Any], *, utf16: bool) -> list[Side]:
    """The finding's sides, NEW first (the primary location), then the other."""
    out = []
    for p in ("a", "b"):
        aid = row[f"{p}_article"]
        if aid is not None:
            start, end = int(row[f"{p}_start"]), int(row[f"{p}_end"])
            out.append(span_side(result, aid, start, end, utf16=utf16))
    out.sort(key=lambda s: not s.is_new)  # stable: a before b when both or neither are new
    return out


def finding_rows(result: CheckResult) -> list[dict[str, Any]]:
    return list(result.findings.iter_rows(named=True))


def summary_line(result: CheckResult) -> str:
    f = result.findings
    n_other = result.report.articles.height - len(result.new_ids)
    counts = {s.value: f.filter(pl.col("severity") == s.value).height for s in Severity}
    parts = [
        f"{f.height} finding{'s' if f.height != 1 else ''}",
        f"({counts['high']} high, {counts['medium']} medium, {counts['low']} low)",
        f"for {len(result.new_ids)} new article{'s' if len(result.new_ids) != 1 else ''}",
        f"against {n_other} other{'s' if n_other != 1 else ''};",
        f"{result.failing.height} at or above --fail-on {result.fail_on.value}",
    ]
    if result.dropped_copies:
        n = len(result.dropped_copies)
        parts.append(f"({n} corpus cop{'ies' if n != 1 else 'y'} of a new article skipped)")
    if result.suppressed:
        parts.append(f"({result.suppressed} suppressed by the baseline)")
    return " ".join(parts)


def one_line(text: str, width: int = 160) -> str:
    """``text`` on one line, control characters made visible, cut to ``width``."""
    t = display_safe(" ".join(text.split()), newlines=False)
    return t if len(t) <= width else t[: width - 1] + "…"
