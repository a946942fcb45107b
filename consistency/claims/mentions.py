"""Names and credited sources -> ``name`` and ``speaker`` CLAIMS rows.

Every mention of a person or a named place (not only the first), appositive
names, sources credited by a reporting verb, bodies and places told apart
from people, and pronoun speakers resolved to the last named one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from consistency import lang
from consistency.claims.places import (
    ends_in_direction,
)
from consistency.claims.rows import CALENDAR_WORDS, make_claim, place_re
from consistency.claims.values import Value
from consistency.text.names import name_key
from consistency.text.spans import TakenSpans

_DATELINE_HEAD = re.compile(r"^\s*[A-Z]{3,}(?:[ ,]+[A-Z][\w.]*){0,2}\s*[:\u2013\u2014-]\s*")
"""A dateline that opens a sentence ("TUNIS: ", "SUBANG, West Java: "): the word after it is
sentence-initial."""

_DATELINE_PLACE = re.compile(
    r"^\s*(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
    r"(?:\s*,\s*[\w.]+(?:\s+[\w.]+)?)?\s*[\u2013\u2014-]\s+(?=[A-Z\"“])"
)
"""The place a dateline names ("Sukamulyo, KT - Banjir ...", "OSLO – The ..."): where
the story was filed, a place name whatever its position."""

_PROPER_RE = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}")


def _mention(
    aid: str, sent: dict[str, Any], a: int, b: int, slot: str, detail: dict[str, Any]
) -> dict[str, Any]:
    """A ``name`` or ``speaker`` claim for ``sent["text"][a:b]`` (sentence offsets)."""
    base, text = sent["start"], sent["text"]
    return make_claim(
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


_NAME_RUN = r"[A-Z][\w'’.-]*+(?:\s++(?:bin|binti|al|el|van|de|di)?\s*+[A-Z][\w'’.-]*+){0,4}"
"""A name of up to five words. The words and the spaces between them are possessive:
in the source patterns a word is followed by a space, a comma or the end of the
match, never by a name character, so giving characters back could never make a
match, only cost time."""

_NAME_CHARS = re.compile(r"[\w'’.-]+")
"""A run of the characters a word of :data:`_NAME_RUN` is made of."""

_CAPITAL = re.compile(r"[A-Z]")


def name_run_matches(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern that opens with :data:`_NAME_RUN`, in linear time.

    A match can start only at a capital. Two capitals in one run of name
    characters ("Aaa-Bbb-Ccc") give the name's first word the same end, and
    nothing before that end is looked at again, so the later capital matches
    only where the earlier one does: ``finditer`` tries every capital of the
    run and reads the run to its end from each (quadratic in the run's length
    on "Aaa-Bbb-Ccc-..." 100 KB long). Here only the first capital of each run
    (at or after the end of the previous match) is tried, which finds the same
    matches.
    """
    pos = 0
    while True:
        for run in _NAME_CHARS.finditer(text, pos):
            cap = _CAPITAL.search(text, run.start(), run.end())
            if cap is None:
                continue
            m = rx.match(text, cap.start())
            if m is not None:
                yield m
                pos = m.end()
                break
        else:
            return


@cache
def source_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
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


def source_claims(
    aid: str, sent: dict[str, Any], taken: list[tuple[int, int]], common: frozenset[str]
) -> list[dict[str, Any]]:
    """Who a sentence credits, read from reporting verbs ("Han menyebut", "ujar Yoon").

    The facts stage finds most speakers; this adds those named right before a
    reporting verb or right after a crediting word, as ``speaker`` claims.
    """
    text, base = sent["text"], sent["start"]
    out = []
    spans = TakenSpans(taken)
    named_first, credited_after = source_res()
    for found in (name_run_matches(named_first, text), credited_after.finditer(text)):
        for m in found:
            a, b = m.span("name")
            detail: dict[str, Any] = {"how": "verb", "is_person": None, "title": None}
            app = _appositive_name(text, b, common)
            if app is not None:
                # "Petugas Pos Lawu, Joko Susilo, melaporkan": the person, not the office
                detail["title"] = text[a:b]
                a, b = app
            words = [w for w in text[a:b].split() if w.lower() not in common]
            if not words:
                continue
            if spans.overlaps(base + a, base + b):
                continue
            taken.append((base + a, base + b))
            spans.add(base + a, base + b)
            out.append(_mention(aid, sent, a, b, "speaker", detail))
    return out


_MID_CAP_RE = re.compile(
    r"(?:^[\w'’-]+|(?<![\w'’-])(?:[a-z][\w'’-]*|\d[\d.,]*))[,;)]?"
    r" ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*)"
)
"""A run of capitalised words after a whole lower-case word, a figure or the sentence's
first word ("kata Sandira Putri", "ujar Yoon,", "Menurut Budi"), group 1; not the
words after a capitalised word inside a sentence ("Banjir Bandang" in a headline)."""
_WORD_TOKEN_RE = re.compile(r"[^\W\d_][\w'’-]*")


def mid_sentence_capitals(texts: list[str]) -> frozenset[str]:
    """Capitalised words the cluster writes after a lower-case word: evidence of a name.

    A capital at the start of a sentence or in a title-case headline says
    nothing ("Here are", "Pekan Ini"); after a lower-case word it does.
    """
    return frozenset(
        w
        for t in texts
        if not _title_case(t)
        for m in _MID_CAP_RE.finditer(t)
        for w in m.group(1).split()
    )


_WORDY_CHUNK = re.compile(r"(?<!\S)[^\s\w]*+(\w)\S*+")
"""A whitespace-separated chunk with a word character in it; group 1 is the first one."""


def _past_dateline(text: str) -> int:
    """An offset after which no word is sentence-initial, even after a dateline.

    A dateline has at most three words ("SUBANG, West Java: "), so a word with
    four whitespace-separated chunks holding a word character before it is not
    the sentence's first word: the offset is where the fourth such chunk's first
    word character is (the text's length when there are fewer). Reading the
    text before every name again is then needed only near the start.
    """
    for k, m in enumerate(_WORDY_CHUNK.finditer(text)):
        if k == 3:
            return m.start(1)
    return len(text)


def _title_case(text: str) -> bool:
    """A headline: four or more words, most capitalised, no closing full stop."""
    words = _WORD_TOKEN_RE.findall(text)
    if text.rstrip().endswith((".", '."', ".”")):
        return False
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def place_spans(text: str) -> list[tuple[int, int]]:
    """The places a sentence names: the one its dateline names, then each after a place
    preposition ("di Desa Sukamaju")."""
    dateline = _DATELINE_PLACE.match(text)
    out = [dateline.span("place")] if dateline is not None else []
    return out + [m.span() for m in place_re().finditer(text)]


def name_claims(
    aid: str,
    sent: dict[str, Any],
    people: list[dict[str, Any]],
    speakers: list[dict[str, Any]],
    common: frozenset[str],
    mid_caps: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    text, base = sent["text"], sent["start"]
    headline = _title_case(text)
    past_head = _past_dateline(text)
    out = []
    seen: set[tuple[int, int]] = set()
    spans = TakenSpans()
    for f in people:
        if (f["start"], f["end"]) in seen:
            continue
        seen.add((f["start"], f["end"]))
        spans.add(f["start"], f["end"])
        out.append(
            make_claim(
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
    for a, b in place_spans(text):
        if spans.overlaps(base + a, base + b):
            continue
        seen.add((base + a, base + b))
        spans.add(base + a, base + b)
        out.append(_mention(aid, sent, a, b, "name", {"entity": "place"}))
    # other proper names: capitalised words never written in lower case in the
    # cluster (a sentence-initial "Sandira" counts, "Kemudian" does not)
    for m in _PROPER_RE.finditer(text):
        words = [w for w in m.group(0).split() if w.lower() not in common]
        if not words or (len(words) == 1 and len(words[0]) < 4):
            continue
        a = m.start() + m.group(0).find(words[0])
        b = m.start() + m.group(0).rfind(words[-1]) + len(words[-1])
        initial = a <= past_head and not _DATELINE_HEAD.sub("", text[:a]).strip(" \"'“‘([-–—")
        if (headline or initial) and not all(w in mid_caps for w in words):
            continue  # a capital the position explains, not a name the cluster knows
        if spans.overlaps(base + a, base + b):
            continue
        seen.add((base + a, base + b))
        spans.add(base + a, base + b)
        out.append(_mention(aid, sent, a, b, "name", {"entity": "proper"}))
    for f in speakers:
        d = json.loads(f["detail"]) if f["detail"] else {}
        start, end, surface = f["start"], f["end"], f["surface"]
        title, is_person = d.get("title"), d.get("is_person")
        app = _appositive_name(text, end - base, common)
        if app is not None:
            # "ujar Kepala Basarnas Semarang, Andi Wijaya": the office, then the person
            title, is_person = surface, None
            start, end = base + app[0], base + app[1]
            surface = text[app[0] : app[1]]
        out.append(
            make_claim(
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
    """The person named right after a credited office ("Kepala Basarnas, Andi Wijaya,")."""
    m = _APPOSITIVE_RE.match(text, pos)
    if m is None:
        return None
    words = m.group("name").split()
    if any(w.lower() in common or w.lower() in CALENDAR_WORDS for w in words):
        return None  # "..., Senin (12/5)" or ordinary words, not a name
    return m.span("name")


def mark_bodies_and_places(
    rows: list[dict[str, Any]], common: frozenset[str], places: frozenset[str]
) -> None:
    """Credited sources that name a place or a body, not a person: ``is_person`` false.

    A region ("Jawa Barat"), a place the cluster names after "di"/"in"
    ("Libya"), a name that ends with a word for a kind of place ("Lumajang
    Regency") or is one with one name ("Kabupaten Lumajang"), or a name of words the cluster
    also writes in lower case or of organisation words only ("Badan Nasional
    Penanggulangan Bencana").
    """
    claims_words = lang.merged("claims")
    org = {w.lower() for w in claims_words.get("organisation_words", [])}
    kinds_of_place = {w.lower() for w in claims_words.get("place_words", [])}
    for r in rows:
        if r["slot"] != "speaker":
            continue
        words = r["value"].split()
        if not words:
            continue
        body = all(w in common or w in org for w in words) and any(w in org for w in words)
        # "Lumajang Regency", "Kabupaten Lumajang"; not a title run that holds a
        # place word ("Angkatan Laut Laksamana TNI Yudo Margono")
        place = words[-1] in kinds_of_place or (len(words) == 2 and words[0] in kinds_of_place)
        if ends_in_direction(r["surface"]) or r["value"] in places or body or place:
            d = json.loads(r["detail"]) if r["detail"] else {}
            d["is_person"] = False
            r["detail"] = json.dumps(d, ensure_ascii=False, sort_keys=True)


def resolve_pronoun_speakers(rows: list[dict[str, Any]]) -> None:
    """A speaker credited by a pronoun ("Ia menambahkan", "jelasnya") is the last one named.

    The facts stage resolved it to its own last speaker; here it follows the
    claims' speakers, whose offices and names are told apart ("Kepala
    Basarnas, Andi Wijaya" credits Andi Wijaya). "He", "ia", "-nya" stand for
    a person: a place or a body read as a speaker ("..., Lumajang Regency, East
    Java Province, he said") is passed over.
    """
    last: dict[str, dict[str, Any]] = {}
    for r in sorted(
        (r for r in rows if r["slot"] == "speaker"), key=lambda r: (r["article_id"], r["start"])
    ):
        d = json.loads(r["detail"]) if r["detail"] else {}
        prev = last.get(r["article_id"])
        if d.get("how") == "pronoun":
            if prev is not None:
                r["surface"], r["value"] = prev["surface"], prev["value"]
        elif d.get("is_person") is not False:
            last[r["article_id"]] = r
