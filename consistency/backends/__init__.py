"""Where a feed's stories run: ``local`` (this process, :func:`consistency.feed.run_feed`)
or ``ray`` (:mod:`consistency.backends.ray`, Ray actors on one machine or a cluster).

Nothing here imports ray; :mod:`consistency.backends.ray` imports it when it runs.
"""

from __future__ import annotations

from typing import Literal

from consistency.types import ConsistencyError

Backend = Literal["local", "ray"]
BACKENDS: tuple[str, ...] = ("local", "ray")


class BackendError(ConsistencyError):
    """The compute backend cannot be used: Ray is not installed, or its cluster cannot be reached.

    The command line turns it into one line and exit 2 (a usage error: the option
    cannot be honoured here).
    """
