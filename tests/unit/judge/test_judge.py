"""Unit tests for consistency.judge (RuleJudge) on hand-built frames."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from consistency.facts import extract_facts
from consistency.judge import JudgeConfig, RuleJudge
from consistency.models.protocols import Judge
from consistency.types import DIVERGENCES, NLI_SCORES, PAIRS
from tests.conftest import make_frames

OUTLETS = {"a": "Liputan6.com", "b": "Tempo.co", "c": "VOI"}


PAIR_FIGURES = JudgeConfig(aligned_figures=True)
"""The pair comparators these tests read, the aligned pair's figures among them (off by
default: the claims decide which figures are one fact)."""


def run_judge(
    docs: dict[str, list[list[str]]],
    pairs: list[tuple[str, int, str, int]],
    published: dict[str, dt.date | None] | None = None,
    nli: list[tuple[float, float, float, float, float, float]] | None = None,
    similarity: float = 0.93,
    config: JudgeConfig | None = None,
) -> pl.DataFrame:
    arts, sents = make_frames(docs, published, outlets=OUTLETS)
    facts = extract_facts(arts, sents)
    p = PAIRS.conform(
        pl.DataFrame(
            [
                {
                    "a_article": a,
                    "a_idx": i,
                    "b_article": b,
                    "b_idx": j,
                    "similarity": similarity,
                    "margin": 0.03,
                }
                for a, i, b, j in pairs
            ],
            schema=PAIRS.polars_schema,
        )
    )
    scores = None
    if nli is not None:
        cols = ["ab_entail", "ab_neutral", "ab_contra", "ba_entail", "ba_neutral", "ba_contra"]
        scores = NLI_SCORES.conform(
            pl.DataFrame(
                [
                    {
                        "a_article": a,
                        "a_idx": i,
                        "b_article": b,
                        "b_idx": j,
                        **dict(zip(cols, s, strict=True)),
                    }
                    for (a, i, b, j), s in zip(pairs, nli, strict=True)
                ],
                schema=NLI_SCORES.polars_schema,
            )
        )
    out = RuleJudge(config or PAIR_FIGURES).judge(arts, sents, facts, p, scores)
    DIVERGENCES.validate(out)
    texts = dict(zip(arts["article_id"], arts["text"], strict=True))
    for r in out.iter_rows(named=True):  # highlights lie inside their sentence
        for side in ("a", "b"):
            for s, e in r[f"{side}_highlight"] or []:
                assert r[f"{side}_start"] <= s < e <= r[f"{side}_end"]
                assert texts[r[f"{side}_article"]][s:e].strip()
        assert 0.0 <= r["score"] <= 1.0
        json.loads(r["evidence"])
    return out


WATSON = [
    [
        '"Kunjungan Menhan Shoigu dilakukan untuk mencoba meyakinkan Pyongyang agar menjual '
        'amunisi artileri ke Rusia," ungkap Watson.',
        '"Kami mendesak Korea Utara untuk menghentikan perundingan senjata dengan Rusia dan '
        'mematuhi komitmen publik yang telah dibuat Pyongyang."',
    ]
]
KIRBY = [
    [
        '"Kami mendesak Korea Utara untuk menghentikan perundingan senjata dengan Rusia dan '
        'mematuhi komitmen publik yang telah dibuat Pyongyang," kata Kirby.'
    ]
]


def test_is_a_judge() -> None:
    assert isinstance(RuleJudge(), Judge)
    assert RuleJudge.name == "rules"


def test_attribution_names_both_speakers_and_outlets() -> None:
    kirby_c = [[KIRBY[0][0].replace("Kirby.", "Kirby kepada wartawan.")]]
    out = run_judge({"a": WATSON, "b": KIRBY, "c": kirby_c}, [("a", 1, "b", 0), ("a", 1, "c", 0)])
    attr = out.filter(pl.col("kind") == "attribution")
    assert attr.height == 1  # one disagreement: Watson against Kirby, however many pairs show it
    row = attr.row(0, named=True)
    assert row["explanation"].startswith("One quote credited to two people: ")
    assert "Watson in Liputan6.com" in row["explanation"]
    assert "Kirby in Tempo.co and VOI" in row["explanation"]
    assert row["severity"] == "high"
    assert row["b_highlight"]  # "Kirby" is highlighted on the b side
    ev = json.loads(row["evidence"])
    assert {ev["a_speaker"], ev["b_speaker"]} == {"Watson", "Kirby"}
    shown = {row["a_article"], row["b_article"]}
    assert [{*(x["a"][0], x["b"][0])} for x in ev["also"]] == [{"a", "b", "c"} - shown | {"a"}]
    # the b sides agree with each other: no finding between them
    assert run_judge({"b": KIRBY, "c": kirby_c}, [("b", 0, "c", 0)]).height == 0


def test_two_quotes_worded_apart_are_two_statements_not_one_credited_twice() -> None:
    minister = [
        ['"Dugaan awal kami, api berasal dari korsleting di gudang belakang," kata Darmawan.']
    ]
    police = [
        [
            '"Kami sudah memeriksa lokasi dan masih menunggu hasil laboratorium forensik," '
            "ujar Kombes Hendra Wijaya."
        ]
    ]
    out = run_judge({"a": minister, "b": police}, [("a", 0, "b", 0)])
    assert out.filter(pl.col("kind") == "attribution").is_empty()
    # the same remark quoted and credited to another person is one
    same = [['"Dugaan awal kami, api berasal dari korsleting di gudang belakang," ujar Hendra.']]
    out = run_judge({"a": minister, "b": same}, [("a", 0, "b", 0)])
    assert out.filter(pl.col("kind") == "attribution").height == 1


def test_ids_are_stable() -> None:
    a = run_judge({"a": WATSON, "b": KIRBY}, [("a", 1, "b", 0)])
    b = run_judge({"a": WATSON, "b": KIRBY}, [("a", 1, "b", 0)])
    assert a["divergence_id"].to_list() == b["divergence_id"].to_list()
    assert a["divergence_id"].n_unique() == a.height


def test_paraphrase_is_not_flagged() -> None:
    out = run_judge(
        {
            "a": [
                [
                    "Kirby menolak merinci bagaimana para pejabat AS mengumpulkan informasi "
                    "intelijen tersebut."
                ]
            ],
            "b": [
                [
                    "Kirby menolak menjelaskan bagaimana Amerika memperoleh informasi tersebut, "
                    "dengan alasan pentingnya melindungi sumber."
                ]
            ],
        },
        [("a", 0, "b", 0)],
    )
    assert out.height == 0


def test_by_default_the_claims_decide_which_figures_are_one_fact() -> None:
    # two figures of an aligned pair the claims did not link are no finding of
    # the pair comparator unless asked for (JudgeConfig.aligned_figures)
    docs = {
        "a": [["Gempa itu menewaskan 268 orang di Cianjur, kata BNPB."]],
        "b": [["Gempa itu menewaskan 162 orang di Cianjur, kata BNPB."]],
    }
    on = run_judge(docs, [("a", 0, "b", 0)]).filter(pl.col("kind") == "number")
    assert on.height == 1
    off = run_judge(docs, [("a", 0, "b", 0)], config=JudgeConfig())
    assert off.filter(pl.col("kind") == "number").is_empty()


def test_number_conflict_respects_qualifiers() -> None:
    docs = {
        "a": [["Gempa itu menewaskan sedikitnya 268 orang di Cianjur, kata BNPB."]],
        "b": [["Gempa itu menewaskan 162 orang di Cianjur, kata BNPB."]],
        "c": [["Gempa itu menewaskan 300 orang di Cianjur, kata BNPB."]],
    }
    out = run_judge(docs, [("a", 0, "b", 0), ("a", 0, "c", 0)])
    nums = out.filter(pl.col("kind") == "number")
    assert nums.height == 1  # 268+ vs 162 conflicts; 268+ vs 300 does not
    row = nums.row(0, named=True)
    assert row["b_article"] == "b"
    assert "sedikitnya 268 orang" in row["explanation"] and "162 orang" in row["explanation"]
    more = run_judge(
        {
            "a": [["Korea Utara telah menguji lebih dari 30 rudal balistik tahun ini."]],
            "b": [["Korea Utara telah menguji 32 rudal balistik tahun ini."]],
        },
        [("a", 0, "b", 0)],
    )
    assert more.filter(pl.col("kind") == "number").height == 0


def test_rising_toll_is_low_severity() -> None:
    out = run_judge(
        {
            "a": [["Gempa itu menewaskan 162 orang di Cianjur."]],
            "b": [["Gempa itu menewaskan 268 orang di Cianjur."]],
        },
        [("a", 0, "b", 0)],
        published={"a": dt.date(2022, 11, 21), "b": dt.date(2022, 11, 22)},
    )
    (row,) = out.filter(pl.col("kind") == "number").iter_rows(named=True)
    assert row["severity"] == "low"


def test_weekday_conflict_across_articles_without_alignment() -> None:
    out = run_judge(
        {
            "a": [
                ['"Kami dapat informasi," ujar Watson, seperti dilansir CNN, Selasa (5/9/2023).']
            ],
            "b": [
                ["Seorang pejabat AS mengatakan pada hari Senin (5/9) bahwa Rusia membeli roket."]
            ],
        },
        [],
    )
    (row,) = out.filter(pl.col("kind") == "date").iter_rows(named=True)
    assert row["b_article"] == "b"
    assert "Senin (5/9)" in row["explanation"] and "Selasa (5/9/2023)" in row["explanation"]
    assert "2022" in row["explanation"]  # a Monday 5 September falls in 2022
    assert row["severity"] == "high"


def test_single_article_weekday_check() -> None:
    out = run_judge(
        {"a": [["Seorang pejabat mengatakan pada hari Senin (5/9) bahwa Rusia membeli roket."]]},
        [],
        published={"a": dt.date(2023, 9, 6)},
    )
    (row,) = out.filter(pl.col("kind") == "date").iter_rows(named=True)
    assert row["b_article"] is None and row["b_highlight"] is None
    assert "Tuesday" in row["explanation"]
    # the same text without a year anywhere gives no single-article finding
    none = run_judge(
        {"a": [["Seorang pejabat mengatakan pada hari Senin (5/9) bahwa Rusia membeli roket."]]},
        [],
    )
    assert none.height == 0


def test_one_weekday_and_day_in_another_month_or_year_is_a_likely_typo() -> None:
    out = run_judge(
        {
            "a": [
                ["Kebakaran terjadi pada Jumat, 3 Februari 2023 malam."],
                ["Api baru padam pada Jumat, 3 Maret 2023 dini hari."],
            ],
            "b": [["Pesawat jatuh pada Sabtu (9/1/2011) siang."]],
            "c": [["FlightRadar24 menulis pada Sabtu (9/1/2021) bahwa pesawat itu hilang."]],
            "d": [["Basarnas mulai mencari pada Sabtu (9/1/2021) sore."]],
        },
        [],
    )
    typos = out.filter(pl.col("explanation").str.contains("mistyped"))
    pairs = {(r["a_article"], r["b_article"]) for r in typos.iter_rows(named=True)}
    assert pairs == {("a", "a"), ("b", "c")}  # the odd date once, not against every outlet
    assert (
        "does not fall on a Saturday" in typos.filter(pl.col("a_article") == "b")["explanation"][0]
    )
    # one weekday on two days a week apart is two days, not a typo
    fine = run_judge(
        {"a": [["Rapat digelar Senin (5/9/2022)."], ["Rapat lanjutan Senin (12/9/2022)."]]}, []
    )
    assert fine.filter(pl.col("explanation").str.contains("mistyped")).is_empty()


def test_a_weekday_that_misses_its_day_is_shown_against_the_day_it_stands_for() -> None:
    out = run_judge(
        {
            "a": [
                ["Erupsi Gunung Semeru pada Sabtu (6/12/2021) menelan banyak korban."],
                ["Gunung itu meletus pada Sabtu (4/12/2021) sore."],
            ],
            "b": [["The volcano erupted on Saturday (4/12/2021) afternoon."]],
        },
        [],
    )
    (row,) = out.filter(pl.col("explanation").str.contains("likely")).iter_rows(named=True)
    assert (row["a_article"], row["b_article"]) == ("a", "a")  # its own article first
    assert "6 December 2021 was a Monday" in row["explanation"]
    assert "'Sabtu (4/12/2021)'" in row["explanation"]
    # a weekday that fits its day has nothing to stand for
    fine = run_judge({"a": [["Rapat Sabtu (4/12/2021)."], ["Rapat Sabtu (11/12/2021)."]]}, [])
    assert fine.filter(pl.col("explanation").str.contains("likely")).is_empty()


def test_date_in_parentheses_never_compared_with_count() -> None:
    out = run_judge(
        {
            "a": [["Korea Utara telah menguji coba lebih dari 30 rudal balistik tahun ini."]],
            "c": [["Pyongyang telah meluncurkan rudal balistik pada Rabu (30/8)."]],
        },
        [("a", 0, "c", 0)],
    )
    kinds = out["kind"].to_list()
    assert kinds == ["unique"]
    row = out.row(0, named=True)
    assert row["a_article"] == "a" and row["b_article"] is None
    assert "lebih dari 30 rudal balistik" in row["explanation"]
    assert row["severity"] == "low"


def test_name_variant_across_articles() -> None:
    out = run_judge(
        {
            "a": [["Juru bicara NSC Andrienne Watson mengatakan Kim akan ke Rusia."]],
            "b": [["Juru bicara NSC Adrienne Watson mengatakan Kim akan ke Rusia."]],
        },
        [("a", 0, "b", 0)],
    )
    assert out["kind"].to_list() == ["name"]  # a variant is not an attribution conflict
    assert "Andrienne Watson" in out["explanation"][0]


def test_polarity_flip_and_nli() -> None:
    docs = {
        "a": [["Pemerintah Korea Utara membantah telah mengirim senjata ke Rusia pekan ini."]],
        "b": [["Pemerintah Korea Utara mengakui telah mengirim senjata ke Rusia pekan ini."]],
    }
    out = run_judge(docs, [("a", 0, "b", 0)])
    assert out["kind"].to_list() == ["contradiction"]
    assert out["severity"][0] == "medium"
    # mutual entailment suppresses the weak polarity finding
    calm = run_judge(docs, [("a", 0, "b", 0)], nli=[(0.9, 0.05, 0.05, 0.9, 0.05, 0.05)])
    assert calm.height == 0


def test_nli_contradiction_alone_and_raising_typed_findings() -> None:
    same_thing = {
        "a": [
            ["Pertemuan kedua pemimpin untuk membahas kerja sama senjata digelar di Vladivostok."]
        ],
        "b": [["Pertemuan kedua pemimpin untuk membahas kerja sama senjata digelar di Moskow."]],
    }
    on = JudgeConfig(nli_alone=True, aligned_figures=True)
    alone = on.nli_contra_alone
    under = round(alone - 0.02, 3)
    both = (0.02, 0.03, 0.95, 0.03, 0.05, round(min(0.99, alone + 0.03), 3))
    # by default NLI makes no finding of its own, however sure
    assert run_judge(same_thing, [("a", 0, "b", 0)], nli=[both]).height == 0
    # just under the threshold in both directions: no finding by NLI alone
    assert (
        run_judge(same_thing, [("a", 0, "b", 0)], nli=[(0.02, 0.03, under) * 2], config=on).height
        == 0
    )
    out = run_judge(same_thing, [("a", 0, "b", 0)], nli=[both], config=on)
    (row,) = out.iter_rows(named=True)
    assert row["kind"] == "contradiction"
    assert json.loads(row["evidence"])["nli"]["ab_contra"] > 0.9
    assert row["score"] == both[5]  # the direction that fired: the larger contradiction
    # one direction over the threshold is enough (the model is often confident one way only)
    one_way = (0.01, 0.015, round(alone + (1.0 - alone) / 2, 3), 0.1, 0.3, 0.6)
    assert run_judge(same_thing, [("a", 0, "b", 0)], nli=[one_way], config=on)[
        "kind"
    ].to_list() == ["contradiction"]
    weak = run_judge(
        same_thing, [("a", 0, "b", 0)], nli=[(0.1, 0.5, 0.4, 0.1, 0.5, 0.4)], config=on
    )
    assert weak.height == 0
    # sentences about different things: NLI is no evidence of a contradiction
    different = {
        "a": [["Rusia akan menerima amunisi dari Korea Utara untuk perang di Ukraina."]],
        "b": [["Korea Utara akan mengirim bahan mentah ke Moskow untuk industri pertahanan."]],
    }
    assert (
        run_judge(different, [("a", 0, "b", 0)], similarity=0.9, nli=[both], config=on).height == 0
    )
    raised = run_judge(
        {
            "a": [["Gempa itu menewaskan 162 orang di Cianjur, kata BNPB."]],
            "b": [["Gempa itu menewaskan 268 orang di Cianjur, kata BNPB."]],
        },
        [("a", 0, "b", 0)],
        nli=[(0.02, 0.03, 0.95, 0.02, 0.03, 0.95)],
    )
    assert raised["kind"].to_list() == ["number"]
    assert raised["severity"][0] == "high"


def test_small_number_gap_suppressed_by_mutual_entailment() -> None:
    docs = {
        "a": [["Serangan itu melukai sekitar 100 warga sipil di kota itu, kata pejabat."]],
        "b": [["Serangan itu melukai 118 warga sipil di kota itu, kata pejabat."]],
    }
    assert run_judge(docs, [("a", 0, "b", 0)]).filter(pl.col("kind") == "number").height == 1
    calm = run_judge(docs, [("a", 0, "b", 0)], nli=[(0.9, 0.05, 0.05, 0.85, 0.1, 0.05)])
    assert calm.filter(pl.col("kind") == "number").height == 0


def test_empty_inputs() -> None:
    out = run_judge({"a": [["Tidak ada apa-apa di sini."]]}, [])
    assert out.height == 0 and out.schema == DIVERGENCES.polars_schema


def _cross_lingual(similarity: float, en_language: str) -> pl.DataFrame:
    docs = {
        "a": [
            [
                '"Kami mendesak Korea Utara untuk menghentikan perundingan senjata dengan '
                'Rusia," ujar Watson.'
            ]
        ],
        "b": [['"We urge the DPRK to cease its arms negotiations with Russia," Kirby said.']],
    }
    arts, sents = make_frames(docs, outlets=OUTLETS)
    arts = arts.with_columns(
        pl.when(pl.col("article_id") == "b")
        .then(pl.lit(en_language))
        .otherwise(pl.col("language"))
        .alias("language")
    )
    facts = extract_facts(arts, sents)
    pairs = PAIRS.conform(
        pl.DataFrame(
            [
                {
                    "a_article": "a",
                    "a_idx": 0,
                    "b_article": "b",
                    "b_idx": 0,
                    "similarity": similarity,
                    "margin": 0.05,
                }
            ],
            schema=PAIRS.polars_schema,
        )
    )
    return RuleJudge().judge(arts, sents, facts, pairs, None)


def test_translated_quote_with_another_speaker_is_an_attribution() -> None:
    out = _cross_lingual(0.935, "en")
    attr = out.filter(pl.col("kind") == "attribution")
    assert attr.height == 1
    assert "Watson" in attr["explanation"][0] and "Kirby" in attr["explanation"][0]
    # the same similarity between two articles in one language is not enough
    # evidence of the same statement when they share no words
    assert _cross_lingual(0.935, "id").filter(pl.col("kind") == "attribution").height == 0
    # nor is a weaker cross-lingual match
    assert _cross_lingual(0.88, "en").filter(pl.col("kind") == "attribution").height == 0


def test_aligned_dates_a_day_apart_are_two_moments_a_month_apart_a_conflict() -> None:
    def dated(a: str, b: str) -> pl.DataFrame:
        out = run_judge(
            {
                "a": [[f"Kebakaran di depo itu terjadi pukul 20.11 WIB pada {a}."]],
                "b": [
                    [
                        f"Petugas menuturkan api di depo itu sudah padam total pada {b} "
                        "dini hari pukul 00.00 WIB."
                    ]
                ],
            },
            [("a", 0, "b", 0)],
        )
        return out.filter(
            (pl.col("kind") == "date") & pl.col("explanation").str.contains("same event")
        )

    assert dated("Jumat (3/3/2023)", "Sabtu (4/3/2023)").is_empty()
    assert dated("Jumat (3/3/2023)", "Jumat (3/2/2023)").height == 1


@pytest.mark.parametrize(
    ("a", "b", "found"),
    [
        # one moment just after midnight, dated to two days: a conflict
        ("Selasa (7/3/2023) dini hari", "Rabu (8/3/2023) dini hari", 1),
        ("Tuesday (7/3/2023) night", "Wednesday (8/3/2023) night", 1),
        # two parts of the day, or two days apart: moments of one story
        ("Selasa (7/3/2023) malam", "Rabu (8/3/2023) dini hari", 0),
        ("Selasa (7/3/2023) dini hari", "Kamis (9/3/2023) dini hari", 0),
    ],
)
def test_one_moment_dated_to_two_days_a_day_apart_is_a_conflict(a: str, b: str, found: int) -> None:
    out = run_judge(
        {
            "a": [[f"Gudang tua di pelabuhan itu dilanda kebakaran pada {a}."]],
            "b": [[f"Api melalap sebagian gudang tua di pelabuhan itu pada {b} tadi."]],
        },
        [("a", 0, "b", 0)],
    )
    got = out.filter((pl.col("kind") == "date") & pl.col("explanation").str.contains("same event"))
    assert got.height == found


def test_an_article_whose_weekdays_fit_an_earlier_year_is_flagged_once() -> None:
    docs = {
        "a": [
            ["Pejabat itu mengatakan pada hari Senin (5/9) bahwa Rusia membeli roket."],
            ["Kim dijadwalkan bertemu Putin pada Rabu (7/9)."],
        ]
    }
    out = run_judge(docs, [], published={"a": dt.date(2023, 9, 6)})
    (row,) = out.filter(pl.col("kind") == "date").iter_rows(named=True)
    assert row["b_article"] is None
    assert json.loads(row["evidence"])["comparator"] == "other_year"
    assert "fit 2022, not 2023" in row["explanation"] and "resurfacing" in row["explanation"]
    assert "Tuesday" in row["explanation"]  # 5 September 2023 was a Tuesday
    # dated in the year its weekdays fit: nothing
    assert run_judge(docs, [], published={"a": dt.date(2022, 9, 6)}).is_empty()
    # no date anywhere: nothing to read the weekdays against
    assert run_judge(docs, []).is_empty()


def test_a_date_of_its_own_year_written_out_keeps_an_article_in_its_year() -> None:
    out = run_judge(
        {
            "a": [
                ["Pejabat itu mengatakan pada hari Senin (5/9) bahwa Rusia membeli roket."],
                ["Pernyataan itu dirilis Selasa (5/9/2023)."],
            ]
        },
        [],
        published={"a": dt.date(2023, 9, 6)},
    )
    assert not any("resurfacing" in e for e in out["explanation"].to_list())


def test_english_weekdays_of_an_old_story_are_read_too() -> None:
    out = run_judge(
        {"a": [["The officials met on Monday, September 5, and again on Wednesday, September 7."]]},
        [],
        published={"a": dt.date(2023, 9, 8)},
    )
    (row,) = out.filter(pl.col("kind") == "date").iter_rows(named=True)
    assert "fit 2022" in row["explanation"]


def test_a_figure_in_a_headline_is_not_reported_as_unique() -> None:
    docs = {
        "a": [["Korea Utara telah menguji coba lebih dari 30 rudal balistik tahun ini"]],
        "c": [["Pyongyang telah meluncurkan rudal balistik pada Rabu (30/8)."]],
    }
    assert run_judge(docs, []).filter(pl.col("kind") == "unique").is_empty()
    docs["a"] = [[docs["a"][0][0] + "."]]  # the same words as a sentence of the body
    assert run_judge(docs, []).filter(pl.col("kind") == "unique").height == 1


def test_two_names_misspelt_in_one_sentence_pair_are_two_findings_each_once() -> None:
    from tests.conftest import judge_linked

    out = judge_linked(
        {
            "a": [["Korban bernama Andi Sandira dan Budi Hartanto tiba di lokasi."]],
            "b": [["Korban bernama Andi Sadira dan Budi Hartanta tiba di lokasi."]],
        }
    )
    names = out.filter(pl.col("kind") == "name")
    told = sorted(e.split("'")[1] for e in names["explanation"])
    assert told == ["Andi Sadira", "Budi Hartanta"]  # each once, though two comparators see it
    assert names["divergence_id"].n_unique() == 2


def test_a_name_variant_is_shown_with_the_names_most_alike() -> None:
    from consistency.judge.names import NameVariants
    from tests.conftest import context

    ctx = context(
        {
            "a": [["Korban asal Padang bernama Muhammad Teguh Amanda (19)."]],
            "b": [
                ["Polisi menyebut nama Muhammad Adan."],
                ["Jenazah korban, Muhammad Teguh Adan, dibawa ke Padang."],
            ],
        }
    )
    got = [f.explanation for f in NameVariants().compare(ctx) if "Amanda" in f.explanation]
    assert got and "'Muhammad Teguh Adan' vs 'Muhammad Teguh Amanda'" in got[0]


def test_a_figure_the_claims_link_across_languages_is_not_unique() -> None:
    from tests.conftest import judge_linked

    docs = {
        "a": [["Sebanyak 23 rumah rusak berat akibat longsor itu."]],
        "b": [["Some 23 houses were badly damaged by the landslide."]],
        "c": [["Korea Utara telah menguji coba lebih dari 30 rudal balistik tahun ini."]],
    }
    out = judge_linked(docs)
    uniques = out.filter(pl.col("kind") == "unique")
    # "Some 23 houses" is corroborated by "23 rumah" (linked by the claims); the
    # missiles only one outlet counts are still unique
    assert uniques["a_article"].to_list() == ["c"], uniques.select("explanation").rows()


def test_two_agencies_readings_named_beside_the_figure_are_no_drift() -> None:
    from tests.conftest import judge_linked

    bmkg = [
        "Gempa bermagnitudo 5,6 mengguncang Cianjur pada Senin siang.",
        "BMKG menyebut pusat gempa berada di darat.",
    ]
    usgs = [
        "An earthquake of magnitude 5.4 struck Cianjur on Monday, the U.S. Geological Survey said."
    ]
    out = judge_linked({"a": [bmkg], "b": [usgs]})
    assert out.filter(pl.col("explanation").str.contains("magnitude")).is_empty()
    # with no agency named beside it, 5.6 against USGS's 5.4 is a drift to show
    out = judge_linked({"a": [bmkg[:1]], "b": [usgs]})
    assert out.filter(pl.col("explanation").str.contains("magnitude")).height == 1
