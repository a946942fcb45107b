"""Synthetic NLI pairs from real sentences, edited as news drifts between outlets: a
negation inserted or removed, a number, weekday or month changed (contradiction); a
light paraphrase or a dropped clause (entailment).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from consistency.training.nli_corpora import NLIPair
from consistency.training.nli_words import (
    DAYS_EN,
    DAYS_ID,
    MONTHS_EN,
    MONTHS_ID,
    NUM_WORDS_EN,
    NUM_WORDS_ID,
    another,
    changed_number,
)

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


_DAY_ID_RE = re.compile(r"\b(" + "|".join(DAYS_ID) + r")\b")


_DAY_EN_RE = re.compile(r"\b(" + "|".join(DAYS_EN) + r")\b")


_MONTH_ID_RE = re.compile(r"\b(" + "|".join(MONTHS_ID) + r")\b")


_MONTH_EN_RE = re.compile(r"\b(" + "|".join(MONTHS_EN) + r")\b")


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


def negate(sent: str, lang: str, rng: random.Random) -> str | None:
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


def sentence_pairs(rng: random.Random, sents: Sequence[tuple[str, str]]) -> list[NLIPair]:
    """Edits of real sentences: (sentence, language) -> one pair each where an edit applies."""
    out: list[NLIPair] = []
    for sent, lang in sents:
        ops = ["negation", "number", "date", "paraphrase", "drop_clause"]
        rng.shuffle(ops)
        for op in ops:
            pair = edit_pair(sent, lang, op, rng)
            if pair is not None:
                out.append(pair)
                break
    return out


def edit_pair(sent: str, lang: str, op: str, rng: random.Random) -> NLIPair | None:
    hyp: str | None = None
    m: re.Match[str] | None
    label = "contradiction"
    if op == "negation":
        hyp = negate(sent, lang, rng)
    elif op == "number":
        nums = [m for m in _NUM.finditer(sent) if not (1900 <= int(m.group(1)) <= 2100)]
        if nums:
            m = rng.choice(nums)
            new = changed_number(rng, int(m.group(1)))
            hyp = sent[: m.start()] + str(new) + sent[m.end() :]
    elif op == "date":
        for pat, names in (
            (_DAY_ID_RE, DAYS_ID),
            (_DAY_EN_RE, DAYS_EN),
            (_MONTH_ID_RE, MONTHS_ID),
            (_MONTH_EN_RE, MONTHS_EN),
        ):
            m = pat.search(sent)
            if m:
                hyp = sent[: m.start()] + another(rng, names, m.group(1)) + sent[m.end() :]
                op = "weekday" if names in (DAYS_ID, DAYS_EN) else "date"
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
            if m and int(m.group(1)) in NUM_WORDS_ID:
                hyp = sent[: m.start()] + NUM_WORDS_ID[int(m.group(1))] + sent[m.end() :]
        else:
            m = _NUM.search(sent)
            if m and int(m.group(1)) in NUM_WORDS_EN:
                hyp = sent[: m.start()] + NUM_WORDS_EN[int(m.group(1))] + sent[m.end() :]
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
