"""The pipeline's plumbing with fast fakes (the real models run in tests/e2e/test_seeds.py)."""

import polars as pl
import pytest

from consistency.config import AlignConfig, Settings
from consistency.judge import RuleJudge
from consistency.models.bundle import ModelChoice, Models
from consistency.pipeline import STAGES, run, run_articles
from consistency.stages.ingest import read_inputs
from consistency.types import DIVERGENCES, FACTS, PAIRS, SENTENCES, InputError
from tests.conftest import FakeEmbedder, FakeNLI

A = (
    "Juru bicara Gedung Putih John Kirby mengatakan Rusia sedang membeli amunisi dari Korea "
    'Utara. "Kami mendesak Korea Utara untuk menghentikan perundingan senjata," kata Kirby.'
)
B = (
    "Juru bicara NSC Adrienne Watson mengatakan Rusia sedang membeli amunisi dari Korea "
    'Utara. "Kami mendesak Korea Utara untuk menghentikan perundingan senjata," ujar Watson.'
)
C = "Cuaca di Jakarta cerah sepanjang hari Minggu dan tidak ada hujan sama sekali di sana."

SETTINGS = Settings(nli_model=None, align=AlignConfig(min_similarity=0.5, min_margin=0.0))


@pytest.fixture()
def corpus(tmp_path):
    for name, text in (("a", A), ("b", B), ("c", C)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    return tmp_path


def test_run_produces_every_frame_in_schema(corpus):
    emb = FakeEmbedder()
    rep = run([str(corpus)], SETTINGS, models=ModelChoice(emb, None))
    SENTENCES.validate(rep.sentences)
    FACTS.validate(rep.facts)
    PAIRS.validate(rep.pairs)
    DIVERGENCES.validate(rep.divergences)
    assert rep.articles.height == 3
    assert rep.generated_by["embed_model"] == "fake-bow-256"
    assert rep.generated_by["nli_model"] is None
    assert sum(emb.calls) > 0
    # the quote pair across a and b is aligned, and the speakers' disagreement found
    assert rep.pairs.filter((pl.col("a_article") == "a") & (pl.col("b_article") == "b")).height
    kinds = set(rep.divergences["kind"])
    assert "attribution" in kinds, rep.divergences.select("kind", "explanation").rows()


def test_nli_model_is_called_and_named(corpus):
    rep = run([str(corpus)], SETTINGS, models=ModelChoice(FakeEmbedder(), FakeNLI()))
    assert rep.generated_by["nli_model"] == "fake-nli"


def test_a_run_takes_models_already_loaded(corpus):
    models = Models(FakeEmbedder(), FakeNLI(), RuleJudge())
    rep = run([str(corpus)], SETTINGS, models=models)
    assert rep.generated_by["nli_model"] == "fake-nli"
    assert rep.generated_by["judge"] == "rules"


def test_without_models_a_run_loads_the_settings_models(corpus, monkeypatch):
    asked: list[str] = []

    def load(name: str) -> FakeEmbedder:
        asked.append(name)
        return FakeEmbedder()

    monkeypatch.setattr("consistency.models.embed.load_embedder", load)
    rep = run([str(corpus)], SETTINGS)  # the settings' NLI model is None: no NLI
    assert asked == [SETTINGS.embed_model]
    assert rep.generated_by["embed_model"] == "fake-bow-256"
    assert rep.generated_by["nli_model"] is None


def test_model_choice_from_settings_names_the_settings_models():
    choice = ModelChoice.from_settings(Settings(embed_model="e", nli_model="n"))
    assert (choice.embedder, choice.nli, choice.judge) == ("e", "n", None)
    assert ModelChoice.from_settings(Settings(nli_model="")).nli is None  # empty: no NLI
    assert ModelChoice.from_settings(Settings(nli_model=None)).nli is None


def test_focus_keeps_only_findings_touching_it(corpus):
    arts = read_inputs([str(corpus)]).articles
    rep = run_articles(arts, SETTINGS, models=ModelChoice(FakeEmbedder(), None), focus=["c"])
    assert all(
        "c" in (r["a_article"], r["b_article"]) for r in rep.divergences.iter_rows(named=True)
    )
    full = run_articles(arts, SETTINGS, models=ModelChoice(FakeEmbedder(), None))
    assert full.divergences.height >= rep.divergences.height


def test_single_article_runs_without_embedding(tmp_path):
    (tmp_path / "only.txt").write_text(A, encoding="utf-8")
    emb = FakeEmbedder()
    rep = run([str(tmp_path / "only.txt")], SETTINGS, models=ModelChoice(emb, None))
    assert rep.pairs.height == 0
    assert emb.calls == []


def test_no_readable_input_is_an_input_error(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError):
        run([str(tmp_path)], SETTINGS, models=ModelChoice(FakeEmbedder(), None))


def test_progress_reports_every_stage(corpus):
    seen = []
    run(
        [str(corpus)],
        SETTINGS,
        models=ModelChoice(FakeEmbedder(), FakeNLI()),
        progress=lambda stage, done, total: seen.append(stage),
    )
    for stage in STAGES:
        assert stage in seen
