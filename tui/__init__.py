"""The review session: a Textual app to step through a report's divergences.

Built from data already loaded (:func:`tui.app.make_app`): a finished
:class:`consistency.outputs.report.Report` (or the inputs to run the pipeline on) and
a :class:`consistency.outputs.review_store.ReviewStore`.
"""

from tui.app import ReviewApp, make_app

__all__ = ["ReviewApp", "make_app"]
