"""``check --format sarif``: a SARIF 2.1.0 log, one rule per divergence kind.

Columns count UTF-16 code units (SARIF's default ``columnKind``, which GitHub uses).
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from consistency.config import VERSION
from consistency.outputs.check_result import CheckResult
from consistency.outputs.positions import (
    Position,
    Side,
    finding_rows,
    finding_sides,
    one_line,
    span_side,
)
from consistency.outputs.report import claims_json
from consistency.types import Kind

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "consistencyDivergenceId/v1"
"""The ``partialFingerprints`` key holding the stable divergence id."""

RULES: dict[str, tuple[str, str]] = {
    Kind.ATTRIBUTION.value: (
        "AttributionDivergence",
        "The same statement is attributed to different people.",
    ),
    Kind.DATE.value: ("DateDivergence", "The articles give different dates for the same event."),
    Kind.NUMBER.value: (
        "NumberDivergence",
        "The articles give different numbers for the same quantity.",
    ),
    Kind.NAME.value: ("NameDivergence", "A name is spelled or given differently."),
    Kind.CONTRADICTION.value: (
        "Contradiction",
        "Aligned sentences contradict each other (NLI).",
    ),
    Kind.UNIQUE.value: ("UniqueClaim", "A fact that only one outlet reports."),
    Kind.QUOTE.value: ("QuoteWording", "One direct quote is worded differently by two outlets."),
    Kind.PLACE.value: ("PlaceConflict", "One place or direction is given two ways by two outlets."),
}
"""Rule id (the divergence kind) -> (name, short description)."""

SARIF_LEVEL = {"high": "error", "medium": "warning", "low": "note"}

MAX_MENTIONS = 20
"""Other mentions of a finding's claim listed as related locations, at most."""


def _uri(path: str) -> str:
    if path.startswith("/"):
        return "file://" + urllib.parse.quote(path)
    return urllib.parse.quote(path)


def _escape_sarif_message(text: str) -> str:
    """Escape square brackets, which SARIF message text reserves for links."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _physical(pos: Position, snippet: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": pos.start_line, "endLine": pos.end_line}
    if pos.start_col is not None and pos.end_col is not None:
        region["startColumn"] = pos.start_col
        region["endColumn"] = pos.end_col
    if snippet:
        region["snippet"] = {"text": snippet}
    return {"artifactLocation": {"uri": _uri(pos.path)}, "region": region}


def claim_mentions(
    result: CheckResult, group: dict[str, Any] | None, row: dict[str, Any]
) -> list[tuple[Side, str]]:
    """The other mentions of a finding's claim (``group``, from the report's ``claims``).

    Each with the value it gives; the mentions inside the finding's own two
    sentences are its sides already. Most given value first, at most
    :data:`MAX_MENTIONS`.
    """
    if group is None:
        return []
    own = [
        (row[f"{p}_article"], int(row[f"{p}_start"]), int(row[f"{p}_end"]))
        for p in ("a", "b")
        if row[f"{p}_article"] is not None
    ]
    out = []
    for v in group.get("values") or []:
        for s in v.get("spans") or []:
            aid, start, end = s["article_id"], int(s["start"]), int(s["end"])
            if any(a == aid and lo < end and start < hi for a, lo, hi in own):
                continue
            out.append((span_side(result, aid, start, end, utf16=True), str(v["value"])))
    return out[:MAX_MENTIONS]


def _related(
    sides: list[Side], mentions: list[tuple[Side, str]]
) -> tuple[str, list[dict[str, Any]]]:
    """The text a result's message ends with and its related locations: the other side
    (id 1, linked from the message), then the claim's other mentions (ids 2 on)."""
    tail, related = "", []
    if len(sides) > 1:
        other = sides[1]
        who = other.outlet or other.article_id
        tail = f" Compare [{_escape_sarif_message(who)}](1)."
        related.append(
            {
                "id": 1,
                "physicalLocation": _physical(other.pos, other.text),
                "message": {"text": f"{who}: {one_line(other.text, 300)}"},
            }
        )
    for i, (side, value) in enumerate(mentions, start=2):
        who = side.outlet or side.article_id
        related.append(
            {
                "id": i,
                "physicalLocation": _physical(side.pos, side.text),
                "message": {"text": f"{who} also gives {value!r}: {one_line(side.text, 300)}"},
            }
        )
    if mentions:
        tail += f" The claim has {len(mentions)} other mention(s) in related locations."
    return tail, related


def to_sarif_dict(result: CheckResult) -> dict[str, Any]:
    """The result as a SARIF 2.1.0 log (one run, a rule per divergence kind).

    One result per finding; its related locations are the other side and the
    other mentions of its claim (every outlet's span of the disputed values).
    """
    groups = {g["id"]: g for g in claims_json(result.report)}
    kinds = [k.value for k in Kind]
    extra = sorted(set(result.findings["kind"].to_list()) - set(kinds))
    rules = []
    for kind in kinds + extra:
        name, desc = RULES.get(kind, (kind.title().replace("_", ""), f"{kind} divergence"))
        rules.append(
            {
                "id": kind,
                "name": name,
                "shortDescription": {"text": desc},
                "fullDescription": {
                    "text": desc + " Found by comparing the article with others on the same story."
                },
                "defaultConfiguration": {"level": "warning"},
                "help": {
                    "text": "Check which version is right and correct the article, or mark the "
                    "finding as rejected in a review session and pass it as --baseline."
                },
                "properties": {"tags": ["consistency", kind]},
            }
        )
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for row in finding_rows(result):
        sides = finding_sides(result, row, utf16=True)
        primary = sides[0]
        mentions = claim_mentions(result, groups.get(row.get("claim_id") or ""), row)
        tail, related = _related(sides, mentions)
        message = _escape_sarif_message(row["explanation"]) + tail
        res: dict[str, Any] = {
            "ruleId": row["kind"],
            "ruleIndex": index[row["kind"]],
            "level": SARIF_LEVEL.get(row["severity"], "warning"),
            "message": {"text": message},
            "locations": [{"physicalLocation": _physical(primary.pos, primary.text)}],
            "partialFingerprints": {FINGERPRINT_KEY: row["divergence_id"]},
            "properties": {
                "divergenceId": row["divergence_id"],
                "severity": row["severity"],
                "score": round(float(row["score"]), 4),
            },
        }
        if related:
            res["relatedLocations"] = related
        results.append(res)
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "consistency",
                        "version": VERSION,
                        "semanticVersion": VERSION,
                        "rules": rules,
                    }
                },
                "columnKind": "utf16CodeUnits",
                "results": results,
                "properties": {
                    "failOn": result.fail_on.value,
                    "generatedBy": result.report.generated_by,
                },
            }
        ],
    }


def to_sarif(result: CheckResult) -> str:
    """SARIF 2.1.0 JSON text (U+2028, U+2029 and U+0085 escaped, as in the JSON report)."""
    from consistency.outputs.files import json_text

    return json_text(to_sarif_dict(result)) + "\n"
