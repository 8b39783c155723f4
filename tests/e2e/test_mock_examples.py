"""``reactor-gen mock <model>`` (the stand-in straight from a schema) with an examples file:
values of messages, failures, the messages a command sends, messages on connect and
periodic messages; and the stand-in's /schema for every committed schema, unserved."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from harness.server import REPO_ROOT, runtime_python
from harness.stand_in import StandIn
from reactor_models import feature_model as sdk

import reactor_client
from reactor_gen.load import load_model

pytestmark = pytest.mark.runtime

EXAMPLES = {
    "messages": {"configured": {"revision": 7}, "hello": {"model": "stand-in"}},
    "commands": {
        "fail": {"error": {"code": "quota_exceeded", "message": "no more"}},
        "set_color": {
            "emits": ["color_changed"],
            "messages": {"color_changed": {"source": "reset"}},
        },
        "echo": {"messages": {"echo": {"count": 3}}},
    },
    "on_connect": ["hello"],
    "periodic": {"input_report": 0.2},
}


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    examples = tmp_path_factory.mktemp("examples") / "examples.json"
    examples.write_text(json.dumps(EXAMPLES), encoding="utf-8")
    process = StandIn(
        "feature_model",
        "--examples",
        str(examples),
        "--size",
        "64x48",
        command=[sys.executable, "-m", "reactor_gen", "mock", "feature-model"],
    )
    try:
        yield process
    finally:
        assert process.interrupt() == 0, process.text()


@pytest.fixture
async def model(stand_in: StandIn) -> AsyncIterator[Any]:
    async with sdk.FeatureModel(url=stand_in.url) as m:
        yield m


async def test_the_examples_file_shapes_what_the_stand_in_sends(model: Any) -> None:
    hello = await model.wait_for_hello(lambda m: True, timeout=5)  # sent on connect
    assert hello.model == "stand-in" and isinstance(hello.tracks, list)

    assert (await model.configure(label="x")).revision == 7
    echo = await model.echo(text="hi")
    assert (echo.text, echo.count) == ("hi", 3)  # the argument, then the command's override

    with pytest.raises(reactor_client.CommandFailedError) as info:
        await model.fail()
    assert info.value.code == "quota_exceeded" and "no more" in str(info.value)

    assert await model.set_color(red=9) is None
    changed = await model.wait_for_color_changed(lambda m: m.source == "reset", timeout=5)
    assert isinstance(changed, sdk.ColorChanged)

    reports: list[Any] = []
    model.on_input_report(reports.append)  # every 0.2 s
    await asyncio.sleep(1.2)
    assert len(reports) >= 3 and all(isinstance(r, sdk.InputReport) for r in reports)


def test_a_bad_examples_file_is_one_line(tmp_path: Path) -> None:
    examples = tmp_path / "examples.json"
    examples.write_text(json.dumps({"messages": {"configured": {"revision": "seven"}}}))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reactor_gen",
            "mock",
            "feature-model",
            "--examples",
            str(examples),
            "--python",
            str(runtime_python()),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"error: {examples}: messages.configured.revision: expected integer, got str\n"
    )


@pytest.mark.parametrize(
    "schema",
    [
        *sorted((REPO_ROOT / "schemas").glob("*.json")),
        REPO_ROOT / "tests" / "models" / "fields_model" / "fields-model.json",
        REPO_ROOT / "tests" / "models" / "stepped_model" / "stepped-model.json",
    ],
    ids=lambda p: p.stem,
)
def test_the_stand_in_serves_each_models_surface(schema: Path, tmp_path: Path) -> None:
    """What reactor-runtime renders for the stand-in (its /schema) gives the same IR as the
    model's own schema: commands with every parameter, type, constraint, default and
    description, messages, tracks, description (only ``info.version`` is the runtime's)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reactor_gen",
            "mock",
            str(schema),
            "--print-schema",
            "--python",
            str(runtime_python()),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no note: nothing of the surface was left out
    served = tmp_path / "served.json"
    served.write_text(done.stdout, encoding="utf-8")
    original = load_model(schema).ir
    assert dataclasses.replace(load_model(served).ir, version=original.version) == original
