"""Explanations in words a reader uses: the slot's label, the place when it is a name, each
value as its outlet wrote it, the reason in words; in English or, with ``--lang id``, in
Indonesian (``consistency/lang/<code>/explanations.json``), English for what a language
lacks. Hand-written two-article cases, one per common kind of finding.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner

from consistency import lang
from consistency.claims import extract_claims, group_claims, link_claims
from consistency.claims.values import Value, compatible
from consistency.config import Settings
from consistency.facts import extract_facts
from consistency.judge import RuleJudge
from consistency.judge.confidence import finding_features, later_higher
from consistency.judge.explain import ENGLISH_SLOTS, FILE, Explainer
from consistency.judge.values import REASONS, plain_reason
from consistency.models.bundle import ModelChoice
from consistency.types import PAIRS
from tests.conftest import make_frames

OUTLETS = {"a": "Kompas.com", "b": "Tempo.co", "c": "VOI"}


def judge(
    docs: dict[str, list[list[str]]],
    pairs: Sequence[tuple[str, int, str, int]] = (),
    code: str = "en",
    published: dict[str, dt.date | None] | None = None,
) -> pl.DataFrame:
    """The rule judge's findings on hand-written articles, every claim linked to every other
    (one vector for all sentences), explained in ``code``."""
    arts, sents = make_frames(docs, published, outlets=OUTLETS)
    facts = extract_facts(arts, sents)
    claims = extract_claims(arts, sents, facts)
    vectors = np.ones((sents.height, 4), dtype=np.float32) / 2.0
    links = link_claims(claims, sents, vectors)
    rows = [
        {"a_article": a, "a_idx": i, "b_article": b, "b_idx": j, "similarity": 0.93, "margin": 0.03}
        for a, i, b, j in pairs
    ]
    p = PAIRS.conform(pl.DataFrame(rows, schema=PAIRS.polars_schema))
    return RuleJudge(explain_lang=code).judge(
        arts, sents, facts, p, None, claims=claims, links=links, groups=group_claims(claims, links)
    )


def explained(out: pl.DataFrame, kind: str) -> list[str]:
    return out.filter(pl.col("kind") == kind)["explanation"].to_list()


DERNA = {
    "a": [["Banjir di Derna menewaskan 41 orang."]],
    "b": [["Banjir di Derna menewaskan 44 orang."]],
}


# --- numbers: label, place, values as written, outlets, the reason in words -------------------


def test_a_number_conflict_names_the_slot_the_place_the_values_and_the_outlets() -> None:
    assert explained(judge(DERNA), "number") == [
        "The death toll in Derna: '41' in Kompas.com vs '44' in Tempo.co; "
        "'41' and '44' cannot both be the death toll in Derna at one time."
    ]
    assert explained(judge(DERNA, code="id"), "number") == [
        "Jumlah korban tewas di Derna: '41' menurut Kompas.com vs '44' menurut Tempo.co; "
        "'41' dan '44' tidak mungkin sama-sama benar pada saat yang sama."
    ]


def test_a_bound_is_shown_with_its_words_and_the_reason_names_both_values() -> None:
    (got,) = explained(
        judge(
            {
                "a": [["Gempa itu menewaskan sedikitnya 300 orang, kata BNPB."]],
                "b": [["Gempa itu menewaskan 250 orang, kata BNPB."]],
            }
        ),
        "number",
    )
    assert got == (
        "The death toll: 'sedikitnya 300' in Kompas.com vs '250' in Tempo.co; "
        "'250' is below 'sedikitnya 300'."
    )


def test_an_approximate_figure_that_does_not_fit_is_said_so() -> None:
    (got,) = explained(
        judge(
            {
                "a": [["Sebanyak lebih kurang 70 pendaki berada di gunung itu."]],
                "b": [["Sebanyak 75 pendaki berada di gunung itu."]],
            }
        ),
        "number",
    )
    assert got == (
        "The number of climbers: 'lebih kurang 70' in Kompas.com vs '75' in Tempo.co; "
        "'lebih kurang 70' does not fit '75'."
    )


def test_a_measure_is_shown_as_written_not_in_the_units_it_is_compared_in() -> None:
    (got,) = explained(
        judge(
            {
                "a": [["Gempa terjadi pada kedalaman sekitar 17,9 kilometer."]],
                "b": [["Gempa terjadi pada kedalaman 10 kilometer."]],
            }
        ),
        "number",
    )
    assert got == (
        "The depth: 'sekitar 17,9 kilometer' in Kompas.com vs '10 kilometer' in Tempo.co; "
        "'sekitar 17,9 kilometer' does not fit '10 kilometer'."
    )
    assert "17900" not in got and "10000" not in got  # metres nobody wrote


def test_a_clock_time_is_named_by_its_moment_in_words() -> None:
    docs = {
        "a": [["Api berhasil dipadamkan pukul 02.19 WIB."]],
        "b": [["Api berhasil dipadamkan pukul 00.00 WIB."]],
    }
    assert explained(judge(docs), "number") == [
        "The time the fire was put out: '02.19 WIB' in Kompas.com vs '00.00 WIB' in Tempo.co; "
        "'02.19 WIB' and '00.00 WIB' are 2 hours 19 minutes apart."
    ]
    (got,) = explained(judge(docs, code="id"), "number")
    assert got.startswith("Waktu api dipadamkan: ") and "2 jam 19 menit" in got
    assert "put out" not in got  # the event's key is never shown


def test_a_common_word_read_as_a_place_is_not_shown() -> None:
    # "di Jalan Raya": the story writes "jalan" in lower case too, so it is no name
    (got,) = explained(
        judge(
            {
                "a": [["Kecelakaan di Jalan Raya itu menewaskan 12 orang."]],
                "b": [["Kecelakaan itu menewaskan 11 orang di jalan tersebut."]],
            }
        ),
        "number",
    )
    assert got.startswith("The death toll: '12' in Kompas.com vs '11' in Tempo.co; ")
    assert "Jalan" not in got and "jalan" not in got


def test_a_rising_toll_says_it_rose_from_the_earlier_to_the_later_report() -> None:
    published = {"a": dt.date(2024, 5, 11), "b": dt.date(2024, 5, 12)}
    (en,) = explained(judge(DERNA, published=published), "number")
    assert en == (
        "The death toll in Derna rose from '41' (Kompas.com, 11 May 2024) to '44' "
        "(Tempo.co, 12 May 2024): the later report gives the higher figure, most likely "
        "an update between reports rather than a conflict."
    )
    (id_,) = explained(judge(DERNA, published=published, code="id"), "number")
    assert id_.startswith(
        "Jumlah korban tewas di Derna naik dari '41' (Kompas.com, 11 Mei 2024) menjadi '44' "
        "(Tempo.co, 12 Mei 2024): "
    )


# --- names, dates, attribution, unique figures, quotes --------------------------------------


def test_a_name_spelled_two_ways_names_both_spellings_and_outlets() -> None:
    docs = {
        "a": [["Juru bicara NSC Andrienne Watson mengatakan Kim akan ke Rusia."]],
        "b": [["Juru bicara NSC Adrienne Watson mengatakan Kim akan ke Rusia."]],
    }
    (got,) = explained(judge(docs, [("a", 0, "b", 0)]), "name")
    assert got == (
        "One name spelled two ways: 'Adrienne Watson' vs 'Andrienne Watson' "
        "(Tempo.co vs Kompas.com); check which spelling is right."
    )
    (got,) = explained(judge(docs, [("a", 0, "b", 0)], code="id"), "name")
    assert got == (
        "Satu nama dieja dua cara: 'Adrienne Watson' vs 'Andrienne Watson' "
        "(Tempo.co vs Kompas.com); periksa ejaan yang benar."
    )


WEEKDAYS = {
    "a": [['"Kami dapat informasi," ujar Watson, seperti dilansir CNN, Selasa (5/9/2023).']],
    "b": [["Seorang pejabat AS mengatakan pada hari Senin (5/9) bahwa Rusia membeli roket."]],
}


def test_one_day_given_two_weekdays_names_both_dates_and_the_weekday_it_was() -> None:
    (got,) = explained(judge(WEEKDAYS), "date")
    assert got == (
        "The weekday of 5 September: 'Selasa (5/9/2023)' in Kompas.com vs 'Senin (5/9)' in "
        "Tempo.co; one day cannot fall on two weekdays. 5 September 2023 was a Tuesday. "
        "A Monday 5 September falls in 2016 or 2022, so Tempo.co's date may belong to "
        "another year."
    )
    (got,) = explained(judge(WEEKDAYS, code="id"), "date")
    assert got.startswith("Hari pada 5 September: 'Selasa (5/9/2023)' menurut Kompas.com vs ")
    assert "5 September 2023 jatuh pada hari Selasa." in got and "Tuesday" not in got


KIRBY = {
    "a": [['"Kami mendesak Korea Utara untuk menghentikan perundingan," ungkap Watson.']],
    "b": [['"Kami mendesak Korea Utara untuk menghentikan perundingan," kata John Kirby.']],
}


def test_one_quote_credited_to_two_people_names_each_with_its_outlet() -> None:
    (got,) = explained(judge(KIRBY, [("a", 0, "b", 0)]), "attribution")
    assert got == (
        "One quote credited to two people: Watson in Kompas.com vs Kirby in Tempo.co; "
        "check who said it."
    )
    (got,) = explained(judge(KIRBY, [("a", 0, "b", 0)], code="id"), "attribution")
    assert got == (
        "Satu kutipan dikaitkan dengan dua orang: Watson menurut Kompas.com vs Kirby menurut "
        "Tempo.co; periksa siapa yang mengatakannya."
    )


def test_a_figure_only_one_outlet_gives_is_shown_as_written() -> None:
    docs = {
        "a": [["Korea Utara telah menguji coba lebih dari 30 rudal balistik tahun ini."]],
        "c": [["Pyongyang telah meluncurkan rudal balistik pada Rabu (30/8)."]],
    }
    (got,) = explained(judge(docs, [("a", 0, "c", 0)]), "unique")
    assert got == (
        "Only Kompas.com reports 'lebih dari 30 rudal balistik'; no other article corroborates it."
    )
    (got,) = explained(judge(docs, [("a", 0, "c", 0)], code="id"), "unique")
    assert got.startswith("Hanya Kompas.com yang menyebut 'lebih dari 30 rudal balistik'")


def test_a_quote_worded_two_ways_shows_each_wording_with_its_outlet() -> None:
    docs = {
        "a": [['"Saya sudah kelabakan mencari jalur alternatif, tetapi tidak ada," kata Sadira.']],
        "b": [['"Setelah itu saya kelabakan untuk jalur alternatif, tidak ada," ujar Sadira.']],
    }
    (got,) = explained(judge(docs), "quote")
    assert got == (
        "One quote worded two ways: 'Saya sudah kelabakan mencari jalur alternatif, tetapi "
        "tidak ada' in Kompas.com vs 'Setelah itu saya kelabakan untuk jalur alternatif, "
        "tidak ada' in Tempo.co; at most one is verbatim."
    )
    (got,) = explained(judge(docs, code="id"), "quote")
    assert got.startswith("Satu kutipan ditulis dengan dua cara: ")


def test_the_language_changes_the_explanations_and_nothing_else() -> None:
    en, id_ = judge(DERNA | WEEKDAYS), judge(DERNA | WEEKDAYS, code="id")
    assert en.drop("explanation").equals(id_.drop("explanation"))
    assert en["explanation"].to_list() != id_["explanation"].to_list()


# --- the language files ---------------------------------------------------------------------


def _fields(template: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", template))


def test_every_indonesian_template_fills_from_the_fields_english_gets() -> None:
    en = lang.load("en", FILE)["templates"]
    id_ = lang.load("id", FILE)["templates"]
    assert set(id_) <= set(en), set(id_) - set(en)
    assert {k for k in id_ if not _fields(id_[k]) <= _fields(en[k])} == set()
    assert set(lang.load("id", FILE)["slots"]) >= set(ENGLISH_SLOTS)
    for code in ("en", "id"):
        data = lang.load(code, FILE)
        assert len(data["months"]) == 12 and len(data["weekdays"]) == 7


def test_every_template_the_judge_asks_for_is_in_english() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in Path("consistency/judge").glob("*.py"))
    asked = set(re.findall(r"""(?:text|speaking)\(\s*"(\w+)\"""", code))
    asked |= {f"attribution_{t}" for t in ("quote", "statement", "figure")}
    asked |= {"date_typo_month", "date_typo_year", "reason_exact_rising"}
    asked |= {key for _, key, _ in REASONS}
    assert asked - set(lang.load("en", FILE)["templates"]) == set()


def test_a_key_the_language_lacks_is_written_in_english() -> None:
    id_ = Explainer("id")
    # the Indonesian file leaves the vehicles out: the whole sentence is English
    assert "vehicle_make" not in lang.load("id", FILE)["templates"]
    ex = id_.speaking("vehicle_make")
    assert ex.code == "en"
    said = ex.text("vehicle_make", sides=ex.sides("'Suzuki Forza'", "A", "'Daihatsu Feroza'", "B"))
    assert said == (
        "One vehicle, two makes: 'Suzuki Forza' in A vs 'Daihatsu Feroza' in B; "
        "check which is right."
    )
    assert id_.text("vehicle_make", sides="x") == Explainer().text("vehicle_make", sides="x")
    assert id_.speaking("quote") is id_
    # a language with no file at all explains in English
    assert (
        Explainer("xx").text("quote", sides="x")
        == "One quote worded two ways: x; at most one is verbatim."
    )
    assert Explainer("xx").slot("dead") == "the death toll"


def test_a_template_missing_a_field_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    real = lang.load

    def load(code: str, name: str) -> dict[str, object]:
        if (code, name) == ("zz", FILE):
            return {"templates": {"quote": "Kutipan: {sisi}.", "vs": "{a} lawan {b}"}}
        return real(code, name)

    monkeypatch.setattr(lang, "load", load)
    zz = Explainer("zz")
    assert zz.text("vs", a="x", b="y") == "x lawan y"
    assert zz.text("quote", sides="x") == "One quote worded two ways: x; at most one is verbatim."
    with pytest.raises(KeyError):
        zz.text("no such template")


def test_article_text_is_put_in_as_it_is_and_never_read_as_a_template() -> None:
    ex = Explainer()
    said = ex.text("quote", sides="{sides} {a}")
    assert said == "One quote worded two ways: {sides} {a}; at most one is verbatim."
    # values as written are quoted the way repr quotes them: what is not printable escaped
    from consistency.judge.explain import quoted

    assert quoted("41\u202e orang") == "'41\\u202e orang'"


@pytest.mark.parametrize(
    ("kind", "x", "y"),
    [
        ("count", Value(41, 41, 41), Value(44, 44, 44)),
        ("count", Value(300, 300, 300, "at_least"), Value(250, 250, 250)),
        ("count", Value(154, 154, 154, "more_than"), Value(154, 154, 154)),
        ("count", Value(40, 40, 40, "more_than"), Value(120, 120, 120)),
        ("count", Value(30, 30, 30, "up_to"), Value(40, 40, 40)),
        ("count", Value(70, 70, 70, "about"), Value(75, 75, 75)),
        ("count", Value(100, 100, 1000, "vague"), Value(76, 76, 76)),
        ("count", Value(10, 10, 100, "vague"), Value(360, 360, 360, "more_than")),
        ("count", Value(10, 10, 20, "range"), Value(30, 30, 40, "range")),
        ("count", Value(5200, 5200, 5200, "more_than"), Value(1000, 1000, 1000, "at_least")),
        ("time", Value(120.0, zone=7), Value(139.0, zone=7)),
        ("time", Value(120.0), Value(139.0)),
        ("daypart", Value(None, 900, 1080, "range"), Value(None, 1080, 1440, "range")),
        ("plate", Value(text="ad7524og"), Value(text="ad7524dg")),
        ("measure", Value(text="unobserved"), Value(3000, 3000, 3000)),
    ],
)
def test_every_reason_two_values_cannot_both_hold_is_said_in_words(
    kind: str, x: Value, y: Value
) -> None:
    ok, reason = compatible(kind, x, y)
    assert not ok
    assert any(rx.fullmatch(reason) for rx, _, _ in REASONS), reason  # none left in code words
    cx = {"slot": "dead", "qualifier": x.qualifier}
    cy = {"slot": "dead", "qualifier": y.qualifier}
    got = plain_reason(Explainer(), reason, (cx, "'x'"), (cy, "'y'"), "the death toll")
    assert "bound" not in got and ".." not in got, (reason, got)
    # the figures shown are the values as written ('x', 'y'), never the ones compared
    assert not re.search(r"\d", got.replace("19 minutes", "")), got


# --- the scores read no explanation ---------------------------------------------------------


def test_the_confidence_features_read_no_explanation() -> None:
    out = judge(DERNA | WEEKDAYS, published={"a": dt.date(2024, 5, 11), "b": dt.date(2024, 5, 12)})
    arts, _ = make_frames(DERNA | WEEKDAYS, {"a": dt.date(2024, 5, 11), "b": dt.date(2024, 5, 12)})
    other = out.with_columns(
        pl.lit("anything at all: later report, bound, apart").alias("explanation")
    )
    assert np.array_equal(finding_features(out, arts), finding_features(other, arts))


def test_a_later_report_with_the_higher_count_is_read_from_the_evidence() -> None:
    ev = {
        "comparator": "number",
        "a_facts": [{"key": "dead", "value_num": 12.0}],
        "b_facts": [{"key": "dead", "value_num": 11.0}],
    }
    assert later_higher(ev, dt.date(2024, 5, 12), dt.date(2024, 5, 11))
    assert not later_higher(ev, dt.date(2024, 5, 11), dt.date(2024, 5, 12))
    assert not later_higher(ev, dt.date(2024, 5, 11), dt.date(2024, 5, 11))
    assert not later_higher({**ev, "comparator": "values"}, dt.date(2024, 5, 12), None)
    assert later_higher({"comparator": "values", "update": True}, None, None)


# --- the command line -----------------------------------------------------------------------


def test_settings_carry_the_language_to_the_judge(tmp_path: Path) -> None:
    from consistency.cli.common import settings_from
    from consistency.pipeline import run_articles
    from consistency.stages.ingest import read_inputs
    from tests.conftest import FakeEmbedder

    assert Settings().explain_lang == "en"
    settings = settings_from("m", "none", 0.0, "id")
    assert settings.explain_lang == "id"
    # the library's own judge explains in the settings' language, as the CLI's does
    arts = read_inputs([str(_articles(tmp_path))], warn_single=False).articles
    by_lang = {
        code: run_articles(
            arts, settings_from("m", "none", 0.0, code), models=ModelChoice(FakeEmbedder(), None)
        )
        .divergences["explanation"]
        .to_list()
        for code in ("en", "id")
    }
    assert by_lang["en"] and len(by_lang["en"]) == len(by_lang["id"])
    assert by_lang["en"] != by_lang["id"]


def test_an_unknown_language_is_a_usage_error_before_any_model_loads(tmp_path: Path) -> None:
    from consistency.cli import main
    from consistency.types import ExitCode

    r = CliRunner().invoke(main, ["report", str(tmp_path), "--lang", "xx"])
    assert r.exit_code == ExitCode.INPUT_ERROR
    assert "--lang" in r.output
    r = CliRunner().invoke(
        main, ["check", str(tmp_path), "--against", str(tmp_path), "--lang", "fr"]
    )
    assert r.exit_code == ExitCode.INPUT_ERROR


def _articles(tmp_path: Path) -> Path:
    path = tmp_path / "derna.jsonl"
    rows = [
        {
            "id": "a",
            "outlet": "Kompas.com",
            "text": "Banjir di Derna menewaskan 41 orang, kata pejabat setempat kepada wartawan.",
        },
        {
            "id": "b",
            "outlet": "Tempo.co",
            "text": "Banjir di Derna menewaskan 44 orang, kata pejabat setempat kepada wartawan.",
        },
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_report_lang_id_writes_the_indonesian_explanations_and_changes_nothing_else(
    tmp_path: Path,
) -> None:
    from consistency.cli import main

    path = _articles(tmp_path)
    got = {}
    for code in ("en", "id"):
        args = ["report", str(path), "--nli-model", "none", "--no-cache", "--lang", code]
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 0, r.output
        got[code] = json.loads(r.stdout)
    en, id_ = got["en"], got["id"]
    assert en["divergences"], en
    (f,) = [f for f in en["divergences"] if f["kind"] == "number"]
    (g,) = [g for g in id_["divergences"] if g["kind"] == "number"]
    assert f["explanation"].startswith("The death toll in Derna: '41' in Kompas.com vs '44'")
    assert g["explanation"].startswith("Jumlah korban tewas di Derna: '41' menurut Kompas.com")

    def strip(rep: dict[str, object]) -> dict[str, object]:
        divs = [{k: v for k, v in d.items() if k != "explanation"} for d in rep["divergences"]]  # type: ignore[attr-defined]
        return {**rep, "divergences": divs}

    assert strip(en) == strip(id_)
