"""Writing outputs whole: JSON text that every reader splits into the same lines, and a
file replaced at once (a temporary file beside it, then ``os.replace``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_JSON_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}


def json_text(obj: Any, *, indent: int | None = 2) -> str:
    """``obj`` as JSON (UTF-8, not ASCII-escaped) with U+2028, U+2029 and U+0085 escaped.

    JSON allows these raw inside a string, but JavaScript and every reader that
    splits lines with ``str.splitlines`` take them for line breaks; outside
    strings JSON never holds them, so escaping them in the text is safe.
    """
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    for raw, escaped in _JSON_LINE_BREAKS.items():
        text = text.replace(raw, escaped)
    return text


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all.

    It goes to a temporary file beside ``path`` that then replaces it
    (``os.replace``), so a full disk or an interruption leaves the previous
    file as it was and no truncated output. The new file gets the old file's
    permissions, or the usual ones (0666 less the umask).

    Raises:
        OSError: the file could not be written (the temporary file is removed).
    """
    import os
    import secrets

    path = Path(os.path.realpath(path))  # through a link: the file it names is replaced
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
