"""Claims stage: FACTS -> CLAIMS, what each value is about.

Takes ARTICLES, SENTENCES and FACTS (see :mod:`consistency.types`) and returns
a CLAIMS frame: one row per value a reader could compare with another
outlet's, with its slot (what it is about), subject, language-free value,
qualifier and span.

* counts and measures come from the number facts; the slot is read from the
  words before and after the value (:mod:`consistency.claims.slots`), units
  are converted to SI (kilometres and feet to metres, minutes to seconds);
  "600 hingga 700" and "10-15 detik" become one range claim;
* clock times ("pukul 19:00 WIB", "2.53pm local time", "jam 5 sore") become
  ``time`` claims in minutes after midnight, with their zone and precision;
* an age next to a person ("Teguh Amanda, 19 tahun", "Yamagami, 41") is that
  person's ``age``;
* vehicle plates ("bernopol AD 7524 DG") are ``plate`` claims keyed by their
  region and digits;
* every mention of a person or a named place is a ``name`` claim, and every
  credited speaker a ``speaker`` claim, for the entity and attribution
  comparators.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from functools import cache
from typing import Any

import polars as pl

from consistency import lang
from consistency.claims.entities import lowercase_words
from consistency.claims.forecasts import forecast_before
from consistency.claims.places import (
    PLACED_SLOTS,
    ends_in_direction,
    named_places,
    place_after,
    place_before,
)
from consistency.claims.slots import (
    SlotReading,
    Token,
    aboard_facet,
    clause_breaks,
    is_status_word,
    measure_before,
    negated_counts,
    occurrence,
    part_of,
    phrases,
    predicate_status,
    read_slot,
    status_before,
    tokens,
    whole_of,
)
from consistency.claims.times import time_events, time_re, timeline_entry
from consistency.claims.updates import UPDATE, after_update_verb, resolve_updates
from consistency.claims.values import UNOBSERVED, Value
from consistency.lexicon import MONTHS, WEEKDAYS
from consistency.names import NUMBER_WORDS, SCALES, name_key
from consistency.types import ARTICLES, CLAIMS, FACTS, SENTENCES

GENERIC_PEOPLE = frozenset(
    {
        "orang",
        "korban",
        "jiwa",
        "warga",
        "people",
        "persons",
        "person",
        "victims",
        "others",
        "other",
        "lain",
        "lainnya",
        "more",
    }
)
"""Count words that name no population of their own ("11 orang", "11 people")."""

CALENDAR_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS)
"""Capitalised words that are never names ("Senin", "September")."""

_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|hingga|sampai(?: dengan)?|s/d|to|and|dan|atau|or)\s*$", re.I)
_PLATE_RE = re.compile(
    r"(?:nopol|no\.? pol|nomor polisi|pelat(?: nomor)?|plat(?: nomor)?|plate|registration)"
    r"[^A-Za-z0-9]{1,4}(?P<r>[A-Z]{1,2})\s?(?P<d>\d{1,4})\s?(?P<s>[A-Z]{1,3})\b",
    re.I,
)
_BARE_PLATE_RE = re.compile(
    r"(?<![\w.,])(?P<r>[A-Z]{1,2}) (?P<d>\d{1,4}) (?P<s>[A-Z]{1,3})(?![\w.,])"
)
"""An Indonesian plate written without a cue word ("Daihatsu Feroza D 1455 VCD")."""
_YEAR_OLD_RE = re.compile(r"\b(?P<n>\d{1,3})[- ]year[- ]old\b", re.I)


@cache
def units() -> dict[str, tuple[str, float]]:
    """Every language's units: written form (lower case) -> (measure, factor to the base unit)."""
    return {k.lower(): (v[0], float(v[1])) for k, v in lang.merged("claims")["units"].items()}


@cache
def _age_words() -> tuple[str, ...]:
    return tuple(w.lower() for w in lang.merged("claims").get("age_words", []))


@cache
def _place_re() -> re.Pattern[str]:
    words = lang.merged("claims").get("place_words", [])
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"\b(?i:{alt})\.?\s+(?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)?")


def _claim(
    article_id: str,
    sent_idx: int,
    slot: str,
    kind: str,
    start: int,
    end: int,
    surface: str,
    value: Value,
    *,
    subject: str | None = None,
    cue: str | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    if value.num is not None:
        if kind == "time":
            h, m = divmod(int(value.num), 60)
            text = f"{h:02d}:{m:02d}" + ("" if value.zone is None else f"{value.zone:+g}")
        elif value.qualifier == "range":
            text = f"{value.lo:g}-{value.hi:g}"
        else:
            text = f"{value.num:g}"
    else:
        text = value.text or ""
    d = dict(detail or {})
    if kind == "time":
        d.update(
            zone=value.zone,
            precision=value.precision,
            twelve_hour=value.twelve_hour,
            zone_local=value.zone_local,
        )
    return {
        "claim_id": f"{article_id}:{start}-{end}",
        "article_id": article_id,
        "sent_idx": sent_idx,
        "slot": slot,
        "subject": subject,
        "value_kind": kind,
        "value": text,
        "value_num": value.num,
        "value_lo": value.lo,
        "value_hi": value.hi,
        "qualifier": value.qualifier,
        "start": start,
        "end": end,
        "surface": surface,
        "cue": cue,
        "detail": json.dumps(d, ensure_ascii=False, sort_keys=True),
    }


def _token_span(toks: list[Token], a: int, b: int) -> tuple[int, int] | None:
    """The first and last token overlapping ``[a, b)`` (tokens are in offset order)."""
    i = bisect.bisect_right([t.end for t in toks], a)
    idx = []
    while i < len(toks) and toks[i].start < b:
        if toks[i].end > a:
            idx.append(i)
        i += 1
    return (idx[0], idx[-1]) if idx else None


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
    """A plain number of three digits or more that goes on a capitalised name before it.

    "KRI Nanggala-402", "Boeing 737": the number names the thing (a hull, a
    model); a count after a name is followed by what it counts ("Itaewon 154
    orang"), which the caller checks.
    """
    if first < 2 or first != last:
        return False
    prev, num = toks[first - 1], toks[first]
    if not (text[prev.start : prev.start + 1].isupper() and prev.text.isalpha()):
        return False
    if text[prev.end : num.start] not in (" ", "-"):
        return False
    if not re.fullmatch(r"\d{3,}", num.text):
        return False
    nxt = toks[last + 1].text if last + 1 < len(toks) else ""
    return nxt not in GENERIC_PEOPLE


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
            if whole_of(toks, first) and reading.population:
                # "tiga dari 11 pendaki selamat": 11 counts the climbers, not the rescued
                reading = SlotReading(None, None, reading.population, reading.cue)
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
            if slot == "aboard" and (pop is None or aboard_facet(pop)):
                # "56 penumpang" / "ditambah 6 awak": whom a count aboard counts
                pop = aboard_facet(pop) or aboard_facet(reading.cue)
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


@cache
def _built_re() -> re.Pattern[str]:
    cues = lang.merged("claims").get("built_cues", [])
    alt = "|".join(sorted(map(re.escape, cues), key=len, reverse=True)) or "(?!)"
    return re.compile(
        rf"(?i)(?<![\w-])(?:{alt})(?![\w-])(?:\s+[\w-]+){{0,4}}?\s+(?P<y>(?:18|19|20)\d{{2}})(?!\d|[.,]\d)"
    )


@cache
def _thing_age_re() -> re.Pattern[str]:
    things = lang.merged("claims").get("built_things", [])
    alt = "|".join(sorted(map(re.escape, things), key=len, reverse=True)) or "(?!)"
    return re.compile(
        rf"(?i)\b(?P<n>\d{{1,3}})[- ]year[- ]old(?:\s+[\w-]+){{0,2}}?\s+(?:{alt})\b"
        rf"|(?<![\w-])(?:{alt})(?:\s+[\w-]+){{0,3}}?\s+(?:berusia|berumur)\s+(?P<m>\d{{1,3}})\s+tahun\b"
    )


def _built_claims(aid: str, sent: dict[str, Any], published: Any = None) -> list[dict[str, Any]]:
    """The year a thing was built ("kapal yang dibuat di Jerman pada 1979", "built in 1977").

    A built thing's age ("the 44-year-old vessel") gives it too, from the
    publication date: 44 years old in 2021 is built in 1976 or 1977.
    """
    text, base = sent["text"], sent["start"]
    out = []
    if published is not None:
        for m in _thing_age_re().finditer(text):
            group = "n" if m.group("n") else "m"
            y = float(published.year - int(m.group(group)))
            a, b = m.span()  # the whole "44-year-old German-made vessel": what the figure is of
            out.append(
                _claim(
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
            _claim(
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


def _unobserved_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """Measures a sentence says could not be taken ("Ketinggian kolom abu tidak teramati").

    The value is the text ``unobserved``: it meets the measure's figures in
    other statements ("kolom letusan teramati setinggi 3.000 meter") as a
    contradiction, and another "not observed" as the same.
    """
    text, base = sent["text"], sent["start"]
    toks = tokens(text)
    out = []
    for i in range(len(toks)):
        cue = next((c for c in phrases("unobserved_cues") if _exact_at(toks, i, c)), None)
        if cue is None:
            continue
        found = measure_before(toks, i)
        if found is None or found[0] not in ("height", "depth", "distance", "magnitude"):
            continue
        a, b = toks[found[1]].start, toks[i + len(cue) - 1].end
        out.append(
            _claim(
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


def _exact_at(toks: list[Token], i: int, cue: tuple[str, ...]) -> bool:
    return i + len(cue) <= len(toks) and all(toks[i + k].text == w for k, w in enumerate(cue))


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


def _nearest_person(persons: list[dict[str, Any]], pos: int) -> str | None:
    if not persons:
        return None
    p = min(persons, key=lambda r: min(abs(r["end"] - pos), abs(r["start"] - pos)))
    return name_key(p["surface"])


def _time_occurrence(text: str, a: int, b: int) -> str | None:
    toks = tokens(text)
    span = _token_span(toks, a, b)
    return occurrence(toks, *span) if span else None


@cache
def _time_word_re() -> re.Pattern[str]:
    data = lang.merged("claims")
    words = "|".join(sorted(map(re.escape, data.get("time_words", {})), key=len, reverse=True))
    near_words = [w for ws in data.get("time_word_near", {}).values() for w in ws]
    near = "|".join(sorted(map(re.escape, near_words), key=len, reverse=True))
    wd = "|".join(sorted(map(re.escape, WEEKDAYS), key=len, reverse=True))
    return re.compile(
        rf"(?i)(?<![\w-])(?:(?P<near>{near or '(?!)'})\s+)?(?:(?:{wd})\s+)?"
        rf"(?P<w>{words or '(?!)'})(?![\w-])"
    )


def _time_word_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """Clock times named by a word ("just before Friday midnight", "tengah malam").

    The word stands for the hour around it (precision 60 minutes, from half an
    hour before); "just before" or "just after" narrows it to that half hour.
    """
    text, base = sent["text"], sent["start"]
    data = lang.merged("claims")
    minutes_of = {k.lower(): float(v) for k, v in data.get("time_words", {}).items()}
    after_words = {w.lower() for w in data.get("time_word_near", {}).get("after", [])}
    out = []
    for m in _time_word_re().finditer(text):
        at = minutes_of[m.group("w").lower()]
        near = (m.group("near") or "").lower()
        if not near:
            lo, prec = (at - 30) % 1440, 60.0
        elif near in after_words:
            lo, prec = at, 30.0
        else:
            lo, prec = (at - 30) % 1440, 31.0  # up to the moment named, which it may round to
        a, b = m.span()
        events = time_events(text, a, b)
        out.append(
            _claim(
                aid,
                sent["sent_idx"],
                "time",
                "time",
                base + a,
                base + b,
                text[a:b],
                Value(lo, lo, lo, "exact", precision=prec),
                subject=events[0] if events else None,
                cue=None,
                detail={"zone_written": None, "events": events, "entry": False, "word": True},
            )
        )
    return out


def _time_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    data = lang.merged("claims")
    zones = {k.lower(): v for k, v in data["time_zones"].items()}
    parts = {k.lower(): v for k, v in data["time_parts"].items()}
    clock24_cues = {c.lower() for c in data.get("clock24_cues", [])}
    text, base = sent["text"], sent["start"]
    out = []
    for m in time_re().finditer(text):
        cue, hh, mm, part, zone = (m.group(g) for g in ("cue", "h", "m", "part", "zone"))
        h = int(hh)
        strong_cue = cue is not None and cue.lower().split()[-1] in ("pukul", "jam", "pkl", "pkl.")
        if mm is None and not (strong_cue and (part or zone)) and not (part and part[0] in "ap"):
            continue
        if mm is not None and not (strong_cue or part or zone):
            continue
        if mm is not None and int(mm) > 59 or h > 24:
            continue
        if cue and not strong_cue and not (part or zone):
            continue
        ampm = parts.get(part.lower()) if part else None
        clock24 = bool(cue) and cue.lower().split()[-1] in clock24_cues
        if ampm == "pm" and h < 12:
            h += 12
        if ampm == "am" and h == 12:
            h = 0
        minutes = h * 60 + int(mm or 0)
        z = zones.get(zone.lower()) if zone else None
        a = m.start("h")
        b = m.end()
        out.append(
            _claim(
                aid,
                sent["sent_idx"],
                "time",
                "time",
                base + a,
                base + b,
                text[a:b],
                Value(
                    float(minutes),
                    float(minutes),
                    float(minutes),
                    "exact",
                    zone=z,
                    precision=1.0 if mm is not None else 60.0,
                    twelve_hour=ampm is None and 1 <= h <= 12 and not clock24,
                    zone_local=zone is not None and z is None,
                ),
                subject=(events[0] if (events := time_events(text, m.start(), b)) else None),
                cue=cue.lower() if cue else None,
                detail={
                    "zone_written": zone,
                    "events": events,
                    "entry": timeline_entry(text, m.start(), b),
                    "occurrence": _time_occurrence(text, m.start(), b),
                },
            )
        )
    return out


@cache
def _daypart_re() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[float, float]]]:
    parts = {
        k.lower(): (float(v[0]), float(v[1]))
        for k, v in lang.merged("claims").get("dayparts", {}).items()
    }
    wd = "|".join(sorted(map(re.escape, WEEKDAYS), key=len, reverse=True))
    pt = "|".join(sorted(map(re.escape, parts), key=len, reverse=True))
    after = re.compile(rf"\b(?P<wd>{wd})\b(?P<mid>[\s,()/\d\w-]{{0,28}}?)\s(?P<part>{pt})\b", re.I)
    before = re.compile(rf"\b(?P<part>{pt})(?:\s+hari)?,?\s+(?P<wd>{wd})\b", re.I)
    return after, before, parts


def _daypart_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """The part of the day of a weekday ("Minggu, 10 September sore", "Sunday night").

    Its value is the part's span of minutes after midnight; the subject is the
    weekday, so only parts of one day meet, and the moment comes from the
    clause's event cues as for a clock time.
    """
    after, before, parts = _daypart_re()
    text, base = sent["text"], sent["start"]
    out = []
    seen: set[int] = set()
    for m in [*after.finditer(text), *before.finditer(text)]:
        mid = m.groupdict().get("mid") or ""
        if any(w.lower() in WEEKDAYS for w in re.findall(r"[^\W\d_]+", mid)):
            continue  # another weekday in between
        if re.search(r"[^\W\d_]{3,}", mid) and not any(
            w.lower() in MONTHS for w in re.findall(r"[^\W\d_]+", mid)
        ):
            continue  # words in between that are no date ("Minggu ketika ... malam")
        a, b = m.start("part"), m.end("part")
        if a in seen:
            continue
        seen.add(a)
        part = m.group("part").lower()
        lo, hi = parts[part]
        events = time_events(text, m.start(), m.end())
        out.append(
            _claim(
                aid,
                sent["sent_idx"],
                "daypart",
                "daypart",
                base + a,
                base + b,
                text[a:b],
                Value(None, lo, hi, "range", text=part),
                subject=WEEKDAYS[m.group("wd").lower()],
                cue=m.group(0).lower(),
                detail={"events": events, "occurrence": _time_occurrence(text, m.start(), b)},
            )
        )
    return out


def _plate_claims(aid: str, sent: dict[str, Any]) -> list[dict[str, Any]]:
    text, base = sent["text"], sent["start"]
    out = []
    seen: set[int] = set()
    for m in [*_PLATE_RE.finditer(text), *_BARE_PLATE_RE.finditer(text)]:
        a, b = m.start("r"), m.end("s")
        if a in seen:
            continue
        seen.add(a)
        out.append(
            _claim(
                aid,
                sent["sent_idx"],
                "plate",
                "plate",
                base + a,
                base + b,
                text[a:b],
                Value(text=m.group("s").upper()),
                subject=f"{m.group('r').upper()} {m.group('d')}",
                cue="plate",
            )
        )
    return out


_DATELINE_HEAD = re.compile(r"^\s*[A-Z]{3,}(?:[ ,]+[A-Z][\w.]*){0,2}\s*[:\u2013\u2014-]\s*")
"""A dateline that opens a sentence ("TUNIS: ", "SUBANG, West Java: "): the word after it is
sentence-initial."""

_PROPER_RE = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}")


def _mention(
    aid: str, sent: dict[str, Any], a: int, b: int, slot: str, detail: dict[str, Any]
) -> dict[str, Any]:
    """A ``name`` or ``speaker`` claim for ``sent["text"][a:b]`` (sentence offsets)."""
    base, text = sent["start"], sent["text"]
    return _claim(
        aid,
        sent["sent_idx"],
        slot,
        "name",
        base + a,
        base + b,
        text[a:b],
        Value(text=name_key(text[a:b])),
        detail=detail,
    )


_NAME_RUN = r"[A-Z][\w'’.-]*(?:\s+(?:bin|binti|al|el|van|de|di)?\s*[A-Z][\w'’.-]*){0,4}"


@cache
def _source_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = lang.merged("claims")
    before = "|".join(
        sorted(map(re.escape, data.get("reporting_verbs", [])), key=len, reverse=True)
    )
    after = "|".join(sorted(map(re.escape, data.get("reporting_after", [])), key=len, reverse=True))
    return (
        re.compile(
            rf"(?P<name>{_NAME_RUN})(?:,[^,]{{0,60}},)?(?:\s+[a-z]+){{0,2}}?\s+(?i:{before})\b"
        ),
        re.compile(rf"\b(?i:{after})\s+(?:[a-z][\w-]*\s+){{0,3}}?(?P<name>{_NAME_RUN})"),
    )


def _source_claims(
    aid: str, sent: dict[str, Any], taken: list[tuple[int, int]], common: frozenset[str]
) -> list[dict[str, Any]]:
    """Who a sentence credits, read from reporting verbs ("Han menyebut", "ujar Yoon").

    The facts stage finds most speakers; this adds those named right before a
    reporting verb or right after a crediting word, as ``speaker`` claims.
    """
    text, base = sent["text"], sent["start"]
    out = []
    for rx in _source_res():
        for m in rx.finditer(text):
            a, b = m.span("name")
            detail: dict[str, Any] = {"how": "verb", "is_person": None, "title": None}
            app = _appositive_name(text, b, common)
            if app is not None:
                # "Petugas Pos Marapi, Ahmad Rifandi, melaporkan": the person, not the office
                detail["title"] = text[a:b]
                a, b = app
            words = [w for w in text[a:b].split() if w.lower() not in common]
            if not words:
                continue
            if any(s < base + b and base + a < e for s, e in taken):
                continue
            taken.append((base + a, base + b))
            out.append(_mention(aid, sent, a, b, "speaker", detail))
    return out


_MID_CAP_RE = re.compile(r"(?<=[a-z0-9,;)] )[A-Z][\w'’-]+")
_WORD_TOKEN_RE = re.compile(r"[^\W\d_][\w'’-]*")


def mid_sentence_capitals(texts: list[str]) -> frozenset[str]:
    """Capitalised words the cluster writes after a lower-case word: evidence of a name.

    A capital at the start of a sentence or in a title-case headline says
    nothing ("Here are", "Pekan Ini"); after a lower-case word it does.
    """
    return frozenset(m.group(0) for t in texts for m in _MID_CAP_RE.finditer(t))


def _title_case(text: str) -> bool:
    """A headline: four or more words, most capitalised, no closing full stop."""
    words = _WORD_TOKEN_RE.findall(text)
    if text.rstrip().endswith((".", '."', ".”")):
        return False
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _name_claims(
    aid: str,
    sent: dict[str, Any],
    people: list[dict[str, Any]],
    speakers: list[dict[str, Any]],
    common: frozenset[str],
    mid_caps: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    text, base = sent["text"], sent["start"]
    headline = _title_case(text)
    out = []
    seen: set[tuple[int, int]] = set()
    for f in people:
        if (f["start"], f["end"]) in seen:
            continue
        seen.add((f["start"], f["end"]))
        out.append(
            _claim(
                aid,
                sent["sent_idx"],
                "name",
                "name",
                f["start"],
                f["end"],
                f["surface"],
                Value(text=name_key(f["surface"])),
                detail={"entity": "person"},
            )
        )
    for m in _place_re().finditer(text):
        a, b = m.span()
        if any(s < base + b and base + a < e for s, e in seen):
            continue
        seen.add((base + a, base + b))
        out.append(_mention(aid, sent, a, b, "name", {"entity": "place"}))
    # other proper names: capitalised words never written in lower case in the
    # cluster (a sentence-initial "Sandira" counts, "Kemudian" does not)
    for m in _PROPER_RE.finditer(text):
        words = [w for w in m.group(0).split() if w.lower() not in common]
        if not words or (len(words) == 1 and len(words[0]) < 4):
            continue
        a = m.start() + m.group(0).find(words[0])
        b = m.start() + m.group(0).rfind(words[-1]) + len(words[-1])
        initial = not _DATELINE_HEAD.sub("", text[:a]).strip(" \"'“‘([-–—")
        if (headline or initial) and not all(w in mid_caps for w in words):
            continue  # a capital the position explains, not a name the cluster knows
        if any(s < base + b and base + a < e for s, e in seen):
            continue
        seen.add((base + a, base + b))
        out.append(_mention(aid, sent, a, b, "name", {"entity": "proper"}))
    for f in speakers:
        d = json.loads(f["detail"]) if f["detail"] else {}
        start, end, surface = f["start"], f["end"], f["surface"]
        title, is_person = d.get("title"), d.get("is_person")
        app = _appositive_name(text, end - base, common)
        if app is not None:
            # "ujar Kepala Basarnas Padang, Abdul Malik": the office, then the person
            title, is_person = surface, None
            start, end = base + app[0], base + app[1]
            surface = text[app[0] : app[1]]
        out.append(
            _claim(
                aid,
                sent["sent_idx"],
                "speaker",
                "name",
                start,
                end,
                surface,
                Value(text=name_key(surface)),
                detail={"how": d.get("how"), "is_person": is_person, "title": title},
            )
        )
    return out


_APPOSITIVE_RE = re.compile(
    r"\s*,\s*(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})(?=\s*(?:[,.;:\"”)]|$))"
)


def _appositive_name(text: str, pos: int, common: frozenset[str]) -> tuple[int, int] | None:
    """The person named right after a credited office ("Kepala Basarnas, Abdul Malik,")."""
    m = _APPOSITIVE_RE.match(text, pos)
    if m is None:
        return None
    words = m.group("name").split()
    if any(w.lower() in common or w.lower() in CALENDAR_WORDS for w in words):
        return None  # "..., Senin (12/5)" or ordinary words, not a name
    return m.span("name")


def _mark_bodies_and_places(
    rows: list[dict[str, Any]], common: frozenset[str], places: frozenset[str]
) -> None:
    """Credited sources that name a place or a body, not a person: ``is_person`` false.

    A region ("Jawa Barat"), a place the cluster names after "di"/"in"
    ("Libya"), or a name of words the cluster also writes in lower case or of
    organisation words only ("Badan Nasional Penanggulangan Bencana").
    """
    org = {w.lower() for w in lang.merged("claims").get("organisation_words", [])}
    for r in rows:
        if r["slot"] != "speaker":
            continue
        words = r["value"].split()
        if not words:
            continue
        body = all(w in common or w in org for w in words) and any(w in org for w in words)
        if ends_in_direction(r["surface"]) or r["value"] in places or body:
            d = json.loads(r["detail"]) if r["detail"] else {}
            d["is_person"] = False
            r["detail"] = json.dumps(d, ensure_ascii=False, sort_keys=True)


def _resolve_pronoun_speakers(rows: list[dict[str, Any]]) -> None:
    """A speaker credited by a pronoun ("Ia menambahkan", "jelasnya") is the last one named.

    The facts stage resolved it to its own last speaker; here it follows the
    claims' speakers, whose offices and names are told apart ("Kepala
    Basarnas, Abdul Malik" credits Abdul Malik).
    """
    last: dict[str, dict[str, Any]] = {}
    for r in sorted(
        (r for r in rows if r["slot"] == "speaker"), key=lambda r: (r["article_id"], r["start"])
    ):
        how = json.loads(r["detail"]).get("how") if r["detail"] else None
        prev = last.get(r["article_id"])
        if how == "pronoun":
            if prev is not None:
                r["surface"], r["value"] = prev["surface"], prev["value"]
        else:
            last[r["article_id"]] = r


def extract_claims(
    articles: pl.DataFrame, sentences: pl.DataFrame, facts: pl.DataFrame
) -> pl.DataFrame:
    """Turn every comparable fact of every sentence into a claim.

    Args:
        articles: ARTICLES frame.
        sentences: SENTENCES frame.
        facts: FACTS frame.

    Returns:
        A CLAIMS frame sorted by article, sentence and offset; claim ids are unique.
    """
    ARTICLES.validate(articles)
    SENTENCES.validate(sentences)
    FACTS.validate(facts)
    by_sent: dict[tuple[str, int], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for f in facts.iter_rows(named=True):
        by_sent[(f["article_id"], f["sent_idx"])][f["fact_type"]].append(f)
    common = lowercase_words(articles["text"]) | CALENDAR_WORDS
    mid_caps = mid_sentence_capitals(sentences["text"].to_list())
    rows: list[dict[str, Any]] = []
    # the year a thing's age is counted from: its article's publication date, or
    # (an article with none) the date most of the other articles give
    published = dict(zip(articles["article_id"], articles["published"], strict=True))
    known = sorted(d for d in published.values() if d is not None)
    usual = known[len(known) // 2] if known else None
    published = {k: v if v is not None else usual for k, v in published.items()}
    for s in sentences.iter_rows(named=True):
        aid = s["article_id"]
        fs = by_sent.get((aid, s["sent_idx"]), {})
        persons = [f for f in fs.get("person", [])] + [
            f
            for f in fs.get("speaker", [])
            if '"is_person": true' in (f["detail"] or "")
            and '"how": "pronoun"' not in (f["detail"] or "")
        ]
        nums = sorted(fs.get("number", []), key=lambda r: r["start"])
        plates = _plate_claims(aid, s)
        times = _time_claims(aid, s) + _time_word_claims(aid, s) + _daypart_claims(aid, s)
        built = _built_claims(aid, s, published.get(aid)) + _unobserved_claims(aid, s)
        taken = [(c["start"], c["end"]) for c in plates + times + built]
        counts = [
            c
            for c in _number_claims(aid, s, nums, persons)
            if not any(c["start"] < e and a < c["end"] for a, e in taken)
        ]
        rows += counts
        rows += [
            z
            for z in _zero_claims(aid, s)
            if not any(z["start"] < c["end"] and c["start"] < z["end"] for c in counts)
        ]
        rows += times + plates + built
        speakers = [
            f for f in fs.get("speaker", []) if s["start"] <= f["start"] and f["end"] <= s["end"]
        ]
        people = [f for f in persons if s["start"] <= f["start"] and f["end"] <= s["end"]]
        rows += _name_claims(aid, s, people, speakers, common, mid_caps)
        rows += _source_claims(aid, s, [(f["start"], f["end"]) for f in speakers], common)
    _mark_bodies_and_places(rows, common, named_places(sentences["text"].to_list()))
    _resolve_pronoun_speakers(rows)
    rows = resolve_updates(
        rows,
        {
            (a, i): (st, t)
            for a, i, st, t in sentences.select(
                "article_id", "sent_idx", "start", "text"
            ).iter_rows()
        },
    )
    if not rows:
        return CLAIMS.empty()
    df = pl.DataFrame(rows, schema=CLAIMS.polars_schema)
    df = df.unique(subset=["claim_id", "slot"], keep="first", maintain_order=True)
    # a speaker and a name on one span: keep ids unique by suffixing the slot
    df = df.with_columns(
        pl.when(pl.col("claim_id").is_duplicated())
        .then(pl.col("claim_id") + ":" + pl.col("slot"))
        .otherwise(pl.col("claim_id"))
        .alias("claim_id")
    )
    return CLAIMS.validate(df.sort(["article_id", "sent_idx", "start", "slot"]))
