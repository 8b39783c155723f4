"""Listener registry: sync/async callbacks with unsubscribe handles; failures go to ``on_error``."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..errors import ReactorError

log = logging.getLogger("reactor_client")
T = TypeVar("T")
ErrorSink = Callable[[BaseException], None]


class Subscription:
    """Returned by every ``on_*`` registration. Call it (or ``.unsubscribe()``) to remove the listener."""

    def __init__(
        self, callback: Callable[..., Any], remove: Callable[[Subscription], None]
    ) -> None:
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


def listener_error(exc: BaseException, what: str = "listener") -> ReactorError:
    """What a failing listener is reported as (a ``ReactorError`` as is, else ``LISTENER_ERROR``)."""
    if isinstance(exc, ReactorError):
        return exc
    err = ReactorError(f"{what} raised {exc!r}", code="LISTENER_ERROR")
    err.__cause__ = exc
    return err


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


__all__ = ["Subscription", "Listeners", "invoke", "listener_error"]
