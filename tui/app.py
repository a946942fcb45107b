"""The review app: built from a loaded report (or a pipeline runner) and a review store."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from consistency.report import Report
from consistency.review_store import ReviewStore
from tui.screens import ReviewScreen, Runner


class ReviewApp(App[None]):
    """Step through a report's divergences and record verdicts in a review store.

    Args:
        report: the finished report, or None when ``runner`` builds it.
        store: where verdicts and notes are written (at once).
        runner: runs the pipeline in a worker thread when ``report`` is None.
        source: a label for the top bar (the report's file name, or the inputs).
    """

    CSS_PATH = "review.tcss"
    TITLE = "consistency review"

    def __init__(
        self,
        report: Report | None,
        store: ReviewStore,
        *,
        runner: Runner | None = None,
        source: str = "",
    ) -> None:
        super().__init__()
        self.report = report
        self.store = store
        self._runner = runner
        self._source = source

    def get_default_screen(self) -> ReviewScreen:
        return ReviewScreen(self.report, self.store, runner=self._runner, source=self._source)

    @property
    def review(self) -> ReviewScreen:
        """The review screen (the default screen)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ReviewScreen)
        return screen


def make_app(
    report: Report | None,
    store: ReviewStore,
    *,
    runner: Runner | None = None,
    source: str | Path = "",
) -> ReviewApp:
    """Build the app from data already loaded (the store is opened by the caller)."""
    return ReviewApp(report, store, runner=runner, source=str(source))
