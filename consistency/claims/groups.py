"""Claim groups: linked value claims joined into the groups a report shows."""

from __future__ import annotations

import hashlib
from collections import defaultdict

import polars as pl


def group_claims(claims: pl.DataFrame, links: pl.DataFrame) -> dict[str, str]:
    """Join linked value claims into groups: claim id -> group id.

    A group is a connected set of claims of one slot joined by links (whether
    their values agree or not). Its id is stable for the same input: a hash of
    the slot and the group's first claim.
    """
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.get(a, a) != a:
            parent[a] = parent.get(parent[a], parent[a])
            a = parent[a]
        return a

    for r in links.filter(pl.col("slot") != "speaker").iter_rows(named=True):
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
