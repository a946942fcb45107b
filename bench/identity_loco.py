"""Leave one cluster out, end to end: both scorers, each cluster with models that never saw it.

    .venv/bin/python bench/identity_loco.py [--tables ../shared/data/fact-tables]
        [--dev ../shared/data/dev-clusters] [--folds DIR] [--confidence-folds DIR] [--baseline]

Fits the fold models of both learned parts (``python -m consistency.training.identity_train
--folds``, then ``python -m consistency.training.confidence_train --identity-folds ... --folds``;
the shipped models are left alone: their output goes to a temporary folder), then runs
the fact-table scorer and the dev-cluster scorer with ``CONSISTENCY_IDENTITY_MODEL`` and
``CONSISTENCY_CONFIDENCE_MODEL`` naming, for each cluster, the models fitted on the
other clusters. Prints both scorers' by-kind and TOTAL lines and the fact tables split
into the nine dev clusters and the six new ones, for the claim-identity model alone
(confidence off) and for both. ``--baseline`` also runs both scorers with both models
off (the rules alone), in the same run. Figures on clusters a model was fitted on say
nothing: these are the figures to quote.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = {
    "banjir-derna-2023-09",
    "bus-ciater-subang-2024-05",
    "erupsi-marapi-2023-12",
    "gempa-turki-suriah-2023-02",
    "itaewon-2022-10",
    "kebakaran-plumpang-2023-03",
    "kri-nanggala-2021-04",
    "shinzo-abe-2022-07",
    "sriwijaya-sj182-2021-01",
}
LINE = re.compile(r"(\S+)\s+recall (\d+)/(\d+)\s+precision (\d+)/(\d+) = \S+ \(high (\d+)/(\d+)\)")


def scorer(script: Path, model: str, confidence: str) -> str:
    cli = ROOT / ".venv" / "bin" / "consistency"
    cmd = (
        f"CONSISTENCY_IDENTITY_MODEL={model} CONSISTENCY_CONFIDENCE_MODEL={confidence} "
        f"{cli} report {{input}} --format json -o {{output}}"
    )
    out = subprocess.run(
        [sys.executable, str(script), "--cmd", cmd], capture_output=True, text=True, cwd=ROOT
    )
    return out.stdout + out.stderr


def split(text: str) -> list[str]:
    """The fact-table lines summed over the nine dev clusters and over the six new ones."""
    sums = {True: [0] * 6, False: [0] * 6}
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            for i in range(6):
                sums[m.group(1) in DEV][i] += int(m.group(i + 2))
    out = []
    for dev, name in ((True, "nine dev clusters"), (False, "six new clusters")):
        f, n, c, k, hc, h = sums[dev]
        out.append(
            f"  {name}: recall {f}/{n} = {f / max(n, 1):.2f}  precision {c}/{k} = "
            f"{c / max(k, 1):.2f}  high {hc}/{h} = {hc / max(h, 1):.2f}"
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tables", default=str(ROOT.parent / "shared/data/fact-tables"))
    ap.add_argument("--dev", default=str(ROOT.parent / "shared/data/dev-clusters"))
    ap.add_argument("--folds", help="reuse fold models here (fitted when missing)")
    ap.add_argument("--confidence-folds", help="reuse confidence fold models (fitted when missing)")
    ap.add_argument("--baseline", action="store_true", help="also score with both models off")
    a = ap.parse_args()
    flags = sorted(
        {f for f in Path("/proc/cpuinfo").read_text().split() if f in ("avx2", "avx512_vnni")}
    )
    print("cpu flags:", " ".join(flags))
    tmp = tempfile.mkdtemp()
    folds = Path(a.folds or Path(tmp) / "folds")
    if not any(folds.glob("*.json")):
        subprocess.run(
            [sys.executable, "-m", "consistency.training.identity_train", "--tables", a.tables,
             "--folds", str(folds), "--out", str(Path(tmp) / "all")],
            check=True, cwd=ROOT,
        )  # fmt: skip
    cfolds = Path(a.confidence_folds or Path(tmp) / "confidence")
    if not any(cfolds.glob("*.json")):
        subprocess.run(
            [sys.executable, "-m", "consistency.training.confidence_train", "--tables", a.tables,
             "--identity-folds", str(folds), "--folds", str(cfolds),
             "--out", str(Path(tmp) / "confidence-all")],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    fold = f"{folds}/$(basename {{input}} .jsonl).json"
    cfold = f"{cfolds}/$(basename {{input}} .jsonl).json"
    runs = [
        ("leave one cluster out: claim identity, no confidence model", fold, "off"),
        ("leave one cluster out: claim identity and confidence", fold, cfold),
    ]
    if a.baseline:
        runs.insert(0, ("rules alone (both models off)", "off", "off"))
    for name, model, confidence in runs:
        print(f"== {name}")
        ft = scorer(Path(a.tables) / "score.py", model, confidence)
        dev = scorer(Path(a.dev) / "score.py", model, confidence)
        print("fact tables:")
        print("\n".join("  " + x for x in ft.splitlines() if x.startswith(("by kind", "TOTAL"))))
        print("\n".join(split(ft)))
        print("dev clusters:")
        print("\n".join("  " + x for x in dev.splitlines() if x.startswith(("by type", "TOTAL"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
