"""How the ONNX models run their batches: the old way vs the new, in one process.

The development clusters' sentences (read in place) are embedded, and pairs of
sentences of one cluster are scored by the NLI model, the way a story's run
calls the models (each cluster's distinct texts sorted by length, in calls of
:data:`consistency.models.embed.EMBED_CHUNK` sentences or
:data:`consistency.models.nli.NLI_CHUNK` pairs), under three configurations:

* ``main``: fixed cuts every ``batch_size`` sorted rows, one batch at a time on
  every core (intra-op threads), as before;
* ``cuts``: the least-padding cuts (:func:`consistency.models.onnx_models.length_batches`),
  one batch at a time on every core;
* ``new``: those cuts, batches run by :func:`~consistency.models.onnx_models.run_workers`
  threads on ``cpu_count // workers`` intra-op threads each (the default now).

Rounds alternate the configurations (so a load that comes and goes hits all of
them); the figures are the median of the rounds and the ratio to ``main``.
Also the padded share of the tokens and the largest difference of the outputs
from ``main`` (cosine of embeddings, NLI probabilities).

    python bench/onnx_bench.py [--rounds 3] [--pairs 400]

Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_CLUSTERS = ROOT.parent / "shared" / "data" / "dev-clusters"


def _fixed_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """The old cuts: every ``batch_size`` rows of the length order."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[s : s + batch_size] for s in range(0, len(order), batch_size)]


def load_texts(clusters: Path) -> list[list[str]]:
    """Each cluster's sentences (the pipeline's segmenter on its articles)."""
    from consistency.stages.ingest import read_inputs
    from consistency.stages.prepare import prepare_articles

    out = []
    for p in sorted(clusters.glob("cluster-*.json")):
        c = json.loads(p.read_text())
        rows = [{"id": a["id"], "text": a["text"]} for a in c["articles"]]
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"onnx-bench-{os.getpid()}.jsonl"
        tmp.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
        try:
            sents = prepare_articles(read_inputs([str(tmp)]).articles).sentences
        finally:
            tmp.unlink(missing_ok=True)
        out.append(list(dict.fromkeys(sents.get_column("text").to_list())))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clusters", type=Path, default=DEFAULT_CLUSTERS)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pairs", type=int, default=400, help="NLI pairs over all clusters")
    a = ap.parse_args()

    from stories_bench import cpu_flags

    import consistency.models.onnx_models as om
    from consistency.models.embed import EMBED_CHUNK
    from consistency.models.nli import NLI_CHUNK, load_nli
    from consistency.models.onnx_build import onnx_model_dir
    from consistency.models.onnx_models import OnnxEmbedder, run_workers

    print(f"cpu: {cpu_flags()}; {os.cpu_count()} cores; load average {os.getloadavg()}")
    d = onnx_model_dir()
    clusters = load_texts(a.clusters)
    rng = random.Random(13)
    per = max(1, a.pairs // len(clusters))
    pairs = [[tuple(rng.sample(c, 2)) for _ in range(per)] for c in clusters if len(c) >= 2]
    n_sent = sum(len(c) for c in clusters)
    n_pairs = sum(len(p) for p in pairs)
    cpus = os.cpu_count() or 1
    workers, threads = run_workers()
    configs: dict[str, tuple[Any, int, int]] = {
        "main": (_fixed_batches, 1, cpus),
        "cuts": (om.length_batches, 1, cpus),
        "new": (om.length_batches, workers, threads),
    }
    emb = OnnxEmbedder("bench", directory=d).load()
    assert emb._loaded is not None
    nli: Any = load_nli("builtin")
    sessions = {
        t: (om.open_session(d / om.EMBEDDER_FILE, t), om.open_session(d / om.NLI_FILE, t))
        for t in sorted({c[2] for c in configs.values()})
    }
    real_batches = om.length_batches
    times: dict[str, dict[str, list[float]]] = {k: {"embed": [], "nli": []} for k in configs}
    outs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    waste: dict[str, dict[str, float]] = {}
    for r in range(a.rounds):
        for name, (batches, w, t) in configs.items():
            om.length_batches = batches  # type: ignore[assignment]
            emb._loaded = (sessions[t][0], *emb._loaded[1:])
            emb.workers = w
            nli.session, nli.workers = sessions[t][1], w
            counted = {"embed": [0, 0], "nli": [0, 0]}

            def count(kind: str, lengths: Sequence[int], size: int, counted: Any = counted) -> None:
                for b in om.length_batches(lengths, size):
                    counted[kind][0] += sum(lengths[i] for i in b)
                    counted[kind][1] += len(b) * max(lengths[i] for i in b)

            t0 = time.perf_counter()
            vecs = []
            for texts in clusters:
                ordered = sorted(texts, key=len)
                for s in range(0, len(ordered), EMBED_CHUNK):
                    vecs.append(emb.embed(ordered[s : s + EMBED_CHUNK]))
            t1 = time.perf_counter()
            probs = []
            for ps in pairs:
                ordered_p = sorted(ps, key=lambda p: len(p[0]) + len(p[1]))
                for s in range(0, len(ordered_p), NLI_CHUNK):
                    part = ordered_p[s : s + NLI_CHUNK]
                    probs.append(nli.predict([p for p, _ in part], [h for _, h in part]))
            t2 = time.perf_counter()
            times[name]["embed"].append(t1 - t0)
            times[name]["nli"].append(t2 - t1)
            if r == 0:
                outs[name] = (np.concatenate(vecs), np.concatenate(probs))
                tok = emb._loaded[1]
                for texts in clusters:
                    ordered = sorted(texts, key=len)
                    for s in range(0, len(ordered), EMBED_CHUNK):
                        ids = om.encode_batch(
                            tok, [emb.prefix + x for x in ordered[s : s + EMBED_CHUNK]], 512
                        )
                        count("embed", [len(x) for x in ids], emb.batch_size)
                for ps in pairs:
                    ordered_p = sorted(ps, key=lambda p: len(p[0]) + len(p[1]))
                    for s in range(0, len(ordered_p), NLI_CHUNK):
                        part = ordered_p[s : s + NLI_CHUNK]
                        ids = nli.encode([p for p, _ in part], [h for _, h in part])
                        count("nli", [len(x) for x in ids], nli.batch_size)
                waste[name] = {k: 1 - v[0] / max(v[1], 1) for k, v in counted.items()}
    om.length_batches = real_batches  # type: ignore[assignment]
    print(
        f"{n_sent} distinct sentences in {len(clusters)} clusters, {n_pairs} NLI pairs "
        f"(both orders not added here), {a.rounds} rounds; workers x threads for new: "
        f"{workers} x {threads}"
    )
    base = {k: statistics.median(v) for k, v in times["main"].items()}
    ref_v, ref_p = outs["main"]
    for name in configs:
        med = {k: statistics.median(v) for k, v in times[name].items()}
        v, p = outs[name]
        cos = float((ref_v.astype(np.float64) * v).sum(axis=1).min())
        diff = float(np.abs(ref_p.astype(np.float64) - p).max())
        print(
            f"  {name:5} embed {med['embed']:6.2f}s (x{base['embed'] / med['embed']:.2f}, "
            f"padding {100 * waste[name]['embed']:4.1f}%)  "
            f"nli {med['nli']:6.2f}s (x{base['nli'] / med['nli']:.2f}, "
            f"padding {100 * waste[name]['nli']:4.1f}%)  "
            f"vs main: min cosine {cos:.7f}, max prob diff {diff:.1e}"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
