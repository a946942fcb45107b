"""Every output format in one table, which ``report`` and ``check`` both render through.

A :class:`Format` renders a :class:`~consistency.outputs.report.Report` or a
:class:`~consistency.outputs.check_result.CheckResult` (for a report format, a check's
result is its report): ``json`` (the ``consistency.report/3`` contract,
:mod:`~consistency.outputs.report`), ``md`` (:mod:`~consistency.outputs.md`), ``html``
(:mod:`~consistency.outputs.html`) and ``parquet`` (a folder of files,
:mod:`~consistency.outputs.parquet`); the gate's ``text``, ``sarif``, ``github`` and
``junit`` (:mod:`~consistency.outputs.text`, :mod:`~consistency.outputs.sarif`,
:mod:`~consistency.outputs.github`, :mod:`~consistency.outputs.junit`) need a check's
result: its NEW articles and its threshold.

:data:`REPORT_FORMATS` and :data:`CHECK_FORMATS` are the ``--format`` choices of each
command, in the order its help lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from consistency.outputs.check_result import CheckResult
from consistency.outputs.github import to_github
from consistency.outputs.junit import to_junit
from consistency.outputs.parquet import write_parquet_whole
from consistency.outputs.report import Report, to_html, to_markdown, write_json
from consistency.outputs.sarif import to_sarif
from consistency.outputs.text import to_text

Subject = Report | CheckResult
"""What a format renders: a run's report, or a check's result."""


@dataclass(frozen=True)
class Format:
    """One output format.

    Attributes:
        name: the ``--format`` value.
        render: ``(subject, color) -> text`` for a format written as text; None for
            one written as a folder of files.
        write: ``(report, directory) -> files written`` for a folder format (parquet).
        gate: it needs a :class:`CheckResult` (the check's NEW articles and threshold),
            not only a report.
    """

    name: str
    render: Callable[[Subject, bool], str] | None
    write: Callable[[Report, Path], list[Path]] | None = None
    gate: bool = False


def report_of(subject: Subject) -> Report:
    """The report of ``subject`` (a check's result: its report)."""
    return subject.report if isinstance(subject, CheckResult) else subject


def _gate(render: Callable[..., str], color: bool = False) -> Callable[[Subject, bool], str]:
    """``render(result)`` (or ``render(result, color=)``) for a check's result only."""

    def run(subject: Subject, use_color: bool) -> str:
        if not isinstance(subject, CheckResult):
            raise TypeError(f"{render.__module__} renders a check's result, not a report")
        return render(subject, color=use_color) if color else render(subject)

    return run


FORMATS: dict[str, Format] = {
    "json": Format("json", lambda s, color: write_json(report_of(s), None)),
    "md": Format("md", lambda s, color: to_markdown(report_of(s))),
    "html": Format("html", lambda s, color: to_html(report_of(s))),
    "parquet": Format("parquet", None, write=write_parquet_whole),
    "text": Format("text", _gate(to_text, color=True), gate=True),
    "sarif": Format("sarif", _gate(to_sarif), gate=True),
    "github": Format("github", _gate(to_github), gate=True),
    "junit": Format("junit", _gate(to_junit), gate=True),
}
"""Every format by name: the one table of renderers."""

REPORT_FORMATS: tuple[str, ...] = ("json", "md", "html", "parquet")
"""``consistency report --format``: the report contract, Markdown, HTML, parquet."""

CHECK_FORMATS: tuple[str, ...] = ("text", "json", "sarif", "github", "junit")
"""``consistency check --format``: text, the report contract, SARIF 2.1.0, GitHub
annotations, JUnit XML."""


def _format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}") from None


def render(subject: Subject, fmt: str, *, color: bool = False) -> str:
    """``subject`` as the text of format ``fmt`` (``color``: ANSI colours, text only).

    Raises:
        ValueError: ``fmt`` is not a format, or one written as a folder (parquet).
        TypeError: a gate format (text, sarif, github, junit) given a bare report.
    """
    f = _format(fmt)
    if f.render is None:
        raise ValueError(f"{fmt} is written as a folder of files (write_directory)")
    return f.render(subject, color)


def write_directory(subject: Subject, fmt: str, directory: Path) -> list[Path]:
    """Write ``subject`` in the folder format ``fmt`` (parquet) under ``directory``.

    Raises:
        ValueError: ``fmt`` is not a format, or one written as text.
        InputError: the files could not be written.
    """
    f = _format(fmt)
    if f.write is None:
        raise ValueError(f"{fmt} is written as text (render)")
    return f.write(report_of(subject), directory)
