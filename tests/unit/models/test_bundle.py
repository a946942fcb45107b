"""A run's models, resolved in one place (:func:`consistency.models.bundle.resolve_models`)."""

from __future__ import annotations

import pytest

from consistency.config import Settings
from consistency.judge import RuleJudge
from consistency.models.bundle import ModelChoice, Models, resolve_models
from tests.conftest import FakeEmbedder, FakeNLI


def test_loaded_models_are_used_as_they_are() -> None:
    models = Models(FakeEmbedder(), FakeNLI(), RuleJudge())
    assert resolve_models(models, Settings(explain_lang="id")) is models


def test_a_choice_keeps_its_models_and_gets_the_settings_judge() -> None:
    embedder, nli = FakeEmbedder(), FakeNLI()
    got = resolve_models(ModelChoice(embedder, nli), Settings(explain_lang="id"))
    assert got.embedder is embedder and got.nli is nli
    assert isinstance(got.judge, RuleJudge)
    assert got.judge.explain.code == "id"


def test_no_choice_loads_the_settings_own_models(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def load(name: str) -> FakeEmbedder:
        asked.append(name)
        return FakeEmbedder()

    monkeypatch.setattr("consistency.models.embed.load_embedder", load)
    got = resolve_models(None, Settings(embed_model="mine", nli_model=None))
    assert asked == ["mine"]
    assert got.nli is None  # the settings name no NLI model
    assert got.judge.explain.code == "en"
