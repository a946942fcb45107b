"""A synthetic feed of 100, 300 and 1,000 articles: wall time, peak RSS, time per article.

The feed is built at run time from the development clusters (read in place)
and the sample in ``data/``: copy ``j`` of every article shifts the letters of
its capitalised words and acronyms by ``j`` places (a Caesar shift, the same
in every article of the copy), so each copy of a cluster is a new story about
new names, and changes its figures by ``j`` (so nothing is served from a
cache). Dates are not shifted.
Each size runs in its own process (the local backend, the default models
behind a fresh on-disk cache, as the command line runs them), so peak RSS is
that size's own.

    python bench/feed_bench.py [--sizes 100,300,1000] [--clusters DIR] [--identity]

``--identity`` runs each size twice, the claim-identity model off
(``CONSISTENCY_IDENTITY_MODEL=off``: the rules alone) then on, each in its own
process with its own fresh cache, and prints the ratio of the two run times.

Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLUSTERS = ROOT.parent / "shared" / "data" / "dev-clusters"
_CAP = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]*")
_NUM = re.compile(r"\b\d{2,}\b")


def _shift_word(w: str, j: int) -> str:
    out = []
    for ch in w:
        base = ord("A") if ch.isupper() else ord("a")
        out.append(chr(base + (ord(ch) - base + j) % 26))
    return "".join(out)


def perturb(text: str, j: int) -> str:
    """Copy ``j`` of a text: capitalised words shifted ``j`` letters, figures ``+j``."""
    if j == 0:
        return text
    text = _CAP.sub(lambda m: _shift_word(m.group(0), j), text)
    return _NUM.sub(lambda m: str(int(m.group(0)) + j) if len(m.group(0)) < 4 else m.group(0), text)


def sources(clusters: Path) -> list[list[dict[str, Any]]]:
    """The source stories: each dev cluster's articles, and the sample's."""
    out = []
    for p in sorted(clusters.glob("cluster-*.json")):
        c = json.loads(p.read_text())
        out.append(
            [
                {k: a.get(k) for k in ("id", "text", "outlet", "title", "published", "language")}
                for a in c["articles"]
            ]
        )
    sys.path.insert(0, str(ROOT))
    from consistency.stages.ingest import input_rows, read_inputs

    out.append(input_rows(read_inputs([str(ROOT / "data")]).articles))
    return out


def build_feed(stories: list[list[dict[str, Any]]], n: int, seed: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    j = 0
    while len(rows) < n:
        for s, arts in enumerate(stories):
            for a in arts:
                row = {k: v for k, v in a.items() if v}
                row["id"] = f"c{j}-s{s}-{a['id']}"
                row["text"] = perturb(a["text"], j)
                if a.get("title"):
                    row["title"] = perturb(a["title"], j)
                rows.append(row)
        j += 1
    random.Random(seed).shuffle(rows)
    return rows[:n]


def child(path: str) -> None:
    """Run one size (in this process) and print its figures as JSON."""
    import resource

    from consistency.config import Settings
    from consistency.models.bundle import choose_models
    from consistency.pipeline import RunOptions
    from consistency.runner.feed import run_feed
    from consistency.stages.ingest import read_inputs

    t0 = time.perf_counter()
    read = read_inputs([path])
    settings = Settings()
    # as the command line runs: models behind an on-disk cache, here a fresh one, so
    # only what this run embeds twice (the openings the grouping read) is served from it
    cache = tempfile.mkdtemp(prefix="feed-bench-cache-")
    models, _ = choose_models(settings, cache)
    t1 = time.perf_counter()
    times: dict[str, float] = {}
    last = [time.perf_counter(), "start"]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        times[str(last[1])] = times.get(str(last[1]), 0.0) + now - float(last[0])
        last[0], last[1] = now, stage

    rep = run_feed(read.articles, settings, models, RunOptions(progress=progress))
    progress("end", 0, 0)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stories = rep.story_frame()
    print(
        json.dumps(
            {
                "articles": rep.articles.height,
                "stories": stories.height,
                "largest": int(stories["n_articles"].max() or 0),
                "findings": rep.divergences.height,
                "read_load_s": t1 - t0,
                "run_s": t2 - t1,
                "peak_rss_mb": rss,
                "stages": {k: round(v, 2) for k, v in sorted(times.items(), key=lambda kv: -kv[1])},
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,300,1000")
    ap.add_argument("--clusters", type=Path, default=DEFAULT_CLUSTERS)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--identity", action="store_true", help="each size with the model off, then on")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child)
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from stories_bench import cpu_flags

    print(f"cpu: {cpu_flags()}; {os.cpu_count()} cores")
    src = sources(a.clusters)
    results = []
    runs = [(n, mode) for n in [int(x) for x in a.sizes.split(",")] for mode in (
        ("off", "on") if a.identity else ("",)
    )]  # fmt: skip
    for n, mode in runs:
        env = {**os.environ, "CONSISTENCY_DEBUG": "1"}
        if mode == "off":
            env["CONSISTENCY_IDENTITY_MODEL"] = "off"
        with tempfile.TemporaryDirectory() as td:
            path = Path(td) / f"feed-{n}.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for r in build_feed(src, n, a.seed):
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            t0 = time.perf_counter()
            p = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                env=env,
            )
            wall = time.perf_counter() - t0
        if p.returncode != 0:
            print(f"{n}: failed (rc {p.returncode}) {p.stderr[-500:]}")
            continue
        r = json.loads(p.stdout.strip().splitlines()[-1])
        r["wall_s"] = wall
        r["mode"] = mode
        results.append(r)
        label = f" (identity model {mode})" if mode else ""
        print(
            f"{r['articles']:5d} articles{label}: wall {wall:7.1f}s (run {r['run_s']:.1f}s), "
            f"{1000 * r['run_s'] / r['articles']:.0f} ms/article, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB, "
            f"{r['stories']} stories (largest {r['largest']}), {r['findings']} findings"
        )
        print(f"       slowest stages: {dict(list(r['stages'].items())[:5])}")
    if a.identity:
        for off, on in zip(results[::2], results[1::2], strict=False):
            print(
                f"{on['articles']} articles: identity model on / off: run time "
                f"x{on['run_s'] / off['run_s']:.2f}, "
                f"{1000 * off['run_s'] / off['articles']:.0f} -> "
                f"{1000 * on['run_s'] / on['articles']:.0f} ms/article"
            )
        return
    for prev, cur in zip(results, results[1:], strict=False):
        size = cur["articles"] / prev["articles"]
        print(
            f"{prev['articles']} -> {cur['articles']}: size x{size:.1f}, "
            f"run time x{cur['run_s'] / prev['run_s']:.2f}, "
            f"peak RSS x{cur['peak_rss_mb'] / prev['peak_rss_mb']:.2f}"
        )


if __name__ == "__main__":
    main()
