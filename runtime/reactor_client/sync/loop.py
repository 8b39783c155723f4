"""The background event loop behind every blocking call (:class:`LoopThread`)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar

from ..errors import InvalidStateError
from ..session.dispatch import Subscription

T = TypeVar("T")


class LoopThread:
    """An asyncio event loop running in a daemon thread until :meth:`close`."""

    def __init__(self, name: str = "reactor-client-loop") -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)
        self._thread.start()
        self._ready.wait()
        self._closed = False

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._ready.set)
        self._loop.run_forever()
        pending = [t for t in asyncio.all_tasks(self._loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        self._loop.close()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def _check(self) -> None:
        if self._closed:
            raise InvalidStateError("this LoopThread is closed")
        if threading.current_thread() is self._thread:
            raise InvalidStateError(
                "a blocking call from inside the client's own loop (a listener?) would deadlock; "
                "use the async API there"
            )

    def run(self, coro: Coroutine[Any, Any, T] | Awaitable[T], timeout: float | None = None) -> T:
        """Run ``coro`` on the loop and block until it is done (its result or its exception)."""
        try:
            self._check()
        except InvalidStateError:
            if asyncio.iscoroutine(coro):
                coro.close()  # never started: no "was never awaited" warning
            raise

        async def wrapper() -> T:
            return await coro

        future = asyncio.run_coroutine_threadsafe(wrapper(), self._loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(f"no result within {timeout} s") from None
        except BaseException:
            future.cancel()
            raise

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a plain function on the loop thread (for APIs that need the running loop)."""

        async def invoke() -> T:
            return fn(*args, **kwargs)

        return self.run(invoke())

    def iterate(self, iterator: AsyncIterator[T]) -> Iterator[T]:
        """A plain iterator over an async iterator living on the loop."""
        while True:
            try:
                yield self.run(iterator.__anext__())
            except StopAsyncIteration:
                return

    @property
    def closed(self) -> bool:
        return self._closed

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        """Schedule ``fn(*args)`` on the loop without waiting (safe from any thread, the loop's
        own included); a no-op once closed."""
        if not self._closed:
            self._loop.call_soon_threadsafe(fn, *args)

    def subscription(self, inner: Subscription) -> Subscription:
        """A :class:`Subscription` whose ``unsubscribe()`` may be called from any thread: it
        removes ``inner`` on the loop."""
        return Subscription(inner.callback, lambda _: self.call_soon(inner.unsubscribe))

    def close(self) -> None:
        """Stop the loop (cancelling what still runs on it) and join the thread; idempotent."""
        if self._closed:
            return
        self._closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> LoopThread:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["LoopThread"]
