"""The HTML report's own style and script, and the Content-Security-Policy that allows
them (by hash) and nothing else: no request, no other script.
"""

from __future__ import annotations

import base64
import hashlib

STYLE = """
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


SCRIPT = """
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


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


CSP = (
    "default-src 'none'; script-src {script}; style-src {style}; img-src 'none'; "
    "font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
    "frame-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
"""The page's Content-Security-Policy: its own script and style (by hash), nothing else."""
