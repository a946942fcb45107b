"""Token ids for the ONNX models, with a fast-loading tokenizer for Latin-script text.

e5's tokenizer is a 250,002-piece sentencepiece Unigram model. ``tokenizers``
takes about a second to build it, and holds the GIL while it does (a review
screen that is loading cannot answer a key meanwhile). Indonesian and English
news needs only the pieces written in Latin letters, digits, punctuation and
common symbols, about 110,000 of them, which build in about half the time.

Why the trimmed model gives the same ids: a Unigram segmentation chooses the
best-scoring path through the pieces that occur in the normalised text. On a
text whose normalised characters all lie in :data:`ALPHABET`, every such piece
is kept, with its score and in its original order (so ties break the same
way), and the lowest-scoring piece is kept too (the score of an unknown
character is derived from it). The trimmed model's ids are mapped back to the
full model's. A text with any other character (Greek, Arabic, CJK, ...) is
encoded by the full tokenizer, which is loaded only then.

The trimmed copy (:data:`TRIMMED_FILE` and :data:`TRIMMED_IDS_FILE`) is derived
from ``tokenizer.json`` on first use and written beside it; where it cannot be
written, the full tokenizer is used.

Public API: :func:`load_tokens` (one :class:`Tokens` per file and process).
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consistency.types import ModelError

TRIM_FORMAT = 1
"""Bump when :data:`ALPHABET` or the derivation changes (the files are derived again)."""
TRIMMED_FILE = f"tokenizer.latin{TRIM_FORMAT}.json"
TRIMMED_IDS_FILE = f"tokenizer.latin{TRIM_FORMAT}.ids.npy"
"""The full model's id of each piece of the trimmed model (int32)."""

ALPHABET = r"\x00-\u024f\u1e00-\u1eff\u2000-\u20cf\u2100-\u214f\u2581"
"""Characters the trimmed model covers: Basic Latin, Latin-1, Latin Extended A and B
and Additional, general punctuation, super- and subscripts, currency and letterlike
symbols, and sentencepiece's word marker."""
_OUTSIDE = re.compile(f"[^{ALPHABET}]")
_SPECIALS = 4
"""``<s> <pad> </s> <unk>``: the first pieces, kept at their ids."""


def _one_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def _from_file(path: Path) -> Any:
    try:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(path))
    except Exception as e:  # noqa: BLE001 - any loader failure becomes one line
        raise ModelError(f"cannot load {path}: {_one_line(e)}") from None
    tok.no_padding()
    return tok


def trimmed_json(full: dict[str, Any]) -> tuple[dict[str, Any], np.ndarray]:
    """The trimmed tokenizer's JSON and the full id of each of its pieces.

    Args:
        full: a parsed ``tokenizer.json`` with a Unigram model.

    Raises:
        ModelError: the model is not a Unigram model with its specials first.
    """
    model = full.get("model") or {}
    vocab = model.get("vocab")
    if model.get("type") != "Unigram" or not isinstance(vocab, list) or len(vocab) <= _SPECIALS:
        raise ModelError("tokenizer: not a sentencepiece Unigram model")
    if int(model.get("unk_id", -1)) >= _SPECIALS:
        raise ModelError("tokenizer: the unknown piece is not among the first pieces")
    lowest = min(range(len(vocab)), key=lambda i: float(vocab[i][1]))
    keep = [
        i
        for i, (piece, _score) in enumerate(vocab)
        if i < _SPECIALS or i == lowest or not _OUTSIDE.search(piece)
    ]
    new_id = {old: new for new, old in enumerate(keep)}
    out = json.loads(json.dumps(full))
    out["model"]["vocab"] = [vocab[i] for i in keep]
    for added in out.get("added_tokens") or []:
        if added["id"] not in new_id:
            raise ModelError(f"tokenizer: added token {added['content']!r} is not a Latin piece")
        added["id"] = new_id[added["id"]]
    return out, np.asarray(keep, dtype=np.int32)


def _write_trimmed(directory: Path, source: Path) -> bool:
    """Derive the trimmed files beside ``source``; False where they cannot be written."""
    try:
        full = json.loads(source.read_text(encoding="utf-8"))
        trimmed, ids = trimmed_json(full)
    except (OSError, ValueError, ModelError):
        return False
    try:
        for name, write in (
            (TRIMMED_IDS_FILE, lambda f: np.save(f, ids)),
            (TRIMMED_FILE, lambda f: f.write(json.dumps(trimmed).encode("utf-8"))),
        ):
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
            with os.fdopen(fd, "wb") as f:
                write(f)
            os.replace(tmp, directory / name)
    except OSError:
        return False
    return True


def _read_trimmed(directory: Path) -> tuple[Any, np.ndarray] | None:
    try:
        text = (directory / TRIMMED_FILE).read_text(encoding="utf-8")
        ids = np.load(directory / TRIMMED_IDS_FILE)
    except (OSError, ValueError):
        return None
    try:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_str(text)
    except Exception:  # noqa: BLE001 - a damaged copy is derived again
        return None
    if ids.ndim != 1 or len(ids) != tok.get_vocab_size(with_added_tokens=False):
        return None
    tok.no_padding()
    return tok, ids


class Tokens:
    """Token ids from e5's tokenizer: the trimmed model where it gives the same ids.

    Thread-safe: every encoding runs under one lock (truncation is tokenizer state).
    """

    def __init__(self, path: Path, *, trimmed: tuple[Any, np.ndarray] | None) -> None:
        """Wrap ``path`` (the full ``tokenizer.json``) and its trimmed copy, if any."""
        self.path = path
        self._trimmed = trimmed
        self._full: Any = None if trimmed is not None else _from_file(path)
        self._lock = threading.Lock()

    @property
    def trimmed(self) -> bool:
        """Whether a trimmed model is in use."""
        return self._trimmed is not None

    @property
    def full_loaded(self) -> bool:
        """Whether the full model has been loaded (always, where no trimmed copy is)."""
        return self._full is not None

    def _full_tok(self) -> Any:
        if self._full is None:
            self._full = _from_file(self.path)
        return self._full

    def token_to_id(self, token: str) -> int | None:
        """The full model's id of ``token`` (a special piece such as ``<pad>``)."""
        if self._trimmed is not None:
            tok, ids = self._trimmed
            i = tok.token_to_id(token)
            return None if i is None else int(ids[i])
        return self._full_tok().token_to_id(token)  # type: ignore[no-any-return]

    def _covered(self, normalise: Any, item: Any) -> bool:
        parts = item if isinstance(item, tuple) else (item,)
        return not any(_OUTSIDE.search(normalise(p)) for p in parts)

    def encode(self, inputs: Sequence[Any], max_length: int) -> list[list[int]]:
        """Ids of ``inputs`` (texts, or ``(a, b)`` pairs), truncated ``longest_first``."""
        items = list(inputs)
        with self._lock:
            out: list[list[int]] = [[] for _ in items]
            rest = list(range(len(items)))
            if self._trimmed is not None:
                tok, ids = self._trimmed
                normalise = tok.normalizer.normalize_str
                mine = [i for i in rest if self._covered(normalise, items[i])]
                if mine:
                    tok.enable_truncation(max_length=max_length, strategy="longest_first")
                    encs = tok.encode_batch([items[i] for i in mine])
                    for i, enc in zip(mine, encs, strict=True):
                        out[i] = ids[np.asarray(enc.ids, dtype=np.int64)].tolist()
                taken = set(mine)
                rest = [i for i in rest if i not in taken]
            if rest:
                full = self._full_tok()
                full.enable_truncation(max_length=max_length, strategy="longest_first")
                for i, enc in zip(rest, full.encode_batch([items[i] for i in rest]), strict=True):
                    out[i] = list(enc.ids)
            return out


@functools.cache
def load_tokens(path: Path, *, trim: bool = True) -> Tokens:
    """The tokenizer in ``path``, loaded once per process (see the module docstring).

    Args:
        path: a ``tokenizer.json`` with a sentencepiece Unigram model.
        trim: use (and derive, on first use) the trimmed copy beside it.

    Raises:
        ModelError: the file cannot be read.
    """
    if not trim or os.environ.get("CONSISTENCY_FULL_TOKENIZER") == "1":
        return Tokens(path, trimmed=None)
    directory = path.parent
    trimmed = _read_trimmed(directory)
    if trimmed is None and _write_trimmed(directory, path):
        trimmed = _read_trimmed(directory)
    return Tokens(path, trimmed=trimmed)
