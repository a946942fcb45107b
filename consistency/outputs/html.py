"""The HTML report: one self-contained page to work through a report.

Rendered from the JSON form of a report (``to_json_dict``): a summary, the
claim x outlet table (each cell a link to its evidence), the findings grouped
per story and per claim (:func:`consistency.outputs.md.finding_groups`), each
with a sentence of context either side, and the articles in full with the
findings' spans marked. Filters (kind, severity, outlet, verdict, text) hide
findings and claim rows; ``j``/``k`` move between findings.

Everything taken from the articles is escaped, with control and bidirectional
characters shown as placeholders (:func:`_h`). The page's one script and one
style are its own, allowed by hash in a Content-Security-Policy that forbids
every network request (``default-src 'none'``), so nothing in the page loads
anything and no script but the page's own can run.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable
from typing import Any

from consistency.outputs.md import (
    MATRIX_MAX_ROWS,
    MD_FULL_FINDINGS,
    VERDICTS,
    FindingGroup,
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


_STYLE = """
:root{--head:9rem;--high:#a50021;--high-bg:#fde7e9;--medium:#7a4d00;--medium-bg:#fff1cc;
--low:#1d4f7a;--low-bg:#e3eef9;--line:#d8d8dc;color-scheme:light}
html{scroll-padding-top:var(--head)}*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;
background:#fff;overflow-wrap:break-word}
header{position:sticky;top:0;z-index:5;background:#f6f6f8;border-bottom:1px solid var(--line);
padding:.4rem 1rem}
header h1{font-size:1.1rem;margin:0 .6rem 0 0;display:inline}
header nav{display:inline}header nav a{margin-right:.6rem}
.filters{display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center;margin-top:.3rem}
.filters select,.filters input{font:inherit;max-width:100%}
.filters select{max-width:min(16rem,70vw)}.filters input{width:13rem}
#filter-count{color:#555;font-size:.9em}
main{max-width:74rem;margin:0 auto;padding:0 1rem 4rem}
h2{margin:1.8rem 0 .5rem;border-bottom:1px solid var(--line);font-size:1.3rem}
table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid var(--line);padding:.25rem .5rem;vertical-align:top;text-align:left}
.scroll{overflow-x:auto;max-width:100%}
table.findings,table.findings>tbody,table.findings tr,table.findings td,table.findings th{
display:block;border:0;padding:0;width:100%}
tr.story th{font-size:1.15rem;margin-top:1.4rem;padding:.3rem 0;border-bottom:2px solid #444}
tr.group th{margin-top:1.1rem;font-weight:400}tr.group h3{margin:0;font-size:1.05rem}
.gmeta{color:#555;font-size:.9em}
tr.finding{margin:.45rem 0;padding:.5rem .75rem;border:1px solid var(--line);
border-left:6px solid #999;border-radius:4px}
tr.finding.high{border-left-color:var(--high)}tr.finding.medium{border-left-color:#d99a00}
tr.finding.low{border-left-color:#5b8fc2}
tr.finding:focus{outline:3px solid #2f5bea;outline-offset:1px}
tr:target,details:target{outline:3px solid #2f5bea;outline-offset:1px;background:#eef3ff}
.sev{font-weight:700;padding:0 .35rem;border-radius:3px;font-size:.85em}
.sev.high{color:var(--high);background:var(--high-bg)}
.sev.medium{color:var(--medium);background:var(--medium-bg)}
.sev.low{color:var(--low);background:var(--low-bg)}
.fhead>*{margin-right:.5rem}.fhead code{font-size:.8em;color:#666}
.verdict{font-weight:600;padding:0 .35rem;border-radius:3px;background:#eee}
.verdict.accepted{background:#dff3e2;color:#1b5e20}.verdict.rejected{background:#eee;color:#555;
text-decoration:line-through}.verdict.unsure{background:#f3e5f5;color:#6a1b9a}
.expl{margin:.3rem 0}.note{margin:.3rem 0;font-style:italic}
.sides{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,21rem),1fr));gap:.5rem}
.side{background:#fafafb;border:1px solid #ececef;border-radius:3px;padding:.35rem .55rem}
.side p{margin:.2rem 0}.ctx{color:#6b6b70}.src{font-size:.85em;color:#555}
mark{background:#ffd54f;color:inherit}
table.claims tr>th:first-child{position:sticky;left:0;background:#fff;z-index:1}
table.claims tr.conflict>*,table.claims tr.conflict>th:first-child{background:#fdf1f2}
details.ev summary{cursor:pointer;color:#555}
table.claims td a{color:inherit}.norm{color:#555;font-size:.85em;white-space:nowrap}
details.article{border:1px solid var(--line);border-radius:4px;margin:.5rem 0;padding:.3rem .7rem}
details.article summary{cursor:pointer}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0}
.text .cited{background:#f0f0f3}.text .claim{border-bottom:2px dotted #555}
.text .back{font-size:.75em;text-decoration:none;margin-left:.15rem}
.anchor:target{outline:none;background:none}
.anchor:target+*{outline:3px solid #2f5bea;background:#eef3ff}
.warn{background:var(--medium-bg);border-left:4px solid #d99a00;padding:.3rem .6rem}
.help{color:#555;font-size:.9em}kbd{border:1px solid #bbb;border-radius:3px;padding:0 .25rem}
[hidden]{display:none!important}
@media (max-width:640px){body{font-size:14px}header{position:static}
html{scroll-padding-top:0}header h1,header nav{display:block}
.filters input{width:100%}main{padding:0 .5rem 3rem}}
"""

_SCRIPT = """
(function () {
  "use strict";
  function $(id) { return document.getElementById(id); }
  var sel = ["kind", "severity", "outlet", "verdict", "text"].map(function (n) {
    return $("filter-" + n);
  });
  var rows = [].slice.call(document.querySelectorAll("tr.finding"));
  var heads = [].slice.call(document.querySelectorAll("table.findings tr"));
  var claims = [].slice.call(document.querySelectorAll("table.claims tr[id^='claim-']"));
  var count = $("filter-count");
  var header = document.querySelector("header");
  function val(el) { return el ? el.value : ""; }
  function apply() {
    var k = val(sel[0]), s = val(sel[1]), o = val(sel[2]), v = val(sel[3]);
    var q = val(sel[4]).trim().toLowerCase();
    var byClaim = {}, shown = 0, cshown = 0;
    rows.forEach(function (r) {
      var d = r.dataset;
      var attr = (!k || d.kind === k) && (!s || d.severity === s) && (!v || d.verdict === v);
      var out = !o || (" " + d.outlets + " ").indexOf(" " + o + " ") >= 0;
      var txt = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
      r.hidden = !(attr && out && txt);
      if (!r.hidden) { shown++; }
      if (d.claim) {
        var e = byClaim[d.claim] || (byClaim[d.claim] = {attr: false, text: false});
        e.attr = e.attr || (attr && out);
        e.text = e.text || (q !== "" && txt);
      }
    });
    var story = null, group = null;
    heads.forEach(function (tr) {
      if (tr.classList.contains("story")) { story = tr; group = null; tr.hidden = true; }
      else if (tr.classList.contains("group")) { group = tr; tr.hidden = true; }
      else if (!tr.hidden) {
        if (story) { story.hidden = false; }
        if (group) { group.hidden = false; }
      }
    });
    claims.forEach(function (r) {
      var e = byClaim[r.id.slice(6)] || {attr: false, text: false};
      var out = !o || r.querySelector("td[data-outlet='" + o + "']") !== null;
      var attr = !(k || s || v) || e.attr;
      var txt = !q || r.textContent.toLowerCase().indexOf(q) >= 0 || e.text;
      r.hidden = !(out && attr && txt);
      if (!r.hidden) { cshown++; }
    });
    count.textContent = shown + " of " + rows.length + " findings shown" +
      (claims.length ? ", " + cshown + " of " + claims.length + " claims" : "");
  }
  function clear() {
    sel.forEach(function (el) { if (el) { el.value = ""; } });
    apply();
  }
  function setHead() {
    document.documentElement.style.setProperty("--head", (header.offsetHeight + 8) + "px");
  }
  function reveal() {
    var id = location.hash.slice(1), el = null;
    try { el = id ? $(decodeURIComponent(id)) : null; } catch (e) { return; }
    if (!el) { return; }
    if (el.closest("[hidden]")) { clear(); }
    var det = el.closest("details") || el.querySelector("details.ev");
    if (det && !det.open) { det.open = true; }
    el.scrollIntoView();
  }
  sel.forEach(function (el) {
    if (el) { el.addEventListener(el.tagName === "INPUT" ? "input" : "change", apply); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var t = ev.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") {
      if (ev.key === "Escape") { t.blur(); }
      return;
    }
    if (ev.key === "/") { sel[4].focus(); ev.preventDefault(); return; }
    var cur = document.activeElement;
    if ((ev.key === "o" || ev.key === "Enter") && cur && cur.classList.contains("finding")) {
      var ev2 = cur.querySelector("details.ev");
      if (ev2) { ev2.open = !ev2.open; ev.preventDefault(); }
      return;
    }
    if (ev.key !== "j" && ev.key !== "k") { return; }
    var vis = rows.filter(function (r) { return !r.hidden; });
    if (!vis.length) { return; }
    var down = ev.key === "j", i = vis.indexOf(document.activeElement), top = header.offsetHeight;
    if (i < 0) {
      i = down ? vis.findIndex(function (r) { return r.getBoundingClientRect().top >= top; })
        : vis.length - 1 - vis.slice().reverse().findIndex(function (r) {
          return r.getBoundingClientRect().top < top; });
      if (i < 0 || i >= vis.length) { i = down ? 0 : vis.length - 1; }
    } else {
      i = Math.max(0, Math.min(vis.length - 1, i + (down ? 1 : -1)));
    }
    var fold = vis[i].querySelector("details.ev");
    if (fold) { fold.open = true; }
    vis[i].focus({preventScroll: true});
    vis[i].scrollIntoView({block: "nearest"});
    ev.preventDefault();
  });
  window.addEventListener("hashchange", reveal);
  apply();
  setHead();
  if (window.ResizeObserver) { new ResizeObserver(setHead).observe(header); }
  reveal();
})();
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


CSP = (
    "default-src 'none'; script-src {script}; style-src {style}; img-src 'none'; "
    "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
    "frame-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
"""The page's Content-Security-Policy: its own script and style (by hash), nothing else."""

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
    for f in d["divergences"]:
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
    if not d["divergences"]:
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
    for f in d["divergences"]:
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
    fs = d["divergences"]
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
    fs = d["divergences"]
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
    csp = CSP.format(script=_csp_hash(_SCRIPT), style=_csp_hash(_STYLE))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Consistency report: {counts}</title><style>{_STYLE}</style></head><body>"
        f'<header><h1>Consistency report</h1><span class="gmeta">{counts}</span> <nav>'
        '<a href="#summary">summary</a><a href="#claims">claims</a>'
        '<a href="#findings">findings</a><a href="#articles">articles</a></nav>'
        f'<div class="filters">{"".join(filters)}</div></header><main>'
        f"{_summary(d)}{_html_claims(d, anchors, outlet_key)}"
        f"{_findings(d, anchors, outlet_key, linked)}{_articles(d, anchors)}"
        f"</main><script>{_SCRIPT}</script></body></html>\n"
    )
