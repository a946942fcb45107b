"""Speakers: who is credited with a statement, which credited statements meet, and the
attribution comparator (claims.mentions, statements; judge.attribution).
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from consistency.claims import group_claims, link_claims
from consistency.judge import ClaimContext
from consistency.judge.attribution import AttributionConflicts
from tests.conftest import (
    context,
    frames,
)


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
                "Truk itu tergelincir ke kiri lalu menghantam pagar.",
                '"Truk tergelincir ke kiri," kata Rudi Hartawan.',
            ]
        ],
        "b": [
            [
                "Truk itu tergelincir ke kiri lalu menghantam pagar.",
                '"Truk tergelincir ke kiri," kata Melati Susanti.',
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
            "a": [["Gubernur Sebut Ada Dua Balita di Kapal Itu"]],
            "b": [['"Ada dua balita di kapal itu," kata Rahmat Hidayat.']],
        }
    )
    assert AttributionConflicts().compare(ctx) == []


@pytest.mark.parametrize(
    ("surface", "is_person", "person"),
    [
        ("Kabid Humas Polda Jabar Dimas Arya Nugraha", None, True),
        ("Kedutaan Besar RI di Canberra", None, False),
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
        "a": [["Menteri Haruki Sato mengabarkan bahwa korban tertimbun di lereng bukit."]],
        "b": [["Menteri Kenta Mori menyampaikan bahwa korban tertimbun di lereng itu juga."]],
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


def test_an_office_then_a_name_credits_the_person() -> None:
    _, _, claims = frames(
        {"a": [['"Tujuh nelayan ditemukan," ujar Kepala Basarnas Ambon, Yohanes Latuconsina.']]}
    )
    speakers = claims.filter(pl.col("slot") == "speaker")["surface"].to_list()
    assert "Yohanes Latuconsina" in speakers


def test_a_first_name_stands_for_the_full_name_of_its_article() -> None:
    out = AttributionConflicts().compare(
        context(
            {
                "a": [
                    ["Kapolres Sleman, Bayu Kurniawan, datang ke lokasi."],
                    ['"Penyebabnya masih kami telusuri," ujar Bayu.'],
                ],
                "b": [
                    ["Kepala BPBD Sleman, Wahyu Hidayat, mendatangi gudang itu."],
                    ['"Penyebabnya masih kami telusuri," kata Wahyu.'],
                ],
            }
        )
    )
    assert len(out) == 1
    assert {out[0].evidence["a_speaker"], out[0].evidence["b_speaker"]} == {"Bayu", "Wahyu"}


def test_an_office_before_a_shorter_name_is_the_same_person() -> None:
    out = AttributionConflicts().compare(
        context(
            {
                "a": [["Agus Setiawan Ramadhan menyebut ada 48 orang di kapal."]],
                "b": [["Menteri Perhubungan Agus Setiawan menyebut ada 48 orang di kapal."]],
            }
        )
    )
    assert out == []


def test_two_quotes_sharing_only_where_they_were_quoted_from_share_no_statement_words() -> None:
    from consistency.claims.statements import statement_overlap

    texts = [
        '"Semua sudah dicek ulang, aman," kata Darmawan, seperti dikutip dari kabarKedu, Sabtu.',
        '"Truk tergelincir ke kiri menghantam pagar," ujar Yoga, dikutip dari kabarKedu, Sabtu.',
        '"Truk tergelincir ke kiri lalu menghantam pagar," kata Fikri.',
        "Langit mendung sepanjang sore itu.",
    ]
    overlap = statement_overlap(texts)
    assert overlap(0, 1, set()) == 0.0
    assert overlap(1, 2, set()) > 0.5


def test_a_region_a_named_place_or_a_body_credited_is_no_person() -> None:
    _, _, claims = frames(
        {
            "a": [
                ["Sopir truk di Karangjati, Banyumas, Jawa Tengah, mengakui ban pecah."],
                ["Longsor besar melanda desa-desa di Peru pekan ini."],
                ["Juru bicara pemerintah Peru yang menyebut 1.400 orang tewas."],
                ["Palang Merah memperingatkan bahwa 3 ribu warga masih terisolasi."],
                ["Warna palang itu merah."],
                ["Kapolda Jateng Dimas Arya Nugraha mengatakan truk itu tergelincir."],
            ]
        }
    )
    sp = claims.filter(pl.col("slot") == "speaker")
    person = {
        v: json.loads(d).get("is_person") for v, d in zip(sp["value"], sp["detail"], strict=True)
    }
    assert person["jawa tengah"] is False
    assert person["peru"] is False
    assert person["palang merah"] is False
    assert person["jateng dimas arya nugraha"] is True


def test_a_plain_count_two_officials_give_is_no_attribution_conflict() -> None:
    arts, sents, claims = frames(
        {
            "a": [["Wakil Bupati Slamet Riyadi menyebut rombongan itu menumpang 4 bus."]],
            "b": [
                ['"Rombongan wisatawan itu memakai empat bus," kata Ketua Panitia Nina Marlina.']
            ],
        }
    )
    # alike enough to link the two counts (0.83), not to make them one statement
    v = np.array([[1.0, 0.0], [0.83, np.sqrt(1 - 0.83**2)]], dtype=np.float32)
    links = link_claims(claims, sents, v)
    assert links.filter(pl.col("slot") == "count").height == 1
    ctx = ClaimContext(arts, sents, claims, links, group_claims(claims, links))
    assert AttributionConflicts().compare(ctx) == []


def test_an_office_or_its_place_credited_as_a_name_names_no_one() -> None:
    from consistency.judge.attribution import common_words, names_no_one

    texts = [
        "Penjaga Pantai menyebut korban ditemukan di pantai utara.",
        "Polisi di Pekalongan menutup jalan.",
        '"Kami terus mencari," kata Hasan Basri.',
    ]
    common = common_words(texts)
    places = frozenset({"pekalongan"})
    assert names_no_one("Pantai", common, places)  # the story writes "pantai" as a word
    assert names_no_one("Pekalongan", common, places)  # a place it names
    assert not names_no_one("Hasan Basri", common, places)
    assert "pantai" in common and "basri" not in common


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


@pytest.mark.parametrize(
    "sentences",
    [
        [
            "Major General Prakoso said 9 people died.",
            "Two bodies were identified in Sumberjati, Sukamaju Regency, said Sukamaju Regency.",
            "Both were buried on Sunday, he said.",
        ],
        [
            "Kepala BNPB Prakoso mengatakan 9 orang meninggal.",
            "Dua jenazah warga Sumberjati telah dikenali, kata Kabupaten Sukamaju.",
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
    assert by_how.get("pronoun") == "prakoso", speakers.select("surface", "value", "detail")
