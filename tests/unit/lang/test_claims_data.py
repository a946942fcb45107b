"""The claims language data (``consistency/lang/<code>/claims.json``), in every language."""

from __future__ import annotations

import pytest

from consistency import lang
from consistency.claims.slots import ALL_SLOTS


@pytest.mark.parametrize("code", lang.LANGUAGES)
def test_every_language_file_loads_and_names_known_slots(code: str) -> None:
    data = lang.load(code, "claims")
    assert data["slots"], code
    assert set(data["slots"]) <= set(ALL_SLOTS), set(data["slots"]) - set(ALL_SLOTS)
    for key in ("units", "time_zones", "time_parts", "place_words", "clause_breaks", "age_words"):
        assert key in data, (code, key)


def test_missing_language_is_empty() -> None:
    assert lang.load("xx", "claims") == {}


@pytest.mark.parametrize("code", lang.LANGUAGES)
def test_every_unit_is_named_as_pint_names_it(code: str) -> None:
    import pint

    registry = pint.UnitRegistry()
    for written, (measure, name) in lang.load(code, "claims")["units"].items():
        quantity = registry.Quantity(1, name)  # an unknown name raises
        assert str(quantity.dimensionality) in ("[length]", "[time]", "dimensionless"), written
        assert measure in ("length", "height", "duration", "percent"), (code, written)
