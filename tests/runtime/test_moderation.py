"""Moderation and session-ended notices on the in-memory transport, both codecs: the typed
``ModerationEvent``, a ``terminate`` ending the session with ``ModerationError`` (pending
commands, waiters, frame and message iterators), never replaced by a new session, and the
``sessionEnded`` reason in ``SessionEndedError``. The real runtime's notices are checked in
``tests/runtime/test_moderation_e2e.py``."""

from __future__ import annotations

import asyncio
import fractions
from typing import Any

import av
import numpy as np
import pytest

from reactor_client import (
    DisconnectedError,
    Message,
    ModerationError,
    ModerationEvent,
    ReactorClient,
    ReactorError,
    ReconnectPolicy,
    SessionEndedError,
    Status,
    TrackSpec,
)
from reactor_client.transport.memory import NO_REPLY, MemoryRuntime

VIDEO = TrackSpec("main_video", "video", "recvonly")
CODECS = pytest.mark.parametrize("codec", ["v0", "v1"])


def frame(pts: int) -> av.VideoFrame:
    f = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
    f.pts, f.time_base = pts, fractions.Fraction(1, 90000)
    return f


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def connected(codec: str, **options: Any) -> tuple[MemoryRuntime, ReactorClient]:
    runtime = MemoryRuntime("demo", tracks=[VIDEO])
    client = ReactorClient("demo", transport=runtime.factory(), codec=codec, **options)
    await client.connect()
    await settle()
    return runtime, client


def test_moderation_event_parses_every_shape() -> None:
    event = ModerationEvent.from_json(
        {
            "action": "warn",
            "input_kind": "text",
            "command": "set_prompt",
            "categories": ["violence", "hate"],
            "message": "flagged",
        }
    )
    assert event == ModerationEvent("warn", "text", "set_prompt", ("violence", "hate"), "flagged")
    assert not event.terminates
    empty = ModerationEvent.from_json({"action": "terminate", "categories": None})
    assert empty == ModerationEvent("terminate") and empty.terminates
    assert ModerationError("x", event=empty).reason == ""


@CODECS
async def test_warn_is_typed_and_the_session_continues(codec: str) -> None:
    runtime, client = await connected(codec)
    events: list[ModerationEvent] = []
    raw: list[Message] = []
    client.on_moderation(events.append)
    client.on_runtime_message(raw.append)
    runtime.moderate(
        "warn", message="careful", input_kind="text", command="set_prompt", categories=["violence"]
    )
    await settle()
    assert events == [ModerationEvent("warn", "text", "set_prompt", ("violence",), "careful")]
    assert (
        Message(
            "moderation",
            {
                "action": "warn",
                "input_kind": "text",
                "command": "set_prompt",
                "categories": ["violence"],
                "message": "careful",
            },
        )
        in raw
    )  # the raw notice still reaches on_runtime_message
    assert client.status == Status.READY
    await client.send_command("anything")  # the session goes on
    await client.disconnect()


@CODECS
async def test_terminate_ends_the_session_with_moderation_error(codec: str) -> None:
    runtime, client = await connected(codec)
    runtime.on_command = lambda name, data: NO_REPLY  # pending when the verdict comes
    events: list[ModerationEvent] = []
    errors: list[ReactorError] = []
    client.on_moderation(events.append)
    client.on_error(errors.append)
    frames = client.output_track("main_video").frames()
    messages = client.messages()
    runtime.push_frame("main_video", frame(0))
    assert (await asyncio.wait_for(frames.__anext__(), 1)) is not None
    pending = asyncio.ensure_future(client.send_command("set_prompt", {"prompt": "x"}, timeout=30))
    waiter = asyncio.ensure_future(client.wait_for_message("state", timeout=30))
    await settle()
    runtime.moderate(
        "terminate",
        message="Session terminated due to policy violation.",
        input_kind="text",
        command="set_prompt",
        categories=["violence"],
    )
    await settle()
    if codec == "v1":
        with pytest.raises(ModerationError) as caught:
            await asyncio.wait_for(pending, 3)
        err = caught.value
    else:
        assert await asyncio.wait_for(pending, 1) is None  # v0 commands do not wait for replies
        with pytest.raises(ModerationError) as caught:
            await asyncio.wait_for(waiter, 3)
        err = caught.value
    assert isinstance(err, SessionEndedError) and isinstance(err, DisconnectedError)
    assert err.categories == ("violence",) and err.command == "set_prompt"
    assert err.input_kind == "text" and err.reason == "Session terminated due to policy violation."
    assert err.event == events[0] and events[0].terminates
    assert "content moderation ended the session" in str(err) and "violence" in str(err)
    with pytest.raises(ModerationError):
        await asyncio.wait_for(waiter, 3)
    with pytest.raises(ModerationError):
        await asyncio.wait_for(frames.__anext__(), 3)
    with pytest.raises(ModerationError):
        await asyncio.wait_for(messages.__anext__(), 3)
    await settle()
    assert client.status == Status.DISCONNECTED and client.session_id is None
    assert any(isinstance(e, ModerationError) for e in errors)
    # the platform ended it: the client does not stop it again, and can connect anew
    assert runtime.sessions_ended == 0
    await client.connect()
    assert client.status == Status.READY
    await client.disconnect()


@CODECS
async def test_terminate_is_never_replaced_by_a_new_session(codec: str) -> None:
    policy = ReconnectPolicy(initial_delay=0.01, on_session_ended="new_session")
    runtime, client = await connected(codec, reconnect=policy)
    errors: list[ReactorError] = []
    client.on_error(errors.append)
    frames = client.output_track("main_video").frames()
    runtime.moderate("terminate")
    runtime.lose("the runtime closed the connection")  # what follows a verdict on the wire
    with pytest.raises(ModerationError) as caught:
        await asyncio.wait_for(frames.__anext__(), 3)
    assert caught.value.categories == () and caught.value.command == ""
    await asyncio.sleep(0.1)
    assert runtime.sessions_started == 1 and runtime.connections == 1  # no reconnect or session
    assert client.status == Status.DISCONNECTED
    assert not [e for e in errors if e.code == "SESSION_RESTARTED"]


@CODECS
async def test_session_ended_reason_reaches_the_error(codec: str) -> None:
    runtime, client = await connected(codec, reconnect=ReconnectPolicy(initial_delay=0.01))
    frames = client.output_track("main_video").frames()
    runtime.end_session("Session ended: the model was updated.")
    with pytest.raises(SessionEndedError) as caught:
        await asyncio.wait_for(frames.__anext__(), 3)
    err = caught.value
    assert not isinstance(err, ModerationError)
    assert err.reason == "Session ended: the model was updated."
    assert "the model was updated" in str(err)
    await settle()
    assert client.status == Status.DISCONNECTED and runtime.connections == 1  # no reconnect tried


@CODECS
async def test_session_ended_under_new_session_policy_starts_a_new_one(codec: str) -> None:
    policy = ReconnectPolicy(initial_delay=0.01, on_session_ended="new_session")
    runtime, client = await connected(codec, reconnect=policy)
    restarted: list[ReactorError] = []
    client.on_error(lambda e: restarted.append(e) if e.code == "SESSION_RESTARTED" else None)
    first = client.session_id
    frames = client.output_track("main_video").frames()
    runtime.end_session("Session ended: the model was updated.")
    for _ in range(300):
        if restarted and client.status == Status.READY:
            break
        await asyncio.sleep(0.01)
    assert client.status == Status.READY and client.session_id != first
    assert runtime.sessions_started == 2
    assert "the model was updated" in restarted[0].message
    runtime.push_frame("main_video", frame(1))
    assert (await asyncio.wait_for(frames.__anext__(), 1)) is not None  # the iterator carries on
    await client.disconnect()


async def test_a_verdict_outranks_a_later_session_ended() -> None:
    runtime, client = await connected("v1")
    frames = client.output_track("main_video").frames()
    runtime.moderate("terminate", categories=["sexual"])
    with pytest.raises(ModerationError):
        await asyncio.wait_for(frames.__anext__(), 3)
    with pytest.raises(ModerationError):
        await client.step()


async def test_typed_and_blocking_models_offer_on_moderation() -> None:
    from reactor_client.sync import SyncModel
    from reactor_client.typed import ModelClient, UnknownMessage

    class DemoModel(ModelClient[UnknownMessage]):
        _model_name = "demo"
        _model_version = "0"
        _model_label = "Demo"
        _tracks = (VIDEO,)
        _parse_message = staticmethod(lambda m: UnknownMessage(m.type, m.data))

    class SyncDemoModel(SyncModel[DemoModel]):
        _async_class = DemoModel

    runtime = MemoryRuntime("demo", tracks=[VIDEO])
    async with DemoModel(transport=runtime.factory()) as model:
        seen: list[ModerationEvent] = []
        model.on_moderation(seen.append)
        runtime.moderate("warn", categories=["hate"])
        await settle()
        assert seen == [ModerationEvent("warn", categories=("hate",), message=seen[0].message)]

    runtime2 = MemoryRuntime("demo", tracks=[VIDEO])

    def blocking() -> list[ModerationEvent]:
        got: list[ModerationEvent] = []
        with SyncDemoModel(transport=runtime2.factory()) as sync_model:
            sync_model.on_moderation(got.append)
            sync_model.loop.call(runtime2.moderate, "warn", command="set_prompt")
            sync_model.loop.run(asyncio.sleep(0.05))
        return got

    got = await asyncio.get_running_loop().run_in_executor(None, blocking)
    assert [e.command for e in got] == ["set_prompt"]
