"""The CLAIMS frame and its links: which claims are one fact, how alike their statements
must be, and the claims list of a report (claims.link, matching, groups).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from consistency.claims import group_claims, link_claims
from consistency.facts import extract_facts
from consistency.types import CLAIM_LINKS, CLAIMS, DIVERGENCES, PAIRS
from tests.conftest import (
    frames,
    same_vectors,
)
from tests.unit.claims.conftest import DOCS, slot_of


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
