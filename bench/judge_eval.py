"""Precision and recall of extract_facts + RuleJudge on the labelled seed pairs.

Reads the sample articles in ``data/`` through the real ingest, clean and
segment stages, extracts facts, builds a PAIRS frame from the labelled pairs in
``tests/data/labelled_pairs.jsonl`` (each line names two sentences by article
and a substring, or one sentence with ``b_article`` null, and the kinds of
finding expected on them; ``[]`` means "must not be flagged"), runs the judge
(without NLI, or with ``--nli MODEL`` scoring each labelled pair in both directions
as the pipeline does) and prints precision and recall, overall and per kind.

A finding counts for a labelled item when it joins the same two sentences (in
either order), or, for a one-sided item, when it is a one-sided finding on
that sentence. Findings on sentences no item names are counted separately.

Usage: python bench/judge_eval.py [--data data] [--labels tests/data/labelled_pairs.jsonl]
       [--nli builtin]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import polars as pl

from consistency.facts import extract_facts
from consistency.judge import RuleJudge
from consistency.stages.clean import clean
from consistency.stages.ingest import read_inputs
from consistency.stages.segment import segment
from consistency.types import PAIRS


def _find(sentences: pl.DataFrame, article: str, needle: str) -> int:
    hits = sentences.filter(
        (pl.col("article_id") == article) & pl.col("text").str.contains(needle, literal=True)
    )["sent_idx"].to_list()
    if not hits:
        raise SystemExit(f"labelled sentence not found: {article}: {needle!r}")
    return int(hits[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="data")
    ap.add_argument("--labels", default="tests/data/labelled_pairs.jsonl")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--nli", default=None, help="an NLI model for the judge (e.g. builtin)")
    args = ap.parse_args()

    articles = read_inputs([args.data]).articles
    sentences = segment(articles, clean(articles))
    facts = extract_facts(articles, sentences)
    items = [
        json.loads(line) for line in Path(args.labels).read_text().splitlines() if line.strip()
    ]
    keyed = []
    pair_rows = []
    for it in items:
        a = (it["a_article"], _find(sentences, it["a_article"], it["a_contains"]))
        b = None
        if it.get("b_article"):
            b = (it["b_article"], _find(sentences, it["b_article"], it["b_contains"]))
            lo, hi = sorted([a, b])
            pair_rows.append(
                {
                    "a_article": lo[0],
                    "a_idx": lo[1],
                    "b_article": hi[0],
                    "b_idx": hi[1],
                    "similarity": 0.93,
                    "margin": 0.02,
                }
            )
        keyed.append((a, b, set(it["expect"]), it.get("note", "")))
    pairs = PAIRS.conform(pl.DataFrame(pair_rows, schema=PAIRS.polars_schema).unique())
    scores = None
    if args.nli:
        from consistency.models.nli import load_nli, nli_scores

        scores = nli_scores(pairs, sentences, load_nli(args.nli))
        print(f"NLI: {args.nli} on {pairs.height} labelled pairs, both directions")
    out = RuleJudge().judge(articles, sentences, facts, pairs, scores)

    found: dict[tuple, set[str]] = {}
    for r in out.iter_rows(named=True):
        a = (r["a_article"], r["a_idx"])
        b = (r["b_article"], r["b_idx"]) if r["b_article"] else None
        key = (a, None) if b is None else tuple(sorted([a, b]))
        found.setdefault(key, set()).add(r["kind"])

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    used = set()
    for a, b, expect, note in keyed:
        key = (a, None) if b is None else tuple(sorted([a, b]))
        got = found.get(key, set())
        used.add(key)
        for k in expect & got:
            tp[k] += 1
        for k in got - expect:
            fp[k] += 1
        for k in expect - got:
            fn[k] += 1
        if args.verbose or got != expect:
            mark = "ok " if got == expect else "ERR"
            print(f"{mark} {a} {b} expect={sorted(expect)} got={sorted(got)}  # {note}")
    unlabelled = Counter(k for key, kinds in found.items() if key not in used for k in kinds)

    def pr(t: int, p: int, n: int) -> str:
        prec = t / (t + p) if t + p else float("nan")
        rec = t / (t + n) if t + n else float("nan")
        return f"precision {prec:.2f} ({t}/{t + p})  recall {rec:.2f} ({t}/{t + n})"

    print(
        f"\n{len(items)} labelled items "
        f"({sum(1 for *_, e, _ in keyed if e)} to flag, {sum(1 for *_, e, _ in keyed if not e)} "
        "to leave alone)"
    )
    print("overall   ", pr(sum(tp.values()), sum(fp.values()), sum(fn.values())))
    for k in sorted(set(tp) | set(fp) | set(fn)):
        print(f"{k:<10}", pr(tp[k], fp[k], fn[k]))
    print(f"findings on unlabelled sentences: {dict(unlabelled)} (total findings {out.height})")


if __name__ == "__main__":
    main()
