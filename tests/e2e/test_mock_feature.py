"""The feature model's stand-in (``python -m reactor_models.feature_model mock``), served on the
REAL reactor-runtime, driven by the generated SDK: every command, typed replies, the runtime's
own validation, frames from both output tracks, and an input track published.

The command runs as a user runs it: in the dev venv (no reactor-runtime there), serving from
the server venv (``REACTOR_RUNTIME_PYTHON``), on a free port read from its first line, stopped
with Ctrl-C (exit 0). The stand-in knows nothing of the feature model's code: only the package's
``_surface.json`` (its one surface description).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
import pytest
from harness.server import REPO_ROOT
from harness.stand_in import StandIn
from reactor_models import feature_model as sdk

import reactor_client
from reactor_client.apps.mock.pattern import IDLE_COLOR, command_color, command_tone
from reactor_gen.load import load_model

pytestmark = pytest.mark.runtime

WIDTH, HEIGHT = 160, 120


@pytest.fixture(scope="module")
def stand_in() -> Iterator[StandIn]:
    process = StandIn("feature_model", "--size", f"{WIDTH}x{HEIGHT}", "--fps", "20")
    try:
        yield process
    finally:
        assert process.interrupt() == 0, process.text()


@pytest.fixture
async def model(stand_in: StandIn) -> AsyncIterator[Any]:
    async with sdk.FeatureModel(url=stand_in.url) as m:
        yield m


def corner(frame: av.VideoFrame) -> tuple[int, ...]:
    """Mean colour of the top-left corner, where the pattern draws nothing."""
    rgb = frame.to_ndarray(format="rgb24")
    h, w = rgb.shape[0] // 8, rgb.shape[1] // 8
    return tuple(int(v) for v in rgb[1 : h - 1, 1 : w - 1].reshape(-1, 3).mean(axis=0))


def near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 16) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


async def frame_where(track: Any, accept: Any, timeout: float = 10.0) -> av.VideoFrame:
    """The first frame of ``track`` for which ``accept(frame)`` holds."""

    async def first() -> av.VideoFrame:
        async for frame in track.frames():
            if accept(frame):
                return frame
        raise AssertionError("the track ended")

    return await asyncio.wait_for(first(), timeout)


def test_the_served_schema_is_the_models(stand_in: StandIn, tmp_path: Path) -> None:
    """The vendor-facing surface: reactor-runtime's own /schema of the stand-in has the feature
    model's commands (parameters, types, constraints, defaults), messages and tracks."""
    served = tmp_path / "served.json"
    served.write_bytes(httpx.get(f"{stand_in.url}/schema", timeout=10).content)
    original = load_model(REPO_ROOT / "schemas" / "feature-model.json").ir
    ir = load_model(served).ir
    assert ir.commands == original.commands
    assert ir.messages == original.messages
    assert ir.tracks == original.tracks
    assert (ir.title, ir.description, ir.layout) == (original.title, original.description, "3.x")


async def test_every_command_answers_with_its_typed_reply(model: Any, stand_in: StandIn) -> None:
    configured = await model.configure(label="studio", mode="quality", tags=["a"])
    assert isinstance(configured, sdk.Configured)
    # fields named like the arguments take the values sent, the rest are schema-valid examples
    assert (configured.label, configured.mode, configured.tags) == ("studio", "quality", ["a"])
    assert configured.strength == 0.5 and configured.steps == 4

    echo = await model.echo(text="hello", repeat=3)
    assert isinstance(echo, sdk.Echo) and echo.text == "hello" and isinstance(echo.count, int)

    info = await model.inspect_file(file=b"\x89PNG not really" * 10, note="from a test")
    assert isinstance(info, sdk.FileInfo) and info.note == "from a test"

    report = await model.report_input()
    assert isinstance(report, sdk.InputReport)

    # the stand-in cannot know that `fail` fails or `crash` crashes: they are accepted
    assert await model.fail(code="quota_exceeded") is None
    assert await model.crash() is None
    assert await model.set_color(red=1, green=2, blue=3) is None

    for line in (
        "configure(",
        "echo(repeat=3, text='hello')",
        "inspect_file(file={",
        "report_input()",
        "fail(code='quota_exceeded'",
        "crash()",
        "set_color(blue=3, green=2, red=1)",
    ):
        stand_in.wait_for_line(line)


async def test_the_runtime_validates_commands_as_the_schema_says(model: Any) -> None:
    """Sent raw (the SDK would refuse them first): reactor-runtime refuses them itself."""
    cases = {
        "echo": ({"text": "x", "repeat": 99}, "le(10)"),
        "configure": ({"mode": "fast"}, "missing required argument"),
        "set_color": ({"red": "red"}, "expected integer"),
        "report_input": ({"colour": 1}, "unexpected argument"),
    }
    for name, (data, reason) in cases.items():
        with pytest.raises(reactor_client.InvalidCommandError) as info:
            await model.client.send_command(name, data)
        assert reason in str(info.value), (name, str(info.value))
    with pytest.raises(reactor_client.CommandFailedError):
        await model.client.send_command("configure", {"label": "x", "style": "baroque"})


async def test_output_tracks_show_the_last_command_and_input_is_accepted(model: Any) -> None:
    first = await model.main_video.next_frame(timeout=10)
    assert (first.width, first.height) == (WIDTH, HEIGHT)

    await model.set_color(red=255)
    expected = command_color("set_color")
    assert expected != IDLE_COLOR
    await frame_where(model.main_video, lambda f: near(corner(f), expected))

    # the audio track plays the command's tone
    samples: list[np.ndarray] = []

    async def listen() -> None:
        async for frame in model.main_audio.frames():
            pcm = frame.to_ndarray()
            channels = len(frame.layout.channels)
            samples.append(pcm.reshape(-1)[::channels] if frame.format.is_packed else pcm[0])
            if sum(len(s) for s in samples) >= 48_000:
                return

    await asyncio.wait_for(listen(), 10)
    tail = np.concatenate(samples)[-24_000:].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(tail * np.hanning(len(tail))))
    peak = float(np.argmax(spectrum)) * 48_000 / len(tail)
    assert abs(peak - command_tone("set_color")) < 5, (peak, command_tone("set_color"))

    # an input track: what the app publishes shows as a picture-in-picture, bottom right
    await model.publish_webcam()
    magenta = np.zeros((48, 64, 3), np.uint8)
    magenta[:] = (255, 0, 255)

    def inset(frame: av.VideoFrame) -> bool:
        rgb = frame.to_ndarray(format="rgb24")
        return near(
            tuple(int(v) for v in rgb[HEIGHT * 3 // 4 - 4, WIDTH * 7 // 8]), (255, 0, 255), 40
        )

    async def push() -> None:
        while True:
            model.webcam.push_frame(magenta)
            await asyncio.sleep(1 / 20)

    pusher = asyncio.create_task(push())
    try:
        await frame_where(model.main_video, inset, timeout=15)
    finally:
        pusher.cancel()
    await model.unpublish_webcam()
