"""``consistency review``: open the review app, or export a session's verdicts.

Takes a saved report (``REPORT.json``) or articles (run through the pipeline in
the app's worker thread) and a review session file (SQLite, see
:mod:`consistency.outputs.review_store`). The UI (``tui``) is imported lazily inside
the command, so the library never imports Textual.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from consistency.cli.common import (
    cache_options,
    follow_links_option,
    handle_errors,
    model_options,
    models_for,
    settings_from,
)
from consistency.config import Settings
from consistency.outputs.report import READ_SCHEMAS, Report, load_report
from consistency.outputs.review_files import default_session_path
from consistency.outputs.review_store import ReviewStore
from consistency.stages.ingest import IngestResult
from consistency.types import ExitCode, InputError


def is_report_file(inputs: Sequence[str]) -> bool:
    """Whether ``inputs`` is a single ``.json`` file holding a consistency report."""
    if len(inputs) != 1 or not inputs[0].endswith(".json"):
        return False
    path = Path(inputs[0])
    if not path.is_file():
        raise InputError(inputs[0], "no such file")
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    for schema in READ_SCHEMAS:
        if f'"schema": "{schema}"' in head or f'"schema":"{schema}"' in head:
            return True
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(d, dict) and d.get("schema") in READ_SCHEMAS


def session_path_for(inputs: Sequence[str], session: Path | None, report_given: bool) -> Path:
    """``--session`` if given, else beside the report, else ``./consistency.review.sqlite``."""
    if session is not None:
        return session
    if report_given:
        return default_session_path(inputs)
    return Path("consistency.review.sqlite")


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file (paths resolved, links followed)."""
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_export_path(export_path: Path, session: Path, merge_paths: Sequence[Path]) -> None:
    """Refuse an export that would overwrite the session (or a file merged into it).

    Raises:
        InputError: ``export_path`` is the session file or one of ``merge_paths``.
    """
    if same_file(export_path, session):
        raise InputError(
            str(export_path), f"is the review session itself ({session}); export to another file"
        )
    for m in merge_paths:
        if same_file(export_path, m):
            raise InputError(
                str(export_path), f"is a file merged in (--merge {m}); export elsewhere"
            )


def finish(path: Path, code: int, unsaved: Sequence[Any], save_error: str | None) -> int:
    """Say what became of the verdicts when the app has quit; returns the exit code.

    Every verdict written: ``verdicts saved in PATH`` and ``code``. Some still
    only in memory (the store could not write them: a full disk...): one error
    line saying how many were lost and why, one line per lost change, and
    INPUT_ERROR (the session file could not be written).
    """
    if not unsaved:
        click.echo(f"consistency: verdicts saved in {path}", err=True)
        return code
    why = save_error or "write failed"
    click.echo(
        f"consistency: error: {path}: {len(unsaved)} change(s) NOT saved ({why}); "
        "listed below, they are lost",
        err=True,
    )
    for u in unsaved:
        what = "verdict" if u.verdict else "note"
        click.echo(f"consistency: not saved: {u.fid} {what}={u.value!r}", err=True)
    return int(ExitCode.INPUT_ERROR)


def pipeline_runner(
    read: IngestResult, settings: Settings, cache_dir: Path | None, no_cache: bool
) -> Callable[[Callable[[str, int, int], None]], Report]:
    """The pipeline as the review app runs it: in its worker, with report's cache."""

    def runner(progress: Callable[[str, int, int], None]) -> Report:
        from consistency.pipeline import RunOptions
        from consistency.runner.feed import run_feed

        models = models_for(settings, cache_dir, no_cache)
        options = RunOptions(progress=progress, warnings=read.warnings)
        return run_feed(read.articles, settings, models, options)

    return runner


def require_terminal() -> None:
    """Refuse to start the full-screen UI when stdin or stdout is not a terminal.

    Raises:
        InputError: not a terminal (the app would hang writing escape codes).
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(
            "review",
            "needs a terminal (stdin and stdout must be a TTY); "
            "use --export FILE to write the verdicts without the UI",
        )


@click.command("review")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--session",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Review file (SQLite). Default: REPORT.review.sqlite beside a report, "
    "else ./consistency.review.sqlite.",
)
@click.option("--reviewer", help="Name recorded with each verdict (default: $USER).")
@click.option(
    "--export",
    "export_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the verdicts to FILE (.jsonl or .csv), one row per finding, without the UI.",
)
@click.option(
    "--merge",
    "merge_paths",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Merge another review file into the session first (later decision wins). Repeatable.",
)
@follow_links_option
@cache_options
@model_options
@handle_errors
def command(
    inputs: tuple[str, ...],
    session: Path | None,
    reviewer: str | None,
    export_path: Path | None,
    merge_paths: tuple[Path, ...],
    follow_links: bool,
    cache_dir: Path | None,
    no_cache: bool,
    embed_model: str,
    nli_model: str,
    min_confidence: float,
) -> None:
    """Step through the findings of INPUT... and record verdicts.

    INPUT is a saved report (REPORT.json) or articles (files, directories),
    which are run through the pipeline first. Every verdict and note is saved
    at once; reopening resumes at the first unreviewed finding.
    """
    report_given = is_report_file(inputs)
    path = session_path_for(inputs, session, report_given)
    if export_path is not None:
        check_export_path(export_path, path, merge_paths)
    if export_path is not None and not path.is_file() and not merge_paths:
        raise InputError(str(path), "no review session here (use --session PATH)")
    if "-" in inputs and export_path is None:
        raise InputError("<stdin>", "review cannot read articles from stdin; save them to a file")
    settings = settings_from(embed_model, nli_model, min_confidence)
    # every check before the session file is created and before the app starts
    report = load_report(Path(inputs[0])) if report_given else None
    read = None
    if report is None:
        from consistency.stages.ingest import read_inputs

        read = read_inputs(
            list(inputs), max_bytes=settings.max_file_bytes, follow_links=follow_links
        )
    if export_path is None:
        require_terminal()
    # an export without --merge only reads the session: opened read-only, never written
    read_only = export_path is not None and not merge_paths
    with ReviewStore(path, reviewer=reviewer, read_only=read_only) as store:
        for m in merge_paths:
            n = store.merge(m)
            click.echo(f"consistency: merged {n} decisions from {m}", err=True)
        if export_path is not None:
            if report is None:
                assert read is not None
                report = pipeline_runner(read, settings, cache_dir, no_cache)(
                    lambda stage, done, total: None
                )
            n = store.export(report, export_path)
            click.echo(f"consistency: exported {n} findings to {export_path}", err=True)
            return
        from tui import make_app

        source = Path(inputs[0]).name if report_given else " ".join(inputs)
        runner = None if read is None else pipeline_runner(read, settings, cache_dir, no_cache)
        app = make_app(report, store, runner=runner, source=source)
        app.run()
        code = finish(path, app.return_code or 0, app.unsaved, app.save_error)
    if code:
        sys.exit(int(code))
