"""What a figure is about: its slot, population, place and moment read from the words
around it (claims.slots, places, forecasts, updates). Hand-written cases.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from consistency.claims import link_claims
from consistency.claims.slots import read_slot, tokens
from tests.conftest import (
    frames,
    judge_linked,
    same_vectors,
)
from tests.unit.claims.conftest import slot_of


@pytest.mark.parametrize(
    ("sentence", "value", "slot"),
    [
        ("Sebanyak 46 korban lainnya luka-luka di lokasi.", "46", "injured"),
        ("Tercatat korban luka berjumlah 50 orang.", "50", "injured"),
        ("Gempa terjadi pada kedalaman 24,1 kilometer.", "24,1", "depth"),
        ("Banjir itu menewaskan 12 orang.", "12", "dead"),
        ("Sedikitnya 40 orang luka berat.", "40", "injured_serious"),
        ("The storm killed at least 18 people.", "18", "dead"),
        ("He said 82 people had been hurt.", "82", "injured"),
    ],
)
def test_slot_is_read_before_and_after_the_value(sentence: str, value: str, slot: str) -> None:
    toks = tokens(sentence)
    i = next(k for k, t in enumerate(toks) if t.text == value)
    r = read_slot(toks, i, i)
    assert slot in (r.status, r.measure), r


def test_population_is_only_what_is_counted() -> None:
    toks = tokens("Bus itu membawa 11 penumpang bus lain.")
    i = next(k for k, t in enumerate(toks) if t.text == "11")
    assert read_slot(toks, i, i).population is None
    toks = tokens("Bus itu mengangkut 61 siswa.")
    i = next(k for k, t in enumerate(toks) if t.text == "61")
    r = read_slot(toks, i, i)
    assert (r.status, r.population) == ("aboard", "students")


def test_clause_break_stops_the_window() -> None:
    toks = tokens("Sebanyak 11 orang tewas dan 46 orang dirawat.")
    i = next(k for k, t in enumerate(toks) if t.text == "46")
    assert read_slot(toks, i, i).status == "injured"


def test_an_update_figure_continues_the_toll_just_named() -> None:
    _, _, claims = frames(
        {
            "a": [
                ["Korban tewas akibat erupsi terus bertambah.", "Kini angkanya menjadi 13 orang."]
            ],
            "b": [["Warga berkumpul di balai desa.", "Kini angkanya menjadi 13 orang."]],
        }
    )
    got = claims.filter(pl.col("surface") == "13")
    assert got["article_id"].to_list() == ["a"] and got["slot"].to_list() == ["dead"]


def test_a_sentence_with_its_own_subject_continues_no_earlier_toll() -> None:
    _, _, claims = frames(
        {
            "a": [
                [
                    "Sebanyak 9 orang luka ringan dirawat di klinik.",
                    "Menurut menteri, penghuni gedung itu mencapai 812 orang.",
                ]
            ],
            "b": [["Warga yang luka ringan ada 9 orang.", "The number has since risen to 14."]],
        }
    )
    assert claims.filter(pl.col("surface") == "812").is_empty()
    got = claims.filter(pl.col("surface") == "14")
    assert got["slot"].to_list() == ["injured_minor"]


def test_a_forecast_is_not_compared_with_a_count_but_with_another_forecast() -> None:
    _, _, claims = frames({"a": [["Korban tewas diperkirakan bisa mencapai 20.000 orang."]]})
    (row,) = claims.filter(pl.col("slot") == "dead").iter_rows(named=True)
    assert json.loads(row["detail"]).get("forecast") is True
    _, _, now = frames({"a": [["Diperkirakan 3.000 orang tewas dalam banjir itu."]]})
    assert "forecast" not in json.loads(now.filter(pl.col("slot") == "dead")["detail"][0])
    out = judge_linked(
        {
            "a": [["Korban tewas banjir di kota itu diperkirakan bisa mencapai 20.000 orang."]],
            "b": [["Korban tewas banjir di kota itu mencapai 5.500 orang."]],
            "c": [["Korban tewas banjir di kota itu could rise dramatically to 10.000 orang."]],
        }
    )
    pairs = {
        (r["a_article"], r["b_article"])
        for r in out.filter(pl.col("kind") == "number").iter_rows(named=True)
    }
    assert ("a", "b") not in pairs and ("b", "a") not in pairs
    assert ("a", "c") in pairs or ("c", "a") in pairs


def test_a_count_word_before_a_magnitude_is_not_a_magnitude() -> None:
    _, _, claims = frames(
        {"a": [["Hundreds of buildings collapsed after the magnitude 7.8 quake struck."]]}
    )
    assert claims.filter(pl.col("slot") == "magnitude")["surface"].to_list() == ["7.8"]


@pytest.mark.parametrize(
    ("sentence", "value", "place"),
    [
        ("Sebanyak 320 orang meninggal dunia di Suriah.", "320", "suriah"),
        (
            "Kemenkes mencatat 245 orang tewas, baik di wilayah Suriah maupun di utara.",
            "245",
            "suriah",
        ),
        ("Di pihak Turki, Wakil Presiden menyebut 284 warganya tewas.", "284", "turki"),
        ("At least 360 people were killed across Turkey and Syria.", "360", "syria+turkey"),
        ("Bila dijumlahkan, korban meninggal di kedua negara lebih dari 1200 orang.", "1200", "*"),
        ("Banjir di Libya timur menewaskan sekitar 2.300 orang.", "2.300", "libya"),
        ("Sedikitnya 3.000 orang tewas, menurut pejabat di wilayah timur Libya.", "3.000", None),
    ],
)
def test_the_place_a_toll_is_counted_in(sentence: str, value: str, place: str | None) -> None:
    _, _, claims = frames({"a": [[sentence]]})
    row = claims.filter(pl.col("surface") == value)
    assert row["slot"].to_list() == ["dead"]
    assert row["subject"].to_list() == [place]


def test_a_place_before_the_figure_is_read_for_tolls_only() -> None:
    _, _, claims = frames({"a": [["Gempa di Turki berkekuatan magnitudo 7,8."]]})
    assert claims.filter(pl.col("slot") == "magnitude")["subject"].to_list() == [None]


@pytest.mark.parametrize(
    ("sentence", "value", "slot"),
    [
        (
            "Dalam kecelakaan itu, sepuluh siswa yang menjadi penumpang bus dan satu "
            "pengendara motor meninggal dunia.",
            "sepuluh",
            "dead",
        ),
        (
            "Sebanyak 100 pelajar ikut acara itu dengan menumpang 3 bus yang terguling.",
            "100",
            "count",
        ),
        ("Masih ada 12 pendaki yang dicari tim SAR.", "12", "missing"),
    ],
)
def test_the_predicate_after_a_counted_group_names_what_befell_it(
    sentence: str, value: str, slot: str
) -> None:
    _, _, claims = frames({"a": [[sentence]]})
    assert slot_of(claims, value) == slot


def test_others_counted_by_the_word_after_them() -> None:
    _, _, claims = frames(
        {"a": [["Sebanyak 15 korban tewas adalah orang dewasa dan dua lainnya anak-anak."]]}
    )
    row = claims.filter(pl.col("surface") == "dua").to_dicts()[0]
    assert row["slot"] == "dead" and json.loads(row["detail"])["population"] == "anak-anak"
    _, _, claims = frames({"a": [["Sebanyak 53 orang lainnya luka-luka."]]})
    assert json.loads(claims.filter(pl.col("surface") == "53")["detail"][0])["population"] is None


def test_the_predicate_of_people_counted_names_what_befell_them() -> None:
    _, _, claims = frames(
        {
            "a": [
                [
                    "Lebih dari 1.300 orang dari permukiman padat di sekitar depo bahan bakar "
                    "itu akhirnya terpaksa mengungsi."
                ]
            ]
        }
    )
    assert slot_of(claims, "1.300") == "evacuated"


def test_a_place_named_at_the_edge_of_the_reach_is_read_whole() -> None:
    from consistency.claims.places import REACH, place_after

    s = "three people were still unaccounted for after the Friday night blaze at Pertamina's depot"
    pos = s.index("three") + len("three")
    assert s.index("Pertamina") - pos < REACH < s.index("Pertamina") + 9 - pos
    assert place_after(s, pos) == "pertamina"


def test_an_aftershock_named_outside_the_values_clause() -> None:
    _, sents, claims = frames(
        {
            "a": [
                ["Roughly 10 minutes after the main shock, a magnitude 6.7 temblor was recorded."]
            ],
            "b": [["The quake had a magnitude of 7.8, the survey said."]],
        }
    )
    m = claims.filter(pl.col("slot") == "magnitude")
    occ = {
        a: json.loads(d).get("occurrence")
        for a, d in zip(m["article_id"], m["detail"], strict=True)
    }
    assert occ == {"a": "aftershock", "b": None}
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot") == "magnitude").is_empty()


def test_feet_measure_an_altitude_not_a_distance() -> None:
    _, sents, claims = frames(
        {
            "a": [["Pesawat hilang kontak kira-kira 11 mil dari bandara."]],
            "b": [["Pesawat hilang kontak saat berada di atas 10 ribu kaki."]],
        }
    )
    assert slot_of(claims, "10 ribu") == "height"
    assert slot_of(claims, "11") == "length"
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot").is_in(["height", "length"])).is_empty()
    _, _, claims = frames({"a": [["Pusat gempa berada 24,1 kilometer di bawah permukaan bumi."]]})
    assert slot_of(claims, "24,1") == "depth"


@pytest.mark.parametrize(
    ("sentence", "value", "forecast"),
    [
        (
            "USGS memperkirakan ada peluang 47 persen korban jiwa berada di kisaran "
            "100 hingga 1000 orang.",
            "100 hingga 1000",
            True,
        ),
        ('"We fear that the deaths are in the hundreds," a doctor said.', "hundreds", True),
        ("Ia khawatir, sebab sedikitnya 5 orang tewas di lokasi itu.", "5", False),
        ("Dikhawatirkan bertambah; sejauh ini 76 orang tewas.", "76", False),
    ],
)
def test_a_speculation_before_a_figure_in_its_clause_makes_it_a_forecast(
    sentence: str, value: str, forecast: bool
) -> None:
    _, _, claims = frames({"a": [[sentence]]})
    row = claims.filter(pl.col("surface") == value)
    assert row.height == 1, claims["surface"].to_list()
    assert bool(json.loads(row["detail"][0]).get("forecast")) is forecast


def test_a_change_is_compared_only_with_changes() -> None:
    _, sents, claims = frames(
        {
            "a": [["Pesawat itu turun 10 ribu kaki hanya dalam satu menit."]],
            "b": [["Pesawat sempat berada di ketinggian 10.900 kaki."]],
            "c": [["The jet lost more than 10,000 feet in under a minute."]],
        }
    )
    change = {
        r["article_id"]: bool(json.loads(r["detail"]).get("change"))
        for r in claims.filter(pl.col("slot") == "height").iter_rows(named=True)
    }
    assert change == {"a": True, "b": False, "c": True}
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "height")
    pairs = {
        tuple(sorted((a[0], b[0]))) for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert pairs == {("a", "c")}
