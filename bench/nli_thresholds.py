"""Choose the judge's NLI thresholds on IndoNLI val, scoring both directions.

Prints, for the built-in (or given) NLI model, how many val pairs each rule
flags and its precision/recall for the gold label, so the thresholds in
``consistency.judge.JudgeConfig`` can be set from data:

    python bench/nli_thresholds.py [--nli-model NAME] [--data ../shared/data/indonli/val.jsonl]

The reverse direction (hypothesis as premise) has no gold label of its own;
requiring a contradiction both ways is simply a stricter rule, measured here.

Each rule's threshold is then chosen by a fixed policy, printed at the end: the
lowest threshold on the grid whose precision reaches the rule's target
(:data:`TARGETS`). The targets are set by what a wrong call costs: raising a typed
finding that is already there is cheap (0.85); a finding made by NLI alone costs a
reviewer's time (0.95); suppressing a weak typed finding hides evidence (0.80).
A threshold must flag at least 20 pairs, so that its precision is measured at all.

Both contradiction rules take the larger of the two directions. Requiring a
contradiction both ways was the earlier rule for NLI alone; the model trained with
R-Drop is confident in both directions on only 19 val pairs at 0.875, too few to
measure a precision on, so the rule for NLI alone is now the stricter threshold on
either direction (the "both ways" lines are still printed).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GRID = [round(0.5 + 0.025 * i, 3) for i in range(19)]  # 0.50 .. 0.95
TARGETS = {"nli_contra_raise": 0.85, "nli_contra_alone": 0.95, "nli_entail_mutual": 0.80}
"""Precision each rule must reach on IndoNLI val (see the module docstring)."""


def choose(score: np.ndarray, target: np.ndarray, precision: float) -> tuple[float, float, float]:
    """The lowest grid threshold whose precision reaches ``precision``: (t, precision, recall).

    ``(nan, nan, nan)`` when no threshold on the grid reaches it.
    """
    for t in GRID:
        flagged = score >= t
        n = int(flagged.sum())
        if n < 20:
            break
        tp = int((flagged & target).sum())
        if tp / n >= precision:
            return t, tp / n, tp / max(int(target.sum()), 1)
    return float("nan"), float("nan"), float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nli-model", default="builtin")
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/indonli/val.jsonl"))
    a = ap.parse_args()
    from consistency.models.nli import load_nli

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
    either, both = np.maximum(ab[:, 2], ba[:, 2]), np.minimum(ab[:, 2], ba[:, 2])
    mutual = np.minimum(ab[:, 0], ba[:, 0])
    for t in (0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        show(f"contradiction a->b >= {t}", ab[:, 2] >= t, contra)
        show(f"contradiction either way >= {t}", either >= t, contra)
        show(f"contradiction both ways >= {t}", both >= t, contra)
    for t in (0.5, 0.6, 0.7, 0.8, 0.9):
        show(f"entailment both ways >= {t}", mutual >= t, entail)
    print("\nchosen (lowest threshold reaching the target precision):")
    for name, score, target in (
        ("nli_contra_raise", either, contra),
        ("nli_contra_alone", either, contra),
        ("nli_entail_mutual", mutual, entail),
    ):
        t, p, r = choose(score, target, TARGETS[name])
        print(
            f"  {name:18s} = {t:.3f}  (target {TARGETS[name]:.2f}: "
            f"precision {p:.3f}, recall {r:.3f})"
        )


if __name__ == "__main__":
    main()
