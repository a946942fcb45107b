"""Aligned sentence pairs: whether two statements say the same thing, and NLI as a second opinion.

:class:`PairJudging` reads one row of PAIRS (from :func:`consistency.stages.align.align`)
with its NLI scores (a row of NLI_SCORES, when given) into a :class:`PairView`:
the facts of each side, the share of content words they have in common and the
embedding similarity. When the two sentences are the same statement (enough
shared content words, a very high similarity, or mutual NLI entailment) the
typed pair comparators run on them (:mod:`.pair_attribution`,
:mod:`.pair_numbers`, :mod:`.pair_dates`), a polarity flip
(:mod:`.polarity`) needs only word overlap, and a confident NLI contradiction
raises what they found or, alone, is a finding of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from consistency.claims.rows import CALENDAR_WORDS
from consistency.judge.base import Finding as _Finding
from consistency.judge.pair_attribution import PairAttribution
from consistency.judge.pair_dates import PairDates
from consistency.judge.pair_numbers import PairNumbers
from consistency.judge.polarity import PolarityFlips
from consistency.text.names import name_key
from consistency.types import Kind, Severity

_STOPWORDS = frozenset(
    """
    yang dan di ke dari untuk pada dengan ini itu tersebut atau dalam oleh adalah akan telah
    sudah juga sejak sebagai bahwa kata ujar ungkap tutur katanya mengatakan menyatakan
    menambahkan menurut para seperti serta tetapi namun karena agar saat ketika lebih lagi
    mereka kami kita ia dia nya pun baru secara antara kedua sebuah seorang lain lainnya
    hal bagi atas terhadap tidak belum bukan akan dapat bisa masih sangat hanya
    the a an of and in on at to for by with from as that this these those is are was were be
    been has have had said says told will would can could not no it its they their he she
    """.split()
)
"""Function words ignored when measuring whether two sentences share content."""


def _content_words(text: str, drop: set[str]) -> set[str]:
    out = set()
    for w in re.findall(r"[^\W\d_]{3,}", text.lower()):
        if w in _STOPWORDS or w in drop:
            continue
        if w.endswith("nya") and len(w) > 6:
            w = w[:-3]
        out.add(w)
    return out


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _same_text(a: str, b: str) -> bool:
    """Whether two sentences are the same text, whitespace runs aside (wire copies)."""
    return a == b or a.split() == b.split()


_SELF_ENTAILMENT = {
    "ab_entail": 1.0,
    "ab_neutral": 0.0,
    "ab_contra": 0.0,
    "ba_entail": 1.0,
    "ba_neutral": 0.0,
    "ba_contra": 0.0,
}
"""The NLI of a text against itself, taken as given rather than asked of the model."""


@dataclass(frozen=True)
class PairView:
    """What a pair's findings depend on besides its NLI scores (see ``PairJudging._view``)."""

    a: tuple[str, int]
    b: tuple[str, int]
    fa: list[dict[str, Any]]
    fb: list[dict[str, Any]]
    overlap: float
    enough: bool
    similarity: float
    margin: float
    nli_used: bool
    identical: bool
    same_without_nli: bool
    same_undated: bool = False
    """The same statement once weekdays and months are left out of both: what two
    datings of one moment differ in ("gudang dilanda kebakaran pada Selasa (12/3) dini hari"
    / "api melalap gudang pada Rabu (13/3) dini hari")."""


def _raise(sev: Severity) -> Severity:
    return Severity.HIGH if sev is not Severity.LOW else Severity.MEDIUM


class PairJudging(PairAttribution, PairNumbers, PairDates, PolarityFlips):
    """The aligned-pair part of the rule judge, composing the typed pair comparators."""

    def _view(self, p: dict[str, Any]) -> PairView | None:
        """What a pair's findings depend on besides NLI (None: a sentence is unknown)."""
        cfg = self.config
        a = (p["a_article"], p["a_idx"])
        b = (p["b_article"], p["b_idx"])
        if a not in self._sents or b not in self._sents:
            return None
        fa, fb = self._facts.get(a, []), self._facts.get(b, [])
        names = {
            w
            for f in fa + fb
            if f["fact_type"] in ("speaker", "person")
            for w in name_key(f["surface"]).split()
        }
        ta, tb = self._sents[a]["text"], self._sents[b]["text"]
        ca = _content_words(ta, names)
        cb = _content_words(tb, names)
        overlap = _overlap(ca, cb)
        enough = min(len(ca), len(cb)) >= cfg.min_content_words
        ua, ub = ca - CALENDAR_WORDS, cb - CALENDAR_WORDS
        same_undated = (
            min(len(ua), len(ub)) >= cfg.min_content_words and _overlap(ua, ub) >= cfg.min_overlap
        )
        cross_lingual = self._language(a[0]) != self._language(b[0])
        similarity = float(p["similarity"])
        return PairView(
            a=a,
            b=b,
            fa=fa,
            fb=fb,
            overlap=overlap,
            enough=enough,
            similarity=similarity,
            margin=float(p["margin"]),
            nli_used=not (cross_lingual and not cfg.nli_cross_lingual),
            identical=_same_text(ta, tb),
            same_undated=same_undated,
            same_without_nli=(
                (enough and overlap >= cfg.min_overlap)
                or similarity >= cfg.min_similarity_same
                or (cross_lingual and similarity >= cfg.min_similarity_cross_lingual)
            ),
        )

    def _typed(self, v: PairView) -> list[_Finding]:
        """The typed findings of a pair taken as the same statement."""
        out = []
        typed = [self._attribution, self._dates]
        if self.config.aligned_figures:
            typed.insert(1, self._numbers)
        for fn in typed:
            got = fn(v.a, v.b, v.fa, v.fb, v.overlap)
            if got is not None:
                out.append(got)
        return out

    def _flip(self, v: PairView) -> _Finding | None:
        """A polarity flip on sentences overlapping enough (needs no sameness)."""
        flip = self._polarity(v.a, v.b, v.fa, v.fb)
        if flip is not None and v.enough and v.overlap >= self.config.min_overlap_contradiction:
            return flip
        return None

    def _nli_can_matter(self, v: PairView | None) -> bool:
        """Whether some NLI scores for this pair could change its findings.

        Mirrors :meth:`_pair`: NLI enters there only through mutual entailment
        (makes the pair the same statement; drops findings marked
        ``suppress_on_entail``) and contradiction (raises the findings there are;
        alone, a finding when the pair is the same statement).
        """
        cfg = self.config
        if v is None or not v.nli_used or v.identical:
            return False
        if not cfg.nli_alone:  # NLI raises or drops the rules' findings, no more
            return self._flip(v) is not None or (v.same_without_nli and bool(self._typed(v)))
        if v.same_without_nli or self._flip(v) is not None:
            return True  # contradiction alone or raising, or entailment dropping the flip
        # only mutual entailment makes these the same statement; it leaves at most
        # 1 - nli_entail_mutual for contradiction in either direction, and it drops the
        # typed findings marked suppress_on_entail before any could be raised
        if 1.0 - cfg.nli_entail_mutual >= cfg.nli_contra_alone:
            return True
        return any(not f.suppress_on_entail for f in self._typed(v))

    def _pair(
        self,
        v: PairView,
        nli: dict[str, float] | None,
        nli_on: bool,
    ) -> list[_Finding]:
        cfg = self.config
        a, b = v.a, v.b
        shown_nli = nli
        if not v.nli_used:
            nli = None  # shown as evidence, not used
        elif v.identical and nli_on:
            nli = _SELF_ENTAILMENT  # a text entails itself; the model is not asked
        entail = bool(
            nli
            and nli["ab_entail"] >= cfg.nli_entail_mutual
            and nli["ba_entail"] >= cfg.nli_entail_mutual
        )
        same = v.same_without_nli or (entail and cfg.nli_alone)
        contra_p = max(nli["ab_contra"], nli["ba_contra"]) if nli else 0.0  # either direction
        contra = contra_p >= cfg.nli_contra_raise
        contra_alone = cfg.nli_alone and same and contra_p >= cfg.nli_contra_alone
        base_ev: dict[str, Any] = {
            "similarity": round(v.similarity, 4),
            "margin": round(v.margin, 4),
            "overlap": round(v.overlap, 3),
        }
        if shown_nli:
            base_ev["nli"] = {k: round(val, 4) for k, val in shown_nli.items()}
            if nli is None:
                base_ev["nli_used"] = False  # not trusted across languages
        out: list[_Finding] = []
        if same:
            for got in self._typed(v):
                got.evidence = {**got.evidence, **base_ev}
                out.append(got)
        elif v.same_undated:
            # the same statement but for its dating: one moment told on two days
            dated = self._dates(v.a, v.b, v.fa, v.fb, v.overlap, one_moment=True)
            if dated is not None:
                dated.evidence = {**dated.evidence, **base_ev}
                out.append(dated)
        flip = self._flip(v)
        if flip is not None:
            flip.evidence = {**flip.evidence, **base_ev}
            out.append(flip)
        if entail:
            out = [f for f in out if not f.suppress_on_entail]
        if contra and out:
            for f in out:
                f.severity = _raise(f.severity)
                f.score = min(0.99, f.score + 0.1)
                f.evidence["nli_contradiction"] = True
        elif contra_alone:
            out.append(
                _Finding(
                    Kind.CONTRADICTION,
                    Severity.HIGH,
                    round(contra_p, 4),
                    a,
                    b,
                    [],
                    [],
                    self.explain.text(
                        "nli", a_outlet=self._outlet(a[0]), b_outlet=self._outlet(b[0])
                    ),
                    {"comparator": "nli", **base_ev},
                )
            )
        return out
