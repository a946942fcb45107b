"""Language data of the facts stage: month and weekday patterns, number qualifiers,
counted-object synonyms, polarity markers, reporting verbs and citation cues.

Indonesian and English side by side; the claims stage keeps its lexicons in
:mod:`consistency.lang` data files.
"""

from __future__ import annotations

import re

from consistency.lang.lexicon import MONTH_ABBREVIATIONS
from consistency.lang.lexicon import MONTHS as MONTH_NAMES

# --- lexicons ----------------------------------------------------------------


MONTHS: dict[str, int] = {**MONTH_NAMES, **MONTH_ABBREVIATIONS}

WD_RE = r"(?:Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Ahad|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"  # noqa: E501
_MONTH_LONG = sorted((m for m in MONTHS if len(m) > 3), key=len, reverse=True)
_MONTH_SHORT = sorted((m for m in MONTHS if len(m) <= 4), key=len, reverse=True)
MON_RE = (
    "(?:"
    + "|".join(m.capitalize() for m in _MONTH_LONG)
    + "|"
    + "|".join(m.capitalize() + r"\." for m in _MONTH_SHORT)
    + ")"
)
MON_ANY = "(?:" + "|".join(m.capitalize() for m in _MONTH_LONG + _MONTH_SHORT) + r")\.?"

QUALIFIERS: list[tuple[str, str]] = [
    ("lebih dari", "more_than"),
    ("lebih daripada", "more_than"),
    ("di atas", "more_than"),
    ("sedikitnya", "at_least"),
    ("setidaknya", "at_least"),
    ("paling sedikit", "at_least"),
    ("sekurang-kurangnya", "at_least"),
    ("minimal", "at_least"),
    ("sekitar", "about"),
    ("kurang lebih", "about"),
    ("lebih kurang", "about"),
    ("sekira", "about"),
    ("kisaran", "about"),
    ("kira-kira", "about"),
    ("hampir", "almost"),
    ("nyaris", "almost"),
    ("kurang dari", "less_than"),
    ("di bawah", "less_than"),
    ("hingga", "up_to"),
    ("sampai", "up_to"),
    ("maksimal", "up_to"),
    ("paling banyak", "up_to"),
    ("dalam waktu", "up_to"),
    ("dalam tempo", "up_to"),
    ("more than", "more_than"),
    ("over", "more_than"),
    ("at least", "at_least"),
    ("about", "about"),
    ("around", "about"),
    ("approximately", "about"),
    ("roughly", "about"),
    ("some", "about"),
    ("nearly", "almost"),
    ("almost", "almost"),
    ("fewer than", "less_than"),
    ("less than", "less_than"),
    ("under", "less_than"),
    ("up to", "up_to"),
    ("within", "up_to"),
    ("as many as", "about"),
    ("as high as", "up_to"),
]
"""Words before a number that qualify it, and their normalised qualifier."""

QUAL_RE = re.compile(
    r"(?:^|(?<=[\s(\[\"'“‘«]))("
    + "|".join(re.escape(q) for q, _ in sorted(QUALIFIERS, key=lambda x: -len(x[0])))
    + r")\s+(?:an?\s+)?$",
    re.I,
)
"""A qualifier right before a figure; an English article may stand between, before a
number word ("more than a dozen", "nearly a hundred")."""
QUAL_MAP = dict(QUALIFIERS)

QUALIFIER_BRIDGES = (
    "mencapai",
    "menjadi",
    "sebanyak",
    "berjumlah",
    "tercatat",
    "reached",
    "reaching",
    "reach",
    "totalling",
    "totaling",
    "numbering",
)
"""Verbs that may stand between a bound and its figure ("setidaknya mencapai 2.300",
"at least reaching 40"); never after "hingga"/"up to" ("hingga mencapai 5.500" tells
what the toll reached, not a ceiling)."""
BRIDGED_QUAL_RE = re.compile(
    r"(?:^|(?<=[\s(\[\"'“‘«]))("
    + "|".join(
        re.escape(q) for q, k in sorted(QUALIFIERS, key=lambda x: -len(x[0])) if k != "up_to"
    )
    + r")\s+(?:"
    + "|".join(QUALIFIER_BRIDGES)
    + r")\s+$",
    re.I,
)

UNIT_STOPWORDS = frozenset(
    {
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "pada",
        "dengan",
        "ini",
        "itu",
        "tersebut",
        "atau",
        "dalam",
        "oleh",
        "adalah",
        "akan",
        "telah",
        "sudah",
        "juga",
        "sejak",
        "sebagai",
        "lalu",
        "kali",
        "the",
        "of",
        "and",
        "in",
        "to",
        "on",
        "at",
        "for",
        "by",
        "with",
        "a",
        "an",
        "or",
        "is",
        "was",
        "were",
        "are",
        "from",
        "as",
        "that",
        "this",
    }
)

UNIT_SYNONYMS: dict[str, str] = {
    "rudal": "missile",
    "misil": "missile",
    "missile": "missile",
    "roket": "rocket",
    "rocket": "rocket",
    "peluru": "shell",
    "shell": "shell",
    "orang": "people",
    "people": "people",
    "person": "people",
    "persons": "people",
    "jiwa": "people",
    "korban": "victim",
    "victim": "victim",
    "tewas": "dead",
    "meninggal": "dead",
    "killed": "dead",
    "dead": "dead",
    "death": "dead",
    "warga": "citizen",
    "citizen": "citizen",
    "tentara": "soldier",
    "prajurit": "soldier",
    "soldier": "soldier",
    "troop": "soldier",
    "persen": "percent",
    "percent": "percent",
    "%": "percent",
    "negara": "country",
    "country": "country",
    "pesawat": "aircraft",
    "aircraft": "aircraft",
    "drone": "drone",
    "magnitudo": "magnitude",
    "magnitude": "magnitude",
    "sr": "magnitude",
    "rupiah": "rupiah",
    "rp": "rupiah",
    "dolar": "usd",
    "dollar": "usd",
    "usd": "usd",
    "hari": "day",
    "day": "day",
    "pekan": "week",
    "week": "week",
    "bulan": "month",
    "month": "month",
    "tahun": "year",
    "year": "year",
    "jam": "hour",
    "hour": "hour",
    "putaran": "round",
    "round": "round",
    "entitas": "entity",
    "entity": "entity",
    "unit": "unit",
    "km": "km",
    "kilometer": "km",
    "ton": "ton",
}
"""Counted objects to a canonical (English, singular) key, so "rudal" matches "missiles"."""

POLARITY: dict[str, str] = {
    "tidak": "neg",
    "tak": "neg",
    "bukan": "neg",
    "belum": "neg",
    "tanpa": "neg",
    "jangan": "neg",
    "not": "neg",
    "never": "neg",
    "no": "neg",
    "n't": "neg",
    "membantah": "deny",
    "menyangkal": "deny",
    "dibantah": "deny",
    "disangkal": "deny",
    "menampik": "deny",
    "denied": "deny",
    "denies": "deny",
    "deny": "deny",
    "rejected": "deny",
    "mengakui": "affirm",
    "membenarkan": "affirm",
    "mengonfirmasi": "affirm",
    "mengkonfirmasi": "affirm",
    "dikonfirmasi": "affirm",
    "confirmed": "affirm",
    "confirms": "affirm",
    "admitted": "affirm",
    "acknowledged": "affirm",
}
"""Polarity markers to ``neg`` (negation), ``deny`` or ``affirm``."""

_POST_VERBS = (
    r"kata|ujar|ungkap|tutur|ucap|jelas|tegas|imbuh|papar|terang|sebut|tambah|lanjut"
    r"|said|says|added|told|explained|noted"
)
_PRE_VERBS = (
    r"mengatakan|menyatakan|menambahkan|menegaskan|menjelaskan|mengungkapkan|menyebutkan"
    r"|menuturkan|memperingatkan|mengklaim|membantah|menyangkal|mengakui|menyampaikan"
    r"|berkata|said|says|told|added|stated|warned|claimed|denied|confirmed|explained"
)
POST_RE = re.compile(rf"\b(?:{_POST_VERBS})\b(?!-)", re.I)
PRE_RE = re.compile(
    rf"(?:\s+(?:juga|telah|sebelumnya|pun|kemudian|lalu|sempat|also|has|had|previously))?"
    rf"\s+(?:{_PRE_VERBS})\b",
    re.I,
)
PRONOUN_RE = re.compile(
    rf"\b(?:katanya|ujarnya|ungkapnya|tuturnya|imbuhnya|jelasnya|tegasnya"
    rf"|(?:[Ii]a|[Dd]ia|[Bb]eliau|[Hh]e|[Ss]he)(?:\s+(?:juga|pun|also))?\s+(?:{_PRE_VERBS}))\b"
)
ACCORDING_RE = re.compile(r"\b(?:menurut|according to)\s+", re.I)
CITED_RE = re.compile(
    r"\b(?:(?:seperti\s+)?dilansir(?:\s+dari)?|dikutip\s+dari|melansir|mengutip"
    r"|seperti\s+dikutip(?:\s+dari)?|(?:as\s+)?reported\s+by)\s+"
    r"(?P<src>(?:The\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})"
)
