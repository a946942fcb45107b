"""View model: the report's findings as plain records, and the queue's filters.

Pure functions of a :class:`~consistency.outputs.report.Report` and the store's
decisions; nothing here draws anything. How a side is fitted to the screen and the
evidence put in lines is :mod:`tui.fit`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from consistency.outputs.md import all_findings
from consistency.outputs.report import Report, claim_label, claims_json, to_json_dict
from consistency.outputs.review_files import Decision
from consistency.text.normalise import display_safe

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
        highlight: ``(start, end)`` spans relative to :attr:`text` (for an
            attribution finding that gives none on this side: the speaker's
            name, where the sentence has it).
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
        parts = [self.id, self.kind, self.severity, clash_summary(self), self.explanation]
        parts += self.outlets
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
    (:func:`~consistency.text.normalise.display_safe`), so that article text cannot
    drive the terminal; offsets are unchanged.
    """
    d = to_json_dict(report)
    arts = {a["id"]: a for a in d["articles"]}
    labels = {st["id"]: st["label"] for st in d.get("stories") or []}
    out = []
    for f in all_findings(d):
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
                in_text = name_spans(s["text"], speaker)
                if not in_text:
                    before_hl = name_spans(before, speaker)
                elif not hl:  # no span given: the speaker's name is what to look at
                    hl = in_text
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


QUALIFIER_MARKS: dict[str, str] = {
    "more_than": ">",
    "over": ">",
    "at_least": "≥",
    "less_than": "<",
    "under": "<",
    "at_most": "≤",
    "up_to": "≤",
    "about": "~",
    "nearly": "~",
    "almost": "~",
}
"""How a figure's qualifier is written before it in a queue row (``exact`` and others: nothing)."""


HIGHLIGHT_KINDS = frozenset({"date", "name", "number"})
"""Kinds whose highlighted words (one per side) are the clashing values themselves."""


_SHORT_WORDS = 40
"""Longest highlight (characters) that a queue row quotes as a value."""


def _figure(value: Any, qualifier: Any = None) -> str:
    """A figure with its qualifier as a mark: ``>30``, ``~1.5``, ``41``."""
    mark = QUALIFIER_MARKS.get(qualifier, "") if isinstance(qualifier, str) else ""
    return mark + compact_value(value)


def _words(text: str) -> str:
    return " ".join(text.split())


def _first_highlight(side: Side) -> str | None:
    """The words of a side's first highlight, when short enough to stand for a value."""
    if not side.highlight:
        return None
    a, b = side.highlight[0]
    words = _words(side.text[a:b])
    return words if 0 < len(words) <= _SHORT_WORDS else None


def short_explanation(explanation: str) -> str:
    """The explanation's first clause: up to the first ``; ``, ``: `` or sentence end.

    A clause shorter than 20 characters says too little alone: the cut moves to
    the next separator (the whole explanation, on one line, when none is left).
    """
    text = _words(explanation)
    cuts = sorted(
        i + (1 if sep == ". " else 0)
        for sep in ("; ", ": ", ". ")
        for i in (m.start() for m in re.finditer(re.escape(sep), text))
    )
    for cut in cuts:
        head = text[:cut].rstrip(".")
        if len(head) >= 20:
            return head
    return text.rstrip(".")


def _clash(finding: Finding) -> str:
    ev = finding.evidence
    if "a_value" in ev and "b_value" in ev:
        out = f"{_figure(ev['a_value'], ev.get('a_qualifier'))} / "
        out += _figure(ev["b_value"], ev.get("b_qualifier"))
        slot = ev.get("slot")
        return f"{out}   {str(slot).replace('_', ' ')}" if slot else out
    for key in ("speaker", "name"):
        a, b = ev.get(f"a_{key}"), ev.get(f"b_{key}")
        if isinstance(a, str) and isinstance(b, str) and a.strip() and b.strip():
            return f"{_words(a)} / {_words(b)}"
    # a pair of figures or dates kept under one key: {"a": {...}, "b": {...}}
    for key, field_ in (("numbers", "value"), ("dates", "surface")):
        pair = ev.get(key)
        if isinstance(pair, dict) and isinstance(pair.get("a"), dict):
            a, b = pair["a"], pair.get("b")
            if isinstance(b, dict) and a.get(field_) is not None and b.get(field_) is not None:
                out = f"{_figure(a[field_], a.get('qualifier'))} / "
                out += _figure(b[field_], b.get("qualifier"))
                unit = a.get("unit") if key == "numbers" else None
                return f"{out}   {unit}" if isinstance(unit, str) and unit else out
    if "whole" in ev and isinstance(ev.get("parts"), list):  # parts that do not add up
        parts = "+".join(compact_value(p) for p in ev["parts"])
        slot = ev.get("slot")
        out = f"{parts} / {compact_value(ev['whole'])}"
        return f"{out}   {str(slot).replace('_', ' ')}" if slot else out
    if "total" in ev and isinstance(ev.get("grades"), dict):  # grades over the total injured
        grades = "+".join(compact_value(v) for v in ev["grades"].values())
        return f"{grades} / {compact_value(ev['total'])}   injured"
    words = [w for w in (_first_highlight(s) for s in finding.sides) if w]
    if finding.kind in HIGHLIGHT_KINDS and len(finding.sides) == 2 and len(words) == 2:
        return f"{words[0]} / {words[1]}"
    if finding.kind == "date" and words and "fits" in ev and "year" in ev:
        return f"{words[0]}: fits {compact_value(ev['fits'])}, not {compact_value(ev['year'])}"
    if finding.kind == "unique" and words:
        return f"only {words[0]}"
    return short_explanation(finding.explanation)


def clash_summary(finding: Finding) -> str:
    """What clashes in ``finding``, in a few words, for its queue row.

    The two values when the evidence has them: figures (``a_value``/``b_value``,
    qualifiers as marks, then the slot: ``41 / >44   dead``), speakers
    (``Kirby / Watson``), names (``a_name``/``b_name``), parts against their
    whole; else, for dates, names and figures, the highlighted words of each
    side (``Selasa (5/9/2023) / Senin (5/9)``); a figure only one outlet gives
    reads ``only ...``; anything else falls back to :func:`short_explanation`.
    One line, control characters made visible; the caller cuts it to its width.
    """
    return display_safe(_clash(finding), newlines=False)


Spans = tuple[tuple[int, int], ...]


def compact_value(val: Any) -> str:
    if isinstance(val, float):
        return f"{val:.3f}".rstrip("0").rstrip(".")
    if isinstance(val, list):
        return "; ".join(compact_value(v) for v in val)
    if isinstance(val, dict):
        return "{" + ", ".join(f"{k}: {compact_value(v)}" for k, v in val.items()) + "}"
    if val is None:
        return "-"
    return str(val) if not isinstance(val, str) else val
