"""Explanations in words a reader uses, in the language asked for.

Every finding's ``explanation`` is a template of ``lang/<code>/explanations.json``
(``templates``: key -> text with named fields such as ``{a}`` and ``{a_outlet}``)
filled in by :meth:`Explainer.text`. A key the language does not have, or a
template whose fields the comparator does not give, falls back to English; no
code branches on a language code. The files also hold the words the fields are
made of: the slots' labels (``slots``; English from the slot table, see
:data:`ENGLISH_SLOTS`), who or what a count counts (``populations``), the moments
a clock time names (``moments``: ``occur`` is "the time it happened"), and the
names of months and weekdays.

Article text goes into a field as it is (never read as a template): values as
written are quoted by :func:`quoted`, which escapes what is not printable, as
``repr`` always did here. Nothing here is markup; the outputs escape the text.
"""

from __future__ import annotations

import re
from typing import Any

from consistency import lang
from consistency.claims.slot_table import labels
from consistency.text.names import name_key

DEFAULT_LANG = "en"
"""The language explanations are written in unless another is asked for."""

FILE = "explanations"
"""The language file of explanations: ``lang/<code>/explanations.json``."""

_FIELD = re.compile(r"\{(\w+)\}")


def _english() -> dict[str, Any]:
    return lang.load(DEFAULT_LANG, FILE)


ENGLISH_SLOTS: dict[str, str] = {**labels(), **_english().get("slots", {})}
"""Slot -> its English label: the slot table's, and those of the slots read from a
value's kind or unit (``time``, ``duration``, ``plate``, ...) from the English file."""


def quoted(text: object) -> str:
    """A value as written, in quotes, what is not printable escaped ("'lebih dari 30'")."""
    return repr(str(text))


def number(x: float) -> str:
    """A figure worked out here (a sum), in its shortest form: 51, 7.5."""
    return f"{x:g}"


class Explainer:
    """Explanation texts of one language, English for what it does not have.

    Args:
        code: an ISO 639-1 code with a folder under ``consistency/lang``; a code
            with no explanations file explains in English.
    """

    def __init__(self, code: str = DEFAULT_LANG) -> None:
        self.code = code

    def __repr__(self) -> str:
        return f"Explainer({self.code!r})"

    def speaking(self, key: str) -> Explainer:
        """The explainer to write the sentence of template ``key`` with: this one when its
        language has that template, else English, so that a sentence and the words put
        into it (labels, lists, dates) are of one language."""
        own = lang.load(self.code, FILE).get("templates") or {}
        return self if key in own else Explainer(DEFAULT_LANG)

    def _tables(self, section: str) -> list[Any]:
        own = lang.load(self.code, FILE).get(section)
        en = _english().get(section)
        return [t for t in (own, en) if t is not None]

    def _word(self, section: str, key: str) -> str | None:
        for table in self._tables(section):
            got = table.get(key) if isinstance(table, dict) else None
            if isinstance(got, str):
                return got
        return None

    def text(self, key: str, **fields: str) -> str:
        """The template ``key`` with its fields filled in.

        The language's template when it has one whose fields are all given, else
        the English one. Raises KeyError when English has no such template.
        """
        for table in self._tables("templates"):
            tpl = table.get(key)
            if not isinstance(tpl, str):
                continue
            try:
                return _FIELD.sub(lambda m: fields[m.group(1)], tpl)
            except KeyError:
                continue  # a field this comparator does not give: English instead
        raise KeyError(f"no explanation template {key!r}")

    def slot(self, slot: str) -> str:
        """The words naming a slot ("the death toll"); the slot's own name when none."""
        return self._word("slots", slot) or ENGLISH_SLOTS.get(slot) or slot.replace("_", " ")

    def population(self, name: str) -> str:
        """Who or what a count counts ("students"; in Indonesian "siswa")."""
        return self._word("populations", name) or name.replace("_", " ")

    def moment(self, event: str | None) -> str | None:
        """The words for the moment a clock time names ("the time it happened"), if known."""
        return self._word("moments", event) if event else None

    def month(self, month: int) -> str:
        for table in self._tables("months"):
            if isinstance(table, list) and len(table) == 12:
                return str(table[month - 1])
        return str(month)  # pragma: no cover - English has all twelve

    def weekday(self, index: int) -> str:
        """The weekday of ``date.weekday()`` index (0 is Monday)."""
        for table in self._tables("weekdays"):
            if isinstance(table, list) and len(table) == 7:
                return str(table[index])
        return str(index)  # pragma: no cover - English has all seven

    def date(self, day: int, month: int, year: int | None = None) -> str:
        """A calendar date ("13 September 2023"; without a year "13 September")."""
        if year:
            return self.text("date", day=str(day), month=self.month(month), year=str(year))
        return self.text("date_no_year", day=str(day), month=self.month(month))

    def join(self, items: list[str], how: str = "and") -> str:
        """Items as a list in words: "A", "A and B", "A, B and C" (``how``: ``and``/``or``)."""
        if len(items) <= 1:
            return "".join(items)
        rest = self.text("list_sep").join(items[:-1])
        return self.text(f"list_{how}", rest=rest, last=items[-1])

    def minutes(self, n: float) -> str:
        """A span of minutes in words ("1 minute", "15 minutes", "2 hours 49 minutes")."""
        if n < 60:
            return self.text("minute" if n == 1 else "minutes", n=number(n))
        h, m = divmod(n, 60)
        hours = self.text("hour" if h == 1 else "hours", n=number(h))
        if not m:
            return hours
        return self.text("hours_minutes", hours=hours, minutes=self.minutes(m))

    def sides(self, a: str, a_outlet: str, b: str, b_outlet: str) -> str:
        """Two values with the outlet of each ("'41' in A vs '44' in B"), or one outlet's two."""
        if a_outlet == b_outlet:
            return self.text("sides_within", a=a, b=b, outlet=a_outlet)
        return self.text("sides", a=a, a_outlet=a_outlet, b=b, b_outlet=b_outlet)


def capital(text: str) -> str:
    """The text with its first letter upper case (a label that opens a sentence)."""
    return text[:1].upper() + text[1:]


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def as_written(key: str, text: str) -> str | None:
    """How ``text`` writes the name whose :func:`~consistency.text.names.name_key` is ``key``.

    "derna" in "tewas di Derna" is "Derna"; a capitalised spelling wins over
    another. None when the text does not write it.
    """
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    n = len(key.split())
    found = [
        text[words[i][0] : words[i + n - 1][1]]
        for i in range(len(words) - n + 1)
        if name_key(" ".join(w for _, _, w in words[i : i + n])) == key
    ]
    found.sort(key=lambda s: not s[:1].isupper())
    return found[0] if found else None
