"""The review app: built from a loaded report (or a pipeline runner) and a review store."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from consistency.outputs.report import Report
from consistency.outputs.review_store import ReviewStore
from tui.screens import ReviewScreen, Runner, Unsaved


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
        self._review: ReviewScreen | None = None

    def get_default_screen(self) -> ReviewScreen:
        self._review = ReviewScreen(
            self.report, self.store, runner=self._runner, source=self._source
        )
        return self._review

    @property
    def unsaved(self) -> list[Unsaved]:
        """The changes the store could not write (still so after the app exits)."""
        return list(self._review.unsaved) if self._review is not None else []

    @property
    def save_error(self) -> str | None:
        """Why the last write failed, or None (still so after the app exits)."""
        return self._review.save_error if self._review is not None else None

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
