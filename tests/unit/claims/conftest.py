"""What the claims tests share beyond tests/conftest.py: two articles that disagree on a
toll and a name, and a claim's slot by its surface.
"""

from __future__ import annotations

import polars as pl


def slot_of(claims: pl.DataFrame, surface: str) -> str:
    rows = claims.filter(pl.col("surface") == surface)["slot"].to_list()
    assert rows, f"no claim {surface!r} in {claims['surface'].to_list()}"
    return rows[0]


DOCS = {
    "a": [["Banjir itu menewaskan 12 orang pada Sabtu.", "Sopir bus bernama Sandira selamat."]],
    "b": [["Sebanyak 11 orang tewas dalam banjir itu.", "Sopir bus bernama Sadira selamat."]],
}
