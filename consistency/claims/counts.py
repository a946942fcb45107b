"""Counts and measures of a sentence -> CLAIMS rows (slot, subject, value, qualifier).

Reads the number facts with the words before and after each value
(:mod:`consistency.claims.slots`): status, population, place, facet,
ranges ("600 hingga 700"), remainders ("dua bus lainnya"), nationalities,
changes and denials; and counts said to be none ("tidak ada WNI yang menjadi
korban", "no one was killed") as zeros of their status.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.built import _thing_age_re
from consistency.claims.clock import _nearest_person
from consistency.claims.forecasts import forecast_before
from consistency.claims.places import (
    PLACED_SLOTS,
    place_after,
    place_before,
)
from consistency.claims.rows import (
    _RANGE_GAP,
    _YEAR_OLD_RE,
    GENERIC_PEOPLE,
    _age_words,
    _claim,
    _token_span,
    headline_like,
    units,
)
from consistency.claims.slots import (
    SlotReading,
    Token,
    aboard_facet,
    clause_breaks,
    is_status_word,
    negated_counts,
    occurrence,
    part_of,
    predicate_status,
    read_slot,
    status_before,
    tokens,
    whole_of,
)
from consistency.claims.updates import UPDATE, after_update_verb
from consistency.claims.values import Value
from consistency.names import NUMBER_WORDS, SCALES, name_key


@cache
def _change_re() -> re.Pattern[str]:
    data = lang.merged("claims")
    cues = "|".join(sorted(map(re.escape, data.get("change_cues", [])), key=len, reverse=True))
    quals = "|".join(
        sorted(map(re.escape, data.get("change_qualifiers", [])), key=len, reverse=True)
    )
    return re.compile(rf"(?i)(?<![\w-])(?:{cues or '(?!)'})\s+(?:(?:{quals or '(?!)'})\s+)?$")


def _change_before(before: str) -> bool:
    """Whether a change word stands right before a measure ("turun 10 ribu kaki")."""
    return bool(_change_re().search(before))


@cache
def _denial_re() -> re.Pattern[str]:
    cues = lang.merged("claims").get("denial_cues", [])
    alt = "|".join(sorted(map(re.escape, cues), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?i)(?<![\w-])(?:{alt})(?![\w-])")


def _denied_before(before: str) -> bool:
    """Whether a denial cue comes before a figure in its sentence (it reports a denied figure)."""
    return bool(_denial_re().search(before))


@cache
def _other_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get("other_words", []))


def _remainder_after(toks: list[Token], last: int) -> bool:
    """An other-word right after the figure or its noun ("dua bus lainnya", "two other buses")."""
    near = [t.text for t in toks[max(0, last - 1) : last + 3]]
    return any(w in _other_words() for w in near)


def _name_number(text: str, toks: list[Token], first: int, last: int) -> bool:
    """A plain number that is part of a capitalised name.

    "KRI Nanggala-402", "Boeing 737": a number of three digits or more after a
    capitalised word names the thing (a hull, a model); a count after a name is
    followed by what it counts ("Itaewon 154 orang"), which the caller checks.
    "Lapas Kelas 1 Tangerang", "Terminal 3 Soekarno-Hatta": in a sentence (not
    a title-cased headline) a number between two capitalised words is inside a
    name, whatever its length.
    """
    if first < 1 or first != last:
        return False
    prev, num = toks[first - 1], toks[first]
    if not (text[prev.start : prev.start + 1].isupper() and prev.text.isalpha()):
        return False
    if text[prev.end : num.start] not in (" ", "-") or not re.fullmatch(r"\d+", num.text):
        return False
    nxt = toks[last + 1] if last + 1 < len(toks) else None
    if (
        nxt is not None
        and first >= 2  # a sentence's first word is capitalised whatever it is
        and not nxt.acronym  # "Sebanyak 2 WNI": what it counts
        and text[num.end : nxt.start] == " "
        and text[nxt.start : nxt.start + 1].isupper()
        and re.fullmatch(r"[^\W\d_][\w'’-]*", nxt.text) is not None
        and not headline_like(text)
    ):
        return True
    if first < 2 or not re.fullmatch(r"\d{3,}", num.text):
        return False
    return (nxt.text if nxt is not None else "") not in GENERIC_PEOPLE


@cache
def _coordinators() -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get("coordinators", []))


def joined_noun(toks: list[Token], last: int, noun: str | None) -> str | None:
    """The noun coordinated with a figure's counted noun, with no figure of its own.

    "379 penumpang dan awak": the figure counts both groups together, everyone
    aboard, a different fact from the passengers alone ("367 penumpang dan 12
    awak" gives each its own figure, and returns None here). Only the facets
    aboard are told apart so: "57 students and teachers" and "61 siswa" are two
    accounts of the people a bus carried.
    """
    i = last + 1
    if not noun or i + 2 >= len(toks) or toks[i].text != noun:
        return None
    if toks[i + 1].text not in _coordinators():
        return None
    other = toks[i + 2]
    if not other.text.isalpha() or other.text in NUMBER_WORDS or other.text in clause_breaks():
        return None
    if other.acronym or is_status_word(other.text):
        return None
    nxt = toks[i + 3] if i + 3 < len(toks) else None
    if nxt is not None and (nxt.is_number or nxt.text in NUMBER_WORDS):
        return None
    return other.text


def _persons_before(persons: list[dict[str, Any]], pos: int, sent: str, base: int) -> str | None:
    """The person whose mention ends just before ``pos`` ("Amanda, 19", "Adan (20")."""
    for p in sorted(persons, key=lambda r: -r["end"]):
        gap = sent[p["end"] - base : pos - base]
        if p["end"] <= pos and re.fullmatch(r"\s*[,(]?\s*(?:berusia|usia|umur|aged)?\s*", gap):
            return name_key(p["surface"])
    return None


_NATION_AFTER = re.compile(
    r"\s+(?:orang\s+)?(?:warga\s+negara|warga|WN)\s+(?P<c>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)"
    r"|\s+(?P<e>[A-Z][\w-]+)\s+(?:nationals|citizens)\b"
)
_NATION_BEFORE = re.compile(r"(?P<c>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s*\(\s*$")
_PEOPLE_CLOSE = re.compile(r"\s*(?:orang|people|jiwa|korban)?\s*\)")


def _nationality(text: str, a: int, b: int) -> str | None:
    """The country a figure counts people of ("empat warga negara Iran", "Iran (5 orang)").

    Lists of victims by nationality give each country its own count; read as
    a population, they are not compared with the whole toll.
    """
    m = _NATION_AFTER.match(text, b)
    if m:
        return (m.group("c") or m.group("e")).lower()
    before = _NATION_BEFORE.search(text[max(0, a - 60) : a])  # a bounded look back
    if before and _PEOPLE_CLOSE.match(text, b):
        return before.group("c").lower()
    return None


def _number_claims(
    aid: str,
    sent: dict[str, Any],
    nums: list[dict[str, Any]],
    persons: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Count, measure and age claims of one sentence.

    A bare count of people whose clause names no status is read again over
    the whole sentence before it ("korban tewas ... mencapai 2.300 orang").
    """
    text, base, idx = sent["text"], sent["start"], sent["sent_idx"]
    toks = tokens(text)
    out: list[dict[str, Any]] = []
    located = []
    for f in nums:
        d = json.loads(f["detail"]) if f["detail"] else {}
        numtxt = d.get("number") or f["surface"]
        rel = f["surface"].find(numtxt)
        a = f["start"] - base + max(rel, 0)
        b = a + len(numtxt)
        # the scale word ("3 ribu", "100 thousand") belongs to the value
        sm = re.match(r"\s*(" + "|".join(map(re.escape, SCALES)) + r")\b", text[b:], re.I)
        if sm:
            b += sm.end()
        located.append((f, d, a, b))
    skip: set[int] = set()
    for k, (f, d, a, b) in enumerate(located):
        if k in skip or f["value_num"] is None:
            continue
        value = float(f["value_num"])
        qual = f["qualifier"] or "exact"
        lo = hi = value
        if qual == "vague" and d.get("range"):
            lo, hi = float(d["range"][0]), float(d["range"][1])
        start = a
        # "600 hingga 700", "10-15 detik": one range claim
        if k + 1 < len(located):
            f2, d2, a2, b2 = located[k + 1]
            if f2["value_num"] is not None and _RANGE_GAP.match(text[b:a2]):
                lo, hi = value, float(f2["value_num"])
                if lo < hi:
                    qual, b = "range", b2
                    skip.add(k + 1)
        span = _token_span(toks, start, b)
        if span is None:
            continue
        first, last = span
        nxt = toks[last + 1].text if last + 1 < len(toks) else ""
        nxt2 = " ".join(t.text for t in toks[last + 1 : last + 3])
        reading = read_slot(toks, first, last)
        unit = units().get(nxt2) or units().get(nxt)
        detail: dict[str, Any] = {}
        if qual == "range":
            value = (lo + hi) / 2
        v_lo, v_hi = (lo, hi) if qual in ("vague", "range") else (value, value)
        if (
            nxt in _age_words()
            or nxt2 in _age_words()
            or (reading.measure == "age" and nxt in _age_words())
        ):
            who = _persons_before(persons, base + a, text, base)
            if who is None and reading.measure != "age":
                continue  # "20 tahun" of a duration, not an age
            out.append(
                _claim(
                    aid,
                    idx,
                    "age",
                    "age",
                    base + a,
                    base + b,
                    text[a:b],
                    Value(value, v_lo, v_hi, qual),
                    subject=who,
                    cue=reading.cue or nxt,
                )
            )
            continue
        if unit is not None:
            dim, factor = unit
            if dim == "duration" and (
                re.match(
                    r"\s*(?:dan\s+|and\s+)?\d",
                    text[toks[last + 1].end :] if last + 1 < len(toks) else "",
                )
                or re.search(r"\d+\s*\w+\s*(?:dan\s+|and\s+)?$", text[:a])
            ):
                continue  # a part of "4 menit 41 detik": not a duration of its own
            slot = reading.measure or dim
            if slot == "age":
                slot = dim
            if _change_before(text[:a]):
                detail["change"] = True  # "turun 10 ribu kaki": how far it fell, not where it was
            detail["unit"] = nxt2 if units().get(nxt2) else nxt
            detail["occurrence"] = occurrence(toks, first, last)
            val = Value(value * factor, v_lo * factor, v_hi * factor, qual)
            kind = "measure"
        elif reading.measure == "magnitude" and qual == "vague":
            continue  # "Hundreds of buildings ... magnitude 7.8": a count word is no magnitude
        elif reading.measure == "magnitude":
            slot, val, kind = "magnitude", Value(value, v_lo, v_hi, qual), "measure"
            detail["occurrence"] = occurrence(toks, first, last)
        else:
            if (
                first > 0
                and toks[first - 1].acronym
                and text[toks[first - 1].end : a] in ("", " ", "-")
            ):
                continue  # "pesawat Sriwijaya Air SJ 182": a flight (or hull) number, not a count
            if first == 0 and re.match(r"\d{1,2}[.)]\s", text[a:]):
                continue  # "5. Pengungsi ratusan orang": the number of a list's item
            if _name_number(text, toks, first, last) and reading.population is None:
                continue  # "KRI Nanggala 402 hilang kontak", "Boeing 737 jatuh": part of a name
            pop = reading.population
            raw = (f["unit"] or "").split(" ")[0].lower() or None
            others = raw in _other_words()
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
            if pop is None and raw and raw not in GENERIC_PEOPLE and not _RANGE_GAP.match(raw):
                cue_words = (reading.cue or "").split()
                if not any(raw == c or (len(c) >= 4 and c in raw) for c in cue_words):
                    pop = raw  # not the word that named the status ("11 nyawa melayang")
            nation = _nationality(text, a, b)
            if nation is not None:
                pop = nation  # "empat warga negara Iran", "Iran (5 orang)": counted by nationality
            if whole_of(toks, first):
                # "tiga dari 11 pendaki selamat", "lima dari enam orang tewas": the
                # whole counts the climbers or the people, not the rescued or the dead
                reading = SlotReading(None, None, reading.population, reading.cue)
                detail["whole"] = True
            part = part_of(toks, first, last)
            if part is not None:
                # a part of a breakdown takes the status of what is broken
                # down ("korban meninggal terdiri atas 11 penumpang bus"); a
                # part with a status of its own is a figure of that status
                # ("total 64 korban, terdiri atas 11 orang meninggal ...")
                head = status_before(toks, part) if part < first else None
                if reading.status in (None, "aboard") and head:
                    reading = SlotReading(head, None, reading.population, reading.cue)
                    if pop is None and reading.population is None and raw:
                        pop = raw if raw not in GENERIC_PEOPLE else None
                    detail["part"] = True
                elif part == first:
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
                    detail["part"] = True
                elif reading.status is None or reading.status == head:
                    detail["part"] = True
            if (
                reading.status is None
                and (pop is None or nation or others)
                and reading.measure is None
                and not detail.get("whole")
            ):
                wide = read_slot(toks, first, last, wide=True)
                if wide.status:
                    reading = SlotReading(wide.status, None, None, wide.cue)
            if reading.status is None and reading.measure is None and (pop is not None or raw):
                # "sepuluh siswa yang menjadi penumpang bus ... meninggal dunia",
                # "More than 1,300 people from neighbourhoods near the depot had to leave"
                said = predicate_status(toks, last)
                if said is not None and not detail.get("part") and not whole_of(toks, first):
                    reading = SlotReading(said[0], None, reading.population, said[1])
            named = reading.status or (reading.population and "count") or None
            if named is None:
                # a bare figure: compared only when a later comparator names it
                if raw is None or raw in GENERIC_PEOPLE:
                    if not after_update_verb(text[max(0, a - 40) : a]):
                        continue
                    named = UPDATE  # "kini angkanya menjadi 13 orang": resolved per article
                else:
                    named = "count"
            slot = named
            if reading.measure in ("depth", "height", "distance") and reading.status is None:
                continue  # a measure with no unit we know (but "sejauh ini 2 orang luka")
            joined = joined_noun(toks, last, raw)
            if slot == "aboard" and (pop is None or aboard_facet(pop)):
                # "56 penumpang" / "ditambah 6 awak": whom a count aboard counts
                pop = aboard_facet(pop) or aboard_facet(reading.cue)
                if joined and aboard_facet(joined) not in (None, pop):
                    pop = None  # "379 penumpang dan awak": everyone aboard
            detail["population"] = pop
            if slot == "count" and pop and _remainder_after(toks, last):
                detail["remainder"] = True  # "dua bus lainnya": the others, not all of them
            val = Value(value, v_lo, v_hi, qual)
            kind = "count"
        if _denied_before(text[:a]):
            continue  # "membantah kabar yang menyebut ada dua WNI menjadi korban"
        detail["qualifier_surface"] = text[max(0, f["start"] - base) : a].strip() or None
        if forecast_before(text[:a]):
            detail["forecast"] = True
        out.append(
            _claim(
                aid,
                idx,
                slot,
                kind,
                base + a,
                base + b,
                text[a:b],
                val,
                subject=place_after(text, b)
                or (place_before(text, a) if slot in PLACED_SLOTS else None),
                cue=reading.cue,
                detail=detail,
            )
        )
    # "Yamagami, 41," and "the 67-year-old": ages without "tahun"
    for m in _YEAR_OLD_RE.finditer(text):
        if _thing_age_re().match(text, m.start()):
            continue  # "the 44-year-old vessel": the age of a thing (see _built_claims)
        who = _nearest_person(persons, base + m.start())
        if who:
            n = float(m.group("n"))
            out.append(
                _claim(
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
    for p in persons:
        am = re.match(r",\s*(\d{1,3})\s*(?=[,)])", text[p["end"] - base :])
        if am and 1 <= int(am.group(1)) <= 110:
            n = float(am.group(1))
            s0 = p["end"] + am.start(1)
            if any(c["start"] == s0 for c in out):
                continue
            out.append(
                _claim(
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
    return out


def _zero_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
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
            _claim(
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
