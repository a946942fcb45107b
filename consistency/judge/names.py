"""Comparator: spelling variants of one person or place across the cluster.

Every mention counts (not only the first): the distinct names of the cluster
are compared pairwise with :func:`consistency.claims.entities.relation`; each
``variant`` pair gives a finding for the first mentions in each pair of
articles that use the two spellings, at most :attr:`NameVariants.per_pair`
of them; an article that uses both spellings stands for the variant alone
(other outlets' spellings add no evidence to its own contradiction). Across languages only people
are compared (a place or an organisation is translated, not misspelt:
"Survei Geologi" / "Geological Survey"), and not two names whose words correspond
in another order ("Front Pembebasan Sumatra" / "Sumatra Liberation Front": a translation).
An outlet's own name (a masthead, a credit line) and an office against its body
("Kapolres" / "Polres") are no spelling variants. Most spelling variants are
minor: low severity.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from functools import cache
from itertools import combinations, pairwise
from typing import Any

import polars as pl
from rapidfuzz import fuzz

from consistency import lang
from consistency.claims.entities import differing_tokens, name_tokens, relation
from consistency.judge.base import ClaimContext, Finding
from consistency.judge.explain import Explainer, quoted
from consistency.types import Kind, Severity


def _is_person(claim: dict[str, Any]) -> bool:
    """A mention the facts stage read as a person (a speaker only when read as one).

    A source found by its reporting verb may be an agency ("Survei Geologi
    Amerika Serikat mencatat"): that is not a person.
    """
    d = claim.get("detail") or {}
    if claim["slot"] == "speaker":
        return d.get("is_person") is True
    return d.get("entity") == "person"


def _share_a_word(a: str, b: str) -> bool:
    """Two names with a word in common ("Tetsuya Yamagami" / "Tatsuya Yamagami").

    Across languages a name with no word in common is a translation or
    another entity ("Turkey" / "Turki Recep Tayyip Erdogan"), not a misspelling.
    """
    return bool(set(name_tokens(a)) & set(name_tokens(b)))


@cache
def office_prefixes() -> tuple[str, ...]:
    """What an office's short name puts before its body's ("Ka" in "Kapolres"), longest first."""
    words = lang.merged("claims").get("office_prefixes", [])
    return tuple(sorted((w.lower() for w in words), key=len, reverse=True))


def office_and_body(differing: tuple[str, str]) -> bool:
    """Two words that are an office and its body ("kapolres" / "polres"), not two spellings."""
    x, y = sorted(differing, key=len)
    return any(y == p + x for p in office_prefixes())


def outlet_stems(articles: pl.DataFrame) -> frozenset[str]:
    """The cluster's outlets as letters before their first dot ("kompas.tv" -> "kompas")."""
    if "outlet" not in articles.columns:
        return frozenset()
    stems = (re.sub(r"[^a-z]", "", str(o).lower().split(".")[0]) for o in articles["outlet"])
    return frozenset(s for s in stems if len(s) >= 4)


def names_an_outlet(key: str, stems: frozenset[str]) -> bool:
    """Whether a name is an outlet's own ("KABARHARIAN", "KabarharianTV" for kabarharian.tv)."""
    letters = re.sub(r"[^a-z]", "", key.lower())
    return len(letters) >= 4 and any(letters.startswith(s) or s.startswith(letters) for s in stems)


def reordered(a: str, b: str, differing: tuple[str, str]) -> bool:
    """Two names whose words correspond in another order: "Front Pembebasan Sumatra" /
    "Sumatra Liberation Front" (the noun first in Indonesian, last in English) is a
    translation, not a misspelling."""
    ta, tb = name_tokens(a), name_tokens(b)
    pairs = [(ta.index(t), tb.index(t)) for t in set(ta) & set(tb)]
    if differing[0] in ta and differing[1] in tb:
        pairs.append((ta.index(differing[0]), tb.index(differing[1])))
    elif differing[1] in ta and differing[0] in tb:
        pairs.append((ta.index(differing[1]), tb.index(differing[0])))
    pairs.sort()
    return any(x[1] > y[1] for x, y in pairwise(pairs))


class NameVariants:
    """Implements :class:`~consistency.judge.base.ClaimComparator` for name claims."""

    name = "names"

    def __init__(self, per_pair: int = 2) -> None:
        self.per_pair = per_pair

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """Findings for spelling variants among all name mentions of the cluster."""
        names = ctx.claims.filter(pl.col("slot").is_in(["name", "speaker"]))
        first: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        outlets = outlet_stems(ctx.articles)
        for r in names.sort(["article_id", "start"]).iter_rows(named=True):
            if not r["value"] or names_an_outlet(r["value"], outlets):
                continue  # "KABARHARIAN" / "KabarharianTV": a masthead or credit, no fact
            first[r["value"]].setdefault(r["article_id"], ctx.claim[r["claim_id"]])
        # one variant (two spellings of one word) may show in several names
        # ("Sadira"/"Sandira", "Mr Sadira"/"Sandira"): its findings are pooled
        pooled: dict[tuple[str, str], list[tuple[bool, float, str, str, Any, Any]]] = defaultdict(
            list
        )
        for ka, kb in combinations(sorted(first), 2):
            if relation(ka, kb) != "variant":
                continue
            toks = differing_tokens(ka, kb) or (ka, kb)
            if toks[0] in ctx.vocabulary or toks[1] in ctx.vocabulary:
                continue  # "stasiun" / "station": words, not two spellings of a name
            if office_and_body(toks):
                continue  # "Kapolres Sukamaju" / "Polres Sukamaju": the head and the body
            for aa, x in first[ka].items():
                for ab, y in first[kb].items():
                    if ctx.where(x) == ctx.where(y):
                        continue
                    if self._language(ctx, aa) != self._language(ctx, ab) and not (
                        _is_person(x)
                        and _is_person(y)
                        and _share_a_word(ka, kb)
                        and not reordered(ka, kb, toks)
                    ):
                        continue  # "Survei Geologi" / "Geological Survey": a translation
                    pooled[toks].append((aa != ab, -fuzz.ratio(ka, kb), aa, ab, x, y))
        out: list[Finding] = []
        for toks, pairs in pooled.items():
            # the clearest evidence first: the two names most alike
            # ("Muhammad Teguh Amanda" / "Muhammad Teguh Adan" before
            # "Muhammad Adan"), then the order of the articles
            pairs.sort(key=lambda p: (p[0], p[1], p[2], p[3]))
            if not pairs[0][0]:
                # an article that spells one name both ways stands for the
                # variant: other outlets' spellings add no new evidence
                pairs = [p for p in pairs if not p[0]]
            done: set[tuple[str, str]] = set()
            for _, _, aa, ab, x, y in pairs:
                if len(done) >= self.per_pair:
                    break
                if (aa, ab) in done:
                    continue
                done.add((aa, ab))
                out.append(self._finding(ctx, x, y, *toks))
        return out

    @staticmethod
    def _language(ctx: ClaimContext, article_id: str) -> str:
        return str((ctx.article.get(article_id) or {}).get("language") or "und")

    def _finding(
        self, ctx: ClaimContext, x: dict[str, Any], y: dict[str, Any], ka: str, kb: str
    ) -> Finding:
        gid = "n" + hashlib.sha256("|".join(sorted((ka, kb))).encode()).hexdigest()[:12]
        return Finding(
            kind=Kind.NAME,
            severity=Severity.LOW,
            score=0.6,
            a=ctx.where(x),
            b=ctx.where(y),
            a_hl=[[int(x["start"]), int(x["end"])]],
            b_hl=[[int(y["start"]), int(y["end"])]],
            explanation=spelt_two_ways(
                ctx.explain,
                (str(x["surface"]), ctx.outlet(x["article_id"])),
                (str(y["surface"]), ctx.outlet(y["article_id"])),
                x["article_id"] == y["article_id"],
            ),
            evidence={"comparator": self.name, "a_name": x["surface"], "b_name": y["surface"]},
            claim_id=gid,
        )


def _script(ch: str) -> str:
    """The script a character's Unicode name starts with ("LATIN", "CYRILLIC", "GREEK")."""
    import unicodedata

    return unicodedata.name(ch, "UNKNOWN").split()[0]


def spelt_two_ways(
    ex: Explainer, x: tuple[str, str], y: tuple[str, str], one_article: bool = False
) -> str:
    """The explanation of one name spelled two ways, each spelling with its outlet.

    "One name spelled two ways: 'John Kirby' vs 'John Kirbi' (Tempo.co vs
    Kompas.com); check which spelling is right." ``one_article``: both in one article.
    """
    (a, oa), (b, ob) = x, y
    ex = ex.speaking("name_within" if one_article else "name")
    look = _look_alike(ex, a, b)
    if one_article:
        return ex.text("name_within", a=quoted(a), b=quoted(b), outlet=oa, look_alike=look)
    return ex.text("name", a=quoted(a), b=quoted(b), a_outlet=oa, b_outlet=ob, look_alike=look)


def _look_alike(ex: Explainer, a: str, b: str) -> str:
    """For two spellings that differ only in letters of different scripts (homoglyphs:
    "Kirby" with a Cyrillic "у"), the differing letters with their code points and
    names (" that look alike but differ in 'y' (U+0079 LATIN SMALL LETTER Y) vs 'у'
    (U+0443 CYRILLIC SMALL LETTER U)"); else ""."""
    import unicodedata

    if len(a) != len(b):
        return ""
    diff = [(p, q) for p, q in zip(a, b, strict=True) if p != q]
    if not diff or any(
        not (p.isalpha() and q.isalpha()) or _script(p) == _script(q) for p, q in diff
    ):
        return ""

    def show(ch: str) -> str:
        return f"{ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')})"

    parts = [ex.text("vs", a=show(p), b=show(q)) for p, q in dict.fromkeys(diff)]
    return ex.text("look_alike", letters=ex.text("list_sep").join(parts))
