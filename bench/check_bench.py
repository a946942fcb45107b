"""Benchmark the CI gate's cache: one seed article checked against the other four, cold and warm.

Prints figures, never passes or fails. Each run is a fresh Python process (so
"cold" includes loading the models, as in CI); cold starts from an empty cache
directory, warm reuses it. Model loading is timed separately from the rest.

Also times the FAISS corpus index (build vs load from disk) at this scale and
at a synthetic larger one, to show whether saving it matters.

Usage (from the repository root)::

    python bench/check_bench.py [--new data/002_2fdf4f7ca629e32d.txt] [--no-nli] [--warm-runs 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, sys, time
t_start = time.perf_counter()
import consistency.models.embed as embed_mod
from consistency.config import Settings
load_s = {"embed": 0.0, "nli": 0.0}
_orig_load = embed_mod.SentenceTransformerEmbedder.load
def _timed_load(self):
    first = self._model is None
    t = time.perf_counter()
    try:
        return _orig_load(self)
    finally:
        if first:
            load_s["embed"] += time.perf_counter() - t
embed_mod.SentenceTransformerEmbedder.load = _timed_load
import consistency.models.onnx_models as onnx_mod
_orig_onnx_load = onnx_mod.OnnxEmbedder.load
def _timed_onnx_load(self):
    first = self._loaded is None
    t = time.perf_counter()
    try:
        return _orig_onnx_load(self)
    finally:
        if first:
            load_s["embed"] += time.perf_counter() - t
onnx_mod.OnnxEmbedder.load = _timed_onnx_load
try:
    import consistency.models.nli as nli_mod
    _orig_nli = nli_mod.load_nli
    def _timed_nli(*a, **k):
        t = time.perf_counter()
        try:
            return _orig_nli(*a, **k)
        finally:
            load_s["nli"] += time.perf_counter() - t
    nli_mod.load_nli = _timed_nli
except ImportError:
    pass
from consistency.runner.check import check
stages = {}
last = [None, time.perf_counter()]
def progress(stage, done, total):
    now = time.perf_counter()
    if last[0] is not None:
        stages[last[0]] = stages.get(last[0], 0.0) + now - last[1]
    last[0], last[1] = stage, now
args = json.loads(sys.argv[1])
settings = Settings(nli_model=args["nli_model"])
t0 = time.perf_counter()
res = check(args["new"], args["corpus"], settings, cache_dir=args["cache_dir"],
            use_cache=not args["no_cache"], progress=progress)
t1 = time.perf_counter()
progress("end", 0, 0)
print(json.dumps({
    "import_s": t0 - t_start,
    "check_s": t1 - t0,
    "load_embed_s": load_s["embed"],
    "load_nli_s": load_s["nli"],
    "stages": stages,
    "stats": res.stats,
    "findings": res.findings.height,
    "kinds": sorted(set(res.findings["kind"].to_list())),
    "exit": int(res.exit_code),
}))
"""


def run_child(payload: dict[str, object]) -> dict[str, object]:
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(payload)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t
    if out.returncode != 0:
        print(out.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"child failed with {out.returncode}")
    d: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    d["process_s"] = wall
    return d


def show(label: str, d: dict[str, object]) -> None:
    load = float(d["load_embed_s"]) + float(d["load_nli_s"])  # type: ignore[arg-type]
    work = float(d["check_s"]) - load  # type: ignore[arg-type]
    stages = d["stages"]
    assert isinstance(stages, dict)
    st = ", ".join(f"{k} {v:.2f}s" for k, v in stages.items() if v >= 0.01)
    print(
        f"{label:<6} process {d['process_s']:.2f}s = import {d['import_s']:.2f}s"
        f" + check {d['check_s']:.2f}s (model load {load:.2f}s"
        f" [embed {d['load_embed_s']:.2f}, nli {d['load_nli_s']:.2f}],"
        f" other work {work:.2f}s)"
    )
    print(f"       stages: {st}")
    print(f"       cache: {d['stats']}; findings {d['findings']} {d['kinds']}; exit {d['exit']}")


def bench_index() -> None:
    import numpy as np

    from consistency.models.cache import IndexCache

    rng = np.random.default_rng(0)
    for n in (150, 20_000, 200_000):
        vecs = rng.standard_normal((n, 384)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        shas = [f"{i:064x}" for i in range(n)]
        with tempfile.TemporaryDirectory() as d:
            cache = IndexCache(d)
            t = time.perf_counter()
            cache.load_or_build("m", shas, vecs)
            build = time.perf_counter() - t
            t = time.perf_counter()
            _, reused = cache.load_or_build("m", shas, vecs)
            load = time.perf_counter() - t
            t = time.perf_counter()
            IndexCache.key("m", shas)
            key = time.perf_counter() - t
        print(
            f"faiss flat index, {n:>7} x 384: build+save {build * 1000:.1f} ms, "
            f"load {load * 1000:.1f} ms (of which key {key * 1000:.1f} ms), reused={reused}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--new", default="data/002_2fdf4f7ca629e32d.txt")
    ap.add_argument("--data", default="data")
    ap.add_argument("--no-nli", action="store_true", help="run without the NLI model")
    ap.add_argument("--warm-runs", type=int, default=2)
    ap.add_argument("--skip-index", action="store_true")
    a = ap.parse_args()
    new = Path(a.new)
    corpus = sorted(str(p) for p in Path(a.data).glob("*.txt") if p.name != new.name)
    print(f"check {new} against {len(corpus)} articles: {', '.join(Path(c).name for c in corpus)}")
    with tempfile.TemporaryDirectory() as cache_dir:
        payload = {
            "new": [str(new)],
            "corpus": corpus,
            "cache_dir": cache_dir,
            "no_cache": False,
            "nli_model": None if a.no_nli else "builtin",
        }
        cold = run_child(payload)
        show("cold", cold)
        warm = [run_child(payload) for _ in range(a.warm_runs)]
        for i, w in enumerate(warm):
            show(f"warm{i + 1}", w)
        best = min(warm, key=lambda d: float(d["process_s"]))  # type: ignore[arg-type]
        proc = float(cold["process_s"]) / float(best["process_s"])  # type: ignore[arg-type]
        chk = float(cold["check_s"]) / float(best["check_s"])  # type: ignore[arg-type]
        print(f"speed-up warm vs cold: process {proc:.1f}x, check() {chk:.1f}x")
    if not a.skip_index:
        bench_index()


if __name__ == "__main__":
    main()
