"""Quantities of a sentence -> ``number`` FACTS rows.

Digits, number words and vague amounts ("puluhan", "ratusan") with the unit
after them and the qualifier before them ("lebih dari 30 rudal"); pages,
phone numbers, ordinals and spans the date reader masked are not quantities.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from consistency import lang
from consistency.facts.context import Ctx, fact_row, overlaps
from consistency.facts.words import (
    BRIDGED_QUAL_RE,
    QUAL_MAP,
    QUAL_RE,
    UNIT_STOPWORDS,
    UNIT_SYNONYMS,
)
from consistency.text.numbers import (
    NUMBER_WORDS,
    SCALES,
    VAGUE_NUMBERS,
    parse_decimal,
    parse_number_words,
)
from consistency.text.spans import TakenSpans

# --- numbers -----------------------------------------------------------------

_PAGE_RE = re.compile(
    r"\b\d+\s+dari\s+\d+\s+halaman\b|\bhalaman\s+\d+(?:\s+dari\s+\d+)?\b"
    r"|\bpage\s+\d+(?:\s+of\s+\d+)?\b|\b\d+\s+of\s+\d+\s+pages?\b",
    re.I,
)
_PHONE_RE = re.compile(r"(?:\+\d{1,3}[\s-]?)?\(?\d[\d\s().-]{7,}\d")
_ORDINAL_RE = re.compile(
    r"\bke-?\s?\d+\b|\b\d+(?:st|nd|rd|th)\b|\b(?:No|no|Nomor|nomor|Pasal|pasal|No\.)\s*\.?\s*\d+"
    r"|#\d+"
)
_DIGITS_RE = re.compile(r"(?<![\w.,])(?P<cur>(?:Rp|US\$|\$|USD|IDR)\s?)?(?P<num>\d+(?:[.,]\d+)*)")
_SCALE_RE = re.compile(
    r"\s*(?P<scale>ribu|juta|miliar|milyar|triliun|thousand|million|billion|trillion)\b", re.I
)
_VAGUE_RE = re.compile(
    r"\b(?P<v>"
    + "|".join(sorted((re.escape(v) for v in VAGUE_NUMBERS), key=len, reverse=True))
    + r")\b(?:\s+of\b)?",
    re.I,
)
_NUMWORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_WORDNUM_RE = re.compile(
    rf"(?<![\w-])(?:{_NUMWORD})(?:\s+(?:(?:dan|and)\s+)?(?:{_NUMWORD}))*(?![\w-])", re.I
)


@cache
def _measure_units() -> frozenset[str]:
    """Written units of a measure in any language ("jam", "hours", "km"): what a half may be of."""
    units = lang.merged("claims").get("units", {})
    return frozenset(w.lower() for w in units) | frozenset(
        w.lower() + "s" for w in units if w.isalpha() and len(w) > 2
    )


_HALF_RE = re.compile(
    rf"(?<![\w-])(?:(?P<n>\d+|(?:{_NUMWORD}))\s+(?:and\s+)?)?(?:a\s+)?(?P<half>half|setengah)"
    rf"(?:\s+an?)?(?=\s+(?P<unit>[^\W\d_]+))"
    rf"|(?<![\w-])(?:an?|satu)\s+(?P<unit1>[^\W\d_]+)\s+(?:and\s+a\s+half|setengah)(?![\w-])",
    re.I,
)
"""Halves of a unit: "five and a half hours", "half an hour", "an hour and a half",
"setengah jam", "dua setengah jam" (2.5). A half of no unit ("setengah tiang",
half-mast) is no figure."""


def half_figures(s: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of each half figure in ``s``, the unit left after ``end``."""
    out = []
    units = _measure_units()
    for m in _HALF_RE.finditer(s):
        if m.group("unit1"):
            if m.group("unit1").lower() not in units:
                continue
            # "an hour and a half": the figure is 1.5, its unit the word inside it
            out.append((m.start(), m.start("unit1"), 1.5))
            continue
        if (m.group("unit") or "").lower() not in units:
            continue
        n = m.group("n")
        whole = (parse_decimal(n) if n[0].isdigit() else parse_number_words(n.split())) if n else 0
        out.append((m.start(), m.end(), (whole or 0.0) + 0.5))
    return out


def _unit_after(s: str, pos: int, lang: str) -> tuple[str | None, str | None, int]:
    """The counted object after position ``pos``: (surface, key, end position)."""
    rest = s[pos:]
    m = re.match(r"\s*(%|persen\b|percent\b)", rest, re.I)
    if m:
        return m.group(1), "percent", pos + m.end()
    words: list[str] = []
    end = pos
    for wm in re.finditer(r"\S+", rest):
        if wm.start() > 0 and not rest[: wm.start()].strip() == "" and not words:
            break
        raw = wm.group(0)
        w = raw.rstrip(',.;:!?)"”’')
        if not w or not re.fullmatch(r"[^\W\d_][\w-]*", w):
            break
        if w.lower() in UNIT_STOPWORDS or w.lower() in SCALES or (w[0].isupper() and words):
            break
        if w[0].isupper() and not words and lang != "en":
            break
        words.append(w)
        end = pos + wm.start() + len(w)
        if len(words) == 2 or w != raw:
            break
    if not words:
        return None, None, pos
    first = words[0].lower()
    for suf in ("nya",):
        if first.endswith(suf) and len(first) > len(suf) + 3:
            first = first[: -len(suf)]
    if lang == "en" and first.endswith("s") and len(first) > 3 and first not in UNIT_SYNONYMS:
        first = first[:-1]
    key = UNIT_SYNONYMS.get(first, first)
    return " ".join(words), key, end


def _qualifier_before(s: str, pos: int) -> tuple[str, int]:
    m = QUAL_RE.search(s[max(0, pos - 30) : pos]) or BRIDGED_QUAL_RE.search(
        s[max(0, pos - 45) : pos]
    )
    if m and m.re is BRIDGED_QUAL_RE:
        return QUAL_MAP[m.group(1).lower()], max(0, pos - 45) + m.start(1)
    if not m:
        return "exact", pos
    return QUAL_MAP[m.group(1).lower()], max(0, pos - 30) + m.start(1)


_PAIR_RE = re.compile(r"(?<![\w.,-])\d{1,2}\s?[-–]\s?\d{1,2}(?![\w.,-])")


@cache
def _score_cue_re() -> re.Pattern[str]:
    cues = sorted(lang.merged("claims").get("score_cues", []), key=len, reverse=True)
    alt = "|".join(re.escape(c) for c in cues) or "(?!)"
    return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])(?:\s+\S+){{0,4}}\s+$", re.I)


def score_spans(s: str) -> list[tuple[int, int]]:
    """Scores ("menang 4-2", "won 3-1", "skor akhir 0-1"): a pair of small figures
    within five words after a score cue (``score_cues`` in the language files).
    Neither figure is a count."""
    cue = _score_cue_re()
    return [
        m.span() for m in _PAIR_RE.finditer(s) if cue.search(s[max(0, m.start() - 60) : m.start()])
    ]


def word_figures(s: str) -> list[tuple[int, int, int, float]]:
    """(start, end of its number words, end with a scale word after them, value) of each
    figure written in words ("dua ratus", "three million")."""
    out = []
    for m in _WORDNUM_RE.finditer(s):
        a, b = m.span()
        words = m.group(0).split()
        if words[0][0].isupper() and a > 2:
            continue  # "Lima" the city; number words are lower-case mid-sentence
        if re.search(r"\bsalah\s+$", s[max(0, a - 7) : a]) or s[b : b + 1] == "-":
            continue  # "salah satu", "satu-satunya"
        value = parse_number_words(words)
        if value is None or (len(words) == 1 and value < 2):
            continue
        end = b
        sm = _SCALE_RE.match(s, b)
        if sm and sm.group("scale").lower() not in [w.lower() for w in words]:
            value *= SCALES[sm.group("scale").lower()]
            end = sm.end()
        out.append((a, b, end, value))
    return out


def number_facts(ctx: Ctx, idx: int, s: str, base: int, masked: list[tuple[int, int]]) -> None:
    skip = list(masked) + score_spans(s)
    for rx in (_PAGE_RE, _ORDINAL_RE):
        skip += [m.span() for m in rx.finditer(s)]
    for m in _PHONE_RE.finditer(s):
        if sum(c.isdigit() for c in m.group(0)) >= 9:
            skip.append(m.span())
    found: list[tuple[int, int]] = []
    taken = TakenSpans(skip)  # skip and found: a sentence of many figures stays linear

    def emit(a: int, b: int, value: float, qual_default: str, extra: dict[str, Any]) -> None:
        qual, qa = _qualifier_before(s, a)
        if qual_default == "vague":
            qual = "vague"
        unit, key, ue = _unit_after(s, b, ctx.lang)
        cur = extra.pop("currency", None)
        if cur:
            unit, key = cur, UNIT_SYNONYMS.get(cur.lower().strip("$ "), "usd")
            ue = b
        end = max(b, ue)
        fact_row(
            ctx,
            idx,
            "number",
            base + qa,
            base + end,
            key,
            value_num=value,
            unit=unit,
            qualifier=qual,
            detail={"number": s[a:b], **extra},
        )
        found.append((a, b))
        taken.add(a, b)

    for a, b, half in half_figures(s):
        if not taken.overlaps(a, b) and not overlaps(skip, a, b):
            emit(a, b, half, "exact", {"half": True})
    for m in _VAGUE_RE.finditer(s):
        if overlaps(skip, *m.span()):
            continue
        lo, hi = VAGUE_NUMBERS[m.group("v").lower()]
        emit(m.start(), m.end(), lo, "vague", {"range": [lo, hi]})
    for m in _DIGITS_RE.finditer(s):
        a, b = m.span("num")
        if taken.overlaps(a, b):
            continue
        prev = s[max(0, a - 2) : a]
        nxt = s[b : b + 2]
        if re.match(r"[A-Za-z]-$", prev) or re.match(r"\w", prev[-1:] or " "):
            continue  # Mohajer-6, F16: model designations
        if nxt[:1] and (nxt[:1].isalpha() or nxt[:1] in "/:" or re.match(r"-\w", nxt)):
            continue  # 2nd, 5G, 30/8, 1990-an
        value = parse_decimal(m.group("num"), ctx.lang)
        if value is None:
            continue
        extra: dict[str, Any] = {}
        if m.group("cur"):
            extra["currency"] = m.group("cur").strip()
        sm = _SCALE_RE.match(s, b)
        if sm:
            value *= SCALES[sm.group("scale").lower()]
            b = sm.end()
        if 1800 <= value <= 2100 and re.fullmatch(r"\d{4}", m.group("num")):
            continue
        emit(m.start("cur") if m.group("cur") else a, b, value, "exact", extra)
    for a, words_end, b, value in word_figures(s):
        if not taken.overlaps(a, words_end):
            emit(a, b, value, "exact", {"words": True})
