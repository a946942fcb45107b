"""Pair comparator: the same event on different days, on an aligned pair.

Reads the event-day date facts of the two sentences; days at most
:data:`ADJACENT_DAYS` apart are moments of one story, not a conflict.
"""

from __future__ import annotations

from typing import Any

from consistency.judge.base import Finding as _Finding
from consistency.judge.explain import quoted
from consistency.judge.facts_view import FactsView
from consistency.types import Kind, Severity

ADJACENT_DAYS = 2
"""Dates of aligned statements this many days apart or fewer are moments of one story, not a
conflict of the event's date (a month or a year apart still is)."""


class PairDates(FactsView):
    """Differing event days of an aligned pair."""

    @staticmethod
    def _day_sigs(fs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            f
            for f in fs
            if f["fact_type"] == "date"
            and f["unit"] == "day"
            and f["detail"].get("role") == "event"
            and f["detail"].get("day")
        ]

    def _dates(
        self,
        a: tuple[str, int],
        b: tuple[str, int],
        fa: list[dict[str, Any]],
        fb: list[dict[str, Any]],
        overlap: float,
    ) -> _Finding | None:
        da, db = self._day_sigs(fa), self._day_sigs(fb)
        if not da or not db:
            return None
        dm = {(f["detail"]["month"], f["detail"]["day"]) for f in da}
        if dm & {(f["detail"]["month"], f["detail"]["day"]) for f in db}:
            return None
        x, y = da[0], db[0]
        dx, dy = x.get("value_date"), y.get("value_date")
        if dx is not None and dy is not None and abs((dx - dy).days) <= ADJACENT_DAYS:
            # "api berkobar Jumat (3/3)" / "padam total Sabtu (4/3)": a story
            # runs over days; a day or two apart is another moment of it
            return None
        return self._from_facts(
            Kind.DATE,
            Severity.MEDIUM,
            round(min(0.9, 0.5 + 0.4 * overlap), 4),
            a,
            b,
            da,
            db,
            self.explain.text(
                "date_event",
                a=quoted(x["surface"]),
                a_outlet=self._outlet(a[0]),
                b=quoted(y["surface"]),
                b_outlet=self._outlet(b[0]),
            ),
            "date",
        )
