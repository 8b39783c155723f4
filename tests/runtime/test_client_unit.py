"""Unit tests of the session plumbing: request correlation, listener dispatch, bounded iterators."""

from __future__ import annotations

import asyncio
import json

import pytest

import reactor_client
from reactor_client import (
    CommandFailedError,
    DisconnectedError,
    InternalModelError,
    InvalidCommandError,
    InvalidStateError,
    Message,
    RateLimitedError,
    ReactorClient,
    ReconnectPolicy,
    RequestTimeoutError,
    Status,
    TrackSpec,
)
from reactor_client.errors import command_error, signaling_error
from reactor_client.session.dispatch import Listeners
from reactor_client.session.fanout import DropOldestQueue, Fanout
from reactor_client.signaling.tokens import token_request
from reactor_client.transport.memory import NO_REPLY, CommandError, MemoryRuntime, ReceivedCommand
from reactor_client.wire.correlation import InOrderReplies, PendingRequests


async def test_request_correlation_and_fail_all() -> None:
    reqs: PendingRequests[str] = PendingRequests()
    assert [reqs.next_id("data"), reqs.next_id("data"), reqs.next_id("ctrl")] == ["data_1", "data_2", "ctrl_1"]
    f1, f2 = reqs.create("a"), reqs.create("b")
    assert reqs.resolve("b", "B") and not reqs.resolve("zzz", "x")
    assert await reqs.wait("b", f2, 1, "b") == "B"
    reqs.fail_all(DisconnectedError("gone"))
    with pytest.raises(DisconnectedError):
        await reqs.wait("a", f1, 1, "a")
    # closed: new requests fail at once until reopened
    with pytest.raises(DisconnectedError):
        await reqs.create("c")
    reqs.open()
    f3 = reqs.create("d")
    with pytest.raises(RequestTimeoutError):
        await reqs.wait("d", f3, 0.05, "d")
    assert len(reqs) == 0


async def test_listeners_sync_async_failing_and_unsubscribe() -> None:
    errors: list[BaseException] = []
    seen: list[str] = []
    listeners: Listeners[str] = Listeners(errors.append)

    def sync_cb(v: str) -> None:
        seen.append("sync:" + v)

    async def async_cb(v: str) -> None:
        await asyncio.sleep(0)
        seen.append("async:" + v)

    def bad(v: str) -> None:
        raise RuntimeError("boom")

    async def bad_async(v: str) -> None:
        raise ValueError("async boom")

    s1 = listeners.add(sync_cb)
    listeners.add(async_cb, key="k")
    listeners.add(bad)
    listeners.add(bad_async)
    listeners.emit("x", key="k")
    listeners.emit("y", key="other")
    await asyncio.sleep(0.01)
    assert "sync:x" in seen and "async:x" in seen and "sync:y" in seen and "async:y" not in seen
    assert sorted(type(e).__name__ for e in errors) == ["RuntimeError", "RuntimeError", "ValueError", "ValueError"]
    s1()
    s1.unsubscribe()  # idempotent
    assert not s1.active and s1.callback is sync_cb
    seen.clear()
    listeners.emit("z")
    await asyncio.sleep(0.01)
    assert "sync:z" not in seen


async def test_drop_oldest_queue_and_fanout_close() -> None:
    q: DropOldestQueue[int] = DropOldestQueue(3)
    for i in range(10):
        q.put(i)
    assert len(q) == 3 and q.dropped == 7
    assert [await q.get(), await q.get(), await q.get()] == [7, 8, 9]
    fan: Fanout[int] = Fanout(2)
    a, b = fan.subscribe(), fan.subscribe(5)
    for i in range(4):
        fan.publish(i)
    waiter = asyncio.ensure_future(a.__anext__())
    assert await waiter == 2
    fan.close()
    assert [x async for x in a] == [3]
    assert [x async for x in b] == [0, 1, 2, 3]
    late = fan.subscribe()
    assert [x async for x in late] == []


def test_errors_and_policy() -> None:
    assert isinstance(command_error("c", "invalid_command", "m"), InvalidCommandError)
    assert isinstance(command_error("c", "internal_error", ""), InternalModelError)
    e = command_error("start", "already_started", "nope")
    assert type(e) is CommandFailedError and e.code == "already_started" and e.command == "start"
    r = signaling_error(429, "slow down", retry_after=2.0)
    assert isinstance(r, RateLimitedError) and r.recoverable and r.retry_after == 2.0
    assert isinstance(DisconnectedError("x"), reactor_client.ConnectionError_)
    p = ReconnectPolicy(initial_delay=1.0, max_delay=4.0, jitter=0.2)
    for attempt, base in [(1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)]:
        assert base * 0.8 <= p.delay(attempt) <= base * 1.2
    assert reactor_client.RUNTIME_API_VERSION == 1


def test_token_request_bodies() -> None:
    assert token_request() is None
    body = token_request(models=["m"], max_session_duration_seconds=300, expires_after=60)
    assert body == {
        "authorization_details": [
            {"type": "session", "resources": {"models": {"match": ["m"]}}, "constraints": {"max_session_duration_seconds": 300}}
        ],
        "expires_after": 60,
    }
    bound = token_request(sessions=["s1"])
    assert bound is not None and bound["authorization_details"][0]["resources"] == {"models": {"all": True}, "sessions": {"bind": ["s1"]}}


TRACKS = [TrackSpec("main_video", "video", "recvonly")]


async def _ready_client(**kw) -> tuple[ReactorClient, MemoryRuntime]:  # type: ignore[no-untyped-def]
    """A READY client on the in-memory transport (v1 negotiated by the real codec probe)."""
    runtime = MemoryRuntime("m", tracks=TRACKS)
    client = ReactorClient("m", local=True, tracks=TRACKS, transport=runtime.factory(), **kw)
    await client.connect()
    assert client.status == Status.READY and client.codec == "v1"
    return client, runtime


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_client_dispatch_and_command_correlation() -> None:
    client, runtime = await _ready_client(message_queue_size=2)
    got: list[Message] = []
    errors: list[BaseException] = []
    client.on_message(got.append, type="state")
    client.on_message(lambda m: 1 / 0)
    client.on_error(errors.append)
    it = client.messages()

    replies = {"set_seed": ("state", {"seed": 7}), "start": CommandError("invalid_command", "unknown command"), "pause": None, "slow": NO_REPLY}
    runtime.on_command = lambda name, data: replies[name]  # type: ignore[assignment]
    assert await client.send_command("set_seed", {"seed": 7}) == Message("state", {"seed": 7.0})
    assert runtime.commands[-1] == ReceivedCommand("set_seed", {"seed": 7.0}, runtime.commands[-1].request_id)
    assert runtime.commands[-1].request_id.startswith("data_")
    assert got == [Message("state", {"seed": 7.0})]  # the reply is also dispatched
    await asyncio.sleep(0.01)
    assert errors and errors[0].code == "LISTENER_ERROR"  # type: ignore[attr-defined]

    # v0 text frames are understood on a v1 connection too; the iterator drops the oldest
    for i in range(3):
        runtime.send_raw("data", json.dumps({"scope": "application", "data": {"type": "tick", "data": {"i": i}}}))
    await _settle()
    assert (await it.__anext__()).data == {"i": 1}

    # error reply → typed error; ack → None
    with pytest.raises(InvalidCommandError):
        await client.send_command("start")
    assert await client.send_command("pause") is None

    # a pending call fails promptly when the transport dies
    task = asyncio.ensure_future(client.send_command("slow", timeout=30))
    await _settle()
    runtime.lose("test")
    with pytest.raises(DisconnectedError):
        await asyncio.wait_for(task, 1)
    await asyncio.sleep(0.05)
    assert client.status == Status.DISCONNECTED
    with pytest.raises(InvalidStateError):
        await client.send_command("x")
    assert [m async for m in it] == [Message("tick", {"i": 2})]  # iterator ends on final disconnect


async def test_oversized_command_fails_before_sending() -> None:
    client, runtime = await _ready_client()
    with pytest.raises(reactor_client.MessageTooLargeError):
        await client.send_command("set_shot", {"prompt": "x" * 300_000})
    await _settle()
    assert runtime.commands == []
    await client.disconnect()


async def test_wait_for_message_include_latest_sees_an_earlier_broadcast() -> None:
    """A broadcast that landed before the caller started waiting satisfies include_latest."""
    client, runtime = await _ready_client()
    runtime.broadcast("state", {"running": False})
    await _settle()
    assert client.latest_message("state") == Message("state", {"running": False})
    got = await client.wait_for_message(
        "state", lambda m: m.data["running"] is False, timeout=1, include_latest=True
    )
    assert got.data == {"running": False}
    # Without include_latest only a new message counts.
    with pytest.raises(RequestTimeoutError):
        await client.wait_for_message("state", lambda m: True, timeout=0.1)
    # A predicate the latest message does not satisfy waits for a new one.
    waiter = asyncio.ensure_future(
        client.wait_for_message("state", lambda m: m.data["running"] is True, timeout=2, include_latest=True)
    )
    await asyncio.sleep(0.05)
    assert not waiter.done()
    runtime.broadcast("state", {"running": True})
    assert (await waiter).data == {"running": True}
    await client.disconnect()


async def test_abandoned_iterators_stop_receiving() -> None:
    """`async for ... : break` leaves nothing subscribed: no buffering for a loop that is gone."""
    fanout: Fanout[int] = Fanout(2)
    kept = fanout.subscribe()

    async def first_item() -> int:
        async for item in fanout.subscribe():
            return item
        raise AssertionError("iterator ended")

    task = asyncio.ensure_future(first_item())
    await asyncio.sleep(0)
    assert fanout.subscribers == 2
    fanout.publish(1)
    assert await task == 1
    assert fanout.subscribers == 1, "the abandoned iterator was dropped"
    fanout.publish(2)
    assert [await kept.get(), await kept.get()] == [1, 2]


async def test_in_order_replies_go_to_the_oldest_waiter() -> None:
    replies: InOrderReplies[str] = InOrderReplies()
    sent: list[int] = []
    first = asyncio.ensure_future(replies.request(lambda: sent.append(1), 5, "first timed out"))
    second = asyncio.ensure_future(replies.request(lambda: sent.append(2), 5, "second timed out"))
    await asyncio.sleep(0)
    assert sent == [1, 2] and replies
    assert replies.resolve("a") and replies.resolve("b") and not replies.resolve("c")
    assert (await first, await second) == ("a", "b")
    with pytest.raises(RequestTimeoutError, match="late"):
        await replies.request(lambda: None, 0.01, "late")
    pending = asyncio.ensure_future(replies.request(lambda: None, 5, "x"))
    await asyncio.sleep(0)
    replies.fail_all(DisconnectedError("gone"))
    with pytest.raises(DisconnectedError):
        await pending
