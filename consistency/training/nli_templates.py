"""Synthetic NLI pairs from templates: a bilingual fact (who, what, where, when, how
many) rendered twice, once changed (speaker, number, day, place: contradiction) or not
(entailment), and denied/admitted stances. The names and claims of the held-apart
slice differ from the training ones.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from consistency.training.nli_corpora import NLIPair
from consistency.training.nli_words import (
    DAYS_EN,
    DAYS_ID,
    EVENTS,
    MONTHS_EN,
    PLACES,
    PLACES_EN,
    ROLES,
    SAY_EN,
    SAY_ID,
    STANCE,
    another,
    changed_number,
)


@dataclass(frozen=True)
class _Fact:
    """One news-like event rendered in Indonesian and English."""

    first: str
    last: str
    role: int
    say: int
    count: int
    event: int
    day: int
    date: int
    month: int
    place: str


def _render(f: _Fact, lang: str, *, day: bool = True, place: bool = True) -> str:
    role_id, role_en = ROLES[f.role]
    noun_id, noun_en, ev_id, ev_en = EVENTS[f.event]
    name = f"{f.first} {f.last}"
    if lang == "id":
        when = f" pada hari {DAYS_ID[f.day]} ({f.date}/{f.month + 1})" if day else ""
        where = f" di {f.place}" if place else ""
        return (
            f"{role_id[0].upper()}{role_id[1:]} {name} {SAY_ID[f.say]}{when} bahwa {f.count} "
            f"{noun_id} {ev_id}{where}."
        )
    when = f" on {DAYS_EN[f.day]}, {MONTHS_EN[f.month]} {f.date}," if day else ""
    where = f" in {PLACES_EN.get(f.place, f.place)}" if place else ""
    return f"{role_en[0].upper()}{role_en[1:]} {name} {SAY_EN[f.say]}{when} that {f.count} {noun_en} {ev_en}{where}."  # noqa: E501


def template_pairs(rng: random.Random, n: int, names: Sequence[tuple[str, str]]) -> list[NLIPair]:
    """Pairs from bilingual news templates: every phenomenon, in id-id, en-en and id-en."""
    out: list[NLIPair] = []
    for _ in range(n):
        f = _Fact(
            *rng.choice(names),
            role=rng.randrange(len(ROLES)),
            say=rng.randrange(4),
            count=rng.choice([rng.randint(2, 60), rng.randint(60, 5000)]),
            event=rng.randrange(len(EVENTS)),
            day=rng.randrange(7),
            date=rng.randint(1, 28),
            month=rng.randrange(12),
            place=rng.choice(PLACES),
        )
        lp, lh = rng.choice([("id", "id"), ("id", "id"), ("en", "en"), ("id", "en"), ("en", "id")])
        prem = _render(f, lp)
        kind = rng.choice(
            ["speaker", "number", "weekday", "date", "place", "para", "para", "neutral"]
        )
        if kind == "speaker":
            first, last = rng.choice([nm for nm in names if nm[1] != f.last])
            hyp, lab = _render(_replace(f, first=first, last=last), lh), "contradiction"
        elif kind == "number":
            hyp, lab = (
                _render(_replace(f, count=changed_number(rng, f.count)), lh),
                "contradiction",
            )
        elif kind == "weekday":
            d = another(rng, [str(i) for i in range(7)], str(f.day))
            hyp, lab = _render(_replace(f, day=int(d)), lh), "contradiction"
        elif kind == "date":
            if rng.random() < 0.5:
                g = _replace(f, date=int(another(rng, [str(i) for i in range(1, 29)], str(f.date))))
            else:
                g = _replace(f, month=int(another(rng, [str(i) for i in range(12)], str(f.month))))
            hyp, lab = _render(g, lh), "contradiction"
        elif kind == "place":
            hyp, lab = (
                _render(_replace(f, place=another(rng, PLACES, f.place)), lh),
                "contradiction",
            )
        elif kind == "para":
            # same facts, other verb of saying and/or a dropped detail
            g = _replace(f, say=rng.randrange(4))
            hyp = _render(g, lh, day=rng.random() < 0.6, place=rng.random() < 0.6)
            lab = "entailment"
            kind = "translation" if lp != lh else "paraphrase"
        else:
            # the hypothesis adds a detail the premise does not have
            prem = _render(f, lp, day=False, place=rng.random() < 0.5)
            hyp, lab = _render(f, lh, day=True), "neutral"
            kind = "added_detail"
        out.append(NLIPair(prem, hyp, lab, "synthetic", kind))
    return out


def _replace(f: _Fact, **changes: object) -> _Fact:
    from dataclasses import replace

    return replace(f, **changes)  # type: ignore[arg-type]


def stance_pairs(
    rng: random.Random,
    n: int,
    names: Sequence[tuple[str, str]],
    claims: Sequence[tuple[str, str]],
) -> list[NLIPair]:
    """Denied vs admitted ("membantah" vs "mengakui"), across and within languages."""
    out: list[NLIPair] = []
    for _ in range(n):
        first, last = rng.choice(names)
        claim_id, claim_en = rng.choice(claims)
        v1 = rng.randrange(len(STANCE))
        same = rng.random() < 0.4
        if same:
            pol = STANCE[v1][2]
            v2 = rng.choice([i for i, s in enumerate(STANCE) if s[2] == pol])
        else:
            v2 = rng.choice([i for i, s in enumerate(STANCE) if s[2] != STANCE[v1][2]])
        lp, lh = rng.choice([("id", "id"), ("id", "id"), ("en", "en"), ("id", "en")])

        def say(
            lang: str,
            v: int,
            first: str = first,
            last: str = last,
            cid: str = claim_id,
            cen: str = claim_en,
        ) -> str:
            if lang == "id":
                return f"{first} {last} {STANCE[v][0]} bahwa {cid}."
            return f"{first} {last} {STANCE[v][1]} that {cen}."

        label = "entailment" if same else "contradiction"
        out.append(NLIPair(say(lp, v1), say(lh, v2), label, "synthetic", "denied_admitted"))
    return out
