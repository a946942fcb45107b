"""Messages the pipeline worker posts to the review screen (dataclass Messages)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from consistency.outputs.report import Report


@dataclass
class PipelineProgress(Message):
    """A pipeline stage advanced: ``done`` of ``total`` units of ``stage``."""

    stage: str
    done: int
    total: int


@dataclass
class PipelineDone(Message):
    """The pipeline finished with ``report``."""

    report: Report


@dataclass
class PipelineFailed(Message):
    """The pipeline failed; ``message`` is one line for the user, ``code`` the exit code."""

    message: str
    code: int = 2
