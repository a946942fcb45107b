"""Comparator: one person given two ranks, or two grades of one post.

Every mention of a person (name and speaker claims) is read for the title
written next to it (:func:`consistency.claims.titles.read_title`); the mentions
of one person across the cluster (names that are the same or a spelling
variant, :func:`consistency.claims.entities.relation`) are compared article
against article:

* two ranks ("AKBP" / "AKP"): one person holds one rank at a time;
* two grades of one post ("Kepala Pos Pengamatan Gunung Lawu" / "Petugas
  Pos Pengamatan Gunung Lawu"; "Direktur Jenderal" / "Direktur"), or the same
  grade with and without "acting" or "deputy", when the two titles share a word
  of their office (two posts of different offices may both be held).

A title the sentence marks as a former one ("mantan Kapolri") is not read.
Findings of one person and one pair of titles share a claim id, so that the
judge keeps the clearest two of them (:mod:`.collapse`).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from consistency.claims.entities import name_tokens, relation
from consistency.claims.titles import Title, credited, person_mentions, read_title
from consistency.judge.base import ClaimContext, Finding
from consistency.judge.explain import quoted
from consistency.types import Kind, Severity

_Mention = tuple[dict[str, Any], Title, int]
"""A person's mention, its title and its sentence's start offset."""


def _people(mentions: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The mentions grouped by person: names that are one name or a spelling variant of it."""
    parent = list(range(len(mentions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in combinations(range(len(mentions)), 2):
        if relation(mentions[i]["surface"], mentions[j]["surface"]) != "different":
            parent[root(i)] = root(j)
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[root(i)].append(m)
    # a person is someone credited with a statement somewhere: a capitalised run
    # read as a name may be a place ("Pos Pengamatan Gunung Lawu"); of the
    # other mentions, those that give the person's last name are the person's
    # ("Pemasyarakatan" meets "Pemasyarakatan Sari Dewi" but is not Sari Dewi)
    out = []
    for g in groups.values():
        last = {
            name_tokens(m["surface"])[-1] for m in g if credited(m) and name_tokens(m["surface"])
        }
        kept = [m for m in g if credited(m) or last & set(name_tokens(m["surface"]))]
        if last and len({m["article_id"] for m in kept}) >= 2:
            out.append(kept)
    return out


def conflict(x: Title, y: Title) -> str | None:
    """``rank`` or ``post`` when two titles of one person cannot both be right, else None."""
    if x.rank and y.rank and x.rank != y.rank:
        return "rank"
    if x.level is None or y.level is None or x.post == y.post:
        return None
    if x.words and y.words and not (x.words & y.words):
        return None  # two offices: both may be held
    return "post"


class TitleConflicts:
    """Implements :class:`~consistency.judge.base.ClaimComparator` for ranks and posts."""

    name = "titles"

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """One finding per person, pair of articles and pair of conflicting titles."""
        people = _people(person_mentions(list(ctx.claim.values())))
        everyone = [m for g in people for m in g]
        out: list[Finding] = []
        for group in people:
            titled = self._titles(ctx, group, everyone)
            first: dict[tuple[str, str, str], _Mention] = {}
            for m in titled:
                c, t, _ = m
                for what, value in (("rank", t.rank), ("post", t.post)):
                    if value is not None:
                        first.setdefault((c["article_id"], what, value), m)
            for (ka, x), (kb, y) in combinations(sorted(first.items()), 2):
                if ka[0] == kb[0] or ka[1] != kb[1] or ka[2] == kb[2]:
                    continue
                found = conflict(x[1], y[1])
                if found == ka[1]:
                    out.append(self._finding(ctx, group, x, y, found))
        return out

    @staticmethod
    def _titles(
        ctx: ClaimContext, group: list[dict[str, Any]], everyone: list[dict[str, Any]]
    ) -> list[_Mention]:
        out = []
        for c in group:
            sent = ctx.sentence.get(ctx.where(c))
            if sent is None:
                continue
            base = int(sent["start"])
            a, b = int(c["start"]) - base, int(c["end"]) - base
            if sent["text"][a:b] != c["surface"]:
                continue
            others = [
                (int(o["start"]) - base, int(o["end"]) - base)
                for o in everyone
                if ctx.where(o) == ctx.where(c) and o is not c and o not in group
            ]
            language = (ctx.article.get(c["article_id"]) or {}).get("language")
            t = read_title(sent["text"], (a, b), language, others)
            if t is not None:
                out.append((c, t, base))
        return out

    def _finding(
        self,
        ctx: ClaimContext,
        group: list[dict[str, Any]],
        x: _Mention,
        y: _Mention,
        what: str,
    ) -> Finding:
        (cx, tx, bx), (cy, ty, by) = x, y

        def shown(c: dict[str, Any], t: Title, base: int) -> tuple[str, list[list[int]]]:
            # the rank as written, or the whole title with its grade words marked
            if what == "rank" and t.rank_span:
                a, b = t.rank_span
                return ctx.sentence_text(c)[a:b], [[base + a, base + b]]
            a, b = t.span
            marked = t.post_spans or ((a, b),)
            return ctx.sentence_text(c)[a:b], [[base + x, base + y] for x, y in marked]

        (sx, hx), (sy, hy) = shown(cx, tx, bx), shown(cy, ty, by)
        # the person as most often credited ("Sari Dewi", not "Pemasyarakatan Sari Dewi")
        named = Counter(m["surface"] for m in group if credited(m))
        person = max(named, key=lambda n: (named[n], len(n)))
        key = "person_" + what
        ex = ctx.explain.speaking(key)
        said = ex.sides(
            quoted(sx), ctx.outlet(cx["article_id"]), quoted(sy), ctx.outlet(cy["article_id"])
        )
        values = (tx.rank, ty.rank) if what == "rank" else (tx.post, ty.post)
        gid = "t" + hashlib.sha256(f"{what}|{person}".encode()).hexdigest()[:12]
        only_acting = what == "post" and tx.level == ty.level and tx.deputy == ty.deputy
        return Finding(
            kind=Kind.NAME,
            severity=Severity.LOW if only_acting else Severity.MEDIUM,
            score=0.5 if only_acting else 0.7 if what == "rank" else 0.6,
            a=ctx.where(cx),
            b=ctx.where(cy),
            a_hl=hx,
            b_hl=hy,
            explanation=ex.text(key, person=person, sides=said),
            evidence={
                "comparator": self.name,
                "person": person,
                "what": what,
                "a_value": values[0],
                "b_value": values[1],
                "a_title": sx,
                "b_title": sy,
            },
            claim_id=gid,
        )
