"""The HTML and Markdown reports as documents: verdicts, grouping by claim, links, safety, size.

Hand-built reports (``tests/make_report_small.py``), no model; the browser tests are in
``tests/e2e/test_report_browser.py``.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import polars as pl
import pytest

from consistency.outputs.report import Report, to_html, to_json_dict, to_markdown
from consistency.types import DIVERGENCES
from tests.make_report_small import build

HOSTILE = (
    '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    "\"'><svg onload=alert(3)> &amp;"
)


@pytest.fixture(scope="module")
def report() -> Report:
    return build()


def with_verdicts(report: Report, marks: list[tuple[str, str | None, str | None]]) -> Report:
    """``report`` as `report --verdicts` makes it: (finding id, verdict, note) rows."""
    frame = pl.DataFrame(
        [
            {"divergence_id": i, "verdict": v, "note": n, "reviewer": "t", "decided_at": "x"}
            for i, v, n in marks
        ],
        schema={
            k: pl.String for k in ("divergence_id", "verdict", "note", "reviewer", "decided_at")
        },
    )
    return dataclasses.replace(report, verdicts=frame)


def many(report: Report, n: int) -> Report:
    """``report`` with ``n`` findings: copies of its own with new ids, scores and claims
    (five claim groups, plus some with no claim)."""
    base = report.divergences.to_dicts()
    rows = []
    for i in range(n):
        r = dict(base[i % len(base)])
        r["divergence_id"] = f"{i:016x}"
        r["score"] = round(0.3 + (i * 37 % 70) / 100, 2)
        r["severity"] = "high" if r["score"] >= 0.9 else "medium" if r["score"] >= 0.5 else "low"
        r["claim_id"] = None if i % 6 == 5 else f"g{i % 5}"
        rows.append(r)
    frame = DIVERGENCES.conform(pl.DataFrame(rows, schema=DIVERGENCES.polars_schema))
    return dataclasses.replace(report, divergences=frame)


class Page(HTMLParser):
    """Ids, internal links, elements and attributes of a page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if a.get("href"):
            self.hrefs.append(str(a["href"]))


def finding_block(page: str, fid: str) -> str:
    return page.split(f'id="finding-{fid}"', 1)[1].split("</tr>", 1)[0]


# -- verdicts ----------


def test_verdicts_and_notes_reach_html_and_markdown(report: Report) -> None:
    ids = list(report.divergences["divergence_id"])
    rep = with_verdicts(
        report,
        [
            (ids[0], "accepted", "Checked with the <b>CNN</b> transcript"),
            (ids[1], "rejected", None),
            (ids[2], None, "ask the desk"),
        ],
    )
    page, md = to_html(rep), to_markdown(rep)
    assert page != to_html(report) and md != to_markdown(report)
    assert '<select id="filter-verdict">' in page
    assert 'data-verdict="accepted"' in finding_block(page, ids[0])
    assert '<span class="verdict accepted">accepted</span>' in finding_block(page, ids[0])
    assert "Checked with the &lt;b&gt;CNN&lt;/b&gt; transcript" in finding_block(page, ids[0])
    assert 'data-verdict="rejected"' in finding_block(page, ids[1])
    assert 'data-verdict="none"' in finding_block(page, ids[2])
    assert "ask the desk" in finding_block(page, ids[2])
    assert 'data-verdict="none"' in finding_block(page, ids[3])
    assert "1 accepted, 1 rejected, 4 not reviewed" in page
    line = next(ln for ln in md.splitlines() if f"`{ids[0]}`" in ln and "Verdict" in ln)
    assert "Verdict: **accepted**. Note: Checked with the &lt;b&gt;CNN&lt;/b&gt; transcript" in line
    assert "Verdict: **rejected**." in next(ln for ln in md.splitlines() if f"`{ids[1]}`" in ln)
    assert "Verdicts: 1 accepted, 1 rejected, 4 not reviewed." in md
    head = next(ln for ln in md.splitlines() if ln.startswith("| severity"))
    assert head.endswith("| verdicts |")  # the summary table counts them per group


def test_no_verdict_column_or_filter_without_verdicts(report: Report) -> None:
    page, md = to_html(report), to_markdown(report)
    assert "filter-verdict" not in page and "data-verdict" not in page
    assert "Verdict" not in md


# -- grouping ----------


def test_findings_grouped_by_claim_then_kind_each_by_score(report: Report) -> None:
    rep = many(report, 30)
    d = to_json_dict(rep)
    page, md = to_html(rep), to_markdown(rep)
    groups = re.findall(r'<tbody><tr class="group".*?</tbody>', page, flags=re.S)
    claims_seen: list[str] = []
    for g in groups:
        fids = re.findall(r'<tr id="finding-([0-9a-f]+)"', g)
        fs = [next(f for f in d["divergences"] if f["id"] == i) for i in fids]
        keys = {f["claim"] or "kind:" + f["kind"] for f in fs}
        assert len(keys) == 1, keys  # one claim (or one kind) per group
        assert [f["score"] for f in fs] == sorted((f["score"] for f in fs), reverse=True)
        claims_seen.append(keys.pop())
    assert len(claims_seen) == len(set(claims_seen))  # each claim is one group
    assert sum(len(re.findall(r'class="finding ', g)) for g in groups) == 30
    # the Markdown has the same groups, no outlet-pair sections
    assert md.count("\n### ") == len(groups)
    assert " vs " not in "".join(ln for ln in md.splitlines() if ln.startswith("#"))


def test_group_order_is_severity_then_confidence(report: Report) -> None:
    d = to_json_dict(many(report, 30))
    from consistency.outputs.md import SEVERITY_RANK, finding_groups

    (_story, groups), *_ = finding_groups(d)
    keys = [(SEVERITY_RANK[g.severity], -g.score) for g in groups]
    assert keys == sorted(keys)


def test_markdown_is_short_on_a_many_finding_report(report: Report) -> None:
    rep = many(report, 80)
    md = to_markdown(rep)
    lines = md.splitlines()
    assert len(lines) < 300, len(lines)  # 1,183 lines for 77 findings before
    assert lines[0] == "# Consistency report"
    start = next(i for i, ln in enumerate(lines) if ln.startswith("|"))
    assert start < 6  # the summary table first
    table = [ln for ln in lines[start : lines.index("", start)] if ln.startswith("| ")]
    assert table[0].startswith("| severity | about | findings |")  # the summary first
    assert len(table) - 1 == md.count("\n### ")  # one row per group
    for fid in to_json_dict(rep)["divergences"]:
        assert f"`{fid['id']}`" in md  # every finding still named


# -- the document ----------


def test_html_is_self_contained_with_a_strict_policy(report: Report) -> None:
    page = to_html(report)
    p = Page(page)
    assert [t for t, _ in p.tags].count("script") == 1
    assert [t for t, _ in p.tags].count("style") == 1
    metas = {
        a.get("http-equiv") or a.get("name"): a.get("content") for t, a in p.tags if t == "meta"
    }
    csp = str(metas["Content-Security-Policy"])
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "'unsafe-inline'" not in csp and re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert metas["viewport"] == "width=device-width, initial-scale=1"
    for _tag, attrs in p.tags:
        assert not any(k.startswith("on") for k in attrs)  # no inline handlers
        assert "style" not in attrs  # the policy would refuse them
        for k in ("src", "href", "action", "srcset"):
            v = attrs.get(k)
            assert v is None or v.startswith("#"), (k, v)


def test_every_internal_link_lands_on_an_element(report: Report) -> None:
    for rep in (report, many(report, 20), with_verdicts(report, [])):
        p = Page(to_html(rep))
        assert len(p.ids) == len(set(p.ids)), "ids are unique"
        missing = {h for h in p.hrefs if h[1:] not in set(p.ids)}
        assert missing == set()


def test_articles_models_and_warnings_are_shown(report: Report) -> None:
    rep = dataclasses.replace(report, warnings=("tests/data/x.txt: skipped <empty>",))
    page = to_html(rep)
    d = to_json_dict(rep)
    for i, a in enumerate(d["articles"], 1):
        assert f'<details class="article" id="article-{i}">' in page
        assert f'<a href="#article-{i}">{a["outlet"]}</a>' in page
        assert f'lang="{a["language"]}"' in page
    assert "<code>fixture</code>" in page and "embed_model" in page
    assert "warning: tests/data/x.txt: skipped &lt;empty&gt;" in page
    assert "1 story" in page and "1 stories" not in page
    assert "1 story" in to_markdown(rep) and "1 stories" not in to_markdown(rep)


def test_finding_shows_context_marks_and_its_spans_in_the_article(report: Report) -> None:
    page = to_html(report)
    d = to_json_dict(report)
    f = next(f for f in d["divergences"] if f["kind"] == "attribution" and f["a"]["before"])
    block = finding_block(page, f["id"])
    assert '<span class="ctx">' in block and "<mark>Watson</mark>" in block
    assert "confidence 0.93" in block and '<span class="sev high">HIGH</span>' in block
    before = f["a"]["before"].replace('"', "&quot;")
    assert before in block  # the speaker is in the sentence before
    aix = [a["id"] for a in d["articles"]].index(f["a"]["article_id"]) + 1
    anchor = f"article-{aix}-{f['a']['start']}-{f['a']['end']}"
    assert f'href="#{anchor}"' in block
    article = page.split(f'id="article-{aix}"', 1)[1].split("</details>", 1)[0]
    assert f'<span class="anchor" id="{anchor}"></span>' in article
    assert "<mark>Watson</mark>" in article
    assert f'href="#finding-{f["id"]}"' in article  # back to the finding


def test_claim_cells_carry_units_values_and_link_to_evidence(report: Report) -> None:
    page = to_html(report)
    row = page.split('<tr id="claim-c843a335173fa"', 1)[1].split("</tr>", 1)[0]
    number = next(f for f in to_json_dict(report)["divergences"] if f["claim"])
    assert f'<a href="#finding-{number["id"]}">lebih dari 30</a>' in row
    assert '<span class="norm">&gt; 30</span>' in row
    # a claim no finding cites links to its span in the article
    row = page.split('<tr id="claim-c70d21bd8ee32"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'<a href="#article-\d-\d+-\d+">2017</a>', row)
    measured = dataclasses.replace(
        report,
        claims=None,
        loaded_claims=(
            {
                "id": "gm",
                "slot": "distance",
                "subject": "run",
                "conflict": True,
                "values": [
                    {
                        "value": v,
                        "qualifier": q,
                        "unit": "metre",
                        "outlets": [o],
                        "spans": [
                            {"article_id": a, "sent_idx": 0, "start": 0, "end": 3, "text": t}
                            | {"unit": u}
                        ],
                    }
                    for v, q, o, a, t, u in (
                        ("3218.688", "about", "Liputan6.com", "liputan6", "2 mil", "mil"),
                        ("3000", "exact", "Tempo.co", "tempo", "3 km", "km"),
                    )
                ],
            },
        ),
    )
    row = to_html(measured).split('<tr id="claim-gm"', 1)[1].split("</tr>", 1)[0]
    assert "⚠ distance run" in row and "(metre)" in row
    assert '2 mil</a> <span class="norm">≈ 3218.69 m</span>' in row
    assert '3 km</a> <span class="norm">= 3000 m</span>' in row


def test_article_derived_text_is_escaped_everywhere(report: Report) -> None:
    arts = report.articles.with_columns(
        pl.col("outlet") + HOSTILE,
        pl.col("title") + HOSTILE,
        pl.col("text").str.replace("Kirby", "Kirby" + HOSTILE),
    )
    divs = report.divergences.with_columns(pl.col("explanation") + HOSTILE)
    rep = with_verdicts(
        dataclasses.replace(report, articles=arts, divergences=divs, warnings=(HOSTILE,)),
        [(report.divergences["divergence_id"][0], "accepted", HOSTILE)],
    )
    page = to_html(rep)
    p = Page(page)
    assert [t for t, _ in p.tags].count("script") == 1
    assert not [t for t, _ in p.tags if t in ("img", "svg", "iframe", "object")]
    assert all(not k.startswith("on") for _t, a in p.tags for k in a)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    md = to_markdown(rep)
    assert "<script" not in md and "<img" not in md and "<svg" not in md


def test_filters_and_claim_rows_carry_what_the_script_reads(report: Report) -> None:
    page = to_html(report)
    d = to_json_dict(report)
    p = Page(page)
    outlets = {str(a.get("value")): None for t, a in p.tags if t == "option" and a.get("value")}
    assert {"o0", "o1", "o2", "o3"} <= set(outlets)
    assert '<input id="filter-text" type="search"' in page
    rows = {a["id"]: a for t, a in p.tags if t == "tr" and "finding" in str(a.get("class"))}
    assert len(rows) == len(d["divergences"])
    for f in d["divergences"]:
        r = rows[f"finding-{f['id']}"]
        assert r["data-kind"] == f["kind"] and r["data-severity"] == f["severity"]
        assert r["tabindex"] == "-1" and r["data-outlets"]
        assert r.get("data-claim") == f["claim"]
    cells = [a for t, a in p.tags if t == "td" and a.get("data-outlet")]
    assert {c["data-outlet"] for c in cells} == {"o2", "o3"}  # SATUHARAPAN.COM, AP


def test_severity_colours_for_all_three(report: Report) -> None:
    page = to_html(report)
    for s in ("high", "medium", "low"):
        assert re.search(rf"\.sev\.{s}\{{color:var\(--{s}\);background:var\(--{s}-bg\)", page)
        assert f"tr.finding.{s}{{border-left-color" in page


def test_the_json_contract_is_untouched_by_the_renderers(report: Report) -> None:
    before = to_json_dict(report)
    to_html(report)
    to_markdown(report)
    assert to_json_dict(report) == before


def test_markdown_quotes_the_sentences_around_a_side_with_nothing_marked(report: Report) -> None:
    d = to_json_dict(report)
    f = next(f for f in d["divergences"] if f["a"] and not f["a"]["highlight"])
    md = to_markdown(report)
    line = next(ln for ln in md.splitlines() if ln.startswith("- ") and "Kami mendesak" in ln)
    assert "ungkap Watson" in line  # the speaker, in the sentence before
    assert line.index("ungkap Watson") < line.index("Kami mendesak")
    assert f["a"]["before"] and f["a"]["before"][:20] in line
