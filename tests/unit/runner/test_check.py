"""The CI gate's logic: which findings count, thresholds, baselines, combining inputs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from consistency.outputs.report import write_json
from consistency.runner.check import (
    CORPUS_SUFFIX,
    Baseline,
    apply_baseline,
    at_or_above,
    combine_articles,
    finish,
    load_baseline,
    select_findings,
)
from consistency.types import ExitCode, InputError
from tests.check_case import CORPUS_TEXT, NEW_TEXT, articles_frame, make_case


def kinds(df: pl.DataFrame) -> set[str]:
    return set(df["kind"].to_list())


def test_only_findings_touching_new_articles_count(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    out = select_findings(case.report.divergences, case.new_ids, 4)
    assert kinds(out) == {"attribution", "number", "date", "unique"}
    only_new2 = select_findings(case.report.divergences, ["new2"], 4)
    assert kinds(only_new2) == {"date"}


def test_single_article_findings_need_something_to_compare_with(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    alone = select_findings(case.report.divergences, ["new"], 1)
    assert "unique" not in kinds(alone)
    assert "unique" in kinds(select_findings(case.report.divergences, ["new"], 2))


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        ("high", {"attribution"}),
        ("medium", {"attribution", "number"}),
        ("low", {"attribution", "number", "date", "unique"}),
    ],
)
def test_thresholds_and_exit_codes(tmp_path: Path, threshold: str, expected: set[str]) -> None:
    case = make_case(tmp_path)
    res = finish(case.report, case.new_ids, fail_on=threshold)
    assert kinds(res.failing) == expected
    assert res.exit_code == ExitCode.FINDINGS
    assert kinds(at_or_above(res.findings, threshold)) == expected


def test_no_finding_at_threshold_exits_zero(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    res = finish(case.report, ["new2"], fail_on="medium")
    assert res.findings.height == 1 and res.exit_code == ExitCode.OK


def test_json_report_baseline_suppresses_its_ids(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    first = finish(case.report, case.new_ids, fail_on="low")
    old = first.report.divergences.filter(pl.col("kind").is_in(["attribution", "date"]))
    from dataclasses import replace

    path = tmp_path / "previous.json"
    write_json(replace(first.report, divergences=old), path)
    base = load_baseline(path)
    assert base.known == frozenset(old["divergence_id"])
    res = finish(case.report, case.new_ids, fail_on="high", baseline=base)
    assert kinds(res.findings) == {"number", "unique"}
    assert res.suppressed == 2
    assert res.exit_code == ExitCode.OK  # the only high finding was in the baseline


def test_review_export_baseline_suppresses_rejected_only(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    ids = dict(case.report.divergences.select("kind", "divergence_id").iter_rows())
    jsonl = tmp_path / "verdicts.jsonl"
    jsonl.write_text(
        json.dumps({"id": ids["attribution"], "verdict": "accepted"})
        + "\n"
        + json.dumps({"id": ids["number"], "verdict": "rejected"})
        + "\n",
        encoding="utf-8",
    )
    base = load_baseline(jsonl)
    assert base.rejected == {ids["number"]} and not base.known
    kept, n = apply_baseline(select_findings(case.report.divergences, case.new_ids, 4), base)
    assert n == 1 and "number" not in kinds(kept) and "attribution" in kinds(kept)

    csv_path = tmp_path / "verdicts.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "verdict", "note"])
        w.writeheader()
        w.writerow({"id": ids["attribution"], "verdict": "rejected", "note": "same person"})
    assert load_baseline(csv_path).rejected == {ids["attribution"]}


def test_review_session_baseline(tmp_path: Path) -> None:
    from consistency.outputs.review_store import ReviewStore

    case = make_case(tmp_path)
    ids = dict(case.report.divergences.select("kind", "divergence_id").iter_rows())
    session = tmp_path / "review.sqlite"
    with ReviewStore(session, reviewer="t") as store:
        store.set_verdict(ids["unique"], "rejected")
        store.set_verdict(ids["date"], "unsure")
    assert load_baseline(session) == Baseline(
        rejected=frozenset({ids["unique"]}), source=str(session)
    )


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("missing.json", None, "no such baseline"),
        ("bad.json", "{not json", "not a readable JSON report"),
        ("other.json", '{"schema": "x"}', "not a consistency.report/3 report"),
        ("bad.jsonl", '{"id": "a", "verdict": "maybe"}\n', "not a verdicts export"),
    ],
)
def test_bad_baselines_are_input_errors(
    tmp_path: Path, name: str, content: str | None, problem: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=problem) as e:
        load_baseline(path)
    assert e.value.source == str(path)


def test_combine_drops_corpus_copies_of_new_articles() -> None:
    new = articles_frame([("a", "new/a.txt", NEW_TEXT, None)])
    corpus = articles_frame(
        [
            ("a", "corpus/a.txt", NEW_TEXT, None),  # a copy: dropped
            ("a_copy", "corpus/a_copy.txt", NEW_TEXT, None),  # another copy: dropped
            ("b", "corpus/b.txt", CORPUS_TEXT, None),
        ]
    )
    arts, new_ids, dropped = combine_articles(new, corpus)
    assert new_ids == ("a",)
    assert set(dropped) == {"a", "a_copy"}
    assert arts["article_id"].to_list() == ["a", "b"]
    assert arts["source"].to_list() == ["new/a.txt", "corpus/b.txt"]


def test_combine_renames_colliding_corpus_ids() -> None:
    new = articles_frame([("a", "new/a.txt", NEW_TEXT, None)])
    corpus = articles_frame([("a", "old/a.txt", CORPUS_TEXT, None)])
    arts, new_ids, dropped = combine_articles(new, corpus)
    assert new_ids == ("a",) and dropped == ()
    assert arts["article_id"].to_list() == ["a", "a" + CORPUS_SUFFIX]
    assert arts["article_id"].n_unique() == 2


def test_the_corpus_index_is_saved_then_reused(tmp_path: Path) -> None:
    from consistency.config import AlignConfig, Settings
    from consistency.models.bundle import ModelChoice
    from consistency.models.cache import IndexCache
    from consistency.pipeline import RunOptions
    from consistency.runner.check import check_articles
    from tests.conftest import FakeEmbedder

    new = articles_frame([("new", "new.txt", NEW_TEXT, "Liputan6.com")])
    corpus = articles_frame([("corpus", "corpus.txt", CORPUS_TEXT, "Tempo.co")])
    cache = IndexCache(tmp_path)
    settings = Settings(align=AlignConfig(min_similarity=0.6, min_margin=0.05))
    models, options = ModelChoice(FakeEmbedder(), None), RunOptions(index_cache=cache)
    first = check_articles(new, corpus, settings, models, options)
    assert (cache.misses, cache.hits) == (1, 0)
    assert len(list((tmp_path / "faiss").glob("*.index"))) == 1
    second = check_articles(new, corpus, settings, models, options)
    assert (cache.misses, cache.hits) == (1, 1)
    assert second.report.pairs.equals(first.report.pairs) and first.report.pairs.height > 0
    # another corpus is another index
    other = articles_frame([("corpus", "c.txt", CORPUS_TEXT + "\n\nSatu kalimat baru.", None)])
    check_articles(new, other, settings, models, options)
    assert (cache.misses, cache.hits) == (2, 1)
