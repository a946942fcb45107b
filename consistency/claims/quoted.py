"""Direct quotes: the words a sentence puts between quotation marks.

Shared by claim linking (what a quoting sentence states is its quoted words)
and the quote comparator (one remark quoted in different words).
"""

from __future__ import annotations

import re

QUOTE_MARKS = '"\u201c\u201d\u201e\u00ab\u00bb'
"""Straight, typographic and guillemet quotation marks."""

QUOTED = re.compile(f"[{QUOTE_MARKS}]([^{QUOTE_MARKS}]+)(?:[{QUOTE_MARKS}]|$)")
"""A quoted passage (group 1): from a mark to the next, or to the end of the sentence."""
