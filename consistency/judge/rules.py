"""Judge: typed comparators over aligned pairs (and single articles) -> DIVERGENCES.

Takes ARTICLES, SENTENCES, FACTS (from :func:`consistency.facts.extract_facts`),
PAIRS (from :func:`consistency.stages.align.align`) and optionally NLI_SCORES, and
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

* ``date``  weekdays that do not fit their day of the month (:mod:`.weekdays`),
  and an article whose weekdays all fit an earlier year (:mod:`.years`);
* ``name``  one person spelled two ways ("Andrienne Watson" / "Adrienne Watson");
* ``unique`` a bounded figure that only one outlet reports (:mod:`.unique`).

The claim comparators (:mod:`.values`, :mod:`.names`, :mod:`.attribution`)
run first, across the whole cluster; the facts the comparators here read are
kept by :class:`~consistency.judge.facts_view.FactsView`.

Each comparator has its module: the aligned-pair reading in :mod:`.pairs`,
its typed comparators in :mod:`.pair_attribution`, :mod:`.pair_numbers`,
:mod:`.pair_dates` and :mod:`.polarity`, the facts' name variants in
:mod:`.fact_names`; :class:`RuleJudge` composes them with the claim
comparators and writes the DIVERGENCES frame.

Findings are grouped: at most one finding of a kind per sentence pair.
"""

from __future__ import annotations

import json
from collections import defaultdict

import polars as pl

from consistency.judge.base import ClaimComparator, ClaimContext
from consistency.judge.base import Finding as _Finding
from consistency.judge.config import JudgeConfig
from consistency.judge.explain import DEFAULT_LANG, Explainer
from consistency.judge.fact_names import FactNameVariants
from consistency.judge.pairs import PairJudging
from consistency.judge.unique import UniqueFigures, reported_elsewhere
from consistency.judge.weekdays import WeekdayChecks
from consistency.judge.years import OtherYearChecks
from consistency.types import (
    ARTICLES,
    DIVERGENCES,
    FACTS,
    PAIRS,
    SENTENCES,
    Kind,
    make_divergence_id,
)

__all__ = ["JudgeConfig", "RuleJudge"]


def _overlap(xs: list[list[int]], ys: list[list[int]]) -> bool:
    """Whether two lists of highlighted spans share a character (empty lists do)."""
    if not xs or not ys:
        return True
    return any(a < d and c < b for a, b in xs for c, d in ys)


def marked_id(divergence_id: str, words: object) -> str:
    """The id of a further finding on the same two sentences: the first one's id and
    the words it marks, hashed (stable across runs, as the first id is)."""
    import hashlib

    return hashlib.sha256(f"{divergence_id}|{words!r}".encode()).hexdigest()[:16]


class RuleJudge(PairJudging, FactNameVariants, WeekdayChecks, OtherYearChecks, UniqueFigures):
    """The rule-based judge: typed comparators, NLI as a second opinion.

    Implements :class:`consistency.models.Judge`.
    """

    name = "rules"

    def __init__(
        self,
        config: JudgeConfig | None = None,
        comparators: list[ClaimComparator] | None = None,
        *,
        explain_lang: str = DEFAULT_LANG,
    ) -> None:
        """``explain_lang``: the language of the explanations (``Settings.explain_lang``)."""
        from consistency.judge.attribution import AttributionConflicts
        from consistency.judge.breakdowns import BreakdownSums
        from consistency.judge.grades import InjuryGrades
        from consistency.judge.names import NameVariants
        from consistency.judge.quotes import QuoteWording
        from consistency.judge.titles import TitleConflicts
        from consistency.judge.values import ValueConflicts
        from consistency.judge.vehicles import VehicleMakes

        self.config = config or JudgeConfig()
        self.explain = Explainer(explain_lang)
        self.comparators: list[ClaimComparator] = (
            comparators
            if comparators is not None
            else [
                ValueConflicts(),
                NameVariants(),
                AttributionConflicts(),
                BreakdownSums(),
                VehicleMakes(),
                TitleConflicts(),
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
            ctx = ClaimContext(articles, sentences, claims, links, groups or {}, self.explain)
            for comp in self.comparators:
                findings += comp.compare(ctx)
        for p in pairs.iter_rows(named=True):
            v = self._view(p)
            if v is None:
                continue
            scores = nli.get((p["a_article"], p["a_idx"], p["b_article"], p["b_idx"]))
            findings += self._pair(v, scores, nli_scores is not None)
        old_story, old_articles = self._other_year_findings()
        findings += self._weekday_findings(quiet=old_articles)
        findings += old_story
        findings += self._name_findings()
        compared = {
            (art, e["start"], e["end"])
            for f in findings
            if f.kind is Kind.NUMBER and f.b is not None
            for art, side in ((f.a[0], "a_facts"), (f.b[0], "b_facts"))
            for e in f.evidence.get(side, [])
        }
        elsewhere = reported_elsewhere(claims, links) if claims is not None else set()
        findings += self._unique_findings(
            compared, claims_given=claims is not None, elsewhere=elsewhere
        )
        self._explain_attribution(findings)
        return self._frame(self._one_per_speaker_pair(findings))

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

    def _frame(self, findings: list[_Finding]) -> pl.DataFrame:
        rows = []
        seen: set[str] = set()
        marked: dict[str, list[tuple[list[list[int]], list[list[int]]]]] = defaultdict(list)
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
                # a second name misspelt in the same two sentences ("Adnan"/"Adan"
                # and "Amanda"/"Adan" in one pair) is another disagreement: kept when
                # it marks other words (other kinds: one finding per sentence pair)
                if f.kind is not Kind.NAME or any(
                    _overlap(f.a_hl, a_hl) and _overlap(f.b_hl, b_hl) for a_hl, b_hl in marked[did]
                ):
                    continue  # the same words told again (by another comparator)
                marked[did].append((f.a_hl, f.b_hl))
                words = (tuple(map(tuple, sorted(f.a_hl))), tuple(map(tuple, sorted(f.b_hl))))
                did = marked_id(did, words)
                if did in seen:
                    continue
            else:
                marked[did].append((f.a_hl, f.b_hl))
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
