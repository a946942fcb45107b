"""Counts of no one: "tidak ada WNI yang menjadi korban", "no one was killed".

:func:`negated_counts` reads the counts a sentence says are zero (a zero cue,
then a status in its clause, a blocker such as "belum ada laporan" saying
nothing is known yet); :func:`zero_claims` makes them count claims of value 0,
whose population meets other outlets' counts of it (see ``claims.same_fact``).
The words are ``zero_cues``, ``zero_blockers`` and ``victim_words`` in
``lang/<code>/claims.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.rows import GENERIC_PEOPLE, make_claim
from consistency.claims.slots import (
    BEFALLS,
    RELATIVE_WORDS,
    Token,
    clause_breaks,
    cue_lists,
    match_at,
    phrases,
    tokens,
)
from consistency.claims.values import Value


def _zero_cues() -> tuple[tuple[str, ...], ...]:
    return phrases("zero_cues")


@cache
def _zero_blockers() -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get("zero_blockers", []))


@cache
def _victim_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get("victim_words", []))


@dataclass(frozen=True)
class ZeroReading:
    """A count said to be none ("tidak ada WNI yang menjadi korban", "no one was killed")."""

    first: int
    last: int
    status: str
    population: int | None


def negated_counts(toks: list[Token], reach: int = 7) -> list[ZeroReading]:
    """Counts a sentence says are zero: a zero cue followed, in its clause, by a status.

    The status is the nearest status cue after the zero cue; a word for
    victims alone ("korban", "casualties") makes it ``casualties``. A blocker
    between them ("no reports of casualties", "belum ada laporan korban")
    says nothing is known yet, which is not a zero. ``population`` is the
    token right after the cue when it is a word that names no status (the
    raw population, as for a figure: "tidak ada WNI ...").
    """
    out: list[ZeroReading] = []
    breaks = clause_breaks() - RELATIVE_WORDS  # "tidak ada WNI yang menjadi korban"
    statuses = [(c, sl) for c, sl in cue_lists()["status"] if sl in BEFALLS]
    aboard = [c for c, sl in cue_lists()["status"] if sl == "aboard"]
    i = 0
    while i < len(toks):
        cue = next((c for c in _zero_cues() if _match_exact(toks, i, c)), None)
        if cue is None:
            i += 1
            continue
        last = i + len(cue) - 1
        status: str | None = None
        acronym: int | None = None
        j = last
        while j + 1 < min(len(toks), last + 1 + reach + 3):
            j += 1
            t = toks[j]
            if (
                t.text == "("
                and j + 2 < len(toks)
                and toks[j + 1].acronym
                and toks[j + 2].text == ")"
            ):
                # "tidak ada warga negara Indonesia (WNI) yang ...": the acronym names them
                acronym = acronym if acronym is not None else j + 1
                j += 2
                continue
            if t.is_punct or t.is_number or t.text in breaks or t.text in _zero_blockers():
                break
            hit = next(((c, sl) for c, sl in statuses if match_at(toks, j, c)), None)
            if hit is None and t.text in _victim_words():
                hit = ((t.text,), "casualties")
            if hit is not None:
                after = j + len(hit[0])
                blocked = hit[0][-1] in _zero_blockers() or (
                    after < len(toks) and toks[after].text in _zero_blockers()
                )
                if not blocked:
                    status = hit[1]  # not "no death toll", a figure not yet given
                break
        if status is not None:
            pop = acronym if acronym is not None else _zero_population(toks, last + 1, aboard)
            out.append(ZeroReading(i, last, status, pop))
        i = last + 1
    return out


def _zero_population(toks: list[Token], at: int, aboard: list[tuple[str, ...]]) -> int | None:
    """The population of a zero count: a population or people-aboard word, or an acronym."""
    if at >= len(toks):
        return None
    if any(match_at(toks, at, c) for c, _ in cue_lists()["pop"]) or any(
        match_at(toks, at, c) for c in aboard
    ):
        return at
    return at if toks[at].acronym else None


def _match_exact(toks: list[Token], i: int, cue: tuple[str, ...]) -> bool:
    return i + len(cue) <= len(toks) and all(toks[i + k].text == c for k, c in enumerate(cue))


def zero_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """Counts a sentence says are none: value 0 at the zero cue ("tidak ada", "no one").

    "tidak ada WNI yang menjadi korban" gives casualties 0 among 'wni', which
    meets "2 WNI luka ringan" (see ``link``: a zero of victims meets every
    victim status of its population).
    """
    text, base, idx = sent["text"], sent["start"], sent["sent_idx"]
    toks = tokens(text)
    out = []
    for z in negated_counts(toks):
        a, b = toks[z.first].start, toks[z.last].end
        pop = toks[z.population].text if z.population is not None else None
        if pop in GENERIC_PEOPLE:
            pop = None
        out.append(
            make_claim(
                aid,
                idx,
                z.status,
                "count",
                base + a,
                base + b,
                text[a:b],
                Value(0.0, 0.0, 0.0, "exact"),
                cue=text[a:b].lower(),
                detail={"population": pop, "zero": True, "qualifier_surface": None},
            )
        )
    return out
