"""Accuracy of an NLI model: IndoNLI val (with confusion matrix), the held-apart synthetic
slice per phenomenon, optionally XNLI (evaluation only) and translated MNLI dev.

Prints figures, never pass/fail. Run from the repo root:

    python bench/nli_eval.py                      # the built-in model
    python bench/nli_eval.py --xnli en --mnli-id  # more sets
    python bench/nli_eval.py --nli-model PATH     # another cross-encoder

Also prints precision/recall of "contradiction" and "entailment" at probability
thresholds on IndoNLI val, from which the judge's thresholds are chosen.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from consistency.models.nli import load_nli  # noqa: E402
from consistency.models.protocols import NLI_LABELS  # noqa: E402
from consistency.training.nli_corpora import NLIPair, load_split
from consistency.training.nli_data import heldout_synthetic


def confusion(y: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """3 x 3 counts: rows gold, columns predicted, in NLI_LABELS order."""
    m = np.zeros((3, 3), dtype=np.int64)
    for a, b in zip(y, pred, strict=True):
        m[a, b] += 1
    return m


def show_confusion(m: np.ndarray) -> str:
    head = "gold \\ pred    " + "".join(f"{lab[:7]:>9}" for lab in NLI_LABELS)
    rows = [head]
    for i, lab in enumerate(NLI_LABELS):
        rows.append(f"{lab:<15}" + "".join(f"{v:>9}" for v in m[i]))
    return "\n".join(rows)


def evaluate(model, pairs: list[NLIPair]) -> tuple[np.ndarray, np.ndarray, float]:
    """(probs, gold ids, seconds)."""
    t = time.time()
    probs = model.predict([p.premise for p in pairs], [p.hypothesis for p in pairs])
    secs = time.time() - t
    gold = np.asarray([NLI_LABELS.index(p.label) for p in pairs])
    return probs, gold, secs


def thresholds(probs: np.ndarray, gold: np.ndarray, label: str) -> list[str]:
    k = NLI_LABELS.index(label)
    out = [f"  {label}: threshold  precision  recall  n_flagged"]
    for t in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
        flag = probs[:, k] >= t
        tp = int((flag & (gold == k)).sum())
        prec = tp / flag.sum() if flag.sum() else float("nan")
        rec = tp / (gold == k).sum()
        out.append(
            f"  {'':>{len(label)}}  {t:>9.2f}  {prec:>9.3f}  {rec:>6.3f}  {int(flag.sum()):>9}"
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nli-model", default="builtin")
    ap.add_argument("--data-root", type=Path, default=None)
    ap.add_argument("--xnli", default="", help="comma-separated XNLI languages (en,es,sw,ur)")
    ap.add_argument("--xnli-split", default="dev", choices=("dev", "test"))
    ap.add_argument(
        "--mnli-id",
        action="store_true",
        help="also translated MNLI dev (trained on by the shipped recipe: not a fair test)",
    )
    ap.add_argument("--limit", type=int, default=0, help="only the first N pairs of each set")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's)")
    ap.add_argument(
        "--fp32",
        action="store_true",
        help="force fp32 inference (by default bf16 is used where the CPU has it natively)",
    )
    args = ap.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)

    t = time.time()
    model = load_nli(args.nli_model)
    if args.fp32 and hasattr(model, "bf16"):
        model.bf16 = False
    precision = "bf16" if getattr(model, "bf16", False) else "fp32"
    print(f"model: {model.model_id} (loaded in {time.time() - t:.1f}s; inference in {precision})")
    sets: dict[str, list[NLIPair]] = {"indonli-val": load_split("indonli-val", args.data_root)}
    sets["synthetic-heldout"] = heldout_synthetic(args.data_root)
    for lang in [x for x in args.xnli.split(",") if x]:
        split = f"xnli-{args.xnli_split}"
        sets[f"{split}-{lang}"] = load_split(split, args.data_root, language=lang)
    if args.mnli_id:
        sets["mnli-id-dev"] = load_split("mnli-id-dev", args.data_root)
    figures: dict[str, object] = {"model": model.model_id, "precision": precision}
    for name, pairs in sets.items():
        if args.limit:
            pairs = pairs[: args.limit]
        probs, gold, secs = evaluate(model, pairs)
        pred = probs.argmax(axis=1)
        acc = float((pred == gold).mean())
        m = confusion(gold, pred)
        print(
            f"\n== {name}: accuracy {acc * 100:.2f} on {len(pairs)} pairs "
            f"({len(pairs) / secs:.1f} pairs/s)"
        )
        print(show_confusion(m))
        entry: dict[str, object] = {
            "accuracy": acc,
            "n": len(pairs),
            "pairs_per_s": len(pairs) / secs,
            "confusion": m.tolist(),
        }
        if name == "indonli-val":
            print("\nthresholds on IndoNLI val (probability of the label):")
            for label in ("contradiction", "entailment"):
                print("\n".join(thresholds(probs, gold, label)))
        if name == "synthetic-heldout":
            print("\nper phenomenon:")
            per: dict[str, dict[str, float]] = {}
            phen = np.asarray([p.phenomenon for p in pairs])
            for ph in sorted(set(phen.tolist())):
                sel = phen == ph
                a = float((pred[sel] == gold[sel]).mean())
                per[ph] = {"accuracy": a, "n": int(sel.sum())}
                print(f"  {ph:<16} {a * 100:6.1f}  (n={int(sel.sum())})")
            entry["per_phenomenon"] = per
        figures[name] = entry
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
