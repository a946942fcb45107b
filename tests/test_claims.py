"""Unit tests for the claims stage: slots, values, entities, links and the claim comparators.

Small hand-written cases only (no dev-set text).
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
import pytest

from consistency import lang
from consistency.claims import extract_claims, group_claims, link_claims
from consistency.claims.entities import relation, translit_key
from consistency.claims.slots import ALL_SLOTS, read_slot, tokens
from consistency.claims.values import Value, compatible, compatible_numbers, compatible_times
from consistency.facts import extract_facts
from consistency.judge import ClaimContext, RuleJudge
from consistency.judge.attribution import AttributionConflicts
from consistency.judge.names import NameVariants
from consistency.judge.values import ValueConflicts
from consistency.types import CLAIM_LINKS, CLAIMS, DIVERGENCES, PAIRS
from tests.conftest import (
    OUTLETS,
    context,
    frames,
    judge_docs,
    judge_linked,
    make_frames,
    same_vectors,
)


def slot_of(claims: pl.DataFrame, surface: str) -> str:
    rows = claims.filter(pl.col("surface") == surface)["slot"].to_list()
    assert rows, f"no claim {surface!r} in {claims['surface'].to_list()}"
    return rows[0]


# --- language data -----------------------------------------------------------


@pytest.mark.parametrize("code", lang.LANGUAGES)
def test_every_language_file_loads_and_names_known_slots(code: str) -> None:
    data = lang.load(code, "claims")
    assert data["slots"], code
    assert set(data["slots"]) <= set(ALL_SLOTS), set(data["slots"]) - set(ALL_SLOTS)
    for key in ("units", "time_zones", "time_parts", "place_words", "clause_breaks", "age_words"):
        assert key in data, (code, key)


def test_missing_language_is_empty() -> None:
    assert lang.load("xx", "claims") == {}


# --- slots -------------------------------------------------------------------


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


# --- values ------------------------------------------------------------------


def test_notation_rules_from_the_issue() -> None:
    assert compatible_numbers(Value(30, 30, 30, "more_than"), Value(32, 32, 32))[0]
    assert not compatible_numbers(Value(300, 300, 300, "at_least"), Value(250, 250, 250))[0]
    assert not compatible_numbers(Value(40, 40, 40, "more_than"), Value(120, 120, 120))[0]
    assert compatible_numbers(Value(600, 600, 600, "about"), Value(638, 638, 638))[0]
    assert not compatible_numbers(Value(70, 70, 70, "about"), Value(75, 75, 75))[0]
    assert compatible_numbers(Value(150, 100, 1000, "vague"), Value(300, 300, 300))[0]
    assert compatible_numbers(Value(12.5, 10, 15, "range"), Value(12, 12, 12))[0]
    assert not compatible_numbers(Value(12.5, 10, 15, "range"), Value(20, 20, 20))[0]
    # two lower bounds within a tenth of each other both hold of any toll above the
    # higher: one report (the fact tables' readers call them the same figure)
    assert compatible_numbers(
        Value(5200, 5200, 5200, "more_than"), Value(5300, 5300, 5300, "at_least")
    )[0]
    assert compatible_numbers(Value(153, 153, 153, "at_least"), Value(154, 154, 154, "more_than"))[
        0
    ]
    assert not compatible_numbers(
        Value(284, 284, 284, "at_least"), Value(912, 912, 912, "more_than")
    )[0]
    assert compatible_numbers(Value(1085, 1085, 1085), Value(1085, 1085, 1085))[0]
    assert not compatible_numbers(Value(7.5, 7.5, 7.5), Value(7.7, 7.7, 7.7))[0]
    # "more than" a figure that is not round excludes the figure itself
    assert not compatible_numbers(Value(154, 154, 154, "more_than"), Value(154, 154, 154))[0]
    assert compatible_numbers(Value(1000, 1000, 1000, "more_than"), Value(1000, 1000, 1000))[0]
    assert compatible_numbers(Value(154, 154, 154, "at_least"), Value(154, 154, 154))[0]
    # two approximations: alike within the coarser rounding, not beyond it
    assert compatible_numbers(Value(10, 10, 10, "about"), Value(11, 11, 11, "about"))[0]
    assert not compatible_numbers(
        Value(5500, 5500, 5500, "about"), Value(5300, 5300, 5300, "about")
    )[0]


def test_unit_conversion_tolerance_only_when_asked() -> None:
    a, b = Value(17900), Value(11 * 1609.34)
    assert compatible("measure", Value(a.num, a.num, a.num), Value(b.num, b.num, b.num), 0.03)[0]
    assert not compatible("measure", Value(7.5, 7.5, 7.5), Value(7.7, 7.7, 7.7), 0.0)[0]


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
            "a": [["Ledakan terjadi sekitar pukul 18.45 WIB di sana."]],
            "b": [["The blast came at around 2.53pm local time."]],
            "c": [["Korban dibawa jam 5 sore."]],
        }
    )
    t = claims.filter(pl.col("slot") == "time")
    got = dict(zip(t["article_id"], t["value"], strict=True))
    assert got == {"a": "18:45+7", "b": "14:53", "c": "17:00"}
    c = json.loads(t.filter(pl.col("article_id") == "c")["detail"][0])
    assert c["precision"] == 60.0


def test_wire_style_four_digit_times_need_a_zone() -> None:
    _, _, claims = frames(
        {
            "a": [["He was declared dead at 5:03 p.m. (0803 GMT) on Friday."]],
            "b": [["Kontak hilang pukul 1440 WIB, kata dia."]],
            "c": [["The 1500 people aboard were rescued in 2023."]],
        },
    )
    t = claims.filter(pl.col("slot") == "time")
    got = sorted(zip(t["article_id"], t["value"], t["surface"], strict=True))
    # the local time beside it takes the offset the pair shows
    assert ("a", "08:03+0", "0803 GMT") in got and ("a", "17:03+9", "5:03 p.m.") in got
    assert ("b", "14:40+7", "1440 WIB") in got
    assert not [g for g in got if g[0] == "c"]
    # a time is not a count of anything
    assert "0803" not in claims.filter(pl.col("slot") != "time")["surface"].to_list()
    assert claims.filter(pl.col("surface") == "1500")["slot"].to_list()


def _times(docs: dict[str, list[list[str]]]) -> list[tuple[str, str, str]]:
    _, _, claims = frames(docs)
    t = claims.filter(pl.col("slot") == "time")
    return sorted(zip(t["article_id"], t["value"], t["surface"], strict=True))


def test_a_local_time_beside_its_equivalent_gives_the_story_its_offset() -> None:
    got = _times(
        {
            "a": [["He died at 5:03 p.m. (0803 GMT), police said."]],
            "b": [["Ia meninggal pukul 5.03 waktu setempat, kata dokter."]],
        }
    )
    # "waktu setempat" in another article is the same local clock: 05:03 at +9
    assert ("b", "05:03+9", "5.03 waktu setempat") in got
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
            "a": [["It began at 5:03 p.m. (0803 GMT)."]],
            "b": [["It ended at 9:00 p.m. (1400 GMT) in another city, at 6 p.m. local time."]],
        }
    )
    assert ("a", "17:03", "5:03 p.m.") in got and ("b", "18:00", "6 p.m. local time") in got
    # a time next to another time with no equivalence between them gives nothing
    got = _times({"a": [["Dari pukul 14.00 hingga 16.00 WIB, lalu pukul 9 waktu setempat."]]})
    assert all("+" not in v for _, v, s in got if "setempat" in s)


def test_a_twelve_hour_mistake_across_a_known_offset_is_a_conflict() -> None:
    out = judge_linked(
        {
            "a": [["He was declared dead at 5:03 p.m. (0803 GMT) on Friday."]],
            "b": [["Dokter menyebut ia dinyatakan meninggal pukul 5.03 waktu setempat, Jumat."]],
        }
    )
    times = out.filter(pl.col("explanation").str.contains("5.03 waktu setempat"))
    assert times.height == 1
    assert times["explanation"][0] == (
        "The time of death: '5:03 p.m.' in Outlet A vs '5.03 waktu setempat' in Outlet B; "
        "'5:03 p.m.' and '5.03 waktu setempat' are 12 hours apart."
    )


# --- entities ----------------------------------------------------------------


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
        ("Kepala Basarnas Bambang Suryo Aji", "Major-General Bambang Suyo Aji", "variant"),
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


# --- the CLAIMS frame and links ----------------------------------------------

DOCS = {
    "a": [["Banjir itu menewaskan 12 orang pada Sabtu.", "Sopir bus bernama Sandira selamat."]],
    "b": [["Sebanyak 11 orang tewas dalam banjir itu.", "Sopir bus bernama Sadira selamat."]],
}


def test_claims_frame_has_its_schema_and_spans_index_the_text() -> None:
    arts, _, claims = frames(DOCS)
    CLAIMS.validate(claims)
    texts = dict(zip(arts["article_id"], arts["text"], strict=True))
    for r in claims.iter_rows(named=True):
        assert texts[r["article_id"]][r["start"] : r["end"]] == r["surface"]
    assert claims["claim_id"].n_unique() == claims.height
    assert slot_of(claims, "12") == "dead"
    assert slot_of(claims, "11") == "dead"


def test_links_join_claims_whose_sentences_never_aligned() -> None:
    arts, sents, claims = frames(DOCS)
    links = link_claims(claims, sents, same_vectors(sents))
    CLAIM_LINKS.validate(links)
    dead = links.filter(pl.col("slot") == "dead")
    assert dead.height == 1 and not dead["compatible"][0]
    groups = group_claims(claims, links)
    assert len({groups[c] for c in (dead["a_claim"][0], dead["b_claim"][0])}) == 1


def test_links_need_similar_statements() -> None:
    arts, sents, claims = frames(DOCS)
    v = np.eye(sents.height, 8, dtype=np.float32)  # every sentence orthogonal
    assert link_claims(claims, sents, v).filter(pl.col("slot") == "dead").is_empty()


def test_sub_totals_are_not_the_same_fact() -> None:
    _, sents, claims = frames(
        {
            "a": [["Banjir menewaskan 11 orang."]],
            "b": [["Banjir menewaskan 9 pelajar."]],
        }
    )
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot") == "dead").is_empty()


# --- comparators -------------------------------------------------------------


def test_value_conflict_names_both_spans_and_its_claim() -> None:
    ctx = context(DOCS)
    out = ValueConflicts().compare(ctx)
    assert len(out) == 1
    f = out[0]
    texts = {a: t for a, t in zip(ctx.articles["article_id"], ctx.articles["text"], strict=True)}
    got = {texts[f.a[0]][slice(*f.a_hl[0])], texts[f.b[0]][slice(*f.b_hl[0])]}
    assert got == {"12", "11"}
    assert f.claim_id and f.claim_id.startswith("c")
    assert f.severity.value == "high"


def test_a_rising_toll_across_days_is_low_and_explained() -> None:
    ctx = context(DOCS, published={"a": dt.date(2024, 5, 12), "b": dt.date(2024, 5, 11)})
    (f,) = ValueConflicts().compare(ctx)
    assert f.severity.value == "low" and f.evidence["update"] is True
    assert f.explanation.startswith(
        "The death toll rose from '11' (Outlet B, 11 May 2024) to '12' (Outlet A, 12 May 2024): "
        "the later report gives the higher figure"
    )


def test_compatible_values_make_no_finding() -> None:
    ctx = context(
        {
            "a": [["Banjir itu menewaskan lebih dari 30 orang."]],
            "b": [["Banjir itu menewaskan 32 orang."]],
        }
    )
    assert ValueConflicts().compare(ctx) == []


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


def test_each_value_keeps_its_three_best_matched_disagreements() -> None:
    # five tolls on a line of ever less alike statements: 10 and 14 are each
    # other's least alike pair, outside both values' three best
    docs = {
        k: [[f"Banjir itu menewaskan {n} orang."]]
        for k, n in zip("abcde", (10, 11, 12, 13, 14), strict=True)
    }
    arts, sents, claims = frames(docs)
    angle = np.radians([0.0, 10.0, 20.0, 30.0, 40.0])
    v = np.stack([np.cos(angle), np.sin(angle)], axis=1).astype(np.float32)
    links = link_claims(claims, sents, v)
    ctx = ClaimContext(arts, sents, claims, links, group_claims(claims, links))
    got = {(f.a[0], f.b[0] if f.b else None) for f in ValueConflicts(per_value_pair=1).compare(ctx)}
    assert len(got) == 9
    assert ("a", "e") not in got


def test_transliterations_are_not_variants() -> None:
    ctx = context(
        {
            "a": [["Menteri Othman Abduljalil datang."]],
            "b": [["Menteri Othman Abduljaleel datang."]],
        }
    )
    assert NameVariants().compare(ctx) == []


def test_attribution_same_statement_different_speakers() -> None:
    ctx = context(
        {
            "a": [['"Kami akan membantu," kata John Kirby.']],
            "b": [['"Kami akan membantu," kata Adrienne Watson.']],
        }
    )
    out = AttributionConflicts().compare(ctx)
    assert len(out) == 1 and out[0].kind.value == "attribution"
    ctx_same = context(
        {
            "a": [['"Kami akan membantu," kata John Kirby.']],
            "b": [['"Kami akan membantu," kata Kirby.']],
        }
    )
    assert AttributionConflicts().compare(ctx_same) == []


def test_a_statement_meets_the_nearest_credited_statement_not_the_narration() -> None:
    # each credited quote's nearest sentence in the other article is that
    # article's own narration of the same thing; the quotes must still meet
    docs = {
        "a": [
            [
                "Bus itu oleng ke kanan lalu menabrak mobil.",
                '"Bus oleng ke kanan," kata John Kirby.',
            ]
        ],
        "b": [
            [
                "Bus itu oleng ke kanan lalu menabrak mobil.",
                '"Bus oleng ke kanan," kata Adrienne Watson.',
            ]
        ],
    }
    arts, sents, claims = frames(docs)
    q = np.array([0.95, 0.312, 0.0], dtype=np.float32)
    e = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    order = list(zip(sents["article_id"], sents["sent_idx"], strict=True))
    vec = {("a", 0): q, ("a", 1): e, ("b", 0): e, ("b", 1): q}
    v = np.stack([vec[k] for k in order])
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    links = link_claims(claims, sents, v)
    ctx = ClaimContext(arts, sents, claims, links, group_claims(claims, links))
    out = AttributionConflicts().compare(ctx)
    assert [(f.a, f.b) for f in out] == [(("a", 1), ("b", 1))]


def test_a_speakers_office_is_not_a_second_speaker() -> None:
    ctx = context(
        {
            "a": [['"Kami akan membantu," kata John Kirby.']],
            "b": [
                [
                    '"Kami akan membantu," ujar juru bicara Dewan Keamanan Nasional '
                    "Amerika Serikat (NSC) Adrienne Watson."
                ]
            ],
        }
    )
    out = AttributionConflicts().compare(ctx)
    assert {f.evidence["a_speaker"] for f in out} | {f.evidence["b_speaker"] for f in out} == {
        "John Kirby",
        "Adrienne Watson",
    }


def test_a_headline_credits_no_one() -> None:
    ctx = context(
        {
            "a": [["Menhub Sebut Ada Tiga Bayi di Pesawat Itu"]],
            "b": [['"Ada tiga bayi di pesawat itu," kata Budi Karya.']],
        }
    )
    assert AttributionConflicts().compare(ctx) == []


def test_rule_judge_composes_the_claim_comparators() -> None:
    arts, sents, claims = frames(DOCS)
    facts = extract_facts(arts, sents)
    links = link_claims(claims, sents, same_vectors(sents))
    out = RuleJudge().judge(
        arts,
        sents,
        facts,
        PAIRS.empty(),
        None,
        claims=claims,
        links=links,
        groups=group_claims(claims, links),
    )
    DIVERGENCES.validate(out)
    assert set(out["kind"]) >= {"number", "name"}
    assert out.filter(pl.col("kind") == "number")["claim_id"].null_count() == 0
    # without claims, the claim comparators do not run
    none = RuleJudge().judge(arts, sents, facts, PAIRS.empty(), None)
    assert none.filter(pl.col("kind") == "number").is_empty()


def test_headline_figures_are_compared_even_when_statements_differ() -> None:
    arts, sents, claims = frames(
        {
            "a": [["Banjir bandang menewaskan 12 orang pada Sabtu malam.", "Warga mengungsi."]],
            "b": [["Sebanyak 11 nyawa melayang.", "Hujan turun sejak pagi."]],
        }
    )
    v = np.zeros((sents.height, 2), dtype=np.float32)
    v[:, 0] = 1.0
    # the two lead sentences are only loosely alike: cosine 0.74, below the
    # threshold for ordinary claim links, above the headline guard
    v[2, :] = [0.74, (1 - 0.74**2) ** 0.5]
    links = link_claims(claims, sents, v)
    dead = links.filter(pl.col("slot") == "dead")
    assert dead.height == 1 and not dead["compatible"][0]
    # unrelated stories (orthogonal statements) are not compared
    ortho = np.eye(sents.height, 8, dtype=np.float32)
    assert link_claims(claims, sents, ortho).filter(pl.col("slot") == "dead").is_empty()


# --- moments of clock times, page furniture, name noise ----------------------


def test_times_of_different_moments_are_not_compared() -> None:
    _, sents, claims = frames(
        {
            "a": [["Pesawat itu lepas landas pukul 14.36 WIB dari Jakarta."]],
            "b": [["Pesawat itu hilang kontak pukul 14.40 WIB di atas laut."]],
            "c": [["The plane took off at 1.40pm Jakarta time."]],
        }
    )
    t = claims.filter(pl.col("slot") == "time")
    assert dict(zip(t["article_id"], t["subject"], strict=True)) == {
        "a": "take-off",
        "b": "contact lost",
        "c": "take-off",
    }
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "time")
    pairs = {
        tuple(sorted((a[0], b[0]))) for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert pairs == {("a", "c")}  # the two take-offs, never take-off against lost contact


def test_a_time_that_dates_a_count_is_not_an_event_time() -> None:
    _, sents, claims = frames(
        {
            "a": [["Kebakaran terjadi pukul 20.11 WIB."]],
            "b": [["Hingga pukul 23.00 WIB, korban tewas tercatat 11 orang."]],
        }
    )
    t = claims.filter(pl.col("slot") == "time")
    assert t.filter(pl.col("article_id") == "b")["subject"].to_list() == ["as of"]
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot") == "time").is_empty()


def test_every_cue_of_the_clause_names_the_moment() -> None:
    _, _, claims = frames(
        {"a": [["The submarine lost contact during a dive at around 4.30 a.m. local time."]]}
    )
    d = json.loads(claims.filter(pl.col("slot") == "time")["detail"][0])
    assert set(d["events"]) == {"contact lost", "dive"}


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Outlet.com - 03/12/2023, 18:57 WIB", "stamp"),
        ("diperbarui 03 Des 2023, 17:10 WIB", "stamp"),
        ("Jane Doe | December 04, 2023, 12:03 PM", "stamp"),
        ("World | Asia | Business | Sport", "nav"),
        ("Bagikan: Facebook | Twitter | WhatsApp", "nav"),
        ("Kebakaran melanda depo pada Jumat malam, 3 Maret 2023, pukul 20.11 WIB", None),
        ("Libya: Over 300 dead | latest updates", None),
    ],
)
def test_stamps_and_menus_are_furniture(line: str, rule: str | None) -> None:
    from consistency.stages.clean import classify_line

    assert classify_line(line) == rule


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


def test_a_figure_others_also_give_is_not_unique() -> None:
    out = judge_docs(
        {
            "a": [["Banjir itu menewaskan lebih dari 300 orang di kota."]],
            "b": [["Pejabat menyebut sedikitnya 250 orang tewas."]],
        }
    )
    assert out.filter(pl.col("kind") == "unique").is_empty()
    alone = judge_docs(
        {
            "a": [["Korea Utara menguji lebih dari 30 rudal balistik tahun ini."]],
            "b": [["Pejabat itu berbicara di Washington."]],
        }
    )
    assert alone.filter(pl.col("kind") == "unique").height == 1


@pytest.mark.parametrize(
    ("surface", "is_person", "person"),
    [
        ("Kabid Humas Polda Jabar Jules Abraham Abast", None, True),
        ("Kedutaan Besar RI di Seoul", None, False),
        ("Sriwijaya Air", None, False),
        ("Ia", None, False),
        ("Kabid Humas Polda Jabar", True, False),
        ("Yoon", True, True),
        ("Reuters", False, False),
    ],
)
def test_person_like_sources(surface: str, is_person: bool | None, person: bool) -> None:
    from consistency.judge.attribution import person_like

    claim = {"surface": surface, "detail": {"is_person": is_person}}
    assert person_like(claim, surface) is person


def test_a_statement_below_the_threshold_needs_its_own_words_in_common() -> None:
    docs = {
        "a": [["Menteri Hirokazu Matsuno mengabarkan bahwa pasien berada dalam kondisi kritis."]],
        "b": [["Menteri Fumio Kishida menyampaikan bahwa pasien dalam kondisi kritis sekali."]],
        "c": [["Menteri Taro Yamada mengatakan bahwa jalan ditutup sementara."]],
    }
    arts, sents, claims = frames(docs)
    # every pair at cosine 0.88: below the statement threshold, above the worded one
    v = np.ones((sents.height, 8), dtype=np.float32) + 1.05 * np.eye(
        sents.height, 8, dtype=np.float32
    )
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    links = link_claims(claims, sents, v).filter(pl.col("slot") == "speaker")
    arts_linked = {
        tuple(sorted((a[0], b[0]))) for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert arts_linked == {("a", "b")}


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


def test_a_measure_no_cue_names_needs_a_closer_statement() -> None:
    docs = {
        "a": [["Gempa itu terjadi pada kedalaman 10 kilometer.", "Mereka berjalan 40 kilometer."]],
        "b": [["Gempa itu terjadi pada kedalaman 24 kilometer.", "Mereka berjalan 11 kilometer."]],
    }
    _, sents, claims = frames(docs)
    # every pair at cosine 0.82: enough for a depth, not for a bare length
    v = np.ones((sents.height, 8), dtype=np.float32) + 1.56 * np.eye(
        sents.height, 8, dtype=np.float32
    )
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    links = link_claims(claims, sents, v)
    assert set(links["slot"]) == {"depth"}
    # the range word is never the population: "5.000 hingga 10.000" is a range
    _, _, c2 = frames({"a": [["Antara 5.000 hingga 10.000 orang hilang."]]})
    assert all('"population": "hingga"' not in d for d in c2["detail"])


def test_a_part_of_a_breakdown_takes_the_status_broken_down() -> None:
    _, _, claims = frames(
        {
            "a": [["Korban meninggal terdiri atas 7 penumpang bus dan 2 pengendara motor."]],
            "b": [["Total korban mencapai 30 orang, terdiri atas 9 orang tewas dan 21 luka."]],
            "c": [["Rescuers said three of the 40 climbers were rescued."]],
        }
    )
    rows = {r["surface"]: r for r in claims.iter_rows(named=True)}
    part = json.loads(rows["7"]["detail"])
    assert rows["7"]["slot"] == "dead" and part["part"] and part["population"] == "penumpang"
    # a figure of its own status inside a breakdown stays that status's figure
    assert rows["30"]["slot"] == "casualties"
    assert rows["9"]["slot"] == "dead" and not json.loads(rows["9"]["detail"]).get("part")
    assert rows["21"]["slot"] == "injured"
    assert json.loads(rows["three"]["detail"]).get("part")
    assert rows["40"]["slot"] == "count" and not json.loads(rows["40"]["detail"]).get("part")


def test_a_part_is_not_a_headline_figure() -> None:
    _, sents, claims = frames(
        {
            "a": [["Banjir menewaskan 11 orang."]],
            "b": [["Korban tewas bertambah, di antaranya 4 orang di desa itu."]],
        }
    )
    v = np.eye(sents.height, 8, dtype=np.float32)  # statements unlike: only headlines link
    assert link_claims(claims, sents, v).filter(pl.col("slot") == "dead").is_empty()


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


def test_a_figure_followed_by_a_part_of_cue_is_a_part() -> None:
    _, sents, claims = frames(
        {
            "a": [["Sebanyak 80 orang tewas, 12 di antaranya warga asing."]],
            "b": [["Officials said 40 were injured, and 9 of them were children."]],
        }
    )
    rows = {r["surface"]: json.loads(r["detail"]) for r in claims.iter_rows(named=True)}
    assert rows["12"].get("part") and rows["9"].get("part")
    assert not rows["80"].get("part") and not rows["40"].get("part")


def test_values_of_different_happenings_are_not_compared() -> None:
    _, sents, claims = frames(
        {
            "a": [["Gempa bermagnitudo 7,8 mengguncang kota itu."]],
            "b": [["Gempa susulan berkekuatan 6,7 kembali mengguncang kota itu."]],
            "c": [["A quake of magnitude 7.5 struck the city."]],
        }
    )
    links = link_claims(claims, sents, same_vectors(sents))
    mag = links.filter(pl.col("slot") == "magnitude")
    got = {
        frozenset(claims.filter(pl.col("claim_id").is_in([r["a_claim"], r["b_claim"]]))["surface"])
        for r in mag.iter_rows(named=True)
    }
    assert got == {frozenset({"7,8", "7.5"})}


def test_a_headline_yields_to_the_body_in_choosing_the_pair_shown() -> None:
    ctx = context(
        {
            "a": [["Banjir Renggut 11 Nyawa"], ["Banjir itu menewaskan 11 orang."]],
            "b": [["Banjir itu menewaskan 12 orang."]],
        }
    )
    out = ValueConflicts().compare(ctx)
    assert len(out) == 1
    side = out[0].a if out[0].a[0] == "a" else out[0].b
    assert ctx.sentence[side]["text"] == "Banjir itu menewaskan 11 orang."


def test_a_match_may_choose_another_mention_of_the_same_value() -> None:
    _, sents, claims = frames(
        {
            "a": [["Banjir menewaskan 11 orang."], ["Korban tewas banjir itu 11 orang."]],
            "b": [["Banjir menewaskan 12 orang."]],
        }
    )
    # b's 12 is most like a's first sentence; a's second mention of 11 is most
    # like b: both are one value of one claim, so the second mention links too
    v = np.array([[1, 0, 0], [0.6, 0.8, 0], [0.95, 0.31, 0]], dtype=np.float32)
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    links = link_claims(claims, sents, v).filter(pl.col("slot") == "dead")
    assert links.height == 2


def test_a_named_moment_meets_an_unnamed_time_at_the_named_threshold() -> None:
    _, sents, claims = frames(
        {
            "a": [["Gunung itu meletus sekitar pukul 14.54 WIB."]],
            "b": [["Pada pukul 14.40 WIB, warga panik."]],
        }
    )
    n = sents.height
    # statements as alike as two reports of one moment, below the unnamed threshold
    v = np.zeros((n, 2), dtype=np.float32)
    v[:, 0] = 1.0
    v[1] = [0.82, (1 - 0.82**2) ** 0.5]
    links = link_claims(claims, sents, v).filter(pl.col("slot") == "time")
    assert links.height == 1 and not links["compatible"][0]


def test_an_office_then_a_name_credits_the_person() -> None:
    _, _, claims = frames(
        {"a": [['"Sebelas pendaki ditemukan," ujar Kepala Basarnas Padang, Abdul Malik.']]}
    )
    speakers = claims.filter(pl.col("slot") == "speaker")["surface"].to_list()
    assert "Abdul Malik" in speakers


# --- counts said to be none, counted things, units --------------------------


def test_a_negated_count_is_a_zero_of_its_status() -> None:
    _, _, claims = frames(
        {
            "a": [["Ia memastikan tidak ada WNI yang menjadi korban dalam insiden itu."]],
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
            "a": [["Ia memastikan tidak ada WNI yang menjadi korban dalam insiden itu."]],
            "b": [["Sejauh ini terdapat 2 WNI luka ringan akibat insiden itu."]],
            "c": [["Sebanyak 150 orang tewas dalam insiden itu."]],
        }
    )
    pairs = {(r["a_article"], r["b_article"]) for r in out.iter_rows(named=True)}
    assert ("a", "b") in pairs
    assert not {("a", "c"), ("c", "a")} & pairs  # Indonesians among them, not all the dead


def test_counted_things_across_languages_and_kali() -> None:
    _, _, claims = frames(
        {"a": [["Warga mendengar suara tiga kali tembakan."]], "b": [["Two shots rang out."]]}
    )
    got = {
        (r["article_id"], r["value_num"], json.loads(r["detail"])["population"])
        for r in claims.filter(pl.col("slot") == "count").iter_rows(named=True)
    }
    assert got == {("a", 3.0, "shots"), ("b", 2.0, "shots")}


def test_nautical_and_statute_miles_differ_and_the_finding_shows_units() -> None:
    out = judge_linked(
        {
            "a": [["Pesawat hilang kontak 11 mil dari bandara."]],
            "b": [["The plane lost contact 11 nautical miles from the airport."]],
            "c": [["Pesawat hilang kontak 11 mil laut dari bandara."]],
        }
    )
    got = {(r["a_article"], r["b_article"]): r["explanation"] for r in out.iter_rows(named=True)}
    assert got[("a", "b")].startswith(
        "The distance: '11 mil' in Outlet A vs '11 nautical miles' in"
    )
    assert ("b", "c") not in got and ("c", "b") not in got  # 'mil laut' is a nautical mile


def test_a_first_name_stands_for_the_full_name_of_its_article() -> None:
    out = AttributionConflicts().compare(
        context(
            {
                "a": [
                    ["Kapolda Metro Jaya, Fadil Imran, datang ke lokasi."],
                    ['"Penyebab masih dalam pendataan," ujar Fadil.'],
                ],
                "b": [
                    ["Kepala BPBD DKI Jakarta, Isnawa Adji, meninjau lokasi."],
                    ['"Penyebab masih dalam pendataan," kata Isnawa.'],
                ],
            }
        )
    )
    assert len(out) == 1
    assert {out[0].evidence["a_speaker"], out[0].evidence["b_speaker"]} == {"Fadil", "Isnawa"}


def test_an_office_before_a_shorter_name_is_the_same_person() -> None:
    out = AttributionConflicts().compare(
        context(
            {
                "a": [["Budi Karya Sumadi menyebut ada 62 orang di pesawat."]],
                "b": [["Menteri Perhubungan Budi Karya menyebut ada 62 orang di pesawat."]],
            }
        )
    )
    assert out == []


# --- breakdowns that do not add up -------------------------------------------


def _sums(sentence: str) -> list[str]:
    ctx = context({"a": [[sentence]], "b": [["Cuaca cerah pada hari itu."]]})
    from consistency.judge.breakdowns import BreakdownSums

    return [f.explanation for f in BreakdownSums().compare(ctx)]


def test_parts_that_do_not_make_up_the_whole_are_a_finding() -> None:
    got = _sums(
        "Pesawat membawa 56 penumpang yang terdiri atas 40 dewasa, 7 anak-anak, dan 3 bayi."
    )
    assert len(got) == 1 and "add up to 50" in got[0] and "'56'" in got[0]
    assert (
        _sums("Pesawat membawa 50 penumpang yang terdiri atas 40 dewasa, 7 anak, dan 3 bayi.") == []
    )


def test_parts_among_a_whole_may_be_fewer_but_not_more() -> None:
    assert _sums("Sebanyak 12 orang tewas, termasuk 4 siswa dan 2 guru.") == []
    got = _sums("Sebanyak 12 orang tewas, termasuk 8 siswa dan 6 guru.")
    assert len(got) == 1 and "add up to 14" in got[0]


def test_an_item_left_unread_or_other_people_make_no_sum() -> None:
    # "seorang komandan" is an item with no figure read: the sum would be short
    assert _sums("Kapal mengangkut 53 awak, yakni 49 ABK, seorang komandan, dan dua arsenal.") == []
    # crew added to the passengers is not one of their parts
    assert (
        _sums(
            "Pesawat membawa 50 penumpang yang terdiri atas 40 dewasa dan 10 anak, ditambah 6 awak."
        )
        == []
    )


def test_parts_of_the_injured_by_whom_they_were_still_add_up() -> None:
    # passengers of a bus and of a motorcycle are both among the injured
    got = _sums("Ada 12 korban luka berat, yakni 12 penumpang bus dan 1 penumpang motor.")
    assert len(got) == 1 and "add up to 13" in got[0] and "seriously injured" in got[0]


# --- vehicles ----------------------------------------------------------------


def test_one_vehicle_with_two_makes_is_substantive_and_two_models_are_two_vehicles() -> None:
    from consistency.judge.vehicles import VehicleMakes

    ctx = context(
        {
            "a": [["Bus itu menabrak mobil Suzuki Forza di jalan."]],
            "b": [["Bus menabrak mobil Daihatsu Feroza D 1455 VCD dari arah berlawanan."]],
            "c": [["Sebuah Toyota Avanza ikut tertabrak di jalan itu."]],
        }
    )
    out = VehicleMakes().compare(ctx)
    assert [(f.a[0], f.b[0] if f.b else None, f.severity.value) for f in out] == [
        ("a", "b", "high")
    ]
    assert out[0].explanation == (
        "One vehicle, two makes: 'Suzuki Forza' in Outlet A vs 'Daihatsu Feroza D' in Outlet B; "
        "check which is right."
    )


def test_a_plate_without_a_cue_word_is_a_plate_not_a_count() -> None:
    _, _, claims = frames({"a": [["Bus menabrak mobil Daihatsu Feroza D 1455 VCD di jalan."]]})
    assert claims.filter(pl.col("slot") == "plate")["surface"].to_list() == ["D 1455 VCD"]
    assert claims.filter(pl.col("value_kind") == "count").is_empty()


# --- parts of the day --------------------------------------------------------


def test_parts_of_one_days_event_that_cannot_both_hold() -> None:
    out = judge_linked(
        {
            "a": [["Dua bendungan jebol setelah badai menerjang pada Minggu, 10 September sore."]],
            "b": [["Kota itu tersapu ketika badai dahsyat menerjang pada Minggu malam (10/9)."]],
            "c": [["The storm struck on Sunday night, officials said."]],
        }
    )
    got = {(r["a_article"], r["b_article"]) for r in out.iter_rows(named=True)}
    assert got == {("a", "b"), ("a", "c")}  # malam and night overlap


def test_parts_of_the_day_of_other_days_or_moments_are_not_compared() -> None:
    out = judge_linked(
        {
            "a": [["Badai menerjang pada Minggu sore."], ["Warga mengungsi pada Senin malam."]],
            "b": [["Pada Minggu malam, presiden menyampaikan duka."]],
        }
    )
    assert out.filter(pl.col("explanation").str.contains("part of the day")).is_empty()


def test_victims_counted_by_nationality_are_their_own_population() -> None:
    out = judge_linked(
        {
            "a": [
                [
                    "WNA yang tewas antara lain berasal dari Iran (5 orang), China (4 orang), "
                    "dan Jepang (2 orang)."
                ]
            ],
            "b": [["Sebelumnya dilaporkan empat warga negara Iran turut menjadi korban tewas."]],
            "c": [["Sebanyak 153 orang tewas dalam tragedi itu."]],
        }
    )
    got = {
        (r["a_article"], r["b_article"], r["explanation"][:40]) for r in out.iter_rows(named=True)
    }
    assert ("a", "b", "The death toll: '5' in Outlet A vs 'empa") in got
    assert not any("c" in (a, b) for a, b, _ in got)  # no country's count is the whole toll


# --- forecasts and identifiers -----------------------------------------------


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


def test_a_number_right_after_a_code_is_an_identifier_not_a_count() -> None:
    _, _, claims = frames(
        {"a": [["Keluarga penumpang pesawat Sriwijaya Air SJ 182 menunggu kabar."]]}
    )
    assert claims.filter(pl.col("value_kind") == "count").is_empty()
    _, _, kept = frames({"a": [["Sebanyak 2 WNI luka ringan dalam kejadian itu."]]})
    assert kept.filter(pl.col("value_kind") == "count")["value_num"].to_list() == [2.0]


def test_two_quotes_sharing_only_where_they_were_quoted_from_share_no_statement_words() -> None:
    from consistency.claims.statements import statement_overlap

    texts = [
        '"Sudah diperbaiki, sudah semua," kata Sadira, seperti dikutip dari detikJabar, Minggu.',
        '"Bus oleng ke kanan menabrak mobil," ujar Jules, dikutip dari detikJabar, Minggu.',
        '"Bus oleng ke kanan lalu menabrak mobil," kata Asep.',
        "Cuaca cerah sepanjang hari itu.",
    ]
    overlap = statement_overlap(texts)
    assert overlap(0, 1, set()) == 0.0
    assert overlap(1, 2, set()) > 0.5


def test_a_value_pair_copied_by_many_outlets_also_shows_its_best_pair_across_languages() -> None:
    docs = {
        "a": [["Banjir itu menewaskan 11 orang di kota."]],
        "b": [["Banjir itu menewaskan 12 orang di kota."]],
        "c": [["Banjir di kota itu menewaskan 12 orang."]],
        "d": [["The flood killed 12 people in the city."]],
    }
    arts, sents, claims = frames(docs)
    v = np.array([[1.0, 0.0], [0.99, 0.14], [0.98, 0.2], [0.9, 0.44]], dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    links = link_claims(claims, sents, v)
    arts = arts.with_columns(
        pl.when(pl.col("article_id") == "d")
        .then(pl.lit("en"))
        .otherwise(pl.lit("id"))
        .alias("language")
    )
    ctx = ClaimContext(arts, sents, claims, links, group_claims(claims, links))
    got = {(f.a[0], f.b[0] if f.b else None) for f in ValueConflicts(per_value_pair=1).compare(ctx)}
    assert got == {("a", "b"), ("a", "d")}


def test_a_count_word_before_a_magnitude_is_not_a_magnitude() -> None:
    _, _, claims = frames(
        {"a": [["Hundreds of buildings collapsed after the magnitude 7.8 quake struck."]]}
    )
    assert claims.filter(pl.col("slot") == "magnitude")["surface"].to_list() == ["7.8"]


# --- injury grades -----------------------------------------------------------


def test_injury_grades_that_exceed_the_articles_own_total_are_a_finding() -> None:
    from consistency.judge.grades import InjuryGrades

    ctx = context(
        {
            "a": [
                ["Sebanyak 49 orang menderita luka berat dan dua orang luka sedang."],
                ["Korban luka berjumlah 50 orang."],
            ],
            "b": [["Korban luka berjumlah 40 orang."]],
            "c": [
                ["Sebanyak 40 orang luka berat dan 8 orang luka ringan."],
                ["Korban luka berjumlah 50 orang."],
            ],
        }
    )
    out = InjuryGrades().compare(ctx)
    assert [(f.a[0], f.b[0] if f.b else None) for f in out] == [("a", "a")]
    assert out[0].explanation == (
        "The number injured: Outlet A gives '50' in all, but its counts by grade, 49 + dua, "
        "add up to 51, more than that."
    )


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


# --- places of figures, moments of times, one finding per pair of figures -----


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


def test_a_part_by_place_and_the_total_over_all_places_are_different_facts() -> None:
    _, sents, claims = frames(
        {
            "a": [["Sebanyak 320 orang meninggal dunia di Suriah."]],
            "b": [["Korban meninggal di kedua negara sudah lebih dari 1200 orang."]],
            "c": [["At least 1,500 people were killed across Turkey and Syria."]],
        }
    )
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "dead")
    pairs = {
        tuple(sorted((a[0], b[0]))) for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert pairs == {("b", "c")}  # two totals; Syria's figure is a part of both


def test_a_time_whose_moment_its_article_tells_elsewhere_is_not_that_moment() -> None:
    _, sents, claims = frames(
        {
            "a": [["Pesawat itu lepas landas pukul 14.36 WIB."]],
            "b": [
                ["Pesawat lepas landas pukul 13.40 WIB."],
                ["Kontak dengan pesawat hilang pada pukul 14.40 WIB."],
            ],
        }
    )
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "time")
    got = {
        frozenset((claims_by_id(claims)[a], claims_by_id(claims)[b]))
        for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert frozenset(("14.36 WIB", "13.40 WIB")) in got
    assert frozenset(("14.36 WIB", "14.40 WIB")) not in got


def claims_by_id(claims: pl.DataFrame) -> dict[str, str]:
    return dict(zip(claims["claim_id"], claims["surface"], strict=True))


def test_a_timeline_entry_of_an_unnamed_moment_is_not_compared() -> None:
    _, sents, claims = frames(
        {
            "a": [["Kebakaran terjadi pukul 20.11 WIB di depo itu."]],
            "b": [["23.04 WIB – Kapolda meninjau lokasi kebakaran"]],
        }
    )
    entry = claims.filter((pl.col("slot") == "time") & (pl.col("article_id") == "b"))
    assert entry["detail"].str.contains('"entry": true').to_list() == [True]
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot") == "time").is_empty()


def test_one_finding_per_pair_of_figures_however_qualified() -> None:
    ctx = context(
        {
            "a": [["Sedikitnya 3.000 orang tewas akibat banjir."]],
            "b": [
                ["Banjir menewaskan sekitar 5.500 orang."],
                ["Korban tewas banjir kini mencapai hingga 5.500 orang."],
            ],
        }
    )
    out = ValueConflicts().compare(ctx)
    assert len(out) == 1


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("Kapal selam KRI Nanggala 402 hilang kontak dengan 53 awak.", ["53"]),
        ("Sebuah pesawat Boeing 737 jatuh dan menewaskan 62 orang.", ["62"]),
        ("Korban tewas tragedi Itaewon 154 orang.", ["154"]),
    ],
)
def test_a_number_that_goes_on_a_name_is_no_count(sentence: str, figures: list[str]) -> None:
    _, _, claims = frames({"a": [[sentence]]})
    got = claims.filter(pl.col("value_kind") == "count")["surface"].to_list()
    assert got == figures


def test_a_word_that_names_a_clock_time_is_a_time_of_its_moment() -> None:
    _, sents, claims = frames(
        {
            "a": [["Firefighters put out the blaze just before Friday midnight."]],
            "b": [["Petugas memadamkan api sekitar pukul 02.19 WIB, Sabtu."]],
            "c": [["Api baru dapat dipadamkan pukul 00.00 WIB."]],
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
    assert verdict[("a", "b")] is False  # 02.19 is not just before midnight
    assert verdict[("a", "c")] is True  # midnight itself is what "just before" rounds to


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


def test_a_zero_takes_the_acronym_its_group_is_given() -> None:
    _, sents, claims = frames(
        {
            "a": [["KBRI menegaskan tidak ada warga negara Indonesia (WNI) yang menjadi korban."]],
            "b": [["Dua WNI menjadi korban dan dirawat di rumah sakit."]],
        }
    )
    zero = claims.filter(pl.col("surface") == "tidak ada").to_dicts()[0]
    assert zero["slot"] == "casualties" and json.loads(zero["detail"])["population"] == "wni"
    links = link_claims(claims, sents, same_vectors(sents))
    assert links.filter(pl.col("slot") == "casualties")["compatible"].to_list() == [False]


def test_a_denied_figure_is_no_claim() -> None:
    _, _, claims = frames(
        {"a": [["Gandi membantah kabar yang menyebut ada dua WNI menjadi korban."]]}
    )
    assert claims.filter(pl.col("value_kind") == "count").is_empty()
    _, _, claims = frames({"a": [["Empat warga negara Iran turut menjadi korban tewas."]]})
    assert slot_of(claims, "Empat") == "dead"


def test_the_number_of_a_list_item_is_no_count() -> None:
    _, _, claims = frames(
        {"a": [["3. Jumlah korban tewas"], ["5 orang tewas dalam kejadian itu."]]}
    )
    assert claims.filter(pl.col("value_kind") == "count")["surface"].to_list() == ["5"]


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


def test_a_zero_meets_its_groups_count_however_worded() -> None:
    _, sents, claims = frames(
        {
            "a": [
                ["Gandi menegaskan tidak ada warga negara Indonesia (WNI) yang menjadi korban."],
                ["Menurut Gandi, dua WNI yang disebut menjadi korban itu sudah pulang."],
            ]
        }
    )
    v = np.eye(sents.height, 8, dtype=np.float32)  # statements not alike at all
    links = link_claims(claims, sents, v).filter(pl.col("slot") == "casualties")
    assert links["compatible"].to_list() == [False]


def test_a_place_named_at_the_edge_of_the_reach_is_read_whole() -> None:
    from consistency.claims.places import REACH, place_after

    s = "three people were still unaccounted for after the Friday night blaze at Pertamina's depot"
    pos = s.index("three") + len("three")
    assert s.index("Pertamina") - pos < REACH < s.index("Pertamina") + 9 - pos
    assert place_after(s, pos) == "pertamina"


def test_an_article_that_gives_both_values_is_shown_whatever_the_cap() -> None:
    arts, sents, claims = frames(
        {
            "a": [
                ["Banjir itu menewaskan 12 orang."],
                ["Sementara itu, banjir menewaskan 11 orang."],
            ],
            "b": [["Banjir itu menewaskan 11 orang."]],
        }
    )
    # the other outlet's statement is more alike (0.97) than the article's own (0.85)
    e = np.eye(3, dtype=np.float32)
    other = 0.97 * e[0] + np.sqrt(1 - 0.97**2) * e[1]
    own = 0.85 * e[0] + np.sqrt(1 - 0.85**2) * e[2]
    v = np.stack([e[0], own, other]).astype(np.float32)
    links = link_claims(claims, sents, v)
    ctx = ClaimContext(arts, sents, claims, links, group_claims(claims, links))
    out = ValueConflicts(per_value_pair=1).compare(ctx)
    assert len(out) == 2
    assert any(f.a[0] == f.b[0] == "a" for f in out if f.b)


def test_the_year_a_thing_was_built_and_its_age() -> None:
    ctx = context(
        {
            "a": [["Kapal selam itu dibuat di Jerman pada 1979."]],
            "b": [["KRI Nanggala dibuat pada tahun 1977 oleh galangan HDW."]],
            "c": [["The 44-year-old German-made vessel was in a torpedo drill."]],
        },
        published={"a": dt.date(2021, 4, 22), "b": dt.date(2021, 4, 23), "c": None},
    )
    built = ctx.claims.filter(pl.col("slot") == "built")
    assert sorted(built["value"].to_list()) == ["1976-1977", "1977", "1979"]
    out = ValueConflicts().compare(ctx)
    pairs = {tuple(sorted((f.a[0], f.b[0]))) for f in out if f.b}
    # 44 years old in 2021 (the other articles' year) fits 1977, not 1979
    assert pairs == {("a", "b"), ("a", "c")}
    assert ctx.claims.filter(pl.col("slot") == "age").is_empty()


def test_a_measure_that_could_not_be_observed_contradicts_a_figure() -> None:
    ctx = context(
        {
            "a": [["Ketinggian kolom abu tidak teramati karena tertutup awan."]],
            "b": [["Kolom abu teramati setinggi lebih kurang 3.000 meter di atas puncak."]],
            "c": [["The height of the ash column could not be observed."]],
        }
    )
    un = ctx.claims.filter(pl.col("value") == "unobserved")
    assert un["slot"].to_list() == ["height", "height"]
    out = ValueConflicts().compare(ctx)
    pairs = {tuple(sorted((f.a[0], f.b[0]))) for f in out if f.b}
    assert pairs == {("a", "b"), ("b", "c")}
    assert all("could not be observed" in f.explanation for f in out)


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


def test_a_region_a_named_place_or_a_body_credited_is_no_person() -> None:
    _, _, claims = frames(
        {
            "a": [
                ["Sopir bus rombongan di Ciater, Subang, Jawa Barat, mengakui rem blong."],
                ["Banjir besar melanda kota-kota di Libya pekan ini."],
                ["Juru bicara pemerintah Libya yang menyebut 5.200 orang tewas."],
                ["Palang Merah memperingatkan bahwa 10 ribu orang hilang."],
                ["Warna palang itu merah."],
                ["Kapolda Jabar Jules Abraham Abast mengatakan bus itu oleng."],
            ]
        }
    )
    sp = claims.filter(pl.col("slot") == "speaker")
    person = {
        v: json.loads(d).get("is_person") for v, d in zip(sp["value"], sp["detail"], strict=True)
    }
    assert person["jawa barat"] is False
    assert person["libya"] is False
    assert person["palang merah"] is False
    assert person["jabar jules abraham abast"] is True


def test_a_time_of_no_named_moment_is_held_only_against_the_events_own() -> None:
    _, sents, claims = frames(
        {
            "a": [
                [
                    "Abe ditembak oleh pelaku bernama Tetsuya Yamagami ketika sedang berpidato "
                    "di dekat Stasiun Yamato-Saidaiji, Kota Nara, Jumat (8/7/2022) jam 11.30."
                ]
            ],
            "b": [["Dokter menyebut Abe meninggal pukul 17.03 waktu setempat."]],
            "c": [["Penembakan itu terjadi pukul 11.40 waktu setempat."]],
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


def test_an_adjective_ending_is_the_same_name() -> None:
    assert relation("Demokrat Liberal", "Partai Demokratik Liberal") == "same"
    assert relation("Sandi", "Sandira") == "variant"


def test_the_word_after_a_dateline_is_sentence_initial() -> None:
    _, _, claims = frames(
        {
            "a": [["TUNIS: Rescuers have recovered more than 1,000 bodies in the city."]],
            "b": [["The minister told Reuters by telephone that it was a disaster."]],
        }
    )
    names = claims.filter(pl.col("slot") == "name")["surface"].to_list()
    assert "Rescuers" not in names and "Reuters" in names


def test_two_agencies_readings_of_a_magnitude_are_no_drift() -> None:
    ctx = context(
        {
            "a": [["Badan AFAD mencatat kekuatan gempa itu bermagnitudo 7,4."]],
            "b": [["The EMSC put the quake at magnitude 7.7 on preliminary data."]],
            "c": [["Menurut USGS, gempa itu bermagnitudo 7,8."]],
            "d": [["Mengutip CNN, USGS menyebut gempa itu bermagnitudo 7,6."]],
        }
    )
    out = ValueConflicts().compare(ctx)
    pairs = {tuple(sorted((f.a[0], f.b[0]))) for f in out if f.b}
    assert pairs == {("c", "d")}  # USGS given as 7.8 and as 7.6: one of them drifted


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


def test_a_vague_quantity_meets_a_bound_inside_its_range() -> None:
    hundreds = Value(100, 100, 999, "vague")
    assert compatible_numbers(hundreds, Value(284, 284, None, "at_least"))[0]
    assert not compatible_numbers(hundreds, Value(5300, 5300, None, "at_least"))[0]
    assert compatible_numbers(
        Value(1000, 1000, 9999, "vague"), Value(7600, 7600, None, "more_than")
    )[0]
    assert not compatible_numbers(hundreds, Value(50, None, 50, "less_than"))[0]


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


def test_the_others_and_a_figure_at_a_place_count_no_group_of_their_own() -> None:
    _, sents, claims = frames(
        {
            "a": [["Dua bus lainnya sedang dalam perjalanan ke Depok."]],
            "b": [["Satu dari tiga bus rombongan itu terguling."]],
            "c": [["Jenazah berada di dua tempat: delapan di RSUD Koja dan dua di RSCM."]],
            "d": [["Korban luka dirujuk ke lima rumah sakit terdekat."]],
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


def test_a_plain_count_two_officials_give_is_no_attribution_conflict() -> None:
    arts, sents, claims = frames(
        {
            "a": [["Wakil Wali Kota Imam Budi Hartono menyebut rombongan itu menumpang 3 bus."]],
            "b": [
                ['"Rombongan pelajar itu berjumlah tiga bus," kata Kepala Sekolah Siti Adewiah.']
            ],
        }
    )
    # alike enough to link the two counts (0.83), not to make them one statement
    v = np.array([[1.0, 0.0], [0.83, np.sqrt(1 - 0.83**2)]], dtype=np.float32)
    links = link_claims(claims, sents, v)
    assert links.filter(pl.col("slot") == "count").height == 1
    ctx = ClaimContext(arts, sents, claims, links, group_claims(claims, links))
    assert AttributionConflicts().compare(ctx) == []


def test_a_unique_figure_said_twice_in_one_article_is_one_finding() -> None:
    out = judge_docs(
        {
            "a": [
                ["Over 150 people were crushed to death in Seoul, officials said."],
                ["Officials said over 150 people were crushed to death in Seoul."],
            ],
            "b": [["Officials spoke in Seoul on Sunday."]],
        }
    )
    assert out.filter(pl.col("kind") == "unique").height == 1


def test_an_office_or_its_place_credited_as_a_name_names_no_one() -> None:
    from consistency.judge.attribution import common_words, names_no_one

    texts = [
        "Penjaga Pantai menyebut korban ditemukan di pantai utara.",
        "Polisi di Karawang menutup jalan.",
        '"Kami terus mencari," kata Yusri Yunus.',
    ]
    common = common_words(texts)
    places = frozenset({"karawang"})
    assert names_no_one("Pantai", common, places)  # the story writes "pantai" as a word
    assert names_no_one("Karawang", common, places)  # a place it names
    assert not names_no_one("Yusri Yunus", common, places)
    assert "pantai" in common and "yunus" not in common


def test_attribution_keeps_each_statement_closest_counterpart() -> None:
    """A statement near several credited statements gives one finding, with the nearest."""
    from consistency.judge.attribution import mutual_best
    from consistency.judge.base import Finding
    from consistency.types import Kind, Severity

    def f(a: tuple[str, int], b: tuple[str, int], score: float) -> Finding:
        return Finding(Kind.ATTRIBUTION, Severity.HIGH, score, a, b, [], [], "", {})

    retold = f(("A", 1), ("B", 4), 0.95)  # one statement retold, credited to another person
    alike = f(("A", 1), ("C", 2), 0.90)  # a third official saying much the same thing
    other = f(("C", 2), ("D", 7), 0.88)  # C's nearest is A, which is nearer to B
    assert mutual_best([retold, alike, other]) == [retold]
    assert mutual_best([alike, other]) == [alike]


def test_the_whole_of_a_partitive_is_not_the_figure_of_what_happened() -> None:
    """'lima dari enam orang tewas': five died; six counts the people, not the dead."""
    _, _, claims = frames(
        {
            "a": [["Di pesawat itu, lima dari enam orang tewas dalam kecelakaan."]],
            "b": [["The crash killed five of the six crew members on board."]],
        }
    )
    rows = {r["surface"]: r for r in claims.iter_rows(named=True)}
    assert rows["lima"]["slot"] == "dead"
    assert "enam" not in rows or rows["enam"]["slot"] != "dead"
    assert "enam" not in rows or json.loads(rows["enam"]["detail"]).get("whole")
    assert "six" not in rows or rows["six"]["slot"] != "dead"


@pytest.mark.parametrize("code", lang.LANGUAGES)
def test_every_unit_is_named_as_pint_names_it(code: str) -> None:
    import pint

    registry = pint.UnitRegistry()
    for written, (measure, name) in lang.load(code, "claims")["units"].items():
        quantity = registry.Quantity(1, name)  # an unknown name raises
        assert str(quantity.dimensionality) in ("[length]", "[time]", "dimensionless"), written
        assert measure in ("length", "height", "duration", "percent"), (code, written)


def test_miles_and_kilometres_hours_and_minutes_compare_as_quantities() -> None:
    from consistency.claims.rows import units

    u = units()
    assert u["mile"][1] == pytest.approx(1609.344) and u["km"][1] == 1000.0
    assert u["jam"][1] == u["hour"][1] == 60 * u["menit"][1] == 3600.0
    out = judge_linked(
        {
            "a": [["The ship sank 2 miles from the port."]],
            "b": [["Kapal tenggelam 3,2 km dari pelabuhan."]],
            "c": [["Kapal tenggelam 8 km dari pelabuhan."]],
        }
    )
    got = {frozenset((r["a_article"], r["b_article"])) for r in out.iter_rows(named=True)}
    assert frozenset(("a", "b")) not in got  # 2 miles is 3.2 km
    assert frozenset(("b", "c")) in got or frozenset(("a", "c")) in got


def test_speaker_groups_join_the_people_credited_with_one_statement() -> None:
    """Each statement's closest credited counterpart: one group per statement, no chains."""
    links = pl.DataFrame(
        {
            "a_claim": ["kirby", "kirby", "watson", "n1"],
            "b_claim": ["watson", "other", "other", "n2"],
            "slot": ["speaker", "speaker", "speaker", "count"],
            "similarity": [0.97, 0.93, 0.92, 0.9],
            "compatible": [False, False, False, True],
            "reason": ["", "", "", ""],
            "probability": [None, None, None, None],
        },
        schema_overrides={"similarity": pl.Float32, "probability": pl.Float32},
    )
    claims = pl.DataFrame(
        {
            "claim_id": ["kirby", "watson", "other", "n1", "n2"],
            "slot": ["speaker", "speaker", "speaker", "count", "count"],
        }
    )
    groups = group_claims(claims, links)
    assert groups["kirby"] == groups["watson"] and "other" not in groups
    assert groups["n1"] == groups["n2"] != groups["kirby"]


def test_the_claims_list_gives_each_mention_its_outlet_and_unit() -> None:
    from consistency.claims.rows import base_unit, claim_unit
    from consistency.outputs.report import Report, claims_json

    arts, sents, claims = frames(
        {
            "a": [["Kapal tenggelam 2 mil dari pelabuhan, kata John Kirby."]],
            "b": [["The ship sank 2 miles from the port, Adrienne Watson said."]],
        }
    )
    links = link_claims(claims, sents, same_vectors(sents))
    report = Report(
        articles=arts,
        sentences=sents,
        facts=extract_facts(arts, sents),
        pairs=PAIRS.empty(),
        divergences=DIVERGENCES.empty(),
        claims=claims,
        claim_links=links,
        claim_groups=group_claims(claims, links),
    )
    got = claims_json(report)
    distance = next(g for g in got if g["values"][0]["unit"] == "metre")
    spans = [s for v in distance["values"] for s in v["spans"]]
    assert {(s["outlet"], s["unit"]) for s in spans} == {("Outlet A", "mil"), ("Outlet B", "miles")}
    assert base_unit("mil") == "metre" and base_unit(None) is None
    assert claim_unit({"detail": '{"unit": "jam"}'}) == "jam"


# --- what is not a count, and whom a count aboard counts ---------------------


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
    "stamp",
    ["Tue, January 2, 2024 at 3:25 PM", "Senin, 08 Apr 2024 10:15 WIB"],
)
def test_a_page_timestamp_line_gives_no_event_time(stamp: str) -> None:
    _, _, claims = frames({"a": [[stamp, "Gempa terjadi pukul 16.10 WIB."]]})
    times = claims.filter(pl.col("value_kind") == "time")["surface"].to_list()
    assert times == ["16.10 WIB"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Seluruh 379 penumpang dan awak selamat.", [("aboard", 379.0, None)]),
        ("The plane carried 379 passengers and crew.", [("aboard", 379.0, None)]),
        (
            "Pesawat membawa 367 penumpang dan 12 awak.",
            [("aboard", 367.0, "passengers"), ("aboard", 12.0, "crew")],
        ),
    ],
)
def test_passengers_and_crew_together_are_everyone_aboard(text: str, want: list) -> None:
    _, _, claims = frames({"a": [[text]]})
    assert counts_of(claims) == want


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


@pytest.mark.parametrize(
    "sentences",
    [
        [
            "Lieutenant General Suharyanto said 13 people died.",
            "Two bodies were identified in Curah Kobokan, Lumajang Regency, said Lumajang Regency.",
            "Both were buried on Sunday, he said.",
        ],
        [
            "Kepala BNPB Suharyanto mengatakan 13 orang meninggal.",
            "Dua jenazah warga Curah Kobokan telah dikenali, kata Kabupaten Lumajang.",
            "Keduanya sudah dimakamkan, katanya.",
        ],
    ],
)
def test_a_pronoun_credits_the_last_person_not_a_place(sentences: list[str]) -> None:
    _, _, claims = frames({"a": [sentences]})
    speakers = claims.filter(pl.col("slot") == "speaker")
    by_how = {
        json.loads(r["detail"]).get("how"): r["value"] for r in speakers.iter_rows(named=True)
    }
    assert by_how.get("pronoun") == "suharyanto", speakers.select("surface", "value", "detail")
