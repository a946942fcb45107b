"""Who a statement is credited to -> ``speaker`` FACTS rows.

"kata Kirby", "X mengatakan", "menurut X", "said X", "according to X"; quote
state across sentences, so a quote that goes on keeps its speaker, and
"katanya" / "ia menambahkan" carry the last named speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consistency.facts.context import CAP_TOKEN, Ctx, fact_row, overlaps
from consistency.facts.people import name_in_window, split_names, title_before
from consistency.facts.words import ACCORDING_RE, POST_RE, PRE_RE
from consistency.text.names import (
    ORGS,
    OUTLET_WORDS,
    name_key,
    surname_key,
)


@dataclass
class Speaker:
    name: str
    key: str
    start: int  # original offsets of the naming mention
    end: int
    title: str | None
    is_person: bool
    sent_idx: int


def speaker_facts(ctx: Ctx, idx: int, s: str, base: int) -> list[Speaker]:
    """Speakers named in sentence ``s`` itself (no carry-over)."""
    out: list[Speaker] = []
    taken: list[tuple[int, int]] = []

    def add(a: int, b: int, title: str | None, how: str, is_person: bool = True) -> None:
        if overlaps(taken, a, b):
            return
        name = s[a:b]
        key = name_key(name)
        if not key or key in OUTLET_WORDS:
            return
        taken.append((a, b))
        sp = Speaker(name, key, base + a, base + b, title, is_person, idx)
        out.append(sp)
        if is_person:
            ctx.known_surnames.add(surname_key(name))
        fact_row(
            ctx,
            idx,
            "speaker",
            base + a,
            base + b,
            key,
            qualifier=how,
            detail={
                "title": title,
                "how": how,
                "is_person": is_person,
                "surname": surname_key(name),
            },
        )

    for m in POST_RE.finditer(s):
        if m.group(0).lower() in ("said", "says", "added", "told", "explained", "noted"):
            # "X said" is handled below; "said X" only when a name follows at once
            pass
        got = name_in_window(ctx, s, m.end())
        if got:
            a, b, title = got
            if re.search(r"\b(?:pemerintahan|administration)\s*$", s[:a], re.I):
                a = s.rfind(" ", 0, a - 1) + 1 if s[:a].strip() else a
                add(a, b, None, "post", is_person=False)
            else:
                add(a, b, title, "post")
    for m in ACCORDING_RE.finditer(s):
        got = name_in_window(ctx, s, m.end())
        if got:
            add(got[0], got[1], got[2], "according")
    for m in PRE_RE.finditer(s):
        prefix = s[: m.start()]
        run = re.search(rf"({CAP_TOKEN}(?:\s+{CAP_TOKEN})*)\s*$", prefix)
        if not run:
            continue
        segs = split_names(run.group(1), run.start(1), ctx)
        if segs and segs[-1][1] == run.end(1):
            a, b = segs[-1]
            add(a, b, title_before(s, a), "pre")
        elif run.group(1).lower() in ORGS or name_key(run.group(1)) in ORGS:
            add(run.start(1), run.end(1), None, "pre", is_person=False)
    return out


# --- quotes and carry-over -------------------------------------------------------


def quote_state(s: str, open_in: bool) -> tuple[bool, bool]:
    """(has a quote, quote still open at the end) for sentence ``s``."""
    state = open_in
    has = open_in
    for c in s:
        if c == "“" or c == "«":
            state, has = True, True
        elif c == "”" or c == "»":
            state, has = False, True
        elif c == '"':
            state, has = not state, True
    return has, state


def carry_speaker(ctx: Ctx, idx: int, sp: Speaker, a: int, b: int, how: str) -> None:
    fact_row(
        ctx,
        idx,
        "speaker",
        a,
        b,
        sp.key,
        surface=sp.name,
        qualifier=how,
        detail={
            "title": sp.title,
            "how": how,
            "is_person": sp.is_person,
            "surname": surname_key(sp.name),
            "from_sent": sp.sent_idx,
            "from_start": sp.start,
            "from_end": sp.end,
        },
    )
