"""The CI gate's renderers: text, SARIF (validated against the 2.1.0 schema), github, junit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import polars as pl
import pytest

from consistency.outputs.formats import render
from consistency.outputs.github import escape_data, escape_property, github_summary, to_github
from consistency.outputs.junit import to_junit
from consistency.outputs.positions import line_col, span_position
from consistency.outputs.sarif import FINGERPRINT_KEY, to_sarif_dict
from consistency.outputs.text import to_text
from consistency.runner.check import CheckResult, finish
from consistency.types import DIVERGENCES, ExitCode
from tests.check_case import articles_frame, make_case
from tests.conftest import TEST_DATA

SCHEMA_PATH = TEST_DATA / "sarif-2.1.0-schema.json"


@pytest.fixture
def result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CheckResult:
    monkeypatch.chdir(tmp_path)
    case = make_case(tmp_path)
    return finish(case.report, case.new_ids, fail_on="medium")


def test_line_col_counts_lines_and_columns_from_one() -> None:
    text = "ab\ncd\n\nxyz"
    assert line_col(text, 0) == (1, 1)
    assert line_col(text, 1) == (1, 2)
    assert line_col(text, 3) == (2, 1)
    assert line_col(text, 4) == (2, 2)
    assert line_col(text, 7) == (4, 1)
    assert line_col(text, 9) == (4, 3)


def test_line_col_utf16_counts_astral_characters_twice() -> None:
    text = "a😀b"
    assert line_col(text, 2) == (1, 3)
    assert line_col(text, 2, utf16=True) == (1, 4)


def test_span_position_of_jsonl_source_is_its_line(tmp_path: Path) -> None:
    pos = span_position("feed.jsonl:7", "whatever text", 2, 5, cwd=tmp_path)
    assert (pos.path, pos.start_line, pos.start_col) == ("feed.jsonl", 7, None)


JSONL_TEXT = 'Judul "kutipan"\n\nKata café \U0001f600 lalu\tWatson berkata.'


@pytest.mark.parametrize("ascii_only", [True, False])
def test_jsonl_position_gives_the_columns_in_the_line_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ascii_only: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    first = json.dumps({"id": "a", "text": "Satu."})
    # "text" is not the first key, and a key holds an escape too
    second = json.dumps(
        {"id": "b", "t\u00eftle": "x", "text": JSONL_TEXT, "outlet": "Kata"},
        ensure_ascii=ascii_only,
    )
    Path("feed.jsonl").write_text(first + "\n" + second + "\n", encoding="utf-8")
    start = JSONL_TEXT.index("Watson")
    pos = span_position("feed.jsonl:2", JSONL_TEXT, start, start + 6)
    assert (pos.path, pos.start_line, pos.end_line) == ("feed.jsonl", 2, 2)
    assert pos.start_col is not None and pos.end_col is not None
    assert second[pos.start_col - 1 : pos.end_col - 1] == "Watson"
    assert pos.label() == f"feed.jsonl:2:{pos.start_col}"
    # the whole text: from just after the opening quote to the closing quote
    whole = span_position("feed.jsonl:2", JSONL_TEXT, 0, len(JSONL_TEXT))
    assert whole.start_col is not None and whole.end_col is not None
    written = second[whole.start_col - 1 : whole.end_col - 1]
    assert json.loads(f'"{written}"') == JSONL_TEXT
    # an escaped span: the column of the escape, its end after it
    quote = span_position("feed.jsonl:2", JSONL_TEXT, 6, 7)
    assert second[quote.start_col - 1 : quote.end_col - 1] == '\\"'  # type: ignore[operator]
    # SARIF counts UTF-16 code units: the emoji before "Watson" counts twice when raw
    utf16 = span_position("feed.jsonl:2", JSONL_TEXT, start, start + 6, utf16=True)
    assert utf16.start_col == pos.start_col + (0 if ascii_only else 1)  # type: ignore[operator]


def test_jsonl_position_without_columns_when_the_line_cannot_be_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("feed.jsonl").write_text(json.dumps({"id": "a", "text": "Satu dua."}) + "\n")
    # changed since it was read: the text on the line is not the article's
    assert span_position("feed.jsonl:1", "Tiga empat.", 0, 4).start_col is None
    # no such line, no such file
    assert span_position("feed.jsonl:9", "Satu dua.", 0, 4).start_col is None
    assert span_position("gone.jsonl:1", "Satu dua.", 0, 4).start_col is None
    # a JSONL line read from standard input: its line, never columns of the text
    pos = span_position("<stdin>:3", "Satu\ndua.", 5, 8)
    assert (pos.path, pos.start_line, pos.start_col) == ("<stdin>", 3, None)
    assert pos.label() == "<stdin>:3"
    # it can be read back: columns
    before = '{"id": "a", "text": "'
    assert span_position("feed.jsonl:1", "Satu dua.", 0, 4).start_col == len(before) + 1


def test_text_lists_each_finding_with_file_line_col(result: CheckResult) -> None:
    out = to_text(result)
    # Watson is on line 3 of new.txt; "Juru bicara NSC " is 16 characters before it
    assert "articles/new.txt:3:17: [new] Andrienne Watson" in out
    assert "articles/corpus.txt:3:13: [corpus] John Kirby" in out
    assert "articles/new.txt:4:21: [new] 30 rudal" in out
    assert "Corpus-internal" not in out
    assert "\x1b[" not in out
    # one block per finding plus the summary
    assert out.count("(confidence ") == result.findings.height == 4
    assert "1 high" in out and "at or above --fail-on medium" in out


def test_text_colour_only_when_asked(result: CheckResult) -> None:
    assert "\x1b[" in to_text(result, color=True)


def test_sarif_validates_against_the_official_schema(result: CheckResult) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    log = json.loads(render(result, "sarif"))
    jsonschema.validate(log, schema)
    assert log["version"] == "2.1.0"


def test_sarif_schema_rejects_a_broken_log(result: CheckResult) -> None:
    # guards the validation test: the schema in tests/data really constrains results
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    log = to_sarif_dict(result)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema)


def test_sarif_results_rules_locations_and_fingerprints(result: CheckResult) -> None:
    run = to_sarif_dict(result)["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    assert {"attribution", "number", "date", "unique", "contradiction"} <= set(rules)
    results = run["results"]
    assert len(results) == 4
    by_kind = {r["ruleId"]: r for r in results}
    att = by_kind["attribution"]
    assert rules[att["ruleIndex"]] == "attribution"
    assert att["level"] == "error"
    assert by_kind["number"]["level"] == "warning"
    assert by_kind["date"]["level"] == "note"
    loc = att["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "articles/new.txt"
    assert loc["region"] == {
        "startLine": 3,
        "startColumn": 17,
        "endLine": 3,
        "endColumn": 33,
        "snippet": {"text": "Andrienne Watson"},
    }
    ids = set(result.findings["divergence_id"].to_list())
    assert {r["partialFingerprints"][FINGERPRINT_KEY] for r in results} == ids
    # the NEW side is primary even when it is side b; the corpus side is related
    num = by_kind["number"]
    assert num["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "articles/new.txt"
    )
    rel = num["relatedLocations"][0]
    assert rel["physicalLocation"]["artifactLocation"]["uri"] == "articles/corpus.txt"
    assert "](1)" in num["message"]["text"]
    # brackets from the explanation are escaped, not taken as a link
    assert "\\[missiles\\]" in num["message"]["text"]
    assert "relatedLocations" not in by_kind["unique"]


def test_sarif_fingerprints_are_stable_across_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    a = make_case(tmp_path / "one", cwd=tmp_path / "one")
    b = make_case(tmp_path / "two", cwd=tmp_path / "two")

    def prints(case: object) -> list[str]:
        res = finish(case.report, case.new_ids)  # type: ignore[attr-defined]
        log = to_sarif_dict(res)
        return [r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]]

    assert prints(a) == prints(b)


def test_github_annotations_levels_and_escaping(result: CheckResult) -> None:
    lines = to_github(result).splitlines()
    assert len(lines) == 5  # four findings and the summary
    att = next(line for line in lines if "attribution" in line)
    assert att.startswith("::error file=articles/new.txt,line=3,col=17,endColumn=33,title=")
    assert "%0A" in att  # the message's newlines are escaped
    assert "\n" not in att
    assert any(line.startswith("::warning ") for line in lines)
    assert any(line.startswith("::notice ") for line in lines)


def test_github_ends_with_one_summary_notice(result: CheckResult) -> None:
    lines = to_github(result).splitlines()
    assert sum(line.startswith("::notice title=consistency::") for line in lines) == 1
    assert lines[-1] == (
        "::notice title=consistency::4 findings (1 high, 1 medium, 2 low) for 2 new articles "
        "against 2 others; 2 at or above --fail-on medium; the check fails (exit 1)"
    )
    assert lines[-1] == github_summary(result)


def test_github_summary_says_when_the_check_passes(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    low = replace(
        case.report, divergences=case.report.divergences.filter(pl.col("severity") == "low")
    )
    res = finish(low, case.new_ids, fail_on="medium")
    assert res.exit_code == ExitCode.OK
    last = to_github(res).splitlines()[-1]
    assert last.startswith("::notice title=consistency::2 findings (0 high, 0 medium, 2 low)")
    assert last.endswith("0 at or above --fail-on medium; the check passes (exit 0)")
    none = finish(replace(case.report, divergences=DIVERGENCES.empty()), case.new_ids)
    assert to_github(none) == (
        "::notice title=consistency::0 findings (0 high, 0 medium, 0 low) for 2 new articles "
        "against 2 others; 0 at or above --fail-on high; the check passes (exit 0)\n"
    )


def test_github_summary_is_one_escaped_line(result: CheckResult) -> None:
    # every count comes from the run; the line goes through the same escaping as the
    # annotations, so nothing in it can open a second workflow command
    hostile = replace(result, suppressed=3, dropped_copies=("a%0A::error::x", "b"))
    line = github_summary(hostile)
    assert "\n" not in line and "\r" not in line
    assert line.count("::") == 2  # "::notice title=...::message", nothing more
    assert "(2 corpus copies of a new article skipped)" in line
    assert "(3 suppressed by the baseline)" in line


def test_github_escape_rules() -> None:
    assert escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_junit_one_case_per_new_article_failures_list_findings(result: CheckResult) -> None:
    root = ET.fromstring(to_junit(result))
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["articles/new.txt", "articles/new2.txt"]
    new_case, new2_case = cases
    failure = new_case.find("failure")
    assert failure is not None
    # fail-on medium: attribution (high) and number (medium) fail; unique (low) is output
    assert "attribution" in (failure.text or "") and "number" in (failure.text or "")
    assert "unique" not in (failure.text or "")
    assert "unique" in (new_case.findtext("system-out") or "")
    # new2 has only a low finding: it passes at fail-on medium
    assert new2_case.find("failure") is None
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"


def test_json_format_is_the_report_contract(result: CheckResult) -> None:
    d = json.loads(render(result, "json"))
    assert d["schema"] == "consistency.report/3"
    listed = [*d["divergences"], *d["uncorroborated"]]
    assert {f["id"] for f in listed} == set(result.findings["divergence_id"])
    assert all(f["kind"] == "unique" for f in d["uncorroborated"])
    assert all(f["kind"] != "unique" for f in d["divergences"])


def test_markdown_and_html_list_uncorroborated_figures_apart(result: CheckResult) -> None:
    from consistency.outputs.md import UNCORROBORATED_LABEL
    from consistency.outputs.report import to_html, to_json_dict, to_markdown

    d = to_json_dict(result.report)
    assert [f["kind"] for f in d["uncorroborated"]] == ["unique"]
    md = to_markdown(result.report)
    assert f"### {UNCORROBORATED_LABEL}" in md.lower()
    assert "30 missiles" in md
    assert UNCORROBORATED_LABEL in to_html(result.report)


def test_sarif_lists_the_claims_other_mentions_as_related_locations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    case = make_case(tmp_path)
    third = "Korea Utara menguji 20 rudal.\n"
    (tmp_path / "articles" / "corpus3.txt").write_text(third, encoding="utf-8")
    extra = articles_frame([("corpus3", "articles/corpus3.txt", third, "Kompas")])
    texts = {**case.texts, "corpus3": third}

    def span(aid: str, phrase: str, outlet: str) -> dict[str, object]:
        start = texts[aid].index(phrase)
        return {"article_id": aid, "outlet": outlet, "start": start, "end": start + len(phrase)}

    group = {
        "id": "g-rudal",
        "slot": "count",
        "values": [
            {
                "value": "20",
                "spans": [span("corpus", "20", "Tempo.co"), span("corpus3", "20", "Kompas")],
            },
            {"value": "30", "spans": [span("new", "30", "Liputan6.com")]},
        ],
    }
    divs = case.report.divergences.with_columns(
        pl.when(pl.col("kind") == "number").then(pl.lit("g-rudal")).alias("claim_id")
    )
    report = replace(
        case.report,
        articles=pl.concat([case.report.articles, extra]),
        divergences=divs,
        loaded_claims=(group,),
    )
    res = finish(report, case.new_ids)
    results = {r["ruleId"]: r for r in to_sarif_dict(res)["runs"][0]["results"]}
    num = results["number"]
    related = num["relatedLocations"]
    # the other side first, then the mention outside the finding's own spans
    assert [r["id"] for r in related] == [1, 2]
    loc = related[1]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "articles/corpus3.txt"
    assert loc["region"]["startLine"] == 1 and loc["region"]["startColumn"] == 21
    assert related[1]["message"]["text"].startswith("Kompas also gives '20'")
    assert "1 other mention" in num["message"]["text"]
    # a finding of no claim keeps only its other side
    assert [r["id"] for r in results["attribution"]["relatedLocations"]] == [1]
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(to_sarif_dict(res), schema)
