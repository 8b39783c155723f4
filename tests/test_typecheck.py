"""The hand-written code stays ``mypy --strict`` clean (generated packages: tests/generator)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("cwd", "args"),
    [
        (ROOT, ["generator/reactor_gen"]),  # [tool.mypy] strict = true in pyproject.toml
        (ROOT / "runtime", ["--config-file", "mypy.ini", "reactor_client"]),
        (ROOT / "examples", ["--strict", "."]),  # written against the generated packages
    ],
    ids=["reactor_gen", "reactor_client", "examples"],
)
def test_mypy_strict(cwd: Path, args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
