"""Token resolvers, the 401 refresh and the one retry policy, through the coordinator stand-in
(``tests/harness/coordinator.py``) in front of a REAL reactor-runtime 3.10.0.

The stand-in issues expiring tokens (``token_ttl``) and answers 401 for an expired one, so a
session outliving its token keeps working only when every request resolves a fresh one:
uploads, a clip downloaded after the token of its request expired, reconnects (explicit and
automatic). A resolver that hands out a stale token is called once more after the 401 and
the request sent once more; a plain string token is not retried. ``connect()`` starts over
once on a transient failure before the session exists, and every kind of retry draws on one
budget (``RetryPolicy.max_retries``), counted here in requests the stand-in received.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import pytest

from reactor_client import (
    RateLimitedError,
    ReactorClient,
    ReconnectPolicy,
    RetryPolicy,
    ServerError,
    Status,
    UnauthorizedError,
)

FEATURE = "feature-model"
SIM = "longlive-v2"
TTL = 1.5


class Resolver:
    """An async token resolver minting a new token per call (or, once, a stale one)."""

    def __init__(self, coordinator: Any) -> None:
        self.coordinator = coordinator
        self.calls = 0
        self.stale: str | None = None

    async def __call__(self) -> str:
        self.calls += 1
        await asyncio.sleep(0)  # a real one would ask your token route
        if self.stale is not None:
            token, self.stale = self.stale, None
            return token
        return str(self.coordinator.mint_token())


def statuses(coordinator: Any, method: str, path: str) -> list[int | None]:
    """Statuses of the requests to exactly ``path``, in order."""
    return [r.status for r in coordinator.requests(method) if r.path == path]


async def test_a_resolver_keeps_uploads_clips_and_reconnects_working(
    feature_server: Any, cloud_coordinator_factory: Any, tmp_path: Path
) -> None:
    coord = cloud_coordinator_factory(feature_server, token_ttl=TTL)
    resolver = Resolver(coord)
    client = ReactorClient(FEATURE, url=coord.url, jwt=resolver, codec="v1")
    await client.connect()
    sid = client.session_id
    try:
        assert resolver.calls >= 4  # one per request: create, polls, ice, register, offer...
        await client.output_track("main_video").next_frame(timeout=5)
        await asyncio.sleep(TTL + 1.0)  # every token handed out so far has expired
        data = b"resolver upload"
        ref = await client.upload(data, name="a.txt")
        reply = await client.send_command("inspect_file", {}, uploads={"file": ref})
        assert reply is not None and reply.data["sha256"] == hashlib.sha256(data).hexdigest()
        clip = await client.request_clip(1.0)
        await asyncio.sleep(TTL + 0.5)  # the token current at the clip request expires too
        path = await clip.download(tmp_path / "clip.mp4", timeout=30)
        assert path.stat().st_size > 0
        assert [s for s in statuses(coord, "GET", "/clips") if s != 202] and all(
            s in (200, 202) for s in statuses(coord, "GET", "/clips")
        )
        await asyncio.sleep(TTL + 0.5)
        await client.reconnect()  # PUT re-offer with a fresh token
        await client.output_track("main_video").next_frame(timeout=10)
        assert client.session_id == sid
    finally:
        await client.disconnect()
    assert coord.expired == 0  # no expired token was ever sent
    assert len(coord.requests("DELETE", f"/sessions/{sid}")) == 1


async def test_automatic_reconnect_after_the_token_expired(
    cloud_coordinator: Any,
) -> None:
    coord = cloud_coordinator
    coord.token_ttl = TTL
    resolver = Resolver(coord)
    policy = ReconnectPolicy(max_attempts=3, initial_delay=0.2)
    client = ReactorClient(SIM, url=coord.url, jwt=resolver, reconnect=policy)
    await client.connect()
    try:
        frames = client.output_track("main_video").frames()
        await asyncio.wait_for(frames.__anext__(), 10)
        await asyncio.sleep(TTL + 0.5)
        back: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        seen: list[Status] = []

        def on_status(status: Status) -> None:
            seen.append(status)
            if status == Status.READY and Status.WAITING in seen and not back.done():
                back.set_result(None)

        client.on_status(on_status)
        assert client.connection is not None
        client.connection.lost("test: the network dropped")
        await asyncio.wait_for(back, 20)
        assert [r.status for r in coord.requests("PUT")] == [202]  # re-offered, fresh token
        await asyncio.wait_for(frames.__anext__(), 10)  # the same iterator carries on
    finally:
        await client.disconnect()
    assert coord.expired == 0


async def test_a_401_calls_the_resolver_once_more_and_retries_once(
    feature_server: Any, cloud_coordinator_factory: Any
) -> None:
    coord = cloud_coordinator_factory(feature_server)
    resolver = Resolver(coord)
    client = ReactorClient(FEATURE, url=coord.url, jwt=resolver)
    await client.connect()
    try:
        sid = client.session_id
        stale = coord.mint_token(ttl=0)  # already expired
        resolver.stale = stale
        before = resolver.calls
        await client.upload(b"x", name="x.bin")
        uploads = statuses(coord, "POST", f"/sessions/{sid}/uploads")
        assert uploads == [401, 201]  # the stale token, then the fresh one
        assert resolver.calls == before + 2
        assert coord.expired == 1
        # a resolver that keeps answering with a refused token: one retry, then the 401
        coord.revoke_tokens()
        resolver.coordinator = _Refused()
        with pytest.raises(UnauthorizedError):
            await client.upload(b"y", name="y.bin")
        assert statuses(coord, "POST", f"/sessions/{sid}/uploads")[2:] == [401, 401]
    finally:
        resolver.coordinator = coord
        await client.disconnect()


class _Refused:
    def mint_token(self) -> str:
        return "revoked-token"


async def test_a_plain_token_is_not_retried_after_a_401(cloud_coordinator: Any) -> None:
    coord = cloud_coordinator
    client = ReactorClient(SIM, url=coord.url, jwt=coord.mint_token(ttl=0))
    with pytest.raises(UnauthorizedError):
        await client.connect()
    assert statuses(coord, "POST", "/sessions") == [401]
    assert client.status == Status.DISCONNECTED


async def test_connect_starts_over_once_on_a_transient_failure(cloud_coordinator: Any) -> None:
    coord = cloud_coordinator
    coord.inject("POST", r"^/sessions$", 503, times=1)
    async with ReactorClient(SIM, url=coord.url, jwt=coord.mint_token()) as client:
        assert client.status == Status.READY
    assert statuses(coord, "POST", "/sessions") == [503, 201]
    coord.clear()
    coord.inject("POST", r"^/sessions$", 503, times=2)
    client = ReactorClient(SIM, url=coord.url, jwt=coord.mint_token())
    with pytest.raises(ServerError):
        await client.connect()
    assert statuses(coord, "POST", "/sessions") == [503, 503]  # once, not again
    assert client.status == Status.DISCONNECTED


async def test_a_session_lost_before_the_transport_starts_over(cloud_coordinator: Any) -> None:
    coord = cloud_coordinator
    coord.inject(
        "POST", r"/transport/webrtc/connections$", 400, body={"detail": "No session running"}
    )
    async with ReactorClient(SIM, url=coord.url, jwt=coord.mint_token()) as client:
        await client.output_track("main_video").next_frame(timeout=10)
        second = client.session_id
    assert statuses(coord, "POST", "/sessions") == [201, 201]
    first = [s for s in coord.sessions if s != second]
    assert len(first) == 1 and coord.requests("DELETE", f"/sessions/{first[0]}")  # ended


@pytest.mark.parametrize(("policy", "posts"), [(RetryPolicy(), 4), (RetryPolicy(max_retries=1), 2)])
async def test_every_retry_draws_on_one_cap(
    cloud_coordinator: Any, policy: RetryPolicy, posts: int
) -> None:
    """A coordinator that keeps rate-limiting: the 429 waits and the connect restart share
    one budget, so a connect sends at most 1 + max_retries requests (without the shared cap
    two attempts x a wait each would make 4 whatever the policy)."""
    coord = cloud_coordinator
    coord.inject("POST", r"^/sessions$", 429, times=20, headers={"Retry-After": "0.1"})
    resolver = Resolver(coord)
    client = ReactorClient(SIM, url=coord.url, jwt=resolver, retry=policy)
    with pytest.raises(RateLimitedError) as caught:
        await client.connect()
    assert caught.value.retry_after == pytest.approx(0.1)
    assert statuses(coord, "POST", "/sessions") == [429] * posts
    assert client.status == Status.DISCONNECTED


async def test_a_retry_after_longer_than_the_policy_allows_is_not_waited(
    cloud_coordinator: Any,
) -> None:
    coord = cloud_coordinator
    coord.inject("POST", r"^/sessions$", 429, times=20, headers={"Retry-After": "30"})
    client = ReactorClient(SIM, url=coord.url, jwt=coord.mint_token())
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(RateLimitedError) as caught:
        await client.connect()
    assert caught.value.retry_after == 30
    assert loop.time() - started < 5  # neither 30 s nor twice that
    # no wait, but the one connect restart (a 429 is transient)
    assert statuses(coord, "POST", "/sessions") == [429, 429]
