"""A finding fitted to the screen: each side clipped around its highlight and wrapped,
the evidence as lines.

Pure functions of :mod:`tui.model`'s records; nothing here draws anything.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from typing import Any

from tui.model import Side, Spans, compact_value


def wrapped_height(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped on words at ``width`` cells (line breaks kept)."""
    width = max(1, width)
    return sum(max(1, len(textwrap.wrap(line, width))) for line in text.split("\n"))


def clip_to_highlight(text: str, spans: Spans, limit: int) -> tuple[str, Spans]:
    """At most about ``limit`` characters of ``text`` that keep its first highlight.

    The piece starts a few words before the highlight; each cut is at a space
    when one is near and is marked with ``…``. ``spans`` come back relative to
    the piece (those outside it dropped, those across a cut shortened).
    """
    if len(text) <= limit:
        return text, spans
    a, b = spans[0] if spans else (0, 0)
    limit = max(limit, 8)
    if b - a >= limit:
        start = a
    else:
        start = max(0, a - (limit - (b - a)) // 3)
    end = min(len(text), start + limit)
    start = max(0, min(start, end - limit))
    if start > 0:  # begin after a space, still before the highlight
        sp = text.find(" ", start, min(a, start + 15))
        if sp >= 0:
            start = sp + 1
    if end < len(text):  # end at a space, still after the highlight
        sp = text.rfind(" ", max(b, end - 15), end)
        if sp > start:
            end = sp
    lead = "…" if start > 0 else ""
    piece = lead + text[start:end].strip() + ("…" if end < len(text) else "")
    skip = len(text[start:end]) - len(text[start:end].lstrip())
    shift = start + skip - len(lead)
    out = []
    for x, y in spans:
        nx, ny = max(x, start + skip) - shift, min(y, end) - shift
        if ny > nx:
            out.append((nx, ny))
    return piece, tuple(out)


@dataclass(frozen=True)
class SideView:
    """What a side panel shows of a :class:`Side` in the room it has.

    Attributes:
        before: the sentence before, or None when left out.
        before_highlight: spans in :attr:`before`.
        text: the sentence, or a piece of it around its first highlight.
        highlight: spans in :attr:`text`.
        after: the sentence after, or None when left out.
    """

    before: str | None
    before_highlight: Spans
    text: str
    highlight: Spans
    after: str | None


def fit_side(side: Side, width: int | None, lines: int | None) -> SideView:
    """The part of ``side`` that shows its highlight within ``lines`` of ``width`` cells.

    Everything when it fits (or when ``width`` or ``lines`` is None: no room
    known yet). Otherwise the sentence after goes first, then the sentence
    before (kept when it holds the marked speaker), and a sentence still too
    long is cut around its first highlight (:func:`clip_to_highlight`).
    """
    full = SideView(side.before, side.before_highlight, side.text, side.highlight, side.after)
    if width is None or lines is None or width <= 0:
        return full
    lines = max(lines, 2)

    def height(before: str | None, text: str, after: str | None) -> int:
        return sum(wrapped_height(t, width) for t in (before, text, after) if t is not None)

    if height(side.before, side.text, side.after) <= lines:
        return full
    if side.before and side.before_highlight:
        before: str | None = side.before  # it holds the mark: kept
    elif side.before and height(side.before, side.text, None) <= lines:
        before = side.before
    else:
        before = None
    room = max(1, lines - (wrapped_height(before, width) if before is not None else 0))
    text, spans = side.text, side.highlight
    if wrapped_height(text, width) > room:
        # words wrap short of the width: aim at 85% of the cells, then shorter
        text, spans = clip_to_highlight(text, spans, max(8, int(room * width * 0.85)))
        while wrapped_height(text, width) > room and len(text) > 16:
            text, spans = clip_to_highlight(side.text, side.highlight, int(len(text) * 0.9))
    before_hl = side.before_highlight if before is not None else ()
    return SideView(before, before_hl, text, spans, None)


def _fact(f: dict[str, Any]) -> str:
    """One extracted fact as a reviewer reads it: type, surface form, resolved value."""
    kind = f.get("type", "fact")
    out = f"{kind} {f.get('surface', '')!s}"
    value = f.get("value_date") or f.get("value_num")
    if value is not None and compact_value(value) not in str(f.get("surface", "")):
        out += f" = {compact_value(value)}"
    extra = [str(f[k]) for k in ("unit", "qualifier") if f.get(k) and f[k] != "day"]
    if extra:
        out += f" ({', '.join(extra)})"
    return out


def evidence_lines(evidence: dict[str, Any]) -> list[str]:
    """The evidence as short ``key: value`` lines.

    Extracted facts (``*_facts``) read as ``type surface = value (unit, qualifier)``,
    without their offsets; other nested objects are flattened compactly.
    """
    lines = []
    for key, val in evidence.items():
        if key.endswith("facts") and isinstance(val, list):
            facts = [_fact(f) for f in val if isinstance(f, dict)]
            lines.append(f"{key}: {'; '.join(facts) if facts else '-'}")
        elif isinstance(val, dict):
            inner = ", ".join(f"{k}={compact_value(v)}" for k, v in val.items())
            lines.append(f"{key}: {inner}")
        else:
            lines.append(f"{key}: {compact_value(val)}")
    return lines


def dumps(evidence: dict[str, Any]) -> str:
    """The evidence as one line of JSON."""
    return json.dumps(evidence, ensure_ascii=False)
