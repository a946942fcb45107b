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
from consistency.judge.facts_view import FactsView
from consistency.lexicon import WEEKDAY_INDEX
from consistency.types import Kind, Severity


def english_date(day: int, month: int, year: int | None = None) -> str:
    s = f"{day} {calendar.month_name[month]}"
    return f"{s} {year}" if year else s


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

    def _where(self, a: str, b: str) -> str:
        """ "within X" for one article, "X vs Y" for two (their outlets)."""
        oa, ob = self._outlet(a), self._outlet(b)
        return f"within {oa}" if a == b else f"{oa} vs {ob}"

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
        d = f["detail"]
        real = calendar.day_name[calendar.weekday(d["year"], d["month"], d["day"])]
        where = self._where(f["article_id"], g["article_id"])
        return self._from_facts(
            Kind.DATE,
            Severity.MEDIUM,
            0.75,
            (f["article_id"], f["sent_idx"]),
            (g["article_id"], g["sent_idx"]),
            [f],
            [g],
            f"'{f['surface']}' vs '{g['surface']}' ({where}): one weekday on two days of "
            f"one month; {english_date(d['day'], d['month'], d['year'])} was a {real}, so "
            f"'{f['surface']}' is likely '{g['surface']}' mistyped.",
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
        what = "month" if dx["month"] != dy["month"] else "year"
        fits = [f for f in (x, y) if f["detail"].get("weekday_ok") is False]
        note = (
            f" '{fits[0]['surface']}' does not fall on a {fits[0]['qualifier'].capitalize()}."
            if len(fits) == 1
            else ""
        )
        where = self._where(x["article_id"], y["article_id"])
        return self._from_facts(
            Kind.DATE,
            Severity.MEDIUM,
            0.75,
            (x["article_id"], x["sent_idx"]),
            (y["article_id"], y["sent_idx"]),
            [x],
            [y],
            f"'{x['surface']}' vs '{y['surface']}' ({where}): the same weekday and day of the "
            f"month in another {what}; one of them may be mistyped.{note}",
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
        note = ""
        if year:
            real = calendar.day_name[calendar.weekday(year, month, day)]
            fits = [(f, d) for f, d in ((x, dx), (y, dy)) if f["qualifier"] != real.lower()]
            note = f" {english_date(day, month, year)} was a {real}."
            for f, _ in fits:
                years = years_for(f["qualifier"], month, day, year)
                if years:
                    note += (
                        f" A {f['qualifier'].capitalize()} {english_date(day, month)} "
                        f"falls in {' or '.join(map(str, years))}, so "
                        f"{self._outlet(f['article_id'])}'s date may belong to another year."
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
            f"'{x['surface']}' ({self._outlet(x['article_id'])}) vs '{y['surface']}' "
            f"({self._outlet(y['article_id'])}): the same day of the month with different "
            f"weekdays.{note}",
            "weekday_conflict",
            year=year,
        )

    def _weekday_single(self, f: dict[str, Any]) -> _Finding:
        d = f["detail"]
        year, month, day = d["year"], d["month"], d["day"]
        real = calendar.day_name[calendar.weekday(year, month, day)]
        src = "stated" if d.get("year_source") == "explicit" else "taken from the publication date"
        years = years_for(f["qualifier"], month, day, year)
        hint = f" A {f['qualifier'].capitalize()} {english_date(day, month)} falls in " + (
            " or ".join(map(str, years)) + "." if years else "another year."
        )
        return self._from_facts(
            Kind.DATE,
            Severity.MEDIUM,
            0.8 if d.get("year_source") == "explicit" else 0.65,
            (f["article_id"], f["sent_idx"]),
            None,
            [f],
            [],
            f"'{f['surface']}' in {self._outlet(f['article_id'])}: "
            f"{english_date(day, month, year)} (year {src}) was a {real}, not a "
            f"{f['qualifier'].capitalize()}.{hint}",
            "weekday_calendar",
        )
