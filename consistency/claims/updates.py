"""Update figures: a bare count that continues the toll its article just named.

"Korban tewas terus bertambah. Kini angkanya menjadi 13 orang": the claims
stage reads the 13 with the placeholder slot :data:`UPDATE` when an update
verb (``update_verbs`` in ``lang/<code>/claims.json``) comes right before it,
and :func:`resolve_updates` gives it the status named last before it. A toll
named in an earlier sentence is continued only when the figure's sentence
refers back to it before the figure (``update_subjects``: "angkanya", "the
number"): "Penghuni gedung itu mencapai 812 orang" has a subject of its own
and continues no toll named before it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.slots import STATUS

UPDATE = "_update"
"""Placeholder slot of a bare figure after an update verb, until its article gives its status."""

CARRY_SENTENCES = 2
"""How many sentences back the toll an update figure continues may be named."""


@cache
def _update_re() -> re.Pattern[str]:
    verbs = lang.merged("claims").get("update_verbs", [])
    alt = "|".join(sorted(map(re.escape, verbs), key=len, reverse=True)) or "(?!)"
    hedges = r"(?:\s+(?:sekitar|sedikitnya|setidaknya|about|at least|around))?"
    return re.compile(rf"(?i)(?<![\w-])(?:{alt}){hedges}\s*$")


def after_update_verb(before: str) -> bool:
    return bool(_update_re().search(before))


@cache
def _status_cues() -> list[tuple[str, re.Pattern[str]]]:
    slots = lang.merged("claims")["slots"]
    return [
        (slot, re.compile(rf"(?i)(?<![\w-]){re.escape(cue)}"))
        for slot in STATUS
        for cue in slots.get(slot, [])
    ]


def refers_back(before: str) -> bool:
    """Whether the words before an update figure refer back to a toll named earlier."""
    return bool(lang.words_re("update_subjects").search(before))


def _last_status(text: str) -> tuple[int, str] | None:
    """The status the text names last: (position, slot), the longest cue winning at one place."""
    best: tuple[int, int, str] | None = None
    for slot, rx in _status_cues():
        for m in rx.finditer(text):
            cand = (m.end(), m.end() - m.start(), slot)
            if best is None or cand[:2] > best[:2]:
                best = cand
    return (best[0], best[2]) if best else None


def resolve_updates(
    rows: list[dict[str, Any]], sent_text: dict[tuple[str, int], tuple[int, str]]
) -> list[dict[str, Any]]:
    """Give each update figure the status its article was just giving, or drop it.

    "Korban tewas terus bertambah. Kini angkanya menjadi 13 orang": the 13
    continues the death toll named earlier in its sentence or up to
    :data:`CARRY_SENTENCES` sentences before.
    """
    out = []
    for r in rows:
        if r["slot"] == UPDATE:
            aid, idx = r["article_id"], r["sent_idx"]
            base, text = sent_text[(aid, idx)]
            before = text[: r["start"] - base]
            found = _last_status(before)
            back = 1
            carry = refers_back(before)
            while (
                found is None
                and carry
                and back <= CARRY_SENTENCES
                and (aid, idx - back) in sent_text
            ):
                found = _last_status(sent_text[(aid, idx - back)][1])
                back += 1
            if found is None:
                continue
            r = {**r, "slot": found[1], "cue": "update"}
        out.append(r)
    return out
