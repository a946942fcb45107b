"""`consistency report` on bad input: one line naming the file, a documented exit code."""

import json

from click.testing import CliRunner

from consistency.cli import main
from consistency.types import ExitCode


def _run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def _one_line_error(result, *needles):
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("consistency: error:")]
    assert len(lines) == 1, result.stderr
    for n in needles:
        assert n in lines[0], lines[0]


def test_missing_path(tmp_path):
    r = _run("report", str(tmp_path / "nope.txt"), "--nli-model", "none")
    assert r.exit_code == ExitCode.INPUT_ERROR
    _one_line_error(r, "nope.txt")


def test_malformed_jsonl_line_is_named(tmp_path):
    p = tmp_path / "a.jsonl"
    good = json.dumps({"id": "x", "text": "Satu kalimat yang cukup panjang untuk dibaca."})
    p.write_text(good + "\n{broken\n", encoding="utf-8")
    r = _run("report", str(p), "--nli-model", "none")
    assert r.exit_code == ExitCode.INPUT_ERROR
    _one_line_error(r, "a.jsonl:2")


def test_only_unusable_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    r = _run("report", str(tmp_path), "--nli-model", "none")
    assert r.exit_code == ExitCode.INPUT_ERROR
    _one_line_error(r)
    assert "empty.txt" in r.stderr and "bin.txt" in r.stderr  # each skipped with a warning


def test_unknown_format_is_a_usage_error(tmp_path):
    r = _run("report", "data/", "--format", "pdf")
    assert r.exit_code == ExitCode.INPUT_ERROR


def test_input_errors_are_reported_before_any_model_loads(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    r = _run(
        "report",
        str(tmp_path / "bin.txt"),
        "--embed-model",
        str(tmp_path / "no-such-model"),
        "--nli-model",
        str(tmp_path / "no-such-nli"),
    )
    assert r.exit_code == ExitCode.INPUT_ERROR
    _one_line_error(r, "bin.txt")
