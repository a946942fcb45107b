"""Claim groups: linked value claims joined into the groups a report shows."""

from __future__ import annotations

import hashlib
from collections import defaultdict

import polars as pl


def group_claims(claims: pl.DataFrame, links: pl.DataFrame) -> dict[str, str]:
    """Join linked value claims into groups: claim id -> group id.

    A group is a connected set of claims of one slot joined by links (whether
    their values agree or not). Speakers join as the people credited with one
    statement: a speaker link counts when the two statements are each other's
    closest credited counterpart (:func:`closest_speaker_links`), so that one
    official's several statements do not chain into one group. Its id is stable
    for the same input: a hash of the slot and the group's first claim.
    """
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.get(a, a) != a:
            parent[a] = parent.get(parent[a], parent[a])
            a = parent[a]
        return a

    values = links.filter(pl.col("slot") != "speaker")
    joined = pl.concat([values, closest_speaker_links(links)], how="vertical_relaxed")
    for r in joined.iter_rows(named=True):
        parent.setdefault(r["a_claim"], r["a_claim"])
        parent.setdefault(r["b_claim"], r["b_claim"])
        ra, rb = find(r["a_claim"]), find(r["b_claim"])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    slot_of = dict(zip(claims["claim_id"], claims["slot"], strict=True))
    members: dict[str, list[str]] = defaultdict(list)
    for c in list(parent):
        members[find(c)].append(c)
    out: dict[str, str] = {}
    for root, cs in members.items():
        gid = "c" + hashlib.sha256(f"{slot_of.get(root)}|{min(cs)}".encode()).hexdigest()[:12]
        for c in cs:
            out[c] = gid
    return out


def closest_speaker_links(links: pl.DataFrame) -> pl.DataFrame:
    """The speaker links whose two claims are each other's most similar speaker link."""
    sp = links.filter(pl.col("slot") == "speaker")
    if sp.is_empty():
        return sp
    best: dict[str, float] = defaultdict(float)
    for a, b, sim in sp.select("a_claim", "b_claim", "similarity").iter_rows():
        best[a] = max(best[a], sim)
        best[b] = max(best[b], sim)
    keep = [
        best[a] == sim == best[b]
        for a, b, sim in sp.select("a_claim", "b_claim", "similarity").iter_rows()
    ]
    return sp.filter(pl.Series(keep, dtype=pl.Boolean))
