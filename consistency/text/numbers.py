"""Number words and decimals, Indonesian first, English too.

* :func:`parse_number_words` turns Indonesian or English number words into a
  value ("dua ratus enam puluh delapan" -> 268).
* :func:`parse_decimal` reads "5,6" (Indonesian) or "5.6" (English).
* :data:`VAGUE_NUMBERS`: words for an amount without a figure ("puluhan": tens).
"""

from __future__ import annotations

import re

# --- numbers ---------------------------------------------------------------

_ID_UNITS = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}


_ID_SE = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000, "sejuta": 10**6}


_ID_MULT = {"belas": None, "puluh": 10, "ratus": 100}


SCALES: dict[str, float] = {
    "ribu": 1e3,
    "juta": 1e6,
    "miliar": 1e9,
    "milyar": 1e9,
    "triliun": 1e12,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
"""Scale words, Indonesian and English."""


_EN_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}


NUMBER_WORDS = frozenset(
    set(_ID_UNITS) | set(_ID_SE) | set(_ID_MULT) | set(SCALES) | set(_EN_UNITS) | {"hundred"}
)
"""Every word :func:`parse_number_words` understands."""


VAGUE_NUMBERS: dict[str, tuple[float, float]] = {
    "belasan": (11, 19),
    "puluhan": (10, 100),
    "ratusan": (100, 1000),
    "ribuan": (1e3, 1e6),
    "puluhan ribu": (1e4, 1e5),
    "ratusan ribu": (1e5, 1e6),
    "jutaan": (1e6, 1e9),
    "miliaran": (1e9, 1e12),
    "dozens": (24, 100),
    "hundreds": (100, 1000),
    "thousands": (1e3, 1e6),
    "millions": (1e6, 1e9),
    "billions": (1e9, 1e12),
}
"""Vague quantities ("jutaan roket" = millions of rockets) as value ranges."""


def parse_number_words(words: list[str]) -> float | None:
    """Value of a sequence of Indonesian or English number words, or None.

    >>> parse_number_words("dua ratus enam puluh delapan".split())
    268.0
    >>> parse_number_words("three hundred and five".split())
    305.0
    """
    total = 0.0
    group = 0.0
    num = 0.0
    seen = False
    for raw in words:
        w = raw.lower()
        if w in ("dan", "and") and seen:
            continue
        if w in _ID_UNITS:
            num += _ID_UNITS[w]
        elif w in _EN_UNITS:
            num += _EN_UNITS[w]
        elif w in ("sepuluh", "sebelas", "seratus"):
            group += _ID_SE[w]
        elif w in ("seribu", "sejuta"):
            total += ((group + num) or 1) * _ID_SE[w]
            group = num = 0
        elif w == "belas":
            if not num:
                return None
            group += num + 10
            num = 0
        elif w == "puluh":
            if not num:
                return None
            group += num * 10
            num = 0
        elif w == "ratus":
            group += (num or 1) * 100
            num = 0
        elif w == "hundred":
            group = ((group + num) or 1) * 100
            num = 0
        elif w in SCALES:
            total += ((group + num) or 1) * SCALES[w]
            group = num = 0
        else:
            return None
        seen = True
    if not seen:
        return None
    return float(total + group + num)


def parse_decimal(text: str, lang: str = "id") -> float | None:
    """Read a digit string with the language's separators.

    Indonesian: "1.000" is a thousand and "5,6" is 5.6; English: "1,000" and
    "5.6". A dot followed by other than three digits is a decimal point in
    Indonesian text too ("5.6").
    """
    s = text.strip()
    if lang == "en":
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
            return float(s.replace(",", ""))
        if re.fullmatch(r"\d+(\.\d+)?", s):
            return float(s)
        if re.fullmatch(r"\d+,\d{1,2}", s):
            return float(s.replace(",", "."))
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", s):
        return float(s.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+(,\d+)?", s):
        return float(s.replace(",", "."))
    if re.fullmatch(r"\d+\.\d{1,2}", s):
        return float(s)
    return None
