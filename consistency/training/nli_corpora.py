"""The NLI data sets as read from the data root: IndoNLI, MNLI translated, SNLI, XNLI.

Each is read into :class:`NLIPair` records (:func:`load_split`); XNLI is evaluation only
(:data:`NON_COMMERCIAL`). Used by :mod:`consistency.training.nli_data`.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LABELS: tuple[str, str, str] = ("entailment", "neutral", "contradiction")
"""Label order used in training (index = class id in the shipped model's config)."""


_SHORT = {"e": "entailment", "n": "neutral", "c": "contradiction"}


NON_COMMERCIAL = ("xnli", "myxnli")
"""Data set names that may be used for evaluation only."""


@dataclass(frozen=True)
class NLIPair:
    """One labelled premise/hypothesis pair.

    Attributes:
        premise: the premise text.
        hypothesis: the hypothesis text.
        label: one of :data:`LABELS`.
        source: where it came from, e.g. ``"indonli"``, ``"snli"``, ``"synthetic"``.
        phenomenon: for synthetic pairs, what was changed (e.g. ``"number"``); else ``""``.
    """

    premise: str
    hypothesis: str
    label: str
    source: str
    phenomenon: str = ""

    @property
    def label_id(self) -> int:
        """The index of :attr:`label` in :data:`LABELS`."""
        return LABELS.index(self.label)


def default_data_root() -> Path:
    """``<repo>/../shared/data``, where ``<repo>`` holds this package."""
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def _normalise_label(raw: object) -> str | None:
    if not isinstance(raw, str):
        return None
    raw = raw.strip().lower()
    if raw in _SHORT:
        return _SHORT[raw]
    return raw if raw in LABELS else None


def _read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


_PTB = [
    (re.compile(r" n't\b"), "n't"),
    (re.compile(r" ([,.;:!?%)\]])"), r"\1"),
    (re.compile(r"([(\[$]) "), r"\1"),
    (re.compile(r" '(s|re|ve|ll|d|m)\b"), r"'\1"),
    (re.compile(r"\bca n't\b"), "can't"),
    (re.compile(r"``\s*|\s*''"), '"'),
]


def detokenize_ptb(text: str) -> str:
    """Undo the PTB tokenisation of the MNLI samples (``ca n't`` -> ``can't``, `` ,`` -> ``,``)."""
    for pat, rep in _PTB:
        text = pat.sub(rep, text)
    return text


SPLITS: dict[str, tuple[str, str]] = {
    # name: (relative path, format)
    "indonli-train": ("indonli/train.jsonl", "indonli"),
    "indonli-val": ("indonli/val.jsonl", "indonli"),
    "mnli-id-train": ("indonli/translate_train_small.train.jsonl", "mnli-id"),
    "mnli-id-dev": ("indonli/translate_train_small.dev.jsonl", "mnli-id"),
    "snli-dev": ("nli-extra/snli.dev.jsonl.gz", "plain"),
    "snli-test": ("nli-extra/snli.test.jsonl.gz", "plain"),
    "mnli-m-sample": ("nli-extra/mnli.dev_matched.sample1k.jsonl.gz", "ptb"),
    "mnli-mm-sample": ("nli-extra/mnli.dev_mismatched.sample1k.jsonl.gz", "ptb"),
    "xnli-dev": ("nli-extra/xnli.dev.jsonl.gz", "plain"),
    "xnli-test": ("nli-extra/xnli.test.jsonl.gz", "plain"),
}
"""Named splits under the data root."""


def load_split(
    name: str,
    root: Path | None = None,
    *,
    language: str | None = None,
    for_training: bool = False,
) -> list[NLIPair]:
    """Load a named split (see :data:`SPLITS`) as pairs; unlabelled rows are skipped.

    Args:
        name: a key of :data:`SPLITS`.
        root: the data root (default :func:`default_data_root`).
        language: keep only rows with this ``language`` field (XNLI).
        for_training: refuse non-commercial (evaluation-only) data.

    Raises:
        ValueError: an unknown split, or an evaluation-only split asked for training.
        FileNotFoundError: the file is not there.
    """
    if name not in SPLITS:
        raise ValueError(f"unknown split {name!r}; known: {', '.join(SPLITS)}")
    if for_training and name.split("-")[0] in NON_COMMERCIAL:
        raise ValueError(f"{name} is CC BY-NC (evaluation only): never train on it")
    rel, fmt = SPLITS[name]
    path = (root or default_data_root()) / rel
    source = name.rsplit("-", 1)[0] if fmt != "indonli" else "indonli"
    out: list[NLIPair] = []
    for row in _read_jsonl(path):
        if language is not None and row.get("language") != language:
            continue
        if fmt == "mnli-id":
            p, h, lab = row.get("sentence1"), row.get("sentence2"), row.get("gold_label")
        else:
            p, h, lab = row.get("premise"), row.get("hypothesis"), row.get("label")
        label = _normalise_label(lab)
        if not isinstance(p, str) or not isinstance(h, str) or label is None:
            continue
        if fmt == "ptb":
            p, h = detokenize_ptb(p), detokenize_ptb(h)
        out.append(NLIPair(p.strip(), h.strip(), label, source))
    return out
