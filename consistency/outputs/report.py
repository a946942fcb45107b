"""Report: the finished result of a run, and its JSON form (the ``consistency.report/3`` contract).

The Markdown and HTML renderers live in :mod:`consistency.outputs.md` and
:mod:`consistency.outputs.html`; both render the JSON form, and
:func:`to_markdown` / :func:`to_html` here are their entry points. Parquet is
:mod:`consistency.outputs.parquet`; every format is in the one table of
:mod:`consistency.outputs.formats`.

Takes ARTICLES, SENTENCES, FACTS, PAIRS and DIVERGENCES frames (see
:mod:`consistency.types`) and renders them. The JSON form is a contract other
tools read (schema ``consistency.report/3``; ``/2`` listed the figures only one
outlet gives among the divergences, ``/1`` had no stories); :func:`load_report`
reads each back into a :class:`Report`, so the review UI
and the CI gate can work from a saved file as well as from a fresh run.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from consistency.claims.rows import base_unit, claim_unit
from consistency.outputs.files import json_text, write_text_atomic
from consistency.outputs.html import render_html
from consistency.outputs.md import MATRIX_MAX_ROWS as MATRIX_MAX_ROWS
from consistency.outputs.md import ClaimMatrix as ClaimMatrix
from consistency.outputs.md import as_shown as as_shown
from consistency.outputs.md import claim_label as claim_label
from consistency.outputs.md import claim_matrix as claim_matrix
from consistency.outputs.md import md_text as md_text
from consistency.outputs.md import render_markdown
from consistency.types import (
    ARTICLES,
    DIVERGENCES,
    FACTS,
    PAIRS,
    SENTENCES,
    STORIES,
    InputError,
    Kind,
    Severity,
)

REPORT_SCHEMA = "consistency.report/3"
"""The schema this version writes: ``/2`` added ``stories`` and each finding's ``story``;
``/3`` lists the figures only one outlet gives apart (``uncorroborated``)."""

READ_SCHEMAS = ("consistency.report/1", "consistency.report/2", REPORT_SCHEMA)
"""The schemas :func:`load_report` reads (a ``/1`` report is one story)."""

UNCORROBORATED_KINDS = frozenset({Kind.UNIQUE.value})
"""Kinds of finding that are no disagreement: a figure only one outlet gives ("lebih
dari 30 rudal") is shown for a reviewer to weigh, in the contract's ``uncorroborated``
list, not among the ``divergences`` (which two outlets' values make)."""


@dataclass(frozen=True)
class Report:
    """Everything a run produced.

    Attributes:
        articles: ARTICLES frame.
        sentences: SENTENCES frame.
        facts: FACTS frame.
        pairs: PAIRS frame.
        divergences: DIVERGENCES frame, sorted by severity then score.
        generated_by: version and model ids.
        warnings: one-line warnings raised while reading the input.
        verdicts: the reviewers' verdicts, when a review file was given.
        claims: CLAIMS frame (None for a report read back from JSON).
        claim_links: CLAIM_LINKS frame (None likewise).
        claim_groups: claim id -> claim group id.
        loaded_claims: the ``claims`` list of a report read back from JSON.
        stories: STORIES frame; None when the run did not group (then all
            articles are one story).
    """

    articles: pl.DataFrame
    sentences: pl.DataFrame
    facts: pl.DataFrame
    pairs: pl.DataFrame
    divergences: pl.DataFrame
    generated_by: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    verdicts: pl.DataFrame | None = None
    claims: pl.DataFrame | None = None
    claim_links: pl.DataFrame | None = None
    claim_groups: dict[str, str] = field(default_factory=dict)
    loaded_claims: tuple[dict[str, Any], ...] = ()
    stories: pl.DataFrame | None = None

    def story_frame(self) -> pl.DataFrame:
        """The STORIES frame; every article in one story when the run did not group."""
        if self.stories is not None:
            return self.stories
        from consistency.stages.stories import one_story

        return one_story(self.articles)

    def article(self, article_id: str) -> dict[str, Any]:
        """One article's row as a dict."""
        rows = self.articles.filter(pl.col("article_id") == article_id).to_dicts()
        if not rows:
            raise KeyError(article_id)
        return rows[0]

    def context(self, article_id: str, sent_idx: int) -> tuple[str | None, str | None]:
        """The kept sentences just before and after ``sent_idx`` (None at the edges)."""
        s = self.sentences.filter(pl.col("article_id") == article_id)
        before = s.filter(pl.col("sent_idx") == sent_idx - 1)["text"].to_list()
        after = s.filter(pl.col("sent_idx") == sent_idx + 1)["text"].to_list()
        return (before[0] if before else None, after[0] if after else None)

    def sorted_divergences(self) -> pl.DataFrame:
        """Divergences by severity (high first), then score (high first), then id."""
        return sort_divergences(self.divergences)


def sort_divergences(df: pl.DataFrame) -> pl.DataFrame:
    """Sort a DIVERGENCES frame by severity, score (descending) and id."""
    rank = {s.value: s.rank for s in Severity}
    return (
        df.with_columns(pl.col("severity").replace_strict(rank, return_dtype=pl.Int8).alias("_r"))
        .sort(["_r", "score", "divergence_id"], descending=[False, True, False])
        .drop("_r")
    )


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _published(d: dt.date | None, precision: str | None) -> str | None:
    """ISO date, cut to its precision: ``2023-09-05``, ``2023-09`` or ``2023``."""
    if d is None:
        return None
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _side(
    report: Report,
    texts: dict[str, str],
    outlets: dict[str, str | None],
    row: dict[str, Any],
    p: str,
) -> dict[str, Any] | None:
    art = row[f"{p}_article"]
    if art is None:
        return None
    start, end = int(row[f"{p}_start"]), int(row[f"{p}_end"])
    before, after = report.context(art, int(row[f"{p}_idx"]))
    return {
        "article_id": art,
        "outlet": outlets.get(art),
        "sent_idx": int(row[f"{p}_idx"]),
        "start": start,
        "end": end,
        "text": texts[art][start:end],
        "highlight": [[int(a), int(b)] for a, b in (row[f"{p}_highlight"] or [])],
        "before": before,
        "after": after,
    }


def to_json_dict(report: Report) -> dict[str, Any]:
    """The report as the ``consistency.report/3`` JSON object.

    Besides the contract's fields it carries each article's ``text`` and
    ``source``, each side's ``outlet``, ``sent_idx`` and context sentences,
    and each divergence's ``evidence``, so that a saved report is enough to
    review. The findings of :data:`UNCORROBORATED_KINDS` are listed apart
    (``uncorroborated``), each as a divergence is.
    """
    texts = dict(zip(report.articles["article_id"], report.articles["text"], strict=True))
    outlets = dict(zip(report.articles["article_id"], report.articles["outlet"], strict=True))
    n_sent = dict(report.sentences.group_by("article_id").len().iter_rows())
    stories = report.story_frame()
    story = story_of(stories)
    articles = [
        {
            "id": r["article_id"],
            "outlet": r["outlet"],
            "title": r["title"],
            "published": _published(r["published"], r.get("published_precision")),
            "language": r["language"],
            "n_sentences": int(n_sent.get(r["article_id"], 0)),
            "source": r["source"],
            "url": r["url"],
            "text_sha": r["text_sha"],
            "story": story.get(r["article_id"]),
            "text": r["text"],
        }
        for r in report.articles.iter_rows(named=True)
    ]
    marks: dict[str, tuple[str | None, str | None]] = {}
    if report.verdicts is not None:
        marks = {
            r["divergence_id"]: (r["verdict"], r["note"])
            for r in report.verdicts.iter_rows(named=True)
        }
    divergences = []
    for r in sort_divergences(report.divergences).iter_rows(named=True):
        item: dict[str, Any] = {
            "id": r["divergence_id"],
            "kind": r["kind"],
            "severity": r["severity"],
            "score": round(float(r["score"]), 4),
            "a": _side(report, texts, outlets, r, "a"),
            "b": _side(report, texts, outlets, r, "b"),
            "explanation": r["explanation"],
            "evidence": json.loads(r["evidence"]) if r["evidence"] else {},
            "claim": r["claim_id"],
            "story": story.get(r["a_article"]),
        }
        if report.verdicts is not None:
            verdict, note = marks.get(r["divergence_id"], (None, None))
            item["verdict"] = verdict
            item["note"] = note
        divergences.append(item)
    return {
        "schema": REPORT_SCHEMA,
        "generated_by": report.generated_by,
        "articles": articles,
        "stories": stories_json(stories, divergences),
        "divergences": [f for f in divergences if f["kind"] not in UNCORROBORATED_KINDS],
        "uncorroborated": [f for f in divergences if f["kind"] in UNCORROBORATED_KINDS],
        "claims": claims_json(report),
        "warnings": list(report.warnings),
    }


def story_of(stories: pl.DataFrame) -> dict[str, str]:
    """article id -> story id of a STORIES frame."""
    return {
        a: sid for sid, aids in stories.select("story_id", "article_ids").iter_rows() for a in aids
    }


def stories_json(stories: pl.DataFrame, divergences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract's ``stories`` list: id, label, dates, articles and number of findings."""
    n: dict[str, int] = {}
    for f in divergences:
        n[f["story"]] = n.get(f["story"], 0) + 1
    return [
        {
            "id": r["story_id"],
            "label": r["label"],
            "first_published": _iso(r["first_published"]),
            "last_published": _iso(r["last_published"]),
            "articles": list(r["article_ids"]),
            "n_findings": n.get(r["story_id"], 0),
        }
        for r in stories.iter_rows(named=True)
    ]


def claims_json(report: Report) -> list[dict[str, Any]]:
    """The report's claim groups as the contract's ``claims`` list.

    One entry per group of linked claims (the same fact in several articles):
    ``id``, ``slot``, ``subject``, ``conflict`` (whether some values of the group
    cannot both hold) and ``values``: per distinct value, the value as compared,
    the qualifier, the unit it is compared in (metre, second, percent; null for a
    count), and the outlets and spans that give it (each with its outlet, the
    text as written and the unit as written). A ``speaker`` group is one
    statement and the people each outlet credits with it. Groups are ordered
    with conflicts first, then by slot.
    """
    if report.claims is None:
        return [dict(c) for c in report.loaded_claims]
    if not report.claim_groups:
        return []
    texts = dict(zip(report.articles["article_id"], report.articles["text"], strict=True))
    outlets = dict(zip(report.articles["article_id"], report.articles["outlet"], strict=True))
    conflict_ids: set[str] = set()
    if report.claim_links is not None:
        for r in report.claim_links.filter(~pl.col("compatible")).iter_rows(named=True):
            ga, gb = report.claim_groups.get(r["a_claim"]), report.claim_groups.get(r["b_claim"])
            if ga is not None and ga == gb:  # a conflict inside the group, not with another
                conflict_ids.add(r["a_claim"])
                conflict_ids.add(r["b_claim"])
    groups: dict[str, dict[str, Any]] = {}
    for c in report.claims.iter_rows(named=True):
        gid = report.claim_groups.get(c["claim_id"])
        if gid is None:
            continue
        g = groups.setdefault(
            gid,
            {
                "id": gid,
                "slot": c["slot"],
                "subject": c["subject"],
                "conflict": False,
                "values": {},
            },
        )
        g["conflict"] = g["conflict"] or c["claim_id"] in conflict_ids
        key = (c["value"], c["qualifier"])
        written_unit = claim_unit(c)
        v = g["values"].setdefault(
            key,
            {
                "value": c["value"],
                "qualifier": c["qualifier"],
                "unit": base_unit(written_unit),
                "outlets": [],
                "spans": [],
            },
        )
        outlet = outlets.get(c["article_id"]) or c["article_id"]
        if outlet not in v["outlets"]:
            v["outlets"].append(outlet)
        v["spans"].append(
            {
                "article_id": c["article_id"],
                "outlet": outlet,
                "sent_idx": int(c["sent_idx"]),
                "start": int(c["start"]),
                "end": int(c["end"]),
                "text": texts[c["article_id"]][c["start"] : c["end"]],
                "unit": written_unit,
            }
        )
    out = []
    for g in groups.values():
        g["values"] = sorted(g["values"].values(), key=lambda v: (-len(v["spans"]), v["value"]))
        out.append(g)
    out.sort(key=lambda g: (not g["conflict"], g["slot"], g["id"]))
    return out


def write_json(report: Report, path: Path | None) -> str:
    """Serialise to JSON; write to ``path`` (atomically) when given. Returns the text.

    U+2028, U+2029 and U+0085 in strings are escaped (see :func:`json_text`).
    """
    text = json_text(to_json_dict(report)) + "\n"
    if path is not None:
        write_text_atomic(path, text)
    return text


def to_markdown(report: Report) -> str:
    """The Markdown report (:func:`consistency.outputs.md.render_markdown`): a summary
    table, then the findings per story and per claim group, verdicts when given."""
    return render_markdown(to_json_dict(report))


def to_html(report: Report) -> str:
    """The HTML report (:func:`consistency.outputs.html.render_html`): one self-contained
    page, no external assets and no network request, article text escaped."""
    return render_html(to_json_dict(report))


def _read_published(value: str | None) -> tuple[dt.date | None, str | None]:
    if not value:
        return None, None
    parts = [int(p) for p in str(value).split("-")]
    precision = {1: "year", 2: "month"}.get(len(parts), "day")
    return dt.date(*(parts + [1] * (3 - len(parts)))[:3]), precision


def load_report(path: Path) -> Report:
    """Read a ``consistency.report/3`` (or ``/2``, ``/1``) JSON file back into a :class:`Report`.

    The sentences frame holds only the sentences the findings cite and their
    context is served from the stored ``before``/``after`` text; pairs and
    facts are empty.

    Raises:
        InputError: the file is not readable JSON of this schema.
    """
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(str(path), f"not a readable JSON report ({e})") from None
    if not isinstance(d, dict) or d.get("schema") not in READ_SCHEMAS:
        raise InputError(str(path), f"not a {REPORT_SCHEMA} report")
    try:
        articles = ARTICLES.conform(
            pl.DataFrame(
                [
                    {
                        "article_id": a["id"],
                        "source": a.get("source") or a["id"],
                        "outlet": a.get("outlet"),
                        "title": a.get("title"),
                        "url": a.get("url"),
                        "published": _read_published(a.get("published"))[0],
                        "published_precision": _read_published(a.get("published"))[1],
                        "language": a.get("language") or "und",
                        "text": a.get("text") or "",
                        "text_sha": a.get("text_sha") or "",
                    }
                    for a in d["articles"]
                ],
                schema=ARTICLES.polars_schema,
            )
        )
        sent_rows: dict[tuple[str, int], dict[str, Any]] = {}
        div_rows = []
        for f in [*d["divergences"], *(d.get("uncorroborated") or [])]:
            row: dict[str, Any] = {
                "divergence_id": f["id"],
                "kind": f["kind"],
                "severity": f["severity"],
                "score": float(f["score"]),
                "explanation": f["explanation"],
                "evidence": json.dumps(f.get("evidence") or {}, ensure_ascii=False),
                "claim_id": f.get("claim"),
            }
            for p in ("a", "b"):
                s = f.get(p)
                row[f"{p}_article"] = s["article_id"] if s else None
                row[f"{p}_idx"] = s.get("sent_idx", 0) if s else None
                row[f"{p}_start"] = s["start"] if s else None
                row[f"{p}_end"] = s["end"] if s else None
                row[f"{p}_highlight"] = s["highlight"] if s else None
                if s:
                    idx = int(s.get("sent_idx", 0))
                    sent_rows[(s["article_id"], idx)] = {
                        "article_id": s["article_id"],
                        "sent_idx": idx,
                        "block_idx": 0,
                        "start": s["start"],
                        "end": s["end"],
                        "text": s["text"],
                    }
                    for off, key in ((-1, "before"), (1, "after")):
                        if s.get(key) and (s["article_id"], idx + off) not in sent_rows:
                            sent_rows[(s["article_id"], idx + off)] = {
                                "article_id": s["article_id"],
                                "sent_idx": idx + off,
                                "block_idx": 0,
                                "start": -1,
                                "end": -1,
                                "text": s[key],
                            }
            div_rows.append(row)
        divergences = DIVERGENCES.conform(pl.DataFrame(div_rows, schema=DIVERGENCES.polars_schema))
        sentences = SENTENCES.conform(
            pl.DataFrame(list(sent_rows.values()), schema=SENTENCES.polars_schema)
        )
        stories = None
        if d.get("stories") is not None:
            stories = STORIES.conform(
                pl.DataFrame(
                    [
                        {
                            "story_id": st["id"],
                            "label": st.get("label") or st["id"],
                            "first_published": _read_published(st.get("first_published"))[0],
                            "last_published": _read_published(st.get("last_published"))[0],
                            "n_articles": len(st["articles"]),
                            "article_ids": [str(a) for a in st["articles"]],
                        }
                        for st in d["stories"]
                    ],
                    schema=STORIES.polars_schema,
                )
            )
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(str(path), f"malformed report ({type(e).__name__}: {e})") from None
    return Report(
        articles=articles,
        sentences=sentences,
        facts=FACTS.empty(),
        pairs=PAIRS.empty(),
        divergences=divergences,
        generated_by=dict(d.get("generated_by") or {}),
        warnings=tuple(d.get("warnings") or ()),
        loaded_claims=tuple(d.get("claims") or ()),
        stories=stories,
    )
