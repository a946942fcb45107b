"""``consistency check`` end to end with real ingest and a fake pipeline: every exit code.

The pipeline is replaced by a small fake that finds an attribution divergence
when a focus article names Watson and another article names Kirby, and a
single-article "unique" finding for a focus article mentioning "rudal"; so
these tests exercise reading, combining, selection, baselines, rendering and
exit codes without models. The real pipeline is exercised by the slow tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from consistency import pipeline
from consistency.outputs.report import Report
from consistency.types import (
    ExitCode,
    ModelError,
)
from tests.check_case import CORPUS_TEXT, NEW_TEXT
from tests.conftest import TEST_DATA, invoke

SCHEMA_PATH = TEST_DATA / "sarif-2.1.0-schema.json"


def test_divergence_with_corpus_exits_1_and_names_both_files(work: Path) -> None:
    res = invoke("new.txt", "--against", "corpus")
    assert res.exit_code == ExitCode.FINDINGS, res.output
    assert "HIGH attribution" in res.output
    assert "new.txt:3:27: [new] Watson" in res.output
    assert "corpus/kirby.txt:1:1: [corpus] Kirby" in res.output
    # reading NEW alone is normal here: ingest's "only one article" warning is not shown
    assert "only one article" not in res.output


def test_check_against_a_copy_of_itself_is_an_input_error(work: Path) -> None:
    res = invoke("new.txt", "--against", "corpus/watson.txt", "--fail-on", "low")
    # the copy is dropped; an empty effective corpus is nothing to compare with
    assert res.exit_code == ExitCode.INPUT_ERROR, res.output
    assert "nothing to compare against: every corpus article is a copy" in res.output
    assert len(res.output.strip().splitlines()) == 1
    crlf = work / "crlf.txt"  # a Windows checkout of the same file is a copy too
    crlf.write_bytes(b"\xef\xbb\xbf" + NEW_TEXT.replace("\n", "\r\n").encode("utf-8"))
    res = invoke("new.txt", "--against", str(crlf))
    assert res.exit_code == ExitCode.INPUT_ERROR, res.output


def test_fail_on_threshold(work: Path) -> None:
    (work / "plain.txt").write_text("Korea Utara menguji rudal lagi.\n", encoding="utf-8")
    assert invoke("plain.txt", "--against", "corpus").exit_code == ExitCode.OK
    res = invoke("plain.txt", "--against", "corpus", "--fail-on", "low")
    assert res.exit_code == ExitCode.FINDINGS


def test_against_takes_several_values(work: Path) -> None:
    res = invoke("new.txt", "--against", "corpus/watson.txt", "corpus/kirby.txt")
    assert res.exit_code == ExitCode.FINDINGS
    res = invoke("new.txt", "--against", "corpus/kirby.txt", "--format", "json")
    assert res.exit_code == ExitCode.FINDINGS  # --format is not taken as a corpus path
    assert len(json.loads(res.output)["articles"]) == 2


def test_missing_path_is_an_input_error(work: Path) -> None:
    res = invoke("nope.txt", "--against", "corpus")
    assert res.exit_code == ExitCode.INPUT_ERROR
    assert "nope.txt" in res.output and "Traceback" not in res.output


def test_malformed_jsonl_line_is_named(work: Path) -> None:
    (work / "feed.jsonl").write_text(
        json.dumps({"id": "x", "text": CORPUS_TEXT}) + "\n{broken\n", encoding="utf-8"
    )
    res = invoke("new.txt", "--against", "feed.jsonl")
    assert res.exit_code == ExitCode.INPUT_ERROR
    assert "feed.jsonl" in res.output and "2" in res.output


def test_usage_errors_exit_2(work: Path) -> None:
    assert invoke("new.txt").exit_code == ExitCode.INPUT_ERROR  # no --against
    assert (
        invoke("new.txt", "--against", "corpus", "--format", "xml").exit_code
        == ExitCode.INPUT_ERROR
    )


def test_model_failure_exits_3(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*a: Any, **k: Any) -> Report:
        raise ModelError("could not load embedding model x: weights missing")

    monkeypatch.setattr(pipeline, "run_story", broken)
    res = invoke("new.txt", "--against", "corpus")
    assert res.exit_code == ExitCode.INTERNAL_ERROR
    assert "weights missing" in res.output


def test_baseline_from_previous_report_passes_the_build(work: Path) -> None:
    first = invoke("new.txt", "--against", "corpus", "--format", "json", "-o", "prev.json")
    assert first.exit_code == ExitCode.FINDINGS
    again = invoke("new.txt", "--against", "corpus", "--baseline", "prev.json")
    assert again.exit_code == ExitCode.OK, again.output
    assert "suppressed by the baseline" in again.output


def test_sarif_output_file_validates(work: Path) -> None:
    import jsonschema

    res = invoke("new.txt", "--against", "corpus", "--format", "sarif", "-o", "out/c.sarif")
    assert res.exit_code == ExitCode.FINDINGS
    log = json.loads((work / "out" / "c.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(log, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "new.txt"


@pytest.mark.parametrize("fmt", ["github", "junit", "text"])
def test_every_format_renders(work: Path, fmt: str) -> None:
    res = invoke("new.txt", "--against", "corpus", "--format", fmt)
    assert res.exit_code == ExitCode.FINDINGS
    assert "new.txt" in res.output


def test_jsonl_corpus_is_located_by_line_and_column(work: Path) -> None:
    first = json.dumps({"id": "other", "text": "Berita lain.\nTanpa nama."})
    second = json.dumps({"id": "kirby", "outlet": "Tempo.co", "text": CORPUS_TEXT})
    (work / "feed.jsonl").write_text(first + "\n" + second + "\n", encoding="utf-8")
    res = invoke("new.txt", "--against", "feed.jsonl")
    assert res.exit_code == ExitCode.FINDINGS, res.output
    col = second.index("Kirby") + 1  # in the line as written: after the escaped quotes
    assert f"feed.jsonl:2:{col}: [corpus] Kirby" in res.output
    assert CORPUS_TEXT.index("Kirby") + 1 != col  # not the column in the decoded text
    res = invoke("new.txt", "--against", "feed.jsonl", "--format", "github")
    assert f"Compare feed.jsonl:2:{col} (Tempo.co): Kirby" in res.output


def test_jsonl_new_article_is_annotated_at_its_column(work: Path) -> None:
    line = json.dumps({"id": "watson", "text": NEW_TEXT}, ensure_ascii=False)
    (work / "new.jsonl").write_text(line + "\n", encoding="utf-8")
    res = invoke("new.jsonl", "--against", "corpus/kirby.txt", "--format", "github")
    assert res.exit_code == ExitCode.FINDINGS, res.output
    col = line.index("Watson") + 1
    assert f"::error file=new.jsonl,line=1,col={col},endColumn={col + 6}," in res.output


def test_github_output_ends_with_the_gate_s_decision(work: Path) -> None:
    res = invoke("new.txt", "--against", "corpus", "--format", "github")
    assert res.exit_code == ExitCode.FINDINGS
    last = res.output.splitlines()[-1]
    assert last.startswith("::notice title=consistency::2 findings (1 high, 0 medium, 1 low)")
    assert "; 1 at or above --fail-on high" in last
    assert "(1 corpus copy of a new article skipped)" in last  # corpus/watson.txt
    assert last.endswith("; the check fails (exit 1)")
    (work / "plain.txt").write_text("Korea Utara menguji rudal lagi.\n", encoding="utf-8")
    res = invoke("plain.txt", "--against", "corpus", "--format", "github")
    assert res.exit_code == ExitCode.OK
    assert res.output.splitlines()[-1].endswith(
        "0 at or above --fail-on high; the check passes (exit 0)"
    )


def test_cluster_file_as_the_corpus(work: Path) -> None:
    cluster = {
        "cluster_id": "kirby",
        "articles": [
            {"id": "K1", "outlet": "Tempo.co", "published": "2023-08-31", "text": CORPUS_TEXT},
            {"id": "K2", "outlet": "VOI", "text": "Berita lain tentang hal lain sama sekali."},
        ],
        "gold_divergences": [],
    }
    (work / "cluster.json").write_text(json.dumps(cluster, indent=1), encoding="utf-8")
    res = invoke("new.txt", "--against", "cluster.json", "--format", "json")
    assert res.exit_code == ExitCode.FINDINGS, res.output
    doc = json.loads(res.output)
    arts = {a["id"]: a for a in doc["articles"]}
    assert arts["K1"]["outlet"] == "Tempo.co" and arts["K1"]["source"].endswith("[0]")
    assert any(d["b"] and d["b"]["article_id"] == "K1" for d in doc["divergences"])
