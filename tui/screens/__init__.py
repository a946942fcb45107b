"""The review app's screens: the review screen (queue + detail, :mod:`tui.screens.review`,
keeping verdicts with :mod:`tui.screens.saving`), its dialogs (help, note editor, filters:
:mod:`tui.screens.dialogs`) and the article (:mod:`tui.screens.article`)."""

from __future__ import annotations

from tui.screens.article import ArticleScreen
from tui.screens.dialogs import HELP, FilterScreen, HelpScreen, NoteScreen
from tui.screens.review import ReviewScreen, Runner
from tui.screens.saving import Unsaved, save_problem

__all__ = [
    "HELP",
    "ArticleScreen",
    "FilterScreen",
    "HelpScreen",
    "NoteScreen",
    "ReviewScreen",
    "Runner",
    "Unsaved",
    "save_problem",
]
