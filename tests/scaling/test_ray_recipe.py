"""The Ray recipe (examples/scaling/ray_sessions.py, docs/scaling.md) as a user runs it: a local
Ray cluster started by the example itself (head and workers on 127.0.0.1, 2 CPUs), sessions as
Ray tasks on two REAL runtimes plus a URL where nothing answers: the tasks that met it fail with
a transient error, Ray retries them, the URL is set aside, and every item's result is gathered."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _scaling import wait_idle
from harness.server import FEATURE_MODEL_DIR, REPO_ROOT, RuntimeServer, free_port

pytestmark = pytest.mark.runtime

EXAMPLE = REPO_ROOT / "examples" / "scaling" / "ray_sessions.py"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[RuntimeServer]]:
    started = [
        RuntimeServer(FEATURE_MODEL_DIR, log_dir=tmp_path_factory.mktemp("ray-logs")).start()
        for _ in range(2)
    ]
    try:
        yield started
    finally:
        for server in started:
            server.stop()


def test_ray_example_on_a_local_cluster(servers: list[RuntimeServer], tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    results = tmp_path / "ray.jsonl"
    cmd = [sys.executable, str(EXAMPLE), "--num-cpus", "2", "--results", str(results)]
    for url in (dead, *(s.url for s in servers)):
        cmd += ["--url", url]
    # Ray's sockets live under its temp dir, and an AF_UNIX path has at most 107 bytes
    ray_tmp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")
    env = {
        **os.environ,
        "RAY_USAGE_STATS_ENABLED": "0",  # no usage report leaves the machine
        "RAY_TMPDIR": ray_tmp,
    }
    started = time.monotonic()
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=150, env=env, cwd=tmp_path
        )
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)
    assert done.returncode == 0, done.stdout + done.stderr[-4000:]
    lines = done.stdout.splitlines()
    assert "6 of 6 items ok" in lines[-1]
    retried = int(lines[-1].split("; ")[1].split()[0])
    assert retried >= 1  # the tasks that met the dead URL were run again by Ray
    assert f"{dead}: set aside (no runtime answered twice in a row)" in lines
    gathered = [json.loads(line) for line in results.read_text().splitlines()]
    assert len(gathered) == 6 and all(r["ok"] for r in gathered)
    assert {r["url"] for r in gathered} == {s.url for s in servers}
    assert sum(r["tries"] for r in gathered) == 6 + 2  # the dead URL cost two tries in all
    wait_idle(servers)
    print(f"ray example: {time.monotonic() - started:.1f} s")
