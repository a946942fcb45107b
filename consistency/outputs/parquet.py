"""``report --format parquet``: each stage frame as ``<name>.parquet``, and the claim table.

The stage frames are written as they are; ``claims.parquet`` flattens the JSON
contract's ``claims`` list (:func:`claim_rows`). :func:`write_parquet_whole` is what the
command line runs: the files are written to a temporary folder inside the target and
moved over their names, so a failure leaves no truncated file behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from consistency.outputs.report import Report, claims_json
from consistency.types import InputError

CLAIM_ROWS_SCHEMA: dict[str, Any] = {
    "claim": pl.String,
    "slot": pl.String,
    "subject": pl.String,
    "conflict": pl.Boolean,
    "value": pl.String,
    "qualifier": pl.String,
    "outlet": pl.String,
    "article_id": pl.String,
    "sent_idx": pl.Int64,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
}
"""Columns of ``claims.parquet``: one row per claim group, value and span that gives it."""


def claim_rows(report: Report) -> pl.DataFrame:
    """The contract's ``claims`` list as a flat frame (see :data:`CLAIM_ROWS_SCHEMA`).

    The same rows whether the report was just built or read back from JSON.
    """
    outlets = dict(zip(report.articles["article_id"], report.articles["outlet"], strict=True))
    rows = [
        {
            "claim": g["id"],
            "slot": g["slot"],
            "subject": g.get("subject"),
            "conflict": bool(g.get("conflict")),
            "value": None if v.get("value") is None else str(v["value"]),
            "qualifier": v.get("qualifier"),
            "outlet": outlets.get(sp["article_id"]) or sp["article_id"],
            "article_id": sp["article_id"],
            "sent_idx": sp.get("sent_idx"),
            "start": sp["start"],
            "end": sp["end"],
            "text": sp.get("text"),
        }
        for g in claims_json(report)
        for v in g.get("values") or []
        for sp in v.get("spans") or []
    ]
    return pl.DataFrame(rows, schema=CLAIM_ROWS_SCHEMA)


def write_parquet(report: Report, directory: Path) -> list[Path]:
    """Write each stage frame as ``<name>.parquet`` under ``directory``.

    Beside the stage frames, ``claims.parquet`` holds the report's claim
    groups, one row per group, value and span (:func:`claim_rows`).
    """
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, df in (
        ("articles", report.articles),
        ("sentences", report.sentences),
        ("facts", report.facts),
        ("pairs", report.pairs),
        ("divergences", report.divergences),
        ("stories", report.story_frame()),
        ("claims", claim_rows(report)),
    ):
        p = directory / f"{name}.parquet"
        df.write_parquet(p)
        out.append(p)
    return out


def write_parquet_whole(report: Report, directory: Path) -> list[Path]:
    """The parquet files, each written to a temporary folder inside ``directory`` and then
    moved over its name (``os.replace``): a failure leaves no truncated file behind.

    Raises:
        InputError: the files could not be written.
    """
    import os
    import shutil
    import tempfile

    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=directory, prefix=".consistency-parquet-"))
        try:
            out = []
            for p in write_parquet(report, tmp):
                os.replace(p, directory / p.name)
                out.append(directory / p.name)
            return out
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError as e:
        raise InputError(str(directory), f"cannot write output ({e.strerror or e})") from None
