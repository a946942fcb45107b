"""Negation, denial and confirmation markers -> ``polarity`` FACTS rows."""

from __future__ import annotations

import re
from functools import cache

from consistency import lang
from consistency.facts.context import Ctx, fact_row
from consistency.facts.words import POLARITY

_POLARITY_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(k) for k in sorted(POLARITY, key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)


@cache
def _idiom_re() -> re.Pattern[str]:
    """Fixed phrases whose negation word negates nothing ("tidak lama kemudian", "not only").

    ``negation_idioms`` in the language files; matched where a polarity word starts.
    """
    idioms = sorted(lang.merged("claims").get("negation_idioms", []), key=len, reverse=True)
    if not idioms:
        return re.compile("(?!)")
    return re.compile(r"(?:" + "|".join(re.escape(i) for i in idioms) + r")(?![\w-])", re.I)


def polarity_facts(ctx: Ctx, idx: int, s: str, base: int) -> None:
    idiom = _idiom_re()
    for m in _POLARITY_RE.finditer(s):
        if idiom.match(s, m.start()):
            continue  # "tidak lama kemudian": time passing, not a negation
        w = m.group(0).lower()
        if w == "no" and ctx.lang != "en":
            continue
        fact_row(ctx, idx, "polarity", base + m.start(), base + m.end(), POLARITY[w])
