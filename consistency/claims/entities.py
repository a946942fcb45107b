"""Entities across the cluster: are two name mentions one person or place?

Every mention of a person or a named place is a ``name`` claim. Two mentions
relate in one of three ways (:func:`relation`):

* ``same``: equal after normalisation, or a transliteration of a foreign name
  ("Abduljalil"/"Abduljaleel", "Osama Aly"/"Osama Ali", "Kim Jong-un"/"Kim
  Jong Un"), or one name with words left out ("Jules Abraham Abast"/"Jules");
* ``variant``: a spelling variant of one name ("Teguh Amanda"/"Teguh Adan",
  "Djunaedi"/"Junaedi", "Trans Putra"/"Trans Putera"): the comparator reports
  it;
* ``different``: anything else, and names that differ only by two well-known
  look-alike entities ("Australia"/"Austria", "Kyodo"/"Kyoto";
  ``distinct_names`` in the language files).

Token similarity is rapidfuzz's normalised Indel ratio, not a home-made edit
distance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from consistency import lang
from consistency.text.names import TITLE_WORDS, name_key

_LOWER_RE = re.compile(r"(?<![\w'’-])[a-z][\w'’-]*")

_TRANSLIT = (
    ("ee", "i"),
    ("ie", "i"),
    ("oo", "u"),
    ("ou", "u"),
    ("kh", "k"),
    ("ph", "f"),
    ("q", "k"),
    ("w", "u"),
)


@lru_cache(maxsize=1)
def distinct_names() -> frozenset[str]:
    """Well-known names that look alike but name different entities (all languages)."""
    return frozenset(w.lower() for w in lang.merged("claims").get("distinct_names", []))


def lowercase_words(texts: Iterable[str]) -> frozenset[str]:
    """Words written in lower case somewhere in ``texts``: common words, never names.

    A capitalised word the cluster also writes in lower case ("Kemudian" /
    "kemudian", "Stasiun" / "stasiun") is a word, not part of a name.
    """
    return frozenset(w for t in texts for w in _LOWER_RE.findall(t))


def translit_key(token: str) -> str:
    """A token with the spelling choices of romanisation folded ("abduljaleel" -> "abduljalil").

    Vowel spellings and doubled vowels are folded; consonants other than the
    romanisation pairs are kept, so a dropped, changed or doubled consonant
    ("Sandira"/"Sadira", "Yasonna"/"Yassona", "Homendy"/"Hommendi") still
    differs: the fact tables call both of the latter misspellings, and none of
    their agreeing mentions differs by a doubled consonant.
    """
    t = token.lower()
    for a, b in _TRANSLIT:
        t = t.replace(a, b)
    if t.endswith("y"):
        t = t[:-1] + "i"  # "Aly" / "Ali"; a medial y ("Setyawan") is a spelling
    t = re.sub(r"([aiueo])\1+", r"\1", t)
    return t


INFLECTIONS = frozenset(
    {"s", "n", "ns", "an", "nya", "i", "ese", "ian", "es", "er", "ers", "rs", "ik", "ic"}
)
"""Endings that make another word of the same name or stem ("Syria"/"Syrian",
"Japan"/"Japanese", "Rescue"/"Rescuers", "Demokrat"/"Demokratik")."""

NAME_WORDS = frozenset({"putra", "putri", "putera", "puteri"})
"""Words the title list holds that are also parts of names ("Trans Putra Fajar")."""

HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "pak", "bu", "bapak", "ibu", "sdr", "tn", "ny"}
)


@lru_cache(maxsize=1)
def equivalent_prefixes() -> tuple[tuple[str, str], ...]:
    """(written form, the form it is read as) of abbreviated words (all languages;
    ``equivalent_prefixes`` in the language files: "Kemenlu" / "Kemlu")."""
    table = lang.merged("claims").get("equivalent_prefixes", {})
    return tuple(
        sorted(((a.lower(), b.lower()) for a, b in table.items()), key=lambda t: -len(t[0]))
    )


def fold_prefix(token: str) -> str:
    """A lower-case token with an equivalent abbreviation's prefix read one way
    ("kemenlu" -> "kemlu"); a token no longer than the prefix is left as it is."""
    for long_form, short_form in equivalent_prefixes():
        if token.startswith(long_form) and len(token) > len(long_form) + 1:
            return short_form + token[len(long_form) :]
    return token


def name_tokens(name: str) -> list[str]:
    """The name's tokens without titles and ranks, hyphens split ("Kombes Jules" -> ["jules"]),
    equivalent abbreviations read one way (:func:`fold_prefix`)."""
    return [
        fold_prefix(t)
        for t in name_key(name).split()
        if (t not in TITLE_WORDS or t in NAME_WORDS) and t not in HONORIFICS and len(t) > 1
    ]


def differing_tokens(a: str, b: str) -> tuple[str, str] | None:
    """For a ``variant`` pair, the two spellings that differ ("amanda", "adan")."""
    ta, tb = name_tokens(a), name_tokens(b)
    only_a = [t for t in ta if t not in tb]
    only_b = [t for t in tb if t not in ta]
    if len(only_a) == 1 and len(only_b) >= 1:
        best = max(only_b, key=lambda u: fuzz.ratio(only_a[0], u))
        return tuple(sorted((only_a[0], best)))  # type: ignore[return-value]
    if len(only_b) == 1 and len(only_a) >= 1:
        best = max(only_a, key=lambda u: fuzz.ratio(only_b[0], u))
        return tuple(sorted((only_b[0], best)))  # type: ignore[return-value]
    return None


def _trim_titles(ta: list[str], tb: list[str]) -> tuple[list[str], list[str]]:
    """Drop leading words that match nothing in the other name, when three or more remain.

    Unknown titles and offices come first ("Kesiapsiagaan Basarnas Bambang
    Suryo Aji" / "Major-General Bambang Suyo Aji"); three shared name words
    make one person, two do not ("Heru Budi Hartono" / "Imam Budi Hartono").
    """

    def lead(xs: list[str], ys: list[str]) -> int:
        n = 0
        while n < len(xs) and max(fuzz.ratio(xs[n], y) for y in ys) < 60:
            n += 1
        return n

    na, nb = lead(ta, tb), lead(tb, ta)
    if (na or nb) and min(len(ta) - na, len(tb) - nb) >= 3:
        return ta[na:], tb[nb:]
    return ta, tb


_CODE_RE = re.compile(r"([a-z]{2,3})-?(\d{1,4})")


def one_code(a: str, b: str) -> bool:
    """Two codes of one flight or vehicle: the same number after a two-letter and a
    three-letter code whose letters it keeps in order ("SJ182" / "SJY182", the airline's
    IATA and ICAO codes)."""
    ma, mb = _CODE_RE.fullmatch(a.lower()), _CODE_RE.fullmatch(b.lower())
    if ma is None or mb is None or ma.group(2) != mb.group(2):
        return False
    short, long_ = sorted((ma.group(1), mb.group(1)), key=len)
    if (len(short), len(long_)) != (2, 3):
        return False
    rest = iter(long_)
    return all(ch in rest for ch in short)


@lru_cache(maxsize=65536)
def relation(a: str, b: str) -> str:
    """``same``, ``variant`` or ``different`` for two name mentions (see the module docstring)."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return "different"
    if ta == tb:
        return "same"
    ta, tb = _trim_titles(ta, tb)
    ka, kb = [translit_key(t) for t in ta], [translit_key(t) for t in tb]
    if "".join(ka) == "".join(kb):
        return "same"
    short, long_ = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    s_raw, l_raw = (ta, tb) if len(ka) <= len(kb) else (tb, ta)
    if set(short) <= set(long_):
        return "same"  # words left out: "Jules" / "Jules Abraham Abast"
    exact = sum(1 for t in short if t in long_)
    odd = [(i, t) for i, t in enumerate(short) if t not in long_]
    if len(odd) != 1:
        return "different"
    i, tok = odd[0]
    raw = s_raw[i]
    cands = [(fuzz.ratio(tok, u), u, l_raw[j]) for j, u in enumerate(long_) if u not in short]
    if not cands:
        return "different"
    score, other, other_raw = max(cands)
    if raw.lower() != other_raw.lower() and {raw.lower(), other_raw.lower()} <= distinct_names():
        return "different"  # "Australia" / "Austria": two places, not one spelt two ways
    longer, shorter = (raw, other_raw) if len(raw) >= len(other_raw) else (other_raw, raw)
    if longer.startswith(shorter) and longer[len(shorter) :] in INFLECTIONS:
        return "same"  # an inflection: "Indonesia" / "Indonesian", "Syria" / "Syrian"
    if one_code(raw, other_raw):
        return "same"  # a flight's two codes: "SJ182" / "SJY182", "JL516" / "JAL516"
    if (
        exact == 0
        and len(short) == 1
        and len(long_) > 1
        and other_raw == l_raw[-1]
        and len(raw) >= 4
        and other_raw.startswith(raw)
        and 2 <= len(other_raw) - len(raw) <= 3
    ):
        return "variant"  # a surname cut short: "Susil" for "Joko Susilo"
    if exact == 0 and len(short) == 1 and len(long_) > 1:
        # one word against a longer name: only a near-identical spelling of
        # one of its words ("Kishida" is not "Michiyo Ishida")
        if score < 90 or raw[0] != other_raw[0]:
            return "different"
    if min(len(raw), len(other_raw)) < 4 or (raw[0] != other_raw[0] and score < 85):
        return "different"
    # one token differs: a spelling variant when it is close, or when the
    # rest of a multi-word name agrees and the token is still alike
    alike_len = min(len(raw), len(other_raw)) / max(len(raw), len(other_raw)) >= 0.6
    if score >= 80 or (exact >= 1 and len(short) >= 2 and score >= 60 and alike_len):
        return "variant"
    return "different"
