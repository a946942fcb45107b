"""People's names for fact extraction and judging: keys, variants, the words around them.

Indonesian first, English too. Nothing here loads a model; everything is a
pure function or a constant, so :mod:`consistency.facts`, :mod:`consistency.claims` and
:mod:`consistency.judge` can share them.

* :func:`name_key` normalises a name for matching ("Kim Jong-un" and
  "Kim Jong Un" share ``"kim jong un"``); :func:`name_variant` tells a spelling
  variant ("Andrienne Watson" / "Adrienne Watson") from a different person.
* titles, places, organisations and outlets: words that are not a person's name.

Number words are :mod:`consistency.text.numbers`.
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

    "Kirby" and "John Kirby" are the same person; "Watson" and "Kirby" are not. A
    name whose words are all in the other is the same person with words left out,
    as the claims read it (``claims.entities.relation``): "Satria Budi" and "Garut
    Satria Budi" (a place of the title run into the name).
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb or name_variant(a, b):
        return True
    sa, sb = ka.split(), kb.split()
    if len(sa) >= 2 and len(sb) >= 2 and (set(sa) <= set(sb) or set(sb) <= set(sa)):
        return True
    if len(sa) == 1 or len(sb) == 1:
        return sa[-1] == sb[-1] or _close(sa[-1], sb[-1]) and len(sa[-1]) >= 5
    return False
