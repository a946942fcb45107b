"""The HTML report in a real headless browser (Chromium's ``--dump-dom``).

Skipped when no Chromium binary is on PATH (``apt-get install chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from consistency.report import Report, to_html, to_json_dict
from tests.make_report_small import build

BROWSERS = ("chromium", "chromium-browser", "chromium-headless-shell", "google-chrome")


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


@pytest.mark.slow
def test_browser_renders_matrix_and_filters(report: Report, tmp_path: Path) -> None:
    dom = dump_dom(to_html(report), tmp_path)
    assert '<table class="claims">' in dom
    assert re.search(r'<tr id="claim-c843a335173fa" class="conflict">', dom)
    assert '<select id="filter-kind">' in dom and '<select id="filter-severity">' in dom
    n = len(to_json_dict(report)["divergences"])
    # the script ran: it counted the findings and hid none
    assert f"{n} of {n} findings shown" in dom
    rows = re.findall(r"<tr [^>]*data-kind=[^>]*>", dom)
    assert len(rows) == n and not any("hidden" in tag for tag in rows)


@pytest.mark.slow
def test_browser_filter_hides_other_findings(report: Report, tmp_path: Path) -> None:
    page = to_html(report).replace('<option value="date">', '<option value="date" selected>')
    dom = dump_dom(page, tmp_path)
    rows = re.findall(r"<tr [^>]*data-kind=[^>]*>", dom)
    assert rows, "findings rows in the DOM"
    for tag in rows:
        is_date = 'data-kind="date"' in tag
        assert ("hidden" in tag) != is_date, tag
    dates = sum(1 for f in to_json_dict(report)["divergences"] if f["kind"] == "date")
    assert f"{dates} of {len(rows)} findings shown" in dom
