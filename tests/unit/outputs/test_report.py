"""The report forms: the JSON contract, Markdown, HTML, Parquet, and reading JSON back."""

import json

import polars as pl
import pytest

from consistency.outputs.parquet import write_parquet
from consistency.outputs.report import (
    REPORT_SCHEMA,
    load_report,
    to_html,
    to_json_dict,
    to_markdown,
    write_json,
)
from consistency.types import ARTICLES, DIVERGENCES, SENTENCES, STORIES, InputError
from tests.make_report_small import build


@pytest.fixture(scope="module")
def report():
    return build()


def test_json_contract_shape_and_offsets(report):
    d = to_json_dict(report)
    assert d["schema"] == REPORT_SCHEMA
    assert set(d["generated_by"]) >= {"version", "embed_model", "nli_model"}
    texts = {a["id"]: a["text"] for a in d["articles"]}
    for a in d["articles"]:
        assert {"id", "outlet", "title", "published", "language", "n_sentences"} <= set(a)
    assert d["divergences"], "the fixture has findings"
    kinds = {"attribution", "date", "number", "name", "contradiction", "unique"}
    for f in d["divergences"]:
        assert f["kind"] in kinds and f["severity"] in {"high", "medium", "low"}
        assert 0.0 <= f["score"] <= 1.0
        for side in ("a", "b"):
            s = f[side]
            if s is None:
                continue
            assert s["text"] == texts[s["article_id"]][s["start"] : s["end"]]
            for h0, h1 in s["highlight"]:
                assert s["start"] <= h0 < h1 <= s["end"]


def test_json_sorted_by_severity_then_score(report):
    d = to_json_dict(report)
    ranks = [("high", "medium", "low").index(f["severity"]) for f in d["divergences"]]
    assert ranks == sorted(ranks)


def test_json_round_trip(tmp_path, report):
    p = tmp_path / "r.json"
    write_json(report, p)
    back = load_report(p)
    ARTICLES.validate(back.articles)
    DIVERGENCES.validate(back.divergences)
    SENTENCES.validate(back.sentences)
    assert to_json_dict(back)["divergences"] == to_json_dict(report)["divergences"]


def test_load_report_rejects_other_json(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"schema": "something/else"}))
    with pytest.raises(InputError, match="x.json"):
        load_report(p)
    p.write_text("{not json")
    with pytest.raises(InputError, match="not a readable JSON report"):
        load_report(p)


def test_markdown_quotes_both_sentences_with_highlights(report):
    md = to_markdown(report)
    d = to_json_dict(report)
    f = next(f for f in d["divergences"] if f["b"] is not None)
    for side in ("a", "b"):
        s = f[side]
        h0, h1 = s["highlight"][0]
        word = next(a["text"] for a in d["articles"] if a["id"] == s["article_id"])[h0:h1]
        assert f"**{word}**" in md
    assert f["explanation"] in md


def test_html_escapes_and_marks(report):
    page = to_html(report)
    assert page.startswith("<!doctype html>")
    assert "<mark>" in page
    assert page.count("<script") == 1  # only the filter's own inline script
    assert "src=" not in page and 'href="http' not in page  # no external assets


def test_parquet_writes_stage_frames(tmp_path, report):
    paths = write_parquet(report, tmp_path / "pq")
    names = sorted(p.stem for p in paths)
    assert names == ["articles", "claims", "divergences", "facts", "pairs", "sentences", "stories"]
    STORIES.validate(pl.read_parquet(tmp_path / "pq" / "stories.parquet"))
    back = pl.read_parquet(tmp_path / "pq" / "divergences.parquet")
    DIVERGENCES.validate(back)
    assert back.height == report.divergences.height


def test_parquet_claims_hold_every_value_and_span_of_the_claims_list(tmp_path, report):
    import dataclasses

    claims = [
        {
            "id": "g1",
            "slot": "dead",
            "subject": None,
            "conflict": True,
            "values": [
                {
                    "value": v,
                    "qualifier": "exact",
                    "outlets": [aid],
                    "spans": [{"article_id": aid, "sent_idx": 0, "start": 0, "end": 2, "text": t}],
                }
                for v, aid, t in (
                    ("12", report.articles["article_id"][0], "12"),
                    ("11", report.articles["article_id"][1], "11"),
                )
            ],
        }
    ]
    loaded = dataclasses.replace(report, claims=None, loaded_claims=tuple(claims))
    write_parquet(loaded, tmp_path / "pq")
    back = pl.read_parquet(tmp_path / "pq" / "claims.parquet")
    assert back.height == 2
    assert set(back["value"]) == {"12", "11"} and back["conflict"].all()
    assert set(back["article_id"]) == set(report.articles["article_id"][:2])
