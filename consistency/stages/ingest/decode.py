"""Bytes to text: size limits, encodings and file names, all untrusted.

No source is read past its limit plus one byte (:func:`read_limited`); a file is
decoded as UTF-8 (a few stray bytes become U+FFFD, with a warning), else in the
encoding charset-normalizer names (Latin-script families read as cp1252); a file
name that is not UTF-8 is shown with its undecodable bytes as ``\\xNN``
(:func:`display_name`).
"""

from __future__ import annotations

import re
from pathlib import Path

_LATIN_FAMILY = re.compile(
    r"(?:cp125[02478]|latin_?\d*|iso8859_(?:[1-49]|1[03-6])|mac_(?:roman|latin2|iceland|turkish)"
    r"|cp85[028]|ascii)$"
)
"""Encodings charset-normalizer may name for Latin-script text; cp1252 is used for all."""


# --------------------------------------------------------------------------- names and limits

SURROGATE = re.compile("[\ud800-\udfff]")


def display_name(name: str) -> str:
    """A file name as text that any output can hold.

    A name that is not UTF-8 comes from the OS with its bytes as surrogate
    escapes (``berita_\\udce9.txt``); each such byte is written ``\\xe9``
    instead (``berita_\\xe9.txt``), as Python shows undecodable bytes. Other
    characters are kept (control characters are made visible where a line
    is printed, see :func:`consistency.text.normalise.display_safe`).
    """
    if not SURROGATE.search(name):
        return name

    def esc(m: re.Match[str]) -> str:
        o = ord(m.group())
        return f"\\x{o - 0xDC00:02x}" if 0xDC80 <= o <= 0xDCFF else f"\\u{o:04x}"

    return SURROGATE.sub(esc, name)


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_limited(path: Path, max_bytes: int) -> bytes | None:
    """At most ``max_bytes + 1`` bytes of ``path``; None when it holds more than ``max_bytes``.

    Never reads without a bound, so a device (``/dev/zero``) or a growing file
    cannot exhaust memory.

    Raises:
        OSError: the file cannot be opened or read.
    """
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


# --------------------------------------------------------------------------- decoding


def _is_binary_text(text: str) -> bool:
    """More than 1% control characters (tab, line breaks and form feeds aside).

    The share is of the characters but carriage returns, so that a file reads the
    same with LF and with CRLF line endings (a finding's id does not depend on them).
    """
    size = len(text) - text.count("\r")
    if size <= 0:
        return False
    control = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    return control / size > 0.01


def decode_bytes(data: bytes, source: str) -> tuple[str | None, str | None]:
    """Decode file content.

    UTF-8 first (a leading byte-order mark is dropped), UTF-16/32 with a BOM,
    UTF-8 with a few stray invalid bytes (each replaced by U+FFFD, with a
    warning that counts them; see :func:`_mostly_utf8`), then the common legacy
    encodings as charset-normalizer detects them.

    Returns:
        ``(text, warning)``: ``text`` is None when the content is binary or
        cannot be decoded (``warning`` then says so); ``warning`` names a legacy
        encoding that was used.
    """
    for bom, enc in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                break
            return text, f"{source}: decoded as {enc.upper()} (byte-order mark)"
    if b"\x00" in data:
        return None, f"{source}: binary file (NUL bytes), skipped"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if text.startswith("\ufeff"):
            text = text[1:]
        if _is_binary_text(text):
            return None, f"{source}: binary file (control characters), skipped"
        return text, None
    mostly = _mostly_utf8(data)
    if mostly is not None:
        text, bad = mostly
        if text.startswith("\ufeff"):
            text = text[1:]
        if not _is_binary_text(text):
            return text, (
                f"{source}: UTF-8 but for {bad} invalid byte{'s' if bad != 1 else ''}; "
                f"decoded as UTF-8 with {'each' if bad != 1 else 'it'} replaced by U+FFFD"
            )
    return _decode_legacy(data, source)


STRAY_BYTES_MAX = 16
"""Invalid bytes a UTF-8 file may hold and still be read as UTF-8 (or under 1% of its bytes)."""


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """``(text, number of invalid bytes)`` when ``data`` is UTF-8 but for a few stray bytes.

    It counts as UTF-8 when it holds well-formed multi-byte sequences (more of
    them than invalid bytes: a legacy 8-bit file holds almost none) and the
    invalid bytes are under :data:`STRAY_BYTES_MAX` or under 1% of the bytes.
    Each invalid byte becomes U+FFFD.
    """
    text = data.decode("utf-8", "surrogateescape")  # each invalid byte: U+DC80..U+DCFF
    bad = len(_STRAY.findall(text))
    if not bad or not (bad < STRAY_BYTES_MAX or bad * 100 < len(data)):
        return None
    multi = sum(1 for c in text if ord(c) > 0x7F) - bad
    if multi <= bad:
        return None
    return _STRAY.sub("\ufffd", text), bad


_STRAY = re.compile("[\udc80-\udcff]")


def _decode_legacy(data: bytes, source: str) -> tuple[str | None, str | None]:
    """Decode non-UTF-8 bytes: cp1252 for Latin-script text, else charset-normalizer's guess.

    charset-normalizer often names a sibling (cp1250, iso8859_2, ...) for short
    Latin-script text, where cp1252 is by far the most likely for news copy; a
    guess outside that family (cp1251, Shift-JIS, GB18030, ...) is used as is.
    latin-1 (which decodes any byte) is a last resort, only when cp1252 cannot
    decode the bytes and the detector named a Latin encoding.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = best.encoding if best is not None else None
    latin = guess is None or bool(_LATIN_FAMILY.match(guess))
    candidates = ["cp1252", "latin_1"] if latin else [guess, "cp1252"]
    if guess is None:
        candidates = ["cp1252"]
    for enc in candidates:
        if enc is None:
            continue
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _is_binary_text(text):
            continue
        return text, f"{source}: not UTF-8; decoded as {enc}"
    return None, f"{source}: not UTF-8 and no common legacy encoding fits (binary?), skipped"
