"""Reading inputs: paths, directories and stdin walked into records, records into ARTICLES.

:func:`read_inputs` is the stage's entry point (see the package's docstring for what
the ``text`` column holds and how metadata is found).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import polars as pl

from consistency.stages.ingest.decode import decode_bytes, display_name, mb, read_limited
from consistency.stages.ingest.infer import (
    detect_language,
    infer_outlet,
    infer_published,
    infer_title,
    parse_date,
)
from consistency.stages.ingest.records import (
    MANIFEST_NAMES,
    META_FIELDS,
    Manifests,
    Record,
    looks_like_jsonl,
    no_surrogate,
    parse_html,
    parse_json,
    parse_jsonl,
)
from consistency.types import ARTICLES, InputError

ARTICLE_EXTENSIONS = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})
"""Extensions read as articles when a directory is walked."""


@dataclass(frozen=True)
class IngestResult:
    """What :func:`read_inputs` read.

    Attributes:
        articles: one row per article, ARTICLES schema.
        warnings: one line each, starting with the file (or line) it is about.
    """

    articles: pl.DataFrame
    warnings: tuple[str, ...]


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
    manifests: Manifests,
    root: Path | None,
) -> list[Record]:
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
        what = f"{mb(size)} exceeds" if size > max_bytes else "exceeds"
        warnings.append(f"{source}: {what} the limit of {mb(max_bytes)}, skipped")
        return []
    text, warning = decode_bytes(data, source)
    if warning:
        warnings.append(warning)
    if text is None:
        return []
    manifest = manifests.for_dir(path.parent, root)
    stem = display_name(path.stem)
    if ext == ".jsonl":
        records = parse_jsonl(text, source, path.name)
    elif ext == ".json":
        records = parse_json(text, source, stem, path.name, warnings)
    elif ext in {".html", ".htm"}:
        records, warning = parse_html(text, source, stem, path.name)
        if warning:
            warnings.append(warning)
    else:
        records = [
            Record(source=source, id_hint=stem, explicit_id=False, text=text, file_name=path.name)
        ]
    for r in records:
        r.manifest = manifest
    return records


def _read_stdin(stream: TextIO, max_bytes: int, warnings: list[str]) -> list[Record]:
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
        warnings.append(f"{source}: exceeds the limit of {mb(max_bytes)}, skipped")
        return []
    if looks_like_jsonl(text):
        return parse_jsonl(text, source, None)
    no_surrogate(text, source, "text")
    return [Record(source=source, id_hint="stdin", explicit_id=False, text=text, file_name=None)]


# --------------------------------------------------------------------------- assembly


def _manifest_row(rec: Record) -> Mapping[str, str]:
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


def _build_row(rec: Record, article_id: str, warnings: list[str]) -> dict[str, Any]:
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
    published, precision = parse_date(meta["published"], where, warnings)
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
    manifests = Manifests(max_bytes)
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
    manifests: Manifests,
) -> list[Record]:
    """The records of every input in turn: ``-`` (stdin), a directory's files, or a file."""
    records: list[Record] = []
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


def _article_rows(records: Sequence[Record], warnings: list[str]) -> list[dict[str, Any]]:
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
