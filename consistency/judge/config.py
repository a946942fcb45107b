"""Thresholds of the rule judge (:class:`~consistency.judge.rules.RuleJudge`)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
        nli_alone: whether NLI may make findings of its own: a contradiction
            between two sentences that state the same thing, or a typed finding on
            a pair that only mutual entailment makes the same statement. Off (the
            default), NLI only raises or drops what the rules found, so only the
            sentence pairs holding a rule's finding are scored. On the fact tables
            and the dev clusters, leave one cluster out, NLI alone added one
            correct finding for a fact already found and no gold item, for most of
            the feed's NLI time (CHANGELOG, issue 31).
        aligned_figures: whether two figures of an aligned sentence pair that the
            claims did not link are compared (``pair_numbers``: "Different figures
            for the same thing"). Off (the default): which figures are one fact is
            the claims' word (the identity model). On the fact tables, leave one
            cluster out, its 8 findings were 1 correct, on a fact found anyway;
            on the dev clusters it found no gold item (flags 244 -> 240 without it).
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
    nli_alone: bool = False
    aligned_figures: bool = False
    nli_cross_lingual: bool = False
    weak_number_gap: float = 0.2
    about_tolerance: float = 0.15
    unique_min_value: float = 2.0
    rising_units: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {"dead", "victim", "people", "injured", "korban", "luka", "missing", "hilang"}
        )
    )
