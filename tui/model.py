"""View model: the report's findings as plain records, and the queue's filters.

Pure functions of a :class:`~consistency.report.Report` and the store's
decisions; nothing here draws anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from consistency.normalise import display_safe
from consistency.report import Report, claim_label, claims_json, to_json_dict
from consistency.review_store import Decision

STATUSES: tuple[str, ...] = ("unreviewed", "reviewed", "accepted", "rejected", "unsure")
"""Values of :attr:`Filters.status` besides ``None`` (any)."""


@dataclass(frozen=True)
class Side:
    """One sentence of a finding.

    Attributes:
        article_id: the article.
        outlet: the outlet's name (the article id when unknown).
        published: ISO date or None.
        title: the article's title or None.
        sent_idx: sentence index in the article.
        start: offset of the sentence in the article's text.
        end: end offset.
        text: the sentence.
        highlight: ``(start, end)`` spans relative to :attr:`text`.
        before: the sentence before, or None.
        after: the sentence after, or None.
        before_highlight: spans relative to :attr:`before`: the speaker of an
            attribution finding when the name is there and not in the sentence
            itself (a quote continued from the sentence before).
    """

    article_id: str
    outlet: str
    published: str | None
    title: str | None
    sent_idx: int
    start: int
    end: int
    text: str
    highlight: tuple[tuple[int, int], ...]
    before: str | None
    after: str | None
    before_highlight: tuple[tuple[int, int], ...] = ()


def name_spans(text: str | None, name: str | None) -> tuple[tuple[int, int], ...]:
    """Where ``name`` occurs in ``text`` as whole words; failing that, its last word.

    Args:
        text: where to look (None: nowhere).
        name: a person's name as the judge read it, e.g. ``"John Kirby"``.

    Returns:
        ``(start, end)`` spans in ``text``, in order; empty when not found.
    """
    if not text or not name or not name.strip():
        return ()
    for probe in (name.strip(), name.split()[-1]):
        if len(probe) < 3:
            continue
        spans = tuple(
            (m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(probe)}(?!\w)", text)
        )
        if spans:
            return spans
    return ()


@dataclass(frozen=True)
class Finding:
    """One divergence as the UI shows it."""

    id: str
    kind: str
    severity: str
    score: float
    sides: tuple[Side, ...]
    explanation: str
    evidence: dict[str, Any] = field(default_factory=dict)
    claim: str | None = None
    """The id of the claim group it is about, or None."""
    story: str | None = None
    """The id of its story, or None (a report without stories)."""
    story_label: str | None = None
    """Its story's label (main names and date), or None."""

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets of its sides."""
        return tuple(s.outlet for s in self.sides)

    def search_text(self) -> str:
        """Lower-cased text that ``/`` search matches against."""
        parts = [self.id, self.kind, self.severity, self.explanation, *self.outlets]
        parts += [s.text for s in self.sides]
        return "\n".join(parts).lower()


def _safe(text: str | None, *, newlines: bool = True) -> str | None:
    return None if text is None else display_safe(text, newlines=newlines)


def findings_from_report(report: Report) -> list[Finding]:
    """Every divergence of ``report``, sorted by severity then score (per story).

    A report of several stories keeps each story's findings together, in the
    order of its ``stories`` list, each story's sorted by severity then score.

    Every string taken from an article (text, outlet, title, explanation) has its
    control characters replaced by visible placeholders of the same length
    (:func:`~consistency.normalise.display_safe`), so that article text cannot
    drive the terminal; offsets are unchanged.
    """
    d = to_json_dict(report)
    arts = {a["id"]: a for a in d["articles"]}
    labels = {st["id"]: st["label"] for st in d.get("stories") or []}
    out = []
    for f in d["divergences"]:
        sides = []
        for p in ("a", "b"):
            s = f[p]
            if s is None:
                continue
            art = arts.get(s["article_id"], {})
            base = int(s["start"])
            n = len(s["text"])
            hl = tuple(
                (max(0, a - base), min(n, b - base))
                for a, b in sorted(s["highlight"] or [])
                if b - base > 0 and a - base < n
            )
            before = _safe(s.get("before"))
            before_hl: tuple[tuple[int, int], ...] = ()
            speaker = (f.get("evidence") or {}).get(f"{p}_speaker")
            if f["kind"] == "attribution" and isinstance(speaker, str):
                if not name_spans(s["text"], speaker):
                    before_hl = name_spans(before, speaker)
            sides.append(
                Side(
                    article_id=s["article_id"],
                    outlet=display_safe(s.get("outlet") or s["article_id"], newlines=False),
                    published=art.get("published"),
                    title=_safe(art.get("title"), newlines=False),
                    sent_idx=int(s["sent_idx"]),
                    start=base,
                    end=int(s["end"]),
                    text=display_safe(s["text"]),
                    highlight=hl,
                    before=before,
                    after=_safe(s.get("after")),
                    before_highlight=before_hl,
                )
            )
        out.append(
            Finding(
                id=f["id"],
                kind=f["kind"],
                severity=f["severity"],
                score=float(f["score"]),
                sides=tuple(sides),
                explanation=display_safe(f["explanation"] or ""),
                evidence=f["evidence"] if isinstance(f["evidence"], dict) else {},
                claim=f.get("claim"),
                story=f.get("story"),
                story_label=_safe(labels.get(f.get("story") or ""), newlines=False),
            )
        )
    if len({f.story for f in out}) > 1:
        order = {st["id"]: i for i, st in enumerate(d.get("stories") or [])}
        out.sort(key=lambda f: order.get(f.story or "", len(order)))  # stable: severity kept
    return out


def claims_by_id(report: Report) -> dict[str, dict[str, Any]]:
    """The report's claim groups (entries of its JSON ``claims`` list) by group id."""
    return {str(g["id"]): g for g in claims_json(report)}


def claim_lines(group: dict[str, Any]) -> tuple[str, list[str]]:
    """A claim group as the detail view shows it.

    Returns:
        The heading (``slot subject``, with ``conflict`` when its values cannot
        all hold) and one line per value: ``VALUE — outlet1, outlet2``, the
        value followed by its qualifier when not exact and by how the outlets
        wrote it when that differs from the value.
    """
    head = claim_label(group) + ("  (conflict)" if group.get("conflict") else "")
    lines = []
    for v in group.get("values") or []:
        value = str(v.get("value"))
        qual = v.get("qualifier")
        if qual and qual != "exact":
            value += f" ({qual})"
        written = list(dict.fromkeys(str(sp.get("text")) for sp in v.get("spans") or []))
        written = [w for w in written if w != str(v.get("value"))]
        line = f"{value} — {', '.join(str(o) for o in v.get('outlets') or [])}"
        if written:
            line += "   " + " / ".join(f"“{' '.join(w.split())}”" for w in written)
        lines.append(line)
    return head, lines


@dataclass(frozen=True)
class Filters:
    """What the queue shows; ``None`` means any.

    Attributes:
        kind: a Kind value.
        severity: a Severity value.
        outlet: an outlet on either side.
        status: one of :data:`STATUSES`.
        search: case-insensitive text to find in the sentences, explanation, outlets or id.
    """

    kind: str | None = None
    severity: str | None = None
    outlet: str | None = None
    status: str | None = None
    search: str = ""

    @property
    def active(self) -> bool:
        """Whether anything is filtered out."""
        return any((self.kind, self.severity, self.outlet, self.status, self.search))

    def describe(self) -> str:
        """A short summary such as ``kind=date status=unreviewed /kirby``."""
        parts = [
            f"{k}={v}"
            for k, v in (
                ("kind", self.kind),
                ("severity", self.severity),
                ("outlet", self.outlet),
                ("status", self.status),
            )
            if v
        ]
        if self.search:
            parts.append(f"/{self.search}")
        return " ".join(parts)


def status_of(decision: Decision | None) -> str:
    """``accepted``, ``rejected``, ``unsure`` or ``unreviewed``."""
    if decision is None or decision.verdict is None:
        return "unreviewed"
    return decision.verdict.value


def matches(finding: Finding, filters: Filters, decision: Decision | None) -> bool:
    """Whether ``finding`` passes ``filters``."""
    if filters.kind and finding.kind != filters.kind:
        return False
    if filters.severity and finding.severity != filters.severity:
        return False
    if filters.outlet and filters.outlet not in finding.outlets:
        return False
    if filters.status:
        st = status_of(decision)
        if filters.status == "reviewed":
            if st == "unreviewed":
                return False
        elif st != filters.status:
            return False
    return not (filters.search and filters.search.lower() not in finding.search_text())


def excerpt(finding: Finding, width: int) -> str:
    """A one-line excerpt of the first side, centred on its first highlight."""
    side = finding.sides[0]
    text = " ".join(side.text.split())
    if len(text) <= width:
        return text
    if side.highlight:
        # count collapsed whitespace roughly: centre on the highlight's start
        centre = min(len(text), side.highlight[0][0])
        start = max(0, min(centre - width // 3, len(text) - width))
    else:
        start = 0
    piece = text[start : start + width]
    if start > 0:
        piece = "…" + piece[1:]
    if start + width < len(text):
        piece = piece[:-1] + "…"
    return piece


def _fact(f: dict[str, Any]) -> str:
    """One extracted fact as a reviewer reads it: type, surface form, resolved value."""
    kind = f.get("type", "fact")
    out = f"{kind} {f.get('surface', '')!s}"
    value = f.get("value_date") or f.get("value_num")
    if value is not None and _compact(value) not in str(f.get("surface", "")):
        out += f" = {_compact(value)}"
    extra = [str(f[k]) for k in ("unit", "qualifier") if f.get(k) and f[k] != "day"]
    if extra:
        out += f" ({', '.join(extra)})"
    return out


def evidence_lines(evidence: dict[str, Any]) -> list[str]:
    """The evidence as short ``key: value`` lines.

    Extracted facts (``*_facts``) read as ``type surface = value (unit, qualifier)``,
    without their offsets; other nested objects are flattened compactly.
    """
    lines = []
    for key, val in evidence.items():
        if key.endswith("facts") and isinstance(val, list):
            facts = [_fact(f) for f in val if isinstance(f, dict)]
            lines.append(f"{key}: {'; '.join(facts) if facts else '-'}")
        elif isinstance(val, dict):
            inner = ", ".join(f"{k}={_compact(v)}" for k, v in val.items())
            lines.append(f"{key}: {inner}")
        else:
            lines.append(f"{key}: {_compact(val)}")
    return lines


def _compact(val: Any) -> str:
    if isinstance(val, float):
        return f"{val:.3f}".rstrip("0").rstrip(".")
    if isinstance(val, list):
        return "; ".join(_compact(v) for v in val)
    if isinstance(val, dict):
        return "{" + ", ".join(f"{k}: {_compact(v)}" for k, v in val.items()) + "}"
    if val is None:
        return "-"
    return str(val) if not isinstance(val, str) else val


def dumps(evidence: dict[str, Any]) -> str:
    """The evidence as one line of JSON."""
    return json.dumps(evidence, ensure_ascii=False)
