"""Language data as data: one folder per ISO 639-1 code, one JSON file per concern.

``lang/<code>/claims.json`` holds the words that name what a value is about
(slot cues), units, age words, time cues and zones, place words and clause
breaks; ``lang/<code>/explanations.json`` the texts findings are explained in
(:mod:`consistency.judge.explain`). Adding a language adds a folder; no code
branches on a language code. :mod:`~consistency.lang.lexicon` holds the calendar words
(weekdays, months) the stages that read dates share.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("id", "en")
"""The languages with data here, Indonesian first."""


@cache
def load(code: str, name: str) -> dict[str, Any]:
    """The ``name``.json of language ``code`` (an empty dict when that language has none)."""
    try:
        ref = resources.files("consistency.lang").joinpath(code, f"{name}.json")
        data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return data


def having(name: str) -> tuple[str, ...]:
    """The languages with a ``name``.json ("explanations": those explanations can be written in)."""
    return tuple(code for code in LANGUAGES if load(code, name))


@cache
def merged(name: str) -> dict[str, Any]:
    """``name``.json of every language merged: lists concatenated, dicts updated.

    Claims are compared across languages, so cues of every language are read
    in every article (an English cue inside an Indonesian sentence still counts).
    """
    out: dict[str, Any] = {}
    for code in LANGUAGES:
        for key, val in load(code, name).items():
            if key.startswith("_"):
                continue
            if isinstance(val, dict):
                slot = out.setdefault(key, {})
                for k, v in val.items():
                    if isinstance(v, list) and isinstance(slot.get(k), list):
                        slot[k] = slot[k] + [x for x in v if x not in slot[k]]
                    else:
                        slot.setdefault(k, v)
            elif isinstance(val, list):
                out[key] = out.get(key, []) + [x for x in val if x not in out.get(key, [])]
            else:
                out.setdefault(key, val)
    return out


@cache
def words_re(key: str, name: str = "claims") -> re.Pattern[str]:
    """Any of the words listed under ``key`` in every language's ``name``.json, as whole
    words, case aside, the longest first (a pattern that matches nothing when none are)."""
    words = merged(name).get(key, [])
    alt = "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?i)(?<![\w-])(?:{alt})(?![\w-])")
