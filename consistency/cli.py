"""The command line: a thin layer over the library.

Commands: ``report`` (batch reports), ``review`` (the Textual review UI),
``check`` (the CI gate), ``nli`` (the NLI model). Exit codes are
:class:`~consistency.exit_codes.ExitCode`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from consistency import __version__
from consistency.cli_common import handle_errors, warn
from consistency.config import DEFAULT_EMBED_MODEL, DEFAULT_NLI_MODEL, Settings

FORMATS = ("json", "md", "html", "parquet")


def model_options(func):  # type: ignore[no-untyped-def]
    """``--embed-model`` and ``--nli-model``, shared by report, review and check."""
    func = click.option(
        "--nli-model",
        default=DEFAULT_NLI_MODEL,
        show_default=True,
        help="NLI cross-encoder: 'builtin', 'none', or a local path / hub name.",
    )(func)
    func = click.option(
        "--embed-model",
        default=DEFAULT_EMBED_MODEL,
        show_default=True,
        help="Sentence-transformers model: the bundled default, or a local path / hub name.",
    )(func)
    return func


def settings_from(embed_model: str, nli_model: str) -> Settings:
    """Settings for the given model options ('none' disables NLI)."""
    nli = None if nli_model.lower() in ("none", "off", "") else nli_model
    return Settings(embed_model=embed_model, nli_model=nli)


class StderrProgress:
    """Stage progress on stderr, one line per stage, only on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or stage == self._last:
            return
        self._last = stage
        click.echo(f"consistency: {stage}...", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="consistency")
def main() -> None:
    """Check what several news articles about one event say, and where they disagree."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="json",
    show_default=True,
    help="json (the consistency.report/1 contract), md, html, or parquet (stage frames).",
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
@click.option("--progress/--no-progress", default=None, help="Stage progress on stderr.")
@model_options
@handle_errors
def report(
    inputs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    verdicts: Path | None,
    hide_rejected: bool,
    progress: bool | None,
    embed_model: str,
    nli_model: str,
) -> None:
    """Run the pipeline on INPUTS (files, directories, or - for stdin) and write a report."""
    from consistency import report as rep
    from consistency.pipeline import run

    show = sys.stderr.isatty() if progress is None else progress
    result = run(
        list(inputs),
        settings_from(embed_model, nli_model),
        progress=StderrProgress(show),
    )
    for w in result.warnings:
        warn(w)
    if verdicts is not None:
        result = rep.apply_verdicts(result, verdicts, hide_rejected=hide_rejected)
    if fmt == "parquet":
        directory = output or Path("report-parquet")
        paths = rep.write_parquet(result, directory)
        click.echo(f"wrote {len(paths)} parquet files to {directory}", err=True)
        return
    if fmt == "json":
        body = rep.write_json(result, None)
    elif fmt == "md":
        body = rep.to_markdown(result)
    else:
        body = rep.to_html(result)
    if output is None:
        click.echo(body, nl=False)
    else:
        output.write_text(body, encoding="utf-8")
        n = result.divergences.height
        click.echo(f"wrote {output} ({n} findings)", err=True)


def _register() -> None:
    """Attach the commands that live in their own modules."""
    import importlib

    for module in ("cli_review", "cli_check", "cli_nli"):
        try:
            mod = importlib.import_module(f"consistency.{module}")
        except ModuleNotFoundError as e:  # a command whose module is not there yet
            if e.name != f"consistency.{module}":
                raise
            continue
        main.add_command(mod.command)


_register()
