"""NLI only where it can change a finding: the judge's gate and the pipeline that obeys it.

The gate (:meth:`RuleJudge.pairs_needing_nli`) is checked against the judge
itself: for every pair below and every NLI score from a set of probes, a pair the
gate leaves out gets the same findings whatever its scores (or none), and a pair
the gate keeps has some scores that change its findings.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest

from consistency.config import AlignConfig, Settings
from consistency.facts import extract_facts
from consistency.judge import JudgeConfig, RuleJudge
from consistency.models.bundle import ModelChoice
from consistency.pipeline import pairs_for_nli, run
from consistency.types import NLI_SCORES, PAIRS
from tests.conftest import GATING_DOCS as DOCS
from tests.conftest import FakeEmbedder, FakeNLI, make_frames

# (pair, similarity, whether NLI can change its findings under the default config,
#  the same with nli_alone on)
CASES = {
    # few shared words, but the same count with values far apart: mutual entailment
    # would make them one statement and the number finding appear (only with nli_alone,
    # and with the aligned pair's figures compared: see test_gate_when_nli_may_find_alone)
    "number_only_if_entailed": (("a", 0, "b", 0), 0.9, False, True),
    # the same statement, nothing typed: a confident contradiction alone is a finding
    # (only with nli_alone)
    "same_statement": (("a", 1, "b", 1), 0.9, False, True),
    # different statements, nothing typed: no NLI score makes a finding of them
    "unrelated": (("a", 2, "b", 2), 0.9, False, False),
    # a polarity flip: entailment drops it, contradiction raises it
    "polarity_flip": (("a", 3, "b", 3), 0.9, True, True),
    # a wire copy (whitespace aside): a text entails itself
    "identical_text": (("a", 4, "b", 4), 0.99, False, False),
    # too few content words to be the same statement; a small gap (19%) that mutual
    # entailment, the only way to sameness here, would suppress anyway
    "weak_number_only_if_entailed": (("a", 5, "b", 5), 0.9, False, False),
    # two languages, nli_cross_lingual off: shown as evidence, never used
    "cross_lingual": (("a", 1, "c", 0), 0.93, False, False),
}

_COLS = ("ab_entail", "ab_neutral", "ab_contra", "ba_entail", "ba_neutral", "ba_contra")

# each direction's three probabilities sum to 1, as an NLIModel's do
PROBES: dict[str, tuple[float, ...] | None] = {
    "missing": None,  # NLI on, but this pair not scored
    "entail": (0.9, 0.05, 0.05) * 2,
    "neutral": (0.05, 0.9, 0.05) * 2,
    "contra": (0.01, 0.01, 0.98) * 2,
    "contra_one_way": (0.01, 0.01, 0.98, 0.9, 0.05, 0.05),
    "contra_raise": (0.2, 0.1, 0.7) * 2,
    "entail_and_contra": (0.35, 0.0, 0.65) * 2,
}


def _frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    arts, sents = make_frames(DOCS, outlets={"a": "A", "b": "B", "c": "C"})
    arts = arts.with_columns(
        pl.when(pl.col("article_id") == "c")
        .then(pl.lit("en"))
        .otherwise(pl.col("language"))
        .alias("language")
    )
    return arts, sents, extract_facts(arts, sents)


def _pairs(rows: list[tuple[tuple[str, int, str, int], float]]) -> pl.DataFrame:
    return PAIRS.conform(
        pl.DataFrame(
            [
                {
                    "a_article": a,
                    "a_idx": i,
                    "b_article": b,
                    "b_idx": j,
                    "similarity": sim,
                    "margin": 0.03,
                }
                for (a, i, b, j), sim in rows
            ],
            schema=PAIRS.polars_schema,
        )
    )


def _scores(pair: tuple[str, int, str, int], probe: tuple[float, ...] | None) -> pl.DataFrame:
    if probe is None:
        return NLI_SCORES.empty()
    a, i, b, j = pair
    row = {"a_article": a, "a_idx": i, "b_article": b, "b_idx": j}
    row.update(zip(_COLS, probe, strict=True))
    return NLI_SCORES.conform(pl.DataFrame([row], schema=NLI_SCORES.polars_schema))


def _findings(out: pl.DataFrame) -> list[dict[str, Any]]:
    """The findings, less the NLI scores shown as evidence (a skipped pair has none)."""
    rows = []
    for r in out.iter_rows(named=True):
        ev = json.loads(r["evidence"])
        ev.pop("nli", None)
        ev.pop("nli_used", None)
        rows.append({**r, "evidence": ev})
    return rows


CONFIGS = {
    "default": JudgeConfig(),
    "cross_lingual_on": JudgeConfig(nli_cross_lingual=True),
    # NLI may find on its own: a contradiction alone, a pair made the same by entailment
    "nli_alone": JudgeConfig(nli_alone=True),
    "nli_alone_cross_lingual": JudgeConfig(nli_alone=True, nli_cross_lingual=True),
    # low thresholds: mutual entailment leaves room for a contradiction at nli_contra_alone
    "loose": JudgeConfig(
        nli_alone=True, nli_entail_mutual=0.3, nli_contra_raise=0.6, nli_contra_alone=0.6
    ),
    # entailment leaves room for raising, not for a contradiction alone
    "loose_entail": JudgeConfig(nli_alone=True, nli_entail_mutual=0.3, nli_contra_raise=0.6),
    # no pair is the same statement by its words alone: the polarity flip still counts
    "strict_overlap": JudgeConfig(min_overlap=0.95),
    "strict_overlap_nli_alone": JudgeConfig(nli_alone=True, min_overlap=0.95),
    # the aligned pair's figures compared too (off by default)
    "aligned_figures": JudgeConfig(aligned_figures=True),
    "aligned_figures_nli_alone": JudgeConfig(aligned_figures=True, nli_alone=True),
}


@pytest.mark.parametrize("config_name", sorted(CONFIGS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_gate_keeps_exactly_the_pairs_whose_nli_can_change_a_finding(
    case: str, config_name: str
) -> None:
    config = CONFIGS[config_name]
    pair, similarity, _, _ = CASES[case]
    arts, sents, facts = _frames()
    pairs = _pairs([(pair, similarity)])
    judge = RuleJudge(config)
    kept = judge.pairs_needing_nli(arts, sents, facts, pairs).height == 1
    outcomes = {
        name: _findings(judge.judge(arts, sents, facts, pairs, _scores(pair, probe)))
        for name, probe in PROBES.items()
    }
    changed = sorted(name for name, got in outcomes.items() if got != outcomes["missing"])
    if kept:
        assert changed, f"{case}: scored, but no NLI score changes its findings"
    else:
        assert not changed, f"{case}: skipped, but NLI {changed} changes its findings"


@pytest.mark.parametrize("case", sorted(CASES))
def test_gate_on_the_default_config(case: str) -> None:
    pair, similarity, expected, _ = CASES[case]
    arts, sents, facts = _frames()
    got = RuleJudge().pairs_needing_nli(arts, sents, facts, _pairs([(pair, similarity)]))
    assert (got.height == 1) is expected


@pytest.mark.parametrize("case", sorted(CASES))
def test_gate_when_nli_may_find_alone(case: str) -> None:
    pair, similarity, _, expected = CASES[case]
    arts, sents, facts = _frames()
    judge = RuleJudge(JudgeConfig(nli_alone=True, aligned_figures=True))
    got = judge.pairs_needing_nli(arts, sents, facts, _pairs([(pair, similarity)]))
    assert (got.height == 1) is expected


def test_nli_alone_off_makes_no_contradiction_of_its_own() -> None:
    pair, similarity, _, _ = CASES["same_statement"]
    arts, sents, facts = _frames()
    pairs = _pairs([(pair, similarity)])
    scores = _scores(pair, PROBES["contra"])
    alone = RuleJudge(JudgeConfig(nli_alone=True)).judge(arts, sents, facts, pairs, scores)
    default = RuleJudge().judge(arts, sents, facts, pairs, scores)
    assert "contradiction" in alone["kind"].to_list()
    assert "contradiction" not in default["kind"].to_list()


def test_cross_lingual_pair_is_scored_when_nli_is_trusted_across_languages() -> None:
    pair, similarity, _, _ = CASES["cross_lingual"]
    arts, sents, facts = _frames()
    judge = RuleJudge(JudgeConfig(nli_cross_lingual=True, nli_alone=True))
    assert judge.pairs_needing_nli(arts, sents, facts, _pairs([(pair, similarity)])).height == 1


def test_gate_keeps_the_pairs_order_and_drops_unknown_sentences() -> None:
    arts, sents, facts = _frames()
    rows = [(pair, sim) for pair, sim, _, _ in CASES.values()] + [(("a", 99, "b", 0), 0.99)]
    got = RuleJudge().pairs_needing_nli(arts, sents, facts, _pairs(rows))
    expected = [pair for pair, _, keep, _ in CASES.values() if keep]
    assert list(got.select("a_article", "a_idx", "b_article", "b_idx").iter_rows()) == expected


class _Ungated:
    """The rule judge without its gate: the pipeline then scores every pair."""

    name = "rules"

    def judge(self, *args: Any, **kwargs: Any) -> pl.DataFrame:
        return RuleJudge().judge(*args, **kwargs)


class _RecordingNLI(FakeNLI):
    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def predict(self, premises: Any, hypotheses: Any) -> Any:
        self.asked += list(zip(premises, hypotheses, strict=True))
        return super().predict(premises, hypotheses)


def test_pairs_for_nli_scores_every_pair_for_a_judge_without_a_gate() -> None:
    arts, sents, facts = _frames()
    pairs = _pairs([(pair, sim) for pair, sim, _, _ in CASES.values()])
    assert pairs_for_nli(_Ungated(), arts, sents, facts, pairs).equals(pairs)
    assert pairs_for_nli(RuleJudge(), arts, sents, facts, pairs).height == sum(
        keep for _, _, keep, _ in CASES.values()
    )


def test_pipeline_scores_only_the_gated_pairs_and_finds_the_same(tmp_path, monkeypatch) -> None:
    # fakes for the models: the rule findings themselves, not the confidence model's cut
    monkeypatch.setenv("CONSISTENCY_CONFIDENCE_MODEL", "off")
    texts = {
        "a": " ".join(DOCS["a"][0]),
        "b": " ".join(DOCS["b"][0]),
    }
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    settings = Settings(nli_model=None, align=AlignConfig(min_similarity=0.3, min_margin=0.0))
    gated_nli, full_nli = _RecordingNLI(), _RecordingNLI()
    gated = run([str(tmp_path)], settings, models=ModelChoice(FakeEmbedder(), gated_nli))
    full = run([str(tmp_path)], settings, models=ModelChoice(FakeEmbedder(), full_nli, _Ungated()))
    assert _findings(gated.divergences) == _findings(full.divergences)
    assert gated.divergences.height  # the polarity flip at least
    # the wire copy and the unrelated pair are aligned but never reach the model
    text_of = {
        (r["article_id"], r["sent_idx"]): r["text"] for r in gated.sentences.iter_rows(named=True)
    }
    asked = set(gated_nli.asked)
    aligned = {
        (text_of[(r["a_article"], r["a_idx"])], text_of[(r["b_article"], r["b_idx"])])
        for r in gated.pairs.iter_rows(named=True)
    }
    assert len(asked) < len(set(full_nli.asked))
    assert all(p.split() != h.split() for p, h in asked)
    assert any(p.split() == h.split() for p, h in aligned)  # the wire copy was aligned
    unrelated = (DOCS["a"][0][2], DOCS["b"][0][2])
    assert unrelated in aligned and unrelated not in asked
    # both directions of every kept pair are asked
    assert {(h, p) for p, h in asked} == asked
