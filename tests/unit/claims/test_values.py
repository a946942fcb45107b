"""When two values of one claim can both hold (claims.values), and the value comparator
that reports those that cannot (judge.values). Hand-written cases.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from consistency.claims import group_claims, link_claims
from consistency.claims.values import Value, compatible, compatible_numbers
from consistency.facts import extract_facts
from consistency.judge import ClaimContext, RuleJudge
from consistency.judge.values import ValueConflicts
from consistency.types import DIVERGENCES, PAIRS
from tests.conftest import (
    context,
    frames,
    judge_docs,
    judge_linked,
    same_vectors,
)
from tests.unit.claims.conftest import DOCS


def test_hedged_figures_conflict_only_when_their_hedges_cannot_meet() -> None:
    def v(n: float, q: str) -> Value:
        return Value(n, n, n, q)

    # "more than 30 hours have passed" / "within 30 hours": no figure fits both
    assert not compatible_numbers(v(30, "more_than"), v(30, "up_to"))[0]
    assert not compatible_numbers(v(20, "more_than"), v(20, "less_than"))[0]
    assert compatible_numbers(v(20, "at_least"), v(20, "up_to"))[0]  # exactly 20 fits
    # one report hedged two ways, a tenth apart at most
    assert compatible_numbers(v(4100, "at_least"), v(4300, "up_to"))[0]
    assert compatible_numbers(v(87, "about"), v(85, "more_than"))[0]
    assert compatible_numbers(v(3900, "more_than"), v(4200, "about"))[0]
    # far apart, though the hedges meet: two reports
    assert not compatible_numbers(v(500, "more_than"), v(9000, "up_to"))[0]
    assert not compatible_numbers(v(90, "about"), v(120, "at_least"))[0]


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


def test_a_vague_quantity_meets_a_bound_inside_its_range() -> None:
    hundreds = Value(100, 100, 999, "vague")
    assert compatible_numbers(hundreds, Value(284, 284, None, "at_least"))[0]
    assert not compatible_numbers(hundreds, Value(5300, 5300, None, "at_least"))[0]
    assert compatible_numbers(
        Value(1000, 1000, 9999, "vague"), Value(7600, 7600, None, "more_than")
    )[0]
    assert not compatible_numbers(hundreds, Value(50, None, 50, "less_than"))[0]


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


def test_an_approximate_figure_keeps_the_step_of_its_written_unit() -> None:
    # "about 6 miles" is written to the mile (9.66 km, give or take 0.8 km): 10 km fits
    from consistency.claims import link_claims
    from tests.conftest import frames, same_vectors

    _, sents, claims = frames(
        {
            "a": [["Pusat gempa berada 10 kilometer barat daya Cianjur."]],
            "b": [["The epicentre was about 6 miles southwest of Cianjur."]],
            "c": [["The epicentre was about 9 miles southwest of Cianjur."]],
        }
    )
    links = link_claims(claims, sents, same_vectors(sents))
    by_pair = {
        frozenset((x.split(":")[0], y.split(":")[0])): ok
        for x, y, ok in links.filter(pl.col("slot") != "bearing")
        .select("a_claim", "b_claim", "compatible")
        .iter_rows()
    }
    assert by_pair[frozenset(("a", "b"))] is True
    assert by_pair[frozenset(("b", "c"))] is False


def test_an_insertion_in_brackets_after_a_figure_is_read_with_it() -> None:
    from tests.conftest import frames

    _, _, claims = frames(
        {
            "a": [['"Tiga puluh (penumpang) dewasa dan lima anak-anak," kata petugas.']],
            "b": [["Kapal itu membawa 32 orang dewasa dan lima anak-anak."]],
        }
    )
    import json

    got = {
        (r["article_id"], r["value"]): (r["slot"], json.loads(r["detail"]).get("population"))
        for r in claims.iter_rows(named=True)
        if r["value_kind"] == "count"
    }
    assert got[("a", "30")] == ("aboard", "adults")  # passengers, of them adults
    assert got[("b", "32")] == ("aboard", "adults")


def test_a_measure_converted_in_brackets_is_one_figure_hedged_once() -> None:
    import json

    from tests.conftest import frames

    _, _, claims = frames({"a": [["The wave was at least 2.4 m (8 ft) high at the harbour."]]})
    got = [
        (r["surface"], r["slot"], r["qualifier"], json.loads(r["detail"]).get("qualifier_surface"))
        for r in claims.iter_rows(named=True)
        if r["value_kind"] == "measure"
    ]
    assert got == [
        ("2.4", "height", "at_least", "at least"),
        ("8", "height", "at_least", "at least"),
    ]


def test_one_figure_in_two_units_hedged_from_opposite_sides_cannot_hold() -> None:
    def v(n: float, q: str) -> Value:
        return Value(n, n, n, q)

    # "at least 2.4 m" / "less than 8 ft" (2.4384 m): within the unit tolerance, one figure
    assert not compatible_numbers(v(2.4, "at_least"), v(2.4384, "less_than"), 0.03)[0]
    assert compatible_numbers(v(2.4, "at_least"), v(2.4384, "up_to"), 0.03)[0]
