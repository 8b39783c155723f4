"""Closing a native transport: engine objects are dropped off the event loop, every one of
them (whatever outlives the engine crashes when it is freed), and transports still open at
interpreter exit are closed."""

from __future__ import annotations

import asyncio
import atexit
import logging
import sys
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import reactor_webrtc as rw

if TYPE_CHECKING:
    from .peer import NativeTransport

log = logging.getLogger("reactor_client")

CLOSE_TIMEOUT = 5.0


def _drop(held: list[Any]) -> bool:
    """Close the channels in ``held``, then drop every engine object in it (the peer
    connection closes); returns whether ``held`` had the only references to them. No local
    name may hold an item: whatever outlives the engine crashes when it is freed."""
    for i in range(len(held)):
        if isinstance(held[i], rw.DataChannel):
            try:
                held[i].close(0.0)
            except Exception:  # noqa: BLE001 - best effort
                pass
    sole = all(sys.getrefcount(held[i]) <= 2 for i in range(len(held)) if held[i] is not None)
    held.clear()
    return sole


async def _release_off_loop(held: list[Any], release_engine: Callable[[bool], None]) -> None:
    """Drop the engine objects in ``held`` and return the engine lease on a short-lived
    thread: libwebrtc closes the connection and joins its threads there, which must not
    stall the event loop. Waits until it is done."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def release() -> None:
        try:
            release_engine(_drop(held))
        finally:
            try:
                loop.call_soon_threadsafe(_settle, done)
            except RuntimeError:  # the loop is gone
                pass

    thread = threading.Thread(target=release, name="reactor-native-close", daemon=True)
    thread.start()
    try:
        await asyncio.wait_for(asyncio.shield(done), CLOSE_TIMEOUT)
    except asyncio.TimeoutError:
        log.warning("native transport: closing the peer connection took over %s s", CLOSE_TIMEOUT)
        return
    thread.join(1.0)


def _settle(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)


_LIVE: weakref.WeakSet[NativeTransport] = weakref.WeakSet()
_EXIT_HOOK = False


def _track_for_exit(transport: NativeTransport) -> None:
    global _EXIT_HOOK
    _LIVE.add(transport)
    if not _EXIT_HOOK:
        _EXIT_HOOK = True
        atexit.register(_close_all_at_exit)


def _close_all_at_exit() -> None:
    for transport in list(_LIVE):
        try:
            transport._close_at_exit()
        except Exception:  # noqa: BLE001 - exiting anyway
            pass


__all__ = ["CLOSE_TIMEOUT"]
