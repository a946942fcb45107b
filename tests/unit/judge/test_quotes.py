"""The quote comparator: one remark quoted in different words (hand-written cases)."""

from __future__ import annotations

import polars as pl
import pytest

from consistency.judge.quotes import QuoteWording, differ, quotes_in, words_of
from tests.conftest import context, judge_docs


def w(text: str) -> tuple[str, ...]:
    return words_of(text)


def test_a_remark_worded_two_ways_differs() -> None:
    a = w("Panitia masih terus berkoordinasi dan akan menyampaikan keterangan lengkap")
    b = w("Panitia masih terus berkoordinasi dan menelusuri kejadian ini")
    assert differ(a, b) is not None
    inside_a = w("Saya sudah panik mencari pintu darurat, tetapi semua terkunci")
    inside_b = w("Saya sudah panik untuk pintu darurat, tetapi semua terkunci")
    assert differ(inside_a, inside_b) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the same words, other punctuation and case
        ("Kami masih mencari para korban di sungai.", "kami masih mencari para korban di sungai"),
        # an excerpt: one side quotes part of the remark
        (
            "Kami masih mencari para korban di sungai",
            "Kami masih mencari para korban di sungai itu sampai malam",
        ),
        # two windows on a longer remark, overlapping at opposite ends
        (
            "tim kami masih mencari para korban di sungai",
            "masih mencari para korban di sungai sampai malam",
        ),
        # a notation, not a rewording
        (
            "I reckon that 40per cent of the harbour has been flooded",
            "I reckon that 40% of the harbour has been flooded",
        ),
        # two different remarks that share a few common words
        (
            "Kami akan terus bekerja sampai semua ditemukan",
            "Pemerintah akan memberikan bantuan kepada keluarga",
        ),
        # a short quoted fragment whose few words a long remark also has
        (
            "Menurut kesepakatan ini, kota akan menerima sejumlah besar dan berbagai jenis "
            "bantuan dari provinsi, yang akan dibagikan kepada warga di pengungsian",
            "dalam jumlah besar dan berbagai jenis",
        ),
        # a short remark sharing a few words with a long one
        (
            "Korban tewas ada di angkot, tujuh orang meninggal dan tiga korban luka berat "
            "dari sopir truk dan kernet",
            "Kemudian tiga luka berat dari truk",
        ),
    ],
)
def test_not_a_rewording(a: str, b: str) -> None:
    assert differ(w(a), w(b)) is None


def test_quotes_are_read_between_marks_with_original_offsets() -> None:
    text = "Ia berkata, \u201cKami masih mencari para korban di sungai,\u201d kata Budi."
    (q,) = quotes_in("a", 0, 100, text)
    assert q.text == "Kami masih mencari para korban di sungai"
    assert text[q.start - 100 : q.end - 100] == q.text
    assert list(quotes_in("a", 0, 0, '"Kami mencari mereka," katanya.')) == []  # too short
    assert (
        list(quotes_in("a", 0, 0, '"Kami masih mencari ... para korban di sungai," kata Budi.'))
        == []
    )


def test_the_judge_reports_a_reworded_quote_as_a_minor_quote_finding() -> None:
    out = judge_docs(
        {
            "a": [['"Saya sudah panik mencari pintu darurat, tetapi semua terkunci," kata Wira.']],
            "b": [['"Setelah itu saya panik untuk pintu darurat, semua terkunci," ujar Wira.']],
            "c": [
                ["Gedung itu dipenuhi asap."],
                ['"Saya sudah panik mencari pintu darurat, tetapi semua terkunci," kata Wira.'],
            ],
        }
    )
    got = out.filter(pl.col("kind") == "quote")
    assert sorted((r["a_article"], r["b_article"]) for r in got.iter_rows(named=True)) == [
        ("a", "b"),
        ("b", "c"),
    ]
    assert set(got["severity"]) == {"low"}


def test_one_quote_credited_to_two_people_is_left_to_attribution() -> None:
    ctx = context(
        {
            "a": [['"Kami masih mencari para korban di sungai itu," kata Budi Santoso.']],
            "b": [['"Kami terus mencari para korban di sungai," ujar Agus Salim.']],
        }
    )
    assert QuoteWording().compare(ctx) == []
    one = context(
        {
            "a": [['"Kami masih mencari para korban di sungai itu," kata Budi Santoso.']],
            "b": [['"Kami terus mencari para korban di sungai," ujar Budi Santoso.']],
        }
    )
    assert len(QuoteWording().compare(one)) == 1


def test_two_remarks_tells_two_quotes_from_one_remark_worded_apart() -> None:
    from consistency.judge.quotes import two_remarks

    a = ("a", 0, '"We evacuated everyone from the east wing before noon," the manager said.')
    b = ("b", 0, '"They evacuated everyone from the east wing just before noon," he said.')
    c = ("c", 0, '"The cause of the fire is still under investigation by the police," he said.')
    plain = ("d", 0, "The manager said the east wing was evacuated before noon.")
    assert not two_remarks(a, b)  # one remark, worded two ways
    assert two_remarks(a, c)
    assert not two_remarks(a, plain)  # no direct quote on one side: unknown
