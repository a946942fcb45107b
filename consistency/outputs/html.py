"""The HTML report: one self-contained page to work through a report.

Rendered from the JSON form of a report (``to_json_dict``): a summary, the
claim x outlet table (each cell a link to its evidence), the findings grouped
per story and per claim (:func:`consistency.outputs.md.finding_groups`), each
with a sentence of context either side, and the articles in full with the
findings' spans marked. Filters (kind, severity, outlet, verdict, text) hide
findings and claim rows; ``j``/``k`` move between findings.

Everything taken from the articles is escaped, with control and bidirectional
characters shown as placeholders (:func:`_h`). The page's one script and one
style are its own (:mod:`consistency.outputs.html_page`), allowed by hash in a
Content-Security-Policy that forbids
every network request (``default-src 'none'``), so nothing in the page loads
anything and no script but the page's own can run.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from consistency.outputs.html_page import CSP, SCRIPT, STYLE, csp_hash
from consistency.outputs.md import (
    MATRIX_MAX_ROWS,
    MD_FULL_FINDINGS,
    VERDICTS,
    FindingGroup,
    all_findings,
    as_shown,
    claim_label,
    claim_matrix,
    count_by,
    finding_groups,
    has_verdicts,
    marked,
    plural,
)
from consistency.text.normalise import display_safe
from consistency.types import Severity


def _h(text: str) -> str:
    """Article-derived text (outlet, title, text, explanation, claim values) safe in HTML:
    escaped, and control and bidirectional characters (U+202A-U+202E, U+2066-U+2069)
    shown as placeholders, as the Markdown report shows them
    (:func:`~consistency.text.normalise.display_safe`), so "Tempo\\u202eoc." cannot render
    as "Tempo.co"."""
    return html.escape(display_safe(text))


def _html_quote(text: str, spans: Iterable[list[int]], base: int) -> str:
    return marked(text, spans, base, _h, ("<mark>", "</mark>"))


_QUALIFIER = {
    "more_than": "> ",
    "less_than": "< ",
    "at_least": "≥ ",
    "at_most": "≤ ",
    "about": "≈ ",
}


_UNIT = {"metre": "m", "second": "s", "percent": "%"}


class _Anchors:
    """Stable, safe element ids for articles and spans (article ids may hold anything)."""

    def __init__(self, articles: list[dict[str, Any]]) -> None:
        self.index = {a["id"]: i + 1 for i, a in enumerate(articles)}

    def article(self, aid: str) -> str:
        return f"article-{self.index.get(aid, 0)}"

    def span(self, aid: str, start: int, end: int) -> str:
        return f"{self.article(aid)}-{int(start)}-{int(end)}"


def _select(name: str, options: Iterable[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{_h(v)}">{_h(label)}</option>' for v, label in options)
    return (
        f'<label>{name} <select id="filter-{name}">'
        f'<option value="">all</option>{opts}</select></label>'
    )


def _value(v: dict[str, Any], span: dict[str, Any]) -> str:
    """A value as compared: qualifier, normalised value and unit (``> 30``, ``3218.7 m``)."""
    value = str(v.get("value"))
    try:
        num = float(value)
        if abs(num) < 1e15 and any(c in value for c in ".eE"):
            value = f"{num:.6g}"
    except ValueError:
        pass
    unit = v.get("unit") or span.get("unit")
    unit = _UNIT.get(unit, unit) if unit else ""
    sep = "" if unit == "%" else " "
    return (
        _QUALIFIER.get(v.get("qualifier") or "", "") + value + (sep + unit if unit else "")
    ).strip()


def _plain(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _claim_cells(
    g: dict[str, Any],
    label: dict[str, str],
    evidence: dict[tuple[str, str, int], str],
    anchors: _Anchors,
) -> dict[str, list[str]]:
    """Per outlet, the cell entries of one claim group: each mention as written,
    linked to its evidence, with the value as compared when it reads differently."""
    cells: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for v in g.get("values") or []:
        for sp in v.get("spans") or []:
            outlet = label.get(sp["article_id"], sp["article_id"])
            shown = as_shown(sp.get("text") or "", v.get("value"))
            if (outlet, shown) in seen:
                continue
            seen.add((outlet, shown))
            target = evidence.get((str(g["id"]), sp["article_id"], int(sp.get("sent_idx") or 0)))
            href = (
                f"finding-{target}"
                if target
                else anchors.span(sp["article_id"], sp["start"], sp["end"])
            )
            norm = _value(v, sp)
            extra = ""
            qualified = norm[:1] in "<>≤≥≈"
            if qualified or _plain(norm) != _plain(shown):
                eq = "" if qualified else "= "
                extra = f' <span class="norm">{eq}{_h(norm)}</span>'
            cells.setdefault(outlet, []).append(f'<a href="#{_h(href)}">{_h(shown)}</a>{extra}')
        for o in v.get("outlets") or []:
            cells.setdefault(o, [_h(str(v.get("value")))])
    return cells


def _html_claims(d: dict[str, Any], anchors: _Anchors, outlet_key: dict[str, str]) -> str:
    m = claim_matrix(d)
    if not m.rows:
        return '<h2 id="claims">Claims</h2><p>No claim is given by two or more outlets.</p>'
    label = {a["id"]: a["outlet"] or a["id"] for a in d["articles"]}
    evidence: dict[tuple[str, str, int], str] = {}
    for f in all_findings(d):
        for p in "ab":
            if f.get("claim") and f[p]:
                key = (str(f["claim"]), f[p]["article_id"], int(f[p].get("sent_idx") or 0))
                evidence.setdefault(key, str(f["id"]))
    head = "".join(f"<th>{_h(o).replace('.', '.<wbr>')}</th>" for o in m.outlets)
    rows = []
    for g, _plain in m.rows:
        cells = _claim_cells(g, label, evidence, anchors)
        units = sorted({str(v["unit"]) for v in g.get("values") or [] if v.get("unit")})
        lab = ("⚠ " if g.get("conflict") else "") + claim_label(g)
        tds = "".join(
            f'<td data-outlet="{outlet_key.get(o, "")}">' + "<br>".join(cells[o]) + "</td>"
            if cells.get(o)
            else "<td></td>"
            for o in m.outlets
        )
        unit = f' <span class="norm">({_h(", ".join(units))})</span>' if units else ""
        cls = ' class="conflict"' if g.get("conflict") else ""
        rows.append(f'<tr id="claim-{_h(str(g["id"]))}"{cls}><th>{_h(lab)}{unit}</th>{tds}</tr>')
    more = (
        f"<p>{plural(m.left_out, 'more claim')} not shown "
        f"(the table stops at {MATRIX_MAX_ROWS}).</p>"
        if m.left_out
        else ""
    )
    return (
        '<h2 id="claims">Claims</h2><p class="help">What each outlet says, as written, and '
        "the value as compared (normalised, with its unit) where it reads differently; ⚠ marks "
        "values that cannot all hold. Each cell links to its evidence: the finding, or the "
        "sentence in the article.</p>"
        f'<div class="scroll"><table class="claims"><tr><th>claim</th>{head}</tr>'
        f"{''.join(rows)}</table></div>{more}"
    )


def _side(s: dict[str, Any], art: dict[str, Any], anchors: _Anchors) -> str:
    outlet = _h(art.get("outlet") or s["article_id"])
    src = f'<a href="#{anchors.article(s["article_id"])}">{outlet}</a>'
    meta = " · ".join(_h(str(x)) for x in (art.get("published"), art.get("language")) if x)
    ctx = [f'<span class="ctx">{_h(s["before"])}</span> ' if s.get("before") else ""]
    ctx.append(f'<span class="hit">{_html_quote(s["text"], s["highlight"], s["start"])}</span>')
    ctx.append(f' <span class="ctx">{_h(s["after"])}</span>' if s.get("after") else "")
    span = anchors.span(s["article_id"], s["start"], s["end"])
    return (
        f'<div class="side"><div class="src">{src}{" · " + meta if meta else ""} · '
        f'<a href="#{span}">in the article</a></div><p>{"".join(ctx)}</p></div>'
    )


def _finding(
    f: dict[str, Any],
    g: FindingGroup,
    arts: dict[str, dict[str, Any]],
    anchors: _Anchors,
    outlet_key: dict[str, str],
    linked_claims: set[str],
    fold: bool,
) -> str:
    fid, kind, sev = (_h(str(f[k])) for k in ("id", "kind", "severity"))
    outlets = " ".join(
        dict.fromkeys(
            outlet_key.get(arts.get(f[p]["article_id"], {}).get("outlet") or f[p]["article_id"], "")
            for p in "ab"
            if f[p]
        )
    )
    verdict = ""
    if "verdict" in f:
        v = f.get("verdict") or "none"
        verdict = f' data-verdict="{_h(v)}"'
    claim_attr = f' data-claim="{_h(str(f["claim"]))}"' if f.get("claim") else ""
    head = [
        f'<span class="sev {sev}">{sev.upper()}</span>',
        f'<span class="kind">{kind}</span>',
        f'<span class="conf">confidence {float(f["score"]):.2f}</span>',
    ]
    if "verdict" in f:
        v = f.get("verdict")
        head.append(f'<span class="verdict {_h(v or "none")}">{_h(v or "not reviewed")}</span>')
    if f.get("claim"):
        lab = _h(g.label)
        link = (
            f'<a href="#claim-{_h(str(f["claim"]))}">{lab}</a>'
            if f["claim"] in linked_claims
            else lab
        )
        head.append(f'<span class="claim">claim: {link}</span>')
    head.append(f'<a class="perma" href="#finding-{fid}" title="its link"><code>{fid}</code></a>')
    sides = "".join(
        _side(f[p], arts.get(f[p]["article_id"], {}), anchors) for p in "ab" if f[p] is not None
    )
    note = f'<p class="note">Note: {_h(f["note"])}</p>' if f.get("note") else ""
    body = f'<div class="sides">{sides}</div>'
    if fold:
        body = f'<details class="ev"><summary>the sentences</summary>{body}</details>'
    return (
        f'<tr id="finding-{fid}" class="finding {sev}" data-kind="{kind}" data-severity="{sev}" '
        f'data-outlets="{outlets}"{verdict}{claim_attr} tabindex="-1"><td>'
        f'<div class="fhead">{"".join(head)}</div><p class="expl">{_h(f["explanation"])}</p>'
        f"{body}{note}</td></tr>"
    )


def _findings(
    d: dict[str, Any], anchors: _Anchors, outlet_key: dict[str, str], linked: set[str]
) -> str:
    if not all_findings(d):
        return '<h2 id="findings">Findings</h2><p>No divergences found.</p>'
    arts = {a["id"]: a for a in d["articles"]}
    rows = []
    n = 0
    for st, groups in finding_groups(d):
        sid = _h(str(st["id"])) if st else "none"
        label = _h(st["label"]) if st else "no story"
        k = sum(len(g.findings) for g in groups)
        rows.append(
            f'<tbody><tr class="story" id="story-{sid}"><th>Story: {label} '
            f'<code>{sid}</code> <span class="gmeta">{plural(k, "finding")}</span>'
            "</th></tr></tbody>"
        )
        for g in groups:
            n += 1
            outlets = ", ".join(_h(o) for o in g.outlets())
            see = ""
            if g.claim is not None and str(g.claim["id"]) in linked:
                see = f' · <a href="#claim-{_h(str(g.claim["id"]))}">in the claim table</a>'
            rows.append(
                f'<tbody><tr class="group" id="group-{n}"><th><h3>{_h(g.title())}</h3>'
                f'<span class="gmeta">{plural(len(g.findings), "finding")}, highest '
                f"{g.severity.upper()} ({g.score:.2f}) · {outlets}{see}</span></th></tr>"
                + "".join(
                    _finding(f, g, arts, anchors, outlet_key, linked, i >= MD_FULL_FINDINGS)
                    for i, f in enumerate(g.findings)
                )
                + "</tbody>"
            )
    return (
        '<h2 id="findings">Findings</h2><p class="help">Grouped by claim (findings tied to no '
        "claim by kind), most severe first; confidence is the probability that the finding is a "
        f"real disagreement; past the first {MD_FULL_FINDINGS} of a group the sentences are "
        "folded. "
        "Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous finding, <kbd>o</kbd> unfold, "
        '<kbd>/</kbd> search.</p><table class="findings">' + "".join(rows) + "</table>"
    )


def _article_text(
    text: str, aid: str, marks: list[tuple[int, int, str, str]], anchors: _Anchors
) -> str:
    """``text`` escaped, with each marked span (start, end, class, finding id or "")
    wrapped, an anchor where it starts and a link back to its finding where it ends."""
    text = display_safe(text)
    n = len(text)
    spans = sorted({(a, b, c, f) for a, b, c, f in marks if 0 <= a < b <= n})
    cuts = sorted({0, n} | {a for a, *_ in spans} | {b for _, b, *_ in spans})
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    anchor_at: dict[int, list[str]] = {}
    back_at: dict[int, list[str]] = {}
    for a, b, c, f in spans:
        opens.setdefault(a, []).append(c)
        closes.setdefault(b, []).append(c)
        sid = anchors.span(aid, a, b)
        if c != "hl" and sid not in anchor_at.setdefault(a, []):
            anchor_at[a].append(sid)
        if c == "cited" and f not in back_at.setdefault(b, []):
            back_at[b].append(f)
    active: dict[str, int] = {}
    out = []
    for x, y in zip(cuts, cuts[1:], strict=False):
        for c in closes.get(x, []):
            active[c] -= 1
        for c in opens.get(x, []):
            active[c] = active.get(c, 0) + 1
        out += [f'<span class="anchor" id="{sid}"></span>' for sid in anchor_at.get(x, [])]
        seg = html.escape(text[x:y])
        if active.get("hl"):
            seg = f"<mark>{seg}</mark>"
        classes = " ".join(sorted(c for c, k in active.items() if k and c != "hl"))
        out.append(f'<span class="{classes}">{seg}</span>' if classes else seg)
        out += [
            f'<a class="back" href="#finding-{_h(f)}" title="back to the finding">↩</a>'
            for f in back_at.get(y, [])
        ]
    return "".join(out)


def _articles(d: dict[str, Any], anchors: _Anchors) -> str:
    marks: dict[str, list[tuple[int, int, str, str]]] = {}
    n_findings: dict[str, int] = {}
    for f in all_findings(d):
        for p in "ab":
            s = f[p]
            if s is None:
                continue
            aid = s["article_id"]
            n_findings[aid] = n_findings.get(aid, 0) + 1
            marks.setdefault(aid, []).append((s["start"], s["end"], "cited", str(f["id"])))
            marks[aid] += [(a, b, "hl", "") for a, b in s.get("highlight") or []]
    for g in d.get("claims") or []:
        for v in g.get("values") or []:
            for sp in v.get("spans") or []:
                marks.setdefault(sp["article_id"], []).append((sp["start"], sp["end"], "claim", ""))
    rows, texts = [], []
    for a in d["articles"]:
        anchor = anchors.article(a["id"])
        outlet = _h(a["outlet"] or a["id"])
        meta = [_h(str(x)) for x in (a.get("published"), a.get("language")) if x]
        k = n_findings.get(a["id"], 0)
        rows.append(
            f'<tr><td><a href="#{anchor}">{outlet}</a></td><td>{_h(a.get("title") or "")}</td>'
            f"<td>{_h(a.get('published') or '')}</td><td>{_h(a.get('language') or '')}</td>"
            f"<td>{a.get('n_sentences', '')}</td><td>{k}</td></tr>"
        )
        src = " · ".join(
            f"{name}: {_h(str(a[key]))}"
            for name, key in (("id", "id"), ("source", "source"), ("url", "url"))
            if a.get(key)
        )
        texts.append(
            f'<details class="article" id="{anchor}"><summary><b>{outlet}</b> '
            f'{_h(a.get("title") or "")} <span class="gmeta">{" · ".join(meta)} · '
            f'{plural(k, "finding")}</span></summary><p class="src">{src}</p>'
            f'<div class="text" lang="{_h(a.get("language") or "und")}">'
            f"{_article_text(a.get('text') or '', a['id'], marks.get(a['id'], []), anchors)}"
            "</div></details>"
        )
    return (
        '<h2 id="articles">Articles</h2><div class="scroll"><table class="articles"><tr><th>outlet'
        "</th><th>title</th><th>published</th><th>language</th><th>sentences</th><th>findings"
        f'</th></tr>{"".join(rows)}</table></div><p class="help">Each article in full, the '
        "sentences findings cite shaded, the differing words marked, claims underlined "
        "(↩ goes back to the finding):</p>" + "".join(texts)
    )


def _summary(d: dict[str, Any]) -> str:
    fs = all_findings(d)
    sevs = [s.value for s in Severity]
    counts = ", ".join(
        f'<span class="sev {s}">{n} {s}</span>'
        for s in sevs
        if (n := sum(1 for f in fs if f["severity"] == s))
    )
    parts = [f"<p>{plural(len(fs), 'finding')}{': ' + counts if counts else ''}.</p>"]
    if has_verdicts(d):
        parts.append(
            f"<p>Verdicts: {_h(count_by(fs, 'verdict', (*VERDICTS, 'not reviewed')))}.</p>"
        )
    gen = d.get("generated_by") or {}
    parts.append(
        "<p>Models: "
        + ", ".join(f"{_h(str(k))} <code>{_h(str(v))}</code>" for k, v in gen.items())
        + ".</p>"
    )
    parts += [f'<p class="warn">warning: {_h(w)}</p>' for w in d.get("warnings") or []]
    if len(d["stories"]) > 1:
        has = {st["id"] for st in d["stories"] if st["n_findings"]}
        rows = "".join(
            "<tr><td>"
            + (f'<a href="#story-{_h(st["id"])}">' if st["id"] in has else "")
            + f"<code>{_h(st['id'])}</code>"
            + ("</a>" if st["id"] in has else "")
            + f"</td><td>{_h(st['label'])}</td><td>{len(st['articles'])}</td>"
            f"<td>{st['n_findings']}</td></tr>"
            for st in d["stories"]
        )
        parts.append(
            "<p>Articles are compared only with the others of their story.</p>"
            '<div class="scroll"><table class="stories"><tr><th>story</th><th>label</th>'
            f"<th>articles</th><th>findings</th></tr>{rows}</table></div>"
        )
    return '<h2 id="summary">Summary</h2>' + "".join(parts)


def render_html(d: dict[str, Any]) -> str:
    """The HTML page of the JSON form ``d`` of a report (see the module's docstring)."""
    anchors = _Anchors(d["articles"])
    outlets = list(dict.fromkeys(a["outlet"] or a["id"] for a in d["articles"]))
    outlet_key = {o: f"o{i}" for i, o in enumerate(outlets)}
    linked = {str(g["id"]) for g, _ in claim_matrix(d).rows}
    fs = all_findings(d)
    kinds = sorted({str(f["kind"]) for f in fs})
    sevs = [s.value for s in Severity if any(f["severity"] == s.value for f in fs)]
    filters = [
        _select("kind", ((k, k) for k in kinds)),
        _select("severity", ((s, s) for s in sevs)),
        _select("outlet", ((outlet_key[o], o) for o in outlets)),
    ]
    if has_verdicts(d):
        filters.append(_select("verdict", [(v, v) for v in VERDICTS] + [("none", "not reviewed")]))
    filters.append(
        '<label>text <input id="filter-text" type="search" placeholder="words, names, ids" '
        'autocomplete="off"></label><span id="filter-count" role="status"></span>'
    )
    counts = " · ".join(
        (
            plural(len(d["articles"]), "article"),
            plural(len(fs), "finding"),
            plural(len(d["stories"]), "story", "stories"),
        )
    )
    csp = CSP.format(script=csp_hash(SCRIPT), style=csp_hash(STYLE))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Consistency report: {counts}</title><style>{STYLE}</style></head><body>"
        f'<header><h1>Consistency report</h1><span class="gmeta">{counts}</span> <nav>'
        '<a href="#summary">summary</a><a href="#claims">claims</a>'
        '<a href="#findings">findings</a><a href="#articles">articles</a></nav>'
        f'<div class="filters">{"".join(filters)}</div></header><main>'
        f"{_summary(d)}{_html_claims(d, anchors, outlet_key)}"
        f"{_findings(d, anchors, outlet_key, linked)}{_articles(d, anchors)}"
        f"</main><script>{SCRIPT}</script></body></html>\n"
    )
