"""The Ray backend (`--backend ray`) writes the same report as the local one.

The report test runs the real pipeline and models on a local Ray instance
(``ray.init(num_cpus=2)``, no dashboard, no usage stats, nothing over the
network) on a two-story feed: the sample in ``data/`` and a short hand-written
second story. The error tests need neither ray started nor the models.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from polars.testing import assert_frame_equal

from consistency.cli import main
from consistency.outputs import report as rep
from consistency.runner.backends import BackendError
from consistency.types import ExitCode
from tests.conftest import REPO_ROOT

ROOT = REPO_ROOT

# Ray 2.40 leaves its child processes' log files (raylet.out, gcs_server.err, ...) and
# Popen objects to the garbage collector: ResourceWarnings, surfacing as pytest's
# unraisable-exception warnings. Only those two, and only in this module.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

SECOND_STORY = [
    {
        "id": "flood-a",
        "outlet": "Harian Contoh",
        "published": "2024-02-12",
        "language": "en",
        "title": "Floods in Wakanda river valley displace families",
        "text": "Floods in the Wakanda river valley displaced 1,200 families on Monday, "
        "the regional disaster agency BPBD Wakanda said. Governor Rina Oktavia visited "
        "the shelters in Kota Lembah. The agency said 14 bridges were damaged.",
    },
    {
        "id": "flood-b",
        "outlet": "Warta Contoh",
        "published": "2024-02-12",
        "language": "en",
        "title": "Wakanda floods: 1,500 families leave their homes",
        "text": "Floods in the Wakanda river valley displaced 1,500 families on Monday, "
        "the regional disaster agency BPBD Wakanda said. Governor Rina Oktavia visited "
        "the shelters in Kota Lembah. The agency said 14 bridges were damaged.",
    },
]


def _run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def _one_error_line(result: object, needle: str) -> None:
    out = result.output  # type: ignore[attr-defined]
    assert "Traceback" not in out
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("consistency: error:")]  # type: ignore[attr-defined]
    assert len(lines) == 1, result.stderr  # type: ignore[attr-defined]
    assert needle in lines[0], lines[0]


# -- errors: one line, exit 2, no ray needed -----------------------------------------------


def test_ray_missing_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    r = _run("report", str(ROOT / "data"), "--backend", "ray", "--nli-model", "none")
    assert r.exit_code == ExitCode.INPUT_ERROR
    _one_error_line(r, "pip install 'consistency[ray]'")


def test_unreachable_address_fails_fast() -> None:
    pytest.importorskip("ray")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    from consistency.runner.backends.ray import connect

    with pytest.raises(BackendError, match="cannot reach the Ray cluster"):
        connect(f"127.0.0.1:{port}")
    with pytest.raises(BackendError, match="expected HOST:PORT"):
        connect("no-port-here")
    r = _run("report", str(ROOT / "data"), "--backend", "ray", "--ray-address", f"127.0.0.1:{port}")
    assert r.exit_code == ExitCode.INPUT_ERROR
    _one_error_line(r, f"127.0.0.1:{port}")


def test_default_path_never_imports_ray() -> None:
    import subprocess

    code = (
        "import sys; from consistency.runner.feed import run_feed; import consistency.cli; "
        "assert 'ray' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- the same report ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def feed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample and the second story as one JSONL feed (what both backends read)."""
    from consistency.stages.ingest import input_rows, read_inputs

    rows = input_rows(read_inputs([str(ROOT / "data")]).articles)
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for row in rows + SECOND_STORY:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def feed(feed_file: Path) -> pl.DataFrame:
    from consistency.stages.ingest import read_inputs

    return read_inputs([str(feed_file)]).articles


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()
    import gc

    gc.collect()  # the leaked files are collected here, under this module's filters


@pytest.fixture(scope="module")
def local_report(feed: pl.DataFrame) -> rep.Report:
    from consistency.runner.feed import run_feed

    return run_feed(feed)


def _comparable(report: rep.Report) -> dict:
    return json.loads(rep.write_json(report, None))


@pytest.mark.slow
def test_ray_report_equals_local(
    feed: pl.DataFrame, local_report: rep.Report, local_ray: object
) -> None:
    from consistency.runner.feed import run_feed

    local = local_report
    ray_ = run_feed(feed, backend="ray", workers=2)
    assert local.story_frame().height == 2  # the sample and the floods
    assert local.divergences.height > 0
    assert_frame_equal(ray_.divergences, local.divergences)
    assert_frame_equal(ray_.story_frame(), local.story_frame())
    assert_frame_equal(ray_.articles, local.articles)
    assert_frame_equal(ray_.pairs, local.pairs)
    assert _comparable(ray_) == _comparable(local)  # the JSON report has no timing field


@pytest.mark.slow
def test_cli_ray_report_equals_local(
    feed_file: Path, local_report: rep.Report, local_ray: object, tmp_path: Path
) -> None:
    """`report --backend ray` (models behind the on-disk cache, as the CLI runs them)."""
    src = feed_file
    path = tmp_path / "ray.json"
    r = _run("report", str(src), "--backend", "ray", "--cache-dir", str(tmp_path), "-o", str(path))
    assert r.exit_code == 0, r.output
    got = json.loads(path.read_text())
    assert len(got["stories"]) == 2
    assert got == _comparable(local_report)
