"""The hand-written rules: do two value claims state the same fact?

:func:`same_fact_rule` is what :func:`consistency.claims.link.link_claims`
links by, and one of the identity model's features
(:mod:`consistency.claims.identity`): the same slot (or a count meeting the
count of its population), the same population, place and moment, a part of a
breakdown never against its total, a zero of a kind of victim against a count
of that kind, the times of two named moments apart.
"""

from __future__ import annotations

from typing import Any

from consistency.claims.entities import relation
from consistency.claims.identity import claim_detail as _detail
from consistency.claims.matching import facet
from consistency.claims.places import places_agree
from consistency.claims.rows import units
from consistency.claims.slot_table import names_where
from consistency.claims.times import TIME_AS_OF, TIME_OCCUR
from consistency.claims.values import Value

VALUE_KINDS = ("count", "measure", "time", "age", "plate", "daypart", "bearing")
LEAD_SLOTS = names_where(lambda s: s.lead)
"""Status slots whose first figure in an article is that outlet's headline figure."""


def claim_value(row: dict[str, Any]) -> Value:
    """A CLAIMS row's value as a :class:`~consistency.claims.values.Value`."""
    d = _detail(row)
    return Value(
        num=row["value_num"],
        lo=row["value_lo"],
        hi=row["value_hi"],
        qualifier=row["qualifier"] or "exact",
        text=row["value"] if row["value_num"] is None else None,
        zone=d.get("zone"),
        precision=float(d.get("precision") or 1.0),
        twelve_hour=bool(d.get("twelve_hour")),
        zone_local=bool(d.get("zone_local")),
        step=float(d["step"]) if d.get("step") else None,
    )


def unit_factor(unit: str | None) -> float | None:
    """The written unit's factor to its base ("meter" and "metres" are one unit: no rounding)."""
    if unit is None:
        return None
    got = units().get(unit.lower())
    return got[1] if got else None


def is_part(row: dict[str, Any]) -> bool:
    return bool(_detail(row).get("part"))


def same_assertion(x: dict[str, Any], y: dict[str, Any]) -> bool:
    """Two mentions, in one article, of one value of one claim (however qualified)."""
    return (
        x["article_id"] == y["article_id"]
        and x["slot"] == y["slot"]
        and x["value"] == y["value"]
        and facet(x) == facet(y)
        and x["subject"] == y["subject"]
    )


VICTIM_SLOTS = frozenset(names_where(lambda s: s.casualty))


def zero_of_victims(z: dict[str, Any], other: dict[str, Any]) -> bool:
    """``z`` says no one of its population was a victim, and ``other`` counts victims of a kind."""
    return (
        z["slot"] == "casualties"
        and bool(_detail(z).get("zero"))
        and other["slot"] in VICTIM_SLOTS
        and not _detail(other).get("zero")
    )


def same_fact(x: dict[str, Any], y: dict[str, Any]) -> bool:
    if x["value_kind"] != y["value_kind"]:
        return False
    if _detail(x).get("occurrence") != _detail(y).get("occurrence"):
        return False  # the main shock and an aftershock (or a second quake) are two facts
    if x["slot"] == y["slot"] == "count" and x["article_id"] == y["article_id"]:
        # a bare count names who, not what befell them: one article's "11
        # pendaki yang meninggal" and "75 pendaki" (or "3 bus" and "dua bus
        # lainnya") are two groups, not one figure given twice
        return False
    if bool(_detail(x).get("remainder")) or bool(_detail(y).get("remainder")):
        return False  # "dua bus lainnya" counts the others, not all of them
    if bool(_detail(x).get("change")) != bool(_detail(y).get("change")):
        return False  # "turun 10 ribu kaki" is how far it fell, not an altitude
    if bool(_detail(x).get("forecast")) != bool(_detail(y).get("forecast")):
        return False  # "could reach 20,000" is not a report: it fits any toll so far
    if x["slot"] != y["slot"]:
        if zero_of_victims(x, y) or zero_of_victims(y, x):
            # "tidak ada WNI yang menjadi korban" / "2 WNI luka ringan"
            return facet(x) == facet(y) and places_agree(x["subject"], y["subject"])
        # a bare count of a population meets the count of that population
        # aboard ("57 students" / "mengangkut 61 siswa"); a count of the dead
        # or missing among them is a part of it, not the same fact
        if {x["slot"], y["slot"]} != {"count", "aboard"} or x["value_kind"] != "count":
            return False
        fx, fy = facet(x), facet(y)
        return bool(fx) and fx == fy and places_agree(x["subject"], y["subject"])
    if x["value_kind"] == "plate":
        return x["subject"] == y["subject"]
    if x["value_kind"] == "bearing":
        # the direction from one landmark ("Bandara Soekarno Hatta" / "Bandara
        # Internasional Soekarno-Hatta"), of one happening
        same_place = relation(x["subject"] or "", y["subject"] or "") != "different"
        return same_place and _detail(x).get("occurrence") == _detail(y).get("occurrence")
    if x["value_kind"] == "daypart":
        # "Minggu sore" and "Senin malam" are two days; a part of the day is
        # compared only when both name the moment and it is the same one
        # ("badai menerjang pada Minggu sore" / "... Minggu malam")
        ex, ey = set(_detail(x).get("events") or ()), set(_detail(y).get("events") or ())
        return x["subject"] == y["subject"] and bool(ex & ey)
    if x["value_kind"] in ("time", "daypart"):
        # the moment a time names (take-off, lost contact, ...): two different
        # moments, or the time a count was made, are not the same fact
        ex, ey = set(_detail(x).get("events") or ()), set(_detail(y).get("events") or ())
        if (_detail(x).get("entry") and not ex) or (_detail(y).get("entry") and not ey):
            return False  # a timeline's entry of a moment we cannot name
        if TIME_AS_OF in ex | ey:
            return False
        if not ex or not ey:
            # a time whose moment its clause does not name is most often the
            # event's own; it is not held against a named later moment
            # (a death, a landing, the fire put out)
            return not (ex | ey) or TIME_OCCUR in ex | ey
        return bool(ex & ey)
    if x["value_kind"] == "age":
        return bool(x["subject"] and y["subject"]) and relation(x["subject"], y["subject"]) in (
            "same",
            "variant",
        )
    if is_part(x) != is_part(y) and facet(x) is None:
        return False  # a part of a breakdown, of no population of its own, is not the total
    # a population named by one side only is a sub-total ("11 tewas" /
    # "sembilan pelajar" among them): not the same fact
    if facet(x) != facet(y):
        return False
    return places_agree(x["subject"], y["subject"])


def moment_told(x: dict[str, Any], y: dict[str, Any], moments: dict[str, set[str]]) -> bool:
    """``x`` is a time of a named moment, and ``y``'s article names its own time of that moment.

    A time whose moment its sentence does not name ("kontak dengan pesawat
    hilang pada pukul 14.40") is not another outlet's take-off time when its
    own article says when the take-off was: that statement stands for it.
    """
    if x["value_kind"] != "time" or _detail(y).get("events"):
        return False
    ex = set(_detail(x).get("events") or ())
    return bool(ex & moments.get(y["article_id"], set()))


def same_fact_rule(
    x: dict[str, Any], y: dict[str, Any], moments: dict[str, set[str]] | None = None
) -> bool:
    """The hand-written rules' verdict: can ``x`` and ``y`` be about one fact?

    ``moments``: article id -> the moments its times are told for (see :func:`moment_told`).
    """
    if not same_fact(x, y):
        return False
    if moments is not None and (moment_told(x, y, moments) or moment_told(y, x, moments)):
        return False
    return True
