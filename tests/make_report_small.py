"""Build ``tests/data/report_small.json``, the hand-made report the review UI tests use.

Run ``python tests/make_report_small.py`` from the repository root to rebuild it.
The articles are short excerpts of the sample articles in ``data/`` (plus one
short English paragraph written for the fixture); the findings are written by
hand, with offsets computed from the texts, so the fixture is reproducible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import polars as pl

from consistency.outputs.report import Report, write_json
from consistency.types import (
    ARTICLES,
    CLAIM_LINKS,
    CLAIMS,
    DIVERGENCES,
    FACTS,
    PAIRS,
    SENTENCES,
    make_divergence_id,
)

OUT = Path(__file__).parent / "data" / "report_small.json"

ARTICLES_RAW = [
    (
        "liputan6",
        "Liputan6.com",
        dt.date(2023, 9, 5),
        "id",
        "Kim Jong Un dan Vladimir Putin Disebut Bakal Bertemu di Rusia\n\n"
        '"Kami dapat informasi bahwa Kim Jong Un mengharapkan diskusi ini akan terus '
        'berlanjut, termasuk keterlibatan diplomatik level pemimpin di Rusia," ujar juru '
        "bicara Dewan Keamanan Nasional Amerika Serikat (NSC) Andrienne Watson, seperti "
        "dilansir CNN, Selasa (5/9/2023).\n\n"
        "Watson tidak merinci lebih lanjut kapan dan di mana kemungkinan pertemuan antara "
        "Kim Jong Un dan Putin terjadi.\n\n"
        '"Kunjungan Menhan Shoigu dilakukan untuk mencoba meyakinkan Pyongyang agar menjual '
        'amunisi artileri ke Rusia," ungkap Watson. "Kami mendesak Korea Utara untuk '
        "menghentikan perundingan senjata dengan Rusia dan mematuhi komitmen publik yang "
        'telah dibuat Pyongyang untuk tidak menyediakan atau menjual senjata ke Rusia."\n',
    ),
    (
        "tempo",
        "Tempo.co",
        dt.date(2023, 8, 31),
        "id",
        "Rusia dan Korea Utara Makin Dekat\n\n"
        "Juru bicara keamanan nasional Gedung Putih John Kirby mengatakan pada konferensi "
        "pers bahwa Menteri Pertahanan Rusia Sergei Shoigu telah mencoba mengunjungi Korea "
        "Utara untuk meyakinkan Pyongyang agar menjual amunisi artileri ke Rusia. Presiden "
        "Rusia Vladimir Putin dan pemimpin Korea Utara Kim Jong Un telah bertukar surat.\n\n"
        "Kirby mengatakan Korea Utara mengirimkan roket dan rudal infanteri ke Rusia tahun "
        "lalu. Sejak itu Moskow berupaya memperoleh amunisi tambahan.\n\n"
        "“Kami mendesak Korea Utara untuk menghentikan perundingan senjata dengan Rusia dan "
        "mematuhi komitmen publik yang telah dibuat Pyongyang untuk tidak menyediakan atau "
        "menjual senjata ke Rusia,” kata Kirby.\n",
    ),
    (
        "satuharapan",
        "SATUHARAPAN.COM",
        None,
        "id",
        "AS: Rusia Akan Membeli Roket dan Peluru dari Korea Utara\n"
        "Seorang pejabat AS, yang berbicara dengan syarat anonim, mengatakan pada hari "
        "Senin (5/9) bahwa Rusia beralih ke negara terisolasi Korea Utara.\n"
        "Korea Utara telah menguji coba lebih dari 30 rudal balistik tahun ini, termasuk "
        "penerbangan pertama rudal balistik antar benua sejak 2017.\n",
    ),
    (
        "apnews",
        "AP (English)",
        dt.date(2022, 9, 6),
        "en",
        "Russia buying North Korean rockets, shells, US says\n\n"
        "A U.S. official said on Monday that Russia is buying rockets and artillery shells "
        "from North Korea. North Korea has tested more than 40 ballistic missiles this year, "
        "including its first intercontinental ballistic missile flight since 2017.\n",
    ),
]


def _sentences(aid: str, text: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    block = 0
    for m in re.finditer(r"[^\n]+", text):
        line_start = m.start()
        for s in re.finditer(r'.+?(?:[.!?]["”]?(?=\s)|$)', m.group()):
            frag = s.group()
            lead = len(frag) - len(frag.lstrip())
            body = frag.strip()
            if not body:
                continue
            start = line_start + s.start() + lead
            rows.append(
                {
                    "article_id": aid,
                    "sent_idx": len(rows),
                    "block_idx": block,
                    "start": start,
                    "end": start + len(body),
                    "text": body,
                }
            )
        block += 1
    return rows


def build() -> Report:
    """The fixture report."""
    arts = []
    sents: list[dict[str, object]] = []
    for aid, outlet, date, lang, text in ARTICLES_RAW:
        arts.append(
            {
                "article_id": aid,
                "source": f"tests/data/{aid}.txt",
                "outlet": outlet,
                "title": text.split("\n", 1)[0],
                "url": None,
                "published": date,
                "language": lang,
                "text": text,
                "text_sha": hashlib.sha256(text.encode()).hexdigest(),
            }
        )
        sents += _sentences(aid, text)
    articles = ARTICLES.conform(pl.DataFrame(arts, schema=ARTICLES.polars_schema))
    sentences = SENTENCES.conform(pl.DataFrame(sents, schema=SENTENCES.polars_schema))
    texts = {a["article_id"]: a["text"] for a in arts}
    shas = {a["article_id"]: a["text_sha"] for a in arts}

    def side(aid: str, contains: str, marks: list[str]) -> dict[str, object]:
        for s in sents:
            if s["article_id"] == aid and contains in str(s["text"]):
                st, en = int(s["start"]), int(s["end"])  # type: ignore[call-overload]
                hl = []
                for w in marks:
                    i = texts[aid].index(w, st)
                    assert i + len(w) <= en, (aid, w)
                    hl.append([i, i + len(w)])
                return {"article": aid, "idx": s["sent_idx"], "start": st, "end": en, "hl": hl}
        raise KeyError((aid, contains))

    def finding(kind, severity, score, a, b, explanation, evidence):  # type: ignore[no-untyped-def]
        did = make_divergence_id(
            kind,
            shas[a["article"]],
            a["start"],
            a["end"],
            shas[b["article"]] if b else None,
            b["start"] if b else None,
            b["end"] if b else None,
        )
        return {
            "divergence_id": did,
            "kind": kind,
            "severity": severity,
            "score": score,
            "a_article": a["article"],
            "a_idx": a["idx"],
            "a_start": a["start"],
            "a_end": a["end"],
            "a_highlight": a["hl"],
            "b_article": b["article"] if b else None,
            "b_idx": b["idx"] if b else None,
            "b_start": b["start"] if b else None,
            "b_end": b["end"] if b else None,
            "b_highlight": b["hl"] if b else None,
            "explanation": explanation,
            "evidence": json.dumps(evidence, ensure_ascii=False),
            "claim_id": None,
        }

    rows = [
        finding(
            "attribution",
            "high",
            0.93,
            side("liputan6", "Kunjungan Menhan Shoigu", ["Watson"]),
            side("tempo", "John Kirby mengatakan", ["John Kirby"]),
            "The same statement is attributed to Watson in Liputan6.com "
            "and to John Kirby in Tempo.co.",
            {
                "similarity": 0.962,
                "margin": 0.041,
                "nli": {"entail": 0.81, "neutral": 0.15, "contra": 0.04},
                "a_speaker": "Watson",
                "b_speaker": "John Kirby",
                "a_how": "post",
                "b_how": "pre",
            },
        ),
        finding(
            "attribution",
            "medium",
            0.74,
            side("liputan6", "Kami mendesak", []),
            side("tempo", "Kami mendesak", ["Kirby"]),
            "A quote said by Kirby in Tempo.co follows a quote of Watson in Liputan6.com.",
            {
                "similarity": 0.991,
                "margin": 0.102,
                "a_speaker": "Watson",
                "b_speaker": "Kirby",
                "a_how": "quote_span",
                "b_how": "post",
            },
        ),
        finding(
            "number",
            "medium",
            0.68,
            side("satuharapan", "30 rudal", ["lebih dari 30 rudal balistik"]),
            side("apnews", "more than 40", ["more than 40 ballistic missiles"]),
            "Missiles tested this year: more than 30 in SATUHARAPAN.COM, "
            "more than 40 in AP (English).",
            {
                "similarity": 0.921,
                "margin": 0.022,
                "numbers": {
                    "a": {"value": 30, "unit": "rudal balistik", "qualifier": "more_than"},
                    "b": {"value": 40, "unit": "ballistic missiles", "qualifier": "more_than"},
                },
            },
        ),
        finding(
            "date",
            "medium",
            0.81,
            side("satuharapan", "Senin (5/9)", ["Senin (5/9)"]),
            None,
            "Monday 5/9: 5 September 2023 was a Tuesday; the nearest Monday 5 September "
            "was in 2022.",
            {"dates": {"a": {"surface": "Senin (5/9)", "weekday": "Senin", "resolved": None}}},
        ),
        finding(
            "date",
            "low",
            0.55,
            side("liputan6", "Selasa (5/9/2023)", ["Selasa (5/9/2023)"]),
            side("satuharapan", "Senin (5/9)", ["Senin (5/9)"]),
            "Selasa (5/9/2023) against Senin (5/9): the same day with different weekdays.",
            {
                "dates": {
                    "a": {"surface": "Selasa (5/9/2023)", "resolved": "2023-09-05"},
                    "b": {"surface": "Senin (5/9)", "resolved": None},
                }
            },
        ),
        finding(
            "contradiction",
            "low",
            0.41,
            side("liputan6", "Watson tidak merinci", ["tidak merinci"]),
            side("tempo", "Kirby mengatakan Korea Utara", ["mengatakan"]),
            "NLI finds a possible contradiction between these sentences.",
            {
                "similarity": 0.884,
                "margin": 0.016,
                "nli": {"entail": 0.12, "neutral": 0.47, "contra": 0.41},
            },
        ),
    ]
    claims, links, groups = _claims(texts, sents)
    number = next(r for r in rows if r["kind"] == "number")
    number["claim_id"] = groups["satuharapan:" + _span(texts["satuharapan"], "lebih dari 30")]
    divergences = DIVERGENCES.conform(pl.DataFrame(rows, schema=DIVERGENCES.polars_schema))
    return Report(
        articles=articles,
        sentences=sentences,
        facts=FACTS.empty(),
        pairs=PAIRS.empty(),
        divergences=divergences,
        generated_by={"version": "fixture", "embed_model": "fixture", "nli_model": "fixture"},
        warnings=(),
        claims=claims,
        claim_links=links,
        claim_groups=groups,
    )


def _span(text: str, surface: str) -> str:
    i = text.index(surface)
    return f"{i}-{i + len(surface)}"


# (group, article, slot, subject, value, qualifier, surface as written)
CLAIMS_RAW = [
    (
        "missiles",
        "satuharapan",
        "count",
        "ballistic missiles tested",
        "30",
        "more_than",
        "lebih dari 30",
    ),
    ("missiles", "apnews", "count", "ballistic missiles tested", "40", "more_than", "more than 40"),
    ("icbm", "satuharapan", "year", "first ICBM flight", "2017", "exact", "2017"),
    ("icbm", "apnews", "year", "first ICBM flight", "2017", "exact", "2017"),
]


def _claims(
    texts: dict[str, str], sents: list[dict[str, object]]
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str]]:
    """Two claim groups: the missile count (30 against 40) and the year of the ICBM flight."""
    rows = []
    members: dict[str, list[str]] = {}
    for group, aid, slot, subject, value, qual, surface in CLAIMS_RAW:
        start = texts[aid].index(surface)
        end = start + len(surface)
        sent = next(
            x["sent_idx"]
            for x in sents
            if x["article_id"] == aid and int(x["start"]) <= start < int(x["end"])  # type: ignore[call-overload]
        )
        cid = f"{aid}:{start}-{end}"
        members.setdefault(group, []).append(cid)
        rows.append(
            {
                "claim_id": cid,
                "article_id": aid,
                "sent_idx": sent,
                "slot": slot,
                "subject": subject,
                "value_kind": "count" if slot == "count" else "time",
                "value": value,
                "value_num": float(value),
                "value_lo": float(value),
                "value_hi": None,
                "qualifier": qual,
                "start": start,
                "end": end,
                "surface": surface,
                "cue": None,
                "detail": "{}",
            }
        )
    claims = CLAIMS.conform(pl.DataFrame(rows, schema=CLAIMS.polars_schema))
    slot = {r["claim_id"]: r["slot"] for r in rows}
    links, groups = [], {}
    for cs in members.values():
        a, b = sorted(cs)
        same = claims.filter(pl.col("claim_id").is_in(cs))["value"].n_unique() == 1
        links.append(
            {
                "a_claim": a,
                "b_claim": b,
                "slot": slot[a],
                "similarity": 0.9,
                "compatible": same,
                "reason": "same value" if same else "more than 30 against more than 40",
            }
        )
        gid = "c" + hashlib.sha256(f"{slot[a]}|{a}".encode()).hexdigest()[:12]
        groups.update({c: gid for c in cs})
    return (
        claims,
        CLAIM_LINKS.conform(pl.DataFrame(links, schema=CLAIM_LINKS.polars_schema)),
        groups,
    )


if __name__ == "__main__":
    write_json(build(), OUT)
    print(f"wrote {OUT}")
