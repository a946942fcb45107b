"""Judge: comparators over claims and aligned pairs -> DIVERGENCES.

* :mod:`~consistency.judge.base`: the :class:`Finding` and :class:`ClaimContext`
  every comparator shares, and the :class:`ClaimComparator` protocol;
* :mod:`~consistency.judge.values`: values of one claim that cannot both hold;
* :mod:`~consistency.judge.names`: spelling variants of one entity;
* :mod:`~consistency.judge.attribution`: one statement, different speakers;
* :mod:`~consistency.judge.breakdowns`: a figure and its parts that do not add up;
* :mod:`~consistency.judge.vehicles`: one vehicle given two makes or model spellings;
* :mod:`~consistency.judge.quotes`, :mod:`~consistency.judge.grades`: one quote
  worded two ways; injury grades that exceed their total;
* :mod:`~consistency.judge.pairs`: an aligned pair read as one statement or
  not, NLI as a second opinion, composing the pair comparators
  :mod:`~consistency.judge.pair_attribution`, :mod:`~consistency.judge.pair_numbers`,
  :mod:`~consistency.judge.pair_dates` and :mod:`~consistency.judge.polarity`;
* :mod:`~consistency.judge.weekdays`, :mod:`~consistency.judge.unique`,
  :mod:`~consistency.judge.fact_names`: checks over all articles' facts;
* :mod:`~consistency.judge.config`: :class:`JudgeConfig`, the thresholds;
* :mod:`~consistency.judge.explain`: the words findings are explained in, in the
  language asked for (``lang/<code>/explanations.json``, English by default);
* :mod:`~consistency.judge.rules`: :class:`RuleJudge`, which composes them all
  and builds the frame.
"""

from consistency.judge.base import ClaimComparator, ClaimContext, Finding
from consistency.judge.rules import JudgeConfig, RuleJudge

__all__ = ["ClaimComparator", "ClaimContext", "Finding", "JudgeConfig", "RuleJudge"]
