"""Weekday checks over all articles: a weekday that does not fit its day of the month.

* the same day/month called by different weekdays in two articles ("Senin
  (5/9)" vs "Selasa (5/9/2023)"), with the years in which each would fit;
* within one article, a weekday that does not fit the resolved date (the
  finding's ``b`` is null);
* one weekday and day of the month in another month or year, in one article
  or two ("Jumat, 3 Februari 2023" / "Jumat, 3 Maret 2023"): a likely typo;
* a date whose weekday does not fit it beside one weekday on another day of the
  same month that does ("Sabtu (6/12/2021)" / "Sabtu (4/12/2021)"): the day
  mistyped, shown against the date it likely stands for.
"""

from __future__ import annotations

import calendar
from typing import Any

from consistency.judge.base import Finding as _Finding
from consistency.judge.explain import Explainer, quoted
from consistency.judge.facts_view import FactsView
from consistency.lang.lexicon import WEEKDAY_INDEX
from consistency.types import Kind, Severity


def day_name(ex: Explainer, weekday: str) -> str:
    """A weekday key ("tuesday") in the explanations' language ("Tuesday", "Selasa")."""
    return ex.weekday(WEEKDAY_INDEX[weekday])


def real_day(ex: Explainer, year: int, month: int, day: int) -> str:
    """The weekday a date fell on, in the explanations' language."""
    return ex.weekday(calendar.weekday(year, month, day))


def years_for(weekday: str, month: int, day: int, around: int) -> list[int]:
    """The two years nearest ``around`` in which day/month falls on ``weekday``."""
    want = WEEKDAY_INDEX.get(weekday)
    if want is None:
        return []
    cands = []
    for y in range(around - 11, around + 12):
        try:
            if calendar.weekday(y, month, day) == want:
                cands.append(y)
        except ValueError:
            continue
    return sorted(sorted(cands, key=lambda y: (abs(y - around), -y))[:2])


class WeekdayChecks(FactsView):
    """Date findings from weekdays (a mixin of the rule judge)."""

    def _weekday_findings(self, quiet: set[str] | None = None) -> list[_Finding]:
        """The weekday findings; ``quiet`` articles get no single-date finding.

        Those are the articles :mod:`.years` already reads as a story of
        another year: their misfitting dates are shown there.
        """
        days = [
            f
            for f in self._all("date")
            if f["unit"] == "day" and f["qualifier"] and f["detail"].get("day")
        ]
        out: list[_Finding] = []
        covered: set[tuple[str, int, int]] = set()
        done: set[tuple[str, str, int, int]] = set()
        for x in days:
            for y in days:
                if x["article_id"] >= y["article_id"] or x["qualifier"] == y["qualifier"]:
                    continue
                dx, dy = x["detail"], y["detail"]
                if (dx["day"], dx["month"]) != (dy["day"], dy["month"]):
                    continue
                yx = dx.get("year") if dx.get("year_source") == "explicit" else None
                yy = dy.get("year") if dy.get("year_source") == "explicit" else None
                if yx and yy and yx != yy:
                    continue  # two different years: two different days
                gk = (x["article_id"], y["article_id"], dx["day"], dx["month"])
                if gk in done:
                    continue
                done.add(gk)
                covered.add((x["article_id"], x["sent_idx"], x["start"]))
                covered.add((y["article_id"], y["sent_idx"], y["start"]))
                out.append(self._weekday_conflict(x, y))
        seen: set[tuple[Any, ...]] = set()
        cands = [
            (x, y, key)
            for i, x in enumerate(days)
            for y in days[i + 1 :]
            if (key := self._same_weekday_other_date(x, y)) is not None
        ]
        # one article's own two dates first; a date that does not fit its
        # weekday is shown once, against the first date it mirrors
        cands.sort(key=lambda t: t[0]["article_id"] != t[1]["article_id"])
        for x, y, key in cands:
            odd = [f for f in (x, y) if f["detail"].get("weekday_ok") is False]
            if len(odd) == 1:
                key = ("odd", odd[0]["article_id"], odd[0]["surface"])
            if key in seen:
                continue
            seen.add(key)
            covered.add((x["article_id"], x["sent_idx"], x["start"]))
            covered.add((y["article_id"], y["sent_idx"], y["start"]))
            out.append(self._date_typo(x, y))
        for f, g in self.mistyped_days(days):
            key = ("odd", f["article_id"], f["surface"])
            if key in seen:
                continue
            seen.add(key)
            covered.add((f["article_id"], f["sent_idx"], f["start"]))
            covered.add((g["article_id"], g["sent_idx"], g["start"]))
            out.append(self._day_typo(f, g))
        for f in days:
            d = f["detail"]
            if (
                d.get("weekday_ok") is False
                and (f["article_id"], f["sent_idx"], f["start"]) not in covered
                and f["article_id"] not in (quiet or set())
            ):
                out.append(self._weekday_single(f))
        return out

    def _sides(self, ex: Explainer, x: dict[str, Any], y: dict[str, Any]) -> str:
        """Two dates as written, each with its outlet ("'Rabu (13/9)' in A vs ...")."""
        ox, oy = self._outlet(x["article_id"]), self._outlet(y["article_id"])
        return ex.sides(quoted(x["surface"]), ox, quoted(y["surface"]), oy)

    @staticmethod
    def mistyped_days(days: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Each date whose weekday does not fit it, with the date it likely stands for.

        "Sabtu (6/12/2021)" beside "Sabtu (4/12/2021)": one weekday, one month and
        year, another day of the month, and only the second fits its weekday. The
        other date is looked for in the same article first, then in the others
        (the first in reading order).
        """
        out = []
        for f in days:
            d = f["detail"]
            if d.get("weekday_ok") is not False:
                continue
            fits = [
                g
                for g in days
                if g["qualifier"] == f["qualifier"]
                and g["detail"].get("weekday_ok") is True
                and g["detail"]["month"] == d["month"]
                and g["detail"].get("year") == d.get("year")
                and g["detail"]["day"] != d["day"]
            ]
            if fits:
                fits.sort(
                    key=lambda g: (g["article_id"] != f["article_id"], g["article_id"], g["start"])
                )
                out.append((f, fits[0]))
        return out

    def _day_typo(self, f: dict[str, Any], g: dict[str, Any]) -> _Finding:
        d, ex = f["detail"], self.explain.speaking("day_typo")
        return self._from_facts(
            Kind.DATE,
            Severity.MEDIUM,
            0.75,
            (f["article_id"], f["sent_idx"]),
            (g["article_id"], g["sent_idx"]),
            [f],
            [g],
            ex.text(
                "day_typo",
                sides=self._sides(ex, f, g),
                date=ex.date(d["day"], d["month"], d["year"]),
                real=real_day(ex, d["year"], d["month"], d["day"]),
                a=quoted(f["surface"]),
                b=quoted(g["surface"]),
            ),
            "day_typo",
        )

    @staticmethod
    def _same_weekday_other_date(x: dict[str, Any], y: dict[str, Any]) -> tuple[Any, ...] | None:
        """A key when x and y name one weekday and day of the month in another month or year.

        "Jumat, 3 Februari 2023" / "Jumat, 3 Maret 2023", "Sabtu (9/1/2011)" /
        "Sabtu (9/1/2021)": one story rarely has two such days; one of the two
        is most likely the other mistyped.
        """
        if x["qualifier"] != y["qualifier"] or not x["qualifier"]:
            return None
        dx, dy = x["detail"], y["detail"]
        if dx["day"] != dy["day"]:
            return None
        yx = dx.get("year") if dx.get("year_source") == "explicit" else None
        yy = dy.get("year") if dy.get("year_source") == "explicit" else None
        if dx["month"] == dy["month"] and not (yx and yy and yx != yy):
            return None
        a, b = sorted(((x["article_id"], x["surface"]), (y["article_id"], y["surface"])))
        return (a, b)

    def _date_typo(self, x: dict[str, Any], y: dict[str, Any]) -> _Finding:
        dx, dy = x["detail"], y["detail"]
        other = "month" if dx["month"] != dy["month"] else "year"
        ex = self.explain.speaking(f"date_typo_{other}")
        fits = [f for f in (x, y) if f["detail"].get("weekday_ok") is False]
        note = (
            ex.text(
                "date_not_on",
                a=quoted(fits[0]["surface"]),
                weekday=day_name(ex, fits[0]["qualifier"]),
            )
            if len(fits) == 1
            else ""
        )
        return self._from_facts(
            Kind.DATE,
            Severity.MEDIUM,
            0.75,
            (x["article_id"], x["sent_idx"]),
            (y["article_id"], y["sent_idx"]),
            [x],
            [y],
            ex.text(f"date_typo_{other}", sides=self._sides(ex, x, y), note=note),
            "date_typo",
        )

    def _weekday_conflict(self, x: dict[str, Any], y: dict[str, Any]) -> _Finding:
        dx, dy = x["detail"], y["detail"]
        day, month = dx["day"], dx["month"]
        year = next(
            (
                d.get("year")
                for d in (dx, dy)
                if d.get("year_source") in ("explicit", "published") and d.get("year")
            ),
            None,
        )
        ex = self.explain.speaking("weekday_conflict")
        note = ""
        if year:
            real = calendar.day_name[calendar.weekday(year, month, day)].lower()
            note = ex.text(
                "weekday_was", date=ex.date(day, month, year), weekday=day_name(ex, real)
            )
            for f in (x, y):
                years = (
                    years_for(f["qualifier"], month, day, year) if f["qualifier"] != real else []
                )
                if years:
                    note += ex.text(
                        "weekday_other_years",
                        weekday=day_name(ex, f["qualifier"]),
                        date=ex.date(day, month),
                        years=ex.join([str(y) for y in years], "or"),
                        outlet=self._outlet(f["article_id"]),
                    )
        sev = Severity.HIGH if year else Severity.MEDIUM
        return self._from_facts(
            Kind.DATE,
            sev,
            0.9 if year else 0.7,
            (x["article_id"], x["sent_idx"]),
            (y["article_id"], y["sent_idx"]),
            [x],
            [y],
            ex.text(
                "weekday_conflict", date=ex.date(day, month), sides=self._sides(ex, x, y), note=note
            ),
            "weekday_conflict",
            year=year,
        )

    def _weekday_single(self, f: dict[str, Any]) -> _Finding:
        d, ex = f["detail"], self.explain.speaking("weekday_calendar")
        year, month, day = d["year"], d["month"], d["day"]
        said = day_name(ex, f["qualifier"])
        years = years_for(f["qualifier"], month, day, year)
        hint = ex.text(
            "weekday_falls_in" if years else "weekday_falls_other",
            weekday=said,
            date=ex.date(day, month),
            years=ex.join([str(y) for y in years], "or"),
        )
        explicit = d.get("year_source") == "explicit"
        return self._from_facts(
            Kind.DATE,
            Severity.MEDIUM,
            0.8 if explicit else 0.65,
            (f["article_id"], f["sent_idx"]),
            None,
            [f],
            [],
            ex.text(
                "weekday_calendar",
                a=quoted(f["surface"]),
                outlet=self._outlet(f["article_id"]),
                date=ex.date(day, month, year),
                year_source=ex.text("year_stated" if explicit else "year_published"),
                real=real_day(ex, year, month, day),
                said=said,
                hint=hint,
            ),
            "weekday_calendar",
        )
