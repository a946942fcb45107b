"""Story grouping on a mixed feed: B-cubed precision, recall and F1.

Builds, at run time, one feed from every article of the development clusters
(``cluster-*.json`` in the dev-clusters folder, read in place) and the bundled
sample in ``data/`` (one more story), shuffled with a fixed seed; the cluster
an article came from is its gold story. Groups the feed with the default
settings and the real embedder, and prints B-cubed precision, recall and F1,
the number of stories found against the gold number, and the CPU flags.

With ``--recall`` it also runs the report on the clusters one by one and mixed
in one feed, and prints the dev-set recall of both (score.py's own scoring,
imported from beside the clusters).

    python bench/stories_bench.py [--clusters DIR] [--seed 15] [--recall]

Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLUSTERS = ROOT.parent / "shared" / "data" / "dev-clusters"


def cpu_flags() -> str:
    """The model name and the SIMD flags of the first CPU in /proc/cpuinfo."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown"
    model, flags = "", []
    for line in text.splitlines():
        if line.startswith("model name") and not model:
            model = line.split(":", 1)[1].strip()
        if line.startswith("flags"):
            wanted = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_vnni", "amx")
            flags = [f for f in line.split(":", 1)[1].split() if f.startswith(wanted)]
            break
    return f"{model}; {' '.join(sorted(set(flags)))}"


def load_clusters(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("cluster-*.json"))]


def write_feed(
    clusters: list[dict[str, Any]], path: Path, seed: int, *, prefix: bool = False
) -> dict[str, str]:
    """Write every cluster article as one shuffled JSONL; returns text -> gold story.

    With ``prefix`` the ids are ``<cluster_id>/<id>`` (ids repeat across clusters).
    """
    rows, gold = [], {}
    for c in clusters:
        for a in c["articles"]:
            aid = f"{c['cluster_id']}/{a['id']}" if prefix else a["id"]
            row = {"id": aid, "text": a["text"]}
            for k in ("outlet", "url", "title", "published", "language"):
                if a.get(k):
                    row[k] = a[k]
            rows.append(row)
            gold[a["text"]] = c["cluster_id"]
    random.Random(seed).shuffle(rows)
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return gold


def bcubed(found: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``found`` (item -> cluster) against ``gold``."""
    items = list(gold)
    by_found: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for i in items:
        by_found.setdefault(found[i], set()).add(i)
        by_gold.setdefault(gold[i], set()).add(i)
    p = r = 0.0
    for i in items:
        same_found = by_found[found[i]]
        same_gold = by_gold[gold[i]]
        both = len(same_found & same_gold)
        p += both / len(same_found)
        r += both / len(same_gold)
    p, r = p / len(items), r / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _score_module(folder: Path) -> Any:
    spec = importlib.util.spec_from_file_location("dev_score", folder / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {folder}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def split_report(d: dict[str, Any], cluster_id: str) -> tuple[dict[str, Any], int]:
    """The findings of a mixed-feed report inside one cluster, ids unprefixed; and how
    many findings pair this cluster with another."""
    pre = cluster_id + "/"
    mine, across = [], 0
    for f in [*d["divergences"], *(d.get("uncorroborated") or [])]:
        sides = [s for s in (f.get("a"), f.get("b")) if s]
        inside = [s["article_id"].startswith(pre) for s in sides]
        if all(inside):
            f = dict(f)
            for k in ("a", "b"):
                if f.get(k):
                    f[k] = dict(f[k], article_id=f[k]["article_id"][len(pre) :])
            mine.append(f)
        elif any(inside):
            across += 1
    return dict(d, divergences=mine), across


def dev_recall(clusters: list[dict[str, Any]], reports: list[dict[str, Any]], score: Any) -> str:
    found = n = fa = n_cons = flags = 0
    for c, rep in zip(clusters, reports, strict=True):
        s = score.score(c, rep)
        found, n = found + s["found"], n + s["n_gold"]
        fa, n_cons = fa + s["false_alarms"], n_cons + s["n_cons"]
        flags += s["flags"]
    return (
        f"recall {found}/{n} = {found / max(n, 1):.2f}, false alarms {fa}/{n_cons}, flags {flags}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clusters", type=Path, default=DEFAULT_CLUSTERS)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument(
        "--recall", action="store_true", help="also the dev-set recall, mixed vs one by one"
    )
    a = ap.parse_args()

    from consistency.models.embed import load_embedder
    from consistency.stages.ingest import read_inputs
    from consistency.stages.stories import group_stories, story_of

    clusters = load_clusters(a.clusters)
    if not clusters:
        raise SystemExit(f"no cluster-*.json in {a.clusters}")
    with tempfile.TemporaryDirectory() as td:
        feed = Path(td) / "feed.jsonl"
        gold_by_text = write_feed(clusters, feed, a.seed, prefix=True)
        read = read_inputs([str(feed), str(ROOT / "data")])
    articles = read.articles.sample(fraction=1.0, shuffle=True, seed=a.seed)
    gold = {
        aid: gold_by_text.get(text, "sample (data/)")
        for aid, text in articles.select("article_id", "text").iter_rows()
    }
    embedder = load_embedder()
    t0 = time.perf_counter()
    stories = group_stories(articles, embedder)
    seconds = time.perf_counter() - t0
    found = story_of(stories)
    p, r, f1 = bcubed(found, gold)
    n_gold = len(set(gold.values()))
    print(f"cpu: {cpu_flags()}")
    print(f"feed: {articles.height} articles, {n_gold} gold stories (seed {a.seed})")
    print(f"stories found: {stories.height} (gold {n_gold}); grouping took {seconds:.1f}s")
    print(f"B-cubed precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    for row in stories.iter_rows(named=True):
        mix = Counter(gold[x] for x in row["article_ids"])
        parts = ", ".join(f"{g} x{k}" for g, k in mix.most_common())
        print(f"  {row['story_id']} {row['n_articles']:2d}  {row['label'][:60]:60s} <- {parts}")

    if a.recall:
        recall_lines(a, clusters, articles, read.warnings)


def recall_lines(
    a: argparse.Namespace, clusters: list[dict[str, Any]], articles: pl.DataFrame, warnings: Any
) -> None:
    from consistency.config import Settings
    from consistency.outputs import report as rep
    from consistency.runner.feed import run_feed
    from consistency.stages.ingest import read_inputs

    score = _score_module(a.clusters)
    settings = Settings()
    one_by_one = []
    for c in clusters:
        with tempfile.TemporaryDirectory() as td:
            path = Path(td) / f"{c['cluster_id']}.jsonl"
            write_feed([c], path, a.seed)
            read = read_inputs([str(path)])
        result = run_feed(read.articles, settings)
        one_by_one.append(rep.to_json_dict(result))
    print(f"dev set, clusters one by one: {dev_recall(clusters, one_by_one, score)}")
    mixed = rep.to_json_dict(run_feed(articles, settings))
    parts = [split_report(mixed, c["cluster_id"]) for c in clusters]
    line = dev_recall(clusters, [p for p, _ in parts], score)
    across = sum(n for _, n in parts) // 2
    print(f"dev set, clusters mixed in one feed: {line}; findings across clusters {across}")


if __name__ == "__main__":
    sys.exit(main())
