"""Moderation and session-ended notices on the REAL reactor-runtime 3.10.0, both codecs.

* ``tests/models/moderation_model`` sends ``warn`` and ``terminate`` notices with every field
  filled through the runtime's own notice path (its codec per connection and
  ``broadcast_response``), as the cloud platform does for a flagged moderated argument.
* ``POST /stop_session`` with ``{"moderate": true}`` is the runtime's own verdict (a
  ``terminate`` with empty ``input_kind``, ``command`` and ``categories``); with
  ``{"reason": ...}`` it sends ``sessionEnded`` with that reason.
* The generated feature-model package (async and blocking) gets the same typed events.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from harness.server import FEATURE_MODEL_DIR, MODELS_DIR, RuntimeServer

from reactor_client import (
    DisconnectedError,
    ModerationError,
    ModerationEvent,
    ReactorClient,
    ReactorError,
    ReconnectPolicy,
    SessionEndedError,
    Status,
)

pytestmark = pytest.mark.runtime
MODEL = "moderation-model"
CODECS = pytest.mark.parametrize("codec", ["v0", "v1"])
NOTICE = "Session terminated due to policy violation."


@pytest.fixture(scope="module")
def moderation_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeServer]:
    logs = tmp_path_factory.mktemp("runtime-logs", numbered=True)
    with RuntimeServer(MODELS_DIR / "moderation_model", log_dir=logs) as server:
        yield server


@pytest.fixture(scope="module")
def feature_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeServer]:
    logs = tmp_path_factory.mktemp("runtime-logs", numbered=True)
    with RuntimeServer(FEATURE_MODEL_DIR, log_dir=logs) as server:
        yield server


async def stop_session(server: RuntimeServer, body: dict[str, Any]) -> None:
    async with httpx.AsyncClient() as http:
        resp = await http.post(f"{server.url}/stop_session", json=body, timeout=10)
        assert resp.status_code == 200, resp.text


async def runtime_state(server: RuntimeServer) -> str:
    async with httpx.AsyncClient() as http:
        return str((await http.get(f"{server.url}/session", timeout=10)).json().get("state"))


async def wait_ready_again(server: RuntimeServer) -> None:
    deadline = time.monotonic() + 10
    while await runtime_state(server) != "ready":
        assert time.monotonic() < deadline, "the runtime did not close the session"
        await asyncio.sleep(0.1)


async def until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def drain(iterator: Any, timeout: float = 10.0) -> None:
    async def run() -> None:
        async for _ in iterator:
            pass

    await asyncio.wait_for(run(), timeout)


@CODECS
async def test_warn_and_terminate_from_the_model(
    codec: str, moderation_server: RuntimeServer
) -> None:
    client = ReactorClient(MODEL, url=moderation_server.url, local=True, codec=codec)  # type: ignore[arg-type]
    events: list[ModerationEvent] = []
    client.on_moderation(events.append)
    await client.connect()
    frames = client.output_track("main_video").frames()
    messages = client.messages()
    await asyncio.wait_for(frames.__anext__(), 10)

    await client.send_command("set_prompt", {"prompt": "warn:violence,hate"})
    await client.wait_for_message("prompt_set", timeout=10, include_latest=True)  # goes on
    await until(lambda: events)
    assert events == [
        ModerationEvent(
            "warn", "text", "set_prompt", ("violence", "hate"), "The prompt was flagged."
        )
    ]
    await asyncio.wait_for(frames.__anext__(), 10)
    assert client.status == Status.READY

    # v1: the command itself is pending when the verdict arrives; v0 commands do not wait
    # for replies, so a waiter is what pends there
    pending = asyncio.ensure_future(
        client.send_command("set_prompt", {"prompt": "terminate:sexual"}, timeout=30)
        if codec == "v1"
        else client.wait_for_message(
            "prompt_set", lambda m: "terminate" in m.data["prompt"], timeout=30
        )
    )
    if codec == "v0":
        await client.send_command("set_prompt", {"prompt": "terminate:sexual"})
    with pytest.raises(ModerationError) as caught:
        await asyncio.wait_for(pending, 10)
    err = caught.value
    assert isinstance(err, SessionEndedError) and isinstance(err, DisconnectedError)
    assert (
        err.categories == ("sexual",) and err.command == "set_prompt" and err.input_kind == "text"
    )
    assert err.reason == NOTICE and err.event == events[-1]
    assert events[-1] == ModerationEvent("terminate", "text", "set_prompt", ("sexual",), NOTICE)
    with pytest.raises(ModerationError):
        await drain(frames)
    with pytest.raises(ModerationError):
        await drain(messages)
    assert client.status == Status.DISCONNECTED and client.session_id is None
    await wait_ready_again(moderation_server)
    # the same client connects to a new session afterwards
    await client.connect()
    await client.output_track("main_video").next_frame(timeout=10)
    await client.disconnect()


@CODECS
async def test_stop_session_moderate_is_never_replaced(
    codec: str, moderation_server: RuntimeServer
) -> None:
    policy = ReconnectPolicy(initial_delay=0.1, on_session_ended="new_session")
    client = ReactorClient(
        MODEL,
        url=moderation_server.url,
        local=True,
        codec=codec,
        reconnect=policy,  # type: ignore[arg-type]
    )
    events: list[ModerationEvent] = []
    errors: list[ReactorError] = []
    client.on_moderation(events.append)
    client.on_error(errors.append)
    await client.connect()
    frames = client.output_track("main_video").frames()
    await asyncio.wait_for(frames.__anext__(), 10)
    pending = asyncio.ensure_future(client.wait_for_message("prompt_set", timeout=30))
    await stop_session(moderation_server, {"moderate": True})
    with pytest.raises(ModerationError) as caught:
        await drain(frames)
    # what reactor-runtime 3.10 sends: a terminate it cannot attribute
    assert events == [ModerationEvent("terminate", message=NOTICE)]
    assert caught.value.categories == () and caught.value.command == ""
    with pytest.raises(ModerationError):
        await asyncio.wait_for(pending, 5)
    await asyncio.sleep(1.5)  # time enough for a reconnect or a new session, were one tried
    assert client.status == Status.DISCONNECTED and client.session_id is None
    assert await runtime_state(moderation_server) == "ready"  # nobody started a new session
    assert not [e for e in errors if e.code == "SESSION_RESTARTED"]
    await client.disconnect()


@CODECS
async def test_session_ended_reason_reaches_the_error(
    codec: str, moderation_server: RuntimeServer
) -> None:
    client = ReactorClient(MODEL, url=moderation_server.url, local=True, codec=codec)  # type: ignore[arg-type]
    await client.connect()
    frames = client.output_track("main_video").frames()
    await asyncio.wait_for(frames.__anext__(), 10)
    pending = asyncio.ensure_future(client.wait_for_message("prompt_set", timeout=30))
    await stop_session(moderation_server, {"reason": "Session ended: maintenance."})
    with pytest.raises(SessionEndedError) as caught:
        await drain(frames)
    err = caught.value
    assert not isinstance(err, ModerationError)
    assert err.reason == "Session ended: maintenance." and "maintenance" in str(err)
    with pytest.raises(SessionEndedError, match="maintenance"):
        await asyncio.wait_for(pending, 5)
    assert client.status == Status.DISCONNECTED
    await wait_ready_again(moderation_server)
    await client.disconnect()


async def test_session_ended_under_new_session_policy_carries_on(
    moderation_server: RuntimeServer,
) -> None:
    policy = ReconnectPolicy(initial_delay=0.2, on_session_ended="new_session")
    client = ReactorClient(MODEL, url=moderation_server.url, local=True, reconnect=policy)
    restarted: asyncio.Future[ReactorError] = asyncio.get_running_loop().create_future()
    client.on_error(
        lambda e: e.code == "SESSION_RESTARTED" and not restarted.done() and restarted.set_result(e)
    )
    await client.connect()
    frames = client.output_track("main_video").frames()
    await asyncio.wait_for(frames.__anext__(), 10)
    await stop_session(moderation_server, {"reason": "Session ended: the model was updated."})
    notice = await asyncio.wait_for(restarted, 30)
    assert "the model was updated" in str(notice) and "state was lost" in str(notice)
    assert client.status == Status.READY
    await asyncio.wait_for(frames.__anext__(), 10)  # the same iterator carries on
    await client.disconnect()


async def test_generated_models_type_the_notice(feature_runtime: RuntimeServer) -> None:
    from reactor_models.feature_model import FeatureModel
    from reactor_models.feature_model.sync import FeatureModel as SyncFeatureModel

    async with FeatureModel(url=feature_runtime.url, local=True) as model:
        events: list[ModerationEvent] = []
        model.on_moderation(events.append)
        frames = model.main_video.frames()
        await asyncio.wait_for(frames.__anext__(), 10)
        await stop_session(feature_runtime, {"moderate": True})
        with pytest.raises(ModerationError):
            await drain(frames)
        assert events == [ModerationEvent("terminate", message=NOTICE)]
        with pytest.raises(ModerationError):
            await model.echo(text="after the verdict")  # not connected: the verdict says why
    await wait_ready_again(feature_runtime)

    def blocking() -> tuple[list[ModerationEvent], BaseException | None]:
        got: list[ModerationEvent] = []
        with SyncFeatureModel(url=feature_runtime.url, local=True) as sync_model:
            sync_model.on_moderation(got.append)
            frames = sync_model.main_video.frames()
            next(frames)
            stop = asyncio.run_coroutine_threadsafe(
                stop_session(feature_runtime, {"moderate": True}), sync_model.loop.loop
            )
            stop.result(10)
            try:
                for _ in frames:
                    pass
            except ModerationError as exc:
                return got, exc
        return got, None

    got, raised = await asyncio.get_running_loop().run_in_executor(None, blocking)
    assert got == [ModerationEvent("terminate", message=NOTICE)]
    assert isinstance(raised, ModerationError)
