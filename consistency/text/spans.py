"""Character spans already taken, asked in logarithmic time whether a new span overlaps one.

Shared by the stages that read values out of a sentence (facts, claims): a
sentence with thousands of figures or names must stay linear.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class TakenSpans:
    """Character spans already claimed, asked whether a new span overlaps one of them.

    :meth:`overlaps` answers ``any(s < b and a < e for s, e in spans)`` in
    logarithmic time rather than one comparison per span taken, so a sentence
    with thousands of names stays linear: the non-empty spans are kept merged,
    sorted and disjoint (a non-empty span overlaps one of them exactly when it
    overlaps their union); the rare empty or reversed span is checked as written.
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._all: list[tuple[int, int]] = []
        self._odd: list[tuple[int, int]] = []
        self._lo: list[int] = []
        self._hi: list[int] = []
        for s, e in spans:
            self.add(s, e)

    def add(self, s: int, e: int) -> None:
        """Take the span ``[s, e)``."""
        self._all.append((s, e))
        if e <= s:
            self._odd.append((s, e))
            return
        i = bisect.bisect_left(self._hi, s)  # the first span ending at or after s
        j = bisect.bisect_right(self._lo, e)  # the first span starting after e
        if i < j:
            s, e = min(s, self._lo[i]), max(e, self._hi[j - 1])
        self._lo[i:j] = [s]
        self._hi[i:j] = [e]

    def overlaps(self, a: int, b: int) -> bool:
        """Whether ``[a, b)`` overlaps a span taken (``s < b and a < e`` for one of them)."""
        if b <= a:
            return any(s < b and a < e for s, e in self._all)
        i = bisect.bisect_right(self._hi, a)  # the first merged span ending after a
        if i < len(self._lo) and self._lo[i] < b:
            return True
        return any(s < b and a < e for s, e in self._odd)
