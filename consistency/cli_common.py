"""Shared helpers for the command line: one-line errors and exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from consistency.exit_codes import ExitCode
from consistency.types import ConsistencyError, InputError, ModelError

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: ExitCode) -> NoReturn:
    """Print ``consistency: error: <message>`` on one line to stderr and exit."""
    click.echo(f"consistency: error: {message}", err=True)
    sys.exit(int(code))


def warn(message: str) -> None:
    """Print a one-line warning to stderr."""
    click.echo(f"consistency: warning: {message}", err=True)


def handle_errors(func: F) -> F:
    """Turn library errors into one-line messages and documented exit codes.

    InputError -> INPUT_ERROR, ModelError -> INTERNAL_ERROR, KeyboardInterrupt ->
    INTERRUPTED, anything else unexpected -> INTERNAL_ERROR with the exception's
    type and message (set ``CONSISTENCY_DEBUG=1`` for the traceback).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import os

        try:
            return func(*args, **kwargs)
        except InputError as e:
            fail(str(e), ExitCode.INPUT_ERROR)
        except ModelError as e:
            fail(f"model: {e}", ExitCode.INTERNAL_ERROR)
        except ConsistencyError as e:
            fail(str(e), ExitCode.INTERNAL_ERROR)
        except KeyboardInterrupt:
            fail("interrupted", ExitCode.INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as e:  # noqa: BLE001 - the last line of defence
            if os.environ.get("CONSISTENCY_DEBUG"):
                raise
            fail(
                f"internal error: {type(e).__name__}: {e} (set CONSISTENCY_DEBUG=1 for details)",
                ExitCode.INTERNAL_ERROR,
            )

    return wrapper  # type: ignore[return-value]
