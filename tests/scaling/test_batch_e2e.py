"""reactor_client.batch against REAL reactor-runtime servers (the feature model): a pool of two
runtimes plus a URL where nothing answers, the concurrency bound and one session per runtime
at a time, a failing item retried then reported, typed errors, results complete; a 429 with
Retry-After from the cloud coordinator stand-in honoured; Ctrl-C ending every session; the
example run twice (the second run resumes from its results file)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _scaling import wait_idle
from harness.server import FEATURE_MODEL_DIR, REPO_ROOT, RuntimeServer, free_port
from reactor_models.feature_model import FeatureModel

import reactor_client
from reactor_client import ReconnectPolicy
from reactor_client.batch import ItemRetry, ItemStatus, run_batch

pytestmark = pytest.mark.runtime

EXAMPLE = REPO_ROOT / "examples" / "scaling" / "batch_colors.py"
RETRY = ItemRetry(attempts=4, backoff=ReconnectPolicy(initial_delay=0.2, max_delay=0.5))
COLORS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255), "white": (255, 255, 255)}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[RuntimeServer]]:
    started = [
        RuntimeServer(FEATURE_MODEL_DIR, log_dir=tmp_path_factory.mktemp("batch-logs")).start()
        for _ in range(2)
    ]
    try:
        yield started
    finally:
        for server in started:
            server.stop()


async def show(model: FeatureModel, rgb: tuple[int, int, int]) -> list[int]:
    """Set a colour; the centre pixel of the first frame that shows it."""
    await model.set_color(red=rgb[0], green=rgb[1], blue=rgb[2])
    frames = model.main_video.ndarrays()
    try:
        async for frame in frames:
            pixel = [int(v) for v in frame[frame.shape[0] // 2, frame.shape[1] // 2]]
            if all(abs(p - c) <= 40 for p, c in zip(pixel, rgb, strict=True)):
                return pixel
    finally:
        await frames.aclose()
    raise AssertionError("no frame showed the colour")


async def test_pool_of_runtimes_bound_retries_and_typed_errors(
    servers: list[RuntimeServer], tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    urls = [dead, *(s.url for s in servers)]
    live: dict[str, int] = {}
    peak = 0
    tries: dict[str, int] = {}

    async def work(model: FeatureModel, name: str) -> dict[str, Any]:
        nonlocal peak
        url = model.client.url
        live[url] = live.get(url, 0) + 1
        peak = max(peak, sum(live.values()))
        try:
            assert live[url] == 1, f"two sessions at once on {url}"
            tries[name] = tries.get(name, 0) + 1
            if name == "flaky" and tries[name] == 1:
                raise reactor_client.DisconnectedError("the transport went away (simulated)")
            if name == "refused":
                await model.fail(code="model_busy")
            pixel = await show(model, COLORS.get(name, (0, 255, 255)))
            return {"pixel": pixel, "url": url}
        finally:
            live[url] -= 1

    names = ["red", "green", "flaky", "refused", "blue", "white"]
    results_path = tmp_path / "results.jsonl"
    result = await run_batch(
        work,
        names,
        model=FeatureModel,
        urls=urls,
        options={"local": True},
        retry=RETRY,
        timeout=60,
        results=results_path,
        progress=False,
    )
    by_key = {r.key: r for r in result}
    assert [r.key for r in result] == names  # input order
    assert peak <= 2  # the dead URL never held a session; each runtime one at a time
    assert by_key["flaky"].status is ItemStatus.OK and tries["flaky"] == 2
    refused = by_key["refused"]
    assert refused.status is ItemStatus.FAILED and tries["refused"] == 1  # not retried
    assert isinstance(refused.error, reactor_client.CommandFailedError)
    assert refused.error.code == "model_busy"
    for name in ("red", "green", "blue", "white"):
        assert by_key[name].ok, by_key[name].error_line
        assert by_key[name].session_id
    # the dead URL failed twice (NetworkError: retried elsewhere), then was set aside
    assert sum(r.attempts for r in result) == len(names) + 1 + 2
    lines = [json.loads(line) for line in results_path.read_text().splitlines()]
    assert sorted(line["key"] for line in lines) == sorted(names)
    assert {line["key"] for line in lines if not line["ok"]} == {"refused"}
    assert next(x for x in lines if x["key"] == "refused")["error"]["code"] == "model_busy"
    wait_idle(servers)


async def test_429_retry_after_from_the_cloud_is_honoured(
    servers: list[RuntimeServer], cloud_coordinator_factory: Callable[..., Any]
) -> None:
    coordinator = cloud_coordinator_factory(servers[0], polls_before_ready=0)
    coordinator.inject(
        "POST",
        r"^/sessions$",
        429,
        body={"detail": "too many new sessions"},
        headers={"Retry-After": "1"},
    )
    result = await run_batch(
        show,
        [COLORS["red"], COLORS["blue"]],
        model=FeatureModel,
        options={"url": coordinator.url, "api_key": coordinator.api_key},
        concurrency=1,
        retry=RETRY,
        timeout=60,
        progress=False,
    )
    first, second = result
    # the client's one retry policy (reactor_client.retry) waits out the 429 inside the item's
    # first attempt: the batch runner does not stack a second retry on top of it
    assert first.ok and first.attempts == 1 and second.ok and second.attempts == 1
    creates = coordinator.requests("POST", "/sessions")
    creates = [r for r in creates if r.path == "/sessions"]
    assert [r.status for r in creates] == [429, 201, 201]
    assert creates[1].at - creates[0].at >= 1.0  # Retry-After: 1 was waited out
    assert len([r for r in coordinator.requests("DELETE") if r.status == 204]) == 2
    wait_idle(servers)


HOLD = """
    import asyncio, sys
    from reactor_models.feature_model import FeatureModel
    from reactor_client.batch import run_batch_sync

    async def hold(model, n):
        print("connected", n, model.session_id, flush=True)
        await asyncio.sleep(3600)

    try:
        run_batch_sync(hold, range(4), model=FeatureModel, urls=sys.argv[2:],
                       options={"local": True}, results=sys.argv[1], progress=False)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
"""


def test_ctrl_c_ends_every_session(servers: list[RuntimeServer], tmp_path: Path) -> None:
    script = tmp_path / "hold.py"
    script.write_text(textwrap.dedent(HOLD))
    results = tmp_path / "held.jsonl"
    proc = subprocess.Popen(
        [sys.executable, str(script), str(results), *(s.url for s in servers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        connected = [proc.stdout.readline() for _ in range(2)]
        assert all(line.startswith("connected") for line in connected), connected
        assert all(s.health().get("state") != "available" for s in servers)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, out + err
    assert "interrupted" in out
    assert "every session this run started was ended" in err
    wait_idle(servers, timeout=5)  # ended by the client, not by the runtime's orphan timeout
    assert time.monotonic() - started < 20
    assert not results.exists() or results.read_text() == ""  # nothing finished


def test_example_runs_and_resumes(servers: list[RuntimeServer], tmp_path: Path) -> None:
    results = tmp_path / "colors.jsonl"
    cmd = [sys.executable, str(EXAMPLE), "--results", str(results), "--no-progress"]
    for server in servers:
        cmd += ["--url", server.url]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stdout + first.stderr
    lines = first.stdout.splitlines()
    assert sum(": ok, pixel [" in line for line in lines) == 6
    assert lines[-1].startswith("6 of 6 items ok in ")
    assert len(results.read_text().splitlines()) == 6
    wait_idle(servers)

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.splitlines()[-1].startswith("6 of 6 items ok, 6 done before")
    assert sum(": done_before, pixel [" in line for line in again.stdout.splitlines()) == 6
