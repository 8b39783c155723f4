"""Every ``reactor-gen`` subcommand from a plain install: a fresh venv, ``pip install
<checkout>`` (no extras, nothing else), then build, list, pull, diff, publish and update
run as a user runs them. None may stop on a missing package or print a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.server import LONGLIVE_SIM_DIR, runtime_python

from lifecycle.conftest import REPO_ROOT, copy_layout
from lifecycle.pypi import PyPIServer
from lifecycle.test_publish_update import bump_schema

MODEL = "longlive-v2"


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``reactor-gen`` script of a fresh venv holding only ``pip install <checkout>``."""
    base = tmp_path_factory.mktemp("plain")
    # a copy of the project itself (no venvs, no generated/): what a user's checkout holds
    source = base / "src"
    shutil.copytree(
        REPO_ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "generated", "runtime", "tests", "bench", "__pycache__",
            "*.egg-info", "build", "dist", ".mypy_cache", ".pytest_cache", ".ci-work",
        ),
    )
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(source)],
        capture_output=True, text=True, timeout=1200, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # nothing but the declared dependencies: the dev extras are really absent
    probe = subprocess.run(
        [str(python), "-c", "import importlib.util as u; print(u.find_spec('pytest') is None)"],
        capture_output=True, text=True, check=True,
    )
    assert probe.stdout.strip() == "True"
    return venv / "bin" / "reactor-gen"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PyPIServer]:
    with PyPIServer(tmp_path_factory.mktemp("plain-pypi") / "packages") as server:
        yield server


def run(script: Path, *args: str, cwd: Path, code: int = 0) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["PATH"] = f"{script.parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [str(script), *args], cwd=cwd, capture_output=True, text=True, timeout=900, env=env,
        check=False,
    )
    shown = f"reactor-gen {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert "not installed" not in result.stderr and "No module named" not in result.stderr, shown
    assert result.returncode == code, shown
    return result


def test_every_subcommand_runs_from_a_plain_install(
    plain: Path, index: PyPIServer, tmp_path: Path
) -> None:
    layout = copy_layout(tmp_path / "repo", (MODEL,), runtime=True)
    root = layout.root
    assert "reactor-gen 0." in run(plain, "--version", cwd=root).stdout
    # build, list, build --check
    assert "written" in run(plain, "build", MODEL, cwd=root).stdout
    assert "current" in run(plain, "list", cwd=root).stdout
    run(plain, "build", "--all", "--check", cwd=root)
    # pull (renders the simulator's schema with the server venv's reactor-runtime)
    pulled = run(
        plain, "pull", MODEL, "--model-dir", str(LONGLIVE_SIM_DIR),
        "--runtime-python", str(runtime_python()), cwd=root,
    )
    assert MODEL in pulled.stdout
    # diff, Python API check included (griffe): one removed command is breaking
    old = layout.schema_path(MODEL)
    doc = json.loads(old.read_text())
    del doc["paths"]["/events/resume"]
    new = tmp_path / "new.json"
    new.write_text(json.dumps(doc))
    diffed = run(plain, "diff", str(old), str(new), cwd=root, code=1)
    assert "command resume" in diffed.stdout and "1 breaking" in diffed.stdout
    # publish (build + twine check + upload), then update against the same index
    published = run(
        plain, "publish", MODEL, "--repository-url", index.url, "--no-runtime", cwd=root
    )
    assert "uploaded" in published.stdout
    bump_schema(layout, "v3.1.0", add_command=True)
    planned = run(plain, "update", MODEL, "--repository-url", index.url, "--dry-run", cwd=root)
    assert "would publish" in planned.stdout
