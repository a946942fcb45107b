"""Choose the judge's NLI thresholds on IndoNLI val, scoring both directions.

Prints, for the built-in (or given) NLI model, how many val pairs each rule
flags and its precision/recall for the gold label, so the thresholds in
``consistency.judge.JudgeConfig`` can be set from data:

    python bench/nli_thresholds.py [--nli-model NAME] [--data ../shared/data/indonli/val.jsonl]

The reverse direction (hypothesis as premise) has no gold label of its own;
requiring a contradiction both ways is simply a stricter rule, measured here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nli-model", default="builtin")
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/indonli/val.jsonl"))
    a = ap.parse_args()
    from consistency.nli import load_nli

    rows = [json.loads(line) for line in Path(a.data).read_text(encoding="utf-8").splitlines()]
    model = load_nli(a.nli_model)
    prem = [r["premise"] for r in rows]
    hyp = [r["hypothesis"] for r in rows]
    ab, ba = model.predict(prem, hyp), model.predict(hyp, prem)
    gold = np.array([r["label"] for r in rows])
    print(f"{model.model_id} on {a.data} ({len(rows)} pairs, both directions)")

    def show(name: str, flagged: np.ndarray, target: np.ndarray) -> None:
        tp = int((flagged & target).sum())
        n = int(flagged.sum())
        print(
            f"  {name:34s} flagged {n:5d}  precision {tp / max(n, 1):.3f}"
            f"  recall {tp / max(int(target.sum()), 1):.3f}"
        )

    contra, entail = gold == "c", gold == "e"
    for t in (0.7, 0.75, 0.8, 0.85, 0.9):
        show(f"contradiction a->b >= {t}", ab[:, 2] >= t, contra)
        show(f"contradiction either way >= {t}", np.maximum(ab[:, 2], ba[:, 2]) >= t, contra)
        show(f"contradiction both ways >= {t}", np.minimum(ab[:, 2], ba[:, 2]) >= t, contra)
    for t in (0.5, 0.6, 0.7, 0.8):
        show(f"entailment both ways >= {t}", np.minimum(ab[:, 0], ba[:, 0]) >= t, entail)


if __name__ == "__main__":
    main()
