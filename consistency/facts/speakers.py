"""Who a statement is credited to -> ``speaker`` FACTS rows.

"kata Kirby", "X mengatakan", "menurut X", "said X", "according to X"; quote
state across sentences, so a quote that goes on keeps its speaker, and
"katanya" / "ia menambahkan" carry the last named speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consistency.facts.context import _CAP_TOKEN, _Ctx, _overlaps, _row
from consistency.facts.people import _name_in_window, _split_names, _title_before
from consistency.facts.words import _ACCORDING_RE, _POST_RE, _PRE_RE
from consistency.text.names import (
    ORGS,
    OUTLET_WORDS,
    name_key,
    surname_key,
)


@dataclass
class _Speaker:
    name: str
    key: str
    start: int  # original offsets of the naming mention
    end: int
    title: str | None
    is_person: bool
    sent_idx: int


def _speaker_facts(ctx: _Ctx, idx: int, s: str, base: int) -> list[_Speaker]:
    """Speakers named in sentence ``s`` itself (no carry-over)."""
    out: list[_Speaker] = []
    taken: list[tuple[int, int]] = []

    def add(a: int, b: int, title: str | None, how: str, is_person: bool = True) -> None:
        if _overlaps(taken, a, b):
            return
        name = s[a:b]
        key = name_key(name)
        if not key or key in OUTLET_WORDS:
            return
        taken.append((a, b))
        sp = _Speaker(name, key, base + a, base + b, title, is_person, idx)
        out.append(sp)
        if is_person:
            ctx.known_surnames.add(surname_key(name))
        _row(
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

    for m in _POST_RE.finditer(s):
        if m.group(0).lower() in ("said", "says", "added", "told", "explained", "noted"):
            # "X said" is handled below; "said X" only when a name follows at once
            pass
        got = _name_in_window(ctx, s, m.end())
        if got:
            a, b, title = got
            if re.search(r"\b(?:pemerintahan|administration)\s*$", s[:a], re.I):
                a = s.rfind(" ", 0, a - 1) + 1 if s[:a].strip() else a
                add(a, b, None, "post", is_person=False)
            else:
                add(a, b, title, "post")
    for m in _ACCORDING_RE.finditer(s):
        got = _name_in_window(ctx, s, m.end())
        if got:
            add(got[0], got[1], got[2], "according")
    for m in _PRE_RE.finditer(s):
        prefix = s[: m.start()]
        run = re.search(rf"({_CAP_TOKEN}(?:\s+{_CAP_TOKEN})*)\s*$", prefix)
        if not run:
            continue
        segs = _split_names(run.group(1), run.start(1), ctx)
        if segs and segs[-1][1] == run.end(1):
            a, b = segs[-1]
            add(a, b, _title_before(s, a), "pre")
        elif run.group(1).lower() in ORGS or name_key(run.group(1)) in ORGS:
            add(run.start(1), run.end(1), None, "pre", is_person=False)
    return out


# --- quotes and carry-over -------------------------------------------------------


def _quote_state(s: str, open_in: bool) -> tuple[bool, bool]:
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


def _carry_speaker(ctx: _Ctx, idx: int, sp: _Speaker, a: int, b: int, how: str) -> None:
    _row(
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
