"""Tests for consistency.stages.clean: blocks, offsets, boilerplate on the seeds."""

from __future__ import annotations

import polars as pl
import pytest

from consistency.stages.clean import classify_line, clean, clean_text, iter_blocks
from consistency.stages.ingest import read_inputs
from consistency.types import ARTICLES, BLOCKS
from tests.conftest import REPO_ROOT

ROOT = REPO_ROOT


@pytest.fixture(scope="module")
def seeds() -> tuple[pl.DataFrame, pl.DataFrame]:
    articles = read_inputs([str(ROOT / "data")]).articles
    return articles, clean(articles)


def _kept_text(articles: pl.DataFrame, blocks: pl.DataFrame, article_id: str) -> str:
    text = articles.filter(pl.col("article_id") == article_id)["text"][0]
    kept = blocks.filter((pl.col("article_id") == article_id) & pl.col("kept"))
    return "\n".join(text[s:e] for s, e in kept.select("start", "end").iter_rows())


def test_schema(seeds) -> None:
    articles, blocks = seeds
    BLOCKS.validate(blocks)
    assert set(blocks["article_id"]) == set(articles["article_id"])


def test_block_offsets_are_stripped_spans_of_the_original(seeds) -> None:
    articles, blocks = seeds
    texts = dict(articles.select("article_id", "text").iter_rows())
    for aid, _idx, start, end, kept, reason in blocks.iter_rows():
        span = texts[aid][start:end]
        assert span and span == span.strip()
        assert "\n" not in span
        assert (reason is None) == kept


def test_iter_blocks_keeps_original_offsets() -> None:
    text = "  Judul\xa0\r\n\r\n\tParagraf satu.  \n\nParagraf dua.\n"
    spans = list(iter_blocks(text))
    assert [text[s:e] for s, e in spans] == ["Judul", "Paragraf satu.", "Paragraf dua."]


BOILERPLATE = [
    ("loading...", "loading"),
    ("A", "font-size"),
    ("A A A", "font-size"),
    ("Advertising", "advertising"),
    ("Baca Juga:", "see-also"),
    ("Baca juga: Harga Cabai Naik Lagi", "see-also"),
    ("Baca Selengkapnya", "read-more"),
    ("Pilihan Editor: RI Komentari Soal Peta Baru Cina", "editors-pick"),
    ("2 dari 2 halaman", "pagination"),
    ("2 jam lalu", "time-ago"),
    ("Editor : Sabar Subekti", "credit"),
    ("Penulis: Budi | Editor: Ani", "credit"),
    ("Reporter", "credit"),
    ("Sumber: Antara", "credit"),
    ("(ian)", "signature"),
    ("REUTERS", "agency"),
    ("Foto: ANTARA/Budi", "caption"),
    ("FOTO/Istimewa", "caption"),
    ("Warga antre di pasar, Senin. ANTARA FOTO/Budi Candra", "caption"),
    ("Kim dan Putin berjabat tangan di Vladivostok. KCNA melalui REUTERS", "caption"),
    ("Sukses", "ui"),
    ("Bagikan", "ui"),
    ("Home > Internasional > Asia", "breadcrumb"),
    ("Tempo.co", "outlet"),
    ("Kamis, 31 Agustus 2023 17:06 WIB", "dateline"),
    ("***", "no-letters"),
    ("Reporting by Humeyra Pamuk; Editing by Grant McCool", "credit"),
    ("Related: Markets rally on rate hopes", "see-also"),
    ("Ilustrasi bendera Korea Utara. (Foto: Reuters)", "caption"),
    ("Ikuti berita terkini di Google News", "promo"),
    ("Sign up for our daily newsletter", "promo"),
    ("© 2023 Example News. All rights reserved.", "copyright"),
]


@pytest.mark.parametrize(("line", "rule"), BOILERPLATE)
def test_boilerplate_rules(line: str, rule: str) -> None:
    assert classify_line(line) == rule


PROSE = [
    "Sumber daya alam Indonesia sangat melimpah di wilayah timur.",
    "Kirby mengatakan bahwa Rusia sedang mencari peluru artileri tambahan.",
    "Editor senior itu mengundurkan diri pekan lalu setelah bertugas 20 tahun.",
    "Reuters melaporkan bahwa kesepakatan itu hampir tercapai.",
    "Foto-foto satelit menunjukkan kereta yang melintas perbatasan.",
    "Kesepakatan Signifikan bagi Rusia",
    "Baik Rusia maupun Ukraina sama-sama kehabisan amunisi.",
    "Reporting on the war has become dangerous, editors said.",
    "Share prices fell 3 percent on Monday.",
    "Photo agencies were not allowed into the venue.",
]


@pytest.mark.parametrize("line", PROSE)
def test_prose_is_not_boilerplate(line: str) -> None:
    assert classify_line(line) is None


def test_duplicate_paragraphs_keep_the_first() -> None:
    text = "Satu dua tiga.\nEmpat lima.\nSatu  dua tiga.\n"
    rows = clean_text(text)
    assert [(k, r) for _, _, k, r in rows] == [(True, None), (True, None), (False, "duplicate")]


def test_related_list_is_a_trailer() -> None:
    text = "Isi berita.\nBerita terkait\nJudul lain\n2 jam lalu\nIsi teaser yang panjang.\n"
    rows = clean_text(text)
    assert [k for _, _, k, _ in rows] == [True, False, False, False, False]
    assert rows[2][3] == "trailer:related"


def test_closing_credit_starts_a_trailer_only_late() -> None:
    early = "Reporter: Ani\n" + "Isi berita yang panjang sekali. " * 10 + "\nPenutup."
    assert all(k for _, _, k, _ in clean_text(early)[1:])
    late = "Isi berita yang panjang sekali. " * 10 + "\nEditor : Ani\nJudul Lain\nTeaser..."
    assert [k for _, _, k, _ in clean_text(late)] == [True, False, False, False]


def test_dateline_prefix_left_out_of_span() -> None:
    text = "Judul Berita Hari Ini\nTEMPO.CO, Jakarta - Hubungan kedua negara kian dekat."
    rows = clean_text(text)
    assert text[rows[1][0] : rows[1][1]] == "Hubungan kedua negara kian dekat."


def test_a_date_heading_a_timeline_is_kept_and_a_bare_date_line_is_not() -> None:
    text = "Api melalap depo itu.\n\nJumat, 3 Maret 2023\n\n20.11 WIB – Laporan diterima"
    assert [k for _, _, k, _ in clean_text(text)] == [True, True, True]
    text = "Api melalap depo itu.\n\nJumat, 3 Maret 2023\n\nApi padam pada dini hari."
    assert [r for _, _, _, r in clean_text(text)] == [None, "boilerplate:dateline", None]


def test_no_boilerplate_survives_on_seeds(seeds) -> None:
    articles, blocks = seeds
    kept = {aid: _kept_text(articles, blocks, aid) for aid in articles["article_id"]}
    everything = "\n".join(kept.values())
    for needle in [
        "loading...",
        "\nA\n",
        "Advertising",
        "Baca Juga",
        "Baca Selengkapnya",
        "Berita terkait",
        "jam lalu",
        "hari lalu",
        "Pilihan Editor",
        "2 dari 2 halaman",
        "(ian)",
        "Editor :",
        "KCNA melalui REUTERS",
        "Awas Uang Palsu",
        "Peredaran uang palsu",
        "Sukses",
        # Tempo's list of related headlines
        "Adik Kim Jong Un Pastikan",
        "Xi Jinping dan Putin Makin Mesra",
        "Sri Lanka Akui 16 Warganya",
        "Jaksa ICC",
        "Kombes Faizal Ramadhani",
    ]:
        assert needle not in everything, needle
    tempo = kept["001_c684a5b33f7a4c1a"]
    assert "Kami mendesak Korea Utara" in tempo
    assert tempo.rstrip().endswith("Dewan Keamanan PBB.")


def test_sindonews_repeated_body_dropped_once(seeds) -> None:
    articles, blocks = seeds
    sindo = blocks.filter(pl.col("article_id") == "000_9b865fec89df9cf3")
    assert sindo.filter(pl.col("reason") == "duplicate").height == 9
    text = _kept_text(articles, blocks, "000_9b865fec89df9cf3")
    assert text.count("Kirby menolak merinci") == 1


def test_every_seed_keeps_its_prose(seeds) -> None:
    articles, blocks = seeds
    for aid in articles["article_id"]:
        kept = blocks.filter((pl.col("article_id") == aid) & pl.col("kept"))
        assert kept.height >= 8, aid


def test_clean_validates_input() -> None:
    from consistency.types import SchemaError

    with pytest.raises(SchemaError):
        clean(pl.DataFrame({"article_id": ["a"], "text": ["x"]}))
    assert clean(ARTICLES.empty()).height == 0


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
