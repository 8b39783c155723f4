"""ruff over the hand-written code -- the generator, the runtime core and the examples (config:
the root pyproject.toml) -- and F401 (unused imports) over every generated package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


HAND_WRITTEN = ("generator", "runtime/reactor_client", "examples")


def test_hand_written_code_passes_ruff_check() -> None:
    result = ruff("check", "--no-cache", *HAND_WRITTEN)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hand_written_code_is_ruff_formatted() -> None:
    result = ruff("format", "--check", "--no-cache", *HAND_WRITTEN)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_config_is_the_root_pyproject() -> None:
    """The checks above really run the project's rule set (not ruff's defaults)."""
    result = ruff("check", "--show-settings", "generator/reactor_gen/cli.py")
    assert result.returncode == 0, result.stderr
    assert "line_length = 100" in result.stdout
    assert "pyupgrade" in result.stdout or "UP" in result.stdout


@pytest.mark.parametrize(
    "package", sorted(p.name for p in (REPO_ROOT / "generated").iterdir() if p.is_dir())
)
def test_generated_package_has_no_unused_imports(package: str) -> None:
    result = ruff(
        "check", "--isolated", "--no-cache", "--select", "F401", f"generated/{package}"
    )
    assert result.returncode == 0, result.stdout + result.stderr
