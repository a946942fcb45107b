"""Forecasts: a figure said of what may come, not of what is.

"Jumlah korban diperkirakan bisa mencapai 20.000 jiwa", "the toll could rise to
10,000": the claims stage marks such a figure ``forecast`` in its detail when a
forecast cue (``forecast_cues`` in ``lang/<code>/claims.json``) comes before
it, with at most :data:`GAP` words between. A forecast and a count of the same
thing can both hold (5,500 dead now, 20,000 feared); two forecasts are
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


def forecast_before(before: str) -> bool:
    """Whether the text right before a figure makes it a forecast."""
    return bool(_forecast_re().search(before))
