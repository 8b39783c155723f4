"""Whole sessions on the in-memory transport (``reactor_client.transport.memory``): the real
client above the transport seam — signaling order, codec negotiation, correlation, dispatch,
tracks, loss and reconnect — with no network and no runtime process."""

from __future__ import annotations

import asyncio
import fractions
from typing import Any

import av
import numpy as np
import pytest

from reactor_client import (
    DisconnectedError,
    InvalidStateError,
    Message,
    ReactorClient,
    ReconnectPolicy,
    SessionEndedError,
    Status,
    TrackSpec,
)
from reactor_client.transport import resolve_transport
from reactor_client.transport.memory import CommandError, MemoryRuntime

VIDEO = TrackSpec("main_video", "video", "recvonly")
WEBCAM = TrackSpec("webcam", "video", "sendonly")


def frame(pts: int, value: int) -> av.VideoFrame:
    f = av.VideoFrame.from_ndarray(np.full((32, 48, 3), value, np.uint8), format="rgb24")
    f.pts, f.time_base = pts, fractions.Fraction(1, 90000)
    return f


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


@pytest.mark.parametrize("codec", ["v0", "v1"])
async def test_commands_messages_and_frames_on_both_codecs(codec: str) -> None:
    runtime = MemoryRuntime("demo", tracks=[VIDEO, WEBCAM])
    runtime.on_command = lambda name, data: ("echo", data) if name == "echo" else None
    client = ReactorClient("demo", transport=runtime.factory(), codec=codec)  # type: ignore[arg-type]
    assert client.transport.name == "memory"
    await client.connect()
    try:
        await settle()
        assert client.status == Status.READY and client.codec == codec and runtime.codec == codec
        assert client.session_id == runtime.session_id
        # the client resumed its output track and latched the codec with its first frame
        assert "resume_track" in [f.kind for f in runtime.received]
        reply = await client.send_command("echo", {"text": "hi"})
        if codec == "v1":
            assert reply == Message("echo", {"text": "hi"})
        else:
            assert reply is None  # v0 has no replies; the echo arrives as a broadcast
            msg = await client.wait_for_message("echo", timeout=1, include_latest=True)
            assert msg.data == {"text": "hi"}
        assert [c.name for c in runtime.commands] == ["echo"]

        frames = client.output_track("main_video").frames()
        runtime.push_frame("main_video", frame(3000, 77))
        got = await asyncio.wait_for(frames.__anext__(), 1)
        assert got.pts == 3000 and int(got.to_ndarray(format="rgb24").mean()) == 77

        await client.input_track("webcam").publish()
        assert runtime._transport is not None and runtime._transport.inputs["webcam"] is not None
    finally:
        await client.disconnect()
    assert runtime.sessions_ended == 1 and client.status == Status.DISCONNECTED


async def test_model_errors_are_typed_and_a_lost_transport_reconnects() -> None:
    runtime = MemoryRuntime("demo", tracks=[VIDEO])
    runtime.on_command = lambda name, data: CommandError("model_busy", "try later")
    statuses: list[Status] = []
    client = ReactorClient(
        "demo", transport=runtime.factory(), reconnect=ReconnectPolicy(initial_delay=0.01, max_delay=0.02)
    )
    client.on_status(statuses.append)
    await client.connect()
    from reactor_client import CommandFailedError

    with pytest.raises(CommandFailedError) as info:
        await client.send_command("start")
    assert info.value.code == "model_busy"
    first = client.connection
    runtime.lose("cable pulled")
    for _ in range(100):
        if client.status == Status.READY and client.connection is not first:
            break
        await asyncio.sleep(0.01)
    assert client.status == Status.READY and client.connection is not first
    assert runtime.connections == 2 and runtime.sessions_started == 1  # same session, new transport
    assert Status.WAITING in statuses[statuses.index(Status.READY) :]
    await client.disconnect()


async def test_loss_without_a_policy_ends_iterators_with_the_error() -> None:
    runtime = MemoryRuntime("demo", tracks=[VIDEO])
    client = ReactorClient("demo", transport=runtime.factory())
    await client.connect()
    frames = client.output_track("main_video").frames()
    messages = client.messages()
    runtime.lose("gone")
    with pytest.raises(DisconnectedError, match="gone"):
        await asyncio.wait_for(frames.__anext__(), 1)
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(messages.__anext__(), 1)
    assert client.status == Status.DISCONNECTED
    with pytest.raises(InvalidStateError):
        await client.send_command("x")


async def test_session_ended_reaches_step_and_listeners() -> None:
    runtime = MemoryRuntime("demo", tracks=[VIDEO])
    client = ReactorClient("demo", transport=runtime.factory())
    seen: list[Message] = []
    client.on_runtime_message(seen.append)
    await client.connect()
    runtime.end_session("quota reached")
    await settle()
    assert [m for m in seen if m.type != "modelSchema"] == [Message("sessionEnded", {"reason": "quota reached"})]
    with pytest.raises(SessionEndedError, match="quota reached"):
        await client.step()
    await client.disconnect()


async def test_decoding_follows_open_streams_and_stops_on_aclose() -> None:
    """A track decodes exactly while an open stream needs frames: ``aclose()`` stops it at
    once, whether or not the iterator object is still referenced."""
    runtime = MemoryRuntime("demo", tracks=[VIDEO])
    client = ReactorClient("demo", transport=runtime.factory())
    await client.connect()
    track = client.output_track("main_video")
    assert not track.wants_decoded
    stream = track.frames()
    assert track.wants_decoded
    await stream.aclose()
    assert not track.wants_decoded  # the stream is still referenced here
    runtime.push_frame("main_video", frame(0, 1))
    assert track.frames_received == 1 and track.frames_decoded == 0
    with pytest.raises(StopAsyncIteration):
        await stream.__anext__()
    await client.disconnect()


def test_transport_choice_is_checked() -> None:
    from reactor_client import ConfigurationError

    with pytest.raises(ConfigurationError, match="unknown transport 'quic'"):
        resolve_transport("quic")
    with pytest.raises(ConfigurationError, match="transport factory"):
        resolve_transport(object())  # type: ignore[arg-type]


async def test_uploads_say_why_they_cannot_run_in_memory() -> None:
    from reactor_client import ConfigurationError

    runtime = MemoryRuntime("demo")
    client = ReactorClient("demo", transport=runtime.factory())
    await client.connect()
    with pytest.raises(ConfigurationError, match="memory transport"):
        await client.upload(b"data")
    await client.disconnect()


def _unused(*_: Any) -> None: ...


async def test_scripted_steps_return_frames_and_failures() -> None:
    from reactor_client import StepRefusedError
    from reactor_client.transport.memory import StepFailure, StepOutput, StepRequest

    runtime = MemoryRuntime("demo", tracks=[VIDEO, WEBCAM], generation="stepped")
    seen: list[StepRequest] = []

    def answer(request: StepRequest) -> StepOutput | StepFailure:
        seen.append(request)
        if request.state.get("level") == -1:
            return StepFailure("refused", "level must be >= 0")
        shade = np.full((8, 12, 3), int(request.state["level"]), np.uint8)
        return StepOutput(frames={"main_video": [shade, shade]}, rate=10.0)

    runtime.on_step = answer
    async with ReactorClient("demo", transport=runtime.factory()) as client:
        assert client.generation == "stepped" and client.dc_chunking_negotiated
        webcam = np.zeros((4, 4, 3), np.uint8)
        result = await client.step({"level": 7}, [("set_mode", {"m": 1})], {"webcam": [webcam]})
        assert result.step == 1 and result.tracks == ("main_video",)
        frames = result.frames("main_video")
        assert len(frames) == 2 and frames[0].shape == (8, 12, 3) and int(frames[0].mean()) == 7
        assert result.rate("main_video") == 10.0
        assert seen[0].commands == [("set_mode", {"m": 1.0})] and seen[0].media["webcam"][0].shape == (4, 4, 3)
        with pytest.raises(StepRefusedError, match="level must be >= 0"):
            await client.step({"level": -1})
        assert (await client.step({"level": 1})).step == 2
