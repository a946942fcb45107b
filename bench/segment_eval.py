"""Print the sentence splitter's per-item results and exact-match accuracy on the gold set.

Usage: python bench/segment_eval.py [tests/data/segment_gold.jsonl]

An item is correct when the split gives exactly its expected sentences. The
script prints figures and never fails.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from consistency.stages.segment import split_sentences

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "segment_gold.jsonl"


def main(path: Path = DEFAULT) -> float:
    """Evaluate every item of ``path`` and return the exact-match accuracy."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    correct = 0
    by_lang: dict[str, list[int]] = {}
    for item in items:
        text = item["text"]
        got = [text[s:e] for s, e in split_sentences(text)]
        ok = got == item["sentences"]
        correct += ok
        tally = by_lang.setdefault(item.get("lang", "?"), [0, 0])
        tally[0] += ok
        tally[1] += 1
        print(f"{'ok  ' if ok else 'FAIL'} [{item.get('lang', '?')}] {item['id']}")
        if not ok:
            print(f"     expected: {item['sentences']}")
            print(f"     got:      {got}")
    accuracy = correct / len(items) if items else 0.0
    for lang, (ok_n, n) in sorted(by_lang.items()):
        print(f"{lang}: {ok_n}/{n}")
    print(f"exact-match accuracy: {correct}/{len(items)} = {accuracy:.3f}")
    _baselines(items)
    return accuracy


def _baselines(items: list[dict[str, object]]) -> None:
    """Print the same figure for a naive regex splitter and for yasbd-lib (if installed)."""
    import re

    def naive(text: str, lang: str) -> list[str]:
        return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]

    splitters = {"naive regex": naive}
    try:
        import yasbd

        detectors = {lang: yasbd.BoundaryDetector(lang) for lang in ("id", "en")}

        def with_yasbd(text: str, lang: str) -> list[str]:
            return [s.strip() for s in detectors.get(lang, detectors["id"]).segment(text)]

        splitters["yasbd-lib"] = with_yasbd
    except Exception as e:  # noqa: BLE001 - a baseline only
        print(f"baseline yasbd-lib: unavailable ({type(e).__name__})")
    for name, split in splitters.items():
        ok = sum(
            [s for s in split(str(it["text"]), str(it.get("lang", "id"))) if s] == it["sentences"]
            for it in items
        )
        print(f"baseline {name}: {ok}/{len(items)} = {ok / len(items):.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
