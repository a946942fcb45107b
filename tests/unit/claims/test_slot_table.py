"""The table of slots (consistency/claims/slot_table.py) and the constants derived from it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from consistency.claims import places, same_fact, slot_table, slots, updates
from consistency.claims.slot_table import FAMILIES, SLOTS, find, labels, parts_of, slot, slots_of
from consistency.judge import grades, values

LANG = Path(slot_table.__file__).parents[1] / "lang"


def _lang_slots() -> dict[str, set[str]]:
    """Language code -> the slots its claims.json gives cue words for."""
    out = {}
    for path in sorted(LANG.glob("*/claims.json")):
        out[path.parent.name] = set(json.loads(path.read_text(encoding="utf-8")).get("slots", {}))
    assert out, "no language files found"
    return out


def test_every_slot_of_the_language_files_is_in_the_table() -> None:
    names = {s.name for s in SLOTS}
    for code, named in _lang_slots().items():
        assert named <= names, (code, sorted(named - names))


def test_every_slot_of_the_table_has_cue_words_in_some_language() -> None:
    cued = set().union(*_lang_slots().values())
    assert [s.name for s in SLOTS if s.name not in cued] == []


def test_rows_are_well_formed() -> None:
    names = [s.name for s in SLOTS]
    assert len(names) == len(set(names))
    for s in SLOTS:
        assert s.family in FAMILIES, s
        if s.family == "population":
            assert s.label is None, s  # a counted population is a claim of slot "count"
            assert not (s.rises or s.lead or s.placed or s.casualty or s.befalls), s
        else:
            assert s.label and s.label.strip() and s.label.startswith("the "), s
        if s.family != "status":
            assert not (s.rises or s.lead or s.placed or s.casualty or s.befalls), s
        if s.family != "measure":
            assert not s.per_agency, s


def test_part_of_points_to_a_slot_of_the_same_family() -> None:
    for s in SLOTS:
        if s.part_of is not None:
            whole = find(s.part_of)
            assert whole is not None, s
            assert whole.name != s.name
            assert whole.family == s.family, s
            assert whole.part_of is None, s  # one level: a grade of a grade is not read


def test_families_are_contiguous_in_the_table_order() -> None:
    fams = [s.family for s in SLOTS]
    assert fams == sorted(fams, key=FAMILIES.index)
    assert slots.ALL_SLOTS == tuple(s.name for s in SLOTS)


def test_lookups() -> None:
    assert slot("injured_serious").part_of == "injured"
    assert find("count") is None
    with pytest.raises(KeyError):
        slot("count")
    assert parts_of("dead") == ()


def test_the_modules_use_the_derived_constants_with_their_old_values() -> None:
    """The values (and orders) each module had before the table, pinned."""
    assert (
        slots.STATUS
        == slots_of("status")
        == (
            "casualties",
            "dead",
            "injured_serious",
            "injured_moderate",
            "injured_minor",
            "injured",
            "missing",
            "evacuated",
            "rescued",
            "aboard",
        )
    )
    assert slots.MEASURE == ("magnitude", "depth", "height", "distance", "age")
    assert slots.POPULATION[:2] == ("students", "climbers") and len(slots.POPULATION) == 15
    assert slots.POPULATION[-3:] == ("aftershocks", "eruptions", "shots")
    assert slots.ALL_SLOTS == slots.STATUS + slots.MEASURE + slots.POPULATION
    assert updates.STATUS is slots.STATUS
    assert set(slots.STATUS) - slots.BEFALLS == {"aboard"}
    assert same_fact.LEAD_SLOTS == ("dead", "injured", "missing")
    victims = {"casualties", "dead", "injured", "injured_serious", "injured_moderate"}
    assert same_fact.VICTIM_SLOTS == victims | {"injured_minor"}
    assert places.PLACED_SLOTS == victims | {"injured_minor", "missing", "evacuated", "rescued"}
    assert values.RISING == {
        "casualties",
        "dead",
        "injured",
        "injured_serious",
        "missing",
        "evacuated",
        "rescued",
    }
    assert values.MEASURED == {"magnitude", "depth"}
    assert grades.GRADES == ("injured_serious", "injured_moderate", "injured_minor")


def test_the_explanations_name_every_slot_as_before() -> None:
    assert values.SLOT_WORDS == {
        "casualties": "the number of victims",
        "dead": "the death toll",
        "injured": "the number injured",
        "injured_serious": "the number seriously injured",
        "injured_moderate": "the number moderately injured",
        "injured_minor": "the number lightly injured",
        "missing": "the number missing",
        "evacuated": "the number evacuated",
        "rescued": "the number rescued",
        "aboard": "the number aboard",
        "magnitude": "the magnitude",
        "depth": "the depth",
        "height": "the height",
        "distance": "the distance",
        "length": "the distance",
        "duration": "the duration",
        "time": "the time of day",
        "daypart": "the part of the day",
        "age": "the age",
        "plate": "the vehicle plate",
        "built": "the year built",
        "count": "the count",
        "bearing": "the direction",
    }
    assert labels().items() <= values.SLOT_WORDS.items()
    claim = {"slot": "injured_serious", "subject": "", "detail": {}}
    assert values.slot_words(claim) == "the number seriously injured"


def test_the_table_imports_nothing_of_the_package_but_types() -> None:
    tree = ast.parse(Path(slot_table.__file__).read_text(encoding="utf-8"))
    imported = {
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    ours = {m for m in imported if m and m.split(".")[0] == "consistency"}
    assert ours <= {"consistency.types"}, ours
