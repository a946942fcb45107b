"""``consistency check``: the CI gate (a thin layer over :mod:`consistency.runner.check`).

Exit codes (:class:`~consistency.types.ExitCode`): 0 no finding at or
above ``--fail-on``; 1 at least one; 2 usage or input error; 3 internal or
model failure.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from consistency.cli.common import (
    cache_options,
    check_output_path,
    echo_err,
    follow_links_option,
    handle_errors,
    lang_option,
    model_options,
    settings_from,
    warn,
    write_output,
)
from consistency.outputs.formats import CHECK_FORMATS
from consistency.types import ExitCode, Severity


class _CheckCommand(click.Command):
    """Lets ``--against`` take several values: ``--against a b c`` (a shell glob works)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            out.append(arg)
            i += 1
            if arg == "--":
                out.extend(args[i:])
                break
            if arg == "--against":
                first = True
                while i < len(args) and (args[i] == "-" or not args[i].startswith("-")):
                    if not first:
                        out.append("--against")
                    out.append(args[i])
                    first = False
                    i += 1
        return super().parse_args(ctx, out)


class _Progress:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.enabled and stage != self._last:
            self._last = stage
            click.echo(f"consistency: {stage}...", err=True)


@click.command(
    "check",
    cls=_CheckCommand,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.argument("new", nargs=-1, required=True)
@click.option(
    "--against",
    "corpus",
    multiple=True,
    required=True,
    metavar="CORPUS...",
    help="The corpus: files, directories or '-'; several may follow one --against.",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.value for s in Severity]),
    default=Severity.HIGH.value,
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(CHECK_FORMATS),
    default="text",
    show_default=True,
    help="text, json (report contract), sarif (2.1.0), github (annotations), junit.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here, not stdout.")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A previous JSON report (its findings are not reported again) or a review "
    "session/export (.sqlite/.jsonl/.csv; rejected findings are not reported).",
)
@click.option(
    "--one-story",
    is_flag=True,
    help="Compare NEW with the whole corpus, not only with the corpus articles of its story.",
)
@click.option("--progress/--no-progress", default=None, help="Stage progress on stderr.")
@lang_option
@follow_links_option
@cache_options
@model_options
@handle_errors
def command(
    new: tuple[str, ...],
    corpus: tuple[str, ...],
    fail_on: str,
    fmt: str,
    output: Path | None,
    baseline: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    one_story: bool,
    progress: bool | None,
    explain_lang: str,
    follow_links: bool,
    embed_model: str,
    nli_model: str,
    min_confidence: float,
) -> Any:
    """Check NEW articles against a CORPUS; exit 1 on findings at or above --fail-on.

    Only findings involving a NEW article count, and a NEW article is compared only
    with the corpus articles of its story (--one-story: with all of them). A corpus
    file identical to a NEW one is skipped. Exit codes: 0 pass, 1 findings, 2 usage or input error,
    3 internal or model failure.
    """
    from consistency.outputs.formats import render
    from consistency.runner.check import check

    settings = settings_from(embed_model, nli_model, min_confidence, explain_lang)
    show = sys.stderr.isatty() if progress is None else progress
    check_output_path(output)
    result = check(
        list(new),
        list(corpus),
        settings,
        fail_on=fail_on,
        baseline=baseline,
        cache_dir=cache_dir,
        use_cache=not no_cache,
        progress=_Progress(show),
        one_story=one_story,
        follow_links=follow_links,
    )
    for w in result.report.warnings:
        warn(w)
    color = output is None and fmt == "text" and sys.stdout.isatty()
    body = render(result, fmt, color=color)
    if output is None:
        click.echo(body, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_output(output, body)
        echo_err(
            f"consistency: wrote {output}: {result.findings.height} findings, "
            f"{result.failing.height} at or above {fail_on}"
        )
    code = result.exit_code
    if code != ExitCode.OK:
        sys.exit(int(code))
