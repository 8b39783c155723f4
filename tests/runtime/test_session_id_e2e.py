"""A local session's ``session_id`` is the id reactor-runtime 3.10.0 knows it by (issue 16).

The runtime routes its one session under a fixed all-zero id (the descriptor's ``session_id``) and
knows the session by an id of its own: the one stamped on its log records (``session_id=...``),
on recordings (``clipReady.session_id``) and in its journal (``GET /events``). It takes that id
from the ``/start_session`` body, which is how a client that starts the session knows it.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from typing import Any

import httpx
import pytest

from reactor_client import NotFoundError, ReactorClient

pytestmark = pytest.mark.runtime
MODEL = "feature-model"
ZEROS = "00000000-0000-0000-0000-000000000000"


def logged_ids(server: Any) -> list[str]:
    """The session ids the runtime's log records carry, in order, without repeats."""
    seen: dict[str, None] = {}
    for found in re.findall(r"\bsession_id=([0-9a-f-]{36})\b", server.log_text()):
        seen[found] = None
    return list(seen)


def journal_start_params(server: Any) -> list[dict[str, Any]]:
    """The ``params`` of every ``start_session`` fact in the runtime's journal."""
    params = []
    deadline = time.monotonic() + 2.0  # the journal replays at once, then stays open for live facts
    try:
        with httpx.stream("GET", f"{server.url}/events", params={"since": 0}, timeout=0.5) as resp:
            for line in resp.iter_lines():
                if '"event": "start_session"' in line:
                    params.append(json.loads(line[5:])["detail"]["params"])
                if time.monotonic() > deadline:
                    break
    except httpx.ReadTimeout:
        pass
    return params


async def test_a_started_session_reports_the_runtimes_own_id(feature_server: Any) -> None:
    async with ReactorClient(MODEL, local=True, url=feature_server.url) as client:
        sid = client.session_id
        assert sid is not None and sid != ZEROS and uuid.UUID(sid).version == 4
        assert logged_ids(feature_server)[-1] == sid  # what the runtime stamps on its log
        assert journal_start_params(feature_server)[-1].get("session_id") == sid
        await client.output_track("main_video").next_frame(timeout=5)
        await asyncio.sleep(1.2)  # a closed 1 s recording chunk
        clip = await client.request_clip(0.5)
        assert clip.session_id == sid  # what the runtime reports on the channel

        # the routes still take the runtime's fixed id: uploads (and the transport) work
        ref = await client.upload(b"bytes", name="x.txt")
        assert ref.size == 5

        # a second client joins with that id, and a third one that starts while the session
        # runs adopts it: both report the same id
        joiner = ReactorClient(MODEL, local=True, url=feature_server.url)
        await joiner.connect(session_id=sid)
        adopter = ReactorClient(MODEL, local=True, url=feature_server.url)
        await adopter.connect()
        try:
            assert joiner.session_id == sid and adopter.session_id == sid
            await adopter.output_track("main_video").next_frame(timeout=5)
        finally:
            await joiner.disconnect()
            await adopter.disconnect()
        # the fixed id still joins (it names the one session of this runtime); another does not
        old = ReactorClient(MODEL, local=True, url=feature_server.url)
        await old.connect(session_id=ZEROS)
        try:
            assert old.session_id == sid
        finally:
            await old.disconnect()
        with pytest.raises(NotFoundError, match="runs session"):
            await ReactorClient(MODEL, local=True, url=feature_server.url).connect(
                session_id=str(uuid.uuid4())
            )


async def test_a_session_started_without_an_id_is_known_once_the_runtime_reports_it(
    feature_server: Any,
) -> None:
    # started by someone else, with no id: the runtime mints one that only its log has at first
    for _ in range(100):  # the previous test's session is torn down
        if feature_server.health()["state"] == "available":
            break
        await asyncio.sleep(0.1)
    response = httpx.post(f"{feature_server.url}/start_session", json={}, timeout=10)
    assert response.status_code == 200 and response.json()["session_id"] == ZEROS
    try:
        early = ReactorClient(MODEL, local=True, url=feature_server.url)
        await early.connect()
        try:
            minted = logged_ids(feature_server)[-1]
            # documented limitation (docs/known-issues.md): nothing the runtime answers names
            # it yet, so the client reports the fixed id of the routes
            assert early.session_id == ZEROS
            await asyncio.sleep(5.5)  # the runtime journals runtime_stats every 5 s, with the id
            late = ReactorClient(MODEL, local=True, url=feature_server.url)
            await late.connect()
            try:
                assert late.session_id == minted != ZEROS
            finally:
                await late.disconnect()
        finally:
            await early.disconnect()
    finally:
        httpx.post(f"{feature_server.url}/stop_session", json={}, timeout=10)
