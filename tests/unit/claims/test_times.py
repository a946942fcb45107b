"""Clock times and parts of the day: notations, zones, the moment each names, and which
times are compared (claims.clock, times, zones). Hand-written cases.
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from consistency.claims import link_claims
from consistency.claims.values import Value, compatible_times
from tests.conftest import (
    frames,
    judge_linked,
    same_vectors,
)


def test_times() -> None:
    wib = 7.0
    assert not compatible_times(Value(19 * 60, zone=wib), Value(18 * 60 + 45, zone=wib))[0]
    assert compatible_times(Value(14 * 60 + 53, zone=wib), Value(7 * 60 + 53, zone=0.0))[0]
    # "jam 5 sore" holds 17:03; a local time an hour off is a zone, not a conflict
    assert compatible_times(Value(17 * 60, precision=60.0), Value(17 * 60 + 3))[0]
    assert compatible_times(Value(13 * 60 + 40, zone_local=True), Value(14 * 60 + 40, zone=wib))[0]
    # no zone written: read in the other's zone
    assert not compatible_times(Value(13 * 60 + 40), Value(14 * 60 + 40, zone=wib))[0]
    assert not compatible_times(
        Value(14 * 60 + 53, zone_local=True), Value(14 * 60 + 54, zone=wib)
    )[0]
    # "pukul 5.03" may be either half of the day
    assert compatible_times(Value(5 * 60 + 3, twelve_hour=True), Value(17 * 60 + 3))[0]


def test_time_claims_parse_notations() -> None:
    _, _, claims = frames(
        {
            "a": [["Tabung gas meledak sekitar pukul 19.20 WIB di pasar itu."]],
            "b": [["The explosion happened at around 3.17pm local time."]],
            "c": [["Korban dibawa jam 5 sore."]],
        }
    )
    t = claims.filter(pl.col("slot") == "time")
    got = dict(zip(t["article_id"], t["value"], strict=True))
    assert got == {"a": "19:20+7", "b": "15:17", "c": "17:00"}
    c = json.loads(t.filter(pl.col("article_id") == "c")["detail"][0])
    assert c["precision"] == 60.0


def test_wire_style_four_digit_times_need_a_zone() -> None:
    _, _, claims = frames(
        {
            "a": [["The mayor was declared dead at 4:12 p.m. (0712 GMT) on Tuesday."]],
            "b": [["Kontak hilang pukul 1525 WIB, kata dia."]],
            "c": [["The 1500 people aboard were rescued in 2023."]],
        },
    )
    t = claims.filter(pl.col("slot") == "time")
    got = sorted(zip(t["article_id"], t["value"], t["surface"], strict=True))
    # the local time beside it takes the offset the pair shows
    assert ("a", "07:12+0", "0712 GMT") in got and ("a", "16:12+9", "4:12 p.m.") in got
    assert ("b", "15:25+7", "1525 WIB") in got
    assert not [g for g in got if g[0] == "c"]
    # a time is not a count of anything
    assert "0712" not in claims.filter(pl.col("slot") != "time")["surface"].to_list()
    assert claims.filter(pl.col("surface") == "1500")["slot"].to_list()


def _times(docs: dict[str, list[list[str]]]) -> list[tuple[str, str, str]]:
    _, _, claims = frames(docs)
    t = claims.filter(pl.col("slot") == "time")
    return sorted(zip(t["article_id"], t["value"], t["surface"], strict=True))


def test_a_local_time_beside_its_equivalent_gives_the_story_its_offset() -> None:
    got = _times(
        {
            "a": [["The mayor died at 4:12 p.m. (0712 GMT), an aide said."]],
            "b": [["Sang wali kota meninggal pukul 4.12 waktu setempat, kata ajudannya."]],
        }
    )
    # "waktu setempat" in another article is the same local clock: 04:12 at +9
    assert ("b", "04:12+9", "4.12 waktu setempat") in got
    got = _times(
        {
            "a": [["Ledakan terjadi pukul 20.00 waktu setempat atau pukul 08.00 WIB."]],
            "b": [["The blast came at 8 p.m. local time."]],
        }
    )
    assert ("a", "20:00-5", "20.00 waktu setempat") in got
    assert ("b", "20:00-5", "8 p.m. local time") in got


def test_local_times_keep_no_zone_when_pairs_disagree_or_are_missing() -> None:
    # two pairs, two offsets: the story spans zones, nothing is given
    got = _times(
        {
            "a": [["It began at 4:12 p.m. (0712 GMT)."]],
            "b": [["It ended at 9:00 p.m. (1400 GMT) in another city, at 6 p.m. local time."]],
        }
    )
    assert ("a", "16:12", "4:12 p.m.") in got and ("b", "18:00", "6 p.m. local time") in got
    # a time next to another time with no equivalence between them gives nothing
    got = _times({"a": [["Dari pukul 14.00 hingga 16.00 WIB, lalu pukul 9 waktu setempat."]]})
    assert all("+" not in v for _, v, s in got if "setempat" in s)


def test_a_twelve_hour_mistake_across_a_known_offset_is_a_conflict() -> None:
    out = judge_linked(
        {
            "a": [["The mayor was declared dead at 4:12 p.m. (0712 GMT) on Tuesday."]],
            "b": [["Ajudan menyebut ia dinyatakan meninggal pukul 4.12 waktu setempat, Selasa."]],
        }
    )
    times = out.filter(pl.col("explanation").str.contains("4.12 waktu setempat"))
    assert times.height == 1
    assert times["explanation"][0] == (
        "The time of death: '4:12 p.m.' in Outlet A vs '4.12 waktu setempat' in Outlet B; "
        "'4:12 p.m.' and '4.12 waktu setempat' are 12 hours apart."
    )


def test_times_of_different_moments_are_not_compared() -> None:
    _, sents, claims = frames(
        {
            "a": [["Pesawat latih itu lepas landas pukul 09.12 WIB dari Semarang."]],
            "b": [["Pesawat latih itu hilang kontak pukul 09.17 WIB di atas hutan."]],
            "c": [["The trainer plane took off at 8.20am Jakarta time."]],
        }
    )
    t = claims.filter(pl.col("slot") == "time")
    assert dict(zip(t["article_id"], t["subject"], strict=True)) == {
        "a": "departure",
        "b": "contact lost",
        "c": "departure",
    }
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "time")
    pairs = {
        tuple(sorted((a[0], b[0]))) for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert pairs == {("a", "c")}  # the two take-offs, never take-off against lost contact


def test_a_ship_or_a_bus_departs_as_a_plane_takes_off() -> None:
    _, _, claims = frames(
        {
            "a": [["Feri itu bertolak dari Pelabuhan Batu Lesung pukul 21.35 WIB."]],
            "b": [["The ferry left Batu Lesung port at 9:35 p.m. local time."]],
        }
    )
    t = claims.filter(pl.col("slot") == "time")
    assert t["subject"].to_list() == ["departure", "departure"]


def test_a_time_that_dates_a_count_is_not_an_event_time() -> None:
    _, sents, claims = frames(
        {
            "a": [["Kebakaran terjadi pukul 19.42 WIB."]],
            "b": [["Hingga pukul 22.30 WIB, korban tewas tercatat 6 orang."]],
        }
    )
    t = claims.filter(pl.col("slot") == "time")
    assert t.filter(pl.col("article_id") == "b")["subject"].to_list() == ["as of"]
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot") == "time").is_empty()


def test_every_cue_of_the_clause_names_the_moment() -> None:
    _, _, claims = frames(
        {"a": [["The research submersible lost contact on a dive at about 6.15 a.m. local time."]]}
    )
    d = json.loads(claims.filter(pl.col("slot") == "time")["detail"][0])
    assert set(d["events"]) == {"contact lost", "dive"}


def test_a_named_moment_meets_an_unnamed_time_at_the_named_threshold() -> None:
    _, sents, claims = frames(
        {
            "a": [["Gunung itu meletus sekitar pukul 10.27 WIB."]],
            "b": [["Pada pukul 10.13 WIB, warga panik."]],
        }
    )
    n = sents.height
    # statements as alike as two reports of one moment, below the unnamed threshold
    v = np.zeros((n, 2), dtype=np.float32)
    v[:, 0] = 1.0
    v[1] = [0.82, (1 - 0.82**2) ** 0.5]
    links = link_claims(claims, sents, v).filter(pl.col("slot") == "time")
    assert links.height == 1 and not links["compatible"][0]


def test_parts_of_one_days_event_that_cannot_both_hold() -> None:
    out = judge_linked(
        {
            "a": [
                ["Tiga jembatan putus setelah banjir bandang menerjang pada Kamis, 14 Maret sore."]
            ],
            "b": [["Desa itu tersapu ketika banjir besar menerjang pada Kamis malam (14/3)."]],
            "c": [["The flash flood struck on Thursday night, villagers said."]],
        }
    )
    got = {(r["a_article"], r["b_article"]) for r in out.iter_rows(named=True)}
    assert got == {("a", "b"), ("a", "c")}  # malam and night overlap


def test_parts_of_the_day_of_other_days_or_moments_are_not_compared() -> None:
    out = judge_linked(
        {
            "a": [["Banjir menerjang pada Kamis sore."], ["Warga mengungsi pada Jumat malam."]],
            "b": [["Pada Kamis malam, bupati menyampaikan duka."]],
        }
    )
    assert out.filter(pl.col("explanation").str.contains("part of the day")).is_empty()


def test_a_time_whose_moment_its_article_tells_elsewhere_is_not_that_moment() -> None:
    _, sents, claims = frames(
        {
            "a": [["Pesawat latih itu lepas landas pukul 09.12 WIB."]],
            "b": [
                ["Pesawat latih lepas landas pukul 08.20 WIB."],
                ["Kontak dengan pesawat latih itu hilang sekitar pukul 09.17 WIB."],
            ],
        }
    )
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "time")
    got = {
        frozenset((claims_by_id(claims)[a], claims_by_id(claims)[b]))
        for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert frozenset(("09.12 WIB", "08.20 WIB")) in got
    assert frozenset(("09.12 WIB", "09.17 WIB")) not in got


def claims_by_id(claims: pl.DataFrame) -> dict[str, str]:
    return dict(zip(claims["claim_id"], claims["surface"], strict=True))


def test_a_timeline_entry_of_an_unnamed_moment_is_not_compared() -> None:
    _, sents, claims = frames(
        {
            "a": [["Kebakaran terjadi pukul 19.42 WIB di gudang itu."]],
            "b": [["22.50 WIB – Wali kota tiba di gudang yang terbakar"]],
        }
    )
    entry = claims.filter((pl.col("slot") == "time") & (pl.col("article_id") == "b"))
    assert entry["detail"].str.contains('"entry": true').to_list() == [True]
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot") == "time").is_empty()


def test_a_word_that_names_a_clock_time_is_a_time_of_its_moment() -> None:
    _, sents, claims = frames(
        {
            "a": [["Crews put out the warehouse fire just before Tuesday midnight."]],
            "b": [["Regu pemadam memadamkan api sekitar pukul 01.48 WIB, Rabu."]],
            "c": [["Api baru bisa dipadamkan pukul 00.00 WIB."]],
        }
    )
    t = claims.filter(pl.col("slot") == "time")
    assert dict(zip(t["article_id"], t["subject"], strict=True)) == {
        "a": "put out",
        "b": "put out",
        "c": "put out",
    }
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "time")
    verdict = {
        tuple(sorted((a[0], b[0]))): ok
        for a, b, ok in zip(links["a_claim"], links["b_claim"], links["compatible"], strict=True)
    }
    assert verdict[("a", "b")] is False  # 01.48 is not just before midnight
    assert verdict[("a", "c")] is True  # midnight itself is what "just before" rounds to


def test_a_time_of_no_named_moment_is_held_only_against_the_events_own() -> None:
    _, sents, claims = frames(
        {
            "a": [
                [
                    "Arendsz ditembak seorang pria bernama Dirk Vos ketika sedang berkampanye "
                    "di depan Balai Kota Westerhaven, Selasa (14/3/2023) jam 10.15."
                ]
            ],
            "b": [["Dokter menyebut Arendsz meninggal pukul 15.48 waktu setempat."]],
            "c": [["Penembakan itu terjadi pukul 10.25 waktu setempat."]],
        }
    )
    t = claims.filter(pl.col("slot") == "time")
    assert dict(zip(t["article_id"], t["subject"], strict=True)) == {
        "a": None,
        "b": "death",
        "c": "occur",
    }
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "time")
    pairs = {
        tuple(sorted((a[0], b[0]))) for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert pairs == {("a", "c")}


@pytest.mark.parametrize(
    "stamp",
    ["Wed, March 6, 2024 at 9:41 AM", "Senin, 08 Apr 2024 10:15 WIB"],
)
def test_a_page_timestamp_line_gives_no_event_time(stamp: str) -> None:
    _, _, claims = frames({"a": [[stamp, "Gempa terjadi pukul 16.10 WIB."]]})
    times = claims.filter(pl.col("value_kind") == "time")["surface"].to_list()
    assert times == ["16.10 WIB"]


def test_a_cue_in_a_clause_with_a_time_of_its_own_is_that_times() -> None:
    from consistency.claims.times import time_events, time_re

    text = "Api diketahui terlihat sekitar pukul 21.15 WIB dan baru dipadamkan pukul 01.30 WIB."
    found = [time_events(text, *m.span()) for m in time_re().finditer(text)]
    assert found == [[], ["put out"]]  # 21.15 is not when the fire was put out
    # a clause with no time of its own still lends its cue
    text = "Pukul 09.17 WIB menjadi kontak terakhir, lalu pesawat latih itu hilang dari radar."
    assert [time_events(text, *m.span()) for m in time_re().finditer(text)] == [["contact lost"]]
