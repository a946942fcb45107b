"""The year a thing was built ("dibuat pada 1979", "the 44-year-old vessel") and
measures a statement says could not be observed -> CLAIMS rows.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.rows import exact_at, make_claim
from consistency.claims.slots import (
    measure_before,
    phrases,
    tokens,
)
from consistency.claims.values import UNOBSERVED, Value


@cache
def _built_re() -> re.Pattern[str]:
    cues = lang.merged("claims").get("built_cues", [])
    alt = "|".join(sorted(map(re.escape, cues), key=len, reverse=True)) or "(?!)"
    return re.compile(
        rf"(?i)(?<![\w-])(?:{alt})(?![\w-])(?:\s+[\w-]+){{0,4}}?\s+(?P<y>(?:18|19|20)\d{{2}})(?!\d|[.,]\d)"
    )


@cache
def thing_age_re() -> re.Pattern[str]:
    things = lang.merged("claims").get("built_things", [])
    alt = "|".join(sorted(map(re.escape, things), key=len, reverse=True)) or "(?!)"
    return re.compile(
        rf"(?i)\b(?P<n>\d{{1,3}})[- ]year[- ]old(?:\s+[\w-]+){{0,2}}?\s+(?:{alt})\b"
        rf"|(?<![\w-])(?:{alt})(?:\s+[\w-]+){{0,3}}?\s+(?:berusia|berumur)\s+(?P<m>\d{{1,3}})\s+tahun\b"
    )


def built_claims(aid: str, sent: dict[str, Any], published: Any = None) -> list[dict[str, Any]]:
    """The year a thing was built ("kapal yang dibuat di Jerman pada 1979", "built in 1977").

    A built thing's age ("the 44-year-old vessel") gives it too, from the
    publication date: 44 years old in 2021 is built in 1976 or 1977.
    """
    text, base = sent["text"], sent["start"]
    out = []
    if published is not None:
        for m in thing_age_re().finditer(text):
            group = "n" if m.group("n") else "m"
            y = float(published.year - int(m.group(group)))
            a, b = m.span()  # the whole "44-year-old German-made vessel": what the figure is of
            out.append(
                make_claim(
                    aid,
                    sent["sent_idx"],
                    "built",
                    "measure",
                    base + a,
                    base + b,
                    text[a:b],
                    Value(y, y - 1, y, "range"),
                    cue="age",
                    detail={"unit": None, "occurrence": None, "from_age": True},
                )
            )
    for m in _built_re().finditer(text):
        y = float(m.group("y"))
        a, b = m.span("y")
        out.append(
            make_claim(
                aid,
                sent["sent_idx"],
                "built",
                "measure",
                base + a,
                base + b,
                text[a:b],
                Value(y, y, y, "exact"),
                cue=text[m.start() : a].split()[0].lower(),
                detail={"unit": None, "occurrence": None},
            )
        )
    return out


def unobserved_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """Measures a sentence says could not be taken ("Ketinggian kolom abu tidak teramati").

    The value is the text ``unobserved``: it meets the measure's figures in
    other statements ("kolom letusan teramati setinggi 3.000 meter") as a
    contradiction, and another "not observed" as the same.
    """
    text, base = sent["text"], sent["start"]
    toks = tokens(text)
    out = []
    for i in range(len(toks)):
        cue = next((c for c in phrases("unobserved_cues") if exact_at(toks, i, c)), None)
        if cue is None:
            continue
        found = measure_before(toks, i)
        if found is None or found[0] not in ("height", "depth", "distance", "magnitude"):
            continue
        a, b = toks[found[1]].start, toks[i + len(cue) - 1].end
        out.append(
            make_claim(
                aid,
                sent["sent_idx"],
                found[0],
                "measure",
                base + a,
                base + b,
                text[a:b],
                Value(text=UNOBSERVED),
                cue=" ".join(cue),
                detail={"unit": None, "occurrence": None, "unobserved": True},
            )
        )
    return out
