"""The table of slots: what each slot a figure can be about is, in one place.

A slot names what a value is about ("dead", "injured_serious", "magnitude",
"students"). Each row of :data:`SLOTS` says of one slot:

* ``name``: the slot as CLAIMS rows and the language files write it;
* ``family``: ``status`` (what happened to the people counted: dead, injured
  and its grades, missing, evacuated, rescued, aboard; casualties for the dead
  and injured together), ``measure`` (what is measured: magnitude, depth,
  height, distance, age) or ``population`` (who or what is counted: students,
  vehicles, aftershocks, ...; a figure of a population is a claim of the
  generic slot ``count``, its population a facet);
* ``label``: the English words explanations name the slot by ("the death
  toll", "the number seriously injured"); None for a population slot, which is
  never a claim's slot;
* ``rises``: its figure grows as a story develops, so a later, higher figure
  is most likely an update (``judge.values.RISING``);
* ``lead``: an outlet's first figure of it in an article is its headline
  figure (``claims.same_fact.LEAD_SLOTS``);
* ``placed``: it is counted place by place, so a figure of it may take its
  place from before it in its sentence (``claims.places.PLACED_SLOTS``);
* ``casualty``: it counts victims, so a zero count of casualties meets a
  count of it (``claims.same_fact.VICTIM_SLOTS``);
* ``befalls``: a status saying what befell the people counted, so its cues
  are status words, predicates and the status of a zero count ("no one was
  killed"); not ``aboard``, which says where they were (``claims.slots.BEFALLS``);
* ``per_agency``: each measuring agency reads it for itself, so two agencies'
  readings differ without a drift (``judge.values.MEASURED``);
* ``part_of``: the slot it is a part of, of the same family
  (``injured_serious`` -> ``injured``; the grades are ``judge.grades.GRADES``);
* ``people``: a population of people (students, climbers ...), of whom a status
  can be said; houses, vehicles or aftershocks are not killed or evacuated, so
  a status said after a coordinated group of people ("12 rumah hanyut dan 40
  warga mengungsi") is not theirs (``claims.slot_table.THINGS``).

The order of :data:`SLOTS` is the order of ``claims.slots.STATUS``,
``MEASURE``, ``POPULATION`` and ``ALL_SLOTS`` (status first, then measures,
then populations), which the readers iterate in.

A new slot is added here, as one row, and its cue words under ``"slots"`` in
``consistency/lang/<code>/claims.json`` for each language that names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Family = Literal["status", "measure", "population"]
FAMILIES: tuple[Family, ...] = ("status", "measure", "population")


@dataclass(frozen=True)
class Slot:
    """One slot and what is true of it (see the module's docstring for each property)."""

    name: str
    family: Family
    label: str | None = None
    rises: bool = False
    lead: bool = False
    placed: bool = False
    casualty: bool = False
    befalls: bool = False
    per_agency: bool = False
    part_of: str | None = None
    people: bool = False


def _status(
    name: str,
    label: str,
    *,
    rises: bool = False,
    lead: bool = False,
    placed: bool = False,
    casualty: bool = False,
    befalls: bool = True,
    part_of: str | None = None,
) -> Slot:
    return Slot(
        name,
        "status",
        label,
        rises=rises,
        lead=lead,
        placed=placed,
        casualty=casualty,
        befalls=befalls,
        part_of=part_of,
    )


def _measure(name: str, label: str, *, per_agency: bool = False) -> Slot:
    return Slot(name, "measure", label, per_agency=per_agency)


def _population(name: str, *, people: bool = False) -> Slot:
    return Slot(name, "population", people=people)


SLOTS: tuple[Slot, ...] = (
    _status("casualties", "the number of victims", rises=True, placed=True, casualty=True),
    _status("dead", "the death toll", rises=True, lead=True, placed=True, casualty=True),
    _status(
        "injured_serious",
        "the number seriously injured",
        rises=True,
        placed=True,
        casualty=True,
        part_of="injured",
    ),
    _status(
        "injured_moderate",
        "the number moderately injured",
        placed=True,
        casualty=True,
        part_of="injured",
    ),
    _status(
        "injured_minor", "the number lightly injured", placed=True, casualty=True, part_of="injured"
    ),
    _status("injured", "the number injured", rises=True, lead=True, placed=True, casualty=True),
    _status("missing", "the number missing", rises=True, lead=True, placed=True),
    _status("evacuated", "the number evacuated", rises=True, placed=True),
    _status("rescued", "the number rescued", rises=True, placed=True),
    _status("aboard", "the number aboard", befalls=False),
    _measure("magnitude", "the magnitude", per_agency=True),
    _measure("depth", "the depth", per_agency=True),
    _measure("height", "the height"),
    _measure("distance", "the distance"),
    _measure("age", "the age"),
    _population("students", people=True),
    _population("climbers", people=True),
    _population("personnel", people=True),
    _population("foreigners", people=True),
    _population("adults", people=True),
    _population("vehicles"),
    _population("motorcycles"),
    _population("cars"),
    _population("buses"),
    _population("trucks"),
    _population("hospitals"),
    _population("buildings"),
    _population("aftershocks"),
    _population("eruptions"),
    _population("shots"),
)
"""Every slot read from cue words, status slots first, then measures, then populations."""

_BY_NAME = {s.name: s for s in SLOTS}

THINGS = frozenset(s.name for s in SLOTS if s.family == "population" and not s.people)
"""Populations of things (houses, vehicles, aftershocks): no status is said of them."""


def slot(name: str) -> Slot:
    """The row of the slot ``name``; KeyError for a slot not in the table."""
    return _BY_NAME[name]


def find(name: str) -> Slot | None:
    """The row of the slot ``name``, or None (generic slots such as ``count`` have none)."""
    return _BY_NAME.get(name)


def names_where(pred: Callable[[Slot], bool]) -> tuple[str, ...]:
    """The names of the slots of which ``pred`` holds, in the table's order."""
    return tuple(s.name for s in SLOTS if pred(s))


def slots_of(family: Family) -> tuple[str, ...]:
    """The names of one family's slots, in the table's order."""
    return names_where(lambda s: s.family == family)


def parts_of(name: str) -> tuple[str, ...]:
    """The slots that are parts of the slot ``name`` (``injured`` -> its grades), in order."""
    return names_where(lambda s: s.part_of == name)


def labels() -> dict[str, str]:
    """Slot -> the English words explanations name it by, for every slot that has them."""
    return {s.name: s.label for s in SLOTS if s.label is not None}
