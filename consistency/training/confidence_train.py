"""Train the finding-confidence model on the fact tables (never at run time, never in CI).

    python -m consistency.training.identity_train --tables ../shared/data/fact-tables --folds FOLDS
    python -m consistency.training.confidence_train --tables ../shared/data/fact-tables \
        --identity-folds FOLDS [--dev ../shared/data/dev-clusters] [--cache DIR] [--out DIR]
        [--folds DIR]

Every fact-table cluster is run through the pipeline with the claim-identity model
fitted without it (``FOLDS/<cluster>.json``) and no confidence model; each candidate
finding is labelled by the tables' own scorer (``score.py``'s ``classify``: 1 when
correct, 0 when equivalent, a wrong pair or off the table) and described by
:data:`consistency.judge.confidence.FEATURES`. A gradient-boosting classifier is
then evaluated **leave one cluster out**: the reliability table of the left-out
probabilities, and both scorers' figures (fact tables: recall, precision, HIGH
precision, updates flagged HIGH; dev clusters: recall and false alarms) for each
reporting threshold, computed on exactly the findings that would be kept. The
model fitted on all clusters is written to ``OUT/model.json`` (default: the
package's ``models/shipped/confidence/``) with ``training_info.json``; ``--folds DIR`` also
writes each fold's model (``DIR/<cluster>.json``) for end-to-end leave-one-cluster-out
runs (``CONSISTENCY_CONFIDENCE_MODEL``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from consistency.config import CONFIDENCE_MODEL_DIR
from consistency.judge.collapse import repeat_key, repeats
from consistency.judge.confidence import FEATURES, ConfidenceModel, may_be_update
from consistency.training.identity_train import cluster_articles

PARAMS: dict[str, Any] = {"C": 0.03, "max_iter": 5000}
"""The logistic regression's settings (scikit-learn ``LogisticRegression`` on standardised
features). Chosen leave one cluster out over C 0.01 to 1 and against gradient-boosted
trees and random forests, which fitted the clusters they saw (pooled left-out AUC 0.60
to 0.64 against 0.72 to 0.73 for the logistic regression)."""


def choose_report_at(sweep: list[tuple[float, Counter[str]]]) -> float:
    """The threshold under which a finding is not reported: of :data:`THRESHOLDS`, the one
    whose leave-one-cluster-out findings on the fact tables have the best F1 of precision
    (correct findings among those kept) and recall (divergent facts found); the lowest on
    a tie, so that no fact is dropped for nothing. Chosen on the same left-out scores it is
    reported with: a mild optimism."""

    def f1(c: Counter[str]) -> float:
        p = c["correct"] / max(c["kept"], 1)
        r = c["found"] / max(c["divergent"], 1)
        return 2 * p * r / (p + r) if p + r else 0.0

    best = max(f1(c) for _, c in sweep)
    return min(at for at, c in sweep if f1(c) >= best - 1e-12)


ALWAYS_REPORT = ("unique",)
"""Kinds reported whatever their probability: a figure only one outlet gives ("lebih dari
30 rudal") is no disagreement, so the tables (which list facts stated twice) count it
wrong by construction; it is shown LOW for a reviewer to weigh, listed apart from the
divergences (the report's ``uncorroborated``), so the sweep never counts it."""

SEVERITY = {"high": 0.9, "medium": 0.5}
"""Probability floors of HIGH and MEDIUM (under MEDIUM: LOW). HIGH's is where a reader can
trust it: :func:`choose_high_floor` raises it from 0.9 until the left-out findings above
it were at least :data:`HIGH_PRECISION` correct."""

HIGH_PRECISION = 0.9
"""The observed precision (leave one cluster out) a HIGH finding must have."""

HIGH_FLOORS = tuple(round(0.9 + 0.01 * i, 2) for i in range(10))
"""The HIGH floors tried, lowest first."""


def choose_high_floor(high_counts: Callable[[float], tuple[int, int]]) -> float:
    """The lowest of :data:`HIGH_FLOORS` at which the findings a run reports (left out,
    after the repeats are collapsed, as the scorer sees them) were at least
    :data:`HIGH_PRECISION` correct among those flagged HIGH; the highest when none was.
    ``high_counts(floor)`` gives (correct, all) of the HIGH findings at that floor. Chosen
    on the same left-out scores it is reported with: a mild optimism."""
    for floor in HIGH_FLOORS:
        correct, n = high_counts(floor)
        if n and correct / n >= HIGH_PRECISION:
            return floor
    return HIGH_FLOORS[-1]


THRESHOLDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)


def finding_json(r: dict[str, Any]) -> dict[str, Any]:
    """A DIVERGENCES row as the JSON report's finding (the sides the scorers read)."""
    out = {k: r[k] for k in ("kind", "severity", "explanation")}
    for p in ("a", "b"):
        hl = [[int(x), int(y)] for x, y in (r[f"{p}_highlight"] or [])]
        side = {
            "article_id": r[f"{p}_article"],
            "start": r[f"{p}_start"],
            "end": r[f"{p}_end"],
            "highlight": hl,
        }
        out[p] = side if r[f"{p}_article"] is not None else None
    out["evidence"] = json.loads(r["evidence"]) if r.get("evidence") else {}
    return out


def _repeat(r: dict[str, Any]) -> list[Any] | None:
    """A DIVERGENCES row's claim and pair of values (JSON-friendly), as judge.collapse keys it."""
    key = repeat_key(r["claim_id"], json.loads(r["evidence"] or "{}"), r["b_article"] is not None)
    return None if key is None else [key[0], sorted(key[1])]


def kept(d: dict[str, Any], p: np.ndarray, at: float) -> np.ndarray:
    """The divergences a run reports at threshold ``at``: over it, then at most two per
    claim and pair of values, by probability (judge.collapse). The kinds of
    :data:`ALWAYS_REPORT` are listed apart from the divergences, and are not among them."""
    apart = np.asarray([f["kind"] in ALWAYS_REPORT for f in d["findings"]], dtype=bool)
    keep = (p >= at) & ~apart
    idx = [i for i in range(len(keep)) if keep[i]]
    keys = [
        (d["repeat"][i][0], frozenset(d["repeat"][i][1])) if d["repeat"][i] else None for i in idx
    ]
    for j in repeats(keys, [float(p[i]) for i in idx]):
        keep[idx[j]] = False
    return keep


def _module(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: cannot be read")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def candidates(tables: Path, folds: Path, cache: Path | None) -> list[dict[str, Any]]:
    """Per cluster: its id, features, labels, verdicts, fact ids and findings as JSON."""
    from consistency.claims.identity_trees import MODEL_ENV as IDENTITY_ENV
    from consistency.config import Settings
    from consistency.judge.confidence import MODEL_ENV, finding_features
    from consistency.models.bundle import ModelChoice
    from consistency.pipeline import run_articles

    score = _module(tables / "score.py", "fact_table_score")
    settings = Settings()
    models: ModelChoice | None = None
    out = []
    for path in sorted(tables.glob("cluster-*.json")):
        cid, table, articles = cluster_articles(path)
        hit = cache / f"{cid}.json" if cache else None
        if hit is not None and hit.is_file():
            got = json.loads(hit.read_text(encoding="utf-8"))
            fresh = all("evidence" in f for f in got.get("findings", []))
            if got.get("features") == list(FEATURES) and "repeat" in got and fresh:
                got["x"] = np.asarray(got["x"], dtype=np.float32)
                out.append(got)
                continue
        if models is None:
            resolved = ModelChoice.from_settings(settings).resolve(settings)
            models = ModelChoice(resolved.embedder, resolved.nli)  # loaded once, a judge a run
        os.environ[IDENTITY_ENV] = str(folds / f"{cid}.json")
        os.environ[MODEL_ENV] = "off"
        # every candidate, not collapsed: the sweep below collapses by the
        # calibrated probability, as a run does (judge.collapse)
        report = run_articles(articles, Settings(collapse=False), models=models)
        rows = report.divergences.to_dicts()
        findings = [finding_json(r) for r in rows]
        verdicts = [score.classify(f, table["facts"]) for f in findings]
        x = finding_features(report.divergences, report.articles, report.claims)
        got = {
            "cluster": cid,
            "features": list(FEATURES),
            "x": x,
            "y": [int(v == "correct") for v, _ in verdicts],
            "verdict": [v for v, _ in verdicts],
            "fact": [fid for _, fid in verdicts],
            "findings": findings,
            "repeat": [_repeat(r) for r in rows],
        }
        if hit is not None:
            hit.parent.mkdir(parents=True, exist_ok=True)
            hit.write_text(json.dumps({**got, "x": x.tolist()}), encoding="utf-8")
        out.append(got)
        print(f"  {cid:40s} {len(rows):4d} candidates, {sum(got['y']):4d} correct", flush=True)
    return out


def fit(x: np.ndarray, y: np.ndarray) -> Any:
    """A logistic regression on standardised features fitted on ``x``, ``y`` (:data:`PARAMS`)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(**PARAMS)).fit(x, y)


def export(
    clf: Any, x_check: np.ndarray, report_at: float, severity: dict[str, float] = SEVERITY
) -> dict[str, Any]:
    """The fitted pipeline as :class:`ConfidenceModel` JSON, checked against scikit-learn."""
    scaler, lr = clf.steps[0][1], clf.steps[1][1]
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    spec = {
        "kind": "logistic regression on standardised features (scikit-learn)",
        "features": list(FEATURES),
        "report_at": report_at,
        "always_report": list(ALWAYS_REPORT),
        "severity": severity,
        "mean": [float(v) for v in scaler.mean_],
        "scale": [float(v) for v in scale],
        "coef": [float(v) for v in lr.coef_[0]],
        "intercept": float(lr.intercept_[0]),
    }
    model = ConfidenceModel(spec)
    ours, theirs = model.probability(x_check), clf.predict_proba(x_check)[:, 1]
    if not np.allclose(ours, theirs, atol=1e-6):
        raise SystemExit(f"export check failed: {np.abs(ours - theirs).max():.2e}")
    return spec


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[str]:
    """Predicted against observed precision per probability bin."""
    lines = []
    for i in range(bins):
        lo, hi = i / bins, (i + 1) / bins
        m = (p >= lo) & ((p < hi) if i < bins - 1 else (p <= hi))
        if m.any():
            lines.append(
                f"  P {lo:.1f}-{hi:.1f}  findings {int(m.sum()):4d}  predicted {p[m].mean():.2f}"
                f"  observed {y[m].mean():.2f}"
            )
    return lines


def scores(
    data: list[dict[str, Any]],
    p: dict[str, np.ndarray],
    at: float,
    tables: Path,
    dev: Path | None,
    six: set[str],
    severity: dict[str, float] = SEVERITY,
) -> tuple[str, Counter[str]]:
    """Both scorers' figures on the findings kept at ``at`` (HIGH from ``severity``), as a
    line, and the fact tables' counts (kept, correct, found, divergent ...)."""
    tot: Counter[str] = Counter()
    new: Counter[str] = Counter()
    for d in data:
        table = json.loads((tables / f"cluster-{d['cluster']}.json").read_text(encoding="utf-8"))
        keep = kept(d, p[d["cluster"]], at)
        # a figure that may be an update is never HIGH, as in a run (confidence.calibrate)
        capped = np.asarray([may_be_update(f.get("evidence") or {}) for f in d["findings"]])
        high = (p[d["cluster"]] >= severity["high"]) & ~capped.astype(bool)
        found = {
            f
            for f, k, v in zip(d["fact"], keep, d["verdict"], strict=True)
            if k and f and v == "correct"
        }
        found_high = {
            f
            for f, k, h, v in zip(d["fact"], keep, high, d["verdict"], strict=True)
            if k and h and f and v == "correct"
        }
        kind = {f["id"]: f["conflict"] for f in table["facts"]}
        for c in (tot, new) if d["cluster"] in six else (tot,):
            c["kept"] += int(keep.sum())
            c["correct"] += int((keep & (np.asarray(d["y"]) == 1)).sum())
            c["high"] += int((keep & high).sum())
            c["high_correct"] += int((keep & high & (np.asarray(d["y"]) == 1)).sum())
            c["divergent"] += sum(1 for v in kind.values() if v == "divergence")
            c["found"] += sum(1 for f in found if kind.get(f) == "divergence")
            c["updates_high"] += sum(1 for f in found_high if kind.get(f) == "update")

    def ratio(c: Counter[str], a: str, b: str) -> str:
        return f"{c[a]}/{c[b]} = {c[a] / max(c[b], 1):.2f}"

    out = (
        f"at {at:.2f}: fact tables recall {ratio(tot, 'found', 'divergent')}  precision "
        f"{ratio(tot, 'correct', 'kept')}  HIGH {ratio(tot, 'high_correct', 'high')}  "
        f"updates HIGH {tot['updates_high']}  |  six new: recall "
        f"{ratio(new, 'found', 'divergent')} precision {ratio(new, 'correct', 'kept')} "
        f"HIGH {ratio(new, 'high_correct', 'high')}"
    )
    if dev is not None:
        dev_score = _module(dev / "score.py", "dev_score")
        n = found_dev = fa = cons = 0
        for d in data:
            path = dev / f"cluster-{d['cluster']}.json"
            if not path.is_file():
                continue
            c = json.loads(path.read_text(encoding="utf-8"))
            shown = [
                f for f, k in zip(d["findings"], kept(d, p[d["cluster"]], at), strict=True) if k
            ]
            r = dev_score.score(c, {"divergences": shown})
            n, found_dev = n + r["n_gold"], found_dev + r["found"]
            fa, cons = fa + r["false_alarms"], cons + r["n_cons"]
        out += f"  |  dev recall {found_dev}/{n} = {found_dev / max(n, 1):.2f}"
        out += f"  false alarms {fa}/{cons}"
    return out, tot


def print_left_out(p_all: np.ndarray, y_all: np.ndarray) -> list[str]:
    """Print the pooled left-out figures (AUC, AP, reliability, precision per floor);
    return the reliability table."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    print(
        f"leave one cluster out: {len(y_all)} candidates, {int(y_all.sum())} correct; "
        f"AUC {roc_auc_score(y_all, p_all):.3f}  AP {average_precision_score(y_all, p_all):.3f}"
    )
    print("reliability (left-out probability against the scorer's verdicts):")
    table = reliability(p_all, y_all)
    print("\n".join(table))
    for floor in (0.5, 0.6, 0.7, 0.8, 0.9):
        m = p_all >= floor
        if m.any():
            seen = y_all[m].mean()
            print(f"  P >= {floor:.1f}: {int(m.sum())} findings, observed precision {seen:.2f}")
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--tables", required=True, help="the fact-tables folder")
    ap.add_argument(
        "--identity-folds", required=True, help="identity models, one per left-out cluster"
    )
    ap.add_argument("--dev", help="the dev-clusters folder (its score.py), for the dev figures")
    ap.add_argument("--cache", help="keep each cluster's candidates here and reuse them")
    ap.add_argument("--out", default=str(CONFIDENCE_MODEL_DIR))
    ap.add_argument("--folds", help="write each leave-one-cluster-out model here")
    a = ap.parse_args(argv)
    tables = Path(a.tables).resolve()
    dev = Path(a.dev).resolve() if a.dev else None
    t0 = time.time()
    data = candidates(tables, Path(a.identity_folds), Path(a.cache) if a.cache else None)
    six = set()
    if dev is not None:
        dev_ids = {p.name for p in dev.glob("cluster-*.json")}
        six = {d["cluster"] for d in data if f"cluster-{d['cluster']}.json" not in dev_ids}
    print(f"candidates read in {time.time() - t0:.0f}s")
    left_out: dict[str, np.ndarray] = {}
    folds: dict[str, Any] = {}
    for d in data:
        rest = [e for e in data if e is not d]
        x = np.vstack([e["x"] for e in rest])
        y = np.concatenate([np.asarray(e["y"]) for e in rest])
        folds[d["cluster"]] = (fit(x, y), x)
        fold = folds[d["cluster"]][0]
        left_out[d["cluster"]] = fold.predict_proba(d["x"])[:, 1] if len(d["x"]) else np.zeros(0)
    p_all = np.concatenate([left_out[d["cluster"]] for d in data])
    y_all = np.concatenate([np.asarray(d["y"]) for d in data])
    table = print_left_out(p_all, y_all)
    swept = [(at, *scores(data, left_out, at, tables, None, six)) for at in THRESHOLDS]
    report_at = choose_report_at([(at, c) for at, _, c in swept])

    def high_counts(floor: float) -> tuple[int, int]:
        sev = {**SEVERITY, "high": floor}
        c = scores(data, left_out, report_at, tables, None, six, sev)[1]
        return c["high_correct"], c["high"]

    severity = {**SEVERITY, "high": choose_high_floor(high_counts)}
    swept = [(at, *scores(data, left_out, at, tables, dev, six, severity)) for at in THRESHOLDS]
    sweep = [line for _, line, _ in swept]
    print("\n".join(sweep))
    ones = {d["cluster"]: np.ones(len(d["y"])) for d in data}
    base, _ = scores(data, ones, 0.0, tables, dev, six)
    print("every candidate kept, each counted HIGH: " + base.split(": ", 1)[1])
    print(f"reported from probability {report_at:.2f} (best F1 on the fact tables, left out)")
    print(f"HIGH from probability {severity['high']:.2f} (left out: >= {HIGH_PRECISION} correct)")
    if a.folds:
        Path(a.folds).mkdir(parents=True, exist_ok=True)
        for cid, (fold, x) in folds.items():
            spec = export(fold, x, report_at, severity)
            (Path(a.folds) / f"{cid}.json").write_text(json.dumps(spec) + "\n")
    x = np.vstack([d["x"] for d in data])
    clf = fit(x, y_all)
    spec = export(clf, x, report_at, severity)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.json").write_text(
        json.dumps(spec, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    info = {
        "params": PARAMS,
        "report_at": report_at,
        "severity": severity,
        "candidates": len(y_all),
        "correct": int(y_all.sum()),
        "clusters": [d["cluster"] for d in data],
        "reliability": table,
        "leave_one_cluster_out": sweep,
        "weights": sorted(
            ((f, round(float(v), 4)) for f, v in zip(FEATURES, spec["coef"], strict=True)),
            key=lambda t: -abs(t[1]),
        )[:15],
    }
    (out / "training_info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / 'model.json'} and training_info.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
