"""The Ray backend's overhead on one machine: the same synthetic feed, local vs ``--backend ray``.

The feed is :mod:`feed_bench`'s (built at run time from the development clusters,
read in place, and the sample; copy ``j`` Caesar-shifts names and shifts figures,
so nothing is served from a cache). Each backend runs in its own process with
the default models behind a fresh on-disk cache, as the command line runs them.
The Ray run starts a local Ray instance (``num_cpus`` = this machine's cores, one
actor per core, each loading its own models); its time is given with and without
that start.

    python bench/ray_bench.py [--articles 100] [--clusters DIR]

Prints figures (one run each: not a distribution); never passes or fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def child(path: str, backend: str) -> None:
    """Run the feed at ``path`` on ``backend`` in this process; print the figures as JSON."""
    from consistency.config import Settings
    from consistency.models.bundle import choose_models
    from consistency.outputs.report import write_json
    from consistency.runner.feed import run_feed
    from consistency.stages.ingest import read_inputs

    read = read_inputs([path])
    settings = Settings()
    models, _ = choose_models(settings, tempfile.mkdtemp(prefix="ray-bench-cache-"))
    t0 = time.perf_counter()
    start_s = 0.0
    if backend == "ray":
        from consistency.runner.backends.ray import connect

        connect(None)
        start_s = time.perf_counter() - t0
    rep = run_feed(read.articles, settings, models, backend=backend)
    total = time.perf_counter() - t0
    if backend == "ray":
        import ray

        ray.shutdown()
    print(
        json.dumps(
            {
                "backend": backend,
                "articles": rep.articles.height,
                "stories": rep.story_frame().height,
                "findings": rep.divergences.height,
                "report_sha": hashlib.sha256(write_json(rep, None).encode()).hexdigest(),
                "start_s": start_s,
                "total_s": total,
            }
        )
    )


def main() -> None:
    from feed_bench import DEFAULT_CLUSTERS, build_feed, sources
    from stories_bench import cpu_flags

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--clusters", type=Path, default=DEFAULT_CLUSTERS)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(*a.child)
        return
    print(f"cpu: {cpu_flags()}; {os.cpu_count()} cores; load average {os.getloadavg()}")
    got = {}
    with tempfile.TemporaryDirectory() as td:
        path = Path(td) / "feed.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for r in build_feed(sources(a.clusters), a.articles, a.seed):
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        for backend in ("local", "ray"):
            t0 = time.perf_counter()
            p = subprocess.run(
                [sys.executable, __file__, "--child", str(path), backend],
                capture_output=True,
                text=True,
                env={**os.environ, "CONSISTENCY_DEBUG": "1", "RAY_USAGE_STATS_ENABLED": "0"},
            )
            wall = time.perf_counter() - t0
            if p.returncode != 0:
                print(f"{backend}: failed (rc {p.returncode}) {p.stderr[-800:]}")
                return
            r = json.loads(p.stdout.strip().splitlines()[-1])
            r["wall_s"] = wall
            got[backend] = r
            print(
                f"{backend:5s}: {r['articles']} articles, {r['stories']} stories, "
                f"{r['findings']} findings; run {r['total_s']:.1f}s "
                f"(Ray start {r['start_s']:.1f}s), process wall {wall:.1f}s"
            )
    loc, ray_ = got["local"], got["ray"]
    same = "same JSON report" if loc["report_sha"] == ray_["report_sha"] else "REPORTS DIFFER"
    print(
        f"ray / local: {ray_['total_s'] / loc['total_s']:.2f} with the Ray start, "
        f"{(ray_['total_s'] - ray_['start_s']) / loc['total_s']:.2f} without; {same}; "
        f"load average after {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
