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

The modules, in the order data passes through them: :mod:`~.read` (inputs walked into
records, records into ARTICLES), :mod:`~.decode` (bytes to text), :mod:`~.records` (file
formats and manifests to records), :mod:`~.infer` (metadata from the text).
"""

from __future__ import annotations

from consistency.stages.ingest.decode import decode_bytes, display_name, read_limited
from consistency.stages.ingest.infer import (
    detect_language,
    infer_outlet,
    infer_published,
    infer_title,
    parse_published,
)
from consistency.stages.ingest.read import (
    ARTICLE_EXTENSIONS,
    IngestResult,
    input_rows,
    read_inputs,
)
from consistency.stages.ingest.records import MANIFEST_NAMES, META_FIELDS

__all__ = [
    "ARTICLE_EXTENSIONS",
    "MANIFEST_NAMES",
    "META_FIELDS",
    "IngestResult",
    "decode_bytes",
    "detect_language",
    "display_name",
    "infer_outlet",
    "infer_published",
    "infer_title",
    "input_rows",
    "parse_published",
    "read_inputs",
    "read_limited",
]
