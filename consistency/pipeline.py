"""The pipeline: the only module that knows the order of the stages.

ingest -> clean -> segment -> facts -> claims -> embed -> link claims -> align -> (NLI)
-> judge -> findings kept -> Report. NLI scores only the pairs the judge says can change a
finding (:func:`pairs_for_nli`). Each stage takes its own part of the settings' thresholds
(:class:`~consistency.config.Thresholds`): align its numbers, the findings stage
(:mod:`consistency.stages.findings`) ``min_confidence`` and ``collapse``.

:func:`run` reads inputs (paths, directories or ``-``) and returns a
:class:`~consistency.outputs.report.Report`; :func:`run_articles` starts from an
ARTICLES frame that is already read (the CI gate combines new articles with a
corpus that way).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np
import polars as pl

from consistency.config import VERSION, AlignConfig, Settings, Thresholds
from consistency.models.bundle import ModelChoice, Models, resolve_models
from consistency.models.protocols import Embedder, Judge, NLIModel
from consistency.outputs.report import Report, sort_divergences
from consistency.stages.prepare import Prepared, prepare_articles
from consistency.types import (
    ARTICLES,
    CLAIM_LINKS,
    CLAIMS,
    DIVERGENCES,
    NLI_SCORES,
    PAIRS,
    Kind,
)

if TYPE_CHECKING:
    from consistency.claims.identity_trees import IdentityModel
    from consistency.models.cache import IndexCache
    from consistency.stages.stories import StorySettings
    from consistency.text.normalise import MatchView

Progress = Callable[[str, int, int], None]
"""A progress callback: (stage name, done, total)."""

STAGES = (
    "read",
    "models",
    "clean",
    "segment",
    "facts",
    "claims",
    "embed",
    "link",
    "align",
    "nli",
    "judge",
)
"""The stage names a :data:`Progress` callback is called with, in order."""


@dataclass(frozen=True)
class RunOptions:
    """How a run goes, beside its settings and models: one object, passed whole.

    Attributes:
        focus: article ids; when given, only findings touching them are produced (and a
            feed runs only the stories holding one).
        progress: called as stages start and finish.
        warnings: carried into the report.
        index_cache: with ``focus``, where the FAISS index of the sentences outside the
            focus (the corpus of a check) is read from or saved to
            (:class:`~consistency.models.cache.IndexCache`).
        one_story: a feed's articles are one story (no grouping).
        story_settings: how a feed's articles are grouped into stories.
    """

    focus: Collection[str] | None = None
    progress: Progress | None = None
    warnings: Sequence[str] = ()
    index_cache: IndexCache | None = None
    one_story: bool = False
    story_settings: StorySettings | None = None


def _noop(stage: str, done: int, total: int) -> None:
    return None


def run(
    inputs: Sequence[str],
    settings: Settings | None = None,
    *,
    models: Models | ModelChoice | None = None,
    focus: Collection[str] | None = None,
    progress: Progress | None = None,
    stdin: TextIO | None = None,
) -> Report:
    """Read ``inputs`` and run every stage on them.

    Args:
        inputs: files, directories (recursive) or ``-`` for stdin.
        settings: models and thresholds; defaults to :class:`Settings`.
        models: the embedder, NLI model (None in it: no NLI) and judge, loaded
            (:class:`~consistency.models.bundle.Models`) or to load at the ``models`` stage
            (:class:`~consistency.models.bundle.ModelChoice`); None: the settings' models
            (:meth:`ModelChoice.from_settings
            <consistency.models.bundle.ModelChoice.from_settings>`).
        focus: article ids; when given, only findings touching them are produced.
        progress: called as stages start and finish.
        stdin: the stream ``-`` reads (default ``sys.stdin``).

    Raises:
        InputError: no usable input (the message names the file and problem).
        ModelError: a model could not be loaded.
    """
    from consistency.stages.ingest import read_inputs

    settings = settings or Settings()
    progress = progress or _noop
    progress("read", 0, 1)
    result = read_inputs(inputs, stdin=stdin, max_bytes=settings.max_file_bytes)
    progress("read", 1, 1)
    return run_articles(
        result.articles,
        settings,
        models=models,
        focus=focus,
        progress=progress,
        warnings=result.warnings,
    )


def _corpus_index(
    sentences: pl.DataFrame,
    vectors: np.ndarray,
    focus: Collection[str],
    embedder: Embedder,
    index_cache: IndexCache,
) -> Any:
    """The cached FAISS index over the sentences outside ``focus`` (None when there are none)."""
    from consistency.models.cache import text_sha

    outside = ~sentences["article_id"].is_in(list(focus)).to_numpy()
    if not outside.any():
        return None
    shas = [text_sha(t) for t in sentences["text"].filter(pl.Series(outside))]
    key = str(getattr(embedder, "cache_key", embedder.model_id))
    index, _ = index_cache.load_or_build(key, shas, np.ascontiguousarray(vectors[outside]))
    return index


def pairs_for_nli(
    judge: Judge,
    articles: pl.DataFrame,
    sentences: pl.DataFrame,
    facts: pl.DataFrame,
    pairs: pl.DataFrame,
) -> pl.DataFrame:
    """The pairs worth an NLI model's time: those the judge says can change a finding.

    A judge with a ``pairs_needing_nli(articles, sentences, facts, pairs)`` method
    (:class:`~consistency.judge.RuleJudge` has one) decides; any other judge gets
    every pair scored.
    """
    needing = getattr(judge, "pairs_needing_nli", None)
    if needing is None or pairs.height == 0:
        return pairs
    return PAIRS.validate(needing(articles, sentences, facts, pairs))


def run_articles(
    articles: pl.DataFrame,
    settings: Settings | None = None,
    *,
    models: Models | ModelChoice | None = None,
    focus: Collection[str] | None = None,
    progress: Progress | None = None,
    warnings: Sequence[str] = (),
    index_cache: IndexCache | None = None,
    prepared: Prepared | None = None,
) -> Report:
    """Run clean -> segment -> facts -> embed -> align -> NLI -> judge on ARTICLES.

    Arguments as for :func:`run`; ``warnings`` are carried into the report;
    ``prepared`` is ARTICLES' view, clean and segment done before (by
    :func:`prepare_articles` over a feed, cut with :meth:`Prepared.subset`),
    so a feed does them once per article. With
    ``focus`` and an ``index_cache``, the FAISS index of the sentences outside the
    focus articles (the corpus of a check) is read from the cache when the same
    sentences were indexed before with the same embedder, and saved there otherwise.
    A choice of models is loaded here, at the ``models`` stage, before the story runs
    (:func:`~consistency.models.bundle.resolve_models`, then :func:`run_story`).
    """
    settings = settings or Settings()
    progress = progress or _noop
    progress("models", 0, 1)
    resolved = resolve_models(models, settings)
    progress("models", 1, 1)
    options = RunOptions(focus=focus, progress=progress, warnings=warnings, index_cache=index_cache)
    return run_story(articles, settings.thresholds, resolved, options, prepared=prepared)


def run_story(
    articles: pl.DataFrame,
    thresholds: Thresholds,
    models: Models,
    options: RunOptions | None = None,
    *,
    prepared: Prepared | None = None,
) -> Report:
    """The pipeline on one story's ARTICLES: what every backend runs for each story.

    ``thresholds``: how sentences are paired and which findings are kept (the settings'
    :attr:`~consistency.config.Settings.thresholds`; each part goes to the stage that owns
    it); ``models``: the models to use,
    loaded before the story (:func:`~consistency.models.bundle.resolve_models`);
    ``options``: focus, progress, warnings and index cache (:class:`RunOptions`);
    ``prepared``: as for :func:`run_articles`.
    """
    from consistency.claims.identity_trees import load_identity_model
    from consistency.stages.findings import keep_findings

    options = options or RunOptions()
    progress = options.progress or _noop
    focus = options.focus
    ARTICLES.validate(articles)
    original = articles
    # every stage compares the matching view; offsets are mapped back at the end
    prepared = _prepare_stage(articles, prepared, progress)
    articles, views, sentences = prepared.articles, prepared.views, prepared.sentences
    facts = _facts_stage(articles, sentences, progress)
    claims = _claims_stage(articles, sentences, facts, progress)
    identity = load_identity_model()
    vectors, windows = _embed_stage(
        articles, sentences, claims, identity, models.embedder, progress
    )
    links, groups = _link_stage(articles, sentences, claims, vectors, windows, identity, progress)
    pairs = _align_stage(
        articles, sentences, vectors, thresholds.align, focus, models.embedder,
        options.index_cache, progress,
    )  # fmt: skip
    warnings = _align_warnings(options.warnings, sentences)
    nli_scores = _nli_stage(models.nli, models.judge, articles, sentences, facts, pairs, progress)
    divergences = _judge_stage(
        models.judge, articles, sentences, facts, pairs, nli_scores, claims, links, groups,
        progress,
    )  # fmt: skip
    divergences = keep_findings(divergences, articles, claims, thresholds.findings, focus)
    progress("judge", 1, 1)
    return _outputs_stage(
        original, views, sentences, facts, claims, divergences, pairs, links, groups,
        models, warnings,
    )  # fmt: skip


def _prepare_stage(
    articles: pl.DataFrame, prepared: Prepared | None, progress: Progress
) -> Prepared:
    """Clean and segment ARTICLES, or check that ``prepared`` is theirs (in their order)."""
    progress("clean", 0, 1)
    if prepared is None:
        prepared = prepare_articles(articles)
    elif prepared.articles["article_id"].to_list() != articles["article_id"].to_list():
        raise ValueError("prepared is not of these articles (or not in their order)")
    progress("segment", 0, 1)
    return prepared


def _facts_stage(
    articles: pl.DataFrame, sentences: pl.DataFrame, progress: Progress
) -> pl.DataFrame:
    """FACTS of the sentences."""
    from consistency.facts import extract_facts

    progress("facts", 0, 1)
    return extract_facts(articles, sentences)


def _claims_stage(
    articles: pl.DataFrame, sentences: pl.DataFrame, facts: pl.DataFrame, progress: Progress
) -> pl.DataFrame:
    """CLAIMS read from the sentences and their facts."""
    from consistency.claims import extract_claims

    progress("claims", 0, 1)
    return CLAIMS.validate(extract_claims(articles, sentences, facts))


def _embed_stage(
    articles: pl.DataFrame,
    sentences: pl.DataFrame,
    claims: pl.DataFrame,
    identity: IdentityModel | None,
    embedder: Embedder,
    progress: Progress,
) -> tuple[np.ndarray, dict[str, np.ndarray] | None]:
    """The story's vectors in one step: one per sentence (zeros of width 1 when there is nothing
    to compare), then one per claim's masked window (None: no identity model, or one article)."""
    from consistency.claims.identity import window_texts
    from consistency.models.embed import embed_sentences, embed_texts

    progress("embed", 0, sentences.height)
    if articles.height >= 2 and sentences.height:
        vectors = embed_sentences(
            sentences, embedder, progress=lambda done, total: progress("embed", done, total)
        )
    else:
        vectors = np.zeros((sentences.height, 1), dtype=np.float32)
    windows = None
    if identity is not None and articles.height >= 2:
        windows = embed_texts(window_texts(claims, sentences), embedder)
    progress("embed", sentences.height, sentences.height)
    return vectors, windows


def _link_stage(
    articles: pl.DataFrame,
    sentences: pl.DataFrame,
    claims: pl.DataFrame,
    vectors: np.ndarray,
    windows: dict[str, np.ndarray] | None,
    identity: IdentityModel | None,
    progress: Progress,
) -> tuple[pl.DataFrame, dict[str, str]]:
    """CLAIM_LINKS (the claim-identity model's, where there is one) and the claim groups."""
    from consistency.claims import group_claims, link_claims

    progress("link", 0, 1)
    links = CLAIM_LINKS.validate(
        link_claims(
            claims, sentences, vectors, identity=identity, articles=articles, windows=windows
        )
    )
    groups = group_claims(claims, links)
    progress("link", 1, 1)
    return links, groups


def _align_stage(
    articles: pl.DataFrame,
    sentences: pl.DataFrame,
    vectors: np.ndarray,
    config: AlignConfig,
    focus: Collection[str] | None,
    embedder: Embedder,
    index_cache: IndexCache | None,
    progress: Progress,
) -> pl.DataFrame:
    """PAIRS of sentences worth comparing, as ``config`` says (none for a single article)."""
    from consistency.stages.align import align

    progress("align", 0, 1)
    other_index = None
    if focus is not None and index_cache is not None and articles.height >= 2:
        other_index = _corpus_index(sentences, vectors, focus, embedder, index_cache)
    pairs = (
        align(sentences, vectors, config, focus=focus, other_index=other_index)
        if articles.height >= 2
        else (PAIRS.empty())
    )
    progress("align", 1, 1)
    return pairs


def _align_warnings(warnings: Sequence[str], sentences: pl.DataFrame) -> list[str]:
    """``warnings`` and one more for each article aligned only in part."""
    from consistency.stages.align import MAX_ALIGNED_SENTENCES, articles_over_align_cap

    return [
        *warnings,
        *(
            f"{aid}: {n} sentences; only the first {MAX_ALIGNED_SENTENCES} were aligned "
            "with other articles"
            for aid, n in articles_over_align_cap(sentences, MAX_ALIGNED_SENTENCES).items()
        ),
    ]


def _nli_stage(
    nli_model: NLIModel | None,
    judge: Judge,
    articles: pl.DataFrame,
    sentences: pl.DataFrame,
    facts: pl.DataFrame,
    pairs: pl.DataFrame,
    progress: Progress,
) -> pl.DataFrame | None:
    """NLI_SCORES of the pairs the judge needs scored (None without an NLI model)."""
    if nli_model is None:
        return None
    from consistency.models.nli import nli_scores as score_pairs

    to_score = pairs_for_nli(judge, articles, sentences, facts, pairs)
    progress("nli", 0, to_score.height)
    nli_scores = NLI_SCORES.validate(
        score_pairs(
            to_score,
            sentences,
            nli_model,
            progress=lambda done, total: progress("nli", done, total),
        )
    )
    progress("nli", to_score.height, to_score.height)
    return nli_scores


def _judge_stage(
    judge: Judge,
    articles: pl.DataFrame,
    sentences: pl.DataFrame,
    facts: pl.DataFrame,
    pairs: pl.DataFrame,
    nli_scores: pl.DataFrame | None,
    claims: pl.DataFrame,
    links: pl.DataFrame,
    groups: dict[str, str],
    progress: Progress,
) -> pl.DataFrame:
    """DIVERGENCES the judge finds (alone, an article gets no "uncorroborated" finding)."""
    progress("judge", 0, 1)
    divergences = DIVERGENCES.validate(
        judge.judge(
            articles, sentences, facts, pairs, nli_scores, claims=claims, links=links, groups=groups
        )
    )
    if articles.height < 2:
        # "no other article corroborates" needs another article: alone, only the warning
        divergences = divergences.filter(pl.col("kind") != Kind.UNIQUE.value)
    return divergences


def _outputs_stage(
    original: pl.DataFrame,
    views: dict[str, MatchView],
    sentences: pl.DataFrame,
    facts: pl.DataFrame,
    claims: pl.DataFrame,
    divergences: pl.DataFrame,
    pairs: pl.DataFrame,
    links: pl.DataFrame,
    groups: dict[str, str],
    models: Models,
    warnings: Sequence[str],
) -> Report:
    """The Report: offsets mapped back from the matching view to the articles as given."""
    from consistency.text.normalise import to_original_frames

    back = to_original_frames(
        original,
        views,
        {"sentences": sentences, "facts": facts, "claims": claims, "divergences": divergences},
    )
    embedder, nli_model, judge = models.embedder, models.nli, models.judge
    return Report(
        articles=original,
        sentences=back["sentences"],
        facts=back["facts"],
        pairs=pairs,
        divergences=sort_divergences(back["divergences"]),
        claims=back["claims"],
        claim_links=links,
        claim_groups=groups,
        generated_by={
            "version": VERSION,
            "embed_model": embedder.model_id,
            "nli_model": nli_model.model_id if nli_model is not None else None,
            "judge": getattr(judge, "name", type(judge).__name__),
        },
        warnings=tuple(warnings),
    )
