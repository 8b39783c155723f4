"""Listener registry (sync/async callbacks, unsubscribe handles) and bounded async iterators."""

from __future__ import annotations

import asyncio
import inspect
import logging
import weakref
from collections import deque
from typing import Any, AsyncIterator, Callable, Generic, TypeVar

log = logging.getLogger("reactor_client")
T = TypeVar("T")
ErrorSink = Callable[[BaseException], None]


class Subscription:
    """Returned by every ``on_*`` registration. Call it (or ``.unsubscribe()``) to remove the listener."""

    def __init__(self, callback: Callable[..., Any], remove: Callable[[Subscription], None]) -> None:
        self.callback = callback
        self.active = True
        self._remove = remove

    def unsubscribe(self) -> None:
        """Remove the listener; idempotent."""
        if self.active:
            self.active = False
            self._remove(self)

    def __call__(self) -> None:
        self.unsubscribe()

    def __repr__(self) -> str:
        return f"<Subscription {getattr(self.callback, '__qualname__', self.callback)!r} active={self.active}>"


def invoke(callback: Callable[..., Any], args: tuple[Any, ...], on_error: ErrorSink) -> None:
    """Call a listener; exceptions (sync, or from the awaitable it returns) go to ``on_error``."""
    try:
        result = callback(*args)
    except Exception as exc:  # noqa: BLE001 - listeners must never break dispatch
        on_error(exc)
        return
    if inspect.isawaitable(result):
        task = asyncio.ensure_future(result)
        _tasks.add(task)

        def _done(t: asyncio.Future[Any]) -> None:
            _tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                exc = t.exception()
                assert exc is not None
                on_error(exc)

        task.add_done_callback(_done)


_tasks: set[asyncio.Future[Any]] = set()


class Listeners(Generic[T]):
    """Callbacks keyed by an optional filter key (``None`` = every value)."""

    def __init__(self, on_error: ErrorSink) -> None:
        self._subs: list[tuple[str | None, Subscription]] = []
        self._on_error = on_error

    def add(self, callback: Callable[[T], Any], key: str | None = None) -> Subscription:
        sub = Subscription(callback, self._remove)
        self._subs.append((key, sub))
        return sub

    def _remove(self, sub: Subscription) -> None:
        self._subs = [(k, s) for k, s in self._subs if s is not sub]

    def emit(self, value: T, key: str | None = None) -> None:
        """Call every active listener whose key is None or equals ``key``."""
        for k, sub in list(self._subs):
            if sub.active and (k is None or k == key):
                invoke(sub.callback, (value,), self._on_error)

    def __len__(self) -> int:
        return len(self._subs)


_CLOSED = object()


class DropOldestQueue(Generic[T]):
    """A bounded queue that drops the oldest item when full; ``close()`` ends iteration."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = max(1, maxsize)
        self._items: deque[T] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self.closed = False
        self.dropped = 0

    def put(self, item: T) -> None:
        if self.closed:
            return
        if len(self._items) >= self.maxsize:
            self._items.popleft()
            self.dropped += 1
        self._items.append(item)
        self._wake()

    def close(self) -> None:
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def __len__(self) -> int:
        return len(self._items)

    async def get(self) -> T:
        """Next item; raises StopAsyncIteration once closed and empty."""
        while not self._items:
            if self.closed:
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.popleft()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self.get()


class Fanout(Generic[T]):
    """Hands every published item to each live subscriber queue.

    Subscribers are held weakly: the queue returned by ``subscribe`` is the iterator the caller
    keeps; once it is garbage collected it stops receiving (an abandoned iterator costs nothing).
    """

    def __init__(self, default_maxsize: int) -> None:
        self.default_maxsize = default_maxsize
        self._queues: weakref.WeakSet[DropOldestQueue[T]] = weakref.WeakSet()
        self.closed = False

    def subscribe(self, maxsize: int | None = None) -> DropOldestQueue[T]:
        """A new independent drop-oldest iterator (ends when the fanout closes)."""
        q: DropOldestQueue[T] = DropOldestQueue(maxsize or self.default_maxsize)
        if self.closed:
            q.close()
        else:
            self._queues.add(q)
        return q

    def unsubscribe(self, q: DropOldestQueue[T]) -> None:
        self._queues.discard(q)
        q.close()

    def publish(self, item: T) -> None:
        for q in list(self._queues):
            q.put(item)

    @property
    def subscribers(self) -> int:
        return len(self._queues)

    def close(self) -> None:
        """End every current iterator; later subscribers end immediately until ``reopen()``."""
        self.closed = True
        queues = list(self._queues)
        self._queues = weakref.WeakSet()
        for q in queues:
            q.close()

    def reopen(self) -> None:
        self.closed = False
