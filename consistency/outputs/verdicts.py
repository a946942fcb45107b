"""Verdicts outside the store: read from a session or an export, marked on findings,
rejected ones dropped, a report's findings marked (``report --verdicts``).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from consistency.types import InputError, Verdict

if TYPE_CHECKING:
    from consistency.outputs.report import Report
from consistency.outputs.review_files import VERDICTS, csv_unquote
from consistency.outputs.review_store import ReviewStore


def read_verdicts(path: Path | str) -> pl.DataFrame:
    """Read verdicts from a session file (``.sqlite``) or an export (``.jsonl``/``.csv``).

    For ``consistency report --verdicts FILE`` and the CI gate's baseline.

    Returns:
        A VERDICTS frame (rows without verdict and note are left out).

    Raises:
        InputError: the file is missing or not one of these forms.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such verdicts file")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".csv"):
        try:
            if suffix == ".jsonl":
                with path.open(encoding="utf-8") as fh:
                    recs = [json.loads(line) for line in fh if line.strip()]
            else:
                with path.open(encoding="utf-8", newline="") as fh:
                    recs = [{k: csv_unquote(v) for k, v in r.items()} for r in csv.DictReader(fh)]
            rows = [
                {
                    "divergence_id": str(r["id"]),
                    "verdict": Verdict(r["verdict"]).value if r.get("verdict") else None,
                    "note": r.get("note") or None,
                    "reviewer": r.get("reviewer") or "",
                    "decided_at": r.get("decided_at") or "",
                }
                for r in recs
            ]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, ValueError) as e:
            problem = f"not a verdicts export ({type(e).__name__}: {e})"
            raise InputError(str(path), problem) from None
        df = pl.DataFrame(rows, schema=VERDICTS.polars_schema)
        return VERDICTS.validate(
            df.filter(pl.col("verdict").is_not_null() | pl.col("note").is_not_null())
        )
    with ReviewStore(path, read_only=True) as store:
        return store.verdicts()


def mark_verdicts(divergences: pl.DataFrame, verdicts: pl.DataFrame) -> pl.DataFrame:
    """Add ``verdict`` and ``note`` columns (null when unreviewed) to a DIVERGENCES frame."""
    return divergences.join(
        verdicts.select("divergence_id", "verdict", "note"), on="divergence_id", how="left"
    )


def suppress_rejected(divergences: pl.DataFrame, verdicts: pl.DataFrame) -> pl.DataFrame:
    """Drop the findings a reviewer rejected as false alarms (same schema back)."""
    rejected = verdicts.filter(pl.col("verdict") == Verdict.REJECTED.value)["divergence_id"]
    return divergences.filter(~pl.col("divergence_id").is_in(rejected.implode()))


def apply_verdicts(report: Report, path: Path, *, hide_rejected: bool = False) -> Report:
    """Attach a review session's (or export's) verdicts to ``report``.

    Every divergence in the JSON form then carries ``verdict`` and ``note``
    (null when unreviewed); with ``hide_rejected`` the findings a reviewer
    rejected as false alarms are dropped.
    """
    from dataclasses import replace

    verdicts = read_verdicts(path)
    divergences = report.divergences
    if hide_rejected:
        divergences = suppress_rejected(divergences, verdicts)
    return replace(report, divergences=divergences, verdicts=verdicts)
