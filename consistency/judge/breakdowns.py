"""Comparator: a figure and the parts it is broken down into do not add up.

"membawa 34 penumpang yang terdiri atas 25 orang dewasa, 4 anak-anak, dan 2
bayi" gives parts that sum to 31, not 34. Reads the CLAIMS of each sentence:
a whole (a count right before a breakdown cue, itself a part or not) followed
by two or more parts of the same slot (``detail["part"]``, set by the claims
stage after a breakdown cue). When
the cue between them says the parts are all of it (``breakdown_complete`` in
the language files: "terdiri atas", "consisting of"), a sum that differs is a
finding; when it says "including" ("termasuk", "di antaranya"), only a sum
larger than the whole is. Every figure must be exact. A part counting another
kind of people aboard than the whole ("34 penumpang ..., ditambah 5 awak")
is not one of its parts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from consistency.claims.slots import aboard_facet, phrases, tokens
from consistency.judge.base import ClaimContext, Finding
from consistency.judge.explain import capital, number, quoted
from consistency.judge.values import label
from consistency.types import Kind, Severity


def _has_cue(between: str, cues: tuple[tuple[str, ...], ...]) -> bool:
    toks = [t.text for t in tokens(between)]
    return any(toks[i : i + len(cue)] == list(cue) for cue in cues for i in range(len(toks)))


_ITEM_SEP = re.compile(r"\s*[,;]\s*(?:(?:dan|serta|and)\s+)?|\s+(?:dan|serta|and)\s+", re.I)
_LAST_ITEM = re.compile(r"\b(?:dan|serta|and)\s+$", re.I)


def _every_item_counted(text: str, base: int, parts: list[dict[str, Any]]) -> bool:
    """Whether each item of the enumeration the parts are in holds one of them.

    The items run from the first part to the one after the list's last
    conjunction ("25 dewasa, 4 anak-anak, dan 2 bayi"); an item with no part
    ("seorang komandan") is a figure the claims stage did not read, and the
    sum would be short. A list with no conjunction is not read at all.
    """
    starts = sorted(int(p["start"]) - base for p in parts)
    seg0 = starts[0]
    seg = text[seg0:]
    items: list[tuple[int, int]] = []
    pos = 0
    for m in _ITEM_SEP.finditer(seg):
        items.append((pos, m.start()))
        pos = m.end()
        if _LAST_ITEM.search(m.group(0)):
            nxt = _ITEM_SEP.search(seg, pos)
            items.append((pos, nxt.start() if nxt else len(seg)))
            break
    else:
        return False
    held = [sum(1 for s in starts if a <= s - seg0 < b) for a, b in items]
    return all(n == 1 for n in held) and sum(held) == len(starts)


class BreakdownSums:
    """Implements :class:`~consistency.judge.base.ClaimComparator` for sums of parts."""

    name = "breakdown_sum"

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """One finding per whole whose parts, in its own sentence, do not add up to it."""
        by_sent: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        for c in ctx.claim.values():
            if c["value_kind"] == "count":
                by_sent[ctx.where(c)].append(c)
        out = []
        for where, claims in by_sent.items():
            claims.sort(key=lambda c: c["start"])
            for k, whole in enumerate(claims):
                parts = []
                for c in claims[k + 1 :]:
                    if not c["detail"].get("part"):
                        break
                    if c["slot"] == whole["slot"] and not self._other_people(whole, c):
                        parts.append(c)
                if len(parts) < 2:
                    continue
                figures = [whole, *parts]
                if any(c["qualifier"] != "exact" or c["value_num"] is None for c in figures):
                    continue
                total = sum(float(c["value_num"]) for c in parts)
                want = float(whole["value_num"])
                text = ctx.sentence[where]["text"]
                base = ctx.sentence[where]["start"]
                if not self._same_people(whole, parts):
                    continue  # "lima pos pengungsian, yaitu GOR Cempaka Putih (212 warga), ..."
                if not _every_item_counted(text, base, parts):
                    continue  # "49 ABK, seorang komandan, dan dua orang arsenal": one not read
                between = text[whole["end"] - base : parts[0]["start"] - base]
                if not _has_cue(between, phrases("breakdown_cues")):
                    continue  # "9 kru dan 41 orang lainnya yang terdiri atas ...": 41 is the whole
                complete = _has_cue(between, phrases("breakdown_complete"))
                if total == want or (not complete and total < want):
                    continue
                out.append(self._finding(ctx, whole, parts, total, complete))
        return out

    @staticmethod
    def _same_people(whole: dict[str, Any], parts: list[dict[str, Any]]) -> bool:
        pop = whole["detail"].get("population")
        if pop is None or aboard_facet(pop) is not None:
            return True
        return all(p["detail"].get("population") == pop for p in parts)

    @staticmethod
    def _other_people(whole: dict[str, Any], part: dict[str, Any]) -> bool:
        if whole["slot"] != "aboard":
            return False  # "8 korban luka berat, yakni 7 penumpang angkot dan 1 ...": all injured
        facet = aboard_facet(part["detail"].get("population"))
        own = aboard_facet(whole["detail"].get("population"))
        return facet is not None and facet != own

    def _finding(
        self,
        ctx: ClaimContext,
        whole: dict[str, Any],
        parts: list[dict[str, Any]],
        total: float,
        complete: bool,
    ) -> Finding:
        shown = " + ".join(str(p["surface"]) for p in parts)
        key = "breakdown_whole" if complete else "breakdown_among"
        ex = ctx.explain.speaking(key)
        return Finding(
            kind=Kind.NUMBER,
            severity=Severity.MEDIUM,
            score=0.8,
            a=ctx.where(whole),
            b=ctx.where(parts[-1]),
            a_hl=[[int(whole["start"]), int(whole["end"])]],
            b_hl=[[int(p["start"]), int(p["end"])] for p in parts],
            explanation=ex.text(
                key,
                Label=capital(label(ctx, whole, ex)),
                outlet=ctx.outlet(whole["article_id"]),
                whole=quoted(whole["surface"]),
                parts=shown,
                sum=number(total),
            ),
            evidence={
                "comparator": self.name,
                "slot": whole["slot"],
                "whole": whole["value"],
                "parts": [p["value"] for p in parts],
                "sum": total,
                "complete": complete,
            },
            claim_id=ctx.groups.get(whole["claim_id"]),
        )
