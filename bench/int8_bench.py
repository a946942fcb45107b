"""The default embedder in fp32 and in int8, in one process: speed and closeness.

Embeds the development clusters' sentences (read in place, segmented by the
pipeline) with the fp32 graph and with its int8 copy
(:func:`consistency.models.onnx_build.build_int8_embedder`, made on first use), in
alternating rounds, and prints sentences per second (median of the rounds), the
ratio, and the cosine of each sentence's int8 vector to its fp32 vector. With
``--score`` it also runs the dev-set scorer (``score.py``) once per precision
and prints both TOTAL and by-type lines: int8 is the default only if its
recall does not drop (see :data:`consistency.models.onnx_models.INT8_KEEPS_RECALL`).

    python bench/int8_bench.py [--rounds 3] [--score]

Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_CLUSTERS = ROOT.parent / "shared" / "data" / "dev-clusters"


def score(precision: str, clusters: Path) -> list[str]:
    """The scorer's by-type and TOTAL lines with the embedder at ``precision``."""
    exe = Path(sys.executable).with_name("consistency")
    cmd = f"{exe} report {{input}} --format json -o {{output}}"
    env = {**os.environ, "CONSISTENCY_ONNX_PRECISION": precision}
    out = subprocess.run(
        [sys.executable, str(clusters / "score.py"), "--cmd", cmd],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    ).stdout
    return [ln for ln in out.splitlines() if ln.startswith(("by type", "TOTAL"))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clusters", type=Path, default=DEFAULT_CLUSTERS)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--score", action="store_true", help="run score.py once per precision")
    a = ap.parse_args()

    from onnx_bench import load_texts
    from startup_bench import cpu_flags

    from consistency.models import onnx_build
    from consistency.models import onnx_models as om

    print(f"cpu: {cpu_flags()}; load average {os.getloadavg()}")
    d = onnx_build.onnx_model_dir()
    if onnx_build.int8_embedder(d) is None:
        print(f"the int8 copy did not verify: {(d / om.INT8_INFO).read_text().strip()}")
        return
    print(f"int8 check: {(d / om.INT8_INFO).read_text().strip()}")
    print(f"auto chooses here: {om.embed_precision()}")
    sents = [s for c in load_texts(a.clusters) for s in c]
    models = {p: om.OnnxEmbedder(p, directory=d, precision=p).load() for p in ("fp32", "int8")}
    vecs: dict[str, np.ndarray] = {}
    times: dict[str, list[float]] = {p: [] for p in models}
    for _ in range(a.rounds):
        for p, m in models.items():
            t = time.perf_counter()
            vecs[p] = m.embed(sents)
            times[p].append(time.perf_counter() - t)
    rate = {p: len(sents) / statistics.median(ts) for p, ts in times.items()}
    cos = (vecs["fp32"].astype(np.float64) * vecs["int8"]).sum(axis=1)
    print(
        f"{len(sents)} sentences, {a.rounds} rounds: fp32 {rate['fp32']:.1f}/s, "
        f"int8 {rate['int8']:.1f}/s, int8/fp32 x{rate['int8'] / rate['fp32']:.2f}"
    )
    print(
        f"cosine int8 to fp32: min {cos.min():.4f}, 1st percentile "
        f"{np.percentile(cos, 1):.4f}, mean {cos.mean():.4f}"
    )
    if a.score:
        for p in ("fp32", "int8"):
            for line in score(p, a.clusters):
                print(f"{p}: {line}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
