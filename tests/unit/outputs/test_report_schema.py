"""The JSON Schema of the report contract ``consistency.report/3``.

The schema ships in the package (``consistency/outputs/schema/report-3.schema.json``)
and as ``docs/report-3.schema.json``; every report the project writes must
validate against it, and a report that breaks the contract must not.
"""

from __future__ import annotations

import copy
import fnmatch
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import polars as pl
import pytest
from click.testing import CliRunner

from consistency.models.bundle import ModelChoice
from consistency.outputs.report import REPORT_SCHEMA, Report, to_json_dict, write_json
from consistency.outputs.review_files import VERDICTS
from tests.check_case import make_case
from tests.conftest import REPO_ROOT, TEST_DATA, FakeEmbedder, FakeNLI

ROOT = REPO_ROOT
PACKAGED = ROOT / "consistency" / "outputs" / "schema" / "report-3.schema.json"
DOCS = ROOT / "docs" / "report-3.schema.json"
SMALL = TEST_DATA / "report_small.json"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(PACKAGED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    """The report of the bundled sample (data/), with the fast stand-in models."""
    from consistency import run

    report = run([str(ROOT / "data")], models=ModelChoice(FakeEmbedder(), FakeNLI()))
    return json.loads(write_json(report, None))


def _errors(validator: jsonschema.Draft202012Validator, doc: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(doc)]


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"] == {"const": REPORT_SCHEMA}


def test_docs_copy_is_identical_to_the_packaged_schema() -> None:
    assert DOCS.read_bytes() == PACKAGED.read_bytes()


def test_schema_is_package_data() -> None:
    packaged = resources.files("consistency").joinpath("outputs/schema/report-3.schema.json")
    assert packaged.is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["consistency"]
    assert any(fnmatch.fnmatch("outputs/schema/report-3.schema.json", g) for g in globs), globs


def test_schema_enums_match_the_code(schema: dict[str, Any]) -> None:
    from consistency.types import Kind, Severity, Verdict

    div = schema["$defs"]["divergence"]["properties"]
    assert div["kind"]["enum"] == [k.value for k in Kind]
    assert div["severity"]["enum"] == [s.value for s in Severity]
    assert div["verdict"]["enum"] == [*(v.value for v in Verdict), None]


def test_sample_report_validates(
    validator: jsonschema.Draft202012Validator, sample: dict[str, Any]
) -> None:
    assert sample["articles"] and sample["divergences"] and sample["stories"]
    assert _errors(validator, sample) == []


def test_every_key_the_sample_report_writes_is_declared(
    schema: dict[str, Any], sample: dict[str, Any]
) -> None:
    """Drift: a key added to the report must be added to the schema (it allows unknown ones)."""
    defs = schema["$defs"]

    def declared(name: str) -> set[str]:
        return set(defs[name]["properties"])

    assert set(sample) == set(schema["properties"])
    assert set(sample["generated_by"]) <= set(schema["properties"]["generated_by"]["properties"])
    for a in sample["articles"]:
        assert set(a) == declared("article")
    for s in sample["stories"]:
        assert set(s) == declared("story")
    for d in sample["divergences"]:
        assert set(d) <= declared("divergence")
        for side in (d["a"], d["b"]):
            if side is not None:
                assert set(side) == declared("side")
    for c in sample["claims"]:
        assert set(c) == declared("claim")
        for v in c["values"]:
            assert set(v) == declared("claim_value")
            for sp in v["spans"]:
                assert set(sp) == declared("claim_span")


def test_hand_made_report_of_the_ui_tests_validates(
    validator: jsonschema.Draft202012Validator,
) -> None:
    doc = json.loads(SMALL.read_text(encoding="utf-8"))
    assert doc["divergences"] and doc["claims"]
    assert _errors(validator, doc) == []


def test_check_fixture_report_validates_with_and_without_verdicts(
    validator: jsonschema.Draft202012Validator, tmp_path: Path
) -> None:
    from dataclasses import replace

    report: Report = make_case(tmp_path).report
    plain = json.loads(write_json(report, None))
    # a single-article finding, listed apart as a figure only one outlet gives
    assert any(d["b"] is None for d in plain["uncorroborated"])
    assert _errors(validator, plain) == []
    ids = report.divergences["divergence_id"].to_list()
    verdicts = VERDICTS.validate(
        pl.DataFrame(
            [
                {"divergence_id": ids[0], "verdict": "rejected", "note": "same person"},
                {"divergence_id": ids[1], "verdict": None, "note": "look again"},
            ],
            schema=VERDICTS.polars_schema,
        )
    )
    marked = to_json_dict(replace(report, verdicts=verdicts))
    listed = [*marked["divergences"], *marked["uncorroborated"]]
    assert {d.get("verdict") for d in listed} == {"rejected", None}
    assert _errors(validator, json.loads(json.dumps(marked))) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("divergences", 0, "severity"), "critical"),
        (("divergences", 0, "kind"), "spelling"),
        (("divergences", 0, "score"), 1.5),
        (("divergences", 0, "evidence"), "not an object"),
        (("divergences", 0, "a"), None),
        (("divergences", 0, "verdict"), "maybe"),
        (("articles", 0, "text_sha"), "abc"),
        (("articles", 0, "published"), "5 Sept 2023"),
        (("stories", 0, "id"), "story-1"),
        (("schema",), "consistency.report/1"),
    ],
)
def test_a_report_that_breaks_the_contract_fails(
    validator: jsonschema.Draft202012Validator,
    sample: dict[str, Any],
    path: tuple[str | int, ...],
    value: Any,
) -> None:
    doc = copy.deepcopy(sample)
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert _errors(validator, doc), f"{path} = {value!r} was accepted"


def test_a_missing_required_key_fails(
    validator: jsonschema.Draft202012Validator, sample: dict[str, Any]
) -> None:
    doc = copy.deepcopy(sample)
    del doc["divergences"][0]["b"]  # required, though it may be null
    assert _errors(validator, doc)
    doc = copy.deepcopy(sample)
    del doc["stories"]
    assert _errors(validator, doc)


def test_free_form_evidence_and_a_null_b_are_accepted(
    validator: jsonschema.Draft202012Validator, sample: dict[str, Any]
) -> None:
    doc = copy.deepcopy(sample)
    doc["divergences"][0]["evidence"] = {"anything": [1, {"nested": None}], "x": "y"}
    doc["divergences"][0]["b"] = None
    assert _errors(validator, doc) == []


@pytest.mark.slow
def test_cli_report_of_the_sample_with_the_real_models_validates(
    validator: jsonschema.Draft202012Validator, tmp_path: Path
) -> None:
    from consistency.cli import main

    out = tmp_path / "report.json"
    res = CliRunner().invoke(
        main, ["report", str(ROOT / "data"), "--format", "json", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["divergences"]
    assert _errors(validator, doc) == []
