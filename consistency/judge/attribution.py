"""Comparator: the same statement or figure credited to different people.

Reads the ``speaker`` links of CLAIM_LINKS (the speakers of two statements
that are each other's near neighbours in the cluster) and, for value links
whose figures agree, the speakers of the two sentences: when no speaker of
one side is the same person as a speaker of the other, who said it is in
conflict. A bare surname stands for the fullest name in its article that ends
with it; an outlet or agency credited with a statement is not a person.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from typing import Any

import polars as pl

from consistency import lang
from consistency.claims.entities import name_tokens, relation
from consistency.claims.places import named_places
from consistency.judge.base import ClaimContext, Finding
from consistency.judge.explain import quoted
from consistency.judge.quotes import two_remarks
from consistency.types import Kind, Severity

_QUOTES = '"“”«»'


@cache
def _words(key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in lang.merged("claims").get(key, []))


def person_like(claim: dict[str, Any], full: str) -> bool:
    """Whether a credited source names a person, not a body, a title or a pronoun.

    What the facts stage marked as no person (``is_person`` false) is none;
    otherwise a source is a person when two or more name words (titles left
    out) follow its last organisation word, acronym or place preposition:
    "Kedutaan Besar RI di Seoul" and "Sriwijaya Air" are bodies, "Kabid Humas
    Polda Jabar Jules Abraham Abast" is a person; a pronoun never is.
    """
    flag = (claim.get("detail") or {}).get("is_person")
    if flag is False:
        return False
    toks = name_tokens(full)
    if not toks or any(t in _words("pronouns") for t in toks):
        return False
    written = f"{full} {claim.get('surface') or ''}"  # the key is lower case; the surface is not
    acronyms = {w.lower().strip(",.()") for w in written.split() if w.isupper() and len(w) > 1}
    breaks = _words("organisation_words") | acronyms | {"di", "of", "at", "dari"}
    last = max((i for i, t in enumerate(toks) if t in breaks), default=-1)
    named = len(toks) - last - 1  # name words after the body's ("... Polda Jabar Jules Abast")
    if flag is True:
        # a surname the facts stage knows ("Yoon") is a person; a title
        # ending in a body's words ("Kabid Humas Polda Jabar") is not
        return named >= 2 or (named == 1 and last < 0)
    return named >= 2


def _full_name(name: str, in_article: list[str]) -> str:
    """The fullest name in the article ending with this one ("Abast" -> "Jules Abraham Abast").

    A one-word name that no name ends with may be a first name, as Indonesian
    outlets often use ("ujar Fadil" after "Kapolda Metro Jaya, Fadil Imran"):
    it stands for the one longer name in the article that begins with it.
    """
    last = name.split()[-1] if name.split() else name
    full = {n for n in in_article if n.split() and n.split()[-1] == last}
    best = max(sorted(full), key=len) if full else name
    if best == name and len(name.split()) == 1:
        first = {n for n in in_article if len(n.split()) >= 2 and n.split()[0] == last}
        if len(first) == 1:
            return first.pop()
    return best


def _affiliation(c: dict[str, Any], same_sentence: list[dict[str, Any]]) -> bool:
    """A credited body that is the title of the person credited beside it.

    "ujar juru bicara Dewan Keamanan Nasional Amerika Serikat (NSC) Andrienne
    Watson": the council is Watson's office, not a second speaker.
    """
    surface = (c.get("surface") or "").lower()
    return bool(surface) and any(
        o is not c and surface in ((o.get("detail") or {}).get("title") or "").lower()
        for o in same_sentence
    )


_LOWER_WORD = re.compile(r"(?<![\w-])[^\W\d_A-Z][^\W\d_]+(?![\w-])")


def common_words(texts: list[str]) -> frozenset[str]:
    """The words the story writes in lower case somewhere: common words, not names.

    "Penjaga Pantai", "Humas Polres", "Kepala Daerah", "Coast Guard" are offices
    whose words the same story also writes as plain words ("di pantai", "guard
    rails"): a credited word among them names no person.
    """
    return frozenset(m.group(0) for t in texts for m in _LOWER_WORD.finditer(t))


def names_no_one(surface: str, common: frozenset[str], places: frozenset[str]) -> bool:
    """A credited surface whose last word is a common word or a place named in the story.

    "Kapolres Karawang" credited as "Karawang" (the story says "di Karawang"),
    "Penjaga Pantai" as "Pantai": an office or its place, not a person.
    """
    words = surface.split()
    if not words:
        return True
    last = words[-1].strip(",.()").lower()
    return last in common or last in places


def _share_two(a: str, b: str) -> bool:
    """Two names that share two name words, an office before one of them left aside."""
    return len(set(name_tokens(a)) & set(name_tokens(b))) >= 2


def mutual_best(findings: list[Finding]) -> list[Finding]:
    """The findings whose two statements are each other's closest credited counterpart.

    A statement is made once: "the same statement credited to someone else"
    names one counterpart, the closest one. Two officials who say much the
    same thing ("arus pendek" from the minister and from the police) sit
    further apart than one statement retold; a sentence near several others
    gives one finding, with the statement nearest to it, and only when that
    statement is not nearer to another.
    """
    best: dict[tuple[str, int], float] = defaultdict(float)
    pairs = [(f, f.a, f.b) for f in findings if f.b is not None]
    for f, a, b in pairs:
        best[a] = max(best[a], f.score)
        best[b] = max(best[b], f.score)
    return [f for f, a, b in pairs if best[a] == f.score == best[b]]


class AttributionConflicts:
    """Implements :class:`~consistency.judge.base.ClaimComparator` for who-said-it."""

    name = "attribution"

    def compare(self, ctx: ClaimContext) -> list[Finding]:
        """One finding per sentence pair whose statement is credited to different people."""
        speakers: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        for c in ctx.claim.values():
            if c["slot"] == "speaker":
                speakers[ctx.where(c)].append(c)
        for where, cs in speakers.items():
            speakers[where] = [c for c in cs if not _affiliation(c, cs)]
        # (similarity, the figure both credit; None for a statement)
        cands: dict[tuple[tuple[str, int], tuple[str, int]], tuple[float, str | None]] = {}
        for r in ctx.links.filter(pl.col("slot") == "speaker").iter_rows(named=True):
            x, y = ctx.claim[r["a_claim"]], ctx.claim[r["b_claim"]]
            key = (ctx.where(x), ctx.where(y))
            cands[key] = (float(r["similarity"]), None)
        for r in ctx.links.filter(pl.col("compatible") & (pl.col("slot") != "speaker")).iter_rows(
            named=True
        ):
            x, y = ctx.claim[r["a_claim"]], ctx.claim[r["b_claim"]]
            if x["article_id"] == y["article_id"] or x["value_kind"] not in ("count", "measure"):
                continue
            if x["slot"] == "count":
                continue  # "3 bus" / "tiga bus": a plain count two officials may both give
            key = (ctx.where(x), ctx.where(y))
            cands.setdefault(key, (float(r["similarity"]), str(x["surface"])))
        texts = ctx.sentences["text"].to_list()
        common = common_words(texts)
        places = frozenset(w for p in named_places(texts) for w in p.split())
        names: dict[str, list[str]] = defaultdict(list)
        for c in ctx.claim.values():
            if c["slot"] in ("name", "speaker") and c["value"]:
                names[c["article_id"]].append(c["value"])
        out = []
        for (a, b), (sim, what) in cands.items():
            sa, sb = speakers.get(a, []), speakers.get(b, [])
            if not sa or not sb:
                continue
            fa = [_full_name(p["value"], names[a[0]]) for p in sa]
            fb = [_full_name(q["value"], names[b[0]]) for q in sb]
            if not all(person_like(p, f) for p, f in zip(sa, fa, strict=True)) or not all(
                person_like(q, f) for q, f in zip(sb, fb, strict=True)
            ):
                continue  # an outlet, an agency, a bare title or a pronoun: not a person
            if any(names_no_one(c["surface"] or "", common, places) for c in sa + sb):
                continue  # an office or its place credited as if it were a name
            if any(relation(x, y) != "different" or _share_two(x, y) for x in fa for y in fb):
                continue  # "Budi Karya Sumadi" / "Menteri Perhubungan Budi Karya": one person
            if max(len(x.split()) for x in fa + fb) < 2:
                continue  # two bare surnames: too little to tell people apart
            if self._two_quotes(ctx, a, b):
                continue  # two direct quotes worded apart: two statements, not one
            out.append(self._finding(ctx, a, b, sa[0], sb[0], sim, what))
        return mutual_best(out)

    @staticmethod
    def _two_quotes(ctx: ClaimContext, a: tuple[str, int], b: tuple[str, int]) -> bool:
        """Two sentences of one language quoting two different remarks (:func:`two_remarks`);
        across languages a translation shares too few words to tell."""
        lang_a = ctx.article[a[0]].get("language")
        if lang_a != ctx.article[b[0]].get("language"):
            return False
        return two_remarks((*a, ctx.sentence[a]["text"]), (*b, ctx.sentence[b]["text"]))

    def _finding(
        self,
        ctx: ClaimContext,
        a: tuple[str, int],
        b: tuple[str, int],
        p: dict[str, Any],
        q: dict[str, Any],
        sim: float,
        what: str | None,
    ) -> Finding:
        text = ctx.sentence[a]["text"]
        quote = any(c in text for c in _QUOTES)
        if what is not None:
            key = "attribution_figure"
        else:
            key = "attribution_quote" if quote else "attribution_statement"
        ex = ctx.explain.speaking(key)
        who = {
            "a_speaker": str(p["surface"]),
            "a_outlets": ctx.outlet(a[0]),
            "b_speaker": str(q["surface"]),
            "b_outlets": ctx.outlet(b[0]),
        }
        figure = {"figure": quoted(what)} if what is not None else {}
        explanation = ex.text(key, **figure, **who)
        return Finding(
            kind=Kind.ATTRIBUTION,
            severity=Severity.HIGH if quote else Severity.MEDIUM,
            score=min(1.0, sim),
            a=a,
            b=b,
            a_hl=[[int(p["start"]), int(p["end"])]],
            b_hl=[[int(q["start"]), int(q["end"])]],
            explanation=explanation,
            evidence={
                "comparator": self.name,
                "a_speaker": p["surface"],
                "b_speaker": q["surface"],
                "similarity": round(sim, 4),
            },
            claim_id=ctx.groups.get(p["claim_id"]),
        )
