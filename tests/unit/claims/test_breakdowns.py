"""Breakdowns: the parts of a figure and their whole, parts that do not add up
(judge.breakdowns) and injury grades over an article's own total (judge.grades).
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl

from consistency.claims import link_claims
from tests.conftest import (
    context,
    frames,
    same_vectors,
)


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


def _sums(sentence: str) -> list[str]:
    ctx = context({"a": [[sentence]], "b": [["Cuaca cerah pada hari itu."]]})
    from consistency.judge.breakdowns import BreakdownSums

    return [f.explanation for f in BreakdownSums().compare(ctx)]


def test_parts_that_do_not_make_up_the_whole_are_a_finding() -> None:
    got = _sums(
        "Helikopter itu membawa 23 penumpang yang terdiri atas 15 dewasa, 4 anak-anak, dan 2 bayi."
    )
    assert len(got) == 1 and "add up to 21" in got[0] and "'23'" in got[0]
    assert (
        _sums(
            "Helikopter itu membawa 21 penumpang yang terdiri atas 15 dewasa, 4 anak, dan 2 bayi."
        )
        == []
    )


def test_parts_among_a_whole_may_be_fewer_but_not_more() -> None:
    assert _sums("Sebanyak 12 orang tewas, termasuk 4 siswa dan 2 guru.") == []
    got = _sums("Sebanyak 12 orang tewas, termasuk 8 siswa dan 6 guru.")
    assert len(got) == 1 and "add up to 14" in got[0]


def test_an_item_left_unread_or_other_people_make_no_sum() -> None:
    # "seorang kapten" is an item with no figure read: the sum would be short
    assert (
        _sums("Kapal patroli mengangkut 38 awak, yakni 34 ABK, seorang kapten, dan dua teknisi.")
        == []
    )
    # crew added to the passengers is not one of their parts
    assert (
        _sums(
            "Helikopter itu membawa 21 penumpang yang terdiri atas 15 dewasa dan 6 anak, "
            "ditambah 3 awak."
        )
        == []
    )


def test_parts_of_the_injured_by_whom_they_were_still_add_up() -> None:
    # passengers of a bus and of a motorcycle are both among the injured
    got = _sums("Tercatat 17 korban luka berat, yakni 17 penumpang bus dan 2 penumpang motor.")
    assert len(got) == 1 and "add up to 19" in got[0] and "seriously injured" in got[0]


def test_injury_grades_that_exceed_the_articles_own_total_are_a_finding() -> None:
    from consistency.judge.grades import InjuryGrades

    ctx = context(
        {
            "a": [
                ["Sebanyak 27 orang menderita luka berat dan tiga orang luka sedang."],
                ["Korban luka berjumlah 28 orang."],
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
        "The number injured: Outlet A gives '28' in all, but its counts by grade, 27 + tiga, "
        "add up to 30, more than that."
    )


def test_a_part_by_place_and_the_total_over_all_places_are_different_facts() -> None:
    _, sents, claims = frames(
        {
            "a": [["Sebanyak 210 orang meninggal dunia di Ostrevia."]],
            "b": [["Jumlah korban meninggal di kedua negara itu kini lebih dari 860 orang."]],
            "c": [["At least 1,100 people were killed across Marvania and Ostrevia."]],
        }
    )
    links = link_claims(claims, sents, same_vectors(sents)).filter(pl.col("slot") == "dead")
    pairs = {
        tuple(sorted((a[0], b[0]))) for a, b in zip(links["a_claim"], links["b_claim"], strict=True)
    }
    assert pairs == {("b", "c")}  # two totals; Ostrevia's figure is a part of both


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
