"""Small language helpers for fact extraction: names, number words, lexicons.

Indonesian first, English too. Nothing here loads a model; everything is a
pure function or a constant, so :mod:`consistency.facts` and
:mod:`consistency.judge` can share them.

* :func:`name_key` normalises a name for matching ("Kim Jong-un" and
  "Kim Jong Un" share ``"kim jong un"``); :func:`name_variant` tells a spelling
  variant ("Andrienne Watson" / "Adrienne Watson") from a different person.
* :func:`parse_number_words` turns Indonesian or English number words into a
  value ("dua ratus enam puluh delapan" -> 268).
* :func:`parse_decimal` reads "5,6" (Indonesian) or "5.6" (English).
"""

from __future__ import annotations

import re
import unicodedata

# --- names -----------------------------------------------------------------

NAME_PARTICLES = frozenset({"bin", "binti", "van", "de", "der", "von", "al", "el", "da", "di"})
"""Lower-case particles allowed inside a capitalised name."""

TITLE_WORDS = frozenset(
    {
        # Indonesian
        "juru",
        "bicara",
        "jubir",
        "menteri",
        "menhan",
        "menlu",
        "presiden",
        "wakil",
        "kepala",
        "direktur",
        "koordinator",
        "duta",
        "besar",
        "dubes",
        "pejabat",
        "pemimpin",
        "ketua",
        "sekretaris",
        "jenderal",
        "panglima",
        "gubernur",
        "bupati",
        "wali",
        "kota",
        "perdana",
        "raja",
        "ratu",
        "pangeran",
        "senator",
        "anggota",
        "kapolri",
        "kapolda",
        "kombes",
        "brigjen",
        "mayjen",
        "letjen",
        "kolonel",
        "pemerintahan",
        "komunikasi",
        "strategis",
        "keamanan",
        "nasional",
        "adik",
        "kakak",
        "putra",
        "putri",
        "mendiang",
        "penasihat",
        "analis",
        "profesor",
        "prof",
        "dr",
        "ir",
        "hj",
        "h",
        # English
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "minister",
        "president",
        "vice",
        "deputy",
        "head",
        "director",
        "coordinator",
        "ambassador",
        "official",
        "leader",
        "chairman",
        "secretary",
        "general",
        "governor",
        "mayor",
        "prime",
        "king",
        "queen",
        "prince",
        "mr",
        "mrs",
        "ms",
        "sir",
        "national",
        "security",
        "council",
        "adviser",
        "advisor",
        "strategic",
        "communications",
        "white",
        "house",
    }
)
"""Words of titles and roles (compared lower-case); never part of a person's name."""

PLACES: dict[str, str] = {
    # surface (lower-case) -> canonical key
    "amerika serikat": "united states",
    "as": "united states",
    "amerika": "united states",
    "united states": "united states",
    "us": "united states",
    "u.s.": "united states",
    "usa": "united states",
    "rusia": "russia",
    "russia": "russia",
    "korea utara": "north korea",
    "korut": "north korea",
    "north korea": "north korea",
    "dprk": "north korea",
    "korea selatan": "south korea",
    "korsel": "south korea",
    "south korea": "south korea",
    "ukraina": "ukraine",
    "ukraine": "ukraine",
    "china": "china",
    "cina": "china",
    "tiongkok": "china",
    "iran": "iran",
    "jepang": "japan",
    "japan": "japan",
    "inggris": "united kingdom",
    "indonesia": "indonesia",
    "suriah": "syria",
    "syria": "syria",
    "israel": "israel",
    "palestina": "palestine",
    "india": "india",
    "malaysia": "malaysia",
    "sri lanka": "sri lanka",
    "eropa": "europe",
    "europe": "europe",
    "moskow": "moscow",
    "moscow": "moscow",
    "pyongyang": "pyongyang",
    "washington": "washington",
    "washington dc": "washington",
    "jakarta": "jakarta",
    "beijing": "beijing",
    "teheran": "tehran",
    "tehran": "tehran",
    "seoul": "seoul",
    "kyiv": "kyiv",
    "kiev": "kyiv",
    "new york": "new york",
    "vladivostok": "vladivostok",
    "donbas": "donbas",
    "donetsk": "donetsk",
    "luhansk": "luhansk",
    "papua": "papua",
    "timur tengah": "middle east",
    "middle east": "middle east",
    "afrika utara": "north africa",
    "kremlin": "kremlin",
    "uni soviet": "soviet union",
    "soviet union": "soviet union",
}
"""A small gazetteer of places, Indonesian and English, to canonical English keys."""

ORGS: dict[str, str] = {
    "gedung putih": "white house",
    "white house": "white house",
    "dewan keamanan nasional": "national security council",
    "nsc": "national security council",
    "national security council": "national security council",
    "dewan keamanan pbb": "un security council",
    "pbb": "united nations",
    "perserikatan bangsa-bangsa": "united nations",
    "un": "united nations",
    "united nations": "united nations",
    "nato": "nato",
    "uni eropa": "european union",
    "kcna": "kcna",
    "kementerian pertahanan": "ministry of defence",
    "pentagon": "pentagon",
    "kedutaan besar": "embassy",
    "wagner group": "wagner group",
    "wagner": "wagner group",
    "cnn": "cnn",
    "ap": "ap",
    "reuters": "reuters",
    "politico": "politico",
    "the new york times": "new york times",
    "new york times": "new york times",
    "tni": "tni",
    "polri": "polri",
    "icc": "icc",
    "kpk": "kpk",
    "dpr": "dpr",
}
"""A small gazetteer of organisations (and news agencies) to canonical keys."""

OUTLET_WORDS = frozenset({"cnn", "ap", "reuters", "politico", "afp", "bbc", "antara", "kcna"})
"""News agencies and outlets: cited sources, never speakers."""

NONNAME_WORDS = frozenset(
    {w for k in list(PLACES) + list(ORGS) for w in k.split()}
    | {
        "republik",
        "rakyat",
        "demokratik",
        "korea",
        "utara",
        "selatan",
        "barat",
        "timur",
        "tengah",
        "dewan",
        "kementerian",
        "pertahanan",
        "luar",
        "negeri",
        "kantor",
        "berita",
        "pusat",
        "misi",
        "kedutaan",
        "uni",
        "soviet",
        "group",
        "grup",
        "inc",
        "corp",
        "pt",
        "partai",
        "universitas",
        "university",
        "ministry",
        "department",
        "state",
        "house",
        "senin",
        "selasa",
        "rabu",
        "kamis",
        "jumat",
        "sabtu",
        "minggu",
        "ahad",
        "januari",
        "februari",
        "maret",
        "april",
        "mei",
        "juni",
        "juli",
        "agustus",
        "september",
        "oktober",
        "november",
        "desember",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "may",
        "june",
        "july",
        "august",
        "october",
        "december",
        "baca",
        "juga",
        "terkait",
        "editor",
        "reporter",
        "pilihan",
        "advertising",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "sementara",
        "namun",
        "tetapi",
        "setelah",
        "sejak",
        "selain",
        "selama",
        "menurut",
        "kami",
        "kita",
        "mereka",
        "ia",
        "dia",
        "para",
        "pada",
        "dalam",
        "di",
        "ke",
        "dari",
        "baik",
        "ada",
        "ini",
        "itu",
        "kabar",
        "kesepakatan",
        "temuan",
        "langkah",
        "sejujurnya",
        "berdasarkan",
        "presiden",
        "pemerintahan",
        "intelijen",
        "drone",
        "rudal",
        "he",
        "she",
        "they",
        "we",
        "it",
        "but",
        "and",
        "after",
        "before",
        "according",
        "sukses",
        "loading",
        "dugaan",
        "serangan",
        "hubungan",
        "pemimpin",
        "sri",
    }
    | TITLE_WORDS
)
"""Capitalised words that are never (part of) a person's name."""


def strip_accents(text: str) -> str:
    """``text`` without combining marks (é -> e)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def name_key(name: str) -> str:
    """Normalised key of a name: lower-case, no accents, hyphens and dots as spaces.

    >>> name_key("Kim Jong-un") == name_key("Kim Jong Un")
    True
    """
    s = strip_accents(name).lower().replace("’", "'")
    s = re.sub(r"'s?(?=\W|$)", "", s)  # a possessive is the same name: "Libya's" / "Libya"
    s = re.sub(r"[-‐‑–.·]", " ", s)
    s = re.sub(r"[^\w' ]", "", s)
    return " ".join(s.split())


def surname_key(name: str) -> str:
    """The last token of :func:`name_key` (how a person is referred to after first mention)."""
    parts = name_key(name).split()
    return parts[-1] if parts else ""


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two short strings."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _close(a: str, b: str) -> bool:
    """Two tokens that look like spellings of one word (one edit, two when long)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or a[0] != b[0]:
        return False
    return edit_distance(a, b) <= (1 if min(len(a), len(b)) < 7 else 2)


def name_variant(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are different spellings of the same multi-word name.

    Same number of tokens (at least two), exactly one token differs, and that
    token is a close spelling ("Andrienne"/"Adrienne", "Imam"/"Iman"). Names
    with equal keys ("Kim Jong-un"/"Kim Jong Un") are the same, not variants.
    """
    ta, tb = name_key(a).split(), name_key(b).split()
    if ta == tb or len(ta) != len(tb) or len(ta) < 2:
        return False
    diff = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    return len(diff) == 1 and _close(*diff[0])


def same_person(a: str, b: str) -> bool:
    """True when two mentions can denote one person: equal keys, shared surname, or a variant.

    "Kirby" and "John Kirby" are the same person; "Watson" and "Kirby" are not.
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb or name_variant(a, b):
        return True
    sa, sb = ka.split(), kb.split()
    if len(sa) == 1 or len(sb) == 1:
        return sa[-1] == sb[-1] or _close(sa[-1], sb[-1]) and len(sa[-1]) >= 5
    return False


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
