"""A measure converted in brackets is one figure written twice ("at least 1.2 m (4 ft)",
"948 kaki (288,95 m)"): its two claims share a slot and a qualifier."""

from __future__ import annotations

import json
import re
from typing import Any

from consistency.claims.matching import MEASURE_DIMENSIONS

_CONVERSION_GAP = re.compile(r"(?:\s*[^\W\d]+){0,3}\s*[(\[]\s*")
"""What stands between a measure and its conversion in brackets: its unit and the bracket."""


def share_conversions(claims: list[dict[str, Any]], text: str, base: int) -> None:
    """A measure converted in brackets ("at least 1.2 m (4 ft)", "948 kaki (288,95 m)") is
    one figure written twice: the two take the slot a word named (over the one a unit
    alone gave) and the qualifier of the one that has it (in place)."""
    measures = sorted((c for c in claims if c["value_kind"] == "measure"), key=lambda c: c["start"])
    for a, b in zip(measures, measures[1:], strict=False):
        if not _CONVERSION_GAP.fullmatch(text[a["end"] - base : b["start"] - base]):
            continue
        if a["slot"] in MEASURE_DIMENSIONS and b["slot"] not in MEASURE_DIMENSIONS:
            a["slot"] = b["slot"]
        elif b["slot"] in MEASURE_DIMENSIONS and a["slot"] not in MEASURE_DIMENSIONS:
            b["slot"] = a["slot"]
        plain, hedged = (a, b) if b["qualifier"] != "exact" else (b, a)
        if plain["qualifier"] == "exact" and hedged["qualifier"] != "exact":
            detail = json.loads(plain["detail"])
            detail["qualifier_surface"] = json.loads(hedged["detail"]).get("qualifier_surface")
            plain["qualifier"] = hedged["qualifier"]
            plain["detail"] = json.dumps(detail, ensure_ascii=False, sort_keys=True)
