"""Judge: comparators over claims and aligned pairs -> DIVERGENCES.

* :mod:`~consistency.judge.base`: the :class:`Finding` and :class:`ClaimContext`
  every comparator shares, and the :class:`ClaimComparator` protocol;
* :mod:`~consistency.judge.values`: values of one claim that cannot both hold;
* :mod:`~consistency.judge.names`: spelling variants of one entity;
* :mod:`~consistency.judge.attribution`: one statement, different speakers;
* :mod:`~consistency.judge.breakdowns`: a figure and its parts that do not add up;
* :mod:`~consistency.judge.vehicles`: one vehicle given two makes or model spellings;
* :mod:`~consistency.judge.rules`: :class:`RuleJudge`, which runs the claim
  comparators and the pair comparators (dates, polarity, NLI) and builds the
  frame.
"""

from consistency.judge.base import ClaimComparator, ClaimContext, Finding
from consistency.judge.rules import JudgeConfig, RuleJudge

__all__ = ["ClaimComparator", "ClaimContext", "Finding", "JudgeConfig", "RuleJudge"]
