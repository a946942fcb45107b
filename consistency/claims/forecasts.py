"""Forecasts: a figure said of what may come, not of what is.

"Jumlah korban diperkirakan bisa mencapai 4.500 jiwa", "the toll could rise to
3,000": the claims stage marks such a figure ``forecast`` in its detail when a
forecast cue (``forecast_cues`` in ``lang/<code>/claims.json``) comes before
it, with at most :data:`GAP` words between. A forecast and a count of the same
thing can both hold (900 dead now, 4,500 feared); two forecasts are
compared with each other.
"""

from __future__ import annotations

import re
from functools import cache

from consistency import lang

GAP = 3
"""Words that may stand between a forecast cue and its figure ("could rise dramatically to")."""


@cache
def _forecast_re() -> re.Pattern[str]:
    cues = lang.merged("claims").get("forecast_cues", [])
    alt = "|".join(sorted(map(re.escape, cues), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?i)(?<![\w-])(?:{alt})(?![\w-])(?:[\s,]+[\w-]+){{0,{GAP}}}[\s,]*$")


@cache
def _speculation_re() -> re.Pattern[str]:
    cues = lang.merged("claims").get("speculation_cues", [])
    alt = "|".join(sorted(map(re.escape, cues), key=len, reverse=True)) or "(?!)"
    # the cue, in the value's clause, then no figure but a percentage before the value
    return re.compile(rf"(?i)(?<![\w-])(?:{alt})(?![\w-])(?P<rest>[^;,]*)$")


_FIGURE = re.compile(r"\d")


def forecast_before(before: str) -> bool:
    """Whether the text before a figure (its sentence up to it) makes it a forecast.

    A forecast cue right before it ("bisa mencapai"), or a speculation cue
    anywhere before it in the sentence ("ada peluang 35 persen jumlah korban
    berada di rentang 10 hingga 100", "We fear that the dead may number in the
    dozens"), with no other figure between but a percentage.
    """
    if _forecast_re().search(before[-80:]):
        return True
    m = _speculation_re().search(before)
    if m is None:
        return False
    rest = re.sub(r"\d+(?:[.,]\d+)?\s*(?:%|persen|per cent|percent)", "", m.group("rest"))
    return not _FIGURE.search(rest)
