"""Shared helpers for the command line: one-line errors and exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from consistency.config import DEFAULT_EMBED_MODEL, DEFAULT_NLI_MODEL, Settings
from consistency.models.bundle import ModelChoice, choose_models
from consistency.runner.backends import BACKENDS, Backend, BackendError, backend_named
from consistency.types import ConsistencyError, ExitCode, InputError, ModelError

F = TypeVar("F", bound=Callable[..., Any])


def terminal_line(message: str) -> str:
    """``message`` as one line that cannot drive a terminal.

    File names and article text in a message are untrusted: control characters
    (ESC, BEL, C1, bidirectional controls) become visible placeholders
    (:func:`~consistency.text.normalise.display_safe`), line breaks (U+2028 and
    U+2029 too) become "␊", and the undecodable bytes of a file name
    (surrogate escapes) are written ``\\xNN``.
    """
    from consistency.stages.ingest import display_name
    from consistency.text.normalise import display_safe

    line = display_safe(display_name(message), newlines=False)
    return line.replace("\u2028", "\u240a").replace("\u2029", "\u240a")


def echo_err(message: str) -> None:
    """Print one line to stderr, made safe for a terminal (:func:`terminal_line`)."""
    click.echo(terminal_line(message), err=True)


def fail(message: str, code: ExitCode) -> NoReturn:
    """Print ``consistency: error: <message>`` on one line to stderr and exit."""
    echo_err(f"consistency: error: {message}")
    sys.exit(int(code))


def warn(message: str) -> None:
    """Print a one-line warning to stderr (safe for a terminal, see :func:`terminal_line`)."""
    echo_err(f"consistency: warning: {message}")


def handle_errors(func: F) -> F:
    """Turn library errors into one-line messages and documented exit codes.

    InputError and BackendError -> INPUT_ERROR, ModelError -> INTERNAL_ERROR, KeyboardInterrupt ->
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
        except BackendError as e:  # --backend ray without ray, or an unreachable cluster
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


def check_output_path(path: Path | None) -> None:
    """Fail early (before any work) when ``path`` cannot be written as a file.

    It must not be a directory, and the nearest existing directory above it
    must accept a new file (tried with a temporary file, which is removed).

    Raises:
        InputError: ``path`` is a directory, lies under a file, or is not writable.
    """
    import os

    if path is None or str(path) == "-":
        return
    if path.is_dir():
        raise InputError(str(path), "output is a directory; name a file")
    if path.exists():
        if not os.access(path, os.W_OK):
            raise InputError(str(path), "output file is not writable")
        return
    probe_writable(path, path.parent)


def probe_writable(path: Path, parent: Path) -> None:
    """Raise InputError unless a file can be created in the nearest existing folder of
    ``parent`` (the folder an output for ``path`` will be written in)."""
    import tempfile

    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(str(path), f"cannot write output: {parent} is not a directory")
    try:
        with tempfile.NamedTemporaryFile(dir=parent, prefix=".consistency-probe-"):
            pass
    except OSError as e:
        raise InputError(str(path), f"cannot write output ({e.strerror or e})") from None


def write_output(path: Path, text: str) -> None:
    """Write a command's output to ``path`` whole or not at all (a temporary file beside
    it replaces it), so a full disk leaves the previous file as it was.

    Raises:
        InputError: it could not be written (the one-line message says why).
    """
    from consistency.outputs.files import write_text_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as e:
        raise InputError(str(path), f"cannot write output ({e.strerror or e})") from None


def check_output_dir(path: Path) -> None:
    """Fail early (before any work) when ``path`` cannot be used as an output directory.

    It must be a directory or not exist yet, nothing above it may be a file,
    and the nearest existing directory must accept a new file (tried with a
    temporary file, which is removed).

    Raises:
        InputError: ``path`` is a file, lies under a file, or is not writable.
    """
    if path.exists() and not path.is_dir():
        raise InputError(str(path), "output directory is a file; name a directory")
    probe_writable(path, path)


def follow_links_option(func):  # type: ignore[no-untyped-def]
    """``--follow-links``, shared by report, check and review."""
    return click.option(
        "--follow-links",
        is_flag=True,
        help="In an input folder, also read files that are links to files outside it "
        "(by default they are skipped with a warning).",
    )(func)


def model_options(func):  # type: ignore[no-untyped-def]
    """``--embed-model``, ``--nli-model`` and ``--min-confidence``, shared by report, review
    and check."""
    func = click.option(
        "--min-confidence",
        type=click.FloatRange(0.0, 1.0),
        default=0.0,
        show_default=True,
        metavar="P",
        help="Report no finding whose probability of being a real disagreement is under P "
        "(the confidence model already drops those under its own floor).",
    )(func)
    func = click.option(
        "--nli-model",
        default=DEFAULT_NLI_MODEL,
        show_default=True,
        help="NLI cross-encoder: 'builtin', 'none', or a local path / hub name.",
    )(func)
    func = click.option(
        "--embed-model",
        default=DEFAULT_EMBED_MODEL,
        show_default=True,
        help="Sentence-transformers model: the bundled default, or a local path / hub name.",
    )(func)
    return func


def backend_options(func):  # type: ignore[no-untyped-def]
    """``--backend``, ``--ray-address`` and ``--ray-workers``: where a feed's stories run."""
    func = click.option(
        "--ray-workers",
        type=click.IntRange(min=1),
        default=None,
        help="With --backend ray: how many Ray actors (each holds the models; default: all CPUs).",
    )(func)
    func = click.option(
        "--ray-address",
        default=None,
        metavar="HOST:PORT|auto",
        help="With --backend ray: an existing Ray cluster (default: $RAY_ADDRESS, else a "
        "local Ray instance on this machine). Unreachable: exit 2.",
    )(func)
    func = click.option(
        "--backend",
        type=click.Choice(BACKENDS),
        default="local",
        show_default=True,
        help="Run the stories here (local) or as Ray actors (ray; needs the 'ray' extra, "
        "else exit 2). Same report either way.",
    )(func)
    return func


def lang_option(func):  # type: ignore[no-untyped-def]
    """``--lang``: the language of the findings' explanations, shared by report and check."""
    from consistency import lang

    return click.option(
        "--lang",
        "explain_lang",
        type=click.Choice(sorted(lang.having("explanations"))),
        default="en",
        show_default=True,
        help="Write the findings' explanations in this language (ISO 639-1 code; "
        "nothing else in the report changes).",
    )(func)


def settings_from(
    embed_model: str, nli_model: str, min_confidence: float = 0.0, explain_lang: str = "en"
) -> Settings:
    """Settings for the given model options ('none' disables NLI)."""
    nli = None if nli_model.lower() in ("none", "off", "") else nli_model
    return Settings(
        embed_model=embed_model,
        nli_model=nli,
        min_confidence=min_confidence,
        explain_lang=explain_lang,
    )


class StderrProgress:
    """Stage progress on stderr, only on a terminal: one line per stage the first
    time it starts, and a line per story as a feed's stories are checked."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._seen: set[str] = set()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage == "story":
            if done < total:
                click.echo(f"consistency: story {done + 1} of {total}...", err=True)
            return
        if stage in self._seen:
            return
        self._seen.add(stage)
        click.echo(f"consistency: {stage}...", err=True)


def cache_options(func):  # type: ignore[no-untyped-def]
    """``--cache-dir`` and ``--no-cache``, shared by report and check."""
    func = click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")(func)
    func = click.option(
        "--cache-dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Where embeddings and NLI results are cached (default: $CONSISTENCY_HOME/cache).",
    )(func)
    return func


def models_for(settings: Settings, cache_dir: Path | None, no_cache: bool) -> ModelChoice:
    """The models to run with: the settings', behind the on-disk cache unless ``no_cache``
    (:func:`~consistency.models.bundle.choose_models`)."""
    models, _ = choose_models(settings, cache_dir, use_cache=not no_cache)
    return models


def backend_for(name: str, ray_address: str | None, ray_workers: int | None) -> Backend:
    """The ``--backend`` named, with ``--ray-address`` and ``--ray-workers`` for Ray."""
    if name == "ray":
        return backend_named("ray", address=ray_address, workers=ray_workers)
    return backend_named("local")
