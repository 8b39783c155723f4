"""Bounded drop-oldest queues and the fan-out that feeds any number of them.

Used for model messages (``ReactorClient.messages()``) and for media frames
(``OutputTrack.frames()``, ``on_frame``, recorders): every consumer gets its own queue,
a slow consumer loses its oldest items instead of slowing the others down, and the
producer never blocks.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import AsyncIterator
from typing import Generic, TypeVar

T = TypeVar("T")


class DropOldestQueue(Generic[T]):
    """A bounded queue that drops the oldest item when full.

    ``close()`` ends iteration normally (``StopAsyncIteration`` once drained);
    ``close(error)`` makes :meth:`get` raise ``error`` once drained, so a consumer can tell
    a lost transport from a normal end.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = max(1, maxsize)
        self._items: deque[T] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self.closed = False
        self.error: BaseException | None = None
        self.dropped = 0
        self._fanout: Fanout[T] | None = None  # where it subscribed (no cycle: it holds us weakly)

    def put(self, item: T) -> None:
        if self.closed:
            return
        if len(self._items) >= self.maxsize:
            self._items.popleft()
            self.dropped += 1
        self._items.append(item)
        self._wake()

    def close(self, error: BaseException | None = None) -> None:
        """End iteration: normally, or (with ``error``) by raising it once drained."""
        if not self.closed:
            self.closed = True
            self.error = error
        self._wake()

    def unsubscribe(self) -> None:
        """Stop receiving (leave the fan-out this queue came from), drop what is buffered and
        end iteration."""
        fanout, self._fanout = self._fanout, None
        if fanout is not None:
            fanout.unsubscribe(self)
        self._items.clear()
        self.close()

    async def aclose(self) -> None:
        """:meth:`unsubscribe`, as an async iterator's ``aclose()``."""
        self.unsubscribe()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def __len__(self) -> int:
        return len(self._items)

    async def get(self) -> T:
        """Next item; once closed and drained: ``StopAsyncIteration`` or the close error."""
        while not self._items:
            if self.closed:
                if self.error is not None:
                    raise self.error
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
        self.error: BaseException | None = None

    def subscribe(self, maxsize: int | None = None) -> DropOldestQueue[T]:
        """A new independent drop-oldest iterator (ends when the fanout closes)."""
        q: DropOldestQueue[T] = DropOldestQueue(maxsize or self.default_maxsize)
        if self.closed:
            q.close(self.error)
        else:
            self._queues.add(q)
            q._fanout = self
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

    @property
    def dropped(self) -> int:
        """Items dropped so far by the live subscribers (slow consumers)."""
        return sum(q.dropped for q in list(self._queues))

    def close(self, error: BaseException | None = None) -> None:
        """End every current iterator (with ``error``: they raise it); later subscribers end
        the same way until ``reopen()``."""
        self.closed = True
        self.error = error
        queues = list(self._queues)
        self._queues = weakref.WeakSet()
        for q in queues:
            q.close(error)

    def reopen(self) -> None:
        self.closed = False
        self.error = None


__all__ = ["DropOldestQueue", "Fanout"]
