"""End to end: the cloud path through the coordinator stand-in in front of a REAL runtime."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from reactor_client import (
    ReactorClient,
    SessionTerminalError,
    Status,
    UnauthorizedError,
    afetch_jwt,
    fetch_jwt,
)

MODEL = "longlive-v2"


async def test_cloud_api_key_connect_commands_frames_delete(cloud_coordinator: Any) -> None:
    coord = cloud_coordinator
    client = ReactorClient(MODEL, url=coord.url, api_key=coord.api_key, codec="v1")
    statuses: list[Status] = []
    client.on_status(statuses.append)
    await client.connect()
    try:
        sid = client.session_id
        assert sid and statuses == [Status.CONNECTING, Status.WAITING, Status.READY]
        body = coord.token_bodies[0]
        assert body["authorization_details"][0]["resources"]["models"] == {"match": [MODEL]}
        assert coord.polls(sid) >= 3  # polled through PENDING until capabilities appeared
        create = coord.requests("POST", "/sessions")[0]
        assert create.headers["authorization"].startswith("Bearer ")
        assert create.headers["reactor-api-version"] == "1"
        offer = coord.requests("POST", f"/sessions/{sid}/transport/webrtc/connections/")[0]
        assert offer.headers["reactor-webrtc-version"] == "1.0"
        await client.output_track("main_video").next_frame(timeout=5)
        assert await client.send_command("set_seed", {"seed": 4}) is None
    finally:
        await client.disconnect()
    deletes = coord.requests("DELETE", f"/sessions/{sid}")
    assert len(deletes) == 1 and deletes[0].headers["authorization"].startswith("Bearer ")


async def test_cloud_jwt_callable_adopt_and_terminal(cloud_coordinator: Any) -> None:
    coord = cloud_coordinator
    calls = 0

    def token() -> str:
        nonlocal calls
        calls += 1
        return jwt

    jwt = await afetch_jwt(coord.api_key, coord.url)
    assert coord.token_bodies[-1] is None  # unscoped token: JSON null body
    owner = ReactorClient(MODEL, url=coord.url, jwt=token, codec="v0")
    await owner.connect()
    sid = owner.session_id
    assert sid is not None and calls >= 4  # re-evaluated per request
    # another client adopts the session (after the owner's transport is gone) and never deletes it
    assert owner.connection is not None
    owner.connection.lost("test: the owner's network is gone")  # as the transport reports a loss
    for _ in range(100):
        if owner.status == Status.DISCONNECTED:
            break
        await asyncio.sleep(0.05)
    assert owner.status == Status.DISCONNECTED
    adopter = ReactorClient(MODEL, url=coord.url, jwt=await asyncio.to_thread(fetch_jwt, coord.api_key, coord.url))
    await adopter.connect(session_id=sid)
    try:
        assert adopter.session_id == sid and adopter.status == Status.READY
        await adopter.output_track("main_video").next_frame(timeout=5)
    finally:
        await adopter.disconnect()
    assert coord.requests("DELETE") == []
    coord.force_state(sid, "INACTIVE")
    late = ReactorClient(MODEL, url=coord.url, jwt=jwt)
    with pytest.raises(SessionTerminalError):
        await late.connect(session_id=sid)
    assert late.status == Status.DISCONNECTED
    coord.force_state(sid, None)
    # the creator ends the session
    owner._session_id, owner._created_session = sid, True
    await owner.disconnect()
    assert len(coord.requests("DELETE", f"/sessions/{sid}")) == 1


async def test_cloud_bad_key(cloud_coordinator: Any) -> None:
    client = ReactorClient(MODEL, url=cloud_coordinator.url, api_key="rk_wrong")
    with pytest.raises(UnauthorizedError):
        await client.connect()
    assert client.status == Status.DISCONNECTED
