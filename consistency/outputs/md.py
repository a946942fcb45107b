"""The Markdown report, and what the Markdown and HTML reports share.

Both renderers work from the JSON form of a report (``to_json_dict``), never
from the frames, so a report read back from JSON renders the same. Findings are
grouped per story, then per claim group (the finding's ``claim``; findings with
no claim are grouped by kind), the groups most severe first and each group's
findings by confidence (:func:`finding_groups`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from consistency.text.normalise import display_safe
from consistency.types import Severity

SEVERITY_RANK = {s.value: s.rank for s in Severity}
VERDICTS = ("accepted", "rejected", "unsure")
"""The verdicts a reviewer can give (a finding without one is "not reviewed")."""

MD_FULL_FINDINGS = 3
"""How many findings of a group the Markdown quotes in full; the others get one line."""


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 story"``, ``"2 stories"``: ``n`` and the word, plural unless ``n`` is 1."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_text(text: str) -> str:
    """Article text safe in Markdown: one line, no live HTML, links or emphasis.

    Control characters become visible placeholders
    (:func:`~consistency.text.normalise.display_safe`), ``&``, ``<`` and ``>``
    become HTML entities, and Markdown's inline syntax characters are
    backslash-escaped, so a CommonMark renderer shows the text as written.
    """
    t = " ".join(display_safe(text).split("\n"))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(t, quote=False))


def marked(
    text: str,
    spans: Iterable[list[int]],
    base: int,
    escape: Callable[[str], str],
    mark: tuple[str, str],
) -> str:
    """``text`` (which starts at offset ``base``) escaped with ``escape``, each highlighted
    span between ``mark``'s two strings (overlapping or out-of-text spans are skipped)."""
    out, pos = [], 0
    for a, b in sorted((s[0] - base, s[1] - base) for s in spans):
        if a < pos or a < 0 or b > len(text):
            continue
        out.append(escape(text[pos:a]))
        out.append(mark[0] + escape(text[a:b]) + mark[1])
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


def quote_md(text: str, spans: Iterable[list[int]], base: int) -> str:
    """``text`` (which starts at offset ``base``) with the highlighted spans in bold."""
    return marked(text, spans, base, md_text, ("**", "**"))


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


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def side_marks(side: dict[str, Any]) -> list[str]:
    """The highlighted words of one side of a finding, as written."""
    base, text = side["start"], side["text"]
    return [text[a - base : b - base] for a, b in side.get("highlight") or []]


@dataclass(frozen=True)
class FindingGroup:
    """Findings about one claim group (or, with no claim, of one kind).

    Attributes:
        key: the claim id, or ``kind:<kind>`` for findings with no claim.
        label: what the group is about (``slot subject``, or the kind).
        claim: the group's entry of the JSON's ``claims`` (None when not listed).
        kind: the findings' kind when they have no claim, else None.
        values: the distinct values the group's findings or claim give, as shown.
        findings: the findings, highest confidence first.
    """

    key: str
    label: str
    claim: dict[str, Any] | None
    kind: str | None
    values: list[str]
    findings: list[dict[str, Any]]

    @property
    def conflict(self) -> bool:
        return bool(self.claim and self.claim.get("conflict"))

    @property
    def severity(self) -> str:
        return min((f["severity"] for f in self.findings), key=SEVERITY_RANK.__getitem__)

    @property
    def score(self) -> float:
        return max(float(f["score"]) for f in self.findings)

    def outlets(self) -> list[str]:
        """The outlets the findings quote, in order of appearance."""
        out = [f[p]["outlet"] or f[p]["article_id"] for f in self.findings for p in "ab" if f[p]]
        return list(dict.fromkeys(out))

    def title(self) -> str:
        """``⚠ label: value / value``: the heading of the group."""
        head = ("⚠ " if self.conflict else "") + self.label
        return head + (": " + " / ".join(self.values) if self.values else "")


def _group_values(claim: dict[str, Any] | None, findings: list[dict[str, Any]]) -> list[str]:
    if claim is not None:
        vals = []
        for v in claim.get("values") or []:
            spans = v.get("spans") or [{}]
            vals.append(_short(as_shown(spans[0].get("text") or "", v.get("value"))))
        return list(dict.fromkeys(vals))[:5]
    words = [_short(w) for f in findings for p in "ab" if f[p] for w in side_marks(f[p])]
    return list(dict.fromkeys(words))[:4]


def all_findings(d: dict[str, Any]) -> list[dict[str, Any]]:
    """Every finding of the JSON form ``d``: the divergences, then the figures only one
    outlet gives (``uncorroborated``, absent before ``consistency.report/3``)."""
    return [*d["divergences"], *(d.get("uncorroborated") or [])]


UNCORROBORATED_LABEL = "figures only one outlet gives"
"""How a group of ``unique`` findings is named: they are no disagreement."""


def finding_groups(
    d: dict[str, Any],
) -> list[tuple[dict[str, Any] | None, list[FindingGroup]]]:
    """The findings of the JSON form ``d`` per story (in the order of ``stories``),
    each story's findings grouped by claim (by kind when they have none), the
    groups most severe first, then by confidence; in a group, by confidence."""
    claims = {g["id"]: g for g in d.get("claims") or []}
    stories = {st["id"]: st for st in d.get("stories") or []}
    by_story: dict[Any, list[dict[str, Any]]] = {}
    for f in all_findings(d):
        by_story.setdefault(f.get("story"), []).append(f)
    order = [sid for sid in stories if sid in by_story] + [k for k in by_story if k not in stories]
    out = []
    for sid in order:
        raw: dict[str, list[dict[str, Any]]] = {}
        for f in by_story[sid]:
            raw.setdefault(f["claim"] or f"kind:{f['kind']}", []).append(f)
        groups = []
        for key, fs in raw.items():
            fs = sorted(fs, key=lambda f: (-float(f["score"]), SEVERITY_RANK[f["severity"]]))
            claim = claims.get(key)
            kinds = sorted({f["kind"] for f in fs})
            if key.startswith("kind:"):
                kind = fs[0]["kind"]
                label = UNCORROBORATED_LABEL if kind == "unique" else f"{kind}, no claim"
            else:
                label = claim_label(claim) if claim else "/".join(kinds)
                kind = None
            values = [] if kind else _group_values(claim, fs)
            groups.append(FindingGroup(key, label, claim, kind, values, fs))
        groups.sort(key=lambda g: (SEVERITY_RANK[g.severity], -g.score, g.kind or "", g.label))
        out.append((stories.get(sid), groups))
    return out


def count_by(items: Iterable[dict[str, Any]], key: str, order: Iterable[str]) -> str:
    """``"2 high, 1 low"``: how many items have each value of ``key``, in ``order``."""
    n: dict[str, int] = {}
    for it in items:
        k = it.get(key) or "not reviewed"
        n[k] = n.get(k, 0) + 1
    return ", ".join(f"{n[k]} {k}" for k in order if n.get(k))


def has_verdicts(d: dict[str, Any]) -> bool:
    """Whether the report was written with reviewers' verdicts."""
    return any("verdict" in f for f in all_findings(d))


def models_line(d: dict[str, Any]) -> str:
    """The run's version and models as one Markdown line."""
    g = d.get("generated_by") or {}
    return "Models: " + ", ".join(f"{md_text(str(k))} `{md_text(str(v))}`" for k, v in g.items())


# -- Markdown ---------------------------------------------------------------------------


def _md_claims(d: dict[str, Any]) -> list[str]:
    m = claim_matrix(d)
    lines = ["", "## Claims", ""]
    if not m.rows:
        return lines + ["No claim is given by two or more outlets."]
    n_conf = sum(1 for g, _ in m.rows if g.get("conflict"))
    lines.append(
        f"What each outlet says, as written: {plural(len(m.rows), 'claim')} given by two or "
        f"more outlets, {n_conf} with values that cannot all hold (marked ⚠)."
    )
    lines.append("")
    lines.append("| claim | " + " | ".join(md_text(o) for o in m.outlets) + " |")
    lines.append("|---" * (len(m.outlets) + 1) + "|")
    for g, cells in m.rows:
        head = ("⚠ " if g.get("conflict") else "") + md_text(claim_label(g))
        row = [" / ".join(md_text(t) for t in cells.get(o, [])) for o in m.outlets]
        lines.append(f"| {head} | " + " | ".join(row) + " |")
    if m.left_out:
        lines += ["", f"{m.left_out} more claims not shown (the table stops at {MATRIX_MAX_ROWS})."]
    return lines


def _md_verdict(f: dict[str, Any]) -> str:
    if "verdict" not in f:
        return ""
    out = f" Verdict: **{f['verdict'] or 'not reviewed'}**."
    if f.get("note"):
        out += f" Note: {md_text(f['note'])}"
    return out


def _md_finding(f: dict[str, Any], group: FindingGroup, arts: dict[str, Any]) -> list[str]:
    head = f"**{f['severity'].upper()}** {f['kind']}, confidence {f['score']:.2f}, `{f['id']}`"
    if f.get("claim") and group.claim is not None:
        head += f", claim: {('⚠ ' if group.conflict else '')}{md_text(group.label)}"
    lines = [head + "." + _md_verdict(f) + "\\", md_text(f["explanation"]), ""]
    for p in "ab":
        s = f[p]
        if s is None:
            continue
        a = arts.get(s["article_id"], {})
        src = md_text(a.get("outlet") or s["article_id"])
        if a.get("published"):
            src += f", {a['published']}"
        quote = quote_md(s["text"], s["highlight"], s["start"])
        if not s["highlight"]:  # nothing marked here: the sentences around say who or when
            before, after = (
                f"_{md_text(c).strip()}_ " if c else "" for c in (s["before"], s["after"])
            )
            quote = f"{before}{quote} {after}".rstrip()
        lines.append(f"- {src}: {quote}")
    return lines + [""]


def _md_summary(d: dict[str, Any], stories: list[tuple[Any, list[FindingGroup]]]) -> list[str]:
    verdicts = has_verdicts(d)
    lines = ["| severity | about | findings | confidence | outlets |" + (" verdicts |" * verdicts)]
    lines.append("|---" * (5 + verdicts) + "|")
    for _st, groups in stories:
        for g in groups:
            outlets = g.outlets()
            shown = ", ".join(md_text(o) for o in outlets[:4])
            shown += f" +{len(outlets) - 4}" if len(outlets) > 4 else ""
            row = f"| {g.severity.upper()} | {md_text(_short(g.title(), 70))} "
            row += f"| {len(g.findings)} | {g.score:.2f} | {shown} |"
            if verdicts:
                row += f" {count_by(g.findings, 'verdict', (*VERDICTS, 'not reviewed'))} |"
            lines.append(row)
    return lines


def render_markdown(d: dict[str, Any]) -> str:
    """A report for people from the JSON form ``d``: a summary table of the finding
    groups, the articles, the claim x outlet table, then per story one short
    section per claim group (the first findings quoted, the rest one line each)."""
    arts = {a["id"]: a for a in d["articles"]}
    fs = all_findings(d)
    stories = finding_groups(d)
    n_st = len(d["stories"])
    sevs = count_by(fs, "severity", [s.value for s in Severity])
    lines = ["# Consistency report", ""]
    lines.append(
        f"{plural(len(d['articles']), 'article')}, {plural(len(fs), 'finding')}"
        + (f" ({sevs})" if sevs else "")
        + f" in {plural(n_st, 'story', 'stories')}. {models_line(d)}."
    )
    if has_verdicts(d):
        lines += ["", f"Verdicts: {count_by(fs, 'verdict', (*VERDICTS, 'not reviewed'))}."]
    if fs:
        lines += ["", *_md_summary(d, stories)]
    lines += ["", "## Articles", "", "| article | outlet | published | language | sentences |"]
    lines.append("|---|---|---|---|---|")
    for a in d["articles"]:
        lines.append(
            f"| {md_text(a['id'])} | {md_text(a['outlet'] or '')} | {a['published'] or ''} "
            f"| {md_text(a['language'] or '')} | {a['n_sentences']} |"
        )
    for w in d["warnings"]:
        lines.append(f"\n> warning: {md_text(w)}")
    lines += _md_claims(d)
    if n_st > 1:
        lines += ["", "## Stories", "", f"{plural(n_st, 'story', 'stories')}; articles are "]
        lines[-1] += "compared only with the others of their story."
        lines += ["", "| story | label | articles | findings |", "|---|---|---|---|"]
        for st in d["stories"]:
            lines.append(
                f"| `{st['id']}` | {md_text(st['label'])} | {len(st['articles'])} "
                f"| {st['n_findings']} |"
            )
    if not fs:
        lines += ["", "No divergences found."]
    for st, groups in stories:
        head = f"{md_text(st['label'])} `{st['id']}`" if st else "no story"
        lines += ["", f"## Story: {head}"]
        for g in groups:
            lines += ["", f"### {md_text(g.title())} ({plural(len(g.findings), 'finding')})", ""]
            for f in g.findings[:MD_FULL_FINDINGS]:
                lines += _md_finding(f, g, arts)
            for f in g.findings[MD_FULL_FINDINGS:]:
                who = " / ".join(
                    md_text(f[p]["outlet"] or f[p]["article_id"]) for p in "ab" if f[p]
                )
                lines.append(
                    f"- {f['severity'].upper()} {f['score']:.2f} `{f['id']}` ({who}): "
                    f"{md_text(f['explanation'])}{_md_verdict(f)}"
                )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"
