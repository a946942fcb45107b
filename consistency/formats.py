"""Renderers for the CI gate's results: text, SARIF 2.1.0, GitHub annotations, JUnit XML.

Each takes a :class:`~consistency.check.CheckResult` (its report's ARTICLES
and DIVERGENCES frames) and returns a string. ``json`` is the report contract
itself (:func:`consistency.report.write_json`).

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
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import polars as pl

from consistency.check import CheckResult
from consistency.exit_codes import ExitCode
from consistency.normalise import display_safe
from consistency.types import Kind, Severity
from consistency.version import VERSION

FORMATS = ("text", "json", "sarif", "github", "junit")
"""Every ``--format`` of ``consistency check``."""

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "consistencyDivergenceId/v1"
"""The ``partialFingerprints`` key holding the stable divergence id."""

RULES: dict[str, tuple[str, str]] = {
    Kind.ATTRIBUTION.value: (
        "AttributionDivergence",
        "The same statement is attributed to different people.",
    ),
    Kind.DATE.value: ("DateDivergence", "The articles give different dates for the same event."),
    Kind.NUMBER.value: (
        "NumberDivergence",
        "The articles give different numbers for the same quantity.",
    ),
    Kind.NAME.value: ("NameDivergence", "A name is spelled or given differently."),
    Kind.CONTRADICTION.value: (
        "Contradiction",
        "Aligned sentences contradict each other (NLI).",
    ),
    Kind.UNIQUE.value: ("UniqueClaim", "A fact that only one outlet reports."),
    Kind.QUOTE.value: ("QuoteWording", "One direct quote is worded differently by two outlets."),
}
"""Rule id (the divergence kind) -> (name, short description)."""

SARIF_LEVEL = {"high": "error", "medium": "warning", "low": "note"}
GITHUB_LEVEL = {"high": "error", "medium": "warning", "low": "notice"}


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
    from consistency.ingest import decode_bytes, read_limited

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


def _display_path(source: str, cwd: Path | None = None) -> str:
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
            return Position(_display_path(path, cwd), line, None, line, None)
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        sc, ec = found.column(start, utf16=utf16), found.column(end, utf16=utf16)
        return Position(_display_path(path, cwd), line, sc, line, ec)
    sl, sc = line_col(text, start, utf16=utf16)
    el, ec = line_col(text, end, utf16=utf16)
    return Position(_display_path(source, cwd), sl, sc, el, ec)


@dataclass(frozen=True)
class _Side:
    article_id: str
    source: str
    outlet: str | None
    text: str
    pos: Position
    is_new: bool


def _sides(result: CheckResult, row: dict[str, Any], *, utf16: bool) -> list[_Side]:
    """The finding's sides, NEW first (the primary location), then the other."""
    arts = {r["article_id"]: r for r in result.report.articles.iter_rows(named=True)}
    new = set(result.new_ids)
    out = []
    for p in ("a", "b"):
        aid = row[f"{p}_article"]
        if aid is None:
            continue
        art = arts.get(aid)
        text = art["text"] if art else ""
        source = (art["source"] if art else None) or aid
        start, end = int(row[f"{p}_start"]), int(row[f"{p}_end"])
        out.append(
            _Side(
                article_id=aid,
                source=source,
                outlet=art["outlet"] if art else None,
                text=text[start:end],
                pos=span_position(source, text, start, end, utf16=utf16),
                is_new=aid in new,
            )
        )
    out.sort(key=lambda s: not s.is_new)  # stable: a before b when both or neither are new
    return out


def _rows(result: CheckResult) -> list[dict[str, Any]]:
    return list(result.findings.iter_rows(named=True))


def _summary(result: CheckResult) -> str:
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


def _one_line(text: str, width: int = 160) -> str:
    """``text`` on one line, control characters made visible, cut to ``width``."""
    t = display_safe(" ".join(text.split()), newlines=False)
    return t if len(t) <= width else t[: width - 1] + "…"


# -- text ---------------------------------------------------------------------------


def to_text(result: CheckResult, *, color: bool = False) -> str:
    """A compact listing: one block per finding, ``file:line:col`` of each span.

    Args:
        result: the check's result.
        color: ANSI colours (the command passes True only on a terminal).
    """
    colours = {"high": "red", "medium": "yellow", "low": "cyan"}

    def style(s: str, **kw: Any) -> str:
        return click.style(s, **kw) if color else s

    blocks = []
    for row in _rows(result):
        sev = row["severity"]
        head = (
            style(sev.upper(), fg=colours.get(sev), bold=True)
            + f" {row['kind']} (confidence {float(row['score']):.2f}) "
            + style(row["divergence_id"], dim=True)
        )
        lines = [head]
        for side in _sides(result, row, utf16=False):
            tag = "new" if side.is_new else "corpus"
            lines.append(f"  {_one_line(side.pos.label())}: [{tag}] {_one_line(side.text)}")
        lines.append(f"  {_one_line(row['explanation'], 400)}")
        blocks.append("\n".join(lines))
    blocks.append(_summary(result))
    return "\n\n".join(blocks) + "\n"


# -- SARIF --------------------------------------------------------------------------


def _uri(path: str) -> str:
    if path.startswith("/"):
        return "file://" + urllib.parse.quote(path)
    return urllib.parse.quote(path)


def _escape_sarif_message(text: str) -> str:
    """Escape square brackets, which SARIF message text reserves for links."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _physical(pos: Position, snippet: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": pos.start_line, "endLine": pos.end_line}
    if pos.start_col is not None and pos.end_col is not None:
        region["startColumn"] = pos.start_col
        region["endColumn"] = pos.end_col
    if snippet:
        region["snippet"] = {"text": snippet}
    return {"artifactLocation": {"uri": _uri(pos.path)}, "region": region}


def to_sarif_dict(result: CheckResult) -> dict[str, Any]:
    """The result as a SARIF 2.1.0 log (one run, a rule per divergence kind)."""
    kinds = [k.value for k in Kind]
    extra = sorted(set(result.findings["kind"].to_list()) - set(kinds))
    rules = []
    for kind in kinds + extra:
        name, desc = RULES.get(kind, (kind.title().replace("_", ""), f"{kind} divergence"))
        rules.append(
            {
                "id": kind,
                "name": name,
                "shortDescription": {"text": desc},
                "fullDescription": {
                    "text": desc + " Found by comparing the article with others on the same story."
                },
                "defaultConfiguration": {"level": "warning"},
                "help": {
                    "text": "Check which version is right and correct the article, or mark the "
                    "finding as rejected in a review session and pass it as --baseline."
                },
                "properties": {"tags": ["consistency", kind]},
            }
        )
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for row in _rows(result):
        sides = _sides(result, row, utf16=True)
        primary = sides[0]
        message = _escape_sarif_message(row["explanation"])
        related = []
        if len(sides) > 1:
            other = sides[1]
            who = other.outlet or other.article_id
            message += f" Compare [{_escape_sarif_message(who)}](1)."
            related.append(
                {
                    "id": 1,
                    "physicalLocation": _physical(other.pos, other.text),
                    "message": {"text": f"{who}: {_one_line(other.text, 300)}"},
                }
            )
        res: dict[str, Any] = {
            "ruleId": row["kind"],
            "ruleIndex": index[row["kind"]],
            "level": SARIF_LEVEL.get(row["severity"], "warning"),
            "message": {"text": message},
            "locations": [{"physicalLocation": _physical(primary.pos, primary.text)}],
            "partialFingerprints": {FINGERPRINT_KEY: row["divergence_id"]},
            "properties": {
                "divergenceId": row["divergence_id"],
                "severity": row["severity"],
                "score": round(float(row["score"]), 4),
            },
        }
        if related:
            res["relatedLocations"] = related
        results.append(res)
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "consistency",
                        "version": VERSION,
                        "semanticVersion": VERSION,
                        "rules": rules,
                    }
                },
                "columnKind": "utf16CodeUnits",
                "results": results,
                "properties": {
                    "failOn": result.fail_on.value,
                    "generatedBy": result.report.generated_by,
                },
            }
        ],
    }


def to_sarif(result: CheckResult) -> str:
    """SARIF 2.1.0 JSON text (U+2028, U+2029 and U+0085 escaped, as in the JSON report)."""
    from consistency.report import json_text

    return json_text(to_sarif_dict(result)) + "\n"


# -- GitHub workflow commands ---------------------------------------------------------


def escape_data(value: str) -> str:
    """Escape a workflow command's message: ``%``, ``\\r``, ``\\n``."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command's property value: as data, plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_summary(result: CheckResult) -> str:
    """The closing ``::notice title=consistency::...`` line: counts and the gate's decision.

    It says what :func:`~consistency.formats.to_text` ends with (findings by
    severity, new and corpus articles, how many are at or above ``--fail-on``)
    and whether the check fails (exit 1: a finding at or above the threshold)
    or passes (exit 0), as :attr:`CheckResult.exit_code` decides.
    """
    code = result.exit_code
    verdict = "fails" if code == ExitCode.FINDINGS else "passes"
    msg = f"{_summary(result)}; the check {verdict} (exit {int(code)})"
    return f"::notice title={escape_property('consistency')}::{escape_data(_one_line(msg, 2000))}"


def to_github(result: CheckResult) -> str:
    """One ``::error|warning|notice file=...,line=...,col=...,title=...::message`` per finding,
    then one ``::notice`` summary line (:func:`github_summary`)."""
    lines = []
    for row in _rows(result):
        sides = _sides(result, row, utf16=False)
        p = sides[0].pos
        path = display_safe(p.path, newlines=False)  # no raw ESC/BEL from a file name
        props = [f"file={escape_property(path)}", f"line={p.start_line}"]
        if p.end_line != p.start_line:
            props.append(f"endLine={p.end_line}")
        if p.start_col is not None:
            props.append(f"col={p.start_col}")
            if p.end_line == p.start_line and p.end_col is not None:
                props.append(f"endColumn={p.end_col}")
        title = f"consistency {row['kind']} ({row['severity']})"
        props.append(f"title={escape_property(title)}")
        msg = _one_line(row["explanation"], 2000)
        if len(sides) > 1:
            o = sides[1]
            who = _one_line(o.outlet or o.article_id)
            msg += f"\nCompare {_one_line(o.pos.label())} ({who}): {_one_line(o.text)}"
        msg += f"\nid {row['divergence_id']}"
        level = GITHUB_LEVEL.get(row["severity"], "warning")
        lines.append(f"::{level} {','.join(props)}::{escape_data(msg)}")
    lines.append(github_summary(result))
    return "".join(line + "\n" for line in lines)


# -- JUnit XML --------------------------------------------------------------------------


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot hold."""
    return _XML_BAD.sub("", text)


def _xml_attr(text: str) -> str:
    """An attribute value XML 1.0 can hold: control characters shown as placeholders
    (:func:`~consistency.normalise.display_safe`: ESC as "␛"), the rest dropped."""
    return _xml_safe(display_safe(text, newlines=False))


def to_junit(result: CheckResult) -> str:
    """JUnit XML: one test case per NEW article; it fails when it has a finding at or
    above the threshold, and the failure lists those findings (lower ones go to
    ``system-out``)."""
    arts = {r["article_id"]: r for r in result.report.articles.iter_rows(named=True)}
    failing_ids = set(result.failing["divergence_id"].to_list())
    rows = _rows(result)
    suite = ET.Element("testsuite", name="consistency check")
    n_fail = 0
    for aid in result.new_ids:
        art = arts.get(aid)
        source = _xml_attr(_display_path(art["source"]) if art else aid)
        case = ET.SubElement(
            suite, "testcase", classname="consistency.check", name=source, file=source
        )
        mine = [r for r in rows if aid in (r["a_article"], r["b_article"])]
        bad = [r for r in mine if r["divergence_id"] in failing_ids]
        other = [r for r in mine if r["divergence_id"] not in failing_ids]

        def listing(rs: list[dict[str, Any]], aid: str = aid) -> str:
            out = []
            for r in rs:
                sides = _sides(result, r, utf16=False)
                sides.sort(key=lambda s: s.article_id != aid)
                locs = "; ".join(s.pos.label() for s in sides)
                out.append(
                    f"[{r['severity']}] {r['kind']} {r['divergence_id']} at {locs}: "
                    f"{r['explanation']}"
                )
            return _xml_safe(display_safe("\n".join(out)))

        if bad:
            n_fail += 1
            kinds = sorted({r["kind"] for r in bad})
            failure = ET.SubElement(
                case,
                "failure",
                message=_xml_safe(
                    f"{len(bad)} finding{'s' if len(bad) != 1 else ''} at or above "
                    f"{result.fail_on.value}: {', '.join(kinds)}"
                ),
                type="consistency.divergence",
            )
            failure.text = listing(bad)
        if other:
            out = ET.SubElement(case, "system-out")
            out.text = listing(other)
    suite.set("tests", str(len(result.new_ids)))
    suite.set("failures", str(n_fail))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element(
        "testsuites",
        name="consistency",
        tests=str(len(result.new_ids)),
        failures=str(n_fail),
        errors="0",
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(result: CheckResult, fmt: str, *, color: bool = False) -> str:
    """Render ``result`` in one of :data:`FORMATS`."""
    if fmt == "text":
        return to_text(result, color=color)
    if fmt == "json":
        from consistency.report import write_json

        return write_json(result.report, None)
    if fmt == "sarif":
        return to_sarif(result)
    if fmt == "github":
        return to_github(result)
    if fmt == "junit":
        return to_junit(result)
    raise ValueError(f"unknown format {fmt!r}")
