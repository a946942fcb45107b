"""Article check: an article whose own dates say it belongs to another year.

An old story resurfaces as new: its weekdays were right in the year it was
written ("Senin (5/9)" is a Monday in 2022, not in 2023). For each article,
every date that names a weekday and a day of the month without a year of its
own is read against the article's year (its publication date, or the
story's usual year when it has none). When none of them fits that year and
all of them fit one earlier year, within :data:`LOOKBACK_YEARS`, the article
gets one finding (``b`` is null) with the spans of those dates: it may be a
story of that year (with one such date, or the weekday is mistyped: the
explanation says so). A date whose year is written out and fits the
article's year, or any date that fits it, means the article is of its year;
mixed dates are left to the weekday checks (:mod:`.weekdays`), which read a
single misfit as a typo.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from consistency.judge.base import Finding as _Finding
from consistency.judge.explain import quoted
from consistency.judge.facts_view import FactsView
from consistency.lang.lexicon import WEEKDAY_INDEX
from consistency.types import Kind, Severity

LOOKBACK_YEARS = 6
"""How many years back an old story is looked for (weekdays repeat every 5 to 11 years)."""


def fitting_years(weekday: str, month: int, day: int, latest: int) -> set[int]:
    """The years from ``latest - LOOKBACK_YEARS`` to ``latest`` where day/month is ``weekday``."""
    want = WEEKDAY_INDEX.get(weekday)
    out: set[int] = set()
    if want is None:
        return out
    for y in range(latest - LOOKBACK_YEARS, latest + 1):
        try:
            if calendar.weekday(y, month, day) == want:
                out.add(y)
        except ValueError:
            continue  # 29 February
    return out


class OtherYearChecks(FactsView):
    """Articles dated in one year whose weekdays fit another (a mixin of the rule judge)."""

    def _article_year(self, article_id: str) -> int | None:
        """The article's year: its publication date's, else the story's usual one."""
        pub = (self._articles.get(article_id) or {}).get("published")
        if isinstance(pub, dt.date):
            return pub.year
        years = sorted(
            a["published"].year
            for a in self._articles.values()
            if isinstance(a.get("published"), dt.date)
        )
        return years[len(years) // 2] if years else None

    def _other_year_findings(self) -> tuple[list[_Finding], set[str]]:
        """A finding per article whose weekday dates all fit one earlier year; those articles."""
        by_article: dict[str, list[dict[str, Any]]] = {}
        for f in self._all("date"):
            d = f["detail"]
            if f["unit"] == "day" and f["qualifier"] and d.get("day") and d.get("month"):
                by_article.setdefault(f["article_id"], []).append(f)
        out: list[_Finding] = []
        flagged: set[str] = set()
        for aid, dates in sorted(by_article.items()):
            year = self._article_year(aid)
            if year is None:
                continue
            common: set[int] | None = None
            for f in dates:
                d = f["detail"]
                if d.get("year_source") == "explicit":
                    if d.get("year") == year and d.get("weekday_ok") is not False:
                        common = set()  # a date of its own year, written out
                        break
                    continue  # another year written out: the weekday checks read it
                fits = fitting_years(f["qualifier"], d["month"], d["day"], year)
                common = fits if common is None else common & fits
            if not common or year in common:
                continue
            then = max(common)
            shown = [f for f in dates if f["detail"].get("year_source") != "explicit"]
            flagged.add(aid)
            out.append(self._other_year(aid, shown, year, then))
        return out, flagged

    def _other_year(self, aid: str, dates: list[dict[str, Any]], year: int, then: int) -> _Finding:
        first = dates[0]
        d = first["detail"]
        own = isinstance((self._articles.get(aid) or {}).get("published"), dt.date)
        ex = self.explain.speaking("other_year")
        return self._from_facts(
            Kind.DATE,
            Severity.MEDIUM,
            0.7,
            (aid, first["sent_idx"]),
            None,
            dates,
            [],
            ex.text(
                "other_year",
                outlet=self._outlet(aid),
                dated=ex.text("dated_own" if own else "dated_story", year=str(year)),
                dates=ex.text("list_sep").join(quoted(f["surface"]) for f in dates),
                then=str(then),
                year=str(year),
                date=ex.date(d["day"], d["month"], year),
                real=ex.weekday(calendar.weekday(year, d["month"], d["day"])),
                weekday=ex.weekday(WEEKDAY_INDEX[first["qualifier"]]),
                day_month=ex.date(d["day"], d["month"]),
                end=ex.text(
                    "other_year_many" if len(dates) > 1 else "other_year_one", then=str(then)
                ),
            ),
            "other_year",
            year=year,
            fits=then,
        )
