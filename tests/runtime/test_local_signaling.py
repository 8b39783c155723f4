"""Local session ids without a server (the real runtime: test_session_id_e2e.py): which id a
session is reported under, and which id its routes take."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from reactor_client import NotFoundError
from reactor_client.signaling.http import HttpSignaling
from reactor_client.signaling.session import LocalSessionSignaling

ZEROS = "00000000-0000-0000-0000-000000000000"
OWN = "0f8fad5b-d9cb-469f-a165-70867728950e"


def sse(*events: dict[str, Any]) -> bytes:
    return b"".join(f"id: {n}\ndata: {json.dumps(e)}\n\n".encode() for n, e in enumerate(events, 1))


def fact(event: str, **detail: Any) -> dict[str, Any]:
    return {"type": "transition", "event": event, "from": "x", "to": "y", "ts": 0, "detail": detail}


class FakeRuntime:
    """``/start_session``, ``/session`` and ``/events`` of reactor-runtime 3.10.0."""

    def __init__(self, *, running: bool, journal: bytes = b"", version: str = "3.10.0") -> None:
        self.running = running
        self.journal = journal
        self.version = version
        self.started_with: dict[str, Any] | None = None

    def descriptor(self) -> dict[str, Any]:
        return {
            "session_id": ZEROS if self.version.startswith("3") else "local",
            "state": "waiting" if self.running else "ready",
            "server_info": {"server_version": self.version},
            "capabilities": {"tracks": []},
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/start_session":
            if self.running:
                return httpx.Response(409, json={"detail": "cannot start session while waiting"})
            self.started_with = json.loads(request.content)
            self.running = True
            return httpx.Response(200, json=self.descriptor())
        if request.url.path == "/session":
            return httpx.Response(200, json=self.descriptor())
        if request.url.path == "/events" and self.version.startswith("3"):
            return httpx.Response(200, content=self.journal)
        return httpx.Response(404, json={"detail": "Not Found"})


def signaling(runtime: FakeRuntime) -> LocalSessionSignaling:
    local = LocalSessionSignaling("http://runtime")
    local.http = HttpSignaling(
        "http://runtime", client=httpx.AsyncClient(transport=httpx.MockTransport(runtime))
    )
    local.routes.http = local.http
    return local


async def test_a_session_it_starts_is_reported_by_the_id_it_started_it_with() -> None:
    runtime = FakeRuntime(running=False)
    local = signaling(runtime)
    opened = await local.open(None, {"generation": "streamed"})
    assert runtime.started_with is not None
    assert opened.created and opened.session_id == runtime.started_with["session_id"] != ZEROS
    assert runtime.started_with["generation"] == "streamed"
    # the routes keep the runtime's fixed id
    assert local.webrtc(opened.session_id).base == f"/sessions/{ZEROS}/transport/webrtc"
    assert local.http.session_path(opened.session_id) == f"/sessions/{ZEROS}"


async def test_an_adopted_session_is_reported_by_the_id_the_journal_names() -> None:
    journal = sse(
        fact("start_session", params={"session_id": "an-old-one"}),
        fact("stop_session", reason="stopped"),
        fact("start_session", params={"session_id": OWN}),
        fact("connection_opened", conn_id=1234, transport="webrtc"),
    )
    for session_id in (None, OWN, ZEROS):  # a 409 on start, or a join by either id
        local = signaling(FakeRuntime(running=True, journal=journal))
        opened = await local.open(session_id)
        assert not opened.created and opened.session_id == OWN
        assert local.webrtc(OWN).base == f"/sessions/{ZEROS}/transport/webrtc"
    with pytest.raises(NotFoundError, match="runs session " + OWN):
        await signaling(FakeRuntime(running=True, journal=journal)).open("an-old-one")


async def test_a_session_started_without_an_id_is_known_by_its_later_facts() -> None:
    started = fact("start_session", params={})
    stats = fact("metric", name="runtime_stats", session_id=OWN)
    local = signaling(
        FakeRuntime(running=True, journal=sse(fact("metric", session_id="x"), started))
    )
    assert (await local.open(None)).session_id == ZEROS  # not known yet: the fixed id
    with pytest.raises(NotFoundError, match="not known yet"):
        await signaling(FakeRuntime(running=True, journal=sse(started))).open(OWN)
    local = signaling(FakeRuntime(running=True, journal=sse(started, stats)))
    assert (await local.open(None)).session_id == OWN
    chunk = fact("chunk_ready", recording_id=OWN, idx=0)
    assert (
        await signaling(FakeRuntime(running=True, journal=sse(started, chunk))).open(None)
    ).session_id == OWN


async def test_runtime_2_keeps_its_one_id() -> None:
    runtime = FakeRuntime(running=False, version="2.10.1")
    opened = await signaling(runtime).open(None)
    assert opened.session_id == "local"
    adopted = await signaling(FakeRuntime(running=True, version="2.10.1")).open("local")
    assert adopted.session_id == "local"


async def test_a_start_right_after_a_stop_waits_for_the_teardown_not_a_second() -> None:
    """A session being torn down (``closing``) answers 409 for a moment: the next start polls
    for its end every 0.1 s (back-to-back sessions: batch runs, Gymnasium resets)."""
    import time

    class Closing(FakeRuntime):
        def __init__(self) -> None:
            super().__init__(running=True)
            self.polls = 0

        def descriptor(self) -> dict[str, Any]:
            self.polls += 1
            if self.polls >= 3:  # torn down after the third look
                self.running = False
            return {**super().descriptor(), "state": "closing", "capabilities": None}

    runtime = Closing()
    started = time.monotonic()
    opened = await signaling(runtime).open(None)
    assert opened.created and runtime.polls == 4  # three looks at /session, then the start
    assert time.monotonic() - started < 0.6  # three polls of 0.1 s, not three seconds
