"""What every fact reader shares: the per-article state (:class:`Ctx`), the row
builder that writes one FACTS row, and the capitalised-token patterns.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from consistency.text.names import (
    NAME_PARTICLES,
)

QUOTE_CHARS = '"“”«»'
CAP_TOKEN = r"[A-Z][\w'’]*(?:-[\w'’]+)*"
CAP_RUN_RE = re.compile(
    rf"{CAP_TOKEN}(?:\s+(?:(?:{'|'.join(sorted(NAME_PARTICLES))})\s+)?{CAP_TOKEN})*"
)
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*|%")


@dataclass
class Ctx:
    """Per-article state while walking its sentences in order."""

    article_id: str
    text: str
    lang: str
    published: dt.date | None
    known_surnames: set[str] = field(default_factory=set)
    rows: list[dict[str, Any]] = field(default_factory=list)


def fact_row(
    ctx: Ctx,
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


def overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(a < e and s < b for s, e in spans)
