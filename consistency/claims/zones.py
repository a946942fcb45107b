"""Local time zones: a local time written beside its equivalent gives the story's offset.

"He was declared dead at 5:03 p.m. (0803 GMT)", "pukul 20.00 waktu setempat
atau 08.00 WIB": a clock time with no zone (or "local time") right beside a
time in a known zone says how far the place's clock is from UTC.
:func:`resolve_local_zones` reads that offset from every such pair in the
story and, when all pairs agree, gives it to every "local time" of the story
("meninggal pukul 5.03 waktu setempat"), so those times are compared in UTC
with the rest instead of being excused as a possible zone difference.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.rows import time_text

_MINUTES_OFF = (-12 * 60, 14 * 60)
"""The range of real UTC offsets, in minutes."""


@cache
def _gap_re() -> re.Pattern[str]:
    data = lang.merged("claims")
    words = data.get("zone_equivalent_words", [])
    alt = "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)"
    cues = "|".join(sorted(map(re.escape, data["time_cues"]), key=len, reverse=True))
    # "(0803 GMT)", "/ 08.03 WIB", "atau pukul 08.03 WIB", "or 0803 GMT"
    return re.compile(rf"(?i)^[\s,]*(?:[(/]|(?:{alt})(?![\w-])\s*\(?)\s*(?:(?:{cues})\s*)?$")


def _offset(local: dict[str, Any], known: dict[str, Any]) -> int | None:
    """Minutes the local clock is ahead of UTC, from two times of one moment."""
    d_local, d_known = json.loads(local["detail"]), json.loads(known["detail"])
    if d_local.get("twelve_hour") or float(d_local.get("precision") or 1) > 1:
        return None
    if float(d_known.get("precision") or 1) > 1 or d_known.get("zone") is None:
        return None
    utc = known["value_num"] - d_known["zone"] * 60
    off = int(round(local["value_num"] - utc)) % 1440
    if off >= _MINUTES_OFF[1]:
        off -= 1440
    return off if off >= _MINUTES_OFF[0] and off % 15 == 0 else None


def _is_local(row: dict[str, Any]) -> bool:
    d = json.loads(row["detail"])
    return d.get("zone") is None and not d.get("word")


def _with_zone(row: dict[str, Any], minutes: int) -> dict[str, Any]:
    d = json.loads(row["detail"])
    zone = minutes / 60
    d.update(zone=zone, zone_local=False, zone_inferred=True)
    return {
        **row,
        "value": time_text(row["value_num"], zone),
        "detail": json.dumps(d, ensure_ascii=False, sort_keys=True),
    }


def resolve_local_zones(
    rows: list[dict[str, Any]], sent_text: dict[tuple[str, int], tuple[int, str]]
) -> list[dict[str, Any]]:
    """Give the story's local times the offset their written equivalents show.

    Args:
        rows: the story's claim rows (CLAIMS columns).
        sent_text: (article, sentence) -> (sentence start, sentence text).

    Returns:
        The rows, with every time said in local time ("waktu setempat", "local
        time") and every local time written beside an equivalent given the
        offset, when the story's pairs give exactly one; otherwise unchanged.
    """
    times: dict[tuple[str, int], list[int]] = {}
    for i, r in enumerate(rows):
        if r["slot"] == "time" and r["value_kind"] == "time" and r["value_num"] is not None:
            times.setdefault((r["article_id"], r["sent_idx"]), []).append(i)
    offsets: set[int] = set()
    paired: set[int] = set()
    for key, idx in times.items():
        base, text = sent_text[key]
        idx = sorted(idx, key=lambda i: rows[i]["start"])
        for i, j in zip(idx, idx[1:], strict=False):
            a, b = rows[i], rows[j]
            if not _gap_re().match(text[a["end"] - base : b["start"] - base]):
                continue
            for local, known in ((a, b), (b, a)):
                if _is_local(local) and not _is_local(known):
                    off = _offset(local, known)
                    if off is not None:
                        offsets.add(off)
                        paired.add(i if local is a else j)
    if len(offsets) != 1:
        return rows
    (off,) = offsets
    return [
        _with_zone(r, off)
        if k in paired or (r["slot"] == "time" and json.loads(r["detail"]).get("zone_local"))
        else r
        for k, r in enumerate(rows)
    ]
