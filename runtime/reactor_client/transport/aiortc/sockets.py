"""The ICE transport's UDP sockets with the ``socket_buffers`` and ``batched_reads`` levers
(see :mod:`.levers`)."""

from __future__ import annotations

import ipaddress
import logging
import socket
from asyncio import selector_events
from collections.abc import Iterator
from typing import Any

log = logging.getLogger("reactor_client")

READ_BATCH = 64
"""Datagrams the ``batched_reads`` lever reads per readiness event, at most."""
SOCKET_BUFFER = 4 * 1024 * 1024
"""Receive and send buffer the ``socket_buffers`` lever asks for (the kernel caps it at
``net.core.rmem_max`` / ``wmem_max``)."""


def widen(transport: Any) -> None:
    """Ask for :data:`SOCKET_BUFFER` on the datagram transport's socket (best effort)."""
    sock = transport.get_extra_info("socket")
    if sock is None:
        return
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
    except OSError as exc:  # a platform that refuses: the default stays
        log.debug("socket buffer not widened: %s", exc)


def batch_reads(transport: Any) -> None:
    """Make a selector datagram transport read up to :data:`READ_BATCH` datagrams per event
    (other loops, uvloop's for one, keep their own reader). Like asyncio's own reader it stops
    when the transport is closed or paused, and reads the protocol anew for every datagram."""
    selector_transport = getattr(selector_events, "_SelectorDatagramTransport", None)
    if selector_transport is None or not isinstance(transport, selector_transport):
        return
    if getattr(transport, "_rg_batched", False):
        return
    sock = transport._sock

    def read_ready() -> None:
        for _ in range(READ_BATCH):
            if transport._conn_lost or transport._closing or not transport.is_reading():
                return
            try:
                data, addr = sock.recvfrom(transport.max_size)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                transport._protocol.error_received(exc)
                return
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:  # what asyncio's own reader does
                transport._fatal_error(exc, "Fatal read error on datagram transport")
                return
            transport._protocol.datagram_received(data, addr)

    transport._read_ready = read_ready  # pause/resume_reading register it from here on
    transport._rg_batched = True
    if transport.is_reading():  # the transport's own registration: honours close and pause
        transport._add_reader(transport._sock_fd, read_ready)


def ice_datagram_transports(pc: Any) -> Iterator[Any]:
    """The asyncio datagram transports under ``pc``'s ICE transports (each once)."""
    seen: set[int] = set()
    for ice in _ice_transports(pc):
        connection = getattr(ice, "_connection", None)
        for protocol in getattr(connection, "_protocols", ()):
            transport = getattr(protocol, "transport", None)
            if transport is not None and id(transport) not in seen:
                seen.add(id(transport))
                yield transport


def selected_pair_is_local(pc: Any) -> bool:
    """Whether every selected ICE pair of ``pc`` joins two addresses of this machine
    (loopback, or the remote address is one of our own candidates' hosts)."""
    pairs: list[Any] = []
    own: set[str] = set()
    for ice in _ice_transports(pc):
        connection = getattr(ice, "_connection", None)
        pairs.extend(getattr(connection, "_nominated", {}).values())
        own.update(c.host for c in getattr(connection, "local_candidates", ()))
    if not pairs:
        return False
    for pair in pairs:
        host = pair.remote_addr[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:  # a name (mDNS): not known to be this machine
            return False
        if not (loopback or host in own):
            return False
    return True


def _ice_transports(pc: Any) -> Iterator[Any]:
    seen: set[int] = set()
    for owner in [pc.sctp, *(t.sender for t in pc.getTransceivers())]:
        ice = getattr(getattr(owner, "transport", None), "transport", None)
        if ice is not None and id(ice) not in seen:
            seen.add(id(ice))
            yield ice


__all__ = [
    "READ_BATCH",
    "SOCKET_BUFFER",
    "batch_reads",
    "ice_datagram_transports",
    "selected_pair_is_local",
    "widen",
]
