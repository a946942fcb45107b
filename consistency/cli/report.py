"""``consistency report``: the pipeline on a feed of articles, written as a report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from consistency.cli.common import (
    StderrProgress,
    backend_for,
    backend_options,
    cache_options,
    check_output_dir,
    check_output_path,
    echo_err,
    follow_links_option,
    handle_errors,
    lang_option,
    model_options,
    models_for,
    settings_from,
    warn,
    write_output,
)
from consistency.outputs.formats import REPORT_FORMATS

if TYPE_CHECKING:
    from consistency.outputs.report import Report


@click.command("report")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="json",
    show_default=True,
    help="json (the consistency.report/3 contract), md, html, or parquet (stage frames).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write here (a directory for parquet); default stdout (parquet: ./report-parquet).",
)
@click.option(
    "--verdicts",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A review session (.sqlite) or export (.jsonl/.csv): mark reviewed findings.",
)
@click.option("--hide-rejected", is_flag=True, help="With --verdicts: drop rejected findings.")
@click.option(
    "--one-story",
    is_flag=True,
    help="Treat all INPUTS as one story (no grouping): compare every article with every other.",
)
@click.option("--progress/--no-progress", default=None, help="Stage progress on stderr.")
@lang_option
@follow_links_option
@backend_options
@cache_options
@model_options
@handle_errors
def command(
    inputs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    verdicts: Path | None,
    hide_rejected: bool,
    one_story: bool,
    progress: bool | None,
    explain_lang: str,
    follow_links: bool,
    backend: str,
    ray_address: str | None,
    ray_workers: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    embed_model: str,
    nli_model: str,
    min_confidence: float,
) -> None:
    """Run the pipeline on INPUTS (files, directories, or - for stdin) and write a report.

    INPUTS may be a feed about many events: articles are first grouped into stories
    (one event within a time window) and each story is checked on its own; a story
    of one article gets no cross-article finding. --one-story skips the grouping.

    Sentence embeddings and NLI results are cached on disk (see --cache-dir), so a
    second report over mostly the same articles only runs the models on what is new.

    --backend ray runs the stories on Ray actors (a local Ray instance, or the cluster
    at --ray-address / $RAY_ADDRESS); the report is the same as --backend local.

    --lang id writes the findings' explanations in Indonesian (default en, English);
    nothing else in the report changes.
    """
    from consistency.pipeline import RunOptions
    from consistency.runner.feed import run_feed
    from consistency.stages.ingest import read_inputs

    settings = settings_from(embed_model, nli_model, min_confidence, explain_lang)
    show = sys.stderr.isatty() if progress is None else progress
    if fmt == "parquet":
        check_output_dir(output or Path("report-parquet"))
    else:
        check_output_path(output)
    read = read_inputs(  # input errors first
        list(inputs), max_bytes=settings.max_file_bytes, follow_links=follow_links
    )
    models = models_for(settings, cache_dir, no_cache)
    options = RunOptions(progress=StderrProgress(show), warnings=read.warnings, one_story=one_story)
    runner = backend_for(backend, ray_address, ray_workers)
    result = run_feed(read.articles, settings, models, options, backend=runner)
    for w in result.warnings:
        warn(w)
    if verdicts is not None:
        result = _with_verdicts(result, verdicts, hide_rejected)
    _write_report(result, fmt, output)


def _with_verdicts(result: Report, verdicts: Path, hide_rejected: bool) -> Report:
    """``result`` with the review's verdicts marked (and rejected findings dropped if asked)."""
    from dataclasses import replace

    from consistency.outputs.verdicts import suppress_rejected
    from consistency.runner.check import read_verdict_file

    marks = read_verdict_file(verdicts)  # a spreadsheet's CSV with a BOM too
    divergences = result.divergences
    if hide_rejected:
        divergences = suppress_rejected(divergences, marks)
    return replace(result, divergences=divergences, verdicts=marks)


def _write_report(result: Report, fmt: str, output: Path | None) -> None:
    """Write ``result`` in ``fmt`` to ``output`` (stdout when None; parquet: a directory)."""
    from consistency.outputs.formats import FORMATS, render, write_directory

    if FORMATS[fmt].write is not None:
        directory = output or Path("report-parquet")
        paths = write_directory(result, fmt, directory)
        echo_err(f"wrote {len(paths)} parquet files to {directory}")
        return
    body = render(result, fmt)
    if output is None:
        click.echo(body, nl=False)
    else:
        write_output(output, body)
        n = result.divergences.height
        n_stories = result.story_frame().height
        echo_err(
            f"wrote {output} ({n} finding{'' if n == 1 else 's'}, "
            f"{n_stories} stor{'y' if n_stories == 1 else 'ies'})"
        )
