"""``check --format junit``: JUnit XML, one test case per NEW article."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from consistency.outputs.check_result import CheckResult
from consistency.outputs.positions import (
    display_path,
    finding_rows,
    finding_sides,
)
from consistency.text.normalise import display_safe

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot hold."""
    return _XML_BAD.sub("", text)


def _xml_attr(text: str) -> str:
    """An attribute value XML 1.0 can hold: control characters shown as placeholders
    (:func:`~consistency.text.normalise.display_safe`: ESC as "␛"), the rest dropped."""
    return _xml_safe(display_safe(text, newlines=False))


def to_junit(result: CheckResult) -> str:
    """JUnit XML: one test case per NEW article; it fails when it has a finding at or
    above the threshold, and the failure lists those findings (lower ones go to
    ``system-out``)."""
    arts = {r["article_id"]: r for r in result.report.articles.iter_rows(named=True)}
    failing_ids = set(result.failing["divergence_id"].to_list())
    rows = finding_rows(result)
    suite = ET.Element("testsuite", name="consistency check")
    n_fail = 0
    for aid in result.new_ids:
        art = arts.get(aid)
        source = _xml_attr(display_path(art["source"]) if art else aid)
        case = ET.SubElement(
            suite, "testcase", classname="consistency.check", name=source, file=source
        )
        mine = [r for r in rows if aid in (r["a_article"], r["b_article"])]
        bad = [r for r in mine if r["divergence_id"] in failing_ids]
        other = [r for r in mine if r["divergence_id"] not in failing_ids]

        def listing(rs: list[dict[str, Any]], aid: str = aid) -> str:
            out = []
            for r in rs:
                sides = finding_sides(result, r, utf16=False)
                sides.sort(key=lambda s: s.article_id != aid)
                locs = "; ".join(s.pos.label() for s in sides)
                out.append(
                    f"[{r['severity']}] {r['kind']} {r['divergence_id']} at {locs}: "
                    f"{r['explanation']}"
                )
            return _xml_safe(display_safe("\n".join(out)))

        if bad:
            n_fail += 1
            kinds = sorted({r["kind"] for r in bad})
            failure = ET.SubElement(
                case,
                "failure",
                message=_xml_safe(
                    f"{len(bad)} finding{'s' if len(bad) != 1 else ''} at or above "
                    f"{result.fail_on.value}: {', '.join(kinds)}"
                ),
                type="consistency.divergence",
            )
            failure.text = listing(bad)
        if other:
            out = ET.SubElement(case, "system-out")
            out.text = listing(other)
    suite.set("tests", str(len(result.new_ids)))
    suite.set("failures", str(n_fail))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element(
        "testsuites",
        name="consistency",
        tests=str(len(result.new_ids)),
        failures=str(n_fail),
        errors="0",
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
