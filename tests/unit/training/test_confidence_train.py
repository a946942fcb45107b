"""The confidence model's thresholds, chosen from left-out figures (pure functions)."""

from __future__ import annotations

from collections import Counter

from consistency.training.confidence_train import (
    HIGH_FLOORS,
    choose_high_floor,
    choose_report_at,
)


def test_high_floor_is_the_lowest_whose_high_findings_were_nine_in_ten_correct() -> None:
    # (correct, all) HIGH findings at each floor: 0.9 -> 17/20, 0.91 -> 14/16, 0.92 -> 10/11
    seen = {0.9: (17, 20), 0.91: (14, 16), 0.92: (10, 11), 0.93: (9, 9)}
    assert choose_high_floor(lambda f: seen.get(f, (0, 0))) == 0.92
    # none reaches it: the highest floor tried
    assert choose_high_floor(lambda f: (1, 2)) == HIGH_FLOORS[-1]
    # no HIGH finding at a floor says nothing about it
    assert choose_high_floor(lambda f: (0, 0) if f < 0.95 else (3, 3)) == 0.95


def test_report_at_is_the_best_f1_lowest_on_a_tie() -> None:
    def c(kept: int, correct: int, found: int) -> Counter[str]:
        return Counter(kept=kept, correct=correct, found=found, divergent=100)

    sweep = [
        (0.0, c(200, 100, 60)),
        (0.1, c(150, 100, 60)),
        (0.2, c(150, 100, 60)),
        (0.3, c(80, 60, 40)),
    ]
    assert choose_report_at(sweep) == 0.1
