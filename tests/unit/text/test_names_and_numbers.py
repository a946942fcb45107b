"""consistency.text: name keys and variants, number words and decimal separators."""

from __future__ import annotations

import pytest

from consistency.text.names import name_key, name_variant, same_person
from consistency.text.numbers import parse_decimal, parse_number_words


def test_name_keys_and_variants() -> None:
    assert name_key("Kim Jong-un") == name_key("Kim Jong Un") == name_key("Kim Jong-Un")
    assert name_variant("Andrienne Watson", "Adrienne Watson")
    assert name_variant("Wahyu Imam", "Wahyu Iman")
    assert not name_variant("Kim Jong-un", "Kim Jong Un")  # same key: not a variant
    assert not name_variant("Kim Jong Un", "Kim Yo Jong")
    assert not name_variant("John Kirby", "John Kerry")  # two edits on a short token
    assert same_person("Kirby", "John Kirby")
    assert not same_person("Watson", "Kirby")
    # words left out (a place of the title run into the name): one person
    assert same_person("Garut Satria Budi", "Satria Budi")
    assert not same_person("Satria Budi", "Satria Wibowo")


def test_number_words() -> None:
    assert parse_number_words("dua ratus enam puluh delapan".split()) == 268
    assert parse_number_words("seribu dua ratus".split()) == 1200
    assert parse_number_words("dua belas".split()) == 12
    assert parse_number_words("three hundred and five".split()) == 305
    assert parse_number_words("kata".split()) is None


def test_decimal_separators() -> None:
    assert parse_decimal("5,6") == pytest.approx(5.6)
    assert parse_decimal("1.000") == 1000
    assert parse_decimal("1,000", "en") == 1000
    assert parse_decimal("5.6", "en") == pytest.approx(5.6)
