"""Where the fact-table misses and wrong findings come from, stage by stage.

Runs the pipeline in-process (models loaded once) on each annotated cluster of
``../shared/data/fact-tables/`` (read in place, never copied) and scores it with
that folder's ``score.py`` (its ``classify`` and ``sides``), so the verdicts are
the official ones. Every divergent fact without a correct finding goes to the
first stage that lost it:

* ``not extracted``      fewer than two mentions with different gold values are
  covered by a claim (dates: by a FACTS date);
* ``wrong value``        covered, but no two claims on mentions of different gold
  values differ in value: the disagreement is not reproduced;
* ``not grouped``        no claim link joins claims on two different gold values;
* ``judged compatible``  linked, but every such link reads the values as compatible;
* ``no finding``         an incompatible link exists, yet no correct finding (also
  dates whose differing values only the date reader read: no claim to link).

Every wrong finding is counted by verdict (equivalent, wrong pair, off table) and
finding kind; wrong pairs and off-table ones also by cause: a side on no claim,
a side on a claim covering no gold mention, or both sides on linked claims. Also
prints the share of number/time/place/status mentions not covered by a claim, or
covered with a value out of line with the other mentions of its gold value.
Lines only, no files written. The claim-identity model is the configured one
(the shipped one was fitted on these clusters: its figures here are in-sample);
``--folds DIR`` runs each cluster with ``DIR/<cluster_id>.json``, the model fitted
without it (``python -m consistency.training.identity_train --folds DIR``), and
``--confidence-folds DIR`` the confidence model fitted without it
(``python -m consistency.training.confidence_train --folds DIR``); without it the shipped
confidence model (fitted on these clusters) is used.

    .venv/bin/python bench/fact_tables_stages.py [--only SLUG] [--show] [--tables DIR]
        [--folds DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from consistency.claims.identity_trees import MODEL_ENV
from consistency.config import Settings
from consistency.judge.confidence import MODEL_ENV as CONFIDENCE_ENV
from consistency.models.bundle import ModelChoice
from consistency.outputs.report import UNCORROBORATED_KINDS, Report
from consistency.pipeline import run_articles
from consistency.training.identity_train import cluster_articles

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("not extracted", "wrong value", "not grouped", "judged compatible", "no finding")
CAUSES = ("no claim", "off-table value", "linked other facts", "claims not linked")
COVER_KINDS = ("number", "time", "place", "status")
MIS = ("split", "merged", "either")
Span = tuple[str, int, int]
Index = dict[str, list[tuple[int, int, str, str]]]  # article id -> (start, end, id, value)
Cover = Callable[..., dict[str, str]]
Links = dict[frozenset[str], bool]  # claim pair -> compatible (every link of the pair)
Same = Callable[[object, object], bool]


def cpu_flags() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown"
    line = next((x for x in text.splitlines() if x.startswith("flags")), "")
    have = set(line.split(":", 1)[-1].split())
    return " ".join(
        f"{f}={'yes' if f in have else 'no'}" for f in ("avx2", "avx512f", "avx512_vnni")
    )


def run_cluster(path: Path, embedder: Any, nli: Any) -> Report:
    """The cluster's report, its articles read as the CLI reads them."""
    _, _, articles = cluster_articles(path)
    return run_articles(articles, models=ModelChoice(embedder, nli))


def finding(r: dict[str, Any]) -> dict[str, Any]:
    """A DIVERGENCES row as the JSON report's finding (the sides score.py reads)."""
    out = {k: r[k] for k in ("kind", "severity", "explanation")}
    for p in ("a", "b"):
        hl = [[int(x), int(y)] for x, y in (r[f"{p}_highlight"] or [])]
        keys = {"article_id": "article", "start": "start", "end": "end"}
        side = {k: r[f"{p}_{v}"] for k, v in keys.items()} | {"highlight": hl}
        out[p] = side if r[f"{p}_article"] is not None else None
    return out


def comparator_of(r: dict[str, Any]) -> str:
    """The comparator that raised a DIVERGENCES row (its evidence's ``comparator``)."""
    ev = r.get("evidence")
    d = json.loads(ev) if isinstance(ev, str) and ev else (ev or {})
    return str(d.get("comparator") or r["kind"])


def spans_of(frame: pl.DataFrame | None) -> Index:
    """Each claim (or date fact) by article."""
    out: Index = defaultdict(list)
    if frame is not None:
        for r in frame.iter_rows(named=True):
            out[r["article_id"]].append((r["start"], r["end"], r["id"], str(r["value"])))
    return out


def on(index: Index, sp: list[Span]) -> dict[str, str]:
    """id -> value of everything in ``index`` overlapping one of the spans."""
    return {i: v for a, s, e in sp for cs, ce, i, v in index.get(a, []) if cs < e and ce > s}


def mspan(m: dict[str, Any]) -> list[Span]:
    return [(m["article_id"], m["start"], m["start"] + len(m["quote"]))]


def make_cover(claims: Index, days: Index, weekdays: Index) -> Cover:
    """What covers a gold mention: claims; for a date also the date reader's FACTS dates
    (their day when the gold value is a date, else their weekday)."""

    def cover(m: dict[str, Any], kind: str = "") -> dict[str, str]:
        got = on(claims, mspan(m))
        if kind != "date":
            return got
        return got | on(days if str(m["value"])[:1].isdigit() else weekdays, mspan(m))

    return cover


def wrong_cause(sa: dict[str, str], sb: dict[str, str], gold_claims: set[str], links: Links) -> str:
    """Why a wrong pair or off-table finding's sides were compared (sa, sb: claims on them)."""
    if not sa or not sb:
        return "no claim"
    if not set(sa) & gold_claims or not set(sb) & gold_claims:
        return "off-table value"
    if any(frozenset((x, y)) in links for x in sa for y in sb):
        return "linked other facts"
    return "claims not linked"


def norm(v: object) -> str:
    return " ".join(str(v).split()).casefold()


def stage_of(fact: dict[str, Any], cover: Cover, links: Links, claim_ids: set[str]) -> str:
    """The first stage that lost a missed divergent fact."""
    cov = [(m, set(c), set(c.values())) for m in fact["mentions"] if (c := cover(m, fact["kind"]))]
    pairs = [(x, y) for i, x in enumerate(cov) for y in cov[i + 1 :]]
    pairs = [(x, y) for x, y in pairs if norm(x[0]["value"]) != norm(y[0]["value"])]
    if not pairs:
        return "not extracted"
    # reproduced: each side has a value the other lacks ({7.4} vs {7.5, richter}, not {7.4, x})
    if not any(x[2] - y[2] and y[2] - x[2] for x, y in pairs):
        return "wrong value"
    if not any(i in claim_ids for _, ids, _ in cov for i in ids):
        return "no finding"  # dates read by the date reader only: no claim to link
    found = [
        links[k] for x, y in pairs for a in x[1] for b in y[1] if (k := frozenset((a, b))) in links
    ]
    if not found:
        return "not grouped"
    return "judged compatible" if all(found) else "no finding"


def mis_valued(fact: dict[str, Any], cover: Cover, same: Same) -> tuple[int, int, int]:
    """(split, merged, either): covered mentions whose values lack the commonest one among
    the mentions of their gold value (gold values equal by score.py's same_value), and those
    whose gold value's commonest value is also another gold value's (a difference lost)."""
    groups: list[tuple[object, list[set[str]]]] = []
    for m in fact["mentions"]:
        if vals := set(cover(m).values()):
            g = next((g for g in groups if same(g[0], m["value"])), None)
            if g is None:
                groups.append(g := (m["value"], []))
            g[1].append(vals)
    top = [Counter(v for vs in lst for v in vs).most_common(1)[0][0] for _, lst in groups]
    flags = [
        (t not in vs, top.count(t) > 1)
        for t, (_, lst) in zip(top, groups, strict=True)
        for vs in lst
    ]
    return sum(x for x, _ in flags), sum(y for _, y in flags), sum(x or y for x, y in flags)


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--only", help="a substring of the cluster file name")
    ap.add_argument("--show", action="store_true", help="list each miss and wrong finding")
    ap.add_argument("--tables", default=str(ROOT.parent / "shared/data/fact-tables"))
    ap.add_argument("--folds", help="leave-one-cluster-out identity models, one per cluster")
    ap.add_argument(
        "--confidence-folds", help="leave-one-cluster-out confidence models, one per cluster"
    )
    a = ap.parse_args()
    tables = Path(a.tables).resolve()
    sys.path.insert(0, str(tables))
    from score import classify, same_value, sides  # type: ignore[import-not-found]

    print(f"cpu flags: {cpu_flags()}")
    t0 = time.time()
    settings = Settings()
    resolved = ModelChoice.from_settings(settings).resolve(settings)
    embedder, nli = resolved.embedder, resolved.nli
    print(f"models loaded in {time.time() - t0:.1f}s")
    tot: Counter[str] = Counter()
    stages: Counter[tuple[str, str]] = Counter()  # (stage, gold kind)
    wrong: Counter[tuple[str, str]] = Counter()  # (verdict, finding kind) and (verdict, cause)
    cover_n: Counter[tuple[str, str]] = Counter()  # (gold kind, mentions|uncovered|split|...)
    per_fact: Counter[str] = Counter()  # correct findings per found fact
    by_comparator: Counter[tuple[str, str]] = Counter()  # (comparator, verdict)
    for path in sorted(tables.glob("cluster-*.json")):
        if a.only and a.only not in path.name:
            continue
        c = json.loads(path.read_text(encoding="utf-8"))
        t1 = time.time()
        if a.folds:
            os.environ[MODEL_ENV] = str(Path(a.folds) / f"{c['cluster_id']}.json")
        if a.confidence_folds:
            os.environ[CONFIDENCE_ENV] = str(Path(a.confidence_folds) / f"{c['cluster_id']}.json")
        rep = run_cluster(path, embedder, nli)
        dt = time.time() - t1
        claims = spans_of(rep.claims.rename({"claim_id": "id"}) if rep.claims is not None else None)
        dated = rep.facts.filter(pl.col("fact_type") == "date").with_row_index("n")
        dated = dated.with_columns(pl.format("date{}", "n").alias("id"))
        fallback = pl.coalesce("key", "surface")
        day = pl.coalesce(pl.col("value_date").cast(pl.String), fallback).alias("value")
        weekday = pl.coalesce("qualifier", fallback).alias("value")
        cover = make_cover(
            claims, spans_of(dated.with_columns(day)), spans_of(dated.with_columns(weekday))
        )
        links: Links = {}
        for r in rep.claim_links.iter_rows(named=True) if rep.claim_links is not None else []:
            pair = frozenset((r["a_claim"], r["b_claim"]))
            links[pair] = links.get(pair, True) and bool(r["compatible"])
        facts = c["facts"]
        gold_claims = {i for x in facts for m in x["mentions"] for i in on(claims, mspan(m))}
        claim_ids = {i for lst in claims.values() for _, _, i, _ in lst}
        found: set[str] = set()
        local: Counter[str] = Counter()
        shown: list[str] = []
        for r in rep.divergences.iter_rows(named=True):
            if r["kind"] in UNCORROBORATED_KINDS:
                continue  # listed apart from the divergences: the scorer never sees them
            f = finding(r)
            verdict, fid = classify(f, facts)
            high = f["severity"] == "high"
            local.update({"findings": 1, verdict: 1, "high": high, f"high {verdict}": high})
            by_comparator[(comparator_of(r), verdict)] += 1
            if verdict == "correct":
                found.add(str(fid))
                per_fact[f"{c['cluster_id']}|{fid}"] += 1
                continue
            wrong[(verdict, f["kind"])] += 1
            cause = ""
            if verdict != "equivalent":
                sa, sb = (on(claims, sides(f, p)) for p in ("a", "b"))
                cause = wrong_cause(sa, sb if f["b"] else sa, gold_claims, links)
                wrong[(verdict, cause)] += 1
            x, y = f["a"] or f["b"], f["b"] or {"article_id": "-"}
            where = f"{x['article_id']}:{x['start']}~{y['article_id']}"
            what = f"{verdict}{'/' + cause if cause else ''} {f['kind']}/{f['severity']} {where}"
            shown.append(f"    WRONG {what}: {f['explanation']}"[:160])
        for fact in facts:
            k, ms = fact["kind"], fact["mentions"]
            if k in COVER_KINDS:
                cover_n[(k, "mentions")] += len(ms)
                cover_n[(k, "uncovered")] += sum(not cover(m) for m in ms)
                for key, x in zip(MIS, mis_valued(fact, cover, same_value), strict=True):
                    cover_n[(k, key)] += x
            tot["divergent"] += fact["conflict"] == "divergence"
            if fact["conflict"] != "divergence" or fact["id"] in found:
                tot["found"] += fact["conflict"] == "divergence"
                continue
            st = stage_of(fact, cover, links, claim_ids)
            local[st] += 1
            stages[(st, k)] += 1
            vals = sorted({str(m["value"]) for m in ms})
            if all(same_value(x["value"], y["value"]) for x in ms for y in ms):
                tot["scorer-equal"] += 1  # score.py reads every pair as one value
                vals.append("(scorer-equal)")
            shown.append(f"    MISS  {st:17s} {fact['id']} {k}: {fact['about']} {vals}"[:160])
        tot.update(local)
        div = sum(f["conflict"] == "divergence" for f in facts)
        miss = " ".join(f"{s.replace(' ', '-')} {local[s]}" for s in STAGES)
        print(
            f"{c['cluster_id']:34s} recall {div - sum(local[s] for s in STAGES)}/{div}  "
            f"precision {local['correct']}/{local['findings']} (high {local['high correct']}/"
            f"{local['high']})  misses: {miss}  wrong: equivalent {local['equivalent']} "
            f"wrong-pair {local['wrong pair']} off-table {local['off table']}  {dt:.1f}s"
        )
        if a.show:
            print("\n".join(shown))
    n, h, d = tot["findings"], tot["high"], tot["divergent"]
    print(
        f"TOTAL recall {tot['found']}/{d} = {tot['found'] / max(d, 1):.2f}  "
        f"precision {tot['correct']}/{n} = {tot['correct'] / max(n, 1):.2f}  "
        f"high-precision {tot['high correct']}/{h} = {tot['high correct'] / max(h, 1):.2f}  "
        f"equivalent {tot['equivalent']}  wrong-pair {tot['wrong pair']}  "
        f"off-table {tot['off table']}"
    )
    missed = sum(tot[s] for s in STAGES)
    print(f"TOTAL misses by stage ({missed} divergent facts missed); by gold kind:")
    for s in STAGES:
        by = " ".join(f"{k} {x}" for (st, k), x in sorted(stages.items()) if st == s)
        print(f"  {s:18s} {tot[s]:4d} {tot[s] / max(missed, 1):5.0%}  {by}")
    print(f"  ({tot['scorer-equal']} missed facts have no two values score.py tells apart)")
    spread = Counter(min(x, 4) for x in per_fact.values())
    print(
        f"TOTAL correct findings per found fact {tot['correct']}/{tot['found']} = "
        f"{tot['correct'] / max(tot['found'], 1):.2f} (target <= 2); facts with 1, 2, 3, 4+: "
        + ", ".join(str(spread[i]) for i in (1, 2, 3, 4))
    )
    if a.show:
        top = ", ".join(f"{k.split('|')[1]} {x}" for k, x in per_fact.most_common() if x >= 4)
        print(f"  facts with 4 or more correct findings: {top}")
    print("TOTAL findings by comparator: correct / all")
    for comp in sorted({k for k, _ in by_comparator}):
        n_all = sum(x for (k, _), x in by_comparator.items() if k == comp)
        print(f"  {comp:18s} {by_comparator[(comp, 'correct')]:4d} / {n_all:4d}")
    wrong_n = tot["equivalent"] + tot["wrong pair"] + tot["off table"]
    print(f"TOTAL wrong findings ({wrong_n}) by verdict: by finding kind | by cause")
    for v in ("equivalent", "wrong pair", "off table"):
        by = " ".join(
            f"{k} {x}" for (vv, k), x in sorted(wrong.items()) if vv == v and k not in CAUSES
        )
        cs = " ".join(f"{k} {wrong[(v, k)]}" for k in CAUSES if wrong[(v, k)])
        print(f"  {v:11s} {tot[v]:4d}  {by}" + (f" | {cs}" if cs else ""))
    print("TOTAL gold mentions not covered by a claim, or covered with a value that splits")
    print("one gold value or merges two (target: under 10% not extracted or mis-valued):")
    for k in COVER_KINDS:
        m, u, sp, me, ei = (
            cover_n[(k, x)] for x in ("mentions", "uncovered", "split", "merged", "either")
        )
        pct = [f"{x:4d} {x / max(m, 1):4.0%}" for x in (u, sp, me, ei, u + ei)]
        print(
            f"  {k:7s} {m:5d} mentions  not covered {pct[0]}  split {pct[1]}  merged {pct[2]}  "
            f"mis-valued {pct[3]}  together {pct[4]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
