"""The models of a run, chosen once and resolved in one place.

:class:`ModelChoice` says which embedder, NLI model and judge a run uses, none of them
loaded: each is a model itself or the name it is loaded by (no NLI: ``None``). It is what
the command line builds from the settings and the on-disk cache
(:func:`choose_models`), what a feed's backend is given, and what travels to a Ray actor.
:meth:`ModelChoice.resolve` is the one place a named model is loaded, giving
:class:`Models`, what the stages are handed; :func:`resolve_models` is what a run calls
(a choice, loaded models, or None for the settings' own), once, before its first story.

Every entry point (:func:`consistency.run`, :func:`consistency.run_articles`,
:func:`consistency.run_feed`, the CI gate) takes one ``models``: a :class:`ModelChoice` or
:class:`Models`, or None for the settings' own (:meth:`ModelChoice.from_settings`). A run
with a model of its own and the settings' others replaces that field:
``dataclasses.replace(ModelChoice.from_settings(settings), embedder=mine)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consistency.config import Settings
from consistency.models.protocols import Embedder, Judge, NLIModel


@dataclass(frozen=True)
class Models:
    """The embedder, NLI model and judge of a run, ready to use.

    Attributes:
        embedder: turns sentences into vectors.
        nli: scores aligned pairs; None runs without NLI.
        judge: turns pairs and claims into findings.
    """

    embedder: Embedder
    nli: NLIModel | None
    judge: Judge


@dataclass(frozen=True)
class ModelChoice:
    """Which models a run uses, none loaded yet.

    Attributes:
        embedder: an :class:`Embedder`, or the name :func:`~consistency.models.embed.load_embedder`
            loads (the settings' ``embed_model``).
        nli: an :class:`NLIModel`, the name :func:`~consistency.models.nli.load_nli` loads
            (the settings' ``nli_model``), or None: no NLI.
        judge: a :class:`Judge`, or None: the rule judge
            (:class:`~consistency.judge.RuleJudge`) in the settings' explanation language.
    """

    embedder: Embedder | str
    nli: NLIModel | str | None
    judge: Judge | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelChoice:
        """The settings' models, by name: ``embed_model``, ``nli_model`` (None or empty: no
        NLI) and the rule judge."""
        return cls(embedder=settings.embed_model, nli=settings.nli_model or None)

    def resolve(self, settings: Settings) -> Models:
        """The models, named ones loaded (each once per process).

        Raises:
            ModelError: a model could not be loaded.
        """
        from consistency.judge import RuleJudge
        from consistency.models.embed import load_embedder

        embedder = load_embedder(self.embedder) if isinstance(self.embedder, str) else self.embedder
        nli: NLIModel | None
        if isinstance(self.nli, str):
            from consistency.models.nli import load_nli

            nli = load_nli(self.nli)
        else:
            nli = self.nli
        judge = self.judge or RuleJudge(explain_lang=settings.explain_lang)
        return Models(embedder=embedder, nli=nli, judge=judge)


def resolve_models(models: Models | ModelChoice | None, settings: Settings) -> Models:
    """The models of a run, ready to use: ``models`` when loaded already, else the choice
    resolved (:meth:`ModelChoice.resolve`); None is the settings' own
    (:meth:`ModelChoice.from_settings`).

    Raises:
        ModelError: a model could not be loaded.
    """
    if isinstance(models, Models):
        return models
    choice = models if models is not None else ModelChoice.from_settings(settings)
    return choice.resolve(settings)


def choose_models(
    settings: Settings, cache_dir: Path | str | None = None, *, use_cache: bool = True
) -> tuple[ModelChoice, dict[str, Any]]:
    """The settings' models, behind the on-disk cache unless ``use_cache`` is False.

    With the cache (in ``cache_dir``, default
    :func:`~consistency.models.cache.default_cache_dir`) the embedder and NLI model are
    wrapped, described without loading (:func:`~consistency.models.cached.cached_models`),
    and the cache's handles come back too: ``{"store": CacheStore, "index_cache":
    IndexCache}`` (the caller closes the store). Without it, the choice names the
    settings' models and there are no handles.
    """
    if not use_cache:
        return ModelChoice.from_settings(settings), {}
    from consistency.models import cache, cached

    embedder, nli, handles = cached.cached_models(settings, cache_dir or cache.default_cache_dir())
    choice = ModelChoice(
        embedder=embedder if embedder is not None else settings.embed_model, nli=nli
    )
    return choice, handles
