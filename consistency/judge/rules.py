"""Judge: typed comparators over aligned pairs (and single articles) -> DIVERGENCES.

Takes ARTICLES, SENTENCES, FACTS (from :func:`consistency.facts.extract_facts`),
PAIRS (from :func:`consistency.align.align`) and optionally NLI_SCORES, and
returns a DIVERGENCES frame (see :mod:`consistency.types`).

Comparators on each aligned pair, when the two sentences say the same thing
(enough shared content words, or a very high embedding similarity, or mutual
NLI entailment):

* ``attribution``  the same statement credited to different people;
* ``number``       the same counted thing with values that cannot both hold,
  taking qualifiers into account ("lebih dari 30" vs "32" is fine);
* ``date``         the same event on different days or weekdays;
* ``contradiction`` a polarity flip (negation, "membantah" vs "mengakui") or a
  confident NLI contradiction.

Comparators over all articles (no alignment needed):

* ``date``  weekdays that do not fit their day of the month (:mod:`.weekdays`);
* ``name``  one person spelled two ways ("Andrienne Watson" / "Adrienne Watson");
* ``unique`` a bounded figure that only one outlet reports (:mod:`.unique`).

The claim comparators (:mod:`.values`, :mod:`.names`, :mod:`.attribution`)
run first, across the whole cluster; the facts the comparators here read are
kept by :class:`~consistency.judge.facts_view.FactsView`.

Findings are grouped: at most one finding of a kind per sentence pair.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from consistency.claims.entities import relation
from consistency.judge.base import ClaimComparator, ClaimContext
from consistency.judge.base import Finding as _Finding
from consistency.judge.facts_view import facts_compatible
from consistency.judge.unique import UniqueFigures, reported_elsewhere
from consistency.judge.weekdays import WeekdayChecks
from consistency.names import name_key, name_variant, same_person, surname_key
from consistency.types import (
    ARTICLES,
    DIVERGENCES,
    FACTS,
    PAIRS,
    SENTENCES,
    Kind,
    Severity,
    make_divergence_id,
)

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


ADJACENT_DAYS = 2
"""Dates of aligned statements this many days apart or fewer are moments of one story, not a
conflict of the event's date (a month or a year apart still is)."""


@dataclass(frozen=True)
class JudgeConfig:
    """Thresholds of :class:`RuleJudge`.

    The defaults are placeholders chosen by hand on the seed articles and the
    labelled pairs in ``tests/data/labelled_pairs.jsonl``; they are meant to be
    set from data (``bench/judge_eval.py`` prints precision and recall).

    Attributes:
        min_overlap: share of content words (overlap coefficient) for two
            sentences to count as the same statement.
        min_overlap_contradiction: stricter overlap for a polarity flip without NLI.
        min_similarity_same: embedding similarity that alone counts as the same
            statement (translations share few words).
        min_similarity_cross_lingual: the same for two articles in different
            languages, where e5 scores translations 0.92 to 0.96 and unrelated
            sentences on one topic about 0.78 to 0.84 (measured on the seeds and
            an English version of one of them).
        min_content_words: fewer content words than this and overlap is not trusted.
        nli_contra_raise: NLI contradiction probability in either direction that
            raises the severity of a typed finding on the same pair (on IndoNLI
            val with the built-in model: precision 0.855, recall 0.694).
        nli_contra_alone: contradiction probability in either direction for NLI
            alone to make a finding (IndoNLI val, both directions scored:
            precision 0.959, recall 0.402). Only for pairs that state the same
            thing; NLI between unrelated sentences is not evidence.
        nli_entail_mutual: entailment in both directions that marks a paraphrase
            and suppresses weak typed findings (IndoNLI val: precision 0.857).
            All three are the lowest thresholds reaching a stated precision
            (0.85, 0.95, 0.80) in ``bench/nli_thresholds.py``.
        nli_cross_lingual: whether to use NLI on pairs of sentences in different
            languages. Off: the built-in model gets about half of held-out Indonesian-English
            translation pairs wrong (52.3% right; they should be entailment).
        weak_number_gap: relative gap below which a number difference is weak
            (suppressed by mutual entailment).
        about_tolerance: the relative width of "sekitar"/"about".
        unique_min_value: exact counts below this are not reported as unique.
    """

    min_overlap: float = 0.45
    min_overlap_contradiction: float = 0.6
    min_similarity_same: float = 0.95
    min_similarity_cross_lingual: float = 0.92
    min_content_words: int = 4
    nli_contra_raise: float = 0.60
    nli_contra_alone: float = 0.95
    nli_entail_mutual: float = 0.50
    nli_cross_lingual: bool = False
    weak_number_gap: float = 0.2
    about_tolerance: float = 0.15
    unique_min_value: float = 2.0
    rising_units: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {"dead", "victim", "people", "injured", "korban", "luka", "missing", "hilang"}
        )
    )


# --- helpers -----------------------------------------------------------------


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


def _gap(x: dict[str, Any], y: dict[str, Any]) -> float:
    a, b = float(x["value_num"]), float(y["value_num"])
    return abs(a - b) / max(abs(a), abs(b), 1e-9)


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
class _PairView:
    """What a pair's findings depend on besides its NLI scores (see ``RuleJudge._view``)."""

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


def _raise(sev: Severity) -> Severity:
    return Severity.HIGH if sev is not Severity.LOW else Severity.MEDIUM


class RuleJudge(WeekdayChecks, UniqueFigures):
    """The rule-based judge: typed comparators, NLI as a second opinion.

    Implements :class:`consistency.models.Judge`.
    """

    name = "rules"

    def __init__(
        self,
        config: JudgeConfig | None = None,
        comparators: list[ClaimComparator] | None = None,
    ) -> None:
        from consistency.judge.attribution import AttributionConflicts
        from consistency.judge.breakdowns import BreakdownSums
        from consistency.judge.grades import InjuryGrades
        from consistency.judge.names import NameVariants
        from consistency.judge.quotes import QuoteWording
        from consistency.judge.values import ValueConflicts
        from consistency.judge.vehicles import VehicleMakes

        self.config = config or JudgeConfig()
        self.comparators: list[ClaimComparator] = (
            comparators
            if comparators is not None
            else [
                ValueConflicts(),
                NameVariants(),
                AttributionConflicts(),
                BreakdownSums(),
                VehicleMakes(),
                QuoteWording(),
                InjuryGrades(),
            ]
        )

    def _load(self, articles: pl.DataFrame, sentences: pl.DataFrame, facts: pl.DataFrame) -> None:
        """Key the articles, sentences and facts for the comparators."""
        self._articles = {r["article_id"]: r for r in articles.iter_rows(named=True)}
        self._sents = {(r["article_id"], r["sent_idx"]): r for r in sentences.iter_rows(named=True)}
        self._facts = defaultdict(list)
        for r in facts.iter_rows(named=True):
            r["detail"] = json.loads(r["detail"]) if r["detail"] else {}
            self._facts[(r["article_id"], r["sent_idx"])].append(r)

    # -- public -------------------------------------------------------------

    def judge(
        self,
        articles: pl.DataFrame,
        sentences: pl.DataFrame,
        facts: pl.DataFrame,
        pairs: pl.DataFrame,
        nli_scores: pl.DataFrame | None,
        *,
        claims: pl.DataFrame | None = None,
        links: pl.DataFrame | None = None,
        groups: dict[str, str] | None = None,
    ) -> pl.DataFrame:
        """Return a DIVERGENCES frame (see the module docstring for the comparators).

        With ``claims`` and ``links`` (CLAIMS and CLAIM_LINKS) the claim
        comparators run first, across the whole cluster; their findings win
        over a pair comparator's finding on the same two sentences.
        """
        ARTICLES.validate(articles)
        SENTENCES.validate(sentences)
        FACTS.validate(facts)
        PAIRS.validate(pairs)
        self._load(articles, sentences, facts)
        nli: dict[tuple[str, int, str, int], dict[str, float]] = {}
        if nli_scores is not None:
            for r in nli_scores.iter_rows(named=True):
                nli[(r["a_article"], r["a_idx"], r["b_article"], r["b_idx"])] = {
                    k: float(r[k])
                    for k in (
                        "ab_entail",
                        "ab_neutral",
                        "ab_contra",
                        "ba_entail",
                        "ba_neutral",
                        "ba_contra",
                    )
                }
        findings: list[_Finding] = []
        if claims is not None and links is not None and articles.height >= 2:
            ctx = ClaimContext(articles, sentences, claims, links, groups or {})
            for comp in self.comparators:
                findings += comp.compare(ctx)
        for p in pairs.iter_rows(named=True):
            v = self._view(p)
            if v is None:
                continue
            scores = nli.get((p["a_article"], p["a_idx"], p["b_article"], p["b_idx"]))
            findings += self._pair(v, scores, nli_scores is not None)
        findings += self._weekday_findings()
        findings += self._name_findings()
        compared = {
            (art, e["start"], e["end"])
            for f in findings
            if f.kind is Kind.NUMBER and f.b is not None
            for art, side in ((f.a[0], "a_facts"), (f.b[0], "b_facts"))
            for e in f.evidence.get(side, [])
        }
        elsewhere = reported_elsewhere(claims) if claims is not None else set()
        findings += self._unique_findings(
            compared, claims_given=claims is not None, elsewhere=elsewhere
        )
        self._explain_attribution(findings)
        return self._frame(findings)

    def pairs_needing_nli(
        self,
        articles: pl.DataFrame,
        sentences: pl.DataFrame,
        facts: pl.DataFrame,
        pairs: pl.DataFrame,
    ) -> pl.DataFrame:
        """The rows of ``pairs`` whose NLI scores can change a finding of :meth:`judge`.

        The pipeline scores only these; :meth:`judge` reads the same per-pair
        decision (:meth:`_nli_can_matter`), so the two cannot drift. A pair is
        left out when its NLI is not used (two languages with ``nli_cross_lingual``
        off), when its two texts are the same (a text entails itself), or when the
        sentences are not the same statement without NLI and nothing NLI could make
        of them yields a finding. That last case leans on each direction's three
        probabilities summing to 1 (the :class:`~consistency.models.NLIModel`
        contract): mutual entailment at ``nli_entail_mutual`` leaves at most
        ``1 - nli_entail_mutual`` for contradiction.
        """
        PAIRS.validate(pairs)
        if pairs.height == 0:
            return pairs
        self._load(articles, sentences, facts)
        keep = [self._nli_can_matter(self._view(p)) for p in pairs.iter_rows(named=True)]
        return pairs.filter(pl.Series(keep, dtype=pl.Boolean))

    # -- pair comparators ---------------------------------------------------

    def _view(self, p: dict[str, Any]) -> _PairView | None:
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
        cross_lingual = self._language(a[0]) != self._language(b[0])
        similarity = float(p["similarity"])
        return _PairView(
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
            same_without_nli=(
                (enough and overlap >= cfg.min_overlap)
                or similarity >= cfg.min_similarity_same
                or (cross_lingual and similarity >= cfg.min_similarity_cross_lingual)
            ),
        )

    def _typed(self, v: _PairView) -> list[_Finding]:
        """The typed findings of a pair taken as the same statement."""
        out = []
        for fn in (self._attribution, self._numbers, self._dates):
            got = fn(v.a, v.b, v.fa, v.fb, v.overlap)
            if got is not None:
                out.append(got)
        return out

    def _flip(self, v: _PairView) -> _Finding | None:
        """A polarity flip on sentences overlapping enough (needs no sameness)."""
        flip = self._polarity(v.a, v.b, v.fa, v.fb)
        if flip is not None and v.enough and v.overlap >= self.config.min_overlap_contradiction:
            return flip
        return None

    def _nli_can_matter(self, v: _PairView | None) -> bool:
        """Whether some NLI scores for this pair could change its findings.

        Mirrors :meth:`_pair`: NLI enters there only through mutual entailment
        (makes the pair the same statement; drops findings marked
        ``suppress_on_entail``) and contradiction (raises the findings there are;
        alone, a finding when the pair is the same statement).
        """
        cfg = self.config
        if v is None or not v.nli_used or v.identical:
            return False
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
        v: _PairView,
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
        same = v.same_without_nli or entail
        contra_p = max(nli["ab_contra"], nli["ba_contra"]) if nli else 0.0  # either direction
        contra = contra_p >= cfg.nli_contra_raise
        contra_alone = same and contra_p >= cfg.nli_contra_alone
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
                    f"{self._outlet(a[0])} and {self._outlet(b[0])} say things the NLI "
                    "model reads as contradicting each other; check which is right.",
                    {"comparator": "nli", **base_ev},
                )
            )
        return out

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

    def _numbers(
        self,
        a: tuple[str, int],
        b: tuple[str, int],
        fa: list[dict[str, Any]],
        fb: list[dict[str, Any]],
        overlap: float,
    ) -> _Finding | None:
        cfg = self.config
        na = [f for f in fa if f["fact_type"] == "number" and f["key"]]
        nb = [f for f in fb if f["fact_type"] == "number" and f["key"]]
        conflicts: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for key in {f["key"] for f in na} & {f["key"] for f in nb}:
            xs = [f for f in na if f["key"] == key]
            ys = [f for f in nb if f["key"] == key]
            if any(facts_compatible(x, y, cfg.about_tolerance) for x in xs for y in ys):
                continue
            if all(x["qualifier"] == "vague" for x in xs) or all(
                y["qualifier"] == "vague" for y in ys
            ):
                continue
            conflicts.append(min(((x, y) for x in xs for y in ys), key=lambda t: _gap(*t)))
        if not conflicts:
            return None
        x, y = conflicts[0]
        gap = _gap(x, y)
        both_exact = x["qualifier"] == "exact" and y["qualifier"] == "exact"
        sev = Severity.HIGH if both_exact and gap >= 0.1 else Severity.MEDIUM
        note = ""
        pa = self._articles[a[0]].get("published")
        pb = self._articles[b[0]].get("published")
        if x["key"] in cfg.rising_units and pa and pb and pa != pb:
            later_bigger = (pa > pb) == (x["value_num"] > y["value_num"])
            if later_bigger:
                sev = Severity.LOW
                note = " The later report has the higher count (a rising toll?)."
        parts = "; ".join(f"'{u['surface']}' vs '{v['surface']}'" for u, v in conflicts)
        return self._from_facts(
            Kind.NUMBER,
            sev,
            round(min(0.95, 0.5 + 0.5 * min(gap * 2, 1.0) * max(overlap, 0.5)), 4),
            a,
            b,
            [u for u, _ in conflicts],
            [v for _, v in conflicts],
            f"{self._outlet(a[0])} and {self._outlet(b[0])} give different numbers for the "
            f"same thing: {parts}.{note}",
            "number",
            suppress_on_entail=gap < cfg.weak_number_gap,
            relative_gap=round(gap, 4),
        )

    @staticmethod
    def _day_sigs(fs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            f
            for f in fs
            if f["fact_type"] == "date"
            and f["unit"] == "day"
            and f["detail"].get("role") == "event"
            and f["detail"].get("day")
        ]

    def _dates(
        self,
        a: tuple[str, int],
        b: tuple[str, int],
        fa: list[dict[str, Any]],
        fb: list[dict[str, Any]],
        overlap: float,
    ) -> _Finding | None:
        da, db = self._day_sigs(fa), self._day_sigs(fb)
        if not da or not db:
            return None
        dm = {(f["detail"]["month"], f["detail"]["day"]) for f in da}
        if dm & {(f["detail"]["month"], f["detail"]["day"]) for f in db}:
            return None
        x, y = da[0], db[0]
        dx, dy = x.get("value_date"), y.get("value_date")
        if dx is not None and dy is not None and abs((dx - dy).days) <= ADJACENT_DAYS:
            # "api berkobar Jumat (3/3)" / "padam total Sabtu (4/3)": a story
            # runs over days; a day or two apart is another moment of it
            return None
        return self._from_facts(
            Kind.DATE,
            Severity.MEDIUM,
            round(min(0.9, 0.5 + 0.4 * overlap), 4),
            a,
            b,
            da,
            db,
            f"The same event is dated '{x['surface']}' by {self._outlet(a[0])} and "
            f"'{y['surface']}' by {self._outlet(b[0])}.",
            "date",
        )

    def _polarity(
        self,
        a: tuple[str, int],
        b: tuple[str, int],
        fa: list[dict[str, Any]],
        fb: list[dict[str, Any]],
    ) -> _Finding | None:
        pa = [f for f in fa if f["fact_type"] == "polarity"]
        pb = [f for f in fb if f["fact_type"] == "polarity"]
        ka = [f["key"] for f in pa]
        kb = [f["key"] for f in pb]
        deny_flip = ("deny" in ka and "affirm" in kb) or ("affirm" in ka and "deny" in kb)
        neg_flip = (ka.count("neg") % 2) != (kb.count("neg") % 2)
        if not (deny_flip or neg_flip):
            return None
        if deny_flip:
            xs = [f for f in pa if f["key"] in ("deny", "affirm")]
            ys = [f for f in pb if f["key"] in ("deny", "affirm")]
        else:
            xs = [f for f in pa if f["key"] == "neg"]
            ys = [f for f in pb if f["key"] == "neg"]
        neg_side = self._outlet(a[0]) if len(xs) > len(ys) else self._outlet(b[0])
        what = (
            f"'{(xs or ys)[0]['surface']}' in {neg_side}"
            if not deny_flip
            else f"'{xs[0]['surface']}' vs '{ys[0]['surface']}'"
        )
        return self._from_facts(
            Kind.CONTRADICTION,
            Severity.MEDIUM,
            0.55 if deny_flip else 0.45,
            a,
            b,
            xs,
            ys,
            f"Polarity differs between {self._outlet(a[0])} and {self._outlet(b[0])} "
            f"on otherwise matching sentences ({what}).",
            "polarity",
            suppress_on_entail=True,
        )

    # -- cross-article comparators -----------------------------------------

    def _name_findings(self) -> list[_Finding]:
        mentions: dict[tuple[str, str], dict[str, Any]] = {}
        for f in self._all("person") + self._all("speaker"):
            if f["detail"].get("how") in ("continuation", "pronoun", "quote_span"):
                continue
            k = (f["article_id"], name_key(f["surface"]))
            if (
                k not in mentions
                or f["fact_type"] == "person"
                and (mentions[k]["fact_type"] != "person")
            ):
                mentions.setdefault(k, f)
        out: list[_Finding] = []
        items = sorted(mentions.items())
        seen: set[tuple[str, str, str, str]] = set()
        for (art_x, kx), x in items:
            for (art_y, ky), y in items:
                if art_x >= art_y or not name_variant(x["surface"], y["surface"]):
                    continue
                if relation(x["surface"], y["surface"]) == "same":
                    continue  # a transliteration ("Abduljalil" / "Abduljaleel"): one spelling
                gk = (art_x, art_y, kx, ky)
                if gk in seen:
                    continue
                seen.add(gk)
                out.append(
                    self._from_facts(
                        Kind.NAME,
                        Severity.MEDIUM,
                        0.7,
                        (art_x, x["sent_idx"]),
                        (art_y, y["sent_idx"]),
                        [x],
                        [y],
                        f"'{x['surface']}' ({self._outlet(art_x)}) vs '{y['surface']}' "
                        f"({self._outlet(art_y)}): one name spelled two ways; check which "
                        "spelling is right.",
                        "name",
                    )
                )
        return out

    # -- explanation and output -----------------------------------------------

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
            la = ", ".join(sorted(self._outlet(x) for x in out_a))
            lb = ", ".join(sorted(self._outlet(x) for x in out_b))
            f.explanation = (
                f"{_short(sa)} ({la}) vs {_short(sb)} ({lb}) for the same "
                f"{'quote' if _is_quote(self._sents[f.a]['text']) else 'statement'}; "
                "check who said it."
            )

    def _frame(self, findings: list[_Finding]) -> pl.DataFrame:
        rows = []
        seen: set[str] = set()
        for f in findings:
            sa = self._sents[f.a]
            a_sha = self._articles[f.a[0]]["text_sha"]
            sb = self._sents[f.b] if f.b else None
            b_sha = self._articles[f.b[0]]["text_sha"] if f.b else None
            did = make_divergence_id(
                f.kind.value,
                a_sha,
                sa["start"],
                sa["end"],
                b_sha,
                sb["start"] if sb else None,
                sb["end"] if sb else None,
            )
            if did in seen:
                continue
            seen.add(did)
            rows.append(
                {
                    "divergence_id": did,
                    "kind": f.kind.value,
                    "severity": f.severity.value,
                    "score": float(max(0.0, min(1.0, f.score))),
                    "a_article": f.a[0],
                    "a_idx": f.a[1],
                    "a_start": sa["start"],
                    "a_end": sa["end"],
                    "a_highlight": sorted(f.a_hl),
                    "b_article": f.b[0] if f.b else None,
                    "b_idx": f.b[1] if f.b else None,
                    "b_start": sb["start"] if sb else None,
                    "b_end": sb["end"] if sb else None,
                    "b_highlight": sorted(f.b_hl) if f.b else None,
                    "explanation": f.explanation,
                    "evidence": json.dumps(f.evidence, ensure_ascii=False, sort_keys=True),
                    "claim_id": f.claim_id,
                }
            )
        if not rows:
            return DIVERGENCES.empty()
        return DIVERGENCES.validate(pl.DataFrame(rows, schema=DIVERGENCES.polars_schema))


def _short(name: str) -> str:
    """The surname as written ("Andrienne Watson" -> "Watson")."""
    parts = name.split()
    return parts[-1] if parts else name


def _is_quote(text: str) -> bool:
    return any(c in text for c in '"“”«»')
