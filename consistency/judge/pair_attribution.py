"""Pair comparator: one statement of an aligned pair credited to different people.

Reads the speaker facts of the two sentences of an aligned pair the
:mod:`.pairs` part took as the same statement; the explanation names every
outlet that credits each speaker (:meth:`PairAttribution._explain_attribution`,
run over all findings, the claim comparators' included).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from consistency.judge.base import Finding as _Finding
from consistency.judge.facts_view import FactsView
from consistency.judge.quotes import two_remarks
from consistency.text.names import same_person, surname_key
from consistency.types import Kind, Severity


class PairAttribution(FactsView):
    """Who said it, on an aligned pair."""

    def _attribution(
        self,
        a: tuple[str, int],
        b: tuple[str, int],
        fa: list[dict[str, Any]],
        fb: list[dict[str, Any]],
        overlap: float,
    ) -> _Finding | None:
        sa = [f for f in fa if f["fact_type"] == "speaker" and f["detail"].get("is_person")]
        sb = [f for f in fb if f["fact_type"] == "speaker" and f["detail"].get("is_person")]
        if not sa or not sb:
            return None
        if any(same_person(x["surface"], y["surface"]) for x in sa for y in sb):
            return None
        if self._language(a[0]) == self._language(b[0]) and two_remarks(
            (*a, self._sents[a]["text"]), (*b, self._sents[b]["text"])
        ):
            return None  # two direct quotes worded apart: two statements, not one
        na, nb = sa[0], sb[0]
        return self._from_facts(
            Kind.ATTRIBUTION,
            Severity.HIGH,
            round(min(0.99, 0.6 + 0.4 * overlap), 4),
            a,
            b,
            sa,
            sb,
            "",  # filled in by _explain_attribution
            "attribution",
            a_speaker=na["surface"],
            b_speaker=nb["surface"],
            a_how=na["detail"].get("how"),
            b_how=nb["detail"].get("how"),
        )

    def _explain_attribution(self, findings: list[_Finding]) -> None:
        """Name every outlet that credits each speaker for the same statement."""
        attr = [f for f in findings if f.kind is Kind.ATTRIBUTION]
        credit: dict[tuple[str, int], set[tuple[str, str]]] = defaultdict(set)
        for f in attr:
            assert f.b is not None
            credit[f.a].add((surname_key(f.evidence["b_speaker"]), f.b[0]))
            credit[f.b].add((surname_key(f.evidence["a_speaker"]), f.a[0]))
        for f in attr:
            assert f.b is not None
            sa, sb = f.evidence["a_speaker"], f.evidence["b_speaker"]
            out_a = {f.a[0]} | {art for s, art in credit[f.b] if s == surname_key(sa)}
            out_b = {f.b[0]} | {art for s, art in credit[f.a] if s == surname_key(sb)}
            f.explanation = self._credited(f, sa, out_a, sb, out_b)

    def _credited(self, f: _Finding, sa: str, out_a: set[str], sb: str, out_b: set[str]) -> str:
        """The explanation naming each speaker's outlets.

        "One quote credited to two people: Watson in Liputan6.com vs Kirby in
        Tempo.co and VOI; check who said it."
        """
        thing = "quote" if _is_quote(self._sents[f.a]["text"]) else "statement"
        ex = self.explain.speaking(f"attribution_{thing}")
        return ex.text(
            f"attribution_{thing}",
            a_speaker=_short(sa),
            a_outlets=ex.join(sorted(self._outlet(x) for x in out_a)),
            b_speaker=_short(sb),
            b_outlets=ex.join(sorted(self._outlet(x) for x in out_b)),
        )

    def _one_per_speaker_pair(self, findings: list[_Finding]) -> list[_Finding]:
        """One attribution finding per two people: the strongest, naming every outlet.

        "Kirby in Tempo.co and VOI vs Watson in Liputan6.com" is one
        disagreement however many sentence pairs show it; the others are listed
        in the kept finding's evidence (``also``: each one's two sentences).
        """
        groups: dict[frozenset[str], list[_Finding]] = defaultdict(list)
        for f in findings:
            if f.kind is Kind.ATTRIBUTION and f.b is not None:
                who = frozenset(surname_key(f.evidence[k]) for k in ("a_speaker", "b_speaker"))
                groups[who].append(f)
        dropped: set[int] = set()
        for group in groups.values():
            if len(group) < 2:
                continue
            keep = max(group, key=lambda f: f.score)
            sa, sb = keep.evidence["a_speaker"], keep.evidence["b_speaker"]
            out: dict[str, set[str]] = {surname_key(sa): set(), surname_key(sb): set()}
            for f in group:
                assert f.b is not None
                for side, speaker in ((f.a, "a_speaker"), (f.b, "b_speaker")):
                    out.setdefault(surname_key(f.evidence[speaker]), set()).add(side[0])
            keep.explanation = self._credited(
                keep, sa, out[surname_key(sa)], sb, out[surname_key(sb)]
            )
            also = {(f.a, f.b) for f in group if f.b is not None and (f.a, f.b) != (keep.a, keep.b)}
            keep.evidence["also"] = [{"a": list(a), "b": list(b)} for a, b in sorted(also)]
            dropped.update(id(f) for f in group if f is not keep)
        return [f for f in findings if id(f) not in dropped]


def _short(name: str) -> str:
    """The surname as written ("Andrienne Watson" -> "Watson")."""
    parts = name.split()
    return parts[-1] if parts else name


def _is_quote(text: str) -> bool:
    return any(c in text for c in '"“”«»')
