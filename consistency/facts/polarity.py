"""Negation, denial and confirmation markers -> ``polarity`` FACTS rows."""

from __future__ import annotations

import re

from consistency.facts.context import _Ctx, _row
from consistency.facts.words import POLARITY

_POLARITY_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(k) for k in sorted(POLARITY, key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)


def _polarity_facts(ctx: _Ctx, idx: int, s: str, base: int) -> None:
    for m in _POLARITY_RE.finditer(s):
        w = m.group(0).lower()
        if w == "no" and ctx.lang != "en":
            continue
        _row(ctx, idx, "polarity", base + m.start(), base + m.end(), POLARITY[w])
