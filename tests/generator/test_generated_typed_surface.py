"""The generated packages' typed layer: mypy --strict on the typed-surface file, then
its runtime checks (against a fake client: pure unit tests of the typed layer)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for _d in sorted((ROOT / "generated").iterdir()):
    if (_d / "reactor_models").is_dir() and str(_d) not in sys.path:
        sys.path.insert(0, str(_d))

from typed_surface import check_longlive_v2 as surface  # noqa: E402


def run_mypy(targets: list[str], *, cwd: Path, paths: list[Path], cache: Path) -> None:
    env = dict(os.environ)
    # reactor_client has no py.typed marker yet: put its source on MYPYPATH
    env["MYPYPATH"] = os.pathsep.join(str(p) for p in [*paths, ROOT / "runtime"])
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10",
         "--cache-dir", str(cache), "--no-error-summary", *targets],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_typed_surface_mypy_strict(tmp_path: Path) -> None:
    run_mypy(
        ["typed_surface/check_longlive_v2.py"],
        cwd=HERE,
        paths=[HERE, ROOT / "generated" / "longlive-v2"],
        cache=tmp_path / "mypy",
    )


def test_constructors() -> None:
    surface.constructors()


async def test_validation_before_send() -> None:
    await surface.check_validation_before_send()


async def test_integral_floats_and_listeners() -> None:
    await surface.check_integral_floats_and_listeners()


async def test_unknown_messages() -> None:
    await surface.check_unknown_messages()


async def test_waiter() -> None:
    await surface.check_waiter()
