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
        ("Tercatat korban luka berjumlah 36 orang.", "36", "injured"),
        ("Gempa terjadi pada kedalaman 17,3 kilometer.", "17,3", "depth"),
        ("Banjir itu menewaskan 12 orang.", "12", "dead"),
        ("Sedikitnya 40 orang luka berat.", "40", "injured_serious"),
        ("The storm killed at least 18 people.", "18", "dead"),
        ("He said 64 people had been hurt.", "64", "injured"),
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
    _, _, claims = frames({"a": [["Korban tewas diperkirakan bisa mencapai 15.000 orang."]]})
    (row,) = claims.filter(pl.col("slot") == "dead").iter_rows(named=True)
    assert json.loads(row["detail"]).get("forecast") is True
    _, _, now = frames({"a": [["Diperkirakan 3.000 orang tewas dalam banjir itu."]]})
    assert "forecast" not in json.loads(now.filter(pl.col("slot") == "dead")["detail"][0])
    out = judge_linked(
        {
            "a": [["Korban tewas banjir di kota itu diperkirakan bisa mencapai 15.000 orang."]],
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
        ("Sebanyak 210 orang meninggal dunia di Ostrevia.", "210", "ostrevia"),
        (
            "Dinas kesehatan mencatat 178 orang tewas, baik di wilayah Ostrevia maupun di selatan.",
            "178",
            "ostrevia",
        ),
        ("Di pihak Marvania, Perdana Menteri menyebut 163 warganya tewas.", "163", "marvania"),
        ("At least 470 people died across Ostrevia and Marvania.", "470", "marvania+ostrevia"),
        (
            "Jika digabung, jumlah korban meninggal di kedua negara itu lebih dari 640 orang.",
            "640",
            "*",
        ),
        ("Banjir di Kaldora timur menewaskan sekitar 1.700 orang.", "1.700", "kaldora"),
        ("Sedikitnya 2.400 orang tewas, menurut pejabat di wilayah barat Kaldora.", "2.400", None),
    ],
)
def test_the_place_a_toll_is_counted_in(sentence: str, value: str, place: str | None) -> None:
    _, _, claims = frames({"a": [[sentence]]})
    row = claims.filter(pl.col("surface") == value)
    assert row["slot"].to_list() == ["dead"]
    assert row["subject"].to_list() == [place]


def test_a_place_before_the_figure_is_read_for_tolls_only() -> None:
    _, _, claims = frames({"a": [["Gempa di Marvania berkekuatan magnitudo 6,9."]]})
    assert claims.filter(pl.col("slot") == "magnitude")["subject"].to_list() == [None]


@pytest.mark.parametrize(
    ("sentence", "value", "slot"),
    [
        (
            "Pada tabrakan itu, delapan siswa yang menjadi penumpang bus dan dua "
            "pejalan kaki meninggal dunia.",
            "delapan",
            "dead",
        ),
        (
            "Sebanyak 100 pelajar ikut acara itu dengan menumpang 3 bus yang terguling.",
            "100",
            "count",
        ),
        ("Masih ada 9 pendaki yang dicari tim SAR.", "9", "missing"),
    ],
)
def test_the_predicate_after_a_counted_group_names_what_befell_it(
    sentence: str, value: str, slot: str
) -> None:
    _, _, claims = frames({"a": [[sentence]]})
    assert slot_of(claims, value) == slot


def test_others_counted_by_the_word_after_them() -> None:
    _, _, claims = frames(
        {"a": [["Sebanyak 21 korban tewas merupakan orang dewasa dan tiga lainnya anak-anak."]]}
    )
    row = claims.filter(pl.col("surface") == "tiga").to_dicts()[0]
    assert row["slot"] == "dead" and json.loads(row["detail"])["population"] == "anak-anak"
    _, _, claims = frames({"a": [["Sebanyak 53 orang lainnya luka-luka."]]})
    assert json.loads(claims.filter(pl.col("surface") == "53")["detail"][0])["population"] is None


def test_the_predicate_of_people_counted_names_what_befell_them() -> None:
    _, _, claims = frames(
        {
            "a": [
                [
                    "Lebih dari 2.600 orang dari kampung padat di sekitar gudang bahan kimia "
                    "itu akhirnya terpaksa mengungsi."
                ]
            ]
        }
    )
    assert slot_of(claims, "2.600") == "evacuated"


def test_a_place_named_at_the_edge_of_the_reach_is_read_whole() -> None:
    from consistency.claims.places import REACH, place_after

    s = "four workers were still missing on Monday after the late Sunday blaze at Kalverton's depot"
    pos = s.index("four") + len("four")
    assert s.index("Kalverton") - pos < REACH < s.index("Kalverton") + 9 - pos
    assert place_after(s, pos) == "kalverton"


def test_an_aftershock_named_outside_the_values_clause() -> None:
    _, sents, claims = frames(
        {
            "a": [
                ["About 15 minutes after the main shock, the survey logged a magnitude 5.9 tremor."]
            ],
            "b": [["The quake had a magnitude of 7.2, the survey said."]],
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
            "a": [["Pesawat hilang kontak kira-kira 14 mil dari bandara."]],
            "b": [["Pesawat latih itu lenyap dari radar ketika terbang di atas 8 ribu kaki."]],
        }
    )
    assert slot_of(claims, "8 ribu") == "height"
    assert slot_of(claims, "14") == "length"
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot").is_in(["height", "length"])).is_empty()
    _, _, claims = frames(
        {"a": [["Titik pusat gempa itu ada 17,3 kilometer di bawah permukaan bumi."]]}
    )
    assert slot_of(claims, "17,3") == "depth"


@pytest.mark.parametrize(
    ("sentence", "value", "forecast"),
    [
        (
            "Lembaga itu memperkirakan ada peluang 35 persen jumlah korban jiwa ada di kisaran "
            "10 hingga 100 orang.",
            "10 hingga 100",
            True,
        ),
        ('"We fear that the dead will number in the hundreds," a nurse told us.', "hundreds", True),
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
            "a": [["Jet itu turun 7 ribu kaki hanya dalam setengah menit."]],
            "b": [["Jet itu sempat terbang di ketinggian 7.400 kaki."]],
            "c": [["The jet lost more than 7,000 feet in half a minute."]],
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
