"""Faster bulk data over aiortc: the levers, which ones are on, and applying them.

aiortc 1.16 carries data channels over its own pure-Python SCTP, DTLS (pyOpenSSL) and asyncio
UDP sockets. Several of its choices cost bulk transfers (a stepped result of megabytes, a
camera upload) more than the protocols require. Each is a *lever* that :func:`speed_up` (on the
SCTP association, and through it the DTLS transport) and :func:`tune_sockets` (on the ICE
sockets, after gathering) change for one connection. The classes are subclasses swapped into
that connection's objects: no fork, nothing global, other aiortc users in the process are
untouched.

SCTP (:mod:`.sctp`):

``reassembly``
    ``InboundStream.pop_messages`` rescans a stream's whole reassembly list on every arriving
    chunk, so a message of *n* chunks costs O(n²) (a 64 KiB frame is 57 chunks). A chunk
    appended after every other one that is not a message's last fragment cannot complete a
    message (and an ordered stream only advances when one completes), so the scan is skipped.
``delayed_sack``
    aiortc answers every packet that carries DATA with a SACK: one more DTLS record and UDP
    send per received packet. RFC 9260 §6.2 asks for a SACK on every second such packet or
    200 ms after the first unacknowledged one, and at once when a gap or a duplicate is seen.
``burst_sack`` (implies ``delayed_sack``; only on a same-host path)
    Packets read in one burst (``batched_reads``) are decrypted and handled back to back; the
    SACK due every second packet waits until the burst is handled (the loop runs it next), so
    one SACK covers the burst (at most 16 packets; a gap, a gap being filled or a duplicate is
    still answered at once). This departs from RFC 9260 §6.2's "at least every second packet":
    a sender that sends at most 4 packets per SACK (aiortc, dcsctp's max burst) cannot grow
    its flight against such SACKs, which costs nothing when the round trip is ~0 and much on a
    real network. So it acts only when the selected ICE pair joins two addresses of this
    machine (:func:`note_path`: a local runtime, the stepped-generation and test setup);
    elsewhere every second packet is acknowledged.
``flush``
    ``_data_channel_flush`` hands the next queued message to SCTP only once the outbound
    queue is empty, so between two messages the window drains. Messages are moved while
    less than a window's worth of chunks waits, and transmitted once (the burst limit holds);
    a channel's ``bufferedAmount`` no longer counts them, the association's queue does.
``transmit``
    ``_transmit`` runs after every SACK and walks the whole sent queue (a window's worth of
    chunks) looking for chunks to retransmit, though only a SACK reporting gaps or an expired
    T3 timer ever marks one. The walk is skipped until one of those happens.

DTLS (:mod:`.dtls`):

``dtls_flush``
    After decrypting every received record, aiortc's DTLS transport asks pyOpenSSL for bytes
    to send back; there are none after the handshake, so pyOpenSSL raises ``WantReadError``
    and aiortc catches it: an exception per received packet. The memory BIO's length is read
    first (``BIO_get_mem_data``) and the read skipped when it is empty.

UDP (:mod:`.sockets`):

``socket_buffers``
    The ICE transport's UDP sockets keep the kernel default buffer (~208 KiB on Linux: some
    170 packets). A native peer sends a burst faster than one Python thread drains it, the
    rest is dropped, and SCTP retransmits and halves its window. The sockets ask for 4 MiB;
    the kernel caps it at ``net.core.rmem_max``/``wmem_max`` (about 208 KiB on a default
    Linux, where the lever changes nothing: raise those sysctls to benefit).
``batched_reads``
    asyncio's datagram transport reads one datagram per readiness event, so every packet
    costs a full event-loop iteration (an ``epoll_wait`` and the loop's bookkeeping). The ICE
    sockets read up to 64 datagrams per event instead, in arrival order.

``REACTOR_SCTP_LEVERS`` chooses them for diagnosis and benchmarks (``all``, the default;
``none``; or a comma-separated list). ``bench/sctp_bench.py`` measures each.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import Any

from aiortc.rtcdtlstransport import RTCDtlsTransport

from ...errors import ConfigurationError
from . import dtls, sockets
from .sctp import FastInboundStream, FastSctpTransport

log = logging.getLogger("reactor_client")

LEVERS = (
    "reassembly",
    "delayed_sack",
    "burst_sack",
    "flush",
    "transmit",
    "dtls_flush",
    "socket_buffers",
    "batched_reads",
)
"""Every lever, in the order the module docstring explains them."""
ENV_VAR = "REACTOR_SCTP_LEVERS"


def parse_levers(spec: str | None) -> frozenset[str]:
    """``"all"``/``None`` → every lever, ``"none"``/``"stock"`` → none, else a comma list
    (ValueError names an unknown lever)."""
    if spec is None or spec.strip() in ("", "all"):
        return frozenset(LEVERS)
    if spec.strip() in ("none", "stock"):
        return frozenset()
    chosen = {part.strip() for part in spec.split(",") if part.strip()}
    unknown = sorted(chosen - set(LEVERS))
    if unknown:
        raise ValueError(
            f"{ENV_VAR}: unknown SCTP lever(s) {', '.join(unknown)}; "
            f"known: {', '.join(LEVERS)}, 'all' or 'none'"
        )
    if "burst_sack" in chosen:
        chosen.add("delayed_sack")  # a burst's SACK is a delayed SACK
    return frozenset(chosen)


def configured_levers() -> frozenset[str]:
    """The levers ``REACTOR_SCTP_LEVERS`` asks for (all when unset; ConfigurationError names
    an unknown one)."""
    try:
        return parse_levers(os.environ.get(ENV_VAR))
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None


def speed_up(transport: Any, levers: Iterable[str] | None = None) -> None:
    """Apply ``levers`` (default: :func:`configured_levers`) to one aiortc ``RTCSctpTransport``
    and the DTLS transport under it. Call it before the association starts (a T3 timer armed
    earlier is re-armed), and again once the answer is applied: bundling may have given the
    association another DTLS transport. Idempotent; ``levers`` empty leaves it stock."""
    chosen = configured_levers() if levers is None else frozenset(levers)
    if transport is None:
        return
    if not chosen and not isinstance(transport, FastSctpTransport):
        return
    if not isinstance(transport, FastSctpTransport):
        transport.__class__ = FastSctpTransport
        transport._rg_adopt()
    transport._rg_levers = chosen
    dtls_transport = getattr(transport, "transport", None)
    if "dtls_flush" in chosen and type(dtls_transport) is RTCDtlsTransport and dtls.available():
        dtls_transport.__class__ = dtls.FastDtlsTransport
    if "reassembly" in chosen:
        for stream_id, inbound in list(transport._inbound_streams.items()):
            transport._inbound_streams[stream_id] = FastInboundStream.from_stream(inbound)


def note_path(pc: Any) -> bool:
    """Once ICE is connected: tell ``pc``'s association whether its selected pair joins two
    addresses of this machine (a local runtime). ``burst_sack`` acts only there, where the
    sender's burst limit per SACK cannot starve a window (the round trip is ~0). Returns it."""
    same_host = sockets.selected_pair_is_local(pc)
    if isinstance(pc.sctp, FastSctpTransport):
        pc.sctp._rg_same_host = same_host
    return same_host


def tune_sockets(pc: Any, levers: Iterable[str] | None = None) -> int:
    """Apply the socket levers (``socket_buffers``, ``batched_reads``) to the UDP sockets of
    ``pc``'s ICE transports; call after gathering. Returns how many sockets were tuned."""
    chosen = configured_levers() if levers is None else frozenset(levers)
    tuned = 0
    for transport in sockets.ice_datagram_transports(pc):
        if "socket_buffers" in chosen:
            sockets.widen(transport)
        if "batched_reads" in chosen:
            sockets.batch_reads(transport)
        tuned += 1
    return tuned


__all__ = [
    "ENV_VAR",
    "LEVERS",
    "configured_levers",
    "note_path",
    "parse_levers",
    "speed_up",
    "tune_sockets",
]
