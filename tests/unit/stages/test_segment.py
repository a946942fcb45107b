"""Tests for consistency.stages.segment: offsets, block boundaries, the gold set."""

from __future__ import annotations

import json

import polars as pl
import pytest

from consistency.stages.clean import clean
from consistency.stages.ingest import read_inputs
from consistency.stages.segment import segment, split_sentences
from consistency.types import ARTICLES, BLOCKS, SENTENCES
from tests.conftest import REPO_ROOT, TEST_DATA

ROOT = REPO_ROOT
GOLD = TEST_DATA / "segment_gold.jsonl"


def _gold() -> list[dict[str, object]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


def _articles(texts: dict[str, str]) -> pl.DataFrame:
    rows = [
        {
            "article_id": aid,
            "source": f"{aid}.txt",
            "outlet": None,
            "title": None,
            "url": None,
            "published": None,
            "language": "id",
            "text": text,
            "text_sha": aid,
        }
        for aid, text in texts.items()
    ]
    return ARTICLES.validate(pl.DataFrame(rows, schema=ARTICLES.polars_schema))


@pytest.fixture(scope="module")
def seeds() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    articles = read_inputs([str(ROOT / "data")]).articles
    blocks = clean(articles)
    return articles, blocks, segment(articles, blocks)


def test_gold_set_has_enough_items_in_both_languages() -> None:
    items = _gold()
    assert len(items) >= 30
    assert {it["lang"] for it in items} == {"id", "en"}
    for it in items:  # the expected sentences are spans of the text, in order
        pos = 0
        for s in it["sentences"]:  # type: ignore[attr-defined]
            pos = str(it["text"]).index(s, pos)


def test_gold_set_accuracy_is_one() -> None:
    items = _gold()
    wrong = []
    for it in items:
        text = str(it["text"])
        got = [text[s:e] for s, e in split_sentences(text)]
        if got != it["sentences"]:
            wrong.append((it["id"], got))
    accuracy = 1 - len(wrong) / len(items)
    assert accuracy == 1.0, wrong


def test_segment_schema_and_offsets_on_seeds(seeds) -> None:
    articles, blocks, sentences = seeds
    SENTENCES.validate(sentences)
    texts = dict(articles.select("article_id", "text").iter_rows())
    assert sentences.height > 50
    for row in sentences.iter_rows(named=True):
        assert texts[row["article_id"]][row["start"] : row["end"]] == row["text"]
        assert row["text"] == row["text"].strip()
        assert any(c.isalpha() for c in row["text"])


def test_sentences_only_from_kept_blocks_and_inside_them(seeds) -> None:
    _, blocks, sentences = seeds
    joined = sentences.join(blocks, on=["article_id", "block_idx"], how="left")
    assert joined["kept"].to_list() == [True] * joined.height
    assert (joined["start"] >= joined["start_right"]).all()
    assert (joined["end"] <= joined["end_right"]).all()


def test_sent_idx_is_dense_per_article(seeds) -> None:
    _, _, sentences = seeds
    for (aid,), grp in sentences.group_by(["article_id"]):
        assert grp["sent_idx"].sort().to_list() == list(range(grp.height)), aid


def test_sentences_never_cross_blocks() -> None:
    text = "Kalimat pertama tanpa titik\nKalimat kedua. Kalimat ketiga.\n\n(AP)\n123 456"
    articles = _articles({"a": text})
    sentences = segment(articles, clean(articles))
    assert sentences["text"].to_list() == [
        "Kalimat pertama tanpa titik",
        "Kalimat kedua.",
        "Kalimat ketiga.",
    ]


def test_dropped_blocks_give_no_sentences() -> None:
    text = "Berita utama hari ini.\nBaca Juga: Judul lain yang tidak terkait.\nPenutup berita."
    articles = _articles({"a": text})
    blocks = clean(articles)
    BLOCKS.validate(blocks)
    got = segment(articles, blocks)["text"].to_list()
    assert got == ["Berita utama hari ini.", "Penutup berita."]


def test_seed_quote_is_one_sentence_with_attribution(seeds) -> None:
    _, _, sentences = seeds
    tempo = sentences.filter(pl.col("article_id") == "001_c684a5b33f7a4c1a")["text"].to_list()
    quote = [s for s in tempo if "Kami mendesak Korea Utara" in s]
    assert len(quote) == 1
    assert quote[0].startswith("\u201cKami mendesak")
    assert quote[0].endswith("kata Kirby.")


def test_empty_inputs_give_empty_frame() -> None:
    articles = _articles({"a": "Satu kalimat."})
    out = segment(articles, BLOCKS.empty())
    assert out.height == 0
    SENTENCES.validate(out)


def test_trailing_agency_credit_is_not_a_sentence() -> None:
    text = "Putin memulihkan hubungan dengan Korea Utara. (AP)"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Putin memulihkan hubungan dengan Korea Utara."
    ]


def test_seed_agency_credit_dropped(seeds) -> None:
    _, _, sentences = seeds
    assert "(AP)" not in sentences["text"].to_list()
