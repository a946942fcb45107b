"""The yardstick for refactors: the same JSON reports before and after a change.

Write the reports of this tree into DIR, one per input: ``data/`` (``data.json``),
each development cluster ``../shared/data/dev-clusters/cluster-*.json``
(``cluster-<name>.json``), and all of them as one feed of many stories (``feed.json``),
each by ``consistency report <input> --format json -o DIR/<name>.json`` run with this
tree first on ``PYTHONPATH``. The embedding and
NLI result cache is off (``--no-cache``) unless ``--cache`` is given, so every
model result is computed afresh by the code under test.

    python bench/same_reports.py DIR [--clusters DIR] [--cache]
    python bench/same_reports.py --compare DIR_A DIR_B

``--compare`` exits 0 when every report in DIR_A has a twin in DIR_B (and the
other way round) equal in content, ignoring only what legitimately varies by
where the tree lies: ``generated_by`` and each article's ``source``. It says
whether each pair is also byte-identical, and prints the first differing keys
of each report that differs (exit 1).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLUSTERS = ROOT.parent / "shared" / "data" / "dev-clusters"
IGNORED_TOP = ("generated_by",)
"""Top-level keys that say where and by what the report was made, not what it found."""
IGNORED_ARTICLE = ("source",)
"""Keys of each article that name where its file lay."""


def inputs(clusters: Path) -> list[tuple[str, list[str]]]:
    """(report name, CLI inputs) for ``data/``, each development cluster, and all together."""
    out = [("data", ["data/"])]
    for p in sorted(clusters.glob("cluster-*.json")):
        out.append((p.stem, [shown(p)]))
    out.append(("feed", ["data/", shown(clusters)]))
    return out


def shown(path: Path) -> str:
    """``path`` relative to the repository when it can be."""
    try:
        return os.path.relpath(path, ROOT)
    except ValueError:
        return str(path)


def write_reports(directory: Path, clusters: Path, cache: bool) -> int:
    """Run ``consistency report`` on every input into ``directory``; the number of failures."""
    directory.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    cli = str(Path(sys.executable).with_name("consistency"))
    failures = 0
    for name, sources in inputs(clusters):
        out = directory / f"{name}.json"
        cmd = [cli, "report", *sources, "--format", "json", "-o", str(out), "--no-progress"]
        if not cache:
            cmd.append("--no-cache")
        t0 = time.perf_counter()
        run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        took = time.perf_counter() - t0
        if run.returncode != 0:
            failures += 1
            print(f"FAIL {name} (exit {run.returncode}):\n{run.stderr}", file=sys.stderr)
        else:
            print(f"wrote {out} ({took:.1f} s)")
    return failures


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """``report`` without the fields that vary by location."""
    out = {k: v for k, v in report.items() if k not in IGNORED_TOP}
    out["articles"] = [
        {k: v for k, v in a.items() if k not in IGNORED_ARTICLE} for a in report["articles"]
    ]
    return out


def differences(a: Any, b: Any, at: str = "$", limit: int = 10) -> list[str]:
    """The paths at which ``a`` and ``b`` differ (at most ``limit``)."""
    out: list[str] = []
    if type(a) is not type(b):
        return [f"{at}: {type(a).__name__} != {type(b).__name__}"]
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if len(out) >= limit:
                break
            if k not in a or k not in b:
                out.append(f"{at}.{k}: only in {'B' if k not in a else 'A'}")
            elif a[k] != b[k]:
                out += differences(a[k], b[k], f"{at}.{k}", limit - len(out))
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{at}: {len(a)} items != {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if len(out) >= limit:
                break
            if x != y:
                out += differences(x, y, f"{at}[{i}]", limit - len(out))
    elif a != b:
        out.append(f"{at}: {str(a)[:80]!r} != {str(b)[:80]!r}")
    return out


def compare(dir_a: Path, dir_b: Path) -> int:
    """0 when every report has an equal twin; 1 otherwise (what differs is printed)."""
    names_a = {p.name for p in dir_a.glob("*.json")}
    names_b = {p.name for p in dir_b.glob("*.json")}
    bad = 0
    for name in sorted(names_a ^ names_b):
        print(f"DIFFER {name}: only in {dir_a if name in names_a else dir_b}")
        bad += 1
    for name in sorted(names_a & names_b):
        raw_a, raw_b = (dir_a / name).read_bytes(), (dir_b / name).read_bytes()
        if raw_a == raw_b:
            print(f"same   {name} (byte-identical)")
            continue
        diff = differences(comparable(json.loads(raw_a)), comparable(json.loads(raw_b)))
        if not diff:
            print(f"same   {name} (equal but for generated_by / article source)")
            continue
        bad += 1
        print(f"DIFFER {name}:")
        for line in diff:
            print(f"    {line}")
    if not names_a | names_b:
        print("no reports found")
        return 1
    n = len(names_a | names_b)
    print(f"{n - bad} of {n} reports the same" if bad else f"all {n} reports the same")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("directory", nargs="?", type=Path, help="write the reports here")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("DIR_A", "DIR_B"))
    ap.add_argument("--clusters", type=Path, default=DEFAULT_CLUSTERS)
    ap.add_argument("--cache", action="store_true", help="use the embedding/NLI result cache")
    args = ap.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.directory is None:
        ap.error("name a directory to write into, or --compare DIR_A DIR_B")
    if not args.clusters.is_dir():
        ap.error(f"no development clusters at {args.clusters}")
    return 1 if write_reports(args.directory, args.clusters, args.cache) else 0


if __name__ == "__main__":
    sys.exit(main())
