"""Polling for the SDP answer: quickly at first, then the protocol's backoff.

The runtime answers once its own ICE gathering is done (~0.02 s for an offer carrying its
candidates, ~0.12 s for a trickled one); the protocol's first 200 ms step alone made a native
``connect()`` take ~0.5 s. The schedule is checked here without waiting (``asyncio.sleep`` is
recorded, not slept); the real-runtime tests connect with it on both transports.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reactor_client import TransportError
from reactor_client.signaling import transport as signaling_transport
from reactor_client.signaling.http import HttpSignaling
from reactor_client.signaling.transport import (
    QUICK_POLL,
    QUICK_POLL_WINDOW,
    TransportSignaling,
    answer_delays,
)

QUICK_POLLS = round(QUICK_POLL_WINDOW / QUICK_POLL)


def test_the_schedule_is_quick_then_the_protocols_backoff() -> None:
    delays = list(answer_delays(6))
    assert delays[:QUICK_POLLS] == [QUICK_POLL] * QUICK_POLLS
    assert QUICK_POLL <= 0.05 and sum(delays[:QUICK_POLLS]) == pytest.approx(QUICK_POLL_WINDOW)
    assert delays[QUICK_POLLS:] == [0.2, 0.4, 0.8, 1.6, 3.2, 6.4]  # 200 ms x2, as before


def test_the_cloud_gets_the_protocols_pacing_only() -> None:
    from reactor_client.signaling.session import CloudSessionSignaling, LocalSessionSignaling

    assert list(answer_delays(6, quick=False)) == [0.2, 0.4, 0.8, 1.6, 3.2, 6.4]
    assert LocalSessionSignaling("http://x").webrtc("s").quick_answer is True
    cloud = CloudSessionSignaling("http://x", "m", jwt=None, api_key="rk_test")
    assert cloud.webrtc("s").quick_answer is False


class Runtime:
    """``GET .../sdp_params``: 202 for the first ``pending`` polls, then the answer once."""

    def __init__(self, pending: int | None) -> None:
        self.pending = pending
        self.polls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.method == "GET" and request.url.path.endswith("/connections/7/sdp_params")
        self.polls += 1
        if self.pending is None or self.polls <= self.pending:
            return httpx.Response(202)
        return httpx.Response(200, json={"sdp_answer": "v=0\r\n", "connection_id": 8})


async def poll(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[float]]:
    waited: list[float] = []

    async def record(delay: float) -> None:
        waited.append(delay)

    monkeypatch.setattr(signaling_transport.asyncio, "sleep", record)
    http = HttpSignaling(
        "http://runtime", client=httpx.AsyncClient(transport=httpx.MockTransport(runtime))
    )
    try:
        return await TransportSignaling(http, "s1").answer(7), waited
    finally:
        await http.aclose()


@pytest.mark.parametrize("pending", [0, 5, QUICK_POLLS + 2])
async def test_the_answer_is_taken_at_the_first_poll_that_has_it(
    pending: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = Runtime(pending)
    answer, waited = await poll(runtime, monkeypatch)
    assert answer == ("v=0\r\n", 8)  # and the connection id the runtime reports is adopted
    assert runtime.polls == pending + 1
    assert waited == list(answer_delays(6))[: pending + 1]


async def test_a_runtime_that_never_answers_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = Runtime(None)
    with pytest.raises(TransportError, match="no SDP answer for connection 7"):
        await poll(runtime, monkeypatch)
    assert runtime.polls == QUICK_POLLS + 6
