"""At most two findings per claim and pair of values (judge.collapse)."""

from __future__ import annotations

import json

import polars as pl

from consistency.judge.collapse import collapse_repeats
from consistency.types import DIVERGENCES


def finding(i: int, score: float, claim: str | None, a: str, b: str, a_art: str, b_art: str):
    return {
        "divergence_id": f"d{i}",
        "kind": "number",
        "severity": "medium",
        "score": score,
        "a_article": a_art,
        "a_idx": 1,
        "a_start": 0,
        "a_end": 10,
        "a_highlight": [[0, 2]],
        "b_article": b_art,
        "b_idx": 2,
        "b_start": 0,
        "b_end": 10,
        "b_highlight": [[0, 2]],
        "explanation": f"{a} vs {b}",
        "evidence": json.dumps({"a_value": a, "b_value": b}),
        "claim_id": claim,
    }


def frame(rows) -> pl.DataFrame:
    return DIVERGENCES.validate(pl.DataFrame(rows, schema=DIVERGENCES.polars_schema))


def test_a_value_pair_told_by_many_article_pairs_keeps_its_two_strongest() -> None:
    rows = [
        finding(0, 0.50, "c1", "7.8", "7.5", "A", "E"),
        finding(1, 0.80, "c1", "7.5", "7.8", "E", "B"),  # the same pair, the other way round
        finding(2, 0.70, "c1", "7.8", "7.5", "C", "E"),
        finding(3, 0.60, "c1", "7.8", "7.5", "D", "E"),
        finding(4, 0.40, "c1", "7.8", "7.7", "A", "F"),  # another pair of values: kept
        finding(5, 0.30, "c2", "7.8", "7.5", "A", "G"),  # another claim: kept
        finding(6, 0.90, None, "7.8", "7.5", "A", "H"),  # no claim: kept
    ]
    out = collapse_repeats(frame(rows))
    assert out["divergence_id"].to_list() == ["d1", "d2", "d4", "d5", "d6"]  # order kept
    first = json.loads(out.filter(pl.col("divergence_id") == "d1")["evidence"][0])
    assert sorted(x["a"][0] for x in first["also"]) == ["A", "D"]
    assert "also" not in json.loads(out.filter(pl.col("divergence_id") == "d2")["evidence"][0])


def test_nothing_to_collapse_leaves_the_frame_as_it_was() -> None:
    rows = [finding(0, 0.5, "c1", "1", "2", "A", "B"), finding(1, 0.6, "c1", "1", "2", "C", "D")]
    df = frame(rows)
    assert collapse_repeats(df).equals(df)
    assert collapse_repeats(df, keep=1)["divergence_id"].to_list() == ["d1"]
    assert collapse_repeats(DIVERGENCES.empty()).is_empty()


def test_a_figure_given_many_ways_is_told_as_its_steps() -> None:
    # a toll that rose 13 -> 14 -> 22: 13/22 is spanned by the two steps, each scored
    # at least as high, and is listed in the evidence instead of shown
    rows = [
        finding(0, 0.80, "c1", "13", "14", "A", "B"),
        finding(1, 0.70, "c1", "14", "22", "B", "C"),
        finding(2, 0.60, "c1", "13", "22", "A", "C"),
    ]
    out = collapse_repeats(frame(rows))
    assert out["divergence_id"].to_list() == ["d0", "d1"]
    first = json.loads(out["evidence"][0])
    assert first["also"] == [{"a": ["A", 1], "b": ["C", 2], "values": ["13", "22"]}]


def test_a_weaker_step_spans_nothing() -> None:
    # 7.5 may belong to another quake: its findings score lower than 7.4/7.8, which stays
    rows = [
        finding(0, 0.90, "c1", "7.4", "7.8", "A", "B"),
        finding(1, 0.50, "c1", "7.4", "7.5", "A", "C"),
        finding(2, 0.50, "c1", "7.5", "7.8", "C", "B"),
    ]
    assert collapse_repeats(frame(rows)).height == 3


def test_findings_without_a_claim_are_grouped_by_the_values_they_set_side_by_side() -> None:
    def named(i: int, score: float, a: str, b: str, a_art: str, b_art: str, comparator: str):
        row = finding(i, score, None, "", "", a_art, b_art)
        row["kind"] = "name"
        row["evidence"] = json.dumps({"comparator": comparator, "a_name": a, "b_name": b})
        return row

    rows = [
        named(0, 0.95, "Grand Max", "Gran Max", "A", "B", "name"),
        named(1, 0.94, "Gran Max", "Grand Max", "C", "A", "name"),
        named(2, 0.90, "grand max", "gran max", "A", "D", "names"),  # one disagreement
        named(3, 0.50, "Gran Max", "Grand Max", "A", "A", "name"),  # A contradicts itself
        named(4, 0.90, "Toyota Terios", "Daihatsu Terios", "A", "B", "vehicles"),
    ]
    out = collapse_repeats(frame(rows))
    assert out["divergence_id"].to_list() == ["d0", "d1", "d3", "d4"]


def test_a_rising_toll_is_told_as_its_steps_however_sure_each_step_is() -> None:
    # 13 -> 14 -> 22 reported over two days: the steps are weaker evidence than
    # 13/22, yet a toll that rose is read as it rose
    rows = [
        finding(0, 0.80, "c1", "13", "22", "A", "C"),
        finding(1, 0.50, "c1", "13", "14", "A", "B"),
        finding(2, 0.45, "c1", "14", "22", "B", "C"),
    ]
    # not an update: the steps are weaker than 13/22, which stays
    assert collapse_repeats(frame(rows))["divergence_id"].to_list() == ["d0", "d1", "d2"]
    for r in rows:
        r["evidence"] = json.dumps({**json.loads(r["evidence"]), "update": True})
    out = collapse_repeats(frame(rows))
    assert out["divergence_id"].to_list() == ["d1", "d2"]
