"""A feed's stories run in this process on models already loaded
(:func:`consistency.runner.backends.in_process.run_stories`), as the local backend runs them."""

from __future__ import annotations

from consistency import pipeline
from consistency.judge import RuleJudge
from consistency.models.bundle import ModelChoice, Models
from consistency.outputs.report import to_json_dict
from consistency.pipeline import RunOptions
from consistency.runner.backends.in_process import run_stories
from consistency.runner.feed import run_feed
from tests.conftest import FakeEmbedder, FakeNLI
from tests.unit.stages.test_stories import ROWS, SETTINGS, frame


def test_run_stories_on_loaded_models_is_the_local_backends_report() -> None:
    models = Models(FakeEmbedder(), FakeNLI(), RuleJudge())
    here = run_stories(frame(ROWS), SETTINGS.thresholds, models, RunOptions())
    feed = run_feed(frame(ROWS), SETTINGS, ModelChoice(FakeEmbedder(), FakeNLI()))
    assert here.stories.height == 3
    assert to_json_dict(here) == to_json_dict(feed)


def test_a_focus_in_no_story_runs_the_pipeline_once_on_the_whole_input() -> None:
    seen: list[tuple[str, int, int]] = []
    options = RunOptions(progress=lambda s, d, t: seen.append((s, d, t)), focus=["no-such-id"])
    models = Models(FakeEmbedder(), FakeNLI(), RuleJudge())
    rep = run_stories(frame(ROWS), SETTINGS.thresholds, models, options)
    whole = pipeline.run_story(frame(ROWS), SETTINGS.thresholds, models)
    assert rep.stories.height == 0 and rep.articles.height == len(ROWS)
    assert whole.divergences.height > 0
    assert rep.divergences.equals(whole.divergences)  # no focus: every finding
    # no story ran: the pipeline's own run reports no stage, the feed one story count
    assert seen == [("stories", 0, 1), ("stories", 1, 1), ("story", 0, 0)]
