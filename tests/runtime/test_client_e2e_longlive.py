"""End to end: ReactorClient against the REAL reactor-runtime 3.10.0 serving the LongliveV2 simulator."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from harness.colors import decode_frame

from reactor_client import (
    CommandFailedError,
    DisconnectedError,
    InvalidCommandError,
    Message,
    MessageTooLargeError,
    ReactorClient,
    ReactorError,
    ReconnectPolicy,
    Status,
    TrackSpec,
)

from _e2e_helpers import measure_fps

MODEL = "longlive-v2"
TRACKS = [TrackSpec("main_video", "video", "recvonly")]


@pytest.fixture(params=["v1", "v0"])
def codec(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make_client(server: Any, **kw: Any) -> ReactorClient:
    kw.setdefault("codec", "v1")
    return ReactorClient(MODEL, local=True, url=server.url, tracks=TRACKS, **kw)


async def test_connect_ready_frames_and_disconnect(longlive_server: Any, codec: str) -> None:
    client = make_client(longlive_server, codec=codec)
    statuses: list[Status] = []
    client.on_status(statuses.append)
    await client.connect()
    try:
        assert client.status == Status.READY and client.codec == codec
        assert statuses == [Status.CONNECTING, Status.WAITING, Status.READY]
        # the runtime's own id of the session (its log's), not the fixed id of its routes
        assert client.session_id not in (None, "00000000-0000-0000-0000-000000000000")
        assert f"session_id={client.session_id}" in longlive_server.log_text()
        assert client.connection_id is not None and 1000 < client.connection_id <= 9999
        assert client.max_message_size == 262144
        assert longlive_server.health()["state"] in ("serving", "waiting")
        fps = await measure_fps(client, "main_video", frames=24)
        assert 16 <= fps <= 32, fps
        frame = await client.output_track("main_video").next_frame(timeout=5)
        assert frame.width == 64 and frame.height == 64
        it = client.output_track("main_video").frames()
        msgs = client.messages()
    finally:
        await client.disconnect()
    assert client.status == Status.DISCONNECTED and statuses[-1] == Status.DISCONNECTED
    # iterators end once the client is gone for good
    await asyncio.wait_for(_drain(it), 5)
    await asyncio.wait_for(_drain(msgs), 5)
    # we started the session, so disconnect stopped it
    deadline = time.monotonic() + 5
    while longlive_server.health()["state"] != "available" and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert longlive_server.health()["state"] == "available"


async def _drain(it: Any) -> int:
    n = 0
    async for _ in it:
        n += 1
    return n


async def _cmd(client: ReactorClient, name: str, data: dict[str, Any] | None, expect: str, pred: Any = None) -> Message:
    """Send a command and wait for the message it should produce (works for v0 and v1)."""
    waiter = asyncio.ensure_future(client.wait_for_message(expect, pred, timeout=8))
    await asyncio.sleep(0)
    reply = await client.send_command(name, data)
    assert reply is None  # LongliveV2 handlers reply with a bodyless ack (v1) / nothing (v0)
    return await waiter


async def test_every_command_and_its_messages(longlive_server: Any, codec: str) -> None:
    client = make_client(longlive_server, codec=codec)
    seen: list[str] = []
    client.on_message(lambda m: seen.append(m.type))
    await client.connect()
    try:
        st = await _cmd(client, "set_seed", {"seed": 7}, "state", lambda m: m.data["seed"] == 7)
        assert st.data["seed"] == 7.0 and st.data["running"] is False
        shot = await _cmd(client, "set_shot", {"prompt": "a red fox"}, "shot_set")
        assert shot.data == {"prompt": "a red fox"}
        await _cmd(client, "schedule_shot", {"prompt": "a blue bird", "at_session_chunk": 2}, "shot_scheduled")
        await _cmd(client, "schedule_scene_cut", {"prompt": "night", "at_session_chunk": 4}, "scene_cut_scheduled")
        started = await _cmd(client, "start", None, "generation_started")
        assert started.data["prompt"] == "a red fox" and started.data["chunk_num"] == 40.0
        chunk = await client.wait_for_message("chunk_complete", timeout=5)
        assert chunk.data["session_chunk"] == 0.0 and chunk.data["active_prompt"] == "a red fox"
        # frames now carry the generation colour code
        decoded = None
        async for frame in client.output_track("main_video").frames():
            decoded = decode_frame(frame.to_ndarray(format="rgb24"))
            if decoded is not None:
                break
        assert decoded is not None
        cut = await client.wait_for_message("scene_cut", timeout=8)
        assert cut.data == {"prompt": "night", "at_session_chunk": 4.0}
        await _cmd(client, "scene_cut", {"prompt": "dawn"}, "scene_cut", lambda m: m.data["prompt"] == "dawn")
        await _cmd(client, "set_shot", {"prompt": "soft change"}, "shot_set")
        paused = await _cmd(client, "pause", None, "generation_paused")
        assert "chunk_index" in paused.data
        await _cmd(client, "resume", None, "generation_resumed")
        after_reset = asyncio.ensure_future(client.wait_for_message("state", lambda m: not m.data["started"], timeout=8))
        reset = await _cmd(client, "reset", None, "generation_reset")
        assert reset.data == {"reason": "reset requested by client"}
        st = await after_reset
        assert st.data["seed"] == 7.0
        for expected in ("state", "shot_set", "shot_scheduled", "scene_cut_scheduled", "generation_started",
                         "chunk_complete", "scene_cut", "generation_paused", "generation_resumed", "generation_reset"):
            assert expected in seen, expected
    finally:
        await client.disconnect()


async def test_errors_v1_typed(longlive_server: Any) -> None:
    client = make_client(longlive_server, codec="v1")
    await client.connect()
    try:
        broadcast = asyncio.ensure_future(client.wait_for_message("command_error", timeout=5))
        await asyncio.sleep(0)
        with pytest.raises(CommandFailedError) as info:
            await client.send_command("start")
        assert info.value.code == "no_shot" and info.value.command == "start"
        assert (await broadcast).data["command"] == "start"
        with pytest.raises(InvalidCommandError) as bad:
            await client.send_command("no_such_command", {})
        assert bad.value.code == "invalid_command"
        with pytest.raises(InvalidCommandError, match="seed"):
            await client.send_command("set_seed", {"seed": -1})
        with pytest.raises(MessageTooLargeError):
            await client.send_command("set_shot", {"prompt": "x" * 300_000})
        # the connection is still fine afterwards
        assert await client.send_command("set_seed", {"seed": 3}) is None
        schema = await client.request_schema()  # GET /schema locally
        assert "/events/set_shot" in schema["paths"]
        channel_schema = await client.transfers.schema_over_channel(5)
        assert channel_schema["info"]["title"] == schema["info"]["title"]
    finally:
        await client.disconnect()


async def test_errors_v0_best_effort(longlive_server: Any) -> None:
    client = make_client(longlive_server, codec="v0")
    await client.connect()
    try:
        assert await client.send_command("no_such_command", {}) is None  # v0 has no error replies
        waiter = asyncio.ensure_future(client.wait_for_message("command_error", timeout=5))
        await asyncio.sleep(0)
        assert await client.send_command("start") is None
        assert (await waiter).data == {"reason": "no opening shot set; call set_shot first", "command": "start"}
        with pytest.raises(MessageTooLargeError):
            await client.send_command("set_shot", {"prompt": "y" * 300_000})
        schema = await client.transfers.schema_over_channel(5)  # requestSchema → modelSchema
        assert "/events/start" in schema["paths"]
    finally:
        await client.disconnect()


async def test_auto_codec_negotiates_v1(longlive_server: Any) -> None:
    client = make_client(longlive_server, codec="auto")
    await client.connect()
    try:
        assert client.codec == "v1"
        with pytest.raises(CommandFailedError):
            await client.send_command("pause")
    finally:
        await client.disconnect()


async def test_reconnect_restores_frames(longlive_server: Any, codec: str) -> None:
    client = make_client(longlive_server, codec=codec)
    await client.connect()
    try:
        cid = client.connection_id
        await client.output_track("main_video").next_frame(timeout=5)
        before = client.output_track("main_video").frames_received
        statuses: list[Status] = []
        client.on_status(statuses.append)
        await client.reconnect()
        assert client.status == Status.READY and client.connection_id == cid
        assert statuses[-1] == Status.READY and Status.DISCONNECTED in statuses
        await client.output_track("main_video").next_frame(timeout=5)
        fps = await measure_fps(client, "main_video", frames=12)
        assert fps > 12
        assert client.output_track("main_video").frames_received > before
        await _cmd(client, "set_seed", {"seed": 9}, "state", lambda m: m.data["seed"] == 9)
    finally:
        await client.disconnect()


async def test_auto_reconnect_after_transport_loss(longlive_server: Any) -> None:
    client = make_client(longlive_server, codec="v1", reconnect=ReconnectPolicy(initial_delay=0.1, max_delay=0.5))
    errors: list[ReactorError] = []
    client.on_error(errors.append)
    await client.connect()
    try:
        await client.output_track("main_video").next_frame(timeout=5)
        pending = asyncio.ensure_future(client.send_command("set_seed", {"seed": 5}, timeout=30))
        assert client.connection is not None
        await client.connection.transport.pc.close()  # type: ignore[attr-defined]  # the transport dies under us
        try:
            await asyncio.wait_for(pending, 3)
        except DisconnectedError:
            pass  # lost before the reply made it: failed promptly, as required
        deadline = time.monotonic() + 15
        # first the loss is reported (the reply may have beaten the close), then READY again
        while not any(isinstance(e, DisconnectedError) for e in errors) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        while client.status != Status.READY and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert client.status == Status.READY
        assert any(isinstance(e, DisconnectedError) for e in errors)
        await client.output_track("main_video").next_frame(timeout=5)
        assert await client.send_command("set_seed", {"seed": 6}) is None
    finally:
        await client.disconnect()


async def test_server_killed_mid_stream(runtime_server_factory: Any) -> None:
    server = runtime_server_factory()
    client = make_client(server, codec="v1")
    statuses: list[Status] = []
    client.on_status(statuses.append)
    await client.connect()
    frames = client.output_track("main_video").frames()
    await asyncio.wait_for(frames.__anext__(), 5)
    server.kill()
    killed = time.monotonic()
    with pytest.raises(DisconnectedError):
        await client.send_command("set_seed", {"seed": 1}, timeout=60)
    assert time.monotonic() - killed < 10
    deadline = time.monotonic() + 5
    while client.status != Status.DISCONNECTED and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert client.status == Status.DISCONNECTED
    with pytest.raises(DisconnectedError):  # a lost transport is never a normal end
        await asyncio.wait_for(_drain(frames), 5)
    assert time.monotonic() - killed < 10
    await client.disconnect()  # idempotent; the dead server's stop_session fails quietly
