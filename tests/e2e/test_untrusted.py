"""Untrusted text, messy metadata and the CI gate (issue 14): one regression test per defect."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import polars as pl

from consistency.config import AlignConfig, Settings
from consistency.models.bundle import ModelChoice
from consistency.pipeline import run
from consistency.text.normalise import display_safe, match_view
from consistency.types import ExitCode
from tests.conftest import FakeEmbedder, invoke, offsets_hold

SETTINGS = Settings(nli_model=None, align=AlignConfig(min_similarity=0.5, min_margin=0.0))

KIRBY = (
    "Juru bicara Gedung Putih John Kirby mengatakan Rusia sedang membeli amunisi dari Korea "
    'Utara. "Kami mendesak Korea Utara untuk menghentikan perundingan senjata," kata Kirby.'
)


# -- 2. invisible characters ----------


def test_match_view_maps_back_to_original_offsets():
    text = "kata Kir\u200bby\u00a0di\r\nJakarta \u201cya\u201d \uff21"
    v = match_view(text)
    assert v.text == 'kata Kirby di\nJakarta "ya" A'
    s = v.text.index("Kirby")
    assert v.to_original(s, s + 5) == (5, 11)
    assert text[slice(*v.to_original(s, s + 5))] == "Kir\u200bby"
    j = v.text.index("Jakarta")
    assert text[slice(*v.to_original(j, j + 7))] == "Jakarta"


def test_zero_width_space_in_a_name_gives_no_attribution_finding(tmp_path):
    (tmp_path / "a.txt").write_text(KIRBY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(KIRBY.replace("Kirby.", "Kir\u200bby."), encoding="utf-8")
    rep = run([str(tmp_path)], SETTINGS, models=ModelChoice(FakeEmbedder(), None))
    assert "attribution" not in set(rep.divergences["kind"]), rep.divergences.select(
        "kind", "explanation"
    ).rows()
    offsets_hold(rep)


# -- 5. ids and line endings ----------


def test_finding_ids_do_not_depend_on_line_endings_or_bom(tmp_path):
    other = KIRBY.replace("John Kirby", "Adrienne Watson").replace("kata Kirby", "ujar Watson")
    texts = {"a": "Judul berita\n\n" + KIRBY + "\n", "b": other + "\n"}
    ids = []
    for variant, (eol, bom) in {"lf": ("\n", ""), "crlf": ("\r\n", "\ufeff")}.items():
        d = tmp_path / variant
        d.mkdir()
        for name, t in texts.items():
            (d / f"{name}.txt").write_bytes((bom + t.replace("\n", eol)).encode("utf-8"))
        rep = run([str(d)], SETTINGS, models=ModelChoice(FakeEmbedder(), None))
        offsets_hold(rep)
        assert rep.divergences.height
        ids.append(sorted(rep.divergences["divergence_id"]))
    assert ids[0] == ids[1]


# -- 1. terminal escapes and markup ----------

EVIL = "\x1b[2J\x1b]0;PWNED\x07"
WATSON = KIRBY.replace("John Kirby", "Adrienne Watson").replace("kata Kirby", "ujar Watson")


def _evil_dir(tmp_path: Path) -> Path:
    d = tmp_path / "evil"
    d.mkdir()
    a = KIRBY.replace("Juru bicara", f"{EVIL}[bold]Juru[/] bicara").replace(
        " kata Kirby", f" kata {EVIL}[bold]Kirby[/]"
    )
    filler = "\n\nCuaca di Jakarta cerah sepanjang hari dan tidak ada hujan sama sekali." * 8
    (d / "a.txt").write_text(a + filler, encoding="utf-8")
    (d / "b.txt").write_text(WATSON, encoding="utf-8")
    return d


def test_display_safe_keeps_length_and_removes_controls():
    s = "a\x1b[2J\x1b]0;T\x07b\r\nc\u202ed\x9b"
    out = display_safe(s)
    assert len(out) == len(s)
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in out)
    assert "\u202e" not in out


def _no_controls(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text, repr(text)


def test_check_text_markdown_and_github_outputs_neutralise_escapes(tmp_path):
    from consistency.outputs.github import to_github
    from consistency.outputs.report import to_markdown
    from consistency.outputs.text import to_text
    from consistency.runner.check import check_articles
    from consistency.stages.ingest import read_inputs

    d = _evil_dir(tmp_path)
    new = read_inputs([str(d / "a.txt")], warn_single=False).articles
    corpus = read_inputs([str(d / "b.txt")], warn_single=False).articles
    res = check_articles(new, corpus, SETTINGS, ModelChoice(FakeEmbedder(), None))
    assert res.findings.height
    texts = [to_text(res), to_github(res), to_markdown(res.report)]
    for t in texts:
        _no_controls(t)
    assert "\u241b]0;PWNED" in texts[0]  # shown, visibly


def test_review_ui_shows_escapes_and_markup_literally(tmp_path):
    import asyncio

    from consistency.outputs.review_store import ReviewStore
    from tui import make_app
    from tui.screens import ArticleScreen

    rep = run([str(_evil_dir(tmp_path))], SETTINGS, models=ModelChoice(FakeEmbedder(), None))
    att = rep.divergences.filter(pl.col("kind") == "attribution")
    assert att.height
    store = ReviewStore(tmp_path / "s.sqlite", reviewer="t")

    async def go() -> None:
        app = make_app(rep, store)
        async with app.run_test(size=(120, 40)) as pilot:
            s = app.review
            while s.current_id != att["divergence_id"][0]:
                await pilot.press("j")
            shown = [str(s.query_one(f"#side-{p}").render()) for p in "ab"]
            assert any("[bold]Kirby[/]" in t for t in shown), shown
            for t in shown:
                _no_controls(t)
            await pilot.press("o")
            assert isinstance(app.screen, ArticleScreen)
            for w in ("#article-before", "#article-focus", "#article-after"):
                _no_controls(str(app.screen.query_one(w).render()))

    try:
        asyncio.run(go())
    finally:
        store.close()


# -- 3. Markdown HTML and CSV formulas ----------

HTML = "<img src=x onerror=alert(1)>"


def test_markdown_report_escapes_raw_html_from_text_and_outlet(tmp_path):
    from consistency.outputs.report import to_markdown

    a = KIRBY.replace(" kata Kirby", f" kata {HTML} Kirby")
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "a", "outlet": f"Evil{HTML}", "title": HTML, "text": a})
        + "\n"
        + json.dumps({"id": "b", "outlet": "Good", "text": WATSON})
        + "\n",
        encoding="utf-8",
    )
    rep = run([str(tmp_path / "a.jsonl")], SETTINGS, models=ModelChoice(FakeEmbedder(), None))
    md = to_markdown(rep)
    assert rep.divergences.height
    assert "<img" not in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md


def test_csv_export_neutralises_formula_cells(tmp_path):
    import csv

    from consistency.outputs.review_store import ReviewStore
    from consistency.outputs.verdicts import read_verdicts

    a = KIRBY.replace("Juru bicara", "=HYPERLINK(1) Juru bicara")
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "a", "outlet": "@SUM(A1)", "text": a})
        + "\n"
        + json.dumps({"id": "b", "outlet": "+Good", "text": WATSON})
        + "\n",
        encoding="utf-8",
    )
    rep = run([str(tmp_path / "a.jsonl")], SETTINGS, models=ModelChoice(FakeEmbedder(), None))
    assert rep.divergences.height
    fid = rep.divergences["divergence_id"][0]
    out = tmp_path / "v.csv"
    with ReviewStore(tmp_path / "s.sqlite", reviewer="-me") as store:
        store.set_verdict(fid, "rejected")
        store.set_note(fid, "=cmd|' /C calc'!A0")
        store.export(rep, out)
    with out.open(encoding="utf-8", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=cmd|' /C calc'!A0" in cells
    back = read_verdicts(out).filter(pl.col("divergence_id") == fid).row(0, named=True)
    assert back["note"] == "=cmd|' /C calc'!A0" and back["verdict"] == "rejected"


# -- 6, 11, 13: the CI gate's inputs ----------


def _pipeline_must_not_run(*a: object, **k: object) -> None:
    raise AssertionError("the pipeline ran")


def test_output_path_errors_come_before_the_pipeline(work: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from consistency import pipeline
    from consistency.cli import main

    monkeypatch.setattr(pipeline, "run_story", _pipeline_must_not_run)
    (work / "outdir").mkdir()
    for out in ("outdir", "/proc/nope.json", "new.txt/below.json"):
        for args in (
            ["check", "new.txt", "--against", "corpus", "-o", out],
            ["report", "new.txt", "corpus", "--format", "md", "-o", out],
        ):
            res = CliRunner().invoke(main, args)
            assert res.exit_code == ExitCode.INPUT_ERROR, (args, res.output)
            assert res.output.startswith("consistency: error: ") and out in res.output
            assert len(res.output.strip().splitlines()) == 1, res.output


def test_sarif_baseline_names_the_accepted_formats(work: Path) -> None:
    sarif = work / "prev.sarif"
    assert invoke("new.txt", "--against", "corpus", "--format", "sarif", "-o", str(sarif))
    for path in (sarif, work / "prev.sarif.json"):
        if path != sarif:
            path.write_text(sarif.read_text(encoding="utf-8"), encoding="utf-8")
        res = invoke("new.txt", "--against", "corpus", "--baseline", str(path))
        assert res.exit_code == ExitCode.INPUT_ERROR, res.output
        assert "a SARIF log" in res.output and "not a review session" not in res.output
        assert ".json" in res.output and ".sqlite" in res.output and ".csv" in res.output


# -- 12. one article alone ----------


def test_one_article_alone_gets_the_warning_and_no_unique_finding(tmp_path):
    text = KIRBY + "\n\nLebih dari 30 rudal ditembakkan dan lebih dari 30 orang tewas di sana."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    rep = run([str(tmp_path / "a.txt")], SETTINGS, models=ModelChoice(FakeEmbedder(), None))
    assert any("only one article" in w for w in rep.warnings)
    assert rep.divergences.height == 0, rep.divergences.select("kind", "explanation").rows()


# -- 4. metadata never stops the batch ----------


def test_published_forms_are_read_with_their_precision(tmp_path):
    import datetime as dt

    from consistency.stages.ingest import read_inputs

    cases = {
        "iso-ts": ("2023-09-05T23:30:00+07:00", dt.date(2023, 9, 5), "day"),
        "utc": ("2023-09-05T20:00:00Z", dt.date(2023, 9, 5), "day"),
        "month": ("2023-09", dt.date(2023, 9, 1), "month"),
        "year": ("2023", dt.date(2023, 1, 1), "year"),
        "sept": ("5 Sept 2023", dt.date(2023, 9, 5), "day"),
        "sep-dot": ("5 Sep. 2023", dt.date(2023, 9, 5), "day"),
        "english": ("5 September 2023", dt.date(2023, 9, 5), "day"),
        "indonesian": ("Selasa, 5 Agustus 2023", dt.date(2023, 8, 5), "day"),
        "mdy": ("September 5, 2023", dt.date(2023, 9, 5), "day"),
        "bad": ("kemarin sore", None, None),
    }
    lines = [
        json.dumps({"id": k, "published": v, "text": f"Teks berita nomor {i} di Jakarta."})
        for i, (k, (v, _, _)) in enumerate(cases.items())
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = read_inputs([str(feed)])
    got = {r["article_id"]: r for r in res.articles.iter_rows(named=True)}
    assert set(got) == set(cases)  # no article dropped for its metadata
    for k, (_, date, precision) in cases.items():
        assert (got[k]["published"], got[k]["published_precision"]) == (date, precision), k
    (w,) = [w for w in res.warnings if "published" in w]
    assert w.startswith(f"{feed}:10: field 'published'") and "kemarin sore" in w


def test_partial_dates_are_reported_as_partial_and_manifest_misses_warn(tmp_path):
    from consistency.outputs.report import load_report, to_json_dict, write_json
    from consistency.stages.ingest import read_inputs

    (tmp_path / "a.txt").write_text(KIRBY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(WATSON, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,published\na.txt,2023-09\nb.txt,2023\ngone.txt,2023-09-05\n", encoding="utf-8"
    )
    read = read_inputs([str(tmp_path)])
    assert any("manifest.csv:4" in w and "gone.txt" in w for w in read.warnings)
    rep = run([str(tmp_path)], SETTINGS, models=ModelChoice(FakeEmbedder(), None))
    pub = {a["id"]: a["published"] for a in to_json_dict(rep)["articles"]}
    assert pub == {"a": "2023-09", "b": "2023"}
    out = tmp_path / "r.json"
    write_json(rep, out)
    back = load_report(out).articles
    assert back["published_precision"].to_list() == ["month", "year"]


# -- 7. review start-up ----------


def test_review_validates_inputs_and_needs_a_terminal_before_the_app(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import tui
    from consistency.cli.review import command

    def no_app(*a: object, **k: object) -> None:
        raise AssertionError("the app was started")

    monkeypatch.setattr(tui, "make_app", no_app)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "a.txt").write_text(KIRBY, encoding="utf-8")
    session = tmp_path / "s.sqlite"
    for args, needle in (
        (["nope"], "nope: no such file or directory"),
        (["empty"], "no readable articles"),
        (["a.txt"], "needs a terminal"),
    ):
        res = CliRunner().invoke(command, [*args, "--session", str(session)])
        assert res.exit_code == ExitCode.INPUT_ERROR, res.output
        assert needle in res.output and len(res.output.strip().splitlines()) == 1, res.output
        assert not session.exists()
