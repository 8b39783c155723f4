"""The main snippets of a generated README run, unchanged but for the runtime's URL, against the
feature model on the REAL runtime (tests/generator/test_generated_readme.py checks that every
snippet of every README compiles and names real members)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import av
import pytest
from harness.server import REPO_ROOT

pytestmark = pytest.mark.runtime

README = REPO_ROOT / "generated" / "feature-model" / "README.md"
SECTION = re.compile(r"^#{2,3} (?P<title>.+?)\n(?P<body>.*?)(?=^#{2,3} |\Z)", re.S | re.M)
FENCE = re.compile(r"```python\n(.*?)```", re.S)


def snippets(title: str) -> list[str]:
    """The Python snippets of the README section headed ``title``."""
    for match in SECTION.finditer(README.read_text(encoding="utf-8")):
        if match["title"].strip() == title:
            found = FENCE.findall(match["body"])
            assert found, f"section {title!r} has no python snippet"
            return found
    raise AssertionError(f"no section {title!r} in {README}")


def run(code: str, url: str, cwd: Path) -> str:
    assert "local=True" in code
    code = code.replace("local=True", f"local=True, url={url!r}")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"snippet failed:\n{code}\n--- stderr ---\n{done.stderr}"
    return done.stdout


def test_connect_local_snippet(feature_server: Any, tmp_path: Path) -> None:
    (code,) = snippets("Local runtime")
    assert run(code, feature_server.url, tmp_path).splitlines() == ["ready"]


def test_blocking_snippet(feature_server: Any, tmp_path: Path) -> None:
    (code,) = snippets("Blocking (scripts and notebooks)")
    out = run(code, feature_server.url, tmp_path)
    assert out.splitlines() == ["ready", "64 48"]
    assert (tmp_path / "frame.png").read_bytes()[:4] == b"\x89PNG"
    with av.open(str(tmp_path / "clip.mp4")) as container:
        assert sum(1 for _ in container.decode(video=0)) >= 20


def test_recording_snippet(feature_server: Any, tmp_path: Path) -> None:
    (code,) = snippets("Recording, clips and stats")
    program = (
        "import asyncio\n"
        "from reactor_models.feature_model import FeatureModel\n\n"
        "async def main() -> None:\n"
        "    async with FeatureModel(local=True) as model:\n"
        f"{textwrap.indent(code, ' ' * 8)}\n"
        "asyncio.run(main())\n"
    )
    fps = float(run(program, feature_server.url, tmp_path).strip())
    assert fps > 0
    for name in ("out.mp4", "out.webm", "clip.mp4"):
        assert (tmp_path / name).stat().st_size > 0, name
