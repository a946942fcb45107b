"""Names and entities: how two mentions relate, the name comparator's variants, what is
not a name, and vehicles' makes (claims.entities, mentions; judge.names, vehicles).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from consistency.claims import link_claims
from consistency.claims.entities import relation, translit_key
from consistency.judge.names import NameVariants
from tests.conftest import (
    context,
    frames,
)
from tests.unit.claims.conftest import DOCS


@pytest.mark.parametrize(
    ("a", "b", "rel"),
    [
        ("Muhammad Teguh Amanda", "Muhammad Teguh Adan", "variant"),
        ("Djunaedi", "Junaedi", "variant"),
        ("Sandira", "Sadira", "variant"),
        ("Trans Putra Fajar", "Trans Putera Fajar", "variant"),
        ("Othman Abduljalil", "Othman Abduljaleel", "same"),
        ("Kim Jong-un", "Kim Jong Un", "same"),
        ("Osama Aly", "Osama Ali", "same"),
        ("Jules Abraham Abast", "Jules", "same"),
        ("Indonesia", "Indonesian", "same"),
        ("Heru Budi Hartono", "Imam Budi Hartono", "different"),
        ("Kepala Basarnas Darmawan Sutrisno Adi", "Major-General Darmawan Sutisno Adi", "variant"),
        ("Syria", "Syrian", "same"),
        ("Kishida", "Michiyo Ishida", "different"),
        ("John Kirby", "Adrienne Watson", "different"),
        ("Ahmad Rifandi", "Rifan", "variant"),  # a surname cut short
        ("Ahmad Rifandi", "Ahmad", "same"),
        ("Ahmad Rifandi", "Rif", "different"),
        ("Australia", "Austria", "different"),  # two look-alike countries
        ("Kantor Berita Kyodo", "Kantor Berita Kyoto", "different"),
        ("Kota Nigeria", "Kota Nigera", "variant"),  # one of them misspelt
        ("Jennifer Homendy", "Jennifer Hommendi", "variant"),  # a doubled consonant is a spelling
        ("Yasonna Laoly", "Yassona Laoly", "variant"),
    ],
)
def test_name_relation(a: str, b: str, rel: str) -> None:
    assert relation(a, b) == rel
    assert relation(b, a) == rel


def test_translit_key_folds_vowels_not_consonants() -> None:
    assert translit_key("abduljaleel") == translit_key("abduljalil")
    assert translit_key("sandira") != translit_key("sadira")
    assert translit_key("yasonna") != translit_key("yassona")  # doubled consonants are kept


def test_name_variants_every_mention() -> None:
    ctx = context(DOCS)
    out = NameVariants().compare(ctx)
    assert len(out) == 1
    assert {out[0].evidence["a_name"], out[0].evidence["b_name"]} == {"Sandira", "Sadira"}


def test_an_article_spelling_a_name_both_ways_stands_for_the_variant() -> None:
    ctx = context(
        {
            "a": [["Sopir bus bernama Sandira selamat.", "Sadira dirawat di rumah sakit."]],
            "b": [["Sopir bus bernama Sadira selamat."]],
            "c": [["Sopir bus bernama Sandira selamat."]],
        }
    )
    out = NameVariants().compare(ctx)
    assert [(f.a[0], f.b[0] if f.b else None) for f in out] == [("a", "a")]


def test_transliterations_are_not_variants() -> None:
    ctx = context(
        {
            "a": [["Menteri Othman Abduljalil datang."]],
            "b": [["Menteri Othman Abduljaleel datang."]],
        }
    )
    assert NameVariants().compare(ctx) == []


def test_possessive_is_the_same_name() -> None:
    assert relation("Libya's", "Libya") == "same"
    assert relation("Indonesia's", "Indonesian") == "same"
    assert relation("Rescue", "Rescuers") == "same"


def test_a_capital_explained_by_its_position_is_not_a_name() -> None:
    _, _, claims = frames(
        {
            "a": [["Here are the latest updates.", "Warga melihat Gunung Merapi dari sini."]],
            "b": [["There is no survivor.", "Warga melihat Gunung Marapi dari sini."]],
        }
    )
    names = set(claims.filter(pl.col("slot") == "name")["surface"])
    assert "Here" not in names and "There" not in names
    assert {"Gunung Merapi", "Gunung Marapi"} <= names


def test_across_languages_names_with_no_word_in_common_are_translations() -> None:
    ctx = context(
        {
            "a": [["Menurut Badan Survei Geologi, gempa itu kuat."]],
            "b": [["The quake was strong, the Geological Survey said."]],
        }
    )
    ctx.articles = ctx.articles.with_columns(
        pl.when(pl.col("article_id") == "b")
        .then(pl.lit("en"))
        .otherwise(pl.lit("id"))
        .alias("language")
    )
    assert [f for f in NameVariants().compare(ctx) if "Geolog" in f.explanation] == []


def test_across_languages_words_in_another_order_are_a_translation() -> None:
    from consistency.judge.names import reordered

    # the noun first in Indonesian, last in English: a translation
    assert reordered(
        "front pembebasan sumatra", "sumatra liberation front", ("liberation", "pembebasan")
    )
    # one person's name misspelt keeps its order
    assert not reordered("tetsuya yamagami", "tatsuya yamagami", ("tatsuya", "tetsuya"))


def test_one_vehicle_with_two_makes_is_substantive_and_two_models_are_two_vehicles() -> None:
    from consistency.judge.vehicles import VehicleMakes

    ctx = context(
        {
            "a": [["Truk itu menabrak mobil Suzuki Karimo di tikungan."]],
            "b": [["Truk menabrak mobil Daihatsu Karimo B 2871 KTA dari arah sebaliknya."]],
            "c": [["Sebuah Toyota Avanza ikut tertabrak di tikungan itu."]],
        }
    )
    out = VehicleMakes().compare(ctx)
    assert [(f.a[0], f.b[0] if f.b else None, f.severity.value) for f in out] == [
        ("a", "b", "high")
    ]
    assert out[0].explanation == (
        "One vehicle, two makes: 'Suzuki Karimo' in Outlet A vs 'Daihatsu Karimo B' in Outlet B; "
        "check which is right."
    )


def test_an_adjective_ending_is_the_same_name() -> None:
    assert relation("Demokrat Liberal", "Partai Demokratik Liberal") == "same"
    assert relation("Sandi", "Sandira") == "variant"


def test_the_word_after_a_dateline_is_sentence_initial() -> None:
    _, _, claims = frames(
        {
            "a": [["KESTRAL: Volunteers have pulled more than 600 bodies from the rubble."]],
            "b": [["The minister told Reuters by telephone that it was a disaster."]],
        }
    )
    names = claims.filter(pl.col("slot") == "name")["surface"].to_list()
    assert "Volunteers" not in names and "Reuters" in names


def test_an_age_is_linked_to_the_age_of_the_most_alike_name() -> None:
    _, sents, claims = frames(
        {
            "a": [["Korban adalah Budi Santoso Wirawan, 19 tahun, asal Padang."]],
            "b": [
                [
                    "Korban adalah Budi Wirawan, 21 tahun, asal Padang.",
                    "Lalu ada Budi Santoso Wirawa (20 tahun) dari Solok.",
                ]
            ],
        }
    )
    ages = claims.filter(pl.col("slot") == "age")
    assert sorted(ages["value_num"].to_list()) == [19.0, 20.0, 21.0]
    v = np.hstack([np.ones((sents.height, 1)), 0.5 * np.eye(sents.height)]).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)  # alike statements (cosine 0.8), none copied
    links = link_claims(claims, sents, v).filter(pl.col("slot") == "age")
    num = dict(zip(ages["claim_id"], ages["value_num"], strict=True))
    pairs = {
        frozenset((num[a], num[b])) for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert frozenset((19.0, 20.0)) in pairs and frozenset((19.0, 21.0)) not in pairs


def test_capitals_inside_a_headline_are_no_evidence_of_a_name() -> None:
    from consistency.claims.mentions import mid_sentence_capitals

    caps = mid_sentence_capitals(
        [
            "Banjir Bandang Terjang Cikajang, Garut",  # a title-case headline
            "BPBD: 15 Rumah Hanyut Diterjang Banjir di Cikajang",
            "Menurut Satria Budi, banjir merendam jalan kata warga Cikajang Lor.",
        ]
    )
    assert {"Satria", "Budi", "Cikajang", "Lor"} <= caps
    assert not {"Bandang", "Terjang", "Hanyut", "Diterjang", "Banjir"} & caps


def test_the_place_a_dateline_names_is_a_name_that_may_be_misspelt() -> None:
    ctx = context(
        {
            "a": [["Tanjungsori, KT - Banjir merendam ratusan rumah warga pada Senin."]],
            "b": [["Banjir merendam ratusan rumah warga di Tanjungsari pada Senin."]],
        }
    )
    places = ctx.claims.filter(pl.col("slot") == "name")["surface"].to_list()
    assert "Tanjungsori" in places
    out = NameVariants().compare(ctx)
    assert [{f.evidence["a_name"], f.evidence["b_name"]} for f in out] == [
        {"Tanjungsori", "Tanjungsari"}
    ]


def test_words_of_page_furniture_are_not_the_story_s_common_words() -> None:
    # a tag line ("Tag: banjir tanjungsari") writes a place in lower case; it is no
    # sentence of the story, so the place stays a name that may be misspelt
    ctx = context(
        {
            "a": [["Warga Tanjungsori mengungsi ke balai desa."]],
            "b": [["Warga Tanjungsari mengungsi ke balai desa."]],
        }
    )
    texts = [t + "\n\nTag: banjir tanjungsari" for t in ctx.articles["text"]]
    ctx.articles = ctx.articles.with_columns(pl.Series("text", texts))
    assert "tanjungsari" not in ctx.vocabulary
    assert len(NameVariants().compare(ctx)) == 1


def test_an_office_and_its_body_are_not_one_name_spelt_two_ways() -> None:
    ctx = context(
        {
            "a": [["Kapolres Sukamaju AKBP Budi Hartono memimpin evakuasi korban."]],
            "b": [["Polres Sukamaju mengerahkan 50 personel untuk evakuasi korban."]],
        }
    )
    assert [f for f in NameVariants().compare(ctx) if "olres" in f.explanation] == []


def test_an_outlet_s_own_name_is_no_name_of_the_story() -> None:
    from consistency.judge.names import names_an_outlet, outlet_stems

    ctx = context(
        {
            "a": [["Banjir merendam Desa Tanjungsari, lapor Kabarharian."]],
            "b": [["Banjir merendam Desa Tanjungsari, lapor KabarharianTV."]],
        }
    )
    ctx.articles = ctx.articles.with_columns(pl.Series("outlet", ["kabarharian.tv", "warta.co.id"]))
    stems = outlet_stems(ctx.articles)
    assert names_an_outlet("KabarharianTV", stems) and names_an_outlet("KABARHARIAN", stems)
    assert not names_an_outlet("Tanjungsari", stems)
    assert [f for f in NameVariants().compare(ctx) if "Kabarharian" in f.explanation] == []


def test_a_flight_s_two_codes_are_one_name() -> None:
    # the airline's IATA and ICAO codes before one flight number
    assert relation("QZ7510", "AWQ7510") == "different"  # the letters not kept in order
    assert relation("GA410", "GIA410") == "same"
    assert relation("GA410", "GA411") == "variant"  # another number: a typo, or another flight


def test_two_official_abbreviations_of_one_word_are_one_name() -> None:
    from consistency.claims.entities import relation

    # "Kementerian" is abbreviated both "Kemen-" and "Kem-": one ministry
    assert relation("Kemenkes", "Kemkes") == "same"
    assert relation("Kemendikbud RI", "Kemdikbud RI") == "same"
    # two ministries stay two names
    assert relation("Kemenkes", "Kemenag") == "different"
    assert relation("Kemkes", "Kemenag") == "different"
