"""Handing engine-thread callbacks to the event loop.

``reactor_webrtc`` calls back on libwebrtc's own threads (signaling, network, decoder),
with the GIL held. Nothing of the session may run there: every callback is turned into a
``loop.call_soon_threadsafe`` of the real work, which runs on the transport's event loop in
the order the engine reported it. After :meth:`LoopHandoff.close` (the transport closed)
posts are dropped, and so is anything posted earlier that has not run yet, so no callback
reaches the session after ``close()``. Posting never raises into the engine: a closed loop
(the application ended) drops the post too.

This module imports nothing from the engine, so its behaviour is unit-tested without it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("reactor_client")


class LoopHandoff:
    """Runs callables posted from any thread on ``loop`` until closed."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.closed = False
        #: Posts that ran, and posts dropped because the hand-off or the loop was closed.
        self.ran = 0
        self.dropped = 0

    def post(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args)`` on the loop soon (callable from any thread; never raises)."""
        if self.closed:
            self.dropped += 1
            return
        try:
            self.loop.call_soon_threadsafe(self._run, fn, args)
        except RuntimeError:  # the loop is closed: nobody is left to tell
            self.dropped += 1

    def _run(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        if self.closed:
            self.dropped += 1
            return
        self.ran += 1
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 - one bad callback must not stop the others
            log.exception("native transport callback %s failed", getattr(fn, "__name__", fn))

    def close(self) -> None:
        """Drop every later post, and every earlier one that has not run yet."""
        self.closed = True


def guarded(fn: Callable[..., None]) -> Callable[..., None]:
    """``fn`` as an engine callback: an exception never propagates into the engine's thread
    (where it would be printed as unraisable, or lost)."""

    def callback(*args: Any) -> None:
        try:
            fn(*args)
        except BaseException:  # noqa: BLE001 - nothing may escape into a native thread
            pass

    callback.__name__ = getattr(fn, "__name__", "callback")
    return callback


__all__ = ["LoopHandoff", "guarded"]
