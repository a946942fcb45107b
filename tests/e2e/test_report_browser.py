"""The HTML report in a real headless browser.

Two drivers, each skipped when it is missing: Chromium's ``--dump-dom`` (only a
``chromium`` binary on PATH: ``apt-get install chromium``), and playwright driving
that same system Chromium (``pip install playwright``; no browser download: it is
launched from the binary on PATH) to click, type, press keys and record requests.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from consistency.outputs.report import Report, to_html, to_json_dict
from tests.make_report_small import build

BROWSERS = ("chromium", "chromium-browser", "chromium-headless-shell", "google-chrome")

HOSTILE = (
    '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    '"><svg onload="window.__pwned = 3"></svg><a href="http://example.invalid/x">x</a>'
    '<link rel=stylesheet href="http://example.invalid/s.css">'
    '<iframe src="http://example.invalid/"></iframe>'
)


def browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no chromium binary on PATH")


def dump_dom(page: str, tmp_path: Path) -> str:
    exe = browser()
    html_file = tmp_path / "report.html"
    html_file.write_text(page, encoding="utf-8")
    proc = subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            html_file.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.fixture(scope="module")
def report() -> Report:
    return build()


def finding_tags(dom: str) -> list[str]:
    return re.findall(r'<tr id="finding-[^>]*>', dom)


@pytest.mark.slow
def test_browser_renders_matrix_and_filters(report: Report, tmp_path: Path) -> None:
    dom = dump_dom(to_html(report), tmp_path)
    assert '<table class="claims">' in dom
    assert re.search(r'<tr id="claim-c843a335173fa" class="conflict">', dom)
    assert '<select id="filter-kind">' in dom and '<select id="filter-severity">' in dom
    assert '<select id="filter-outlet">' in dom and '<input id="filter-text"' in dom
    n = len(to_json_dict(report)["divergences"])
    # the script ran: it counted the findings and hid none
    assert f"{n} of {n} findings shown, 2 of 2 claims" in dom
    rows = finding_tags(dom)
    assert len(rows) == n and not any("hidden" in tag for tag in rows)


@pytest.mark.slow
def test_browser_filter_hides_other_findings(report: Report, tmp_path: Path) -> None:
    page = to_html(report).replace('<option value="date">', '<option value="date" selected>')
    dom = dump_dom(page, tmp_path)
    rows = finding_tags(dom)
    assert rows, "findings rows in the DOM"
    for tag in rows:
        is_date = 'data-kind="date"' in tag
        assert ("hidden" in tag) != is_date, tag
    dates = sum(1 for f in to_json_dict(report)["divergences"] if f["kind"] == "date")
    assert f"{dates} of {len(rows)} findings shown, 0 of 2 claims" in dom


# -- playwright -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    exe = browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Opened:
    """A report page open in a fresh browser context, with every request it made."""

    def __init__(self, chromium: Any, page_html: str, path: Path, width: int) -> None:
        path.write_text(page_html, encoding="utf-8")
        self.uri = path.as_uri()
        self.context = chromium.new_context(viewport={"width": width, "height": 800})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.uri)

    def js(self, expr: str) -> Any:
        return self.page.evaluate(expr)

    def shown(self, selector: str) -> list[str]:
        return self.js(
            f"[...document.querySelectorAll({selector!r})]"
            ".filter(e => e.offsetParent !== null).map(e => e.id)"
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(chromium: Any, tmp_path: Path) -> Iterator[Any]:
    opened: list[Opened] = []

    def go(page_html: str, width: int = 1200) -> Opened:
        o = Opened(chromium, page_html, tmp_path / f"r{len(opened)}.html", width)
        opened.append(o)
        return o

    yield go
    for o in opened:
        o.close()


FINDINGS = "tr.finding"
CLAIMS = "table.claims tr[id^='claim-']"


@pytest.mark.slow
def test_filters_hide_findings_and_claim_rows(report: Report, open_page: Any) -> None:
    d = to_json_dict(report)
    ids = {f["id"]: f for f in d["divergences"]}
    o = open_page(to_html(report))
    assert len(o.shown(FINDINGS)) == len(ids) and len(o.shown(CLAIMS)) == 2
    # kind: only numbers, and only the claim one of them is about
    o.page.select_option("#filter-kind", "number")
    shown = o.shown(FINDINGS)
    assert {ids[i[8:]]["kind"] for i in shown} == {"number"}
    assert o.shown(CLAIMS) == ["claim-c843a335173fa"]
    assert not o.js("document.querySelector('tr.group:not([hidden]) h3') === null")
    o.page.select_option("#filter-kind", "")
    # severity
    o.page.select_option("#filter-severity", "low")
    assert {ids[i[8:]]["severity"] for i in o.shown(FINDINGS)} == {"low"}
    assert o.shown(CLAIMS) == []  # no low finding is about a claim
    o.page.select_option("#filter-severity", "")
    # outlet: AP (English) is in the number finding and both claims
    o.page.select_option("#filter-outlet", label="AP (English)")
    assert [ids[i[8:]]["kind"] for i in o.shown(FINDINGS)] == ["number"]
    assert len(o.shown(CLAIMS)) == 2
    o.page.select_option("#filter-outlet", label="Tempo.co")
    assert {ids[i[8:]]["b"]["outlet"] for i in o.shown(FINDINGS)} == {"Tempo.co"}
    assert o.shown(CLAIMS) == []  # Tempo.co gives neither claim
    o.page.select_option("#filter-outlet", "")
    # free text: words of a sentence, and of a claim cell
    o.page.fill("#filter-text", "POSSIBLE contradiction")
    assert [ids[i[8:]]["kind"] for i in o.shown(FINDINGS)] == ["contradiction"]
    assert o.shown(CLAIMS) == []
    o.page.fill("#filter-text", "ICBM")
    assert o.shown(CLAIMS) == ["claim-c70d21bd8ee32"]
    o.page.fill("#filter-text", "")
    assert len(o.shown(FINDINGS)) == len(ids) and len(o.shown(CLAIMS)) == 2
    assert o.js("document.getElementById('filter-count').textContent") == (
        f"{len(ids)} of {len(ids)} findings shown, 2 of 2 claims"
    )
    assert o.errors == []


@pytest.mark.slow
def test_verdict_filter(report: Report, open_page: Any) -> None:
    ids = list(report.divergences["divergence_id"])
    marks = pl.DataFrame(
        {"divergence_id": ids[:2], "verdict": ["accepted", "rejected"], "note": [None, "no"]}
    )
    o = open_page(to_html(dataclasses.replace(report, verdicts=marks)))
    o.page.select_option("#filter-verdict", "rejected")
    assert o.shown(FINDINGS) == [f"finding-{ids[1]}"]
    o.page.select_option("#filter-verdict", "none")
    assert len(o.shown(FINDINGS)) == len(ids) - 2


@pytest.mark.slow
def test_a_claim_cell_jumps_to_its_evidence(report: Report, open_page: Any) -> None:
    o = open_page(to_html(report), width=800)
    number = next(f for f in to_json_dict(report)["divergences"] if f["claim"])
    o.page.click("#claim-c843a335173fa a >> text=lebih dari 30")
    assert o.js("location.hash") == f"#finding-{number['id']}"
    target = f"#finding-{number['id']}"
    assert o.js(f"document.querySelector({target!r}).matches(':target')")
    # in view, and below the sticky header rather than under it
    top, bottom = o.js(
        f"[document.querySelector({target!r}).getBoundingClientRect().top,"
        " document.querySelector('header').getBoundingClientRect().bottom]"
    )
    assert bottom <= top < 800
    assert o.js("document.querySelector('header').getBoundingClientRect().top") == 0
    # a claim no finding cites: its cell opens the article at the span
    o.page.click("#claim-c70d21bd8ee32 td a >> nth=0")
    anchor = o.js("location.hash")[1:]
    assert re.fullmatch(r"article-\d-\d+-\d+", anchor)
    assert o.js(f"document.getElementById({anchor!r}).closest('details').open")
    y = o.js(f"document.getElementById({anchor!r}).nextElementSibling.getBoundingClientRect().top")
    assert 0 < y < 800
    assert o.js(f"document.getElementById({anchor!r}).nextElementSibling.textContent") == "2017"


@pytest.mark.slow
def test_no_request_leaves_the_page(report: Report, open_page: Any) -> None:
    arts = report.articles.with_columns(pl.col("text") + HOSTILE, pl.col("outlet") + HOSTILE)
    o = open_page(to_html(dataclasses.replace(report, articles=arts)))
    for sel in ("#filter-kind", "#filter-severity"):
        o.page.select_option(sel, index=1)
    o.page.fill("#filter-text", "Kirby")
    o.page.keyboard.press("Escape")
    o.page.keyboard.press("j")
    o.js("document.querySelectorAll('details').forEach(d => d.open = true)")
    o.page.click("table.articles a >> nth=0")
    o.page.wait_for_timeout(200)
    assert o.requests == [o.uri]


@pytest.mark.slow
def test_script_in_article_text_never_runs(report: Report, open_page: Any) -> None:
    arts = report.articles.with_columns(
        pl.col("text").str.replace("Kirby", "Kirby" + HOSTILE, literal=True),
        pl.col("title") + HOSTILE,
        pl.col("outlet") + HOSTILE,
    )
    divs = report.divergences.with_columns(pl.col("explanation") + HOSTILE)
    rep = dataclasses.replace(report, articles=arts, divergences=divs, warnings=(HOSTILE,))
    o = open_page(to_html(rep))
    o.js("document.querySelectorAll('details').forEach(d => d.open = true)")
    o.page.wait_for_timeout(200)
    assert o.js("window.__pwned") is None
    assert o.js("document.querySelectorAll('script').length") == 1
    assert o.js("document.querySelectorAll('img, svg, iframe, link').length") == 0
    assert o.js("[...document.querySelectorAll('*')].some(e => e.getAttribute('onerror'))") is False
    text = o.js("document.getElementById('article-2').textContent")
    assert "<script>window.__pwned = 1</script>" in text  # shown as written
    assert o.requests == [o.uri] and o.errors == []


@pytest.mark.slow
@pytest.mark.parametrize("width", [800, 390])
def test_no_horizontal_scroll_on_a_narrow_screen(
    report: Report, open_page: Any, width: int
) -> None:
    long_word = "https://example.invalid/" + "x" * 300
    arts = report.articles.with_columns(
        pl.col("text").str.replace("Kirby", "Kirby " + long_word, literal=True),
        pl.col("outlet") + " with a rather long outlet name.co.id",
    )
    o = open_page(to_html(dataclasses.replace(report, articles=arts)), width=width)
    o.js("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert o.js("document.scrollingElement.scrollWidth") <= width
    assert o.js("document.scrollingElement.clientWidth") == width


@pytest.mark.slow
def test_j_and_k_move_focus_between_findings(report: Report, open_page: Any) -> None:
    o = open_page(to_html(report))
    order = o.shown(FINDINGS)
    focused = "document.activeElement.id"
    o.page.keyboard.press("j")
    assert o.js(focused) == order[0]
    o.page.keyboard.press("j")
    assert o.js(focused) == order[1]
    o.page.keyboard.press("k")
    assert o.js(focused) == order[0]
    o.page.keyboard.press("k")
    assert o.js(focused) == order[0]  # stays at the first
    # j skips what a filter hides
    o.page.select_option("#filter-severity", "medium")
    o.page.focus("body")
    o.js("document.activeElement.blur(); window.scrollTo(0, 0)")
    mediums = o.shown(FINDINGS)
    for want in mediums:
        o.page.keyboard.press("j")
        assert o.js(focused) == want
    # typing in the text filter is not navigation
    o.page.click("#filter-text")
    o.page.keyboard.type("jk")
    assert o.js("document.getElementById('filter-text').value") == "jk"
    assert o.js(focused) == "filter-text"
