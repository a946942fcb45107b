"""The command line: a thin layer over the library, one module per command.

Commands: ``report`` (batch reports, :mod:`~consistency.cli.report`), ``review`` (the
Textual review UI, :mod:`~consistency.cli.review`), ``check`` (the CI gate,
:mod:`~consistency.cli.check`), ``nli`` (the NLI model, :mod:`~consistency.cli.nli`);
what they share is :mod:`~consistency.cli.common`. Exit codes are
:class:`~consistency.types.ExitCode`.
"""

from __future__ import annotations

import click

from consistency.cli import check, nli, report, review
from consistency.config import VERSION


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="consistency")
def main() -> None:
    """Check what several news articles about one event say, and where they disagree."""


main.add_command(report.command)
main.add_command(review.command)
main.add_command(check.command)
main.add_command(nli.command)
