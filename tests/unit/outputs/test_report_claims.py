"""The claim x outlet matrix in the Markdown and HTML reports, and the HTML filter."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from consistency.outputs.report import (
    MATRIX_MAX_ROWS,
    Report,
    claim_matrix,
    to_html,
    to_json_dict,
    to_markdown,
)
from tests.make_report_small import build

EVIL = 'tiga | empat <script>alert("x")</script> & lagi\nbaris'


@pytest.fixture(scope="module")
def report() -> Report:
    return build()


def group(
    gid: str, slot: str, values: list[tuple[str, str, str]], conflict: bool
) -> dict[str, Any]:
    """A claims-list entry; ``values`` are (value, article id, text as written)."""
    outlets = {"liputan6": "Liputan6.com", "tempo": "Tempo.co", "apnews": "AP (English)"}
    return {
        "id": gid,
        "slot": slot,
        "subject": "people",
        "conflict": conflict,
        "values": [
            {
                "value": v,
                "qualifier": "exact",
                "outlets": [outlets[aid]],
                "spans": [{"article_id": aid, "sent_idx": 0, "start": 0, "end": 1, "text": t}],
            }
            for v, aid, t in values
        ],
    }


def with_claims(report: Report, claims: list[dict[str, Any]]) -> Report:
    """``report`` carrying a hand-made claims list (as read back from JSON)."""
    return dataclasses.replace(report, claims=None, loaded_claims=tuple(claims))


def md_table(md: str) -> list[str]:
    section = md.split("## Claims", 1)[1].split("\n## ", 1)[0]
    return [ln for ln in section.splitlines() if ln.startswith("|")]


def cells(row: str) -> list[str]:
    """Split a Markdown table row on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_markdown_matrix_from_fixture(report: Report) -> None:
    rows = md_table(to_markdown(report))
    assert cells(rows[0]) == ["claim", "SATUHARAPAN.COM", "AP (English)"]
    assert cells(rows[2]) == ["⚠ count ballistic missiles tested", "lebih dari 30", "more than 40"]
    assert cells(rows[3]) == ["year first ICBM flight", "2017", "2017"]


def test_markdown_finding_names_its_claim(report: Report) -> None:
    md = to_markdown(report)
    d = to_json_dict(report)
    f = next(f for f in d["divergences"] if f["claim"])
    section = md.split(f"`{f['id']}`", 1)[1].split("###", 1)[0]
    assert "claim: ⚠ count ballistic missiles tested" in section
    assert md.count("claim: ") == 1  # the other findings have no claim


def test_markdown_matrix_escapes_and_keeps_the_table(report: Report) -> None:
    claims = [
        group("g1", "dead", [("3", "liputan6", EVIL), ("4", "tempo", "4 orang")], False),
        group(
            "g2",
            "injured",
            [("7", "liputan6", "7"), ("9", "tempo", "9"), ("9", "apnews", "nine")],
            True,
        ),
        group("g3", "age", [("30", "liputan6", "30"), ("31", "liputan6", "31 tahun")], True),
    ]
    rows = md_table(to_markdown(with_claims(report, claims)))
    width = len(cells(rows[0]))
    assert cells(rows[0]) == ["claim", "Liputan6.com", "Tempo.co", "AP (English)"]
    assert all(len(cells(r)) == width for r in rows)  # no pipe broke a row
    assert len(rows) == 2 + 2  # g3 has a single outlet: left out
    assert cells(rows[2])[0].startswith("⚠ injured")  # conflicts first
    evil = cells(rows[3])[1]
    assert "<script>" not in evil and "&lt;script&gt;" in evil
    assert "\\|" in evil and "&amp; lagi baris" in evil
    assert cells(rows[3])[0] == "dead people"


def test_markdown_matrix_caps_rows(report: Report) -> None:
    n = MATRIX_MAX_ROWS + 5
    claims = [
        group(f"g{i}", f"s{i:02d}", [("1", "liputan6", "1"), ("2", "tempo", "2")], i % 2 == 0)
        for i in range(n)
    ]
    md = to_markdown(with_claims(report, claims))
    assert len(md_table(md)) == 2 + MATRIX_MAX_ROWS
    assert "5 more claims not shown" in md
    m = claim_matrix(to_json_dict(with_claims(report, claims)))
    assert [g["conflict"] for g, _ in m.rows][:23] == [True] * 23


def test_markdown_without_claims(report: Report) -> None:
    md = to_markdown(with_claims(report, []))
    assert "## Claims\n\nNo claim is given by two or more outlets." in md


def test_html_matrix_filter_and_anchors(report: Report) -> None:
    page = to_html(report)
    d = to_json_dict(report)
    assert '<table class="claims">' in page
    assert re.search(r'<tr id="claim-c843a335173fa" class="conflict"><th>⚠ count', page)
    assert '<tr id="claim-c70d21bd8ee32"><th>year first ICBM flight' in page
    assert '<select id="filter-kind">' in page and '<select id="filter-severity">' in page
    assert page.count("<script>") == 1 and "addEventListener" in page
    for f in d["divergences"]:
        assert f'id="finding-{f["id"]}"' in page
        assert f'data-kind="{f["kind"]}" data-severity="{f["severity"]}"' in page
    f = next(f for f in d["divergences"] if f["claim"])
    row = page.split(f'id="finding-{f["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert '<a href="#claim-c843a335173fa">count ballistic missiles tested</a>' in row
    for kind in {f["kind"] for f in d["divergences"]}:
        assert f'<option value="{kind}">' in page


def test_html_escapes_article_text(report: Report) -> None:
    claims = [group("g1", "dead", [("3", "liputan6", EVIL), ("4", "tempo", "4 orang")], True)]
    page = to_html(with_claims(report, claims))
    assert page.count("<script") == 1
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; lagi" in page


def test_a_quote_credited_from_the_sentence_before_shows_its_speaker() -> None:
    from consistency.outputs.report import as_shown

    quote = '"Kami mendesak Korea Utara untuk menghentikan perundingan senjata dengan Rusia."'
    assert as_shown(quote, "watson") == "watson"
    assert as_shown("Adrienne Watson", "watson") == "Adrienne Watson"
    assert as_shown("2 mil", "3218.688") == "2 mil"  # a short mention stays as written
