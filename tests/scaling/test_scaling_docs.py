"""The runnable snippets of docs/scaling.md (each marked ``<!-- test: NAME -->``) run unchanged
but for the runtime URLs, as a user runs them, against REAL runtimes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _scaling import STEPPED_DIR, stepped_sdk, wait_idle
from harness.server import FEATURE_MODEL_DIR, REPO_ROOT, RuntimeServer

pytestmark = pytest.mark.runtime

DOC = REPO_ROOT / "docs" / "scaling.md"


def snippet(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- test: {name} -->\n```python\n(.*?)```", text, re.S)
    assert match, f"no snippet marked {name!r} in {DOC}"
    return match.group(1)


def run(code: str, cwd: Path, pythonpath: str | None = None) -> str:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, f"snippet failed:\n{code}\n--- stderr ---\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def feature_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[RuntimeServer]]:
    logs = tmp_path_factory.mktemp("docs-logs")
    started = [RuntimeServer(FEATURE_MODEL_DIR, log_dir=logs).start() for _ in range(2)]
    try:
        yield started
    finally:
        for server in started:
            server.stop()


def test_batch_snippet(feature_pair: list[RuntimeServer], tmp_path: Path) -> None:
    code = snippet("batch")
    placeholder = '["http://127.0.0.1:8081", "http://127.0.0.1:8082"]'
    assert placeholder in code
    code = code.replace(placeholder, repr([s.url for s in feature_pair]))
    out = run(code, tmp_path).splitlines()
    assert out[:3] == [
        "[255,0,0] ok [255, 0, 0]",
        "[0,255,0] ok [0, 255, 0]",
        "[0,0,255] ok [0, 0, 255]",
    ]
    assert out[3].startswith("3 of 3 items ok in ")
    lines = [json.loads(x) for x in (tmp_path / "colors.jsonl").read_text().splitlines()]
    assert len(lines) == 3 and all(x["ok"] for x in lines)
    again = run(code, tmp_path).splitlines()  # resumes: everything was done
    assert again[0] == "[255,0,0] done_before [255, 0, 0]"
    assert again[3].startswith("3 of 3 items ok, 3 done before")


def test_gym_snippet(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    code = snippet("gym")
    logs = tmp_path_factory.mktemp("docs-gym-logs")
    with RuntimeServer(STEPPED_DIR, log_dir=logs) as server:
        assert 'URL = "http://127.0.0.1:8081"' in code
        code = code.replace('URL = "http://127.0.0.1:8081"', f"URL = {server.url!r}")
        sdk_dir = tmp_path_factory.mktemp("docs-stepped-sdk")
        with stepped_sdk(sdk_dir):
            out = run(code, tmp_path, pythonpath=str(sdk_dir))
        assert out.splitlines() == ["4 (48, 64, 3) (48, 64, 3)"]
        wait_idle([server])
