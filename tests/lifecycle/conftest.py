"""Fixtures for the schema-lifecycle tests.

Tests that write work on a temporary copy of the repository layout (``schemas/``,
``generated/``, ``runtime/``) so the real checkout is never modified.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reactor_gen.lifecycle.common import Layout

from lifecycle.pypi import PyPIServer

REPO_ROOT = Path(__file__).resolve().parents[2]


def copy_layout(dest: Path, models: tuple[str, ...] = (), *, runtime: bool = False) -> Layout:
    """A checkout-shaped temp dir with the given schemas (and a copy of ``runtime/``)."""
    (dest / "schemas").mkdir(parents=True, exist_ok=True)
    (dest / "generated").mkdir(exist_ok=True)
    for name in models:
        shutil.copy2(REPO_ROOT / "schemas" / f"{name}.json", dest / "schemas" / f"{name}.json")
    if runtime:
        shutil.copytree(
            REPO_ROOT / "runtime",
            dest / "runtime",
            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".mypy_cache"),
        )
    return Layout(dest)


@pytest.fixture
def tmp_layout(tmp_path: Path) -> Layout:
    """An empty checkout layout in ``tmp_path``."""
    return copy_layout(tmp_path / "repo")


@pytest.fixture(scope="module")
def pypi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PyPIServer]:
    """A real pypiserver on a loopback port, open for uploads, no pypi.org fallback."""
    with PyPIServer(tmp_path_factory.mktemp("pypi") / "packages") as server:
        yield server
