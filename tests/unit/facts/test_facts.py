"""Unit tests for consistency.facts (Indonesian and English)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from consistency.facts import extract_facts
from consistency.types import FACTS
from tests.conftest import make_frames


def facts_of(
    sentences: list[str] | list[list[str]],
    published: dt.date | None = None,
    language: str = "id",
) -> pl.DataFrame:
    paras = sentences if sentences and isinstance(sentences[0], list) else [sentences]
    arts, sents = make_frames({"x": paras}, {"x": published}, language)  # type: ignore[dict-item]
    out = extract_facts(arts, sents)
    FACTS.validate(out)
    text = arts["text"][0]
    for r in out.iter_rows(named=True):  # offsets point into the original text
        if r["detail"] and json.loads(r["detail"]).get("how") not in (
            "continuation",
            "quote_span",
            "pronoun",
        ):
            assert text[r["start"] : r["end"]] == r["surface"], r
    return out


def of_type(df: pl.DataFrame, t: str) -> list[dict]:
    return df.filter(pl.col("fact_type") == t).to_dicts()


# --- numbers -------------------------------------------------------------------


def test_numbers_indonesian_with_qualifiers() -> None:
    df = facts_of(
        [
            "Korea Utara telah menguji coba lebih dari 30 rudal balistik tahun ini.",
            "Gempa berkekuatan 5,6 magnitudo mengguncang Cianjur dan menewaskan "
            "sedikitnya 268 orang.",
            "Kerugian ditaksir mencapai Rp 1,2 triliun.",
            "Sebanyak dua ratus enam puluh delapan orang dievakuasi.",
            "Rusia membeli jutaan roket dari Korea Utara.",
        ]
    )
    nums = {(round(r["value_num"], 6), r["qualifier"], r["key"]) for r in of_type(df, "number")}
    assert (30.0, "more_than", "missile") in nums
    assert (5.6, "exact", "magnitude") in nums
    assert (268.0, "at_least", "people") in nums
    assert (1.2e12, "about", "rupiah") in nums or (1.2e12, "exact", "rupiah") in nums
    assert (268.0, "exact", "people") in nums
    assert (1e6, "vague", "rocket") in nums


def test_a_qualifier_opening_a_quote_and_within_bounds() -> None:
    df = facts_of(
        [
            '"Sedikitnya 12 orang tewas dalam kebakaran itu," kata kepala dinas.',
            "“Lebih dari 30 jam telah berlalu sejak longsor,” ujar bupati.",
            "Dalam waktu 24 jam setelah banjir, tim dikirim ke desa itu.",
        ]
    )
    nums = {(r["value_num"], r["qualifier"]) for r in of_type(df, "number")}
    assert nums == {(12.0, "at_least"), (30.0, "more_than"), (24.0, "up_to")}
    en = facts_of(
        ['"At least 7 people died," the mayor said. Within 48 hours, crews arrived.'], language="en"
    )
    assert {(r["value_num"], r["qualifier"]) for r in of_type(en, "number")} == {
        (7.0, "at_least"),
        (48.0, "up_to"),
    }


def test_a_bound_may_stand_before_a_verb_and_its_figure() -> None:
    df = facts_of(
        [
            "Korban meninggal akibat longsor itu setidaknya mencapai 1.700 orang.",
            "Jumlah pengungsi hingga mencapai 5.500 orang pada Senin.",
        ]
    )
    nums = {(r["value_num"], r["qualifier"]) for r in of_type(df, "number")}
    assert (1700.0, "at_least") in nums
    # "hingga mencapai" tells what a figure reached, not a ceiling
    assert (5500.0, "exact") in nums
    en = facts_of(["The number of injured people reached at least 40."], language="en")
    assert {(r["value_num"], r["qualifier"]) for r in of_type(en, "number")} >= {(40.0, "at_least")}


def test_an_article_may_stand_between_a_bound_and_its_number_word() -> None:
    en = facts_of(
        ["Divers searched the river for more than a dozen fishermen still unaccounted for."],
        language="en",
    )
    assert {(r["value_num"], r["qualifier"]) for r in of_type(en, "number")} == {
        (12.0, "more_than")
    }
    en2 = facts_of(["Deaths, at least reaching 40, were counted."], language="en")
    assert (40.0, "at_least") in {(r["value_num"], r["qualifier"]) for r in of_type(en2, "number")}


def test_numbers_english() -> None:
    df = facts_of(
        ["North Korea has tested more than 30 missiles this year, killing about 1,200 fish."],
        language="en",
    )
    nums = {(r["value_num"], r["qualifier"], r["key"]) for r in of_type(df, "number")}
    assert (30.0, "more_than", "missile") in nums
    assert (1200.0, "about", "fish") in nums


@pytest.mark.parametrize(
    "sentence",
    [
        "Pyongyang meluncurkan rudal balistik pada Rabu (30/8).",  # a date, not 30 of anything
        "Berita ini dimuat di 2 dari 2 halaman.",  # page counter
        "Hubungi kami di 0812-3456-7890 untuk informasi.",  # phone number
        "Peluncuran itu yang ke-2 sejak 2017.",  # ordinal and year
        "Rusia memakai drone Mohajer-6 di Ukraina.",  # model designation
        "Kantor dibuka pukul 17.06 WIB setiap hari.",  # a time
        "It was the 2nd launch since 1998, said the report on page 4 of 9.",
    ],
)
def test_not_quantities(sentence: str) -> None:
    df = facts_of([sentence], language="en" if sentence.startswith("It") else "id")
    assert of_type(df, "number") == []


def test_date_in_parentheses_is_a_date() -> None:
    df = facts_of(["Pyongyang meluncurkan rudal balistik pada Rabu (30/8)."], dt.date(2023, 8, 31))
    (d,) = of_type(df, "date")
    assert d["surface"] == "Rabu (30/8)"
    assert d["value_date"] == dt.date(2023, 8, 30)
    assert d["qualifier"] == "wednesday"
    assert json.loads(d["detail"])["weekday_ok"] is True


# --- dates ----------------------------------------------------------------------


def test_weekday_checked_against_calendar() -> None:
    df = facts_of(["Pejabat itu mengatakan pada hari Senin (5/9/2023) bahwa Rusia membeli roket."])
    (d,) = of_type(df, "date")
    detail = json.loads(d["detail"])
    assert d["value_date"] == dt.date(2023, 9, 5)
    assert detail["weekday_ok"] is False  # 5 September 2023 was a Tuesday
    assert detail["year_source"] == "explicit"


def test_date_without_year_and_without_published_stays_unresolved() -> None:
    df = facts_of(["Pejabat itu mengatakan pada hari Senin (5/9) bahwa Rusia membeli roket."])
    (d,) = of_type(df, "date")
    assert d["value_date"] is None
    assert d["key"] == "--09-05"
    assert json.loads(d["detail"])["weekday_ok"] is None


def test_date_year_from_publication_date() -> None:
    df = facts_of(["Kata dia, Senin (5/9)."], published=dt.date(2022, 9, 6))
    (d,) = of_type(df, "date")
    assert d["value_date"] == dt.date(2022, 9, 5)
    assert json.loads(d["detail"])["weekday_ok"] is True


def test_dateline_with_time_and_relative_dates() -> None:
    df = facts_of(
        [
            "Kamis, 31 Agustus 2023 17:06 WIB",
            "Kirby mengatakan Korea Utara mengirimkan roket ke Rusia tahun lalu.",
            "Gedung Putih mengatakan pekan lalu bahwa Rusia membeli drone pada Juli.",
        ],
        published=dt.date(2023, 8, 31),
    )
    dates = of_type(df, "date")
    by_surface = {d["surface"]: d for d in dates}
    head = by_surface["Kamis, 31 Agustus 2023 17:06 WIB"]
    assert head["value_date"] == dt.date(2023, 8, 31)
    assert json.loads(head["detail"])["time"] == "17:06"
    assert by_surface["tahun lalu"]["key"] == "2022"
    assert by_surface["pekan lalu"]["unit"] == "week"
    assert by_surface["pada Juli"]["value_date"] == dt.date(2023, 7, 1)
    assert of_type(df, "number") == []


def test_english_dates() -> None:
    df = facts_of(
        ["The official said on Monday, September 5, 2022 that Russia was buying rockets."],
        language="en",
    )
    (d,) = [x for x in of_type(df, "date") if x["unit"] == "day"]
    assert d["value_date"] == dt.date(2022, 9, 5)
    assert json.loads(d["detail"])["weekday_ok"] is True


# --- speakers and people -----------------------------------------------------------


def test_speakers_postposed_and_quote_continuation() -> None:
    df = facts_of(
        [
            [
                '"Kunjungan Menhan Shoigu dilakukan untuk meyakinkan Pyongyang," ungkap Watson.',
                '"Kami mendesak Korea Utara untuk menghentikan perundingan senjata."',
            ],
            ["Korea Utara belum menanggapi."],
        ]
    )
    sp = {r["sent_idx"]: r for r in of_type(df, "speaker")}
    assert sp[0]["key"] == "watson" and sp[0]["qualifier"] == "post"
    assert sp[1]["key"] == "watson" and sp[1]["qualifier"] == "continuation"
    assert 2 not in sp  # an unquoted sentence does not inherit a speaker


def test_speaker_with_title_and_pronoun_followup() -> None:
    df = facts_of(
        [
            '"Kami dapat informasi," ujar juru bicara Dewan Keamanan Nasional Amerika Serikat '
            "(NSC) Andrienne Watson soal negosiasi senjata.",
            "Watson tidak merinci lebih lanjut.",
            "Juru bicara keamanan nasional Gedung Putih John Kirby mengatakan Rusia membeli "
            "amunisi.",
            "Ia menambahkan bahwa surat-surat tersebut lebih bersifat permukaan.",
            '"Diskusi mungkin berlanjut," katanya.',
        ]
    )
    sp = {r["sent_idx"]: r for r in of_type(df, "speaker")}
    assert sp[0]["surface"] == "Andrienne Watson"
    assert "juru bicara" in json.loads(sp[0]["detail"])["title"]
    assert sp[2]["surface"] == "John Kirby"
    assert sp[3]["key"] == "john kirby" and sp[3]["qualifier"] == "pronoun"
    assert sp[4]["key"] == "john kirby" and sp[4]["surface"] == "John Kirby"
    assert 1 not in sp  # "tidak merinci" is not a reporting verb


def test_according_to_and_org_speakers() -> None:
    df = facts_of(
        [
            "Menurut koordinator komunikasi strategis NSC John Kirby pekan lalu, pejabat Rusia "
            "bepergian ke Pyongyang.",
            "Gedung Putih mengatakan Rusia membeli drone.",
            "Seperti dilansir CNN, Kim akan ke Rusia.",
        ]
    )
    sp = {r["sent_idx"]: r for r in of_type(df, "speaker")}
    assert sp[0]["surface"] == "John Kirby"
    assert json.loads(sp[1]["detail"])["is_person"] is False
    assert 2 not in sp  # a cited outlet is not a speaker
    cited = [r for r in of_type(df, "org") if json.loads(r["detail"]).get("role")]
    assert cited and cited[0]["key"] == "cnn"


def test_english_speakers() -> None:
    df = facts_of(
        [
            '"We urge North Korea to stop," said John Kirby, a White House spokesman.',
            "According to Adrienne Watson, the talks advanced.",
            "Kirby said Russia wanted more shells.",
        ],
        language="en",
    )
    keys = {r["sent_idx"]: r["key"] for r in of_type(df, "speaker")}
    assert keys == {0: "john kirby", 1: "adrienne watson", 2: "kirby"}


@pytest.mark.parametrize(
    ("sentence", "language", "speaker"),
    [
        (
            '"Kami menunggu," ujar Direktur Perlindungan WNI dan BHI Kemlu RI Budi Santoso.',
            "id",
            "Budi Santoso",
        ),
        ('"Sudah ditangani," ujar Kapolres Bekasi AKBP Rina Wulandari.', "id", "Rina Wulandari"),
        (
            '"Dua korban," kata Pelaksana Tugas (Plt) Kepala BPBD Siti Aminah kepada wartawan.',
            "id",
            "Siti Aminah",
        ),
        ('"Sudah dikunci," kata Hendra di Lapas Cipinang.', "id", "Hendra"),
        (
            '"Dua luka berat," kata Kapolres Bekasi AKBP, Rina Wulandari di lokasi.',
            "id",
            "Rina Wulandari",
        ),
        ('"Tidak ada," kata Hendra, Senin (8/9).', "id", "Hendra"),
        ('"It is bad," said Osaka Governor Kenji Tanaka on Monday.', "en", "Kenji Tanaka"),
        ('"We will help," said Health Minister Maria Lopez.', "en", "Maria Lopez"),
    ],
)
def test_a_speaker_is_the_person_who_ends_a_chain_of_titles(
    sentence: str, language: str, speaker: str
) -> None:
    df = facts_of([sentence], language=language)
    assert [r["surface"] for r in of_type(df, "speaker")] == [speaker]


def test_people_places_polarity() -> None:
    df = facts_of(
        [
            "Presiden Rusia Vladimir Putin dan pemimpin Korea Utara Kim Jong-un bertukar surat.",
            "Korut membantah tuduhan itu, namun Moskow mengakui tidak ada kesepakatan.",
        ]
    )
    people = {r["key"] for r in of_type(df, "person")}
    assert people == {"vladimir putin", "kim jong un"}
    places = {r["key"] for r in of_type(df, "place")}
    assert {"russia", "north korea", "moscow"} <= places
    pol = sorted(r["key"] for r in of_type(df, "polarity"))
    assert pol == ["affirm", "deny", "neg"]


def test_title_case_headline_has_no_people() -> None:
    df = facts_of(["Makin Mesra, Rusia Rayu Korea Utara Agar Mau Jual Amunisi"])
    assert of_type(df, "person") == []


def test_empty_input() -> None:
    arts, sents = make_frames({})
    assert extract_facts(arts, sents).equals(FACTS.empty())


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Tidak lama kemudian, petugas tiba di lokasi.", "id"),
        ("Dampaknya bukan hanya korban jiwa.", "id"),
        ("Pesawat jatuh tidak jauh dari bandara.", "id"),
        ("Not long after, the crews arrived.", "en"),
        ("It was not only the bridge that fell.", "en"),
    ],
)
def test_a_negation_word_in_a_fixed_phrase_negates_nothing(sentence: str, language: str) -> None:
    arts, sents = make_frames({"a": [[sentence]]}, language=language)
    facts = extract_facts(arts, sents)
    assert facts.filter(pl.col("fact_type") == "polarity").is_empty()


def test_negation_outside_an_idiom_is_still_read() -> None:
    arts, sents = make_frames(
        {"a": [["Korban tidak ditemukan, dan tak lama kemudian hujan turun."]]}
    )
    pol = extract_facts(arts, sents).filter(pl.col("fact_type") == "polarity")
    assert pol["surface"].to_list() == ["tidak"]


@pytest.mark.parametrize(
    ("sentence", "language", "counts"),
    [
        ("Timnas menang 4-2 atas Vietnam dan 30 orang terluka.", "id", [30.0]),
        ("The visitors won 3-1 after 12 people were hurt.", "en", [12.0]),
        ("Pencarian berlangsung 10-15 hari.", "id", [15.0]),  # a range, no score cue
    ],
)
def test_the_figures_of_a_score_are_no_counts(
    sentence: str, language: str, counts: list[float]
) -> None:
    arts, sents = make_frames({"a": [[sentence]]}, language=language)
    nums = extract_facts(arts, sents).filter(pl.col("fact_type") == "number")
    assert nums["value_num"].to_list() == counts


@pytest.mark.parametrize(
    ("text", "day", "unit"),
    [
        ("kemarin", dt.date(2023, 9, 4), "day"),
        ("3 hari lalu", dt.date(2023, 9, 2), "day"),
        ("pekan lalu", dt.date(2023, 8, 28), "week"),
        ("minggu depan", dt.date(2023, 9, 11), "week"),  # not Sunday
        ("bulan lalu", dt.date(2023, 8, 1), "month"),
        ("tahun lalu", dt.date(2022, 1, 1), "year"),
        ("yesterday", dt.date(2023, 9, 4), "day"),
        ("last week", dt.date(2023, 8, 28), "week"),
        ("next year", dt.date(2024, 1, 1), "year"),
        ("2 hours ago", dt.date(2023, 9, 5), "time"),
    ],
)
def test_relative_dates_are_read_by_dateparser_against_the_article_date(
    text: str, day: dt.date, unit: str
) -> None:
    from consistency.facts.dates import resolve_relative

    assert resolve_relative(text, dt.date(2023, 9, 5)) == (day, unit)
    assert resolve_relative(text, None) == (None, unit)  # an undated article: no day


@pytest.mark.parametrize(
    ("sentence", "language", "value", "key"),
    [
        ("Ia dinyatakan meninggal lima setengah jam kemudian.", "id", 5.5, "hour"),
        ("Api padam setengah jam setelah laporan masuk.", "id", 0.5, "hour"),
        ("The driver died about five and a half hours after the crash.", "en", 5.5, "hour"),
        ("The fire was put out half an hour later.", "en", 0.5, "hour"),
        ("It took an hour and a half to reach them.", "en", 1.5, "hour"),
    ],
)
def test_a_half_of_a_unit_is_read_in_both_languages(
    sentence: str, language: str, value: float, key: str
) -> None:
    nums = of_type(facts_of([sentence], language=language), "number")
    assert [(r["value_num"], r["key"]) for r in nums] == [(value, key)]


def test_a_half_of_no_unit_is_no_figure() -> None:
    assert of_type(facts_of(["Bendera dikibarkan setengah tiang di kantor itu."]), "number") == []


def test_belasan_is_a_teen_count() -> None:
    (row,) = of_type(facts_of(["Belasan orang dilaporkan hilang sejak Minggu."]), "number")
    assert row["qualifier"] == "vague"
    assert json.loads(row["detail"])["range"] == [11, 19]
