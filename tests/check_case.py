"""Hand-built inputs for the CI gate's tests (no models): articles on disk and findings.

``make_case(tmp_path)`` writes three short articles (two NEW, one corpus) and
returns a :class:`~consistency.runner.check.CheckResult`-ready report whose findings'
offsets are computed from the texts, so positions can be asserted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from consistency.outputs.report import Report
from consistency.types import (
    ARTICLES,
    DIVERGENCES,
    FACTS,
    PAIRS,
    SENTENCES,
    make_divergence_id,
)

NEW_TEXT = (
    "Rusia dan Korea Utara\n"
    "\n"
    'Juru bicara NSC Andrienne Watson berkata: "Kim akan ke Rusia," ujarnya.\n'
    "Korea Utara menguji 30 rudal tahun ini.\n"
)
NEW2_TEXT = "Berita kedua\n\nKim bertemu Putin pada Senin (5/9).\n"
CORPUS_TEXT = (
    "Kirby: Kim ke Rusia\n"
    "\n"
    'Juru bicara John Kirby berkata: "Kim akan ke Rusia," ujarnya.\n'
    "Korea Utara menguji lebih dari 20 rudal tahun ini.\n"
)
CORPUS2_TEXT = "Korpus kedua\n\nPutin bertemu Kim, Selasa (5/9/2023).\n"


def sha(text: str) -> str:
    """sha256 hex, as ingest computes ``text_sha``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Case:
    """A small check case: files on disk and a pipeline report over them."""

    report: Report
    new_ids: tuple[str, ...]
    paths: dict[str, Path]
    texts: dict[str, str]


def articles_frame(items: list[tuple[str, Path | str, str, str | None]]) -> pl.DataFrame:
    """An ARTICLES frame from ``(article_id, source, text, outlet)`` tuples."""
    return ARTICLES.conform(
        pl.DataFrame(
            [
                {
                    "article_id": aid,
                    "source": str(src),
                    "outlet": outlet,
                    "title": None,
                    "url": None,
                    "published": None,
                    "language": "id",
                    "text": text,
                    "text_sha": sha(text),
                }
                for aid, src, text, outlet in items
            ],
            schema=ARTICLES.polars_schema,
        )
    )


def finding(
    kind: str,
    severity: str,
    score: float,
    texts: dict[str, str],
    a: tuple[str, str],
    b: tuple[str, str] | None,
    explanation: str,
) -> dict[str, object]:
    """A DIVERGENCES row whose spans are the first occurrence of the given phrases."""
    a_art, a_phrase = a
    a_start = texts[a_art].index(a_phrase)
    a_end = a_start + len(a_phrase)
    row: dict[str, object] = {
        "kind": kind,
        "severity": severity,
        "score": score,
        "a_article": a_art,
        "a_idx": 0,
        "a_start": a_start,
        "a_end": a_end,
        "a_highlight": [[a_start, a_end]],
        "explanation": explanation,
        "evidence": json.dumps({"test": True}),
        "b_article": None,
        "b_idx": None,
        "b_start": None,
        "b_end": None,
        "b_highlight": None,
    }
    b_sha = b_start = b_end = None
    if b is not None:
        b_art, b_phrase = b
        b_start = texts[b_art].index(b_phrase)
        b_end = b_start + len(b_phrase)
        b_sha = sha(texts[b_art])
        row.update(
            b_article=b_art,
            b_idx=0,
            b_start=b_start,
            b_end=b_end,
            b_highlight=[[b_start, b_end]],
        )
    row["divergence_id"] = make_divergence_id(
        kind, sha(texts[a_art]), a_start, a_end, b_sha, b_start, b_end
    )
    return row


def make_case(tmp_path: Path, cwd: Path | None = None) -> Case:
    """Write the articles under ``tmp_path/articles`` and build a report with five findings.

    Findings: attribution (high, new vs corpus), number (medium, new vs corpus),
    date (low, new2 vs corpus2), unique (low, single-article on new), and one
    corpus-internal contradiction (high, corpus vs corpus2) that a check must drop.
    """
    root = tmp_path / "articles"
    root.mkdir(parents=True, exist_ok=True)
    texts = {"new": NEW_TEXT, "new2": NEW2_TEXT, "corpus": CORPUS_TEXT, "corpus2": CORPUS2_TEXT}
    paths = {}
    for aid, text in texts.items():
        p = root / f"{aid}.txt"
        p.write_text(text, encoding="utf-8")
        paths[aid] = p
    base = cwd or tmp_path
    arts = articles_frame(
        [
            (
                aid,
                paths[aid].relative_to(base) if paths[aid].is_relative_to(base) else paths[aid],
                texts[aid],
                outlet,
            )
            for aid, outlet in (
                ("new", "Liputan6.com"),
                ("new2", None),
                ("corpus", "Tempo.co"),
                ("corpus2", "SINDOnews"),
            )
        ]
    )
    rows = [
        finding(
            "attribution",
            "high",
            0.93,
            texts,
            ("new", "Andrienne Watson"),
            ("corpus", "John Kirby"),
            "The quote is attributed to Andrienne Watson here but to John Kirby there.",
        ),
        finding(
            "number",
            "medium",
            0.7,
            texts,
            ("corpus", "lebih dari 20 rudal"),
            ("new", "30 rudal"),
            "30 missiles vs more than 20 [missiles].",
        ),
        finding(
            "date",
            "low",
            0.4,
            texts,
            ("new2", "Senin (5/9)"),
            ("corpus2", "Selasa (5/9/2023)"),
            "Monday 5/9 vs Tuesday 5/9/2023.",
        ),
        finding(
            "unique", "low", 0.3, texts, ("new", "30 rudal"), None, "Only this outlet: 30 missiles."
        ),
        finding(
            "contradiction",
            "high",
            0.99,
            texts,
            ("corpus", "Kirby"),
            ("corpus2", "Putin bertemu Kim"),
            "Corpus-internal: not this build's fault.",
        ),
    ]
    divs = DIVERGENCES.conform(pl.DataFrame(rows, schema=DIVERGENCES.polars_schema))
    sents = SENTENCES.empty()
    report = Report(
        articles=arts,
        sentences=sents,
        facts=FACTS.empty(),
        pairs=PAIRS.empty(),
        divergences=divs,
        generated_by={"version": "test", "embed_model": "fake", "nli_model": None},
    )
    return Case(report=report, new_ids=("new", "new2"), paths=paths, texts=texts)
