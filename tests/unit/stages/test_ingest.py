"""Tests for consistency.stages.ingest: formats, manifests, inference and every bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from consistency.stages.ingest import (
    decode_bytes,
    detect_language,
    infer_outlet,
    infer_published,
    infer_title,
    read_inputs,
)
from consistency.types import ARTICLES, InputError
from tests.conftest import REPO_ROOT, TEST_DATA

ROOT = REPO_ROOT
SEEDS = ROOT / "data"
INPUTS = TEST_DATA / "inputs"

ARTICLE_A = "Rusia meminta amunisi dari Korea Utara. Kirby menyampaikan hal itu di Washington."
ARTICLE_B = "Korea Utara membantah tuduhan AS soal senjata. Pyongyang menyebutnya fitnah."


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _seed_copy(tmp_path: Path) -> Path:
    """The seed texts without their manifest (so that inference is what is tested)."""
    out = tmp_path / "seeds"
    out.mkdir()
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, out / p.name)
    return out


# --------------------------------------------------------------------------- the seeds


def test_seeds_with_manifest() -> None:
    res = read_inputs([str(SEEDS)])
    df = ARTICLES.validate(res.articles)
    assert res.warnings == ()
    assert df.height == 5
    by_id = {r["article_id"]: r for r in df.iter_rows(named=True)}
    assert by_id["000_9b865fec89df9cf3"]["outlet"] == "SINDOnews"
    assert by_id["000_9b865fec89df9cf3"]["published"] == dt.date(2023, 8, 30)
    assert by_id["003_9757f6eef2e2ffa6"]["published"] is None  # "Senin (5/9)": no year
    assert by_id["004_5f77a61573f7ebc0"]["outlet"] == "VOI"
    assert by_id["004_5f77a61573f7ebc0"]["published"] is None  # "Rabu (30/8)": no year
    assert set(df["language"]) == {"id"}
    for row in df.iter_rows(named=True):  # text exactly as the file reads
        assert (SEEDS / f"{row['article_id']}.txt").read_text(encoding="utf-8") == row["text"]


def test_outlet_and_date_inferred_from_seed_texts(tmp_path: Path) -> None:
    df = read_inputs([str(_seed_copy(tmp_path))]).articles
    got = {r["article_id"][:3]: (r["outlet"], r["published"]) for r in df.iter_rows(named=True)}
    assert got["000"] == (None, dt.date(2023, 8, 30))  # "WASHINGTON -": no outlet shown
    assert got["001"] == ("Tempo.co", dt.date(2023, 8, 31))  # "TEMPO.CO, Jakarta -"
    assert got["002"] == ("Liputan6.com", dt.date(2023, 9, 5))  # "Liputan6.com, Washington -"
    assert got["003"] == ("SATUHARAPAN.COM", None)  # "WASHINGTON DC, SATUHARAPAN.COM-"
    assert got["004"] == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TEMPO.CO, Jakarta - Hubungan kian dekat.", "Tempo.co"),
        ("Liputan6.com, Washington - Kim berencana.", "Liputan6.com"),
        ("WASHINGTON DC, SATUHARAPAN.COM-Kementerian Pertahanan.", "SATUHARAPAN.COM"),
        ("JAKARTA, KOMPAS.com - Presiden meresmikan.", "Kompas.com"),
        ("JAKARTA (ANTARA) - Pemerintah menyatakan.", "ANTARA"),
        ("JAKARTA - Tanpa nama media.", None),
    ],
)
def test_infer_outlet(text: str, expected: str | None) -> None:
    assert infer_outlet(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kamis, 31 Agustus 2023 17:06 WIB\nIsi.", dt.date(2023, 8, 31)),
        ("seperti dilansir AP, Rabu (30/8/2023).", dt.date(2023, 8, 30)),
        ("pada Rabu (30/8). Tanpa tahun.", None),
        ("Published August 31, 2023 by staff.", dt.date(2023, 8, 31)),
        ("Thursday, August 31, 2023\nWASHINGTON (AP) - Text.", dt.date(2023, 8, 31)),
        ("Judul\n31 Agustus 2023, 17:06 WIB\nIsi.", dt.date(2023, 8, 31)),
        ("Pada 17 Agustus 1945 Indonesia merdeka.", None),  # a date in prose, not a dateline
        ("foto 25 April 2019 lalu, Selasa (5/9/2023).", dt.date(2023, 9, 5)),
        ("tanggal tak mungkin (31/2/2023).", None),
    ],
)
def test_infer_published(text: str, expected: dt.date | None) -> None:
    assert infer_published(text) == expected


def test_infer_title_skips_widget_words_and_prose() -> None:
    assert (
        infer_title("Sukses\n\nKim dan Putin Akan Bertemu\n\nIsi.") == "Kim dan Putin Akan Bertemu"
    )
    assert infer_title("JAKARTA - Ini paragraf pertama yang berupa kalimat biasa.") is None


def test_detect_language() -> None:
    assert detect_language(ARTICLE_A + " " + ARTICLE_B) == "id"
    en = "The White House said on Wednesday that Russia is seeking ammunition from North Korea."
    assert detect_language(en) == "en"
    assert detect_language("12 34 56 !!") == "und"


# --------------------------------------------------------------------------- formats


def test_jsonl_with_metadata_and_line_sources() -> None:
    res = read_inputs([str(INPUTS / "two.jsonl")])
    df = res.articles
    assert df["article_id"].to_list() == ["en-1", "id-1"]
    assert df["source"].to_list()[1].endswith("two.jsonl:2")
    en = df.row(0, named=True)
    assert en["outlet"] == "Example Wire"
    assert en["published"] == dt.date(2023, 8, 30)
    assert en["url"] == "https://wire.example.org/1"
    assert df["language"].to_list() == ["en", "id"]
    assert res.warnings == ()


def test_json_object_and_list(tmp_path: Path) -> None:
    _write(tmp_path / "one.json", json.dumps({"text": ARTICLE_A, "outlet": "X"}))
    _write(tmp_path / "many.json", json.dumps([{"id": "m1", "text": ARTICLE_B}, {"text": "B2 x."}]))
    df = read_inputs([str(tmp_path)]).articles
    assert sorted(df["article_id"]) == ["m1", "many-2", "one"]
    assert df.filter(pl.col("article_id") == "one")["outlet"][0] == "X"


CLUSTER = {
    "cluster_id": "marapi-2023-12",
    "description": "two outlets on one eruption",
    "articles": [
        {
            "id": "M1",
            "url": "https://one.example/marapi",
            "outlet": "kompas.com",
            "title": "Marapi meletus",
            "published": "2023-12-03",
            "language": "id",
            "written": "rewritten from the source page's facts",
            "text": ARTICLE_A,
        },
        {"id": 2, "outlet": "Example Wire", "published": "2023-12", "text": ARTICLE_B},
        {"text": "Artikel ketiga tanpa id. Isinya pendek saja."},
    ],
    "gold_divergences": [{"id": "g1", "type": "number", "a": {"article_id": "M1"}}],
}


def test_cluster_file_is_read_as_its_articles(tmp_path: Path) -> None:
    path = _write(tmp_path / "cluster.json", json.dumps(CLUSTER, indent=1))
    res = read_inputs([str(path)])
    df = res.articles
    assert df["article_id"].to_list() == ["M1", "2", "cluster-3"]
    assert df["source"].to_list() == [f"{path}:articles[{i}]" for i in range(3)]
    m1 = df.row(0, named=True)
    assert (m1["outlet"], m1["title"], m1["url"], m1["language"]) == (
        "kompas.com",
        "Marapi meletus",
        "https://one.example/marapi",
        "id",
    )
    assert m1["published"] == dt.date(2023, 12, 3) and m1["text"] == ARTICLE_A
    two = df.row(1, named=True)
    assert (two["outlet"], two["published"], two["published_precision"]) == (
        "Example Wire",
        dt.date(2023, 12, 1),
        "month",
    )
    assert res.warnings == ()
    # found in a directory as well, beside other articles
    _write(tmp_path / "other.txt", "Teks lain di folder yang sama. Isinya juga pendek.")
    assert read_inputs([str(tmp_path)]).articles.height == 4


@pytest.mark.parametrize(
    ("doc", "where", "problem"),
    [
        (
            {"articles": "M1"},
            "c.json",
            "'articles' must be a list of article objects, not a string",
        ),
        ({"articles": [{"id": "a", "text": "x"}, {"id": "b"}]}, "c.json:articles[1]", "'text'"),
        ({"articles": [{"id": "a", "text": ["x"]}]}, "c.json:articles[0]", "'text' must be"),
        ({"articles": [{"text": "x", "title": 3}]}, "c.json:articles[0]", "'title' must be"),
        ({"articles": ["x"]}, "c.json:articles[0]", "expected a JSON object"),
        ({"cluster_id": "c"}, "c.json", "without 'text' (an article) or 'articles' (a cluster)"),
    ],
)
def test_bad_cluster_is_one_line_naming_the_file(
    tmp_path: Path, doc: object, where: str, problem: str
) -> None:
    path = _write(tmp_path / "c.json", json.dumps(doc))
    with pytest.raises(InputError) as exc:
        read_inputs([str(path)])
    msg = str(exc.value)
    assert "\n" not in msg
    assert exc.value.source == str(tmp_path / where)
    assert problem in exc.value.problem, msg


def test_cluster_with_no_articles_is_skipped_with_a_warning(tmp_path: Path) -> None:
    _write(tmp_path / "empty.json", json.dumps({"cluster_id": "c", "articles": []}))
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "b.txt", ARTICLE_B)
    res = read_inputs([str(tmp_path)])
    assert res.articles.height == 2
    assert any("empty.json" in w and "empty 'articles' list" in w for w in res.warnings)


def test_cluster_file_is_held_to_the_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.json", json.dumps(CLUSTER))
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "b.txt", ARTICLE_B)
    res = read_inputs([str(tmp_path)], max_bytes=path.stat().st_size - 1)
    assert sorted(res.articles["article_id"]) == ["a", "b"]
    assert any("big.json" in w and "exceeds the limit" in w for w in res.warnings)


def test_html_goes_through_the_extractor() -> None:
    res = read_inputs([str(INPUTS / "kirby.html")])
    row = res.articles.row(0, named=True)
    assert row["language"] == "en"
    assert row["title"] == "White House says Russia seeks North Korean ammunition"
    assert row["published"] == dt.date(2023, 8, 30)
    assert "We urge the DPRK" in row["text"]
    for junk in ("<p>", "Advertisement", "Markets rally", "Privacy", "Copyright"):
        assert junk not in row["text"]


def test_stdin_jsonl_and_plain_text() -> None:
    lines = "\n".join(
        json.dumps({"id": i, "text": t}) for i, t in [("a", ARTICLE_A), ("b", ARTICLE_B)]
    )
    df = read_inputs(["-"], stdin=io.StringIO(lines)).articles
    assert df["article_id"].to_list() == ["a", "b"]
    assert df["source"].to_list() == ["<stdin>:1", "<stdin>:2"]
    res = read_inputs(["-"], stdin=io.StringIO(ARTICLE_A))
    assert res.articles["article_id"].to_list() == ["stdin"]
    assert res.articles["text"][0] == ARTICLE_A


def test_stdin_malformed_jsonl_names_the_line() -> None:
    data = json.dumps({"id": "a", "text": ARTICLE_A}) + "\n{broken\n"
    with pytest.raises(InputError) as exc:
        read_inputs(["-"], stdin=io.StringIO(data))
    assert exc.value.source == "<stdin>:2"


def test_directory_is_recursive_and_sorted(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", ARTICLE_B)
    _write(tmp_path / "sub" / "a.md", ARTICLE_A)
    _write(tmp_path / ".hidden" / "c.txt", "Tersembunyi sekali.")
    df = read_inputs([str(tmp_path)]).articles
    assert df["article_id"].to_list() == ["b", "a"] or df["article_id"].to_list() == ["a", "b"]
    assert set(df["article_id"]) == {"a", "b"}


def test_colliding_stems_get_unique_ids(tmp_path: Path) -> None:
    _write(tmp_path / "x" / "story.txt", ARTICLE_A)
    _write(tmp_path / "y" / "story.txt", ARTICLE_B)
    res = read_inputs([str(tmp_path)])
    assert sorted(res.articles["article_id"]) == ["story", "story-2"]
    assert any("already taken" in w for w in res.warnings)


def test_bom_is_dropped_and_offsets_index_the_stored_text(tmp_path: Path) -> None:
    _write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + ARTICLE_A.encode())
    _write(tmp_path / "other.txt", ARTICLE_B)
    df = read_inputs([str(tmp_path)]).articles
    assert df.filter(pl.col("article_id") == "bom")["text"][0] == ARTICLE_A


# --------------------------------------------------------------------------- manifests


def test_manifest_csv_by_file_and_never_an_article(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "b.txt", ARTICLE_B)
    _write(
        tmp_path / "manifest.csv",
        "file,id,outlet,published,language,url,title\n"
        "a.txt,alpha,Koran A,2023-08-30,id,https://a.example/1,Judul A\n",
    )
    res = read_inputs([str(tmp_path)])
    df = res.articles
    assert sorted(df["article_id"]) == ["alpha", "b"]
    alpha = df.filter(pl.col("article_id") == "alpha").row(0, named=True)
    assert (alpha["outlet"], alpha["published"], alpha["url"], alpha["title"]) == (
        "Koran A",
        dt.date(2023, 8, 30),
        "https://a.example/1",
        "Judul A",
    )
    assert not any(s.endswith("manifest.csv") for s in df["source"])


def test_manifest_jsonl_by_id_fills_only_missing_fields(tmp_path: Path) -> None:
    _write(
        tmp_path / "arts.jsonl",
        json.dumps({"id": "a", "text": ARTICLE_A, "outlet": "Own"})
        + "\n"
        + json.dumps({"id": "b", "text": ARTICLE_B})
        + "\n",
    )
    _write(
        tmp_path / "manifest.jsonl",
        json.dumps({"id": "a", "outlet": "Manifest", "published": "2023-09-05"})
        + "\n"
        + json.dumps({"id": "b", "outlet": "Koran B"})
        + "\n",
    )
    df = read_inputs([str(tmp_path)]).articles
    rows = {r["article_id"]: r for r in df.iter_rows(named=True)}
    assert rows["a"]["outlet"] == "Own"
    assert rows["a"]["published"] == dt.date(2023, 9, 5)
    assert rows["b"]["outlet"] == "Koran B"


def test_manifest_next_to_an_explicit_file_applies(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "manifest.csv", "file,outlet\na.txt,Koran A\n")
    df = read_inputs([str(tmp_path / "a.txt")]).articles
    assert df["outlet"][0] == "Koran A"


def test_manifest_given_explicitly_is_not_an_article(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    m = _write(tmp_path / "manifest.csv", "file,outlet\na.txt,Koran A\n")
    res = read_inputs([str(m), str(tmp_path / "a.txt")])
    assert res.articles.height == 1
    assert any(w.startswith(str(m)) and "manifest" in w for w in res.warnings)


def test_manifest_bad_date_is_a_warning_and_the_article_is_kept(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "manifest.csv", "file,published\na.txt,30/08/2023\n")
    res = read_inputs([str(tmp_path)])
    assert res.articles.height == 1
    (w,) = [w for w in res.warnings if "published" in w]
    assert w.startswith(str(tmp_path / "manifest.csv") + ":2: field 'published'")
    assert "30/08/2023" in w


# --------------------------------------------------------------------------- bad input


def test_empty_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "b.txt", ARTICLE_B)
    empty = _write(tmp_path / "empty.txt", "  \n\t\n")
    res = read_inputs([str(tmp_path)])
    assert res.articles.height == 2
    assert f"{empty}: empty or whitespace-only, skipped" in res.warnings


def test_binary_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "b.txt", ARTICLE_B)
    binary = _write(tmp_path / "image.txt", bytes(range(256)) * 8)
    res = read_inputs([str(tmp_path)])
    assert res.articles.height == 2
    [w] = [w for w in res.warnings if w.startswith(str(binary))]
    assert "binary" in w and "skipped" in w


def test_file_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "b.txt", ARTICLE_B)
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # 50 MB without writing 50 MB (sparse); never read
        f.truncate(50 * 1024 * 1024)
    res = read_inputs([str(tmp_path)])
    assert res.articles.height == 2
    [w] = [w for w in res.warnings if w.startswith(str(big))]
    assert "50.0 MB" in w and "20.0 MB" in w and "skipped" in w


def test_non_utf8_cp1252_is_decoded_with_a_warning(tmp_path: Path) -> None:
    text = "Pemerintah \u201cmenegaskan\u201d harga caf\u00e9 turun 5% \u2014 kata menteri. " * 3
    legacy = _write(tmp_path / "legacy.txt", text.encode("cp1252"))
    _write(tmp_path / "b.txt", ARTICLE_B)
    res = read_inputs([str(tmp_path)])
    got = res.articles.filter(pl.col("article_id") == "legacy")["text"][0]
    assert got == text
    assert f"{legacy}: not UTF-8; decoded as cp1252" in res.warnings


def test_decode_bytes_non_latin_legacy_encoding() -> None:
    ru = "Правительство заявило, что цены на хлеб снизятся в следующем месяце. " * 2
    text, warning = decode_bytes(ru.encode("cp1251"), "ru.txt")
    assert text == ru
    assert warning is not None and "cp1251" in warning


def test_undecodable_bytes_are_skipped() -> None:
    text, warning = decode_bytes(bytes(range(128, 256)) * 10, "x.txt")
    assert text is None
    assert warning is not None and warning.startswith("x.txt:")


def test_one_article_only_warns() -> None:
    res = read_inputs([str(SEEDS / "001_c684a5b33f7a4c1a.txt")])
    assert res.articles.height == 1
    assert any("only one article" in w for w in res.warnings)
    quiet = read_inputs([str(SEEDS / "001_c684a5b33f7a4c1a.txt")], warn_single=False)
    assert quiet.articles.height == 1 and quiet.warnings == ()


def test_two_identical_articles_second_dropped(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.txt", ARTICLE_A)
    second = _write(tmp_path / "copy.txt", ARTICLE_A)
    _write(tmp_path / "b.txt", ARTICLE_B)
    res = read_inputs([str(tmp_path)])
    assert sorted(res.articles["article_id"]) == ["a", "b"]
    [w] = [w for w in res.warnings if "same text" in w]
    assert w.startswith(str(second)) and str(first) in w


def test_unknown_extension_ignored_in_directory(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "b.txt", ARTICLE_B)
    _write(tmp_path / "notes.docx", b"PK\x03\x04 not an article")
    _write(tmp_path / "data.csv", "x,y\n1,2\n")
    res = read_inputs([str(tmp_path)])
    assert sorted(res.articles["article_id"]) == ["a", "b"]
    assert res.warnings == ()


def test_unknown_extension_given_explicitly_warns_and_reads(tmp_path: Path) -> None:
    odd = _write(tmp_path / "story.log", ARTICLE_A)
    other = _write(tmp_path / "b.txt", ARTICLE_B)
    res = read_inputs([str(odd), str(other)])
    assert res.articles["article_id"].to_list() == ["story", "b"]
    assert any(w.startswith(str(odd)) and "unknown extension" in w for w in res.warnings)


def test_malformed_jsonl_line_names_the_line_number(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "a", "text": ARTICLE_A}), "", '{"id": "b", "text": oops}']
    bad = _write(tmp_path / "bad.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        read_inputs([str(bad)])
    assert exc.value.source == f"{bad}:3"
    assert exc.value.problem.startswith("malformed JSON line")
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("obj", [{"text": "no id"}, {"id": "x"}])
def test_jsonl_object_without_id_or_text(tmp_path: Path, obj: dict[str, str]) -> None:
    bad = _write(
        tmp_path / "bad.jsonl", json.dumps({"id": "a", "text": "ok"}) + "\n" + json.dumps(obj)
    )
    with pytest.raises(InputError) as exc:
        read_inputs([str(bad)])
    assert exc.value.source == f"{bad}:2"
    assert "without" in exc.value.problem


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError) as exc:
        read_inputs([str(missing)])
    assert str(exc.value) == f"{missing}: no such file or directory"


def test_no_readable_articles_is_an_input_error(tmp_path: Path) -> None:
    _write(tmp_path / "empty.txt", "")
    _write(tmp_path / "bin.txt", b"\x00\x01\x02")
    with pytest.raises(InputError) as exc:
        read_inputs([str(tmp_path)])
    assert exc.value.problem.startswith("no readable articles")
    assert exc.value.source == str(tmp_path)


def test_warnings_are_single_lines_starting_with_the_file(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "a2.txt", ARTICLE_A)
    _write(tmp_path / "e.txt", "")
    _write(tmp_path / "bin.txt", b"\x00abc")
    res = read_inputs([str(tmp_path)])
    assert len(res.warnings) >= 3
    for w in res.warnings:
        assert "\n" not in w
        assert w.startswith(str(tmp_path))


def test_unreadable_file_in_directory_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    _write(tmp_path / "b.txt", ARTICLE_B)
    locked = _write(tmp_path / "locked.txt", "Rahasia negara yang tidak boleh dibaca.")
    real_open = Path.open

    def fake_open(self: Path, *a: object, **k: object) -> object:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", fake_open)
    res = read_inputs([str(tmp_path)])
    assert sorted(res.articles["article_id"]) == ["a", "b"]
    assert f"{locked}: cannot read (Permission denied), skipped" in res.warnings
    with pytest.raises(InputError) as exc:
        read_inputs([str(locked)])
    assert str(exc.value) == f"{locked}: cannot read: Permission denied"


def test_input_rows_read_back_as_the_same_articles(tmp_path: Path) -> None:
    import json

    from consistency.stages.ingest import input_rows, read_inputs

    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "text": "Banjir melanda kota itu.", "outlet": "x.id", '
        '"published": "2023-09-12", "language": "id"}\n',
        encoding="utf-8",
    )
    first = read_inputs([str(path)]).articles
    again = tmp_path / "again.jsonl"
    again.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in input_rows(first)),
        encoding="utf-8",
    )
    second = read_inputs([str(again)]).articles
    cols = ["article_id", "text", "outlet", "title", "published", "language"]
    assert second.select(cols).to_dicts() == first.select(cols).to_dicts()
    assert input_rows(first)[0]["published"].startswith("2023-09-12")


@pytest.mark.parametrize("lines", [20, 30, 40])
def test_control_characters_decide_alike_with_lf_and_crlf(lines: int) -> None:
    # a share of control characters near the 1% cut: carriage returns must not
    # dilute it, or one file is binary with LF and text with CRLF
    from consistency.stages.ingest.decode import decode_bytes

    body = "\x1b" + "\n".join("ab" for _ in range(lines)) + "\n"
    lf = decode_bytes(body.encode(), "lf.txt")
    crlf = decode_bytes(body.replace("\n", "\r\n").encode(), "crlf.txt")
    assert (lf[0] is None) == (crlf[0] is None)
    if lf[0] is not None and crlf[0] is not None:
        assert crlf[0].replace("\r\n", "\n") == lf[0]
