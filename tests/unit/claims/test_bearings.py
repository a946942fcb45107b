"""Compass bearings of a place from a landmark (hand-written cases, both languages)."""

from __future__ import annotations

from consistency.claims.bearings import bearing_claims
from consistency.claims.values import compatible_bearings


def read(text: str) -> list[tuple[str, float, str]]:
    rows = bearing_claims("a", {"text": text, "start": 0, "sent_idx": 0})
    return [(r["surface"], r["value_num"], r["subject"]) for r in rows]


def test_a_direction_after_a_distance_and_before_a_landmark() -> None:
    assert read("Kapal itu tenggelam sekitar 25 km barat daya Pelabuhan Merak.") == [
        ("barat daya", 225.0, "pelabuhan merak")
    ]
    assert read("Longsor terjadi 3 kilometer di sebelah utara dari Desa Sukamaju.") == [
        ("utara", 0.0, "desa sukamaju")
    ]
    assert read("The boat sank about 12 miles north-northeast of Port Klang.") == [
        ("north-northeast", 22.5, "port klang")
    ]


def test_place_names_with_a_direction_give_no_bearing() -> None:
    assert read("Banjir melanda Jawa Barat dan Nusa Tenggara Barat pekan ini.") == []
    assert read("Sebanyak 40 warga Jakarta Utara mengungsi.") == []
    assert read("North Korea fired 3 missiles east of its coast.") == []  # no landmark named


def test_two_bearings_a_point_apart_or_more_cannot_both_hold() -> None:
    assert compatible_bearings(0.0, 0.0)[0]
    assert compatible_bearings(0.0, 337.5)[0] is False  # a whole point: north / NNW
    assert compatible_bearings(350.0, 5.0)[0]  # across north, under a point
    assert not compatible_bearings(0.0, 315.0)[0]  # north / north-west
    assert compatible_bearings(0.0, 315.0)[1] == "directions 45 degrees apart"


def test_two_outlets_giving_two_directions_from_one_landmark_are_a_place_finding() -> None:
    import polars as pl

    from tests.conftest import judge_linked

    out = judge_linked(
        {
            "a": [["Kapal itu tenggelam sekitar 25 km barat daya Pelabuhan Merak."]],
            "b": [["Kapal tenggelam kira-kira 25 km di selatan Pelabuhan Merak, kata petugas."]],
            "c": [["Kapal itu tenggelam sekitar 25 km barat daya Pelabuhan Merak, Banten."]],
        }
    )
    place = out.filter(pl.col("kind") == "place")
    assert place.height >= 1
    assert "direction from Pelabuhan Merak" in place["explanation"][0]
    assert all({r["a_article"], r["b_article"]} != {"a", "c"} for r in place.iter_rows(named=True))
