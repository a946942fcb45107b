"""What a figure next to capitalised words counts, in a headline and in a sentence."""

from __future__ import annotations

import json

import polars as pl
import pytest

from tests.conftest import frames


def counts(text: str) -> list[tuple[str, float, str | None]]:
    _, _, claims = frames({"a": [[text, "Semua penumpang selamat."]]})
    rows = claims.filter((pl.col("value_kind") == "count") & (pl.col("sent_idx") == 0))
    return [
        (r["slot"], r["value_num"], json.loads(r["detail"] or "{}").get("population"))
        for r in rows.iter_rows(named=True)
    ]


@pytest.mark.parametrize(
    ("headline", "want"),
    [
        # a title-cased headline: the capitalised word after the figure is what it counts
        (
            "Kapal Feri Membawa 120 Penumpang Tenggelam di Selat Bali",
            [("aboard", 120.0, "passengers")],
        ),
        ("Bus Rombongan Angkut 150 Siswa Terguling di Subang", [("count", 150.0, "students")]),
        # a name with its number, whatever follows it
        ("KRI Nanggala 402 Hilang Kontak di Perairan Bali", []),
        ("Pesawat Boeing 737 Jatuh di Laut Jawa", []),
    ],
)
def test_a_headline_figure_before_a_counted_noun_is_a_count(headline: str, want: list) -> None:
    assert counts(headline) == want
