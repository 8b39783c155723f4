"""Reply correlation: by request id (v1, and v0's track verbs) or in arrival order (v0's
schema and clip replies, which carry no id)."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

from ..errors import ReactorError, RequestTimeoutError
from .base import CLIP_FAILED, CLIP_READY, MODEL_SCHEMA, Inbound, Outbound, ReplyKind

T = TypeVar("T")

_PREFIX: dict[ReplyKind, str] = {
    "command": "data",
    "step": "data",
    "model_schema": "ctrl",
    "clip": "ctrl",
    "publish_track": "ctrl",
}


class PendingRequests(Generic[T]):
    """Futures keyed by request id (``data_1``, ``ctrl_1``, ...)."""

    def __init__(self) -> None:
        self._counters: dict[str, itertools.count[int]] = {}
        self._pending: dict[str, asyncio.Future[T]] = {}
        self._closed_with: ReactorError | None = None

    def next_id(self, prefix: str) -> str:
        """A fresh id ``<prefix>_<n>``."""
        counter = self._counters.setdefault(prefix, itertools.count(1))
        return f"{prefix}_{next(counter)}"

    def open(self) -> None:
        """Accept new requests again (after a reconnect)."""
        self._closed_with = None

    def create(self, request_id: str) -> asyncio.Future[T]:
        """Register a future for ``request_id``; fails immediately if the transport is gone."""
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        if self._closed_with is not None:
            fut.set_exception(self._closed_with)
        else:
            self._pending[request_id] = fut
        return fut

    def resolve(self, request_id: str, value: T) -> bool:
        """Resolve the future of ``request_id``; False if nobody waits for it."""
        fut = self._pending.pop(request_id, None)
        if fut is None or fut.done():
            return False
        fut.set_result(value)
        return True

    def discard(self, request_id: str) -> None:
        self._pending.pop(request_id, None)

    def fail_all(self, exc: ReactorError, *, close: bool = True) -> None:
        """Fail every pending future with ``exc``; with ``close`` also refuse new ones until ``open()``."""
        if close:
            self._closed_with = exc
        pending, self._pending = self._pending, {}
        for fut in pending.values():
            if not fut.done():
                fut.set_exception(exc)

    def __len__(self) -> int:
        return len(self._pending)

    async def request(
        self,
        prefix: str,
        make: Callable[[str], Outbound],
        send: Callable[[Outbound], None],
        timeout: float | None,
        what: str,
    ) -> T:
        """The request-id / send / wait sequence: ``make(request_id)`` builds the frame,
        ``send`` sends it (a failure unregisters the id), then wait for the correlated reply."""
        request_id = self.next_id(prefix)
        fut = self.create(request_id)
        try:
            send(make(request_id))
        except BaseException:
            self.discard(request_id)
            raise
        return await self.wait(request_id, fut, timeout, what)

    async def wait(
        self, request_id: str, fut: asyncio.Future[T], timeout: float | None, what: str
    ) -> T:
        """Await ``fut`` at most ``timeout`` seconds (RequestTimeoutError), always unregistering it."""
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout)
        except asyncio.TimeoutError:
            raise RequestTimeoutError(f"{what} got no reply within {timeout} s") from None
        finally:
            self.discard(request_id)
            if not fut.done():
                fut.cancel()


class InOrderReplies(Generic[T]):
    """Replies without request ids: the runtime answers in the order it received the
    requests, so the oldest waiter gets the next reply."""

    def __init__(self) -> None:
        self._waiting: deque[asyncio.Future[T]] = deque()
        self._closed_with: ReactorError | None = None

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def open(self) -> None:
        self._closed_with = None

    async def request(self, send: Callable[[], None], timeout: float | None, on_timeout: str) -> T:
        """``send()`` the request, then wait for the next in-order reply (``RequestTimeoutError``
        with ``on_timeout`` after ``timeout`` seconds)."""
        if self._closed_with is not None:
            raise self._closed_with
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append(fut)
        try:
            send()
            return await asyncio.wait_for(asyncio.shield(fut), timeout)
        except asyncio.TimeoutError:
            raise RequestTimeoutError(on_timeout) from None
        finally:
            if fut in self._waiting:
                self._waiting.remove(fut)

    def resolve(self, value: T) -> bool:
        """Hand ``value`` to the oldest waiter; False if nobody waits."""
        while self._waiting:
            fut = self._waiting.popleft()
            if not fut.done():
                fut.set_result(value)
                return True
        return False

    def fail_all(self, exc: ReactorError, *, close: bool = True) -> None:
        if close:
            self._closed_with = exc
        waiting, self._waiting = self._waiting, deque()
        for fut in waiting:
            if not fut.done():
                fut.set_exception(exc)


class IdCorrelator:
    """Every request carries an id and its reply echoes it (v1)."""

    def __init__(self) -> None:
        self._pending: PendingRequests[Inbound] = PendingRequests()

    async def request(
        self,
        kind: ReplyKind,
        make: Callable[[str], Outbound],
        send: Callable[[Outbound], None],
        timeout: float | None,
        what: str,
    ) -> Inbound:
        return await self._pending.request(_PREFIX[kind], make, send, timeout, what)

    def resolve(self, inbound: Inbound) -> None:
        if inbound.is_response and inbound.request_id:
            self._pending.resolve(inbound.request_id, inbound)

    def fail_all(self, exc: ReactorError) -> None:
        self._pending.fail_all(exc)

    def open(self) -> None:
        self._pending.open()

    def __len__(self) -> int:
        return len(self._pending)


class InOrderCorrelator(IdCorrelator):
    """v0: track verbs carry ids; schema and clip replies carry none and are matched to the
    oldest waiting request of their kind; commands have no replies at all."""

    def __init__(self) -> None:
        super().__init__()
        self._in_order: dict[ReplyKind, InOrderReplies[Inbound]] = {
            "model_schema": InOrderReplies(),
            "clip": InOrderReplies(),
        }

    async def request(
        self,
        kind: ReplyKind,
        make: Callable[[str], Outbound],
        send: Callable[[Outbound], None],
        timeout: float | None,
        what: str,
    ) -> Inbound:
        queue = self._in_order.get(kind)
        if queue is None:
            return await super().request(kind, make, send, timeout, what)
        return await queue.request(
            lambda: send(make("")), timeout, f"{what} got no reply within {timeout} s"
        )

    def resolve(self, inbound: Inbound) -> None:
        if inbound.source == "platform" and inbound.type == MODEL_SCHEMA:
            self._in_order["model_schema"].resolve(inbound)
        elif (
            inbound.source == "platform"
            and inbound.type in (CLIP_READY, CLIP_FAILED)
            and not inbound.request_id
        ):
            self._in_order["clip"].resolve(inbound)
        else:
            super().resolve(inbound)

    def fail_all(self, exc: ReactorError) -> None:
        super().fail_all(exc)
        for queue in self._in_order.values():
            queue.fail_all(exc)

    def open(self) -> None:
        super().open()
        for queue in self._in_order.values():
            queue.open()


__all__ = ["PendingRequests", "InOrderReplies", "IdCorrelator", "InOrderCorrelator"]
