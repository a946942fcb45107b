"""Process exit codes, shared by every command."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What a ``consistency`` process's exit status means."""

    OK = 0
    """Success; for ``check``: no finding at or above the ``--fail-on`` threshold."""

    FINDINGS = 1
    """``check`` only: at least one finding at or above the ``--fail-on`` threshold."""

    INPUT_ERROR = 2
    """Usage or input error: bad option, missing or unreadable path, malformed line (named)."""

    INTERNAL_ERROR = 3
    """Internal failure: a model could not be built or loaded (the message says why), or a bug."""

    INTERRUPTED = 130
    """Interrupted by the user (Ctrl-C); nothing already saved is lost."""
