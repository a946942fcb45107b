"""``check --format github``: GitHub workflow commands, one annotation per finding and a
closing summary line.
"""

from __future__ import annotations

from consistency.outputs.check_result import CheckResult
from consistency.outputs.positions import (
    finding_rows,
    finding_sides,
    one_line,
    summary_line,
)
from consistency.text.normalise import display_safe
from consistency.types import ExitCode

GITHUB_LEVEL = {"high": "error", "medium": "warning", "low": "notice"}
"""Severity -> the workflow command that annotates it."""


def escape_data(value: str) -> str:
    """Escape a workflow command's message: ``%``, ``\\r``, ``\\n``."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command's property value: as data, plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_summary(result: CheckResult) -> str:
    """The closing ``::notice title=consistency::...`` line: counts and the gate's decision.

    It says what :func:`~consistency.outputs.formats.to_text` ends with (findings by
    severity, new and corpus articles, how many are at or above ``--fail-on``)
    and whether the check fails (exit 1: a finding at or above the threshold)
    or passes (exit 0), as :attr:`CheckResult.exit_code` decides.
    """
    code = result.exit_code
    verdict = "fails" if code == ExitCode.FINDINGS else "passes"
    msg = f"{summary_line(result)}; the check {verdict} (exit {int(code)})"
    return f"::notice title={escape_property('consistency')}::{escape_data(one_line(msg, 2000))}"


def to_github(result: CheckResult) -> str:
    """One ``::error|warning|notice file=...,line=...,col=...,title=...::message`` per finding,
    then one ``::notice`` summary line (:func:`github_summary`)."""
    lines = []
    for row in finding_rows(result):
        sides = finding_sides(result, row, utf16=False)
        p = sides[0].pos
        path = display_safe(p.path, newlines=False)  # no raw ESC/BEL from a file name
        props = [f"file={escape_property(path)}", f"line={p.start_line}"]
        if p.end_line != p.start_line:
            props.append(f"endLine={p.end_line}")
        if p.start_col is not None:
            props.append(f"col={p.start_col}")
            if p.end_line == p.start_line and p.end_col is not None:
                props.append(f"endColumn={p.end_col}")
        title = f"consistency {row['kind']} ({row['severity']})"
        props.append(f"title={escape_property(title)}")
        msg = one_line(row["explanation"], 2000)
        if len(sides) > 1:
            o = sides[1]
            who = one_line(o.outlet or o.article_id)
            msg += f"\nCompare {one_line(o.pos.label())} ({who}): {one_line(o.text)}"
        msg += f"\nid {row['divergence_id']}"
        level = GITHUB_LEVEL.get(row["severity"], "warning")
        lines.append(f"::{level} {','.join(props)}::{escape_data(msg)}")
    lines.append(github_summary(result))
    return "".join(line + "\n" for line in lines)
