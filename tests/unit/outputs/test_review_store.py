"""ReviewStore: verdicts, notes, undo, resume, merge, export, crash safety."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from consistency.outputs.report import Report, load_report
from consistency.outputs.review_files import EXPORT_COLUMNS, VERDICTS, default_session_path
from consistency.outputs.review_store import ReviewStore
from consistency.outputs.verdicts import mark_verdicts, read_verdicts, suppress_rejected
from consistency.types import InputError, Verdict
from tests.conftest import TEST_DATA

FIXTURE = TEST_DATA / "report_small.json"


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report(FIXTURE)


def ticking_clock(start: int = 0):  # type: ignore[no-untyped-def]
    """A clock that returns increasing, fixed timestamps."""
    n = [start]

    def clock() -> str:
        n[0] += 1
        return f"2024-01-01T00:00:{n[0]:02d}+00:00"

    return clock


def test_verdicts_round_trip_and_schema(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "s.sqlite", reviewer="ana", clock=ticking_clock()) as st:
        st.set_verdict("x1", Verdict.ACCEPTED)
        st.set_verdict("x2", "rejected")
        st.set_note("x3", "check the dateline")
        df = st.verdicts()
    VERDICTS.validate(df)
    assert df["divergence_id"].to_list() == ["x1", "x2", "x3"]
    assert df["verdict"].to_list() == ["accepted", "rejected", None]
    assert df["note"].to_list() == [None, None, "check the dateline"]
    assert set(df["reviewer"]) == {"ana"}
    # reopen: all there
    with ReviewStore(tmp_path / "s.sqlite", reviewer="bo") as st:
        d = st.get("x1")
        assert d is not None and d.verdict is Verdict.ACCEPTED and d.reviewer == "ana"
        assert st.get("nope") is None


def test_wal_mode(tmp_path: Path) -> None:
    import sqlite3

    ReviewStore(tmp_path / "s.sqlite").close()
    db = sqlite3.connect(tmp_path / "s.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_note_keeps_verdict_and_blank_note_clears(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "s.sqlite", reviewer="ana") as st:
        st.set_verdict("x", Verdict.UNSURE)
        st.set_note("x", "hmm")
        d = st.get("x")
        assert d is not None and d.verdict is Verdict.UNSURE and d.note == "hmm"
        st.set_note("x", "   ")
        d = st.get("x")
        assert d is not None and d.note is None and d.verdict is Verdict.UNSURE


def test_undo_restores_previous_rows_in_order(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "s.sqlite", reviewer="ana", clock=ticking_clock()) as st:
        st.set_verdict("x", Verdict.ACCEPTED)
        st.set_verdict("x", Verdict.REJECTED)
        st.set_note("y", "n")
        assert st.undo() == "y"
        assert st.get("y") is None
        assert st.undo() == "x"
        d = st.get("x")
        assert d is not None and d.verdict is Verdict.ACCEPTED
        assert d.decided_at == "2024-01-01T00:00:01+00:00"
        assert st.undo() == "x"
        assert st.get("x") is None
        assert st.undo() is None
        assert not st.can_undo()


def test_undo_survives_reopen(tmp_path: Path) -> None:
    # undo is per session (two reviewers on one file undo their own): reopening
    # with the same session id finds the changes made before
    with ReviewStore(tmp_path / "s.sqlite", session_id="s1") as st:
        st.set_verdict("x", Verdict.ACCEPTED)
    with ReviewStore(tmp_path / "s.sqlite", session_id="s1") as st:
        assert st.undo() == "x"
        assert st.get("x") is None


def test_first_unreviewed_resume(tmp_path: Path) -> None:
    ids = ["a", "b", "c", "d"]
    with ReviewStore(tmp_path / "s.sqlite") as st:
        assert st.first_unreviewed(ids) == "a"
        st.set_verdict("a", Verdict.ACCEPTED)
        st.set_verdict("c", Verdict.REJECTED)
        st.set_note("b", "only a note")  # a note is not a verdict
    with ReviewStore(tmp_path / "s.sqlite") as st:
        assert st.first_unreviewed(ids) == "b"
        assert st.first_unreviewed(ids, after="b") == "d"
        assert st.first_unreviewed(ids, after="d") == "b"
        assert st.reviewed_count(ids) == 2
        st.set_verdict("b", Verdict.UNSURE)
        st.set_verdict("d", Verdict.UNSURE)
        assert st.first_unreviewed(ids) is None


T09, T10, T11 = (f"2024-01-01T{h}:00:00" for h in ("09", "10", "11"))


def test_merge_later_timestamp_wins(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "a.sqlite", reviewer="ana", clock=lambda: T10) as a:
        a.set_verdict("both-newer-here", Verdict.ACCEPTED)
        a.set_verdict("both-older-here", Verdict.ACCEPTED)
        a.set_verdict("only-here", Verdict.UNSURE)
    with ReviewStore(tmp_path / "b.sqlite", reviewer="bo", clock=lambda: T09) as b:
        b.set_verdict("both-newer-here", Verdict.REJECTED)
        b.set_verdict("only-there", Verdict.REJECTED)
    with ReviewStore(tmp_path / "b.sqlite", reviewer="bo", clock=lambda: T11) as b:
        b.set_verdict("both-older-here", Verdict.REJECTED)
    with ReviewStore(tmp_path / "a.sqlite", reviewer="ana") as a:
        assert a.merge(tmp_path / "b.sqlite") == 2
        got = {d.divergence_id: (d.verdict, d.reviewer) for d in a.decisions().values()}
    assert got == {
        "both-newer-here": (Verdict.ACCEPTED, "ana"),
        "both-older-here": (Verdict.REJECTED, "bo"),
        "only-here": (Verdict.UNSURE, "ana"),
        "only-there": (Verdict.REJECTED, "bo"),
    }


def test_merge_missing_file_is_input_error(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "a.sqlite") as a, pytest.raises(InputError):
        a.merge(tmp_path / "missing.sqlite")


def test_not_a_session_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_text("this is not sqlite at all, just text " * 50)
    with pytest.raises(InputError, match="bad.sqlite"):
        ReviewStore(bad)


def test_export_jsonl_and_csv(tmp_path: Path, report: Report) -> None:
    ids = report.sorted_divergences()["divergence_id"].to_list()
    with ReviewStore(tmp_path / "s.sqlite", reviewer="ana", clock=ticking_clock()) as st:
        st.set_verdict(ids[0], Verdict.ACCEPTED)
        st.set_verdict(ids[-1], Verdict.REJECTED)
        st.set_note(ids[-1], "false alarm: different statements")
        st.set_verdict("stale-id-not-in-report", Verdict.ACCEPTED)
        assert st.export(report, tmp_path / "v.jsonl") == len(ids)
        assert st.export(report, tmp_path / "v.csv") == len(ids)
        with pytest.raises(InputError):
            st.export(report, tmp_path / "v.txt")
    rows = [json.loads(x) for x in (tmp_path / "v.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ids
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    first = rows[0]
    texts = dict(zip(report.articles["article_id"], report.articles["text"], strict=True))
    assert first["verdict"] == "accepted" and first["reviewer"] == "ana"
    assert first["a_text"] == texts[first["a_article"]][first["a_start"] : first["a_end"]]
    assert "Watson" in first["a_text"] and "Kirby" in first["b_text"]
    assert rows[-1]["verdict"] == "rejected"
    assert rows[-1]["note"].startswith("false alarm")
    assert all(r["verdict"] is None for r in rows[1:-1])
    single = next(r for r in rows if r["b_article"] is None)
    assert single["b_text"] is None and single["kind"] == "date"
    with (tmp_path / "v.csv").open(newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert [r["id"] for r in csv_rows] == ids
    assert csv_rows[0]["verdict"] == "accepted" and csv_rows[1]["verdict"] == ""
    # both exports read back as the same verdicts
    a = read_verdicts(tmp_path / "v.jsonl")
    b = read_verdicts(tmp_path / "v.csv")
    assert a["divergence_id"].to_list() == b["divergence_id"].to_list() == [ids[0], ids[-1]]
    c = read_verdicts(tmp_path / "s.sqlite")
    assert set(c["divergence_id"]) == {ids[0], ids[-1], "stale-id-not-in-report"}


def test_mark_and_suppress(tmp_path: Path, report: Report) -> None:
    ids = report.sorted_divergences()["divergence_id"].to_list()
    with ReviewStore(tmp_path / "s.sqlite") as st:
        st.set_verdict(ids[1], Verdict.REJECTED)
        st.set_verdict(ids[2], Verdict.ACCEPTED)
        v = st.verdicts()
    kept = suppress_rejected(report.divergences, v)
    assert kept.schema == report.divergences.schema
    assert set(kept["divergence_id"]) == set(ids) - {ids[1]}
    marked = mark_verdicts(report.divergences, v)
    got = dict(zip(marked["divergence_id"], marked["verdict"], strict=True))
    assert got[ids[1]] == "rejected" and got[ids[2]] == "accepted" and got[ids[0]] is None
    assert marked.height == report.divergences.height
    assert isinstance(marked, pl.DataFrame)


def test_default_session_path() -> None:
    assert default_session_path(["out/r.json"]) == Path("out/r.review.sqlite")
    assert default_session_path(["data/"]) == Path("consistency.review.sqlite")
    assert default_session_path(["a.txt", "b.txt"]) == Path("consistency.review.sqlite")


CHILD = """
import sys, time
from consistency.outputs.review_store import ReviewStore
st = ReviewStore(sys.argv[1], reviewer="child")
for i in range(10_000):
    st.set_verdict(f"id{i:05d}", "accepted" if i % 2 else "rejected")
    if i % 5 == 0:
        st.set_note(f"id{i:05d}", f"note {i}")
    print(i, flush=True)   # reported as saved only after the commit returned
"""


def test_sigkill_loses_nothing_reported_saved(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    last = -1
    deadline = time.monotonic() + 30
    while last < 25 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        last = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert last >= 25, "the child wrote too few verdicts before the deadline"
    with ReviewStore(path) as st:
        got = st.decisions()
    for i in range(last + 1):
        d = got[f"id{i:05d}"]
        assert d.verdict is (Verdict.ACCEPTED if i % 2 else Verdict.REJECTED)
        if i % 5 == 0:
            assert d.note == f"note {i}"


def test_cli_export_from_report(tmp_path: Path, report: Report) -> None:
    from click.testing import CliRunner

    from consistency.cli.review import command

    rep = tmp_path / "r.json"
    rep.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    ids = report.sorted_divergences()["divergence_id"].to_list()
    with ReviewStore(tmp_path / "r.review.sqlite", reviewer="ana") as st:  # the default place
        st.set_verdict(ids[0], Verdict.ACCEPTED)
    out = tmp_path / "v.csv"
    res = CliRunner().invoke(command, [str(rep), "--export", str(out)])
    assert res.exit_code == 0, res.output
    assert "exported 6 findings" in res.output
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["id"] == ids[0] and rows[0]["verdict"] == "accepted"


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from consistency.cli.review import command

    rep = tmp_path / "r.json"
    rep.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    res = CliRunner().invoke(command, [str(rep), "--export", str(tmp_path / "v.csv")])
    assert res.exit_code == 2
    assert "no review session here" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(command, [str(tmp_path / "missing.json")])
    assert res.exit_code == 2 and "missing.json: no such file" in res.output


def test_review_runs_the_pipeline_with_the_report_cache(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from consistency.cli import review as cli_review
    from consistency.config import Settings
    from consistency.models.bundle import ModelChoice
    from consistency.stages.ingest import read_inputs
    from tests.conftest import FakeEmbedder

    asked: list[tuple[Path | None, bool]] = []

    def fake_models_for(settings, cache_dir, no_cache):  # type: ignore[no-untyped-def]
        asked.append((cache_dir, no_cache))
        return ModelChoice(FakeEmbedder(), None)

    monkeypatch.setattr(cli_review, "models_for", fake_models_for)
    for name, text in (
        ("a.txt", "Banjir menewaskan 12 orang."),
        ("b.txt", "Banjir menewaskan 11 orang."),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    read = read_inputs([str(tmp_path)])
    runner = cli_review.pipeline_runner(read, Settings(nli_model=None), tmp_path / "c", False)
    stages: list[str] = []
    rep = runner(lambda stage, done, total: stages.append(stage))
    assert asked == [(tmp_path / "c", False)]  # the same cache options as report
    assert rep.articles.height == 2 and "embed" in stages
