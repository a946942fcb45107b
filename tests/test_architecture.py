"""Architecture rules that code review alone would not hold."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return set(out.stdout.split())


def test_library_never_imports_textual():
    mods = _modules_after(
        "import consistency, consistency.pipeline, consistency.report, consistency.cli"
    )
    assert "consistency.pipeline" in mods  # the probe really imported the library
    assert not any(m == "textual" or m.startswith("textual.") for m in mods)
    assert not any(m == "tui" or m.startswith("tui.") for m in mods)


def test_importing_the_library_loads_no_model_framework():
    mods = _modules_after("import consistency, consistency.cli")
    assert "consistency.cli" in mods
    assert "torch" not in mods
    assert "sentence_transformers" not in mods


def test_import_linter_contracts_hold():
    out = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "KEPT" in out.stdout
