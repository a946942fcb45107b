"""Pair comparator: the same event on different days, on an aligned pair.

Reads the event-day date facts of the two sentences; days at most
:data:`ADJACENT_DAYS` apart are moments of one story, not a conflict, unless
they are one day apart and both sentences name the same part of the day with
their weekday ("kebakaran pada Selasa (12/3) dini hari" / "pada Rabu (13/3) dini
hari": one moment told on two days, as a fire just after midnight often is).
"""

from __future__ import annotations

from typing import Any

from consistency.claims.clock import dayparts_told
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
        one_moment: bool = False,
    ) -> _Finding | None:
        """The finding of two event days of an aligned pair, or None.

        ``one_moment``: the pair is the same statement only once its weekdays and
        months are left out; it is a finding only as one moment told on two
        days one apart, both naming the same part of the day.
        """
        da, db = self._day_sigs(fa), self._day_sigs(fb)
        if not da or not db:
            return None
        dm = {(f["detail"]["month"], f["detail"]["day"]) for f in da}
        if dm & {(f["detail"]["month"], f["detail"]["day"]) for f in db}:
            return None
        x, y = da[0], db[0]
        dx, dy = x.get("value_date"), y.get("value_date")
        adjacent = dx is not None and dy is not None and abs((dx - dy).days) <= ADJACENT_DAYS
        if adjacent or one_moment:
            # "api berkobar Jumat (3/3)" / "padam total Sabtu (4/3)": a story
            # runs over days; a day or two apart is another moment of it, unless
            # both name the same part of the day ("dini hari" on both sides)
            ta, tb = (self._sents[k]["text"] if k in self._sents else "" for k in (a, b))
            one_day = dx is not None and dy is not None and abs((dx - dy).days) == 1
            if not (one_day and dayparts_told(ta) & dayparts_told(tb)):
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
