"""Why the claims judge misses what it misses, on the development clusters.

Reads ``../shared/data/dev-clusters/cluster-*.json`` in place (never copied),
runs the pipeline on each cluster with the real models, and sorts every gold
divergence into one cause:

* ``found``             a finding covers both gold quotes;
* ``no claim``          no claim was extracted inside one of the quotes;
* ``wrong slot``        claims on both sides, but no two share a slot;
* ``not compared``      same slot on both sides, but no link joined them;
* ``judged compatible`` linked, and the values were read as able to both hold;
* ``linked, no finding`` linked as incompatible, yet no finding covers the pair
  (another pair of the same values stood for it).

Prints a line per cluster, the totals by cause and by gold type, and, with
``--show``, each miss with its claims. Figures only; it never fails.

    python bench/claims_misses.py [--dev DIR] [--only SLUG] [--show]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
from collections import Counter
from pathlib import Path

import polars as pl

from consistency.pipeline import run


def _cpu_flags() -> str:
    try:
        flags = Path("/proc/cpuinfo").read_text().split("flags")[1].split("\n")[0]
    except (OSError, IndexError):
        return platform.processor()
    want = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16")
    return " ".join(f for f in want if f" {f}" in flags) or "no avx2"


def _overlaps(side: dict | None, article: str, start: int, end: int) -> bool:
    return bool(side) and side["article"] == article and side["start"] < end and side["end"] > start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--dev",
        default=str(Path(__file__).resolve().parents[1].parent / "shared/data/dev-clusters"),
    )
    ap.add_argument("--only")
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args()
    print(f"cpu flags: {_cpu_flags()}")
    causes: Counter[str] = Counter()
    by_type: Counter[tuple[str, str]] = Counter()
    for path in sorted(Path(a.dev).glob("cluster-*.json")):
        if a.only and a.only not in path.name:
            continue
        c = json.loads(path.read_text())
        with tempfile.TemporaryDirectory() as td:
            inp = Path(td) / "c.jsonl"
            with inp.open("w") as fh:
                for art in c["articles"]:
                    row = {
                        k: art[k]
                        for k in ("id", "text", "outlet", "url", "title", "published", "language")
                        if art.get(k)
                    }
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            rep = run([str(inp)])
        claims = rep.claims if rep.claims is not None else pl.DataFrame()
        links = rep.claim_links
        linked = set()
        if links is not None:
            for r in links.iter_rows(named=True):
                linked.add((r["a_claim"], r["b_claim"], r["compatible"]))
        divs = [
            {
                "a": {"article": r["a_article"], "start": r["a_start"], "end": r["a_end"]},
                "b": None
                if r["b_article"] is None
                else {"article": r["b_article"], "start": r["b_start"], "end": r["b_end"]},
            }
            for r in rep.divergences.iter_rows(named=True)
        ]
        local: Counter[str] = Counter()
        for g in c["gold_divergences"]:
            ga = (g["a"]["article_id"], g["a"]["start"], g["a"]["start"] + len(g["a"]["quote"]))
            gb = (
                (g["b"]["article_id"], g["b"]["start"], g["b"]["start"] + len(g["b"]["quote"]))
                if g.get("b")
                else None
            )

            def hit(d: dict, ga=ga, gb=gb) -> bool:
                if gb is None:
                    return _overlaps(d["a"], *ga) or _overlaps(d["b"], *ga)
                return (_overlaps(d["a"], *ga) and _overlaps(d["b"], *gb)) or (
                    _overlaps(d["a"], *gb) and _overlaps(d["b"], *ga)
                )

            def inside(q: tuple[str, int, int], claims: pl.DataFrame = claims) -> pl.DataFrame:
                return claims.filter(
                    (pl.col("article_id") == q[0])
                    & (pl.col("start") < q[2])
                    & (pl.col("end") > q[1])
                )

            if any(hit(d) for d in divs):
                cause = "found"
            elif gb is None:
                cause = "no claim" if inside(ga).is_empty() else "not compared"
            else:
                ca, cb = inside(ga), inside(gb)
                if ca.is_empty() or cb.is_empty():
                    cause = "no claim"
                else:
                    shared = set(ca["slot"]) & set(cb["slot"])
                    if not shared:
                        cause = "wrong slot"
                    else:
                        ids_a, ids_b = set(ca["claim_id"]), set(cb["claim_id"])
                        ls = [
                            (x, y, ok)
                            for x, y, ok in linked
                            if (x in ids_a and y in ids_b) or (x in ids_b and y in ids_a)
                        ]
                        if not ls:
                            cause = "not compared"
                        elif all(ok for _, _, ok in ls):
                            cause = "judged compatible"
                        else:
                            cause = "linked, no finding"
            local[cause] += 1
            causes[cause] += 1
            by_type[(g["type"], cause)] += 1
            if a.show and cause != "found":
                qb = (g.get("b") or {}).get("quote", "")
                print(f"  [{cause}] {g['type']}: {g['a']['quote'][:70]!r} || {qb[:70]!r}")
                for q in (ga, gb):
                    if q:
                        for r in inside(q).iter_rows(named=True):
                            pop = json.loads(r["detail"]).get("population")
                            print(
                                f"      {r['article_id']} {r['slot']:>10} {r['value']:>12}"
                                f" {r['qualifier']:>9} {r['surface']!r} pop={pop}"
                                f" subj={r['subject']}"
                            )
        print(
            f"{c['cluster_id']:42s} "
            + ", ".join(f"{k} {v}" for k, v in sorted(local.items()))
            + f"  findings {len(divs)}"
        )
    print("TOTAL by cause: " + ", ".join(f"{k} {v}" for k, v in causes.most_common()))
    types = sorted({t for t, _ in by_type})
    for t in types:
        print(
            f"  {t:14s} "
            + ", ".join(f"{k} {v}" for (tt, k), v in sorted(by_type.items()) if tt == t)
        )


if __name__ == "__main__":
    main()
