"""NLI training and evaluation data: IndoNLI, SNLI, XNLI and FactCC-style synthetic pairs.

This module feeds :mod:`consistency.training.nli_train` and ``bench/nli_eval.py``; it is not a
pipeline stage and takes or returns no stage frames. Pairs are :class:`NLIPair` records.

Data sources (resolved under a data root, by default ``<repo>/../shared/data``):

* ``indonli/train.jsonl`` (``premise``/``hypothesis``/``label`` e|n|c), CC BY-SA 4.0: training.
* ``indonli/translate_train_small.train.jsonl`` (``sentence1``/``sentence2``/``gold_label``),
  MNLI machine-translated to Indonesian: training.
* ``indonli/val.jsonl``: model selection and the reported accuracy.
* ``nli-extra/snli.{dev,test}.jsonl.gz``, CC BY-SA 4.0: English training data.
* ``nli-extra/xnli.*.jsonl.gz``: CC BY-NC 4.0, **evaluation only** (never trained on:
  :func:`load_split` refuses it for training).

Synthetic pairs (:func:`synthetic_pairs`) imitate how news drifts between outlets: a
changed speaker, number, date or weekday, "membantah"/"mengakui" (denied/admitted)
flipped, a negation inserted or removed (contradiction); a light paraphrase, a dropped
clause or a translation (entailment); an added detail (neutral). Each pair records its
phenomenon, and a held-apart slice (other names, other source sentences) measures
per-phenomenon accuracy.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

LABELS: tuple[str, str, str] = ("entailment", "neutral", "contradiction")
"""Label order used in training (index = class id in the shipped model's config)."""

_SHORT = {"e": "entailment", "n": "neutral", "c": "contradiction"}

NON_COMMERCIAL = ("xnli", "myxnli")
"""Data set names that may be used for evaluation only."""


@dataclass(frozen=True)
class NLIPair:
    """One labelled premise/hypothesis pair.

    Attributes:
        premise: the premise text.
        hypothesis: the hypothesis text.
        label: one of :data:`LABELS`.
        source: where it came from, e.g. ``"indonli"``, ``"snli"``, ``"synthetic"``.
        phenomenon: for synthetic pairs, what was changed (e.g. ``"number"``); else ``""``.
    """

    premise: str
    hypothesis: str
    label: str
    source: str
    phenomenon: str = ""

    @property
    def label_id(self) -> int:
        """The index of :attr:`label` in :data:`LABELS`."""
        return LABELS.index(self.label)


def default_data_root() -> Path:
    """``<repo>/../shared/data``, where ``<repo>`` holds this package."""
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def _normalise_label(raw: object) -> str | None:
    if not isinstance(raw, str):
        return None
    raw = raw.strip().lower()
    if raw in _SHORT:
        return _SHORT[raw]
    return raw if raw in LABELS else None


def _read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


_PTB = [
    (re.compile(r" n't\b"), "n't"),
    (re.compile(r" ([,.;:!?%)\]])"), r"\1"),
    (re.compile(r"([(\[$]) "), r"\1"),
    (re.compile(r" '(s|re|ve|ll|d|m)\b"), r"'\1"),
    (re.compile(r"\bca n't\b"), "can't"),
    (re.compile(r"``\s*|\s*''"), '"'),
]


def detokenize_ptb(text: str) -> str:
    """Undo the PTB tokenisation of the MNLI samples (``ca n't`` -> ``can't``, `` ,`` -> ``,``)."""
    for pat, rep in _PTB:
        text = pat.sub(rep, text)
    return text


SPLITS: dict[str, tuple[str, str]] = {
    # name: (relative path, format)
    "indonli-train": ("indonli/train.jsonl", "indonli"),
    "indonli-val": ("indonli/val.jsonl", "indonli"),
    "mnli-id-train": ("indonli/translate_train_small.train.jsonl", "mnli-id"),
    "mnli-id-dev": ("indonli/translate_train_small.dev.jsonl", "mnli-id"),
    "snli-dev": ("nli-extra/snli.dev.jsonl.gz", "plain"),
    "snli-test": ("nli-extra/snli.test.jsonl.gz", "plain"),
    "mnli-m-sample": ("nli-extra/mnli.dev_matched.sample1k.jsonl.gz", "ptb"),
    "mnli-mm-sample": ("nli-extra/mnli.dev_mismatched.sample1k.jsonl.gz", "ptb"),
    "xnli-dev": ("nli-extra/xnli.dev.jsonl.gz", "plain"),
    "xnli-test": ("nli-extra/xnli.test.jsonl.gz", "plain"),
}
"""Named splits under the data root."""


def load_split(
    name: str,
    root: Path | None = None,
    *,
    language: str | None = None,
    for_training: bool = False,
) -> list[NLIPair]:
    """Load a named split (see :data:`SPLITS`) as pairs; unlabelled rows are skipped.

    Args:
        name: a key of :data:`SPLITS`.
        root: the data root (default :func:`default_data_root`).
        language: keep only rows with this ``language`` field (XNLI).
        for_training: refuse non-commercial (evaluation-only) data.

    Raises:
        ValueError: an unknown split, or an evaluation-only split asked for training.
        FileNotFoundError: the file is not there.
    """
    if name not in SPLITS:
        raise ValueError(f"unknown split {name!r}; known: {', '.join(SPLITS)}")
    if for_training and name.split("-")[0] in NON_COMMERCIAL:
        raise ValueError(f"{name} is CC BY-NC (evaluation only): never train on it")
    rel, fmt = SPLITS[name]
    path = (root or default_data_root()) / rel
    source = name.rsplit("-", 1)[0] if fmt != "indonli" else "indonli"
    out: list[NLIPair] = []
    for row in _read_jsonl(path):
        if language is not None and row.get("language") != language:
            continue
        if fmt == "mnli-id":
            p, h, lab = row.get("sentence1"), row.get("sentence2"), row.get("gold_label")
        else:
            p, h, lab = row.get("premise"), row.get("hypothesis"), row.get("label")
        label = _normalise_label(lab)
        if not isinstance(p, str) or not isinstance(h, str) or label is None:
            continue
        if fmt == "ptb":
            p, h = detokenize_ptb(p), detokenize_ptb(h)
        out.append(NLIPair(p.strip(), h.strip(), label, source))
    return out


# --------------------------------------------------------------------------------------
# Synthetic, FactCC-style pairs
# --------------------------------------------------------------------------------------

_NAMES_TRAIN = [
    ("John", "Kirby"),
    ("Adrienne", "Watson"),
    ("Antony", "Blinken"),
    ("Karine", "Jean-Pierre"),
    ("Joko", "Widodo"),
    ("Retno", "Marsudi"),
    ("Sri", "Mulyani"),
    ("Prabowo", "Subianto"),
    ("Mahfud", "MD"),
    ("Budi", "Gunadi"),
    ("Dmitry", "Peskov"),
    ("Sergei", "Shoigu"),
    ("Lloyd", "Austin"),
    ("Jake", "Sullivan"),
    ("Anies", "Baswedan"),
    ("Ganjar", "Pranowo"),
    ("Erick", "Thohir"),
    ("Luhut", "Pandjaitan"),
    ("Emmanuel", "Macron"),
    ("Olaf", "Scholz"),
    ("Maria", "Zakharova"),
    ("Ned", "Price"),
    ("Siti", "Nurbaya"),
    ("Basuki", "Hadimuljono"),
    ("Yasonna", "Laoly"),
    ("Listyo", "Sigit"),
    ("Rishi", "Sunak"),
    ("Fumio", "Kishida"),
    ("Tito", "Karnavian"),
    ("Nadiem", "Makarim"),
    ("Airlangga", "Hartarto"),
    ("Kim", "Yo-jong"),
]
_NAMES_HELDOUT = [
    ("Matthew", "Miller"),
    ("Linda", "Thomas-Greenfield"),
    ("Puan", "Maharani"),
    ("Bahlil", "Lahadalia"),
    ("Wang", "Wenbin"),
    ("Yoon", "Suk-yeol"),
    ("Pratikno", "Pratikno"),
    ("Teten", "Masduki"),
    ("Gilbert", "Harris"),
    ("Dewi", "Lestari"),
    ("Hendra", "Wijaya"),
    ("Sarah", "Collins"),
]
_ROLES = [
    ("juru bicara Gedung Putih", "White House spokesperson"),
    ("Menteri Luar Negeri", "Foreign Minister"),
    ("Menteri Pertahanan", "Defence Minister"),
    ("juru bicara Kremlin", "Kremlin spokesman"),
    ("Kepala Kepolisian", "the police chief"),
    ("Gubernur", "Governor"),
    ("Direktur Utama", "chief executive"),
    ("juru bicara kementerian", "a ministry spokesperson"),
]
_DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# (Indonesian noun, English noun, Indonesian event, English event)
_EVENTS = [
    ("rudal balistik", "ballistic missiles", "diluncurkan", "were launched"),
    ("orang", "people", "tewas dalam kecelakaan itu", "died in the accident"),
    ("warga", "residents", "dievakuasi", "were evacuated"),
    ("rumah", "houses", "rusak akibat gempa", "were damaged by the earthquake"),
    ("tentara", "soldiers", "dikerahkan ke perbatasan", "were deployed to the border"),
    ("pengunjuk rasa", "protesters", "ditangkap polisi", "were arrested by police"),
    ("peluru artileri", "artillery shells", "dikirim ke Rusia", "were sent to Russia"),
    ("penumpang", "passengers", "selamat", "survived"),
    ("ton beras", "tonnes of rice", "diimpor", "were imported"),
    ("pasien", "patients", "dirawat di rumah sakit", "were treated in hospital"),
    ("kapal", "ships", "tenggelam", "sank"),
    ("sekolah", "schools", "ditutup", "were closed"),
]
_PLACES = [
    "Jakarta",
    "Surabaya",
    "Bandung",
    "Medan",
    "Makassar",
    "Pyongyang",
    "Moskow",
    "Washington",
    "Seoul",
    "Kyiv",
    "Yogyakarta",
    "Denpasar",
    "Semarang",
    "Palembang",
    "Beijing",
    "Tokyo",
]
_PLACES_EN = {"Moskow": "Moscow"}
# (Indonesian clause, English clause): things that are said, denied or admitted
_CLAIMS = [
    (
        "Rusia sedang mencari amunisi dari Korea Utara",
        "Russia is seeking ammunition from North Korea",
    ),
    ("pemerintah akan menaikkan harga bahan bakar", "the government will raise fuel prices"),
    ("perusahaan itu melanggar aturan lingkungan", "the company broke environmental rules"),
    ("kedua pemimpin telah bertukar surat", "the two leaders had exchanged letters"),
    ("pasukannya menembaki permukiman warga", "his troops fired on a residential area"),
    ("dana bantuan itu disalahgunakan", "the aid money was misused"),
    ("pertemuan itu akan digelar bulan depan", "the meeting will be held next month"),
    ("ada kebocoran data pribadi nasabah", "customers' personal data had leaked"),
    ("Kim Jong Un berencana bertemu Putin", "Kim Jong Un plans to meet Putin"),
    ("pabrik itu mencemari sungai", "the factory polluted the river"),
    ("dia menerima suap dari kontraktor", "he took bribes from a contractor"),
    ("negosiasi dagang itu gagal", "the trade talks failed"),
]
_CLAIMS_HELDOUT = [
    ("kapal perang itu memasuki perairan sengketa", "the warship entered disputed waters"),
    ("anggaran proyek itu membengkak", "the project's budget ballooned"),
    ("tim itu mengatur skor pertandingan", "the team fixed the match"),
    ("sekolah tersebut menolak siswa miskin", "the school turned away poor students"),
]
_SAY_ID = ["mengatakan", "menyatakan", "menyebut", "menegaskan"]
_SAY_EN = ["said", "stated", "told reporters", "noted"]
# (Indonesian verb, English verb, polarity): +1 affirms, -1 denies the claim
_STANCE = [
    ("mengakui", "admitted", 1),
    ("membenarkan", "confirmed", 1),
    ("mengonfirmasi", "confirmed", 1),
    ("membantah", "denied", -1),
    ("menyangkal", "denied", -1),
    ("menepis", "rejected claims", -1),
]
_NUM_WORDS_ID = {
    2: "dua",
    3: "tiga",
    4: "empat",
    5: "lima",
    6: "enam",
    7: "tujuh",
    8: "delapan",
    9: "sembilan",
    10: "sepuluh",
    12: "dua belas",
    20: "dua puluh",
    30: "tiga puluh",
    50: "lima puluh",
    100: "seratus",
}
_NUM_WORDS_EN = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    12: "twelve",
    20: "twenty",
    30: "thirty",
    50: "fifty",
    100: "a hundred",
}


def _stable_fraction(text: str) -> float:
    """A number in [0, 1) fixed by ``text`` (used to split sentences into train / held-out)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little") / 2**32


def _other(rng: random.Random, options: Sequence[str], current: str) -> str:
    choices = [o for o in options if o != current]
    return rng.choice(choices)


def _changed_number(rng: random.Random, n: int) -> int:
    for _ in range(20):
        m = rng.choice([n + rng.randint(1, 9), max(1, n - rng.randint(1, 9)), n * 2, n * 10])
        if m != n and m > 0:
            return m
    return n + 1


@dataclass(frozen=True)
class _Fact:
    """One news-like event rendered in Indonesian and English."""

    first: str
    last: str
    role: int
    say: int
    count: int
    event: int
    day: int
    date: int
    month: int
    place: str


def _render(f: _Fact, lang: str, *, day: bool = True, place: bool = True) -> str:
    role_id, role_en = _ROLES[f.role]
    noun_id, noun_en, ev_id, ev_en = _EVENTS[f.event]
    name = f"{f.first} {f.last}"
    if lang == "id":
        when = f" pada hari {_DAYS_ID[f.day]} ({f.date}/{f.month + 1})" if day else ""
        where = f" di {f.place}" if place else ""
        return (
            f"{role_id[0].upper()}{role_id[1:]} {name} {_SAY_ID[f.say]}{when} bahwa {f.count} "
            f"{noun_id} {ev_id}{where}."
        )
    when = f" on {_DAYS_EN[f.day]}, {_MONTHS_EN[f.month]} {f.date}," if day else ""
    where = f" in {_PLACES_EN.get(f.place, f.place)}" if place else ""
    return f"{role_en[0].upper()}{role_en[1:]} {name} {_SAY_EN[f.say]}{when} that {f.count} {noun_en} {ev_en}{where}."  # noqa: E501


def _template_pairs(rng: random.Random, n: int, names: Sequence[tuple[str, str]]) -> list[NLIPair]:
    """Pairs from bilingual news templates: every phenomenon, in id-id, en-en and id-en."""
    out: list[NLIPair] = []
    for _ in range(n):
        f = _Fact(
            *rng.choice(names),
            role=rng.randrange(len(_ROLES)),
            say=rng.randrange(4),
            count=rng.choice([rng.randint(2, 60), rng.randint(60, 5000)]),
            event=rng.randrange(len(_EVENTS)),
            day=rng.randrange(7),
            date=rng.randint(1, 28),
            month=rng.randrange(12),
            place=rng.choice(_PLACES),
        )
        lp, lh = rng.choice([("id", "id"), ("id", "id"), ("en", "en"), ("id", "en"), ("en", "id")])
        prem = _render(f, lp)
        kind = rng.choice(
            ["speaker", "number", "weekday", "date", "place", "para", "para", "neutral"]
        )
        if kind == "speaker":
            first, last = rng.choice([nm for nm in names if nm[1] != f.last])
            hyp, lab = _render(_replace(f, first=first, last=last), lh), "contradiction"
        elif kind == "number":
            hyp, lab = (
                _render(_replace(f, count=_changed_number(rng, f.count)), lh),
                "contradiction",
            )
        elif kind == "weekday":
            d = _other(rng, [str(i) for i in range(7)], str(f.day))
            hyp, lab = _render(_replace(f, day=int(d)), lh), "contradiction"
        elif kind == "date":
            if rng.random() < 0.5:
                g = _replace(f, date=int(_other(rng, [str(i) for i in range(1, 29)], str(f.date))))
            else:
                g = _replace(f, month=int(_other(rng, [str(i) for i in range(12)], str(f.month))))
            hyp, lab = _render(g, lh), "contradiction"
        elif kind == "place":
            hyp, lab = (
                _render(_replace(f, place=_other(rng, _PLACES, f.place)), lh),
                "contradiction",
            )
        elif kind == "para":
            # same facts, other verb of saying and/or a dropped detail
            g = _replace(f, say=rng.randrange(4))
            hyp = _render(g, lh, day=rng.random() < 0.6, place=rng.random() < 0.6)
            lab = "entailment"
            kind = "translation" if lp != lh else "paraphrase"
        else:
            # the hypothesis adds a detail the premise does not have
            prem = _render(f, lp, day=False, place=rng.random() < 0.5)
            hyp, lab = _render(f, lh, day=True), "neutral"
            kind = "added_detail"
        out.append(NLIPair(prem, hyp, lab, "synthetic", kind))
    return out


def _replace(f: _Fact, **changes: object) -> _Fact:
    from dataclasses import replace

    return replace(f, **changes)  # type: ignore[arg-type]


def _stance_pairs(
    rng: random.Random,
    n: int,
    names: Sequence[tuple[str, str]],
    claims: Sequence[tuple[str, str]],
) -> list[NLIPair]:
    """Denied vs admitted ("membantah" vs "mengakui"), across and within languages."""
    out: list[NLIPair] = []
    for _ in range(n):
        first, last = rng.choice(names)
        claim_id, claim_en = rng.choice(claims)
        v1 = rng.randrange(len(_STANCE))
        same = rng.random() < 0.4
        if same:
            pol = _STANCE[v1][2]
            v2 = rng.choice([i for i, s in enumerate(_STANCE) if s[2] == pol])
        else:
            v2 = rng.choice([i for i, s in enumerate(_STANCE) if s[2] != _STANCE[v1][2]])
        lp, lh = rng.choice([("id", "id"), ("id", "id"), ("en", "en"), ("id", "en")])

        def say(
            lang: str,
            v: int,
            first: str = first,
            last: str = last,
            cid: str = claim_id,
            cen: str = claim_en,
        ) -> str:
            if lang == "id":
                return f"{first} {last} {_STANCE[v][0]} bahwa {cid}."
            return f"{first} {last} {_STANCE[v][1]} that {cen}."

        label = "entailment" if same else "contradiction"
        out.append(NLIPair(say(lp, v1), say(lh, v2), label, "synthetic", "denied_admitted"))
    return out


_NEG_ID = re.compile(r"\b(tidak|bukan|belum|tak)\b\s*", re.I)
_VERB_ID = re.compile(r"\b(me[a-z]{3,}|ber[a-z]{3,}|di[a-z]{4,})\b")
_NOT_VERBS = {
    "media",
    "menit",
    "merah",
    "meja",
    "memang",
    "menurut",
    "mereka",
    "medan",
    "melalui",
    "meski",
    "meskipun",
    "bersama",
    "berita",
    "berat",
    "beras",
    "berbagai",
    "berdasarkan",
    "berkat",
    "dimana",
    "dirinya",
    "digital",
    "dinas",
    "dibanding",
    "dibandingkan",
    "diri",
    "depan",
    "metode",
    "mesin",
    "menteri",
    "merek",
    "mental",
    "medis",
    "megah",
    "berlian",
    "beruang",
    "dinding",
    "dialog",
    "diskusi",
    "direktur",
    "dinasti",
    "diet",
    "dimensi",
    "distrik",
}
_NEG_EN = re.compile(r"\b(is|are|was|were|has|have|can|will|does|did) not\b|\bn't\b", re.I)
_AUX_EN = re.compile(r"\b(is|are|was|were|can|will)\b")
_NUM = re.compile(r"(?<![\w.,/-])(\d{1,4})(?![\w/])")
_DAY_ID_RE = re.compile(r"\b(" + "|".join(_DAYS_ID) + r")\b")
_DAY_EN_RE = re.compile(r"\b(" + "|".join(_DAYS_EN) + r")\b")
_MONTH_ID_RE = re.compile(r"\b(" + "|".join(_MONTHS_ID) + r")\b")
_MONTH_EN_RE = re.compile(r"\b(" + "|".join(_MONTHS_EN) + r")\b")
_PARA_ID = [
    (r"\bmengatakan\b", "menyatakan"),
    (r"\bmenyatakan\b", "mengatakan"),
    (r"\btelah\b", "sudah"),
    (r"\bsudah\b", "telah"),
    (r"\bnamun\b", "tetapi"),
    (r"\bkarena\b", "sebab"),
    (r"\bsangat\b", "amat"),
    (r"\bhanya\b", "cuma"),
    (r"\bingin\b", "mau"),
    (r"\bsebanyak\b", "sejumlah"),
    (r"\bbanyak\b", "sejumlah besar"),
    (r"\bmulai\b", "memulai"),
]
_PARA_EN = [
    (r"\bsaid\b", "stated"),
    (r"\bbig\b", "large"),
    (r"\bsmall\b", "little"),
    (r"\bman\b", "guy"),
    (r"\bchildren\b", "kids"),
    (r"\bwoman\b", "lady"),
    (r"\bquickly\b", "fast"),
    (r"\bpeople\b", "persons"),
]


def _negate(sent: str, lang: str, rng: random.Random) -> str | None:
    """Insert or remove a negation; None when no safe edit is found."""
    if lang == "id":
        if _NEG_ID.search(sent):
            return _NEG_ID.sub("", sent, count=1)
        m = next((v for v in _VERB_ID.finditer(sent) if v.group(1).lower() not in _NOT_VERBS), None)
        if not m or m.start() < 12:
            return None
        word = "bukan" if sent[m.start() :].startswith("merupakan") else "tidak"
        if re.search(r"\bsudah\b", sent):
            return re.sub(r"\bsudah\b", "belum", sent, count=1)
        return sent[: m.start()] + word + " " + sent[m.start() :]
    if _NEG_EN.search(sent):
        return re.sub(r"\b(is|are|was|were|has|have|can|will|does|did) not\b", r"\1", sent, count=1)
    m = _AUX_EN.search(sent)
    if not m:
        return None
    return sent[: m.end()] + " not" + sent[m.end() :]


def _sentence_pairs(rng: random.Random, sents: Sequence[tuple[str, str]]) -> list[NLIPair]:
    """Edits of real sentences: (sentence, language) -> one pair each where an edit applies."""
    out: list[NLIPair] = []
    for sent, lang in sents:
        ops = ["negation", "number", "date", "paraphrase", "drop_clause"]
        rng.shuffle(ops)
        for op in ops:
            pair = _edit(sent, lang, op, rng)
            if pair is not None:
                out.append(pair)
                break
    return out


def _edit(sent: str, lang: str, op: str, rng: random.Random) -> NLIPair | None:
    hyp: str | None = None
    m: re.Match[str] | None
    label = "contradiction"
    if op == "negation":
        hyp = _negate(sent, lang, rng)
    elif op == "number":
        nums = [m for m in _NUM.finditer(sent) if not (1900 <= int(m.group(1)) <= 2100)]
        if nums:
            m = rng.choice(nums)
            new = _changed_number(rng, int(m.group(1)))
            hyp = sent[: m.start()] + str(new) + sent[m.end() :]
    elif op == "date":
        for pat, names in (
            (_DAY_ID_RE, _DAYS_ID),
            (_DAY_EN_RE, _DAYS_EN),
            (_MONTH_ID_RE, _MONTHS_ID),
            (_MONTH_EN_RE, _MONTHS_EN),
        ):
            m = pat.search(sent)
            if m:
                hyp = sent[: m.start()] + _other(rng, names, m.group(1)) + sent[m.end() :]
                op = "weekday" if names in (_DAYS_ID, _DAYS_EN) else "date"
                break
        else:
            years = [m for m in _NUM.finditer(sent) if 1900 <= int(m.group(1)) <= 2100]
            if years:
                m = rng.choice(years)
                hyp = (
                    sent[: m.start()]
                    + str(int(m.group(1)) + rng.choice([-2, -1, 1, 3]))
                    + sent[m.end() :]
                )
    elif op == "paraphrase":
        label = "entailment"
        table = _PARA_ID if lang == "id" else _PARA_EN
        hits = [(p, r) for p, r in table if re.search(p, sent)]
        if hits:
            p, r = rng.choice(hits)
            hyp = re.sub(p, r, sent, count=1)
            if hyp == sent:
                hyp = None
        elif lang == "id":
            m = _NUM.search(sent)
            if m and int(m.group(1)) in _NUM_WORDS_ID:
                hyp = sent[: m.start()] + _NUM_WORDS_ID[int(m.group(1))] + sent[m.end() :]
        else:
            m = _NUM.search(sent)
            if m and int(m.group(1)) in _NUM_WORDS_EN:
                hyp = sent[: m.start()] + _NUM_WORDS_EN[int(m.group(1))] + sent[m.end() :]
    elif op == "drop_clause":
        label = "entailment"
        # drop a parenthesis or a trailing clause after a comma + relative/coordinating word
        m = re.search(r"\s*\([^()]{2,60}\)", sent)
        if m:
            hyp = sent[: m.start()] + sent[m.end() :]
        else:
            m = re.search(r",\s*(yang|dan|sehingga|which|while|and)\s+[^,]{8,}[.]?$", sent)
            if m and m.start() > 25:
                hyp = sent[: m.start()] + "."
    if hyp is None or hyp.strip() == sent.strip():
        return None
    hyp = re.sub(r"\s{2,}", " ", hyp).strip()
    return NLIPair(sent, hyp, label, "synthetic", op)


def news_sentences(
    pairs: Iterable[NLIPair], lang: str, *, heldout: bool, max_chars: int = 300
) -> list[tuple[str, str]]:
    """Distinct premises of ``pairs`` as (sentence, lang), split by a stable hash (10% held out)."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for p in pairs:
        s = p.premise
        if s in seen or len(s) > max_chars or len(s) < 20:
            continue
        seen.add(s)
        if (_stable_fraction(s) < 0.1) == heldout:
            out.append((s, lang))
    return out


def synthetic_pairs(
    id_sentences: Sequence[str],
    en_sentences: Sequence[str],
    *,
    n_template: int = 3000,
    n_stance: int = 1200,
    heldout: bool = False,
    seed: int = 13,
) -> list[NLIPair]:
    """FactCC-style synthetic pairs (see the module docstring).

    Args:
        id_sentences: real Indonesian sentences to edit.
        en_sentences: real English sentences to edit.
        n_template: how many bilingual template pairs.
        n_stance: how many denied/admitted pairs.
        heldout: use the held-apart names and claims (for per-phenomenon accuracy).
        seed: random seed.

    Returns:
        Pairs with ``source="synthetic"`` and their ``phenomenon`` set.
    """
    rng = random.Random(seed + (1000 if heldout else 0))
    names = _NAMES_HELDOUT if heldout else _NAMES_TRAIN
    claims = _CLAIMS_HELDOUT if heldout else _CLAIMS
    out = _template_pairs(rng, n_template, names)
    out += _stance_pairs(rng, n_stance, names, claims)
    sents = [(s, "id") for s in id_sentences] + [(s, "en") for s in en_sentences]
    out += _sentence_pairs(rng, sents)
    rng.shuffle(out)
    return out


def build_training_set(
    root: Path | None = None,
    *,
    indonli_repeat: int = 1,
    mnli_max: int = 0,
    use_mnli_dev: bool = False,
    use_mnli_en: bool = False,
    use_snli: bool = True,
    snli_max: int = 12000,
    synthetic: bool = True,
    n_template: int = 3000,
    n_stance: int = 1200,
    id_sentences_max: int = 3000,
    en_sentences_max: int = 1500,
    seed: int = 13,
) -> list[NLIPair]:
    """The training pairs: IndoNLI train, translated MNLI, SNLI (optional) and synthetic pairs.

    Args:
        root: the data root (default :func:`default_data_root`).
        indonli_repeat: how many times IndoNLI train is included (oversampling).
        mnli_max: at most this many translated MNLI pairs (a seeded sample; 0 = all).
        use_mnli_dev: also include the translated MNLI development split (2,198 pairs).
        use_mnli_en: include the two English MNLI dev samples (2,000 pairs, detokenised).
        use_snli: include English SNLI (dev + test) pairs.
        snli_max: at most this many SNLI pairs (a seeded sample).
        synthetic: include FactCC-style synthetic pairs (:func:`synthetic_pairs`).
        n_template: template pairs.
        n_stance: denied/admitted pairs.
        id_sentences_max: IndoNLI premises edited into synthetic pairs.
        en_sentences_max: SNLI premises edited into synthetic pairs.
        seed: random seed.

    Never includes evaluation-only (CC BY-NC) data.
    """
    rng = random.Random(seed)
    indo = load_split("indonli-train", root, for_training=True)
    mnli = load_split("mnli-id-train", root, for_training=True)
    if mnli_max:
        rng.shuffle(mnli)
        mnli = mnli[:mnli_max]
    if use_mnli_dev:
        mnli += load_split("mnli-id-dev", root, for_training=True)
    data = indo * max(1, indonli_repeat) + mnli
    if use_mnli_en:
        data += load_split("mnli-m-sample", root, for_training=True)
        data += load_split("mnli-mm-sample", root, for_training=True)
    snli: list[NLIPair] = []
    if use_snli:
        snli = load_split("snli-dev", root, for_training=True)
        snli += load_split("snli-test", root, for_training=True)
        rng.shuffle(snli)
        snli = snli[:snli_max]
        data += snli
    if synthetic:
        id_s = news_sentences(indo, "id", heldout=False)
        en_s = news_sentences(snli, "en", heldout=False)
        rng.shuffle(id_s)
        rng.shuffle(en_s)
        data += synthetic_pairs(
            [s for s, _ in id_s[:id_sentences_max]],
            [s for s, _ in en_s[:en_sentences_max]],
            n_template=n_template,
            n_stance=n_stance,
            seed=seed,
        )
    rng.shuffle(data)
    return data


def heldout_synthetic(root: Path | None = None, *, seed: int = 13) -> list[NLIPair]:
    """The held-apart synthetic slice: other names and claims, held-out source sentences."""
    indo_val = load_split("indonli-val", root)
    snli = load_split("snli-test", root)
    id_s = news_sentences(indo_val, "id", heldout=True, max_chars=300)
    id_s += news_sentences(load_split("indonli-train", root), "id", heldout=True)
    en_s = news_sentences(snli, "en", heldout=True)
    return synthetic_pairs(
        [s for s, _ in id_s[:600]],
        [s for s, _ in en_s[:300]],
        n_template=600,
        n_stance=300,
        heldout=True,
        seed=seed,
    )
