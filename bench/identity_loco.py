"""Leave one cluster out, end to end: both scorers, each cluster with a model that never saw it.

    .venv/bin/python bench/identity_loco.py [--tables ../shared/data/fact-tables]
        [--dev ../shared/data/dev-clusters] [--folds DIR] [--baseline]

Fits the fold models (``python -m consistency.identity_train --folds``; the shipped
model is left alone: its output goes to a temporary folder), then runs the fact-table
scorer and the dev-cluster scorer with ``CONSISTENCY_IDENTITY_MODEL`` naming, for each
cluster, the model fitted on the other clusters. Prints both scorers' by-kind and TOTAL
lines and the fact tables split into the nine dev clusters and the six new ones.
``--baseline`` also runs both scorers with the model off (the rules alone), in the
same run, for comparison. Figures on clusters a model was fitted on say nothing: this
is the figure to quote.
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


def scorer(script: Path, model: str) -> str:
    cli = ROOT / ".venv" / "bin" / "consistency"
    cmd = f"CONSISTENCY_IDENTITY_MODEL={model} {cli} report {{input}} --format json -o {{output}}"
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
    ap.add_argument("--baseline", action="store_true", help="also score with the model off")
    a = ap.parse_args()
    flags = sorted(
        {f for f in Path("/proc/cpuinfo").read_text().split() if f in ("avx2", "avx512_vnni")}
    )
    print("cpu flags:", " ".join(flags))
    tmp = tempfile.mkdtemp()
    folds = Path(a.folds or Path(tmp) / "folds")
    if not any(folds.glob("*.json")):
        subprocess.run(
            [sys.executable, "-m", "consistency.identity_train", "--tables", a.tables,
             "--folds", str(folds), "--out", str(Path(tmp) / "all")],
            check=True, cwd=ROOT,
        )  # fmt: skip
    runs = [("leave one cluster out", f"{folds}/$(basename {{input}} .jsonl).json")]
    if a.baseline:
        runs.insert(0, ("rules alone (model off)", "off"))
    for name, model in runs:
        print(f"== {name}")
        ft = scorer(Path(a.tables) / "score.py", model)
        dev = scorer(Path(a.dev) / "score.py", model)
        print("fact tables:")
        print("\n".join("  " + x for x in ft.splitlines() if x.startswith(("by kind", "TOTAL"))))
        print("\n".join(split(ft)))
        print("dev clusters:")
        print("\n".join("  " + x for x in dev.splitlines() if x.startswith(("by type", "TOTAL"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
