"""Report: the finished result of a run, and its JSON / Markdown / HTML / Parquet forms.

Takes ARTICLES, SENTENCES, FACTS, PAIRS and DIVERGENCES frames (see
:mod:`consistency.types`) and renders them. The JSON form is a contract other
tools read (schema ``consistency.report/2``; ``/1`` had no stories);
:func:`load_report` reads either back into a :class:`Report`, so the review UI
and the CI gate can work from a saved file as well as from a fresh run.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from consistency.claims.rows import base_unit, claim_unit
from consistency.normalise import display_safe
from consistency.types import (
    ARTICLES,
    DIVERGENCES,
    FACTS,
    PAIRS,
    SENTENCES,
    STORIES,
    InputError,
    Severity,
)

REPORT_SCHEMA = "consistency.report/2"
"""The schema this version writes: ``/2`` added ``stories`` and each finding's ``story``."""

READ_SCHEMAS = ("consistency.report/1", REPORT_SCHEMA)
"""The schemas :func:`load_report` reads (a ``/1`` report is one story)."""


@dataclass(frozen=True)
class Report:
    """Everything a run produced.

    Attributes:
        articles: ARTICLES frame.
        sentences: SENTENCES frame.
        facts: FACTS frame.
        pairs: PAIRS frame.
        divergences: DIVERGENCES frame, sorted by severity then score.
        generated_by: version and model ids.
        warnings: one-line warnings raised while reading the input.
        verdicts: the reviewers' verdicts, when a review file was given.
        claims: CLAIMS frame (None for a report read back from JSON).
        claim_links: CLAIM_LINKS frame (None likewise).
        claim_groups: claim id -> claim group id.
        loaded_claims: the ``claims`` list of a report read back from JSON.
        stories: STORIES frame; None when the run did not group (then all
            articles are one story).
    """

    articles: pl.DataFrame
    sentences: pl.DataFrame
    facts: pl.DataFrame
    pairs: pl.DataFrame
    divergences: pl.DataFrame
    generated_by: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    verdicts: pl.DataFrame | None = None
    claims: pl.DataFrame | None = None
    claim_links: pl.DataFrame | None = None
    claim_groups: dict[str, str] = field(default_factory=dict)
    loaded_claims: tuple[dict[str, Any], ...] = ()
    stories: pl.DataFrame | None = None

    def story_frame(self) -> pl.DataFrame:
        """The STORIES frame; every article in one story when the run did not group."""
        if self.stories is not None:
            return self.stories
        from consistency.stories import one_story

        return one_story(self.articles)

    def article(self, article_id: str) -> dict[str, Any]:
        """One article's row as a dict."""
        rows = self.articles.filter(pl.col("article_id") == article_id).to_dicts()
        if not rows:
            raise KeyError(article_id)
        return rows[0]

    def context(self, article_id: str, sent_idx: int) -> tuple[str | None, str | None]:
        """The kept sentences just before and after ``sent_idx`` (None at the edges)."""
        s = self.sentences.filter(pl.col("article_id") == article_id)
        before = s.filter(pl.col("sent_idx") == sent_idx - 1)["text"].to_list()
        after = s.filter(pl.col("sent_idx") == sent_idx + 1)["text"].to_list()
        return (before[0] if before else None, after[0] if after else None)

    def sorted_divergences(self) -> pl.DataFrame:
        """Divergences by severity (high first), then score (high first), then id."""
        return sort_divergences(self.divergences)


def sort_divergences(df: pl.DataFrame) -> pl.DataFrame:
    """Sort a DIVERGENCES frame by severity, score (descending) and id."""
    rank = {s.value: s.rank for s in Severity}
    return (
        df.with_columns(pl.col("severity").replace_strict(rank, return_dtype=pl.Int8).alias("_r"))
        .sort(["_r", "score", "divergence_id"], descending=[False, True, False])
        .drop("_r")
    )


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _published(d: dt.date | None, precision: str | None) -> str | None:
    """ISO date, cut to its precision: ``2023-09-05``, ``2023-09`` or ``2023``."""
    if d is None:
        return None
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _side(
    report: Report,
    texts: dict[str, str],
    outlets: dict[str, str | None],
    row: dict[str, Any],
    p: str,
) -> dict[str, Any] | None:
    art = row[f"{p}_article"]
    if art is None:
        return None
    start, end = int(row[f"{p}_start"]), int(row[f"{p}_end"])
    before, after = report.context(art, int(row[f"{p}_idx"]))
    return {
        "article_id": art,
        "outlet": outlets.get(art),
        "sent_idx": int(row[f"{p}_idx"]),
        "start": start,
        "end": end,
        "text": texts[art][start:end],
        "highlight": [[int(a), int(b)] for a, b in (row[f"{p}_highlight"] or [])],
        "before": before,
        "after": after,
    }


def to_json_dict(report: Report) -> dict[str, Any]:
    """The report as the ``consistency.report/2`` JSON object.

    Besides the contract's fields it carries each article's ``text`` and
    ``source``, each side's ``outlet``, ``sent_idx`` and context sentences,
    and each divergence's ``evidence``, so that a saved report is enough to
    review.
    """
    texts = dict(zip(report.articles["article_id"], report.articles["text"], strict=True))
    outlets = dict(zip(report.articles["article_id"], report.articles["outlet"], strict=True))
    n_sent = dict(report.sentences.group_by("article_id").len().iter_rows())
    stories = report.story_frame()
    story = story_of(stories)
    articles = [
        {
            "id": r["article_id"],
            "outlet": r["outlet"],
            "title": r["title"],
            "published": _published(r["published"], r.get("published_precision")),
            "language": r["language"],
            "n_sentences": int(n_sent.get(r["article_id"], 0)),
            "source": r["source"],
            "url": r["url"],
            "text_sha": r["text_sha"],
            "story": story.get(r["article_id"]),
            "text": r["text"],
        }
        for r in report.articles.iter_rows(named=True)
    ]
    marks: dict[str, tuple[str | None, str | None]] = {}
    if report.verdicts is not None:
        marks = {
            r["divergence_id"]: (r["verdict"], r["note"])
            for r in report.verdicts.iter_rows(named=True)
        }
    divergences = []
    for r in sort_divergences(report.divergences).iter_rows(named=True):
        item: dict[str, Any] = {
            "id": r["divergence_id"],
            "kind": r["kind"],
            "severity": r["severity"],
            "score": round(float(r["score"]), 4),
            "a": _side(report, texts, outlets, r, "a"),
            "b": _side(report, texts, outlets, r, "b"),
            "explanation": r["explanation"],
            "evidence": json.loads(r["evidence"]) if r["evidence"] else {},
            "claim": r["claim_id"],
            "story": story.get(r["a_article"]),
        }
        if report.verdicts is not None:
            verdict, note = marks.get(r["divergence_id"], (None, None))
            item["verdict"] = verdict
            item["note"] = note
        divergences.append(item)
    return {
        "schema": REPORT_SCHEMA,
        "generated_by": report.generated_by,
        "articles": articles,
        "stories": stories_json(stories, divergences),
        "divergences": divergences,
        "claims": claims_json(report),
        "warnings": list(report.warnings),
    }


def story_of(stories: pl.DataFrame) -> dict[str, str]:
    """article id -> story id of a STORIES frame."""
    return {
        a: sid for sid, aids in stories.select("story_id", "article_ids").iter_rows() for a in aids
    }


def stories_json(stories: pl.DataFrame, divergences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract's ``stories`` list: id, label, dates, articles and number of findings."""
    n: dict[str, int] = {}
    for f in divergences:
        n[f["story"]] = n.get(f["story"], 0) + 1
    return [
        {
            "id": r["story_id"],
            "label": r["label"],
            "first_published": _iso(r["first_published"]),
            "last_published": _iso(r["last_published"]),
            "articles": list(r["article_ids"]),
            "n_findings": n.get(r["story_id"], 0),
        }
        for r in stories.iter_rows(named=True)
    ]


def claims_json(report: Report) -> list[dict[str, Any]]:
    """The report's claim groups as the contract's ``claims`` list.

    One entry per group of linked claims (the same fact in several articles):
    ``id``, ``slot``, ``subject``, ``conflict`` (whether some values of the group
    cannot both hold) and ``values``: per distinct value, the value as compared,
    the qualifier, the unit it is compared in (metre, second, percent; null for a
    count), and the outlets and spans that give it (each with its outlet, the
    text as written and the unit as written). A ``speaker`` group is one
    statement and the people each outlet credits with it. Groups are ordered
    with conflicts first, then by slot.
    """
    if report.claims is None:
        return [dict(c) for c in report.loaded_claims]
    if not report.claim_groups:
        return []
    texts = dict(zip(report.articles["article_id"], report.articles["text"], strict=True))
    outlets = dict(zip(report.articles["article_id"], report.articles["outlet"], strict=True))
    conflict_ids: set[str] = set()
    if report.claim_links is not None:
        for r in report.claim_links.filter(~pl.col("compatible")).iter_rows(named=True):
            ga, gb = report.claim_groups.get(r["a_claim"]), report.claim_groups.get(r["b_claim"])
            if ga is not None and ga == gb:  # a conflict inside the group, not with another
                conflict_ids.add(r["a_claim"])
                conflict_ids.add(r["b_claim"])
    groups: dict[str, dict[str, Any]] = {}
    for c in report.claims.iter_rows(named=True):
        gid = report.claim_groups.get(c["claim_id"])
        if gid is None:
            continue
        g = groups.setdefault(
            gid,
            {
                "id": gid,
                "slot": c["slot"],
                "subject": c["subject"],
                "conflict": False,
                "values": {},
            },
        )
        g["conflict"] = g["conflict"] or c["claim_id"] in conflict_ids
        key = (c["value"], c["qualifier"])
        written_unit = claim_unit(c)
        v = g["values"].setdefault(
            key,
            {
                "value": c["value"],
                "qualifier": c["qualifier"],
                "unit": base_unit(written_unit),
                "outlets": [],
                "spans": [],
            },
        )
        outlet = outlets.get(c["article_id"]) or c["article_id"]
        if outlet not in v["outlets"]:
            v["outlets"].append(outlet)
        v["spans"].append(
            {
                "article_id": c["article_id"],
                "outlet": outlet,
                "sent_idx": int(c["sent_idx"]),
                "start": int(c["start"]),
                "end": int(c["end"]),
                "text": texts[c["article_id"]][c["start"] : c["end"]],
                "unit": written_unit,
            }
        )
    out = []
    for g in groups.values():
        g["values"] = sorted(g["values"].values(), key=lambda v: (-len(v["spans"]), v["value"]))
        out.append(g)
    out.sort(key=lambda g: (not g["conflict"], g["slot"], g["id"]))
    return out


_JSON_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}


def json_text(obj: Any, *, indent: int | None = 2) -> str:
    """``obj`` as JSON (UTF-8, not ASCII-escaped) with U+2028, U+2029 and U+0085 escaped.

    JSON allows these raw inside a string, but JavaScript and every reader that
    splits lines with ``str.splitlines`` take them for line breaks; outside
    strings JSON never holds them, so escaping them in the text is safe.
    """
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    for raw, escaped in _JSON_LINE_BREAKS.items():
        text = text.replace(raw, escaped)
    return text


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all.

    It goes to a temporary file beside ``path`` that then replaces it
    (``os.replace``), so a full disk or an interruption leaves the previous
    file as it was and no truncated output. The new file gets the old file's
    permissions, or the usual ones (0666 less the umask).

    Raises:
        OSError: the file could not be written (the temporary file is removed).
    """
    import os
    import secrets

    path = Path(os.path.realpath(path))  # through a link: the file it names is replaced
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_json(report: Report, path: Path | None) -> str:
    """Serialise to JSON; write to ``path`` (atomically) when given. Returns the text.

    U+2028, U+2029 and U+0085 in strings are escaped (see :func:`json_text`).
    """
    text = json_text(to_json_dict(report)) + "\n"
    if path is not None:
        write_text_atomic(path, text)
    return text


def _quote_md(text: str, spans: Iterable[list[int]], base: int) -> str:
    """Quote ``text`` (which starts at offset ``base``) with highlighted spans in bold."""
    out, pos = [], 0
    for a, b in sorted((s[0] - base, s[1] - base) for s in spans):
        if a < pos or a < 0 or b > len(text):
            continue
        out.append(md_text(text[pos:a]))
        out.append("**" + md_text(text[a:b]) + "**")
        pos = b
    out.append(md_text(text[pos:]))
    return "> " + "".join(out)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_text(text: str) -> str:
    """Article text safe in Markdown: one line, no live HTML, links or emphasis.

    Control characters become visible placeholders
    (:func:`~consistency.normalise.display_safe`), ``&``, ``<`` and ``>``
    become HTML entities, and Markdown's inline syntax characters are
    backslash-escaped, so a CommonMark renderer shows the text as written.
    """
    t = " ".join(display_safe(text).split("\n"))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(t, quote=False))


MATRIX_MAX_ROWS = 40
"""The most claim groups the Markdown and HTML claim x outlet matrices show."""


@dataclass(frozen=True)
class ClaimMatrix:
    """The claim x outlet matrix of a report (see :func:`claim_matrix`).

    Attributes:
        outlets: the column labels (outlet name, or the article id when unknown).
        rows: per claim group shown, the group (an entry of ``claims``) and, per
            outlet, the distinct span texts (the value as written) it gives.
        left_out: how many eligible groups were not shown (over the cap).
    """

    outlets: list[str]
    rows: list[tuple[dict[str, Any], dict[str, list[str]]]]
    left_out: int


def claim_matrix(d: dict[str, Any], limit: int = MATRIX_MAX_ROWS) -> ClaimMatrix:
    """The claim groups of the JSON form ``d`` that at least two outlets give.

    Conflicting groups come first (then the order of ``claims``); at most
    ``limit`` rows. Columns follow the order of the articles.
    """
    label = {a["id"]: a["outlet"] or a["id"] for a in d["articles"]}
    rows: list[tuple[dict[str, Any], dict[str, list[str]]]] = []
    for g in d.get("claims") or []:
        cells: dict[str, list[str]] = {}
        for v in g.get("values") or []:
            for sp in v.get("spans") or []:
                texts = cells.setdefault(label.get(sp["article_id"], sp["article_id"]), [])
                cell = as_shown(sp.get("text") or "", v.get("value"))
                if cell not in texts:
                    texts.append(cell)
            for o in v.get("outlets") or []:
                cells.setdefault(o, [str(v.get("value"))])
        if len(cells) >= 2:
            rows.append((g, cells))
    rows.sort(key=lambda r: not r[0].get("conflict"))
    shown = rows[:limit]
    order = list(dict.fromkeys(label.values()))
    used = {o for _, cells in shown for o in cells}
    outlets = [o for o in order if o in used] + sorted(used - set(order))
    return ClaimMatrix(outlets=outlets, rows=shown, left_out=len(rows) - len(shown))


def as_shown(text: str, value: object) -> str:
    """A mention as the matrix shows it: as written, or its value when the text does
    not name it (a quote credited to a speaker named in the sentence before)."""
    if value is not None and str(value).lower() not in text.lower() and len(text) > 60:
        return str(value)
    return text


def claim_label(group: dict[str, Any] | None, claim_id: str | None = None) -> str:
    """``slot subject`` of a claim group (the id alone when the group is unknown)."""
    if group is None:
        return claim_id or ""
    return " ".join(str(x) for x in (group.get("slot"), group.get("subject")) if x)


def _md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no raw HTML, pipes or line breaks."""
    return md_text(text)


def _md_claims(d: dict[str, Any]) -> list[str]:
    m = claim_matrix(d)
    lines = ["", "## Claims", ""]
    if not m.rows:
        return lines + ["No claim is given by two or more outlets."]
    n_conf = sum(1 for g, _ in m.rows if g.get("conflict"))
    lines.append(
        f"What each outlet says, as written: {len(m.rows)} claims given by two or more "
        f"outlets, {n_conf} with values that cannot all hold (marked ⚠)."
    )
    lines.append("")
    lines.append("| claim | " + " | ".join(_md_cell(o) for o in m.outlets) + " |")
    lines.append("|---" * (len(m.outlets) + 1) + "|")
    for g, cells in m.rows:
        head = ("⚠ " if g.get("conflict") else "") + _md_cell(claim_label(g))
        row = [" / ".join(_md_cell(t) for t in cells.get(o, [])) for o in m.outlets]
        lines.append(f"| {head} | " + " | ".join(row) + " |")
    if m.left_out:
        lines += ["", f"{m.left_out} more claims not shown (the table stops at {MATRIX_MAX_ROWS})."]
    return lines


def _md_stories(d: dict[str, Any]) -> list[str]:
    lines = ["", "## Stories", ""]
    n = len(d["stories"])
    lines.append(
        f"{n} {'story' if n == 1 else 'stories'}; articles are compared only with the others "
        "of their story."
    )
    lines += ["", "| story | label | articles | findings |", "|---|---|---|---|"]
    for st in d["stories"]:
        lines.append(
            f"| `{st['id']}` | {_md_cell(st['label'])} | {len(st['articles'])} "
            f"| {st['n_findings']} |"
        )
    return lines


def to_markdown(report: Report) -> str:
    """A report for people: findings grouped per story, then per article pair, quoted."""
    d = to_json_dict(report)
    arts = {a["id"]: a for a in d["articles"]}

    def name(aid: str) -> str:
        a = arts[aid]
        label = md_text(a["outlet"] or aid)
        return f"{label} ({a['published']})" if a["published"] else label

    lines = ["# Consistency report", ""]
    lines.append(
        f"{len(d['articles'])} articles, {len(d['divergences'])} findings. "
        f"Embedding model: `{d['generated_by'].get('embed_model')}`; "
        f"NLI model: `{d['generated_by'].get('nli_model')}`."
    )
    lines.append("")
    lines.append("| article | outlet | published | language | sentences |")
    lines.append("|---|---|---|---|---|")
    for a in d["articles"]:
        lines.append(
            f"| {md_text(a['id'])} | {md_text(a['outlet'] or '')} | {a['published'] or ''} "
            f"| {a['language']} | {a['n_sentences']} |"
        )
    for w in d["warnings"]:
        lines.append(f"\n> warning: {md_text(w)}")
    lines += _md_claims(d)
    claims = {g["id"]: g for g in d["claims"]}
    lines += _md_stories(d)
    if not d["divergences"]:
        lines += ["", "No divergences found."]
    by_story: dict[str | None, list[dict[str, Any]]] = {}
    for f in d["divergences"]:
        by_story.setdefault(f.get("story"), []).append(f)
    labels = {st["id"]: st for st in d["stories"]}
    for sid in [st["id"] for st in d["stories"]] + [k for k in by_story if k not in labels]:
        story_findings = by_story.get(sid)
        if not story_findings:
            continue
        st = labels.get(sid) if sid is not None else None
        head = md_text(st["label"]) if st else "no story"
        lines += ["", f"## Story: {head} `{sid}`"]
        groups: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        for f in story_findings:
            key = (f["a"]["article_id"], f["b"]["article_id"] if f["b"] else None)
            groups.setdefault(key, []).append(f)
        for (a, b), findings in groups.items():
            title = f"{name(a)} vs {name(b)}" if b else f"{name(a)} alone"
            lines += ["", f"### {title}", ""]
            for f in findings:
                head = f"#### {f['severity'].upper()} {f['kind']}"
                lines.append(f"{head} (confidence {f['score']:.2f}) `{f['id']}`")
                lines.append("")
                if f.get("claim"):
                    g = claims.get(f["claim"])
                    mark = "⚠ " if g is not None and g.get("conflict") else ""
                    lines.append(f"claim: {mark}{_md_cell(claim_label(g, f['claim']))}")
                    lines.append("")
                lines.append(md_text(f["explanation"]))
                lines.append("")
                for side in ("a", "b"):
                    s = f[side]
                    if s is None:
                        continue
                    lines.append(f"{name(s['article_id'])}, chars {s['start']}-{s['end']}:")
                    lines.append("")
                    lines.append(_quote_md(s["text"], s["highlight"], s["start"]))
                    lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _h(text: str) -> str:
    """Article-derived text (outlet, title, text, explanation, claim values) safe in HTML:
    escaped, and control and bidirectional characters (U+202A-U+202E, U+2066-U+2069)
    shown as placeholders, as the Markdown report shows them
    (:func:`~consistency.normalise.display_safe`), so "Tempo\\u202eoc." cannot render
    as "Tempo.co"."""
    return html.escape(display_safe(text))


def _html_quote(text: str, spans: Iterable[list[int]], base: int) -> str:
    out, pos = [], 0
    for a, b in sorted((s[0] - base, s[1] - base) for s in spans):
        if a < pos or a < 0 or b > len(text):
            continue
        out.append(_h(text[pos:a]))
        out.append("<mark>" + _h(text[a:b]) + "</mark>")
        pos = b
    out.append(_h(text[pos:]))
    return "".join(out)


_FILTER_SCRIPT = """
(function () {
  var kind = document.getElementById("filter-kind");
  var sev = document.getElementById("filter-severity");
  var count = document.getElementById("filter-count");
  function apply() {
    var items = document.querySelectorAll("[data-kind][data-severity]");
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var ok = (!kind.value || el.getAttribute("data-kind") === kind.value) &&
        (!sev.value || el.getAttribute("data-severity") === sev.value);
      el.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = shown + " of " + items.length + " findings shown";
  }
  kind.addEventListener("change", apply);
  sev.addEventListener("change", apply);
  apply();
})();
"""


def _html_select(name: str, values: Iterable[str]) -> str:
    opts = "".join(f'<option value="{_h(v)}">{_h(v)}</option>' for v in values)
    return (
        f'<label>{name} <select id="filter-{name}">'
        f'<option value="">all</option>{opts}</select></label>'
    )


def _html_claims(d: dict[str, Any]) -> str:
    m = claim_matrix(d)
    if not m.rows:
        return "<h2>Claims</h2><p>No claim is given by two or more outlets.</p>"
    head = "".join(f"<th>{_h(o)}</th>" for o in m.outlets)
    rows = []
    for g, cells in m.rows:
        conflict = bool(g.get("conflict"))
        label = ("⚠ " if conflict else "") + claim_label(g)
        tds = "".join(
            "<td>" + " / ".join(_h(t) for t in cells.get(o, [])) + "</td>" for o in m.outlets
        )
        cls = ' class="conflict"' if conflict else ""
        rows.append(f'<tr id="claim-{_h(str(g["id"]))}"{cls}><th>{_h(label)}</th>{tds}</tr>')
    more = (
        f"<p>{m.left_out} more claims not shown (the table stops at {MATRIX_MAX_ROWS}).</p>"
        if m.left_out
        else ""
    )
    return (
        "<h2>Claims</h2><p>What each outlet says, as written; ⚠ marks values that "
        "cannot all hold.</p>"
        f'<table class="claims"><tr><th>claim</th>{head}</tr>{"".join(rows)}</table>{more}'
    )


def _html_stories(d: dict[str, Any]) -> str:
    rows = "".join(
        f'<tr><td><a href="#story-{_h(st["id"])}"><code>{_h(st["id"])}</code>'
        f"</a></td><td>{_h(st['label'])}</td><td>{len(st['articles'])}</td>"
        f"<td>{st['n_findings']}</td></tr>"
        for st in d["stories"]
    )
    return (
        "<h2>Stories</h2><p>Articles are compared only with the others of their story.</p>"
        '<table class="stories"><tr><th>story</th><th>label</th><th>articles</th>'
        f"<th>findings</th></tr>{rows}</table>"
    )


def to_html(report: Report) -> str:
    """A single self-contained HTML page: claim x outlet matrix and findings.

    No external assets; one small inline script filters the findings by kind
    and severity (without it every finding shows). Article text is escaped.
    """
    d = to_json_dict(report)
    arts = {a["id"]: a for a in d["articles"]}
    claims = {g["id"]: g for g in d["claims"]}
    stories = {st["id"]: st for st in d["stories"]}
    order = {sid: i for i, sid in enumerate(stories)}
    rows = []
    current: object = ()
    findings = sorted(d["divergences"], key=lambda f: order.get(f.get("story"), len(order)))
    for f in findings:
        if f.get("story") != current:
            current = f.get("story")
            st = stories.get(str(current))
            head = _h(st["label"] if st else "no story")
            sid = _h(str(current))
            rows.append(
                f'<tr class="story" id="story-{sid}"><th colspan=8>Story: {head} '
                f"<code>{sid}</code></th></tr>"
            )
        cells = []
        for side in ("a", "b"):
            s = f[side]
            if s is None:
                cells.append("<td></td>")
                continue
            a = arts[s["article_id"]]
            head = _h(f"{a['outlet'] or a['id']} {a['published'] or ''}")
            cells.append(
                f"<td><div class=src>{head}</div>"
                f"{_html_quote(s['text'], s['highlight'], s['start'])}</td>"
            )
        claim = ""
        if f.get("claim"):
            g = claims.get(f["claim"])
            label = _h(claim_label(g, f["claim"]))
            claim = f'<a href="#claim-{_h(f["claim"])}">{label}</a>' if g is not None else label
        fid, kind, sev = (_h(str(f[k])) for k in ("id", "kind", "severity"))
        rows.append(
            f'<tr id="finding-{fid}" class="finding {sev}" data-kind="{kind}" '
            f'data-severity="{sev}"><td>{sev}</td><td>{kind}</td>'
            f"<td>{f['score']:.2f}</td>{''.join(cells)}"
            f"<td>{_h(f['explanation'])}</td><td class=claim>{claim}</td>"
            f"<td class=story>{_h(str(f.get('story')))}</td></tr>"
        )
    kinds = sorted({str(f["kind"]) for f in d["divergences"]})
    sevs = [s.value for s in Severity if any(f["severity"] == s.value for f in d["divergences"])]
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}"
        "mark{background:#ffd54f}.src{color:#666;font-size:.85em}"
        "tr.high td:first-child{color:#b00020;font-weight:bold}"
        "table.claims tr.conflict th,table.claims tr.conflict td{background:#fde7e9}"
        "[hidden]{display:none}.filters label{margin-right:1em}"
    )
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        f"<title>Consistency report</title><style>{style}</style></head><body>"
        f"<h1>Consistency report</h1><p>{len(d['articles'])} articles, "
        f"{len(d['divergences'])} findings.</p>"
        f"{_html_stories(d)}{_html_claims(d)}"
        "<h2>Findings</h2>"
        f'<p class="filters">{_html_select("kind", kinds)}{_html_select("severity", sevs)}'
        '<span id="filter-count"></span></p>'
        '<table class="findings"><tr><th>severity</th><th>kind</th><th>confidence</th>'
        "<th>A</th><th>B</th><th>explanation</th><th>claim</th><th>story</th></tr>"
        f"{''.join(rows)}</table>"
        f"<script>{_FILTER_SCRIPT}</script></body></html>\n"
    )


CLAIM_ROWS_SCHEMA: dict[str, Any] = {
    "claim": pl.String,
    "slot": pl.String,
    "subject": pl.String,
    "conflict": pl.Boolean,
    "value": pl.String,
    "qualifier": pl.String,
    "outlet": pl.String,
    "article_id": pl.String,
    "sent_idx": pl.Int64,
    "start": pl.Int64,
    "end": pl.Int64,
    "text": pl.String,
}
"""Columns of ``claims.parquet``: one row per claim group, value and span that gives it."""


def claim_rows(report: Report) -> pl.DataFrame:
    """The contract's ``claims`` list as a flat frame (see :data:`CLAIM_ROWS_SCHEMA`).

    The same rows whether the report was just built or read back from JSON.
    """
    outlets = dict(zip(report.articles["article_id"], report.articles["outlet"], strict=True))
    rows = [
        {
            "claim": g["id"],
            "slot": g["slot"],
            "subject": g.get("subject"),
            "conflict": bool(g.get("conflict")),
            "value": None if v.get("value") is None else str(v["value"]),
            "qualifier": v.get("qualifier"),
            "outlet": outlets.get(sp["article_id"]) or sp["article_id"],
            "article_id": sp["article_id"],
            "sent_idx": sp.get("sent_idx"),
            "start": sp["start"],
            "end": sp["end"],
            "text": sp.get("text"),
        }
        for g in claims_json(report)
        for v in g.get("values") or []
        for sp in v.get("spans") or []
    ]
    return pl.DataFrame(rows, schema=CLAIM_ROWS_SCHEMA)


def write_parquet(report: Report, directory: Path) -> list[Path]:
    """Write each stage frame as ``<name>.parquet`` under ``directory``.

    Beside the stage frames, ``claims.parquet`` holds the report's claim
    groups, one row per group, value and span (:func:`claim_rows`).
    """
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, df in (
        ("articles", report.articles),
        ("sentences", report.sentences),
        ("facts", report.facts),
        ("pairs", report.pairs),
        ("divergences", report.divergences),
        ("stories", report.story_frame()),
        ("claims", claim_rows(report)),
    ):
        p = directory / f"{name}.parquet"
        df.write_parquet(p)
        out.append(p)
    return out


def _read_published(value: str | None) -> tuple[dt.date | None, str | None]:
    if not value:
        return None, None
    parts = [int(p) for p in str(value).split("-")]
    precision = {1: "year", 2: "month"}.get(len(parts), "day")
    return dt.date(*(parts + [1] * (3 - len(parts)))[:3]), precision


def load_report(path: Path) -> Report:
    """Read a ``consistency.report/2`` (or ``/1``) JSON file back into a :class:`Report`.

    The sentences frame holds only the sentences the findings cite and their
    context is served from the stored ``before``/``after`` text; pairs and
    facts are empty.

    Raises:
        InputError: the file is not readable JSON of this schema.
    """
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(str(path), f"not a readable JSON report ({e})") from None
    if not isinstance(d, dict) or d.get("schema") not in READ_SCHEMAS:
        raise InputError(str(path), f"not a {REPORT_SCHEMA} report")
    try:
        articles = ARTICLES.conform(
            pl.DataFrame(
                [
                    {
                        "article_id": a["id"],
                        "source": a.get("source") or a["id"],
                        "outlet": a.get("outlet"),
                        "title": a.get("title"),
                        "url": a.get("url"),
                        "published": _read_published(a.get("published"))[0],
                        "published_precision": _read_published(a.get("published"))[1],
                        "language": a.get("language") or "und",
                        "text": a.get("text") or "",
                        "text_sha": a.get("text_sha") or "",
                    }
                    for a in d["articles"]
                ],
                schema=ARTICLES.polars_schema,
            )
        )
        sent_rows: dict[tuple[str, int], dict[str, Any]] = {}
        div_rows = []
        for f in d["divergences"]:
            row: dict[str, Any] = {
                "divergence_id": f["id"],
                "kind": f["kind"],
                "severity": f["severity"],
                "score": float(f["score"]),
                "explanation": f["explanation"],
                "evidence": json.dumps(f.get("evidence") or {}, ensure_ascii=False),
                "claim_id": f.get("claim"),
            }
            for p in ("a", "b"):
                s = f.get(p)
                row[f"{p}_article"] = s["article_id"] if s else None
                row[f"{p}_idx"] = s.get("sent_idx", 0) if s else None
                row[f"{p}_start"] = s["start"] if s else None
                row[f"{p}_end"] = s["end"] if s else None
                row[f"{p}_highlight"] = s["highlight"] if s else None
                if s:
                    idx = int(s.get("sent_idx", 0))
                    sent_rows[(s["article_id"], idx)] = {
                        "article_id": s["article_id"],
                        "sent_idx": idx,
                        "block_idx": 0,
                        "start": s["start"],
                        "end": s["end"],
                        "text": s["text"],
                    }
                    for off, key in ((-1, "before"), (1, "after")):
                        if s.get(key) and (s["article_id"], idx + off) not in sent_rows:
                            sent_rows[(s["article_id"], idx + off)] = {
                                "article_id": s["article_id"],
                                "sent_idx": idx + off,
                                "block_idx": 0,
                                "start": -1,
                                "end": -1,
                                "text": s[key],
                            }
            div_rows.append(row)
        divergences = DIVERGENCES.conform(pl.DataFrame(div_rows, schema=DIVERGENCES.polars_schema))
        sentences = SENTENCES.conform(
            pl.DataFrame(list(sent_rows.values()), schema=SENTENCES.polars_schema)
        )
        stories = None
        if d.get("stories") is not None:
            stories = STORIES.conform(
                pl.DataFrame(
                    [
                        {
                            "story_id": st["id"],
                            "label": st.get("label") or st["id"],
                            "first_published": _read_published(st.get("first_published"))[0],
                            "last_published": _read_published(st.get("last_published"))[0],
                            "n_articles": len(st["articles"]),
                            "article_ids": [str(a) for a in st["articles"]],
                        }
                        for st in d["stories"]
                    ],
                    schema=STORIES.polars_schema,
                )
            )
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(str(path), f"malformed report ({type(e).__name__}: {e})") from None
    return Report(
        articles=articles,
        sentences=sentences,
        facts=FACTS.empty(),
        pairs=PAIRS.empty(),
        divergences=divergences,
        generated_by=dict(d.get("generated_by") or {}),
        warnings=tuple(d.get("warnings") or ()),
        loaded_claims=tuple(d.get("claims") or ()),
        stories=stories,
    )
