"""Counts: what is a count and what is not, counts said to be none, counted things and
the populations counted (claims.counts, count_words, plates). Hand-written cases.
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from consistency.claims import extract_claims, link_claims
from consistency.facts import extract_facts
from tests.conftest import (
    OUTLETS,
    frames,
    judge_linked,
    make_frames,
    same_vectors,
)
from tests.unit.claims.conftest import slot_of


def test_a_bare_count_meets_only_the_count_aboard_of_its_population() -> None:
    _, sents, claims = frames(
        {
            "a": [["Sebanyak 75 pendaki berada di puncak."]],
            "b": [["Sebanyak 11 pendaki tewas di puncak."]],
            "c": [["Bus yang mengangkut 70 pendaki itu terguling."]],
        }
    )
    links = link_claims(claims, sents, same_vectors(sents))
    pairs = {
        frozenset(claims.filter(pl.col("claim_id").is_in([r["a_claim"], r["b_claim"]]))["surface"])
        for r in links.iter_rows(named=True)
    }
    assert frozenset({"75", "11"}) not in pairs
    assert frozenset({"75", "70"}) in pairs


def test_a_negated_count_is_a_zero_of_its_status() -> None:
    _, _, claims = frames(
        {
            "a": [["Konsul menjamin tidak ada WNI yang menjadi korban pada kebakaran pasar itu."]],
            "b": [["Kebakaran itu tanpa korban jiwa."]],
            "c": [["No students were injured in the crash."]],
        }
    )
    zero = {
        (r["article_id"], r["slot"], json.loads(r["detail"]).get("population"))
        for r in claims.iter_rows(named=True)
        if json.loads(r["detail"]).get("zero")
    }
    assert zero == {("a", "casualties", "wni"), ("b", "dead", None), ("c", "injured", "students")}
    assert set(claims.filter(pl.col("slot") == "casualties")["value_num"]) == {0.0}


def test_no_reports_of_victims_is_not_a_zero() -> None:
    _, _, claims = frames(
        {
            "a": [["There were no immediate reports of casualties."]],
            "b": [["Belum ada laporan korban jiwa, tidak ada data korban."]],
            "c": [["There is so far no official death toll, and no death toll yet for the city."]],
        }
    )
    assert claims.filter(pl.col("value_num") == 0).is_empty()


def test_none_among_a_population_conflicts_with_victims_of_it_only() -> None:
    out = judge_linked(
        {
            "a": [["Konsul menjamin tidak ada WNI yang menjadi korban pada kebakaran pasar itu."]],
            "b": [["Hingga Senin tercatat 3 WNI luka ringan akibat kebakaran pasar itu."]],
            "c": [["Sebanyak 87 orang tewas dalam kebakaran pasar itu."]],
        }
    )
    pairs = {(r["a_article"], r["b_article"]) for r in out.iter_rows(named=True)}
    assert ("a", "b") in pairs
    assert not {("a", "c"), ("c", "a")} & pairs  # Indonesians among them, not all the dead


def test_counted_things_across_languages_and_kali() -> None:
    _, _, claims = frames(
        {"a": [["Warga mendengar suara empat kali tembakan."]], "b": [["Two shots rang out."]]}
    )
    got = {
        (r["article_id"], r["value_num"], json.loads(r["detail"])["population"])
        for r in claims.filter(pl.col("slot") == "count").iter_rows(named=True)
    }
    assert got == {("a", 4.0, "shots"), ("b", 2.0, "shots")}


def test_a_plate_without_a_cue_word_is_a_plate_not_a_count() -> None:
    _, _, claims = frames({"a": [["Truk menabrak mobil Suzuki Karimo B 2871 KTA di tikungan."]]})
    assert claims.filter(pl.col("slot") == "plate")["surface"].to_list() == ["B 2871 KTA"]
    assert claims.filter(pl.col("value_kind") == "count").is_empty()


def test_victims_counted_by_nationality_are_their_own_population() -> None:
    out = judge_linked(
        {
            "a": [
                [
                    "Korban WNA yang meninggal antara lain dari Valdoria (6 orang), "
                    "Kestria (3 orang), dan Morland (1 orang)."
                ]
            ],
            "b": [
                ["Kabar sebelumnya menyebut tiga warga negara Valdoria turut menjadi korban tewas."]
            ],
            "c": [["Sebanyak 94 orang tewas dalam tragedi itu."]],
        }
    )
    got = {
        (r["a_article"], r["b_article"], r["explanation"][:40]) for r in out.iter_rows(named=True)
    }
    assert ("a", "b", "The death toll: '6' in Outlet A vs 'tiga") in got
    assert not any("c" in (a, b) for a, b, _ in got)  # no country's count is the whole toll


def test_a_number_right_after_a_code_is_an_identifier_not_a_count() -> None:
    _, _, claims = frames({"a": [["Kerabat penumpang pesawat Merpati Jaya MJ 417 menanti kabar."]]})
    assert claims.filter(pl.col("value_kind") == "count").is_empty()
    _, _, kept = frames({"a": [["Sebanyak 2 WNI luka ringan dalam kejadian itu."]]})
    assert kept.filter(pl.col("value_kind") == "count")["value_num"].to_list() == [2.0]


def test_two_bare_counts_of_one_population_in_one_article_are_two_groups() -> None:
    def count_links(docs) -> int:
        _, sents, claims = frames(docs)
        links = link_claims(claims, sents, same_vectors(sents))
        return links.filter(pl.col("slot") == "count").height

    one = {
        "a": [
            ["Sebanyak 75 pendaki berada di puncak gunung itu."],
            ["Sebanyak 12 pendaki berada di puncak gunung itu."],
        ]
    }
    assert count_links(one) == 0
    two = {
        "a": [["Sebanyak 75 pendaki berada di puncak gunung itu."]],
        "b": [["Sebanyak 70 pendaki berada di puncak gunung itu."]],
    }
    assert count_links(two) == 1


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("Kapal selam KRI Baruna 317 hilang kontak dengan 48 awak.", ["48"]),
        ("Sebuah pesawat Boeing 757 jatuh dan menewaskan 71 orang.", ["71"]),
        ("Korban tewas tragedi Sendangsari 87 orang.", ["87"]),
    ],
)
def test_a_number_that_goes_on_a_name_is_no_count(sentence: str, figures: list[str]) -> None:
    _, _, claims = frames({"a": [[sentence]]})
    got = claims.filter(pl.col("value_kind") == "count")["surface"].to_list()
    assert got == figures


def test_a_zero_takes_the_acronym_its_group_is_given() -> None:
    _, sents, claims = frames(
        {
            "a": [["Tidak ada warga negara Indonesia (WNI) ikut menjadi korban, kata konsul."]],
            "b": [["Tiga WNI menjadi korban dan dirawat di klinik."]],
        }
    )
    zero = claims.filter(pl.col("surface") == "Tidak ada").to_dicts()[0]
    assert zero["slot"] == "casualties" and json.loads(zero["detail"])["population"] == "wni"
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot") == "casualties")["compatible"].to_list() == [False]


def test_a_denied_figure_is_no_claim() -> None:
    _, _, claims = frames(
        {"a": [["Rahmadi membantah kabar bahwa ada tiga WNI ikut menjadi korban."]]}
    )
    assert claims.filter(pl.col("value_kind") == "count").is_empty()
    _, _, claims = frames({"a": [["Tiga warga negara Valdoria ikut menjadi korban tewas."]]})
    assert slot_of(claims, "Tiga") == "dead"


def test_the_number_of_a_list_item_is_no_count() -> None:
    _, _, claims = frames(
        {"a": [["3. Jumlah korban tewas"], ["5 orang tewas dalam kejadian itu."]]}
    )
    assert claims.filter(pl.col("value_kind") == "count")["surface"].to_list() == ["5"]


def test_a_zero_meets_its_groups_count_however_worded() -> None:
    _, sents, claims = frames(
        {
            "a": [
                ["Tidak ada warga negara Indonesia (WNI) ikut jadi korban, kata Rahmadi."],
                ["Kata Rahmadi, tiga WNI yang dikabarkan menjadi korban itu sudah pulang."],
            ]
        }
    )
    v = np.eye(sents.height, 8, dtype=np.float32)  # statements not alike at all
    links = link_claims(claims, sents, v).filter(pl.col("slot") == "casualties")
    assert links["compatible"].to_list() == [False]


def test_the_others_and_a_figure_at_a_place_count_no_group_of_their_own() -> None:
    _, sents, claims = frames(
        {
            "a": [["Dua bus lainnya sedang dalam perjalanan ke Depok."]],
            "b": [["Satu dari tiga bus rombongan itu terguling."]],
            "c": [["Jenazah berada di dua tempat: delapan di RSUD Koja dan dua di RSCM."]],
            "d": [["Korban luka dirujuk ke enam rumah sakit di sekitar lokasi."]],
        }
    )
    dua = claims.filter((pl.col("article_id") == "a") & (pl.col("surface") == "Dua"))
    assert json.loads(dua["detail"][0]).get("remainder") is True
    assert claims.filter(pl.col("surface") == "delapan").is_empty() or (
        json.loads(claims.filter(pl.col("surface") == "delapan")["detail"][0]).get("population")
        != "hospitals"
    )
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot") == "count").is_empty()


def counts_of(claims: pl.DataFrame) -> list[tuple[str, float, str | None]]:
    rows = claims.filter(pl.col("value_kind") == "count")
    return [
        (r["slot"], r["value_num"], json.loads(r["detail"] or "{}").get("population"))
        for r in rows.iter_rows(named=True)
    ]


def test_an_iso_date_is_a_date_not_a_count() -> None:
    docs = {"a": [["date 2021-09-09 Korban tewas kebakaran lapas menjadi 44 orang."]]}
    arts, sents = make_frames(docs, None, outlets=OUTLETS)
    facts = extract_facts(arts, sents)
    days = facts.filter(pl.col("fact_type") == "date")["key"].to_list()
    assert "2021-09-09" in days
    assert counts_of(extract_claims(arts, sents, facts)) == [("dead", 44.0, None)]


@pytest.mark.parametrize(
    "text",
    [
        "Korban luka dirawat di Lapas Kelas 1 Tangerang sejak Rabu.",
        "The injured were flown to Terminal 3 Soekarno-Hatta on Monday.",
    ],
)
def test_a_number_between_two_capitalised_words_of_a_sentence_names_a_place(text: str) -> None:
    _, _, claims = frames({"a": [[text]]})
    assert counts_of(claims) == []


def test_a_title_cased_headline_keeps_its_count() -> None:
    _, _, claims = frames({"a": [["Kebakaran Lapas Tangerang Tewaskan 41 Napi"]]})
    assert [v for _, v, _ in counts_of(claims)] == [41.0]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Seluruh 223 penumpang dan awak selamat.", [("aboard", 223.0, None)]),
        ("The plane carried 223 passengers and crew.", [("aboard", 223.0, None)]),
        (
            "Pesawat membawa 214 penumpang dan 9 awak.",
            [("aboard", 214.0, "passengers"), ("aboard", 9.0, "crew")],
        ),
    ],
)
def test_passengers_and_crew_together_are_everyone_aboard(text: str, want: list) -> None:
    _, _, claims = frames({"a": [[text]]})
    assert counts_of(claims) == want


def test_a_status_said_of_people_is_not_a_count_of_things_coordinated_with_them() -> None:
    # houses are not evacuated: "mengungsi" is the 40 people's, the 12 count houses
    _, _, claims = frames(
        {
            "a": [["Kepala BPBD mengatakan 12 rumah hanyut dan 40 warga mengungsi."]],
            "b": [["Officials said 12 houses were swept away and 40 residents fled."]],
        }
    )
    a = claims.filter(pl.col("article_id") == "a")
    assert slot_of(a, "12") == "count" and slot_of(a, "40") == "evacuated"
    # people coordinated with people share the predicate, as before
    _, _, claims = frames(
        {"a": [["Sepuluh siswa dan satu guru meninggal dunia dalam kecelakaan itu."]]}
    )
    assert slot_of(claims, "Sepuluh") == "dead"


def test_whom_a_count_is_of_yields_to_what_befell_them() -> None:
    # "penumpang" says whom the four are (aboard); "meninggal dunia" after it, what
    # befell them: they are dead passengers, not the number aboard
    _, _, claims = frames(
        {
            "a": [["Empat penumpang meninggal dunia dalam kecelakaan kapal itu."]],
            "b": [["Kapal itu membawa 47 penumpang dan 9 awak."]],
        }
    )
    assert slot_of(claims, "Empat") == "dead"
    assert slot_of(claims, "47") == "aboard"


def test_a_verb_right_before_the_figure_is_its_status() -> None:
    _, _, claims = frames({"a": [["The ferry sank, killing four passengers on board."]]})
    assert slot_of(claims, "four") == "dead"


def test_a_place_the_other_outlet_counts_apart_is_not_its_total() -> None:
    # outlet b gives Pasirlaya its own figure: its 19 is the total, not Pasirlaya's toll
    _, sents, claims = frames(
        {
            "a": [["Di Kecamatan Pasirlaya, tujuh orang tewas tertimpa bangunan."]],
            "b": [
                ["At least 19 people were killed, he said, seven of them in Pasirlaya district."]
            ],
        }
    )
    a = claims.filter(pl.col("article_id") == "a")
    assert a.filter(pl.col("surface") == "tujuh")["subject"].to_list() == ["pasirlaya"]
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "dead")
    linked = {frozenset((x, y)) for x, y in links.select("a_claim", "b_claim").iter_rows()}
    nineteen = claims.filter(pl.col("value") == "19")["claim_id"][0]
    tujuh = a.filter(pl.col("surface") == "tujuh")["claim_id"][0]
    assert frozenset((tujuh, nineteen)) not in linked
