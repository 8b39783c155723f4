"""Keepalive and liveness probing for one transport generation.

The runtime drops a client that sends nothing for 20 s, so :class:`Keepalive` pings every
``PING_INTERVAL`` seconds. It also notices a transport that died silently (a frozen or
killed server does not always close SCTP): when media stops for ``MEDIA_STALL_PROBE``
seconds, or nothing at all arrives for ``IDLE_PROBE`` seconds, it sends a probe (a request
the runtime must answer) and declares the transport dead when, within ``PROBE_TIMEOUT``,
neither the answer nor anything else arrives (an answer queued behind a long download from
the runtime is late, but the download's chunks show the runtime is alive).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from ..errors import ReactorError, RequestTimeoutError

PING_INTERVAL = 5.0
MEDIA_STALL_PROBE = 2.0  # frames stopped this long → probe the transport
IDLE_PROBE = 4.0  # nothing inbound this long → probe the transport
PROBE_TIMEOUT = 3.0
TICK = 0.5


class Keepalive:
    """Pings and probes until :meth:`stop` (or until it reports the transport dead, once)."""

    def __init__(
        self,
        *,
        ping: Callable[[], None],
        probe: Callable[[float], Awaitable[object]],
        last_media: Callable[[], float],
        on_dead: Callable[[str], None],
    ) -> None:
        self._ping = ping
        self._probe_request = probe
        self._last_media = last_media
        self._on_dead = on_dead
        self.last_inbound = time.monotonic()
        self._task: asyncio.Task[None] | None = None
        self._probing = False
        self._dead = False
        self._probes: set[asyncio.Future[None]] = set()

    def touch(self) -> None:
        """Something arrived from the runtime."""
        self.last_inbound = time.monotonic()

    def start(self) -> None:
        self.last_inbound = time.monotonic()
        self._task = asyncio.ensure_future(self._loop())

    def stop(self) -> None:
        """Stop pinging; a probe still in flight reports nothing any more."""
        self._dead = True
        for probe in list(self._probes):
            if probe is not asyncio.current_task():
                probe.cancel()
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def _report_dead(self, reason: str) -> None:
        if not self._dead:
            self._dead = True
            self._on_dead(reason)

    async def _loop(self) -> None:
        last_ping = time.monotonic()  # the codec negotiation already sent the first frame
        last_probe = 0.0
        while not self._dead:
            await asyncio.sleep(TICK)
            now = time.monotonic()
            if now - last_ping >= PING_INTERVAL:
                last_ping = now
                try:
                    self._ping()
                except ReactorError as exc:
                    self._report_dead(f"ping failed: {exc}")
                    return
            last_media = self._last_media()
            stalled = (
                last_media > 0 and MEDIA_STALL_PROBE < now - last_media and last_media > last_probe
            )
            idle = now - self.last_inbound > IDLE_PROBE and now - last_probe > IDLE_PROBE
            if (stalled or idle) and not self._probing:
                last_probe = now
                probe = asyncio.ensure_future(self._probe())
                self._probes.add(probe)
                probe.add_done_callback(self._probes.discard)

    async def _probe(self) -> None:
        self._probing = True
        sent = time.monotonic()
        try:
            await self._probe_request(PROBE_TIMEOUT)
        except RequestTimeoutError:
            if self.last_inbound > sent:
                return  # no answer yet, but the runtime is sending: alive
            silent = time.monotonic() - self.last_inbound
            self._report_dead(
                f"runtime did not answer a liveness probe within {PROBE_TIMEOUT} s "
                f"(nothing arrived for {silent:.1f} s)"
            )
        except ReactorError:
            pass
        finally:
            self._probing = False


__all__ = ["Keepalive", "PING_INTERVAL", "PROBE_TIMEOUT"]
