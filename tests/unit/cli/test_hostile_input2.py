"""Untrusted input, round two: one regression test (or a few) per defect.

Article text and file names are untrusted. Bad input gives a one-line error
naming the file and the problem and a documented exit code (2), never a
traceback or exit 3; nothing from the input drives the terminal or breaks an
output format. The CLI tests use real ingest and the gate's fake pipeline
(:func:`tests.conftest.fake_run_story`) with a fake embedder: no models.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

from consistency import pipeline
from consistency.stages.ingest import decode_bytes, read_inputs
from consistency.types import ExitCode, InputError
from tests.check_case import CORPUS_TEXT, NEW_TEXT
from tests.conftest import REPO_ROOT, FakeEmbedder, fake_run_story

ROOT = REPO_ROOT
OSC = "\x1b]0;pwned\x07"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SEPARATORS = "\u2028\u2029\u0085"


@pytest.fixture
def fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with the fake pipeline and a fake embedder (no model loads)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONSISTENCY_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(pipeline, "run_story", fake_run_story)
    monkeypatch.setattr(
        "consistency.models.cached.cached_models", lambda *a, **k: (FakeEmbedder(), None, {})
    )
    return tmp_path


def cli(*args: str, input: str | bytes | None = None) -> Any:
    from consistency.cli import main

    return CliRunner().invoke(main, list(args), input=input)


def one_line_error(res: Any, *needles: str) -> str:
    assert "Traceback" not in res.output, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("consistency: error:")]
    assert len(lines) == 1, res.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def terminal_safe(text: str) -> None:
    """No control character but a line feed or a tab, and no bidi control."""
    bad = [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    assert not bad and not any(c in BIDI for c in text), repr(text)


def pair(d: Path) -> Path:
    """A corpus article (Kirby) and a NEW article (Watson) in ``d``."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "kirby.txt").write_text(CORPUS_TEXT, encoding="utf-8")
    (d / "watson.txt").write_text(NEW_TEXT, encoding="utf-8")
    return d


# -- 4. terminal escapes in file names reach the terminal through warnings ----------


def test_file_name_escapes_never_reach_the_terminal(fast: Path) -> None:
    d = pair(fast / "in")
    (d / f"x{OSC}.txt").write_bytes(b"\x00\x01 binary")  # skipped with a warning naming it
    res = cli("report", str(d), "--format", "json")
    assert res.exit_code == ExitCode.OK, res.output
    assert "binary" in res.stderr and "pwned" in res.stderr
    terminal_safe(res.stderr)
    assert "\u241b]0;pwned\u2407" in res.stderr  # shown, visibly
    res = cli("check", str(d / "watson.txt"), "--against", str(d))
    assert "pwned" in res.stderr
    terminal_safe(res.stderr)
    # an error line too
    res = cli("report", str(fast / f"missing{OSC}.txt"))
    assert res.exit_code == ExitCode.INPUT_ERROR
    terminal_safe(one_line_error(res, "pwned"))


# -- 6. a non-UTF-8 file name ends the whole batch with exit 3 ----------


@pytest.fixture
def latin1_name(fast: Path) -> Path:
    d = fast / "in"
    d.mkdir()
    (d / "watson.txt").write_text(NEW_TEXT, encoding="utf-8")
    with open(os.path.join(os.fsencode(d), b"berita_\xe9.txt"), "wb") as fh:
        fh.write(CORPUS_TEXT.encode("utf-8"))
    return d


@pytest.mark.parametrize("fmt", ["json", "md", "html", "parquet"])
def test_non_utf8_file_name_is_read_in_every_report_format(latin1_name: Path, fmt: str) -> None:
    out = latin1_name.parent / ("pq" if fmt == "parquet" else f"out.{fmt}")
    res = cli("report", str(latin1_name), "--format", fmt, "-o", str(out))
    assert res.exit_code == ExitCode.OK, res.output
    if fmt == "json":
        sources = [a["source"] for a in json.loads(out.read_text(encoding="utf-8"))["articles"]]
        assert any(s.endswith("berita_\\xe9.txt") for s in sources), sources
    terminal_safe(res.stderr)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_non_utf8_file_name_is_read_by_check(latin1_name: Path, fmt: str) -> None:
    res = cli(
        "check", str(latin1_name / "watson.txt"), "--against", str(latin1_name), "--format", fmt
    )
    assert res.exit_code == ExitCode.FINDINGS, res.output
    # the undecodable byte as \xe9 (JSON doubles the backslash, a SARIF uri quotes it)
    shown = ("berita_\\xe9.txt", "berita_\\\\xe9.txt", "berita_%5Cxe9.txt")
    assert any(s in res.stdout for s in shown), res.stdout


# -- 7. manifests: more cells than the header, an over-long field ----------

ARTICLE_A = "Rusia meminta amunisi dari Korea Utara. Kirby menyampaikan hal itu di Washington."
ARTICLE_B = "Korea Utara membantah tuduhan AS soal senjata. Pyongyang menyebutnya fitnah."


def _manifest_dir(tmp_path: Path, rows: str) -> Path:
    d = tmp_path / "m"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (d / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (d / "manifest.csv").write_text("file,title,outlet\n" + rows, encoding="utf-8")
    return d


def test_manifest_row_with_more_cells_than_the_header_names_file_and_line(fast: Path) -> None:
    d = _manifest_dir(fast, "a.txt,Judul,Tempo\nb.txt,Kirby, Watson dan Kim,Kompas\n")
    with pytest.raises(InputError) as exc:
        read_inputs([str(d)])
    assert exc.value.source == f"{d / 'manifest.csv'}:3"
    assert "4 cells" in exc.value.problem and "3" in exc.value.problem
    res = cli("report", str(d))
    assert res.exit_code == ExitCode.INPUT_ERROR, res.output
    one_line_error(res, "manifest.csv:3")


def test_manifest_field_over_the_limit_names_file_and_line(fast: Path) -> None:
    d = _manifest_dir(fast, "a.txt,Judul,Tempo\nb.txt," + "x" * 200_000 + ",Kompas\n")
    with pytest.raises(InputError) as exc:
        read_inputs([str(d)])
    assert exc.value.source == f"{d / 'manifest.csv'}:3"
    res = cli("report", str(d))
    assert res.exit_code == ExitCode.INPUT_ERROR, res.output
    one_line_error(res, "manifest.csv:3")


# -- 8. limits: stdin, devices, links out of a folder ----------


def test_stdin_has_the_size_limit_of_files(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    big = ARTICLE_A * 40  # about 3 kB
    res = read_inputs(["-", str(tmp_path)], stdin=io.StringIO(big), max_bytes=1000)
    assert not (res.articles["source"] == "<stdin>").any()
    [w] = [w for w in res.warnings if w.startswith("<stdin>")]
    assert "exceeds the limit" in w and "skipped" in w
    raw = io.TextIOWrapper(io.BytesIO(big.encode("utf-8")), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_inputs(["-"], stdin=raw, max_bytes=1000)
    assert "exceeds the limit" in exc.value.problem
    small = read_inputs(["-"], stdin=io.StringIO(ARTICLE_A), max_bytes=1000)
    assert small.articles["text"].to_list() == [ARTICLE_A]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_read_only_up_to_the_limit() -> None:
    with pytest.raises(InputError) as exc:  # before the fix: read until memory ran out
        read_inputs(["/dev/zero"], max_bytes=1 << 20)
    assert "/dev/zero" in str(exc.value) and "exceeds the limit" in str(exc.value)


def test_symlink_out_of_a_folder_is_skipped_unless_follow_links(fast: Path) -> None:
    outside = fast / "secret.txt"
    outside.write_text(ARTICLE_B, encoding="utf-8")
    d = fast / "in"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (d / "inner.txt").write_text(CORPUS_TEXT, encoding="utf-8")
    (d / "link.txt").symlink_to(outside)
    (d / "inside_link.txt").symlink_to(d / "inner.txt")  # a link within the folder is fine
    res = read_inputs([str(d)])
    assert ARTICLE_B not in res.articles["text"].to_list()
    [w] = [w for w in res.warnings if w.startswith(str(d / "link.txt"))]
    assert "outside" in w and "--follow-links" in w
    assert not any("inside_link" in w and "outside" in w for w in res.warnings)
    followed = read_inputs([str(d)], follow_links=True)
    assert ARTICLE_B in followed.articles["text"].to_list()
    # the flag on every command that reads a folder
    res = cli("report", str(d), "--format", "json")
    assert res.exit_code == ExitCode.OK, res.output
    assert "link.txt" in res.stderr and "--follow-links" in res.stderr
    res = cli("report", str(d), "--format", "json", "--follow-links")
    assert res.exit_code == ExitCode.OK, res.output
    assert ARTICLE_B in [a["text"] for a in json.loads(res.stdout)["articles"]]
    (fast / "new.txt").write_text(NEW_TEXT, encoding="utf-8")
    res = cli("check", "new.txt", "--against", str(d), "--follow-links", "--format", "json")
    assert res.exit_code in (ExitCode.OK, ExitCode.FINDINGS), res.output
    assert "outside" not in res.stderr
    assert "--follow-links" in cli("review", "--help").output


# -- 9. bidi controls in the HTML report ----------


def test_html_report_replaces_bidi_controls_in_article_derived_text(fast: Path) -> None:
    from dataclasses import replace

    from consistency.outputs.report import to_html

    rows = [
        {
            "id": "w",
            "outlet": "Tempo\u202eoc.\u202c",
            "title": "Judul \u2066x\u2069",
            "text": NEW_TEXT.replace("Watson berkata", "Watson\u202e berkata\u202c"),
        },
        {"id": "k", "outlet": "Kompas\u2067", "text": CORPUS_TEXT.replace("Kirby", "Kir\u202dby")},
    ]
    path = fast / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    arts = read_inputs([str(path)]).articles
    rep = fake_run_story(arts, focus=["w"])
    assert rep.divergences.height
    rep = replace(
        rep,
        divergences=rep.divergences.with_columns(
            pl.lit("Watson\u202e here, Kirby\u2066 there").alias("explanation")
        ),
    )
    page = to_html(rep)
    assert "Tempo" in page and "Watson" in page
    assert not [c for c in page if c in BIDI], [hex(ord(c)) for c in page if c in BIDI]
    assert "Tempo\ufffdoc.\ufffd" in page  # shown as the Markdown shows it


# -- 11. JUnit attributes and GitHub file= with control characters ----------


def test_junit_is_well_formed_and_github_has_no_controls_with_a_hostile_file_name(
    fast: Path,
) -> None:
    corpus = fast / "corpus"
    corpus.mkdir()
    (corpus / "kirby.txt").write_text(CORPUS_TEXT, encoding="utf-8")
    new = f"new{OSC}\x01.txt"
    (fast / new).write_text(NEW_TEXT, encoding="utf-8")
    res = cli("check", new, "--against", "corpus", "--format", "junit")
    assert res.exit_code == ExitCode.FINDINGS, res.output
    root = ET.fromstring(res.stdout)  # well-formed
    case = root.find("testsuite/testcase")
    assert case is not None and "pwned" in case.get("name", "") and "pwned" in case.get("file", "")
    res = cli("check", new, "--against", "corpus", "--format", "github")
    assert res.exit_code == ExitCode.FINDINGS, res.output
    assert "file=new" in res.stdout and "pwned" in res.stdout
    terminal_safe(res.stdout)


# -- 12. U+2028, U+2029 and U+0085 in JSONL and in written JSON ----------


def test_jsonl_with_raw_line_separators_in_strings_is_read(tmp_path: Path) -> None:
    text = f"Kirby berkata{SEPARATORS}hal itu di Washington kemarin sore."
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": text}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "b", "text": ARTICLE_B, "title": f"x{SEPARATORS}y"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    res = read_inputs([str(path)])
    assert res.articles["text"].to_list() == [text, ARTICLE_B]
    assert res.articles["source"].to_list() == [f"{path}:1", f"{path}:2"]
    stdin = read_inputs(["-"], stdin=io.StringIO(path.read_text(encoding="utf-8")))
    assert stdin.articles["text"].to_list() == [text, ARTICLE_B]


def test_written_json_escapes_line_separators(fast: Path) -> None:
    d = fast / "in"
    d.mkdir()
    (d / "kirby.txt").write_text(CORPUS_TEXT.replace("Kirby", f"Kir{SEPARATORS}by", 1))
    (d / "watson.txt").write_text(NEW_TEXT.replace("\n\n", f"\n{SEPARATORS}\n"), encoding="utf-8")
    res = cli("report", str(d), "--format", "json")
    assert res.exit_code == ExitCode.OK, res.output
    assert not [c for c in res.stdout if c in SEPARATORS]
    texts = [a["text"] for a in json.loads(res.stdout)["articles"]]
    assert any(SEPARATORS in t for t in texts)
    res = cli(
        "check", str(d / "watson.txt"), "--against", str(d / "kirby.txt"), "--format", "sarif"
    )
    assert res.exit_code == ExitCode.FINDINGS, res.output
    assert not [c for c in res.stdout if c in SEPARATORS]
    json.loads(res.stdout)


# -- 13. malformed JSONL records and baselines: exit 2 naming file and line ----------

GOOD = json.dumps({"id": "ok", "text": ARTICLE_A})
BAD_RECORDS = {
    "lone surrogate in text": '{"id": "a", "text": "Kirby \\ud800 berkata di Washington."}',
    "lone surrogate in title": '{"id": "a", "text": "Kirby berkata.", "title": "\\udce9"}',
    "list as title": '{"id": "a", "text": "Kirby berkata.", "title": ["x", "y"]}',
    "object as outlet": '{"id": "a", "text": "Kirby berkata.", "outlet": {"x": 1}}',
    "list as id": '{"id": [1], "text": "Kirby berkata."}',
    "5000-digit id": '{"id": ' + "9" * 5000 + ', "text": "Kirby berkata."}',
    "deep nesting": '{"id": "a", "text": "x", "y": ' + "[" * 100_000 + "]" * 100_000 + "}",
}


@pytest.mark.parametrize("what", sorted(BAD_RECORDS))
def test_malformed_jsonl_record_names_file_and_line(fast: Path, what: str) -> None:
    path = fast / "feed.jsonl"
    path.write_text(GOOD + "\n" + BAD_RECORDS[what] + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_inputs([str(path)])
    assert exc.value.source == f"{path}:2", str(exc.value)
    res = cli("report", str(path))
    assert res.exit_code == ExitCode.INPUT_ERROR, res.output
    one_line_error(res, "feed.jsonl:2")


def test_malformed_json_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_inputs([str(path)])
    assert exc.value.source == str(path)


BAD_BASELINES = {
    "report.json": '{"schema": "consistency.report/2", "divergences": [{"id": '
    + "1" * 5000
    + "}]}",
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "list.jsonl": '{"id": "abc", "verdict": "rejected"}\n[1,2]\n',
    "digits.jsonl": '{"id": "abc", "verdict": "rejected"}\n{"id": ' + "1" * 5000 + "}\n",
    "nested.jsonl": '{"id": "abc", "verdict": "rejected"}\n' + "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("name", sorted(BAD_BASELINES))
def test_malformed_baseline_is_an_input_error(fast: Path, name: str) -> None:
    pair(fast / "corpus")
    (fast / name).write_text(BAD_BASELINES[name], encoding="utf-8")
    res = cli("check", "corpus/watson.txt", "--against", "corpus/kirby.txt", "--baseline", name)
    assert res.exit_code == ExitCode.INPUT_ERROR, res.output
    line = one_line_error(res, name)
    if name.endswith(".jsonl"):
        assert f"{name}:2" in line


# -- 14. outputs are written atomically; a parquet directory is checked first ----------

_FULL_DISK = """
import resource, signal, sys
sys.path.insert(0, {root!r})
from consistency import pipeline
import consistency.models.cached
from tests.conftest import FakeEmbedder
from tests.conftest import fake_run_story
pipeline.run_story = fake_run_story
consistency.models.cached.cached_models = lambda *a, **k: (FakeEmbedder(), None, {{}})
from consistency.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (600, 600))  # a disk that fills at 600 bytes
main(sys.argv[1:])
"""


@pytest.mark.parametrize("cmd", ["report", "check"])
def test_full_disk_leaves_the_previous_output_whole(fast: Path, cmd: str) -> None:
    d = pair(fast / "in")
    out = fast / "out.json"
    out.write_text('{"old": true}\n', encoding="utf-8")
    args = (
        ["report", str(d), "-o", str(out)]
        if cmd == "report"
        else ["check", str(d / "watson.txt"), "--against", str(d / "kirby.txt"), "-o", str(out)]
    )
    args += ["--format", "json"]
    proc = subprocess.run(
        [sys.executable, "-c", _FULL_DISK.format(root=str(ROOT)), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=fast,
        env={**os.environ, "CONSISTENCY_HOME": str(fast / "home")},
    )
    assert proc.returncode == ExitCode.INPUT_ERROR, proc.stderr
    assert "Traceback" not in proc.stderr and "out.json" in proc.stderr
    assert out.read_text(encoding="utf-8") == '{"old": true}\n'  # not truncated
    assert [p.name for p in fast.iterdir() if p.name.startswith(".out.json")] == []


def test_parquet_output_that_is_a_file_fails_before_the_run(
    fast: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_run(*a: object, **k: object) -> None:
        raise AssertionError("the pipeline ran")

    monkeypatch.setattr(pipeline, "run_story", must_not_run)
    d = pair(fast / "in")
    (fast / "existing").write_text("x", encoding="utf-8")
    for target in ("existing", "existing/below"):
        res = cli("report", str(d), "--format", "parquet", "-o", target)
        assert res.exit_code == ExitCode.INPUT_ERROR, res.output
        one_line_error(res, target)


def test_json_output_replaces_the_old_file_whole(fast: Path) -> None:
    d = pair(fast / "in")
    out = fast / "out.json"
    out.write_text("x" * 100_000, encoding="utf-8")
    res = cli("report", str(d), "-o", str(out))
    assert res.exit_code == ExitCode.OK, res.output
    json.loads(out.read_text(encoding="utf-8"))
    assert [p.name for p in fast.iterdir() if p.name.startswith(".")] == []


# -- 17. a stray byte in a UTF-8 file ----------


def test_a_few_stray_bytes_in_utf8_are_replaced_not_mojibake() -> None:
    body = "Menteri \u201cmenegaskan\u201d harga caf\u00e9 turun \u2014 kata Kirby. " * 20
    data = body.encode("utf-8")
    data = data[:100] + b"\xff" + data[100:]
    text, warning = decode_bytes(data, "a.txt")
    assert text is not None and "\u201cmenegaskan\u201d" in text and "caf\u00e9" in text
    assert "\u00c3" not in text  # no mojibake
    assert text.count("\ufffd") == 1
    assert warning is not None and warning.startswith("a.txt:") and "1 " in warning
    legacy = body.encode("cp1252")  # a real legacy file still is one
    text, warning = decode_bytes(legacy, "b.txt")
    assert text == body and warning == "b.txt: not UTF-8; decoded as cp1252"


# -- 18. a CSV baseline or verdicts file saved with a BOM ----------


def test_csv_baseline_and_verdicts_with_a_bom_are_read(fast: Path) -> None:
    from consistency.runner.check import load_baseline

    d = pair(fast / "in")
    first = cli(
        "check", str(d / "watson.txt"), "--against", str(d / "kirby.txt"), "--format", "json"
    )
    assert first.exit_code == ExitCode.FINDINGS, first.output
    ids = [f["id"] for f in json.loads(first.stdout)["divergences"]]
    rows = "".join(f"{i},high,rejected,\n" for i in ids)
    path = fast / "verdicts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"id,severity,verdict,note\n{rows}".encode())
    assert load_baseline(path).rejected == frozenset(ids)
    res = cli(
        "check", str(d / "watson.txt"), "--against", str(d / "kirby.txt"), "--baseline", str(path)
    )
    assert res.exit_code == ExitCode.OK, res.output
    res = cli("report", str(d), "--verdicts", str(path), "--hide-rejected")
    assert res.exit_code == ExitCode.OK, res.output
    assert not set(ids) & {f["id"] for f in json.loads(res.stdout)["divergences"]}


# -- 19. homoglyph name variants ----------


def test_homoglyph_name_variant_names_the_differing_character() -> None:
    from consistency.judge.base import ClaimContext
    from consistency.judge.names import NameVariants

    articles = pl.DataFrame({"article_id": ["a", "b"], "outlet": ["Tempo.co", "Kompas.com"]})
    ctx = ClaimContext(articles, pl.DataFrame(), pl.DataFrame(), pl.DataFrame())
    x = {"article_id": "a", "sent_idx": 0, "start": 0, "end": 10, "surface": "John Kirby"}
    y = {"article_id": "b", "sent_idx": 0, "start": 0, "end": 10, "surface": "John Kirb\u0443"}
    f = NameVariants()._finding(ctx, x, y, "kirby", "kirb\u0443")
    assert "U+0443" in f.explanation and "CYRILLIC SMALL LETTER U" in f.explanation
    assert "U+0079" in f.explanation and "LATIN SMALL LETTER Y" in f.explanation
    plain = {**y, "surface": "John Kirbi"}  # an ordinary misspelling: as before
    g = NameVariants()._finding(ctx, x, plain, "kirby", "kirbi")
    assert "U+" not in g.explanation and "'John Kirby' vs 'John Kirbi'" in g.explanation
