"""Counts and measures of a sentence -> CLAIMS rows (slot, subject, value, qualifier).

Reads the number facts with the words before and after each value
(:mod:`consistency.claims.slots`): status, population, place, facet,
ranges ("600 hingga 700"), remainders ("dua bus lainnya"), nationalities,
changes and denials; and counts said to be none ("tidak ada pendaki yang menjadi
korban", "no one was killed") as zeros of their status.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from consistency.claims.ages import add_comma_ages, year_old_ages
from consistency.claims.conversions import share_conversions
from consistency.claims.count_words import (
    change_before,
    denied_before,
    joined_noun,
    name_number,
    nationality,
    other_words,
    persons_before,
    remainder_after,
)
from consistency.claims.forecasts import forecast_before
from consistency.claims.places import (
    PLACED_SLOTS,
    place_after,
    place_before,
)
from consistency.claims.rows import (
    GENERIC_PEOPLE,
    RANGE_GAP,
    age_words,
    make_claim,
    token_span,
    units,
)
from consistency.claims.slot_table import THINGS
from consistency.claims.slots import (
    SlotReading,
    Token,
    aboard_facet,
    clause_breaks,
    is_status_word,
    occurrence,
    part_of,
    predicate_status,
    read_slot,
    status_before,
    tokens,
    whole_of,
)
from consistency.claims.updates import UPDATE, after_update_verb
from consistency.claims.values import Value, rounding_step
from consistency.text.numbers import NUMBER_WORDS, SCALES


@dataclass(frozen=True)
class _Sentence:
    """One sentence being read: its article, index, text, offset, tokens and persons."""

    aid: str
    idx: int
    text: str
    base: int
    toks: list[Token]
    persons: list[dict[str, Any]]


_Located = tuple[dict[str, Any], dict[str, Any], int, int]
"""A number fact, its detail and its value's span in the sentence."""


@dataclass(frozen=True)
class _Figure:
    """One value of a sentence: its fact, spans, next words and value bounds."""

    fact: dict[str, Any]
    a: int  # the value's span in the sentence text (with its scale word, or a range's end)
    b: int
    first: int  # the first and last token of that span
    last: int
    nxt: str  # the word after it, and the two words after it
    nxt2: str
    value: float
    lo: float
    hi: float
    qual: str


@dataclass(frozen=True)
class _Found:
    """What a figure is about: its slot, kind, value and the cue that said so."""

    slot: str
    kind: str
    val: Value
    cue: str | None


def number_claims(
    aid: str,
    sent: dict[str, Any],
    nums: list[dict[str, Any]],
    persons: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Count, measure and age claims of one sentence.

    A bare count of people whose clause names no status is read again over
    the whole sentence before it ("korban tewas ... mencapai 2.300 orang").
    """
    text = sent["text"]
    sc = _Sentence(aid, sent["sent_idx"], text, sent["start"], tokens(text), persons)
    located = _locate(sc, nums)
    out: list[dict[str, Any]] = []
    skip: set[int] = set()
    for k, (f, _d, _a, _b) in enumerate(located):
        if k in skip or f["value_num"] is None:
            continue
        fig = _figure(sc, located, k, skip)
        if fig is None:
            continue
        claim = _value_claim(sc, fig)
        if claim is not None:
            out.append(claim)
    share_conversions(out, sc.text, sc.base)
    out.extend(year_old_ages(sc.aid, sc.idx, sc.text, sc.base, sc.persons))
    add_comma_ages(sc.aid, sc.idx, sc.text, sc.base, sc.persons, out)
    return out


def _locate(sc: _Sentence, nums: list[dict[str, Any]]) -> list[_Located]:
    """Where each number fact's value stands in the sentence, with its scale word."""
    located = []
    for f in nums:
        d = json.loads(f["detail"]) if f["detail"] else {}
        numtxt = d.get("number") or f["surface"]
        rel = f["surface"].find(numtxt)
        a = f["start"] - sc.base + max(rel, 0)
        b = a + len(numtxt)
        # the scale word ("3 ribu", "100 thousand") belongs to the value
        sm = re.match(r"\s*(" + "|".join(map(re.escape, SCALES)) + r")\b", sc.text[b:], re.I)
        if sm:
            b += sm.end()
        located.append((f, d, a, b))
    return located


def _figure(sc: _Sentence, located: list[_Located], k: int, skip: set[int]) -> _Figure | None:
    """The value ``located[k]``, joined with the next one into a range (added to ``skip``)."""
    f, d, a, b = located[k]
    value = float(f["value_num"])
    qual = f["qualifier"] or "exact"
    lo = hi = value
    if qual == "vague" and d.get("range"):
        lo, hi = float(d["range"][0]), float(d["range"][1])
    start = a
    # "600 hingga 700", "10-15 detik": one range claim
    if k + 1 < len(located):
        f2, d2, a2, b2 = located[k + 1]
        if f2["value_num"] is not None and RANGE_GAP.match(sc.text[b:a2]):
            lo, hi = value, float(f2["value_num"])
            if lo < hi:
                qual, b = "range", b2
                skip.add(k + 1)
    span = token_span(sc.toks, start, b)
    if span is None:
        return None
    first, last = span
    toks = sc.toks
    nxt = toks[last + 1].text if last + 1 < len(toks) else ""
    nxt2 = " ".join(t.text for t in toks[last + 1 : last + 3])
    if qual == "range":
        value = (lo + hi) / 2
    v_lo, v_hi = (lo, hi) if qual in ("vague", "range") else (value, value)
    return _Figure(f, a, b, first, last, nxt, nxt2, value, v_lo, v_hi, qual)


def _value_claim(sc: _Sentence, fig: _Figure) -> dict[str, Any] | None:
    """The claim one figure makes: an age, a measure, a magnitude, a count, or none."""
    reading = read_slot(sc.toks, fig.first, fig.last)
    unit = units().get(fig.nxt2) or units().get(fig.nxt)
    if (
        fig.nxt in age_words()
        or fig.nxt2 in age_words()
        or (reading.measure == "age" and fig.nxt in age_words())
    ):
        return _age_claim(sc, fig, reading)
    detail: dict[str, Any] = {}
    found: _Found | None
    if unit is not None:
        found = _measure_claim(sc, fig, reading, unit, detail)
    elif reading.measure == "magnitude" and fig.qual == "vague":
        return None  # "Hundreds of buildings ... magnitude 7.8": a count word is no magnitude
    elif reading.measure == "magnitude":
        found = _magnitude_claim(sc, fig, reading, detail)
    else:
        found = _count_claim(sc, fig, reading, detail)
    if found is None:
        return None
    return _claim_row(sc, fig, found, detail)


def _age_claim(sc: _Sentence, fig: _Figure, reading: SlotReading) -> dict[str, Any] | None:
    """The age a figure before an age word gives the person just before it, if any."""
    a, b = fig.a, fig.b
    who = persons_before(sc.persons, sc.base + a, sc.text, sc.base)
    if who is None and reading.measure != "age":
        return None  # "20 tahun" of a duration, not an age
    return make_claim(
        sc.aid,
        sc.idx,
        "age",
        "age",
        sc.base + a,
        sc.base + b,
        sc.text[a:b],
        Value(fig.value, fig.lo, fig.hi, fig.qual),
        subject=who,
        cue=reading.cue or fig.nxt,
    )


def _duration_part(sc: _Sentence, fig: _Figure) -> bool:
    """Whether a duration is one part of a longer one ("4 menit 41 detik")."""
    toks, last = sc.toks, fig.last
    return bool(
        re.match(
            r"\s*(?:dan\s+|and\s+)?\d",
            sc.text[toks[last + 1].end :] if last + 1 < len(toks) else "",
        )
        or re.search(r"\d+\s*\w+\s*(?:dan\s+|and\s+)?$", sc.text[: fig.a])
    )


def _measure_claim(
    sc: _Sentence,
    fig: _Figure,
    reading: SlotReading,
    unit: tuple[str, float],
    detail: dict[str, Any],
) -> _Found | None:
    """The measure a figure with a unit gives (depth, distance, duration ...), if any."""
    dim, factor = unit
    if dim == "duration" and _duration_part(sc, fig):
        return None  # a part of "4 menit 41 detik": not a duration of its own
    slot = reading.measure or dim
    if slot == "age":
        slot = dim
    if change_before(sc.text[: fig.a]):
        detail["change"] = True  # "turun 10 ribu kaki": how far it fell, not where it was
    detail["unit"] = fig.nxt2 if units().get(fig.nxt2) else fig.nxt
    detail["occurrence"] = occurrence(sc.toks, fig.first, fig.last)
    val = Value(fig.value * factor, fig.lo * factor, fig.hi * factor, fig.qual)
    if factor != 1.0:
        # "about 6 miles" is written to the mile, not to the metre it converts to
        detail["step"] = rounding_step(fig.value) * factor
    return _Found(slot, "measure", val, reading.cue)


def _magnitude_claim(
    sc: _Sentence, fig: _Figure, reading: SlotReading, detail: dict[str, Any]
) -> _Found:
    """The magnitude a figure read as one gives ("magnitudo 7,8")."""
    detail["occurrence"] = occurrence(sc.toks, fig.first, fig.last)
    return _Found("magnitude", "measure", Value(fig.value, fig.lo, fig.hi, fig.qual), reading.cue)


def _count_claim(
    sc: _Sentence, fig: _Figure, reading: SlotReading, detail: dict[str, Any]
) -> _Found | None:
    """The count a plain figure gives (status, population, part, whole), if it counts."""
    if _not_a_count(sc, fig, reading):
        return None
    raw, others = _counted_noun(sc, fig)
    pop, nation = _population(sc, fig, reading, raw)
    reading = _whole_reading(sc, fig, reading, detail)
    reading, pop = _part_reading(sc, fig, reading, pop, raw, detail)
    reading = _status_elsewhere(sc, fig, reading, pop, raw, bool(nation or others), detail)
    slot = _count_slot(sc, fig, reading, raw)
    if slot is None:
        return None
    if reading.measure in ("depth", "height", "distance") and reading.status is None:
        return None  # a measure with no unit we know (but "sejauh ini 2 orang luka")
    pop = _aboard_population(sc, fig, slot, reading, pop, raw)
    detail["population"] = pop
    if slot == "count" and pop and remainder_after(sc.toks, fig.last):
        detail["remainder"] = True  # "dua bus lainnya": the others, not all of them
    return _Found(slot, "count", Value(fig.value, fig.lo, fig.hi, fig.qual), reading.cue)


def _not_a_count(sc: _Sentence, fig: _Figure, reading: SlotReading) -> bool:
    """Whether a plain figure numbers a thing (a flight, a list item, a name), not a count."""
    toks, text, first, a = sc.toks, sc.text, fig.first, fig.a
    if first > 0 and toks[first - 1].acronym and text[toks[first - 1].end : a] in ("", " ", "-"):
        return True  # "pesawat Nusa Angkasa NA 417": a flight (or hull) number, not a count
    if first == 0 and re.match(r"\d{1,2}[.)]\s", text[a:]):
        return True  # "5. Pengungsi ratusan orang": the number of a list's item
    if name_number(text, toks, first, fig.last) and reading.population is None:
        return True  # "KRI Nanggala 402 hilang kontak", "Boeing 737 jatuh": part of a name
    return False


def _counted_noun(sc: _Sentence, fig: _Figure) -> tuple[str | None, bool]:
    """The noun a figure counts, and whether it counts the others ("dua lainnya")."""
    toks, last = sc.toks, fig.last
    raw = (fig.fact["unit"] or "").split(" ")[0].lower() or None
    others = raw in other_words()
    if others and last + 2 < len(toks):
        # "dua lainnya anak-anak": two others, children
        nxt_tok = toks[last + 2]
        if nxt_tok.text.isalpha() or "-" in nxt_tok.text:
            if not is_status_word(nxt_tok.text) and nxt_tok.text not in clause_breaks():
                raw = nxt_tok.text
    if raw is None and last + 1 < len(toks) and toks[last + 1].acronym:
        raw = toks[last + 1].text  # "2 WNI luka ringan": citizens, by acronym
    if raw and raw.endswith("nya") and len(raw) > 6:
        raw = raw[:-3]  # "warganya" counts "warga"
    return raw, others


def _population(
    sc: _Sentence, fig: _Figure, reading: SlotReading, raw: str | None
) -> tuple[str | None, str | None]:
    """Whom a figure counts (its reading's population, its noun, a nationality), and the nation."""
    pop = reading.population
    if pop is None and raw and raw not in GENERIC_PEOPLE and not RANGE_GAP.match(raw):
        cue_words = (reading.cue or "").split()
        if not any(raw == c or (len(c) >= 4 and c in raw) for c in cue_words):
            pop = raw  # not the word that named the status ("11 nyawa melayang")
    nation = nationality(sc.text, fig.a, fig.b)
    if nation is not None:
        pop = nation  # "empat warga negara Iran", "Iran (5 orang)": counted by nationality
    return pop, nation


def _whole_reading(
    sc: _Sentence, fig: _Figure, reading: SlotReading, detail: dict[str, Any]
) -> SlotReading:
    """A figure that is the whole of a part ("dari 11 pendaki") loses its status."""
    if whole_of(sc.toks, fig.first):
        # "tiga dari 11 pendaki selamat", "lima dari enam orang tewas": the
        # whole counts the climbers or the people, not the rescued or the dead
        reading = SlotReading(None, None, reading.population, reading.cue)
        detail["whole"] = True
    return reading


def _part_reading(
    sc: _Sentence,
    fig: _Figure,
    reading: SlotReading,
    pop: str | None,
    raw: str | None,
    detail: dict[str, Any],
) -> tuple[SlotReading, str | None]:
    """The status and population of a figure that is a part of a breakdown."""
    toks, first = sc.toks, fig.first
    part = part_of(toks, first, fig.last)
    if part is None:
        return reading, pop
    # a part of a breakdown takes the status of what is broken
    # down ("korban meninggal terdiri atas 8 penumpang angkot"); a
    # part with a status of its own is a figure of that status
    # ("total 37 korban, terdiri atas 5 orang meninggal ...")
    head = status_before(toks, part) if part < first else None
    if reading.status in (None, "aboard") and head:
        reading = SlotReading(head, None, reading.population, reading.cue)
        if pop is None and reading.population is None and raw:
            pop = raw if raw not in GENERIC_PEOPLE else None
        detail["part"] = True
    elif part == first:
        reading, pop = _part_before_whole(sc, fig, reading, pop)
        detail["part"] = True
    elif reading.status is None or reading.status == head:
        detail["part"] = True
    return reading, pop


def _part_before_whole(
    sc: _Sentence, fig: _Figure, reading: SlotReading, pop: str | None
) -> tuple[SlotReading, str | None]:
    """The status and population of a part said first ("tiga dari 11 pendaki selamat")."""
    toks, first, last = sc.toks, fig.first, fig.last
    # "tiga dari 11 pendaki selamat": the part has the status
    # and the population said after the whole
    whole = next(
        (
            j
            for j in range(last + 1, min(len(toks), last + 4))
            if toks[j].is_number or toks[j].text in NUMBER_WORDS
        ),
        None,
    )
    if reading.status is None and whole is not None:
        after = read_slot(toks, whole, whole)
        if after.status:
            reading = SlotReading(after.status, None, after.population, after.cue)
            pop = pop or after.population
    if reading.status is None and whole is None:
        # "80 orang tewas, 12 di antaranya warga asing": a part
        # of the figure said just before, of its status
        head = status_before(toks, first)
        if head:
            reading = SlotReading(head, None, reading.population, reading.cue)
    return reading, pop


def _status_elsewhere(
    sc: _Sentence,
    fig: _Figure,
    reading: SlotReading,
    pop: str | None,
    raw: str | None,
    nation_or_others: bool,
    detail: dict[str, Any],
) -> SlotReading:
    """A status read further off: the wider clause, else a predicate after the figure."""
    toks, first, last = sc.toks, fig.first, fig.last
    if (
        reading.status is None
        and (pop is None or nation_or_others)
        and reading.measure is None
        and not detail.get("whole")
    ):
        wide = read_slot(toks, first, last, wide=True)
        if wide.status:
            reading = SlotReading(wide.status, None, None, wide.cue)
    if reading.status is None and reading.measure is None and (pop is not None or raw):
        # "tujuh santri yang menjadi penumpang truk ... meninggal dunia",
        # "More than 2,400 residents of villages along the river had to leave"
        said = predicate_status(toks, last)
        things = pop in THINGS  # "12 rumah hanyut dan 40 warga mengungsi": no house flees
        if said is not None and not things and not detail.get("part") and not whole_of(toks, first):
            reading = SlotReading(said[0], None, reading.population, said[1])
    return reading


def _count_slot(sc: _Sentence, fig: _Figure, reading: SlotReading, raw: str | None) -> str | None:
    """The slot a count fills: its status, a plain count, an update, or none."""
    named = reading.status or (reading.population and "count") or None
    if named is None:
        # a bare figure: compared only when a later comparator names it
        if raw is None or raw in GENERIC_PEOPLE:
            if not after_update_verb(sc.text[max(0, fig.a - 40) : fig.a]):
                return None
            named = UPDATE  # "kini angkanya menjadi 21 orang": resolved per article
        else:
            named = "count"
    return named


def _aboard_population(
    sc: _Sentence,
    fig: _Figure,
    slot: str,
    reading: SlotReading,
    pop: str | None,
    raw: str | None,
) -> str | None:
    """Whom a count aboard counts (passengers, crew, everyone); other counts keep theirs."""
    joined = joined_noun(sc.toks, fig.last, raw)
    if slot == "aboard" and (pop is None or aboard_facet(pop)):
        # "56 penumpang" / "ditambah 6 awak": whom a count aboard counts
        pop = aboard_facet(pop) or aboard_facet(reading.cue)
        if joined and aboard_facet(joined) not in (None, pop):
            pop = None  # "379 penumpang dan awak": everyone aboard
    return pop


def _claim_row(
    sc: _Sentence, fig: _Figure, found: _Found, detail: dict[str, Any]
) -> dict[str, Any] | None:
    """The CLAIMS row of a figure read, with its place; None for a denied figure."""
    text, a, b = sc.text, fig.a, fig.b
    if denied_before(text[:a]):
        return None  # "membantah kabar yang menyebut ada tiga nelayan menjadi korban"
    detail["qualifier_surface"] = text[max(0, fig.fact["start"] - sc.base) : a].strip() or None
    if forecast_before(text[:a]):
        detail["forecast"] = True
    return make_claim(
        sc.aid,
        sc.idx,
        found.slot,
        found.kind,
        sc.base + a,
        sc.base + b,
        text[a:b],
        found.val,
        subject=place_after(text, b)
        or (place_before(text, a) if found.slot in PLACED_SLOTS else None),
        cue=found.cue,
        detail=detail,
    )
