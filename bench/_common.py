"""Shared helpers of the benchmarks: statistics, machine facts, tables, the docs/benchmarks.md sections.

Benchmarks, not tests: nothing here asserts on a time. A bench prints its table and rewrites
its own section of ``docs/benchmarks.md`` (between ``<!-- BEGIN <name> -->`` and
``<!-- END <name> -->``), leaving every other section as it was.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DOC_PATH = REPO_ROOT / "docs" / "benchmarks.md"
OUR_VENV = REPO_ROOT / ".venv"
PEER_VENV = BENCH_DIR / ".venv-peers"
SERVER_VENV = REPO_ROOT / ".venv-server"

DOC_HEADER = """# Benchmarks

Numbers produced by the scripts in `bench/` (see `bench/README.md`). Each section is rewritten
by its own bench; the sections are independent runs. These are benchmarks, not tests: nothing
fails on a number, and the numbers come from a small shared machine, so read the ratios (both
sides measured in the same run, alternating) rather than the absolute values.
"""


# ----------------------------------------------------------------------------- statistics


def median(values: Sequence[float]) -> float:
    vals = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.median(vals) if vals else math.nan


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank on the sorted values."""
    vals = sorted(v for v in values if v is not None and not math.isnan(v))
    if not vals:
        return math.nan
    rank = max(1, math.ceil(q / 100.0 * len(vals)))
    return vals[min(rank, len(vals)) - 1]


def ratio(ours: float, theirs: float) -> float:
    if theirs is None or ours is None or math.isnan(theirs) or math.isnan(ours) or theirs == 0:
        return math.nan
    return ours / theirs


def fmt(value: float, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}"


# ----------------------------------------------------------------------------- machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _python_version(python: Path) -> str:
    if not python.exists():
        return "missing"
    try:
        out = subprocess.run(
            [str(python), "-c", "import sys; print(sys.version.split()[0])"],
            capture_output=True, text=True, timeout=30, check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def dist_versions(python: Path, dists: Sequence[str]) -> dict[str, str]:
    """Installed versions of ``dists`` in the interpreter ``python`` ("missing" when absent)."""
    code = (
        "import importlib.metadata as m, sys\n"
        "for d in sys.argv[1:]:\n"
        "    try: print(d, m.version(d))\n"
        "    except m.PackageNotFoundError: print(d, 'missing')\n"
    )
    try:
        out = subprocess.run(
            [str(python), "-c", code, *dists], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {d: "unknown" for d in dists}
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


def machine_lines(extra: Sequence[str] = ()) -> list[str]:
    """Markdown bullet lines describing the machine the bench ran on."""
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"- Machine: {os.cpu_count()} logical CPUs ({_cpu_model()}), {platform.system()} "
        f"{platform.release()}, load average at start {load} (1/5/15 min; the machine is shared)",
        f"- Python: ours `.venv` {_python_version(OUR_VENV / 'bin' / 'python')}, "
        f"peers `bench/.venv-peers` {_python_version(PEER_VENV / 'bin' / 'python')}, "
        f"bench driver {sys.version.split()[0]}",
    ]
    lines.extend(extra)
    return lines


# ----------------------------------------------------------------------------- tables


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(out)


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print the table to the terminal (rich when available, plain text otherwise)."""
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print(f"\n{title}\n{markdown_table(header, rows)}\n")
        return
    table = Table(title=title)
    for i, col in enumerate(header):
        table.add_column(col, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*row)
    Console(width=max(160, sum(len(h) + 3 for h in header))).print(table)


# ----------------------------------------------------------------------------- the doc


def update_doc_section(name: str, body: str, path: Path = DOC_PATH) -> None:
    """Replace (or append) the section between the ``name`` markers in ``docs/benchmarks.md``."""
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{body.strip()}\n{end}"
    text = path.read_text() if path.exists() else DOC_HEADER
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    if not text.endswith("\n"):
        text += "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def git_state(paths: Sequence[str]) -> str:
    """``<short sha>`` of HEAD, plus whether ``paths`` had uncommitted changes when the bench ran."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *paths], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown revision"
    where = ", ".join(f"`{p}`" for p in paths)
    return f"commit {sha}" + (f" with uncommitted changes in {where}" if dirty else f" ({where} clean)")


def run_worker(
    cmd: Sequence[str], *, timeout: float = 300, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run one measured client process; its last JSON line, or ``{"error": ...}``."""
    try:
        proc = subprocess.run(
            list(cmd), capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT, check=False, env=env
        )
    except subprocess.TimeoutExpired:
        return {"error": f"worker timed out after {timeout:g} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return {"error": f"exit {proc.returncode}: {' | '.join(tail)}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def command_line() -> str:
    """The command that ran this bench, relative to the repository root."""
    exe = Path(sys.executable)
    try:
        exe_s = str(exe.relative_to(REPO_ROOT))
    except ValueError:
        exe_s = str(exe)
    script = Path(sys.argv[0]).resolve()
    try:
        script_s = str(script.relative_to(REPO_ROOT))
    except ValueError:
        script_s = str(script)
    return " ".join([exe_s, script_s, *sys.argv[1:]])
