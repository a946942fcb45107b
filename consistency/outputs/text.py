"""``check --format text``: one block per finding, ``file:line:col`` of each span, then
the summary line.
"""

from __future__ import annotations

from typing import Any

import click

from consistency.outputs.check_result import CheckResult
from consistency.outputs.positions import (
    finding_rows,
    finding_sides,
    one_line,
    summary_line,
)


def to_text(result: CheckResult, *, color: bool = False) -> str:
    """A compact listing: one block per finding, ``file:line:col`` of each span.

    Args:
        result: the check's result.
        color: ANSI colours (the command passes True only on a terminal).
    """
    colours = {"high": "red", "medium": "yellow", "low": "cyan"}

    def style(s: str, **kw: Any) -> str:
        return click.style(s, **kw) if color else s

    blocks = []
    for row in finding_rows(result):
        sev = row["severity"]
        head = (
            style(sev.upper(), fg=colours.get(sev), bold=True)
            + f" {row['kind']} (confidence {float(row['score']):.2f}) "
            + style(row["divergence_id"], dim=True)
        )
        lines = [head]
        for side in finding_sides(result, row, utf16=False):
            tag = "new" if side.is_new else "corpus"
            lines.append(f"  {one_line(side.pos.label())}: [{tag}] {one_line(side.text)}")
        lines.append(f"  {one_line(row['explanation'], 400)}")
        blocks.append("\n".join(lines))
    blocks.append(summary_line(result))
    return "\n\n".join(blocks) + "\n"
