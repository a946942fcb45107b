"""Ray under hostile conditions ("Untrusted input, round two", item 20): ``report
--backend ray`` where Ray cannot start (no loopback network): one line and exit 2 at
once, never a real Ray start in these tests.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from consistency.cli import main
from consistency.runner.backends import BackendError
from consistency.types import ExitCode
from tests.conftest import REPO_ROOT, one_error_line

ROOT = REPO_ROOT


# -- 20: Ray cannot start --------------------------------------------------------------


def test_no_loopback_network_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    ray = pytest.importorskip("ray")
    import consistency.runner.backends.ray as backend

    def unreachable(host: str) -> None:
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    def must_not_start(*a: Any, **k: Any) -> None:
        raise AssertionError("ray.init must not run when the local network is unusable")

    monkeypatch.setattr(backend, "_probe", unreachable, raising=False)
    monkeypatch.setattr(ray, "init", must_not_start)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    r = CliRunner().invoke(
        main, ["report", str(ROOT / "data"), "--backend", "ray", "--nli-model", "none"]
    )
    assert r.exit_code == ExitCode.INPUT_ERROR, r.output
    one_error_line(r, "cannot start a local Ray instance", "Network is unreachable", "loopback")


def test_ray_init_that_never_returns_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import consistency.runner.backends.ray as backend

    release = threading.Event()
    fake = types.SimpleNamespace(
        is_initialized=lambda: False,
        init=lambda **k: release.wait(5),  # what ray.init does while it retries
        shutdown=lambda: None,
    )
    monkeypatch.setattr(backend, "_import_ray", lambda: fake)
    monkeypatch.setattr(backend, "START_TIMEOUT_S", 0.3, raising=False)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    try:
        with pytest.raises(BackendError, match="no answer within 0.3 s"):
            backend.connect(None, num_cpus=1)
    finally:
        release.set()


def test_ray_init_error_in_its_thread_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import consistency.runner.backends.ray as backend

    def init(**k: Any) -> None:
        raise ConnectionError("GCS did not answer\nmore detail")

    fake = types.SimpleNamespace(is_initialized=lambda: False, init=init)
    monkeypatch.setattr(backend, "_import_ray", lambda: fake)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    with pytest.raises(BackendError) as e:
        backend.connect(None)
    assert str(e.value) == "cannot start Ray (a local instance): GCS did not answer"


def _netns_works() -> bool:
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


@pytest.mark.skipif(not _netns_works(), reason="needs `unshare -n` (a network namespace)")
def test_no_loopback_namespace_for_real(tmp_path: Path) -> None:
    """In a new network namespace (loopback down, as in those CI sandboxes), for real.

    ``ray.init`` is replaced by a stub that fails loudly: Ray never starts here.
    """
    pytest.importorskip("ray")
    code = (
        "import sys, ray\n"
        "def init(*a, **k):\n"
        "    sys.stderr.write('STUB: ray.init was called\\n'); sys.exit(99)\n"
        "ray.init = init\n"
        "from consistency.cli import main\n"
        "main(['report', sys.argv[1], '--backend', 'ray', '--nli-model', 'none'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    p = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code, str(ROOT / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert "STUB" not in p.stderr, p.stderr
    assert p.returncode == ExitCode.INPUT_ERROR, p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith("consistency: error:")]
    assert len(lines) == 1 and "cannot start a local Ray instance" in lines[0], p.stderr
