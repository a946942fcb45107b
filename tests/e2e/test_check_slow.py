"""The CI gate on the sample articles with the real models (slow)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from consistency.cli.check import command
from consistency.types import ExitCode
from tests.conftest import REPO_ROOT

DATA = REPO_ROOT / "data"
LIPUTAN6 = DATA / "002_2fdf4f7ca629e32d.txt"

pytestmark = pytest.mark.slow


def invoke(*args: str) -> object:
    # the rule judge finds these without NLI; --nli-model none keeps the test shorter
    return CliRunner().invoke(command, [*args, "--nli-model", "none"], catch_exceptions=False)


def test_liputan6_against_the_seeds_names_watson_and_kirby(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    # nothing on the sample is HIGH (the gate's default passes); at LOW it fails
    res = invoke(str(LIPUTAN6), "--against", str(DATA), "--cache-dir", str(cache))
    assert res.exit_code == ExitCode.OK, res.output  # type: ignore[attr-defined]
    res = invoke(
        str(LIPUTAN6), "--against", str(DATA), "--cache-dir", str(cache), "--fail-on", "low"
    )
    assert res.exit_code == ExitCode.FINDINGS, res.output  # type: ignore[attr-defined]
    out = res.output  # type: ignore[attr-defined]
    assert "attribution" in out and "Watson" in out and "Kirby" in out
    # the second run reads every embedding (and NLI result) from the cache
    from consistency.models.cache import CacheStore

    with CacheStore(cache) as store:
        n = store.counts()["embeddings"]
    assert n > 50
    again = invoke(
        str(LIPUTAN6), "--against", str(DATA), "--cache-dir", str(cache), "--fail-on", "low"
    )
    assert again.output == res.output  # type: ignore[attr-defined]
    with CacheStore(cache) as store:
        assert store.counts()["embeddings"] == n


def test_an_article_against_a_copy_of_itself_is_an_input_error(tmp_path: Path) -> None:
    shutil.copy(LIPUTAN6, tmp_path / "copy.txt")
    res = invoke(
        str(LIPUTAN6),
        "--against",
        str(tmp_path / "copy.txt"),
        "--fail-on",
        "low",
        "--cache-dir",
        str(tmp_path / "cache"),
    )
    assert res.exit_code == ExitCode.INPUT_ERROR, res.output  # type: ignore[attr-defined]
    assert "nothing to compare against" in res.output  # type: ignore[attr-defined]
    assert not (tmp_path / "cache").exists()  # refused before any model or cache work
