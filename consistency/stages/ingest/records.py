"""File formats to records: JSON and JSONL objects, clusters, HTML, and manifests.

A :class:`Record` is one article before it becomes an ARTICLES row; its fields are
checked as they are read (a malformed line is an :class:`~consistency.types.InputError`
naming the file and line). A manifest (``manifest.csv`` / ``manifest.jsonl``) in a
file's directory or an ancestor gives metadata by ``id`` or ``file`` name
(:class:`Manifests`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consistency.stages.ingest.decode import SURROGATE, display_name, mb, read_limited
from consistency.types import InputError

MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
"""File names read as manifests (never as articles)."""


META_FIELDS = ("outlet", "title", "url", "published", "language")
"""Optional metadata fields of a JSONL record or a manifest row."""


@dataclass
class Record:
    """One article before it becomes an ARTICLES row."""

    source: str
    id_hint: str
    explicit_id: bool
    text: str
    file_name: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    manifest: Mapping[str, Mapping[str, str]] | None = None


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


def no_surrogate(value: str, where: str, field: str) -> None:
    """Refuse a string holding a lone surrogate (a ``\\ud800`` escape is not Unicode text)."""
    m = SURROGATE.search(value)
    if m:
        raise InputError(
            where, f"field {field!r} holds a lone surrogate (\\u{ord(m.group()):04x}), not text"
        )


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
            raise InputError(source, f"manifest exceeds the limit of {mb(max_bytes)}")
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
                no_surrogate(row[k], where, k)
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


class Manifests:
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
) -> Record:
    """One JSON(L) record as a :class:`Record`, its fields checked.

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
    no_surrogate(text, where, "text")
    raw_id = obj.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        raise InputError(where, f"'id' must be a string or an integer, not {_kind(raw_id)}")
    has_id = raw_id not in (None, "")
    id_hint = str(raw_id) if has_id else default_id
    no_surrogate(id_hint, where, "id")
    meta = {k: obj[k] for k in META_FIELDS if obj.get(k) not in (None, "")}
    for k, v in meta.items():
        number_ok = k == "published" and isinstance(v, (int, float)) and not isinstance(v, bool)
        if not isinstance(v, str) and not number_ok:
            raise InputError(where, f"{k!r} must be a string, not {_kind(v)}")
        no_surrogate(str(v), where, k)
    return Record(
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


def parse_jsonl(text: str, source: str, file_name: str | None) -> list[Record]:
    out = []
    for lineno, line in _jsonl_lines(text):
        where = f"{source}:{lineno}"
        obj = _json_line(line, where)
        out.append(
            _record_from_obj(obj, where, id_required=True, default_id="", file_name=file_name)
        )
    return out


def parse_json(
    text: str, source: str, stem: str, file_name: str, warnings: list[str]
) -> list[Record]:
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


def parse_html(html: str, source: str, stem: str, file_name: str) -> tuple[list[Record], str]:
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
    rec = Record(
        source=source, id_hint=stem, explicit_id=False, text=text, file_name=file_name, meta=meta
    )
    return [rec], ""


def looks_like_jsonl(text: str) -> bool:
    for _, line in _jsonl_lines(text):
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            return False
        return isinstance(obj, dict) and "text" in obj
    return False
