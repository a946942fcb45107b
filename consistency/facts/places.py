"""Places and organisations from a small gazetteer and a few patterns -> ``place``
and ``org`` FACTS rows (no NER model), and cited sources ("dilansir CNN").
"""

from __future__ import annotations

import re

from consistency.facts.context import Ctx, fact_row, overlaps
from consistency.facts.words import CITED_RE
from consistency.text.names import (
    ORGS,
    PLACES,
    name_key,
)


def gazetteer_facts(ctx: Ctx, idx: int, s: str, base: int) -> None:
    taken: list[tuple[int, int]] = []
    for m in CITED_RE.finditer(s):
        src = m.group("src")
        fact_row(
            ctx,
            idx,
            "org",
            base + m.start("src"),
            base + m.end("src"),
            ORGS.get(src.lower(), name_key(src)),
            detail={"role": "cited_source"},
        )
        taken.append(m.span("src"))
    for table, ftype in ((ORGS, "org"), (PLACES, "place")):
        for m in _GAZ_RE[ftype].finditer(s):
            word = m.group(0)
            if overlaps(taken, *m.span()):
                continue
            if len(word) <= 4 and not word.isupper():
                continue
            if not word[0].isupper():
                continue
            fact_row(ctx, idx, ftype, base + m.start(), base + m.end(), table[word.lower()])
            taken.append(m.span())


_GAZ_RE = {
    ftype: re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
        + r")(?![\w-])",
        re.I,
    )
    for table, ftype in ((ORGS, "org"), (PLACES, "place"))
}
