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
        if self.on_loop_thread:
            raise InvalidStateError(
                "a blocking call from inside the client's own loop (a listener?) would deadlock; "
                "use the async API there"
            )

    def run(self, coro: Coroutine[Any, Any, T] | Awaitable[T], timeout: float | None = None) -> T:
        """Run ``coro`` on the loop and block until it is done (its result or its exception,
        a ``RequestTimeoutError`` included). ``timeout``: give up (and cancel it) after that
        many seconds with ``TimeoutError``. ``InvalidStateError`` when the loop is closed, or
        closes while waiting."""
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
            done, _ = concurrent.futures.wait([future], timeout)
        except BaseException:  # KeyboardInterrupt while waiting: cancel what we waited for
            future.cancel()
            raise
        if not done:
            future.cancel()
            raise TimeoutError(f"no result within {timeout} s")
        try:
            return future.result()
        except concurrent.futures.CancelledError:
            if self._closed:
                raise InvalidStateError("the client was closed while this call waited") from None
            raise

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a plain function on the loop thread (for APIs that need the running loop)."""

        async def invoke() -> T:
            return fn(*args, **kwargs)

        return self.run(invoke())

    def iterate(
        self, iterator: AsyncIterator[T], *, on_close: Callable[[], Any] | None = None
    ) -> Iterator[T]:
        """A plain iterator over an async iterator living on the loop. ``on_close`` is
        scheduled on the loop when the plain iterator ends, is closed or is collected (to
        unsubscribe what feeds ``iterator``)."""
        try:
            while True:
                try:
                    yield self.run(iterator.__anext__())
                except StopAsyncIteration:
                    return
        finally:
            if on_close is not None:
                self.call_soon(on_close)

    @property
    def closed(self) -> bool:
        return self._closed

    def call_soon(self, fn: Callable[..., Any], *args: Any) -> None:
        """Schedule ``fn(*args)`` on the loop without waiting (safe from any thread, the loop's
        own included); a no-op once closed."""
        if not self._closed:
            try:
                self._loop.call_soon_threadsafe(fn, *args)
            except RuntimeError:  # the loop closed meanwhile: nothing left to do there
                pass

    def subscription(self, inner: Subscription) -> Subscription:
        """A :class:`Subscription` whose ``unsubscribe()`` may be called from any thread: it
        removes ``inner`` on the loop before returning; ``active`` reads through."""
        return _LoopSubscription(inner, self)

    @property
    def on_loop_thread(self) -> bool:
        """Whether the caller runs on this loop's thread (inside a listener)."""
        return threading.current_thread() is self._thread

    def close(self) -> None:
        """Stop the loop (cancelling what still runs on it) and join the thread; idempotent.
        From the loop's own thread (a listener) it only schedules the stop."""
        if self._closed:
            return
        self._closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        if not self.on_loop_thread:
            self._thread.join(10)

    def __enter__(self) -> LoopThread:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _LoopSubscription(Subscription):
    """A subscription made on a :class:`LoopThread`, removable from any thread."""

    def __init__(self, inner: Subscription, loop: LoopThread) -> None:
        super().__init__(inner.callback, lambda _: None)
        self._inner = inner
        self._loop_thread = loop

    @property
    def active(self) -> bool:
        return self._inner.active

    @active.setter
    def active(self, value: bool) -> None:  # Subscription.__init__ sets it; the inner one rules
        pass

    def unsubscribe(self) -> None:
        """Remove the listener (it is not called after this returns); idempotent."""
        if not self._inner.active or self._loop_thread.closed:
            return
        if self._loop_thread.on_loop_thread:
            self._inner.unsubscribe()
        else:
            self._loop_thread.call(self._inner.unsubscribe)


__all__ = ["LoopThread"]
