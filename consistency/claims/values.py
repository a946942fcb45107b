"""When can two values of one claim both hold?

Values are language-free: a number with its qualifier ("lebih dari 30" is
``more_than 30``), a vague quantity ("ratusan" is 100..1000), a range
("10-15 detik"), a clock time with its zone and precision, or a text key (a
plate's letters, a name). :func:`compatible` answers for two of them and says
why, so the finding can explain itself.

The rules read the notation the way a careful reader would:

* an exact figure fits a bound: "lebih dari 30" and "32" both hold;
  "sedikitnya 300" and "250" cannot, nor "lebih dari 40" and "120" (a bound
  is written near the figure: more than 25% above it is another report);
* an approximate figure fits what rounds to it: "sekitar 600" and "638" hold,
  "lebih kurang 70" and "75" do not (70 is written to the ten);
* two hedged figures (bounds, approximations) whose hedges cannot meet cannot
  both hold ("more than 40 hours" vs "within 40 hours"); two that meet, a tenth
  apart at most, are one report hedged two ways ("at least 5,300" vs "up to
  5,500", "about 151" vs "more than 150"); farther apart they are different
  reports;
* a vague quantity or a range holds any figure inside it;
* a clock time written to the hour ("jam 5 sore") holds any minute of that
  hour; two times in known zones are compared in UTC; against a time said
  to be "local time" a difference of whole hours is read as a zone
  difference; a time with no zone written is read in the other's zone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

BOUND_LOW = frozenset({"more_than", "at_least"})
BOUND_HIGH = frozenset({"less_than", "up_to", "almost"})
APPROX = frozenset({"about", "almost"})
FAR_ABOVE_BOUND = 0.25
"""An exact figure more than this share above a lower bound is another report."""


@dataclass(frozen=True)
class Value:
    """A claim's value, language-free.

    Attributes:
        num: the figure (SI units for measures, minutes after midnight for a time).
        lo: the lowest value the notation allows (== num when exact).
        hi: the highest value it allows.
        qualifier: exact, more_than, at_least, about, almost, less_than, up_to,
            vague or range.
        text: a text value (plate letters, a name key) when there is no figure.
        zone: a time's UTC offset in hours; None when unknown ("local time").
        precision: a time's precision in minutes (60 when written to the hour).
        twelve_hour: a time of 1 to 12 with no a.m./p.m. or part of day: it may
            be either half of the day.
        zone_local: the time is said to be local ("local time", "waktu
            setempat") in a zone not named. A time with no zone written at all
            is read in the other time's zone.
        step: the step the figure is written to, in its base unit, when its unit
            was converted ("about 6 miles": a mile, 1,609 m); None: read from
            the figure itself (:func:`rounding_step`).
    """

    num: float | None = None
    lo: float | None = None
    hi: float | None = None
    qualifier: str = "exact"
    text: str | None = None
    zone: float | None = None
    precision: float = 1.0
    twelve_hour: bool = False
    zone_local: bool = False
    step: float | None = None

    @property
    def n(self) -> float:
        """The figure as a float (0.0 for a text value)."""
        return float(self.num) if self.num is not None else 0.0


def rounding_step(x: float) -> float:
    """The step ``x`` is written to: 600 -> 100, 70 -> 10, 7 -> 1, 7.5 -> 0.1."""
    if x == 0:
        return 1.0
    if x != int(x):
        decimals = len(f"{x:.6f}".rstrip("0").split(".")[1])
        return float(10**-decimals)
    step = 1.0
    n = int(abs(x))
    while n % 10 == 0 and n > 0:
        n //= 10
        step *= 10
    return step


def _close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-9)


def compatible_numbers(x: Value, y: Value, rel: float = 0.0) -> tuple[bool, str]:
    """Whether two figures can both hold, and why (``rel`` tolerates unit conversions).

    Returns:
        (True, reason) when both can hold, (False, reason) when they cannot.
    """
    assert x.num is not None and y.num is not None
    if _close(x.n, y.n, rel) and x.qualifier == y.qualifier:
        return True, "same figure"
    for a, b in ((x, y), (y, x)):
        if a.qualifier in ("vague", "range") and b.qualifier in ("exact", "about"):
            lo, hi = a.lo if a.lo is not None else a.n, a.hi if a.hi is not None else a.n
            inside = lo * (1 - rel) <= b.n <= hi * (1 + rel)
            return inside, f"{b.n:g} {'inside' if inside else 'outside'} {lo:g}..{hi:g}"
    for a, b in ((x, y), (y, x)):
        if a.qualifier in ("vague", "range") and b.qualifier in BOUND_LOW | {"less_than", "up_to"}:
            # "ratusan" / "sedikitnya 284": the bound's side of the figure meets the range
            lo, hi = a.lo if a.lo is not None else a.n, a.hi if a.hi is not None else a.n
            if b.qualifier in BOUND_LOW:
                ok = b.n <= hi * (1 + rel)
            else:
                ok = b.n >= lo * (1 - rel)
            return ok, f"the bound {b.n:g} {'meets' if ok else 'is outside'} {lo:g}..{hi:g}"
    if x.qualifier == "exact" and y.qualifier == "exact":
        return _close(x.n, y.n, max(rel, 1e-9)), "two exact figures"
    for a, b in ((x, y), (y, x)):
        if b.qualifier != "exact":
            continue
        if a.qualifier in BOUND_LOW:
            # "more than 1,000" is written of 1,000 too: the bound itself fits
            ok = b.n >= a.n * (1 - rel)
            if not ok:
                return False, f"{b.n:g} is below the bound {a.n:g}"
            if a.qualifier == "more_than" and _close(a.n, b.n, rel) and rounding_step(a.n) < 10:
                # "lebih dari 154" is not 154: only a round bound is written of itself
                return False, f"{b.n:g} is not more than {a.n:g}"
            # a bound is written near the figure it stands for: "more than 40"
            # is not a way to say 120
            if b.n > a.n * (1 + FAR_ABOVE_BOUND) + rel * a.n:
                return False, f"{b.n:g} is far above the bound {a.n:g}"
            return True, f"{b.n:g} fits the bound {a.n:g}"
        if a.qualifier in ("less_than", "up_to"):
            ok = b.n <= a.n * (1 + rel)
            return ok, f"{b.n:g} {'fits' if ok else 'is above'} the bound {a.n:g}"
        if a.qualifier in APPROX:
            step = a.step or rounding_step(a.n)
            ok = abs(a.n - b.n) < step / 2 + rel * a.n or _close(a.n, b.n, 0.02)
            return ok, f"{b.n:g} {'rounds' if ok else 'does not round'} to about {a.n:g}"
    if x.qualifier in ("vague", "range") and y.qualifier in ("vague", "range"):
        ok = (x.lo or 0) <= (y.hi or math.inf) and (y.lo or 0) <= (x.hi or math.inf)
        return ok, "overlapping ranges" if ok else "disjoint ranges"
    if x.qualifier in APPROX and y.qualifier in APPROX:
        # "about 10 minutes" / "sekitar 11 menit": within the coarser rounding
        step = max(x.step or rounding_step(x.n), y.step or rounding_step(y.n))
        ok = abs(x.n - y.n) < step / 2 + rel * max(x.n, y.n) or _close(x.n, y.n, 0.005)
        return ok, "two approximations that round alike" if ok else "different approximate figures"
    # two hedged figures whose hedges cannot meet cannot both hold ("more than 40
    # hours" / "within 40 hours"); two that meet, a tenth apart at most, are one
    # report hedged two ways ("at least 5,300" / "up to 5,500", "about 151" / "more
    # than 150")
    meet = hedges_meet(x, y, rel)
    if not meet:
        return False, "hedged figures that cannot meet"
    if not _one_side(x, y) and _close(x.n, y.n, HEDGED_CLOSE):
        return True, "hedged figures that meet, close together"
    # two bounds: the same figure; two bounds of one side within a tenth of each
    # other ("sedikitnya 153" / "lebih dari 154", "at least 5,300" / "more than
    # 5,200"), which both hold of any figure above the higher; or different reports
    ok = _close(x.n, y.n, max(rel, 0.005))
    if not ok and _one_side(x, y) and _close(x.n, y.n, HEDGED_CLOSE):
        return True, "two bounds of one side, close together"
    return ok, "the same approximate figure" if ok else "different approximate figures"


HEDGED_CLOSE = 0.10
"""How far apart two lower (or two upper) bounds may be and still be read as one
report: the fact tables' readers call "at least 151" and "more than 154" the same
figure, and "at least 284" and "912" different."""


def hedge_range(v: Value, rel: float = 0.0) -> tuple[float, bool, float, bool]:
    """The figures a hedged value allows: (low, low included, high, high included).

    "more than 40" is (40, inf), "at least 40" [40, inf), "less than 40" [0, 40),
    "up to 40" [0, 40], "almost 40" [36, 40), "about 40" the figures that round to
    it (half its step either side, or 2%, whichever is wider).
    """
    n, q, slack = v.n, v.qualifier, rel * abs(v.n)
    if q == "more_than":
        return n - slack, slack > 0, math.inf, True
    if q == "at_least":
        return n - slack, True, math.inf, True
    if q == "less_than":
        return 0.0, True, n + slack, slack > 0
    if q == "up_to":
        return 0.0, True, n + slack, True
    if q == "almost":
        return 0.9 * n - slack, True, n + slack, slack > 0
    half = max((v.step or rounding_step(n)) / 2, 0.02 * abs(n)) + slack
    return n - half, True, n + half, True


def hedges_meet(x: Value, y: Value, rel: float = 0.0) -> bool:
    """Whether some figure is allowed by both hedged values (:func:`hedge_range`).

    Two figures equal within ``rel`` (one figure in two units: "at least 1.2 m" /
    "less than 4 ft") are read as that one figure, hedged two ways.
    """
    if rel and _close(x.n, y.n, rel):
        y, rel = replace(y, num=x.num, lo=x.num, hi=x.num, step=x.step), 0.0
    xl, xli, xh, xhi = hedge_range(x, rel)
    yl, yli, yh, yhi = hedge_range(y, rel)
    lo, lo_in = (xl, xli) if xl > yl else (yl, yli) if yl > xl else (xl, xli and yli)
    hi, hi_in = (xh, xhi) if xh < yh else (yh, yhi) if yh < xh else (xh, xhi and yhi)
    return lo < hi or (lo == hi and lo_in and hi_in)


def _one_side(x: Value, y: Value) -> bool:
    """Two lower bounds, or two upper bounds."""
    low = BOUND_LOW
    high = {"less_than", "up_to"}
    return (x.qualifier in low and y.qualifier in low) or (
        x.qualifier in high and y.qualifier in high
    )


def compatible_times(x: Value, y: Value) -> tuple[bool, str]:
    """Whether two clock times (minutes after midnight) can be the same moment."""
    assert x.num is not None and y.num is not None
    prec = max(x.precision, y.precision)
    if x.zone is not None and y.zone is not None:
        d = (x.num - x.zone * 60) - (y.num - y.zone * 60)
        d = (d + 720) % 1440 - 720
        ok = (0 <= d < prec) if x.precision > y.precision else (0 <= -d < prec)
        ok = ok or d == 0
        return ok, "the same moment in UTC" if ok else f"{abs(d):g} minutes apart in UTC"
    d = (x.num - y.num + 720) % 1440 - 720
    if d == 0:
        return True, "the same clock time"
    if x.twelve_hour or y.twelve_hour:
        d12 = (x.num - y.num) % 720
        d12 = min(d12, 720 - d12)
        if d12 == 0:
            return True, "the same time on a 12-hour clock"
    coarse, fine = (x, y) if x.precision >= y.precision else (y, x)
    dd = (fine.num - coarse.num + 720) % 1440 - 720  # type: ignore[operator]
    if coarse.precision > 1 and 0 <= dd < coarse.precision:
        return True, "inside the hour written"
    if abs(d) % 60 == 0 and (x.zone_local or y.zone_local):
        return True, "whole hours apart: read as a time-zone difference"
    return False, f"{abs(d):g} minutes apart"


UNOBSERVED = "unobserved"
"""The text value of a measure its statement says could not be taken."""


COMPASS_POINT = 22.5
"""Degrees of one point of the 16-point compass: two bearings closer than this may both hold."""


def compatible_bearings(x: float, y: float) -> tuple[bool, str]:
    """Whether two compass bearings (degrees from north) can name one direction: less than
    a point apart ("north" / "north-northwest" may; "north" / "north-west" cannot)."""
    gap = abs(x - y) % 360
    gap = min(gap, 360 - gap)
    if gap < COMPASS_POINT:
        return True, "the same direction" if gap == 0 else "directions less than a point apart"
    return False, f"directions {gap:g} degrees apart"


def compatible(kind: str, x: Value, y: Value, rel: float = 0.0) -> tuple[bool, str]:
    """Dispatch on the claim's value kind (count, measure, age, time, text kinds)."""
    if kind == "time":
        return compatible_times(x, y)
    if kind == "daypart":
        ok = (x.lo or 0) < (y.hi or 0) and (y.lo or 0) < (x.hi or 0)
        return ok, "overlapping parts of the day" if ok else "different parts of the day"
    if kind == "bearing" and x.num is not None and y.num is not None:
        return compatible_bearings(x.num, y.num)
    if x.num is not None and y.num is not None:
        return compatible_numbers(x, y, rel)
    if UNOBSERVED in (x.text, y.text):
        if x.text == y.text:
            return True, "neither could be observed"
        return False, "one says it could not be observed, the other gives a figure"
    same = (x.text or "") == (y.text or "")
    return same, "the same text" if same else "different text"
