"""Ages of people said without "tahun": "Yamagami, 41,", "the 67-year-old", "Amanda, 19,".

An age in commas after a name, or "N-year-old", is the age of the nearest
person named before it (never of a thing: "the 44-year-old vessel" is read by
``claims.built``). Ages said with "tahun"/"years old" are read with the other
figures (``claims.counts``).
"""

from __future__ import annotations

import re
from typing import Any

from consistency.claims.built import thing_age_re
from consistency.claims.clock import nearest_person
from consistency.claims.rows import YEAR_OLD_RE, make_claim
from consistency.claims.values import Value
from consistency.text.names import name_key


def year_old_ages(
    aid: str, idx: int, text: str, base: int, persons: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Ages said without "tahun" of the nearest person ("Yamagami, 41,", "the 67-year-old")."""
    out = []
    # "Yamagami, 41," and "the 67-year-old": ages without "tahun"
    for m in YEAR_OLD_RE.finditer(text):
        if thing_age_re().match(text, m.start()):
            continue  # "the 44-year-old vessel": the age of a thing (see _built_claims)
        who = nearest_person(persons, base + m.start())
        if who:
            n = float(m.group("n"))
            out.append(
                make_claim(
                    aid,
                    idx,
                    "age",
                    "age",
                    base + m.start("n"),
                    base + m.end("n"),
                    m.group("n"),
                    Value(n, n, n),
                    subject=who,
                    cue="year-old",
                )
            )
    return out


def add_comma_ages(
    aid: str,
    idx: int,
    text: str,
    base: int,
    persons: list[dict[str, Any]],
    out: list[dict[str, Any]],
) -> None:
    """Add to ``out`` the ages in commas after a name ("Amanda, 19,") not read yet."""
    for p in persons:
        am = re.match(r",\s*(\d{1,3})\s*(?=[,)])", text[p["end"] - base :])
        if am and 1 <= int(am.group(1)) <= 110:
            n = float(am.group(1))
            s0 = p["end"] + am.start(1)
            if any(c["start"] == s0 for c in out):
                continue
            out.append(
                make_claim(
                    aid,
                    idx,
                    "age",
                    "age",
                    s0,
                    p["end"] + am.end(1),
                    am.group(1),
                    Value(n, n, n),
                    subject=name_key(p["surface"]),
                    cue=",",
                )
            )
