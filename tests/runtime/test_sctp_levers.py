"""The aiortc data-channel levers (``reactor_client.transport.aiortc.levers``): each changes what
it says on a real aiortc association, and each assertion fails on stock aiortc (the ``stock``
runs show it).

Two aiortc peer connections talk over loopback in this process; no runtime is needed.
"""

from __future__ import annotations

import asyncio
import collections
import os
import random
from pathlib import Path
from typing import Any

import pytest
from aiortc import RTCConfiguration, RTCPeerConnection
from aiortc import rtcsctptransport as stock

from reactor_client.transport.aiortc import dtls, levers, sctp, sockets

pytestmark = pytest.mark.aiortc_only


# ----------------------------------------------------------------------------- reassembly
def _chunks(messages: list[tuple[int, int, bytes]], *, ordered: bool, tsn: int) -> list[Any]:
    """DATA chunks of ``messages`` ((stream, seq, payload)), 100-byte fragments from ``tsn``."""
    out = []
    for stream_id, seq, payload in messages:
        parts = [payload[i : i + 100] for i in range(0, len(payload), 100)] or [b""]
        for i, part in enumerate(parts):
            chunk = stock.DataChunk()
            chunk.flags = (stock.SCTP_DATA_FIRST_FRAG if i == 0 else 0) | (
                stock.SCTP_DATA_LAST_FRAG if i == len(parts) - 1 else 0
            )
            if not ordered:
                chunk.flags |= stock.SCTP_DATA_UNORDERED
            chunk.tsn = (tsn + len(out)) % 2**32
            chunk.stream_id, chunk.stream_seq, chunk.protocol = stream_id, seq, 53
            chunk.user_data = part
            out.append(chunk)
    return out


def _deliver(stream: stock.InboundStream, chunks: list[Any]) -> list[tuple[int, int, bytes]]:
    got: list[tuple[int, int, bytes]] = []
    for chunk in chunks:
        stream.add_chunk(chunk)
        got.extend(stream.pop_messages())
    return got


@pytest.mark.parametrize("ordered", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_fast_reassembly_delivers_what_stock_delivers(ordered: bool, seed: int) -> None:
    """Same messages, same order, for chunks that arrive shuffled locally (retransmissions
    fill gaps), near the TSN wrap-around."""
    rng = random.Random(seed)
    messages = [(0, seq, os.urandom(rng.randrange(0, 900))) for seq in range(12)]
    chunks = _chunks(messages, ordered=ordered, tsn=2**32 - 20)
    for i in range(0, len(chunks) - 1, 2):  # swap some neighbours: gaps that fill later
        if rng.random() < 0.4:
            chunks[i], chunks[i + 1] = chunks[i + 1], chunks[i]
    expected = _deliver(stock.InboundStream(), chunks)
    assert _deliver(sctp.FastInboundStream(), chunks) == expected
    if ordered:
        assert expected == [(0, 53, payload) for _, _, payload in messages]
    else:
        assert sorted(p for *_, p in expected) == sorted(p for *_, p in messages)


class _CountingList(list):  # type: ignore[type-arg]
    """A reassembly list that counts how often the scan reads it."""

    reads = 0

    def __getitem__(self, index: Any) -> Any:
        _CountingList.reads += 1
        return super().__getitem__(index)


@pytest.mark.parametrize("variant", ["stock", "fast"])
def test_reassembly_of_one_message_is_linear(variant: str) -> None:
    """A 2000-chunk message in order: the stock scan reads the list ~n²/2 times, ours ~n."""
    stream = stock.InboundStream() if variant == "stock" else sctp.FastInboundStream()
    stream.reassembly = _CountingList()
    (payload,) = [os.urandom(200_000)]
    chunks = _chunks([(0, 0, payload)], ordered=True, tsn=1)
    _CountingList.reads = 0
    for chunk in chunks:
        stream.add_chunk(chunk)
        for message in stream.pop_messages():
            assert message[2] == payload
        if not isinstance(stream.reassembly, _CountingList):  # the scan rebuilt it
            stream.reassembly = _CountingList(stream.reassembly)
    n = len(chunks)
    if variant == "stock":
        assert _CountingList.reads > n * n // 4  # what the lever removes
    else:
        assert _CountingList.reads < 4 * n


# ----------------------------------------------------------------------------- a real pair
async def _pair(chosen: frozenset[str]) -> tuple[Any, Any, Any, list[Any]]:
    config = RTCConfiguration(iceServers=[])
    sender, receiver = RTCPeerConnection(config), RTCPeerConnection(config)
    channel = sender.createDataChannel("bulk")
    levers.speed_up(sender.sctp, chosen)
    levers.speed_up(receiver.sctp, chosen)  # None until the offer arrives: applied below
    inbox: list[Any] = []

    @receiver.on("datachannel")
    def _incoming(ch: Any) -> None:
        ch.on("message", inbox.append)

    await sender.setLocalDescription(await sender.createOffer())
    await receiver.setRemoteDescription(sender.localDescription)
    levers.speed_up(receiver.sctp, chosen)
    await receiver.setLocalDescription(await receiver.createAnswer())
    await sender.setRemoteDescription(receiver.localDescription)
    for pc in (sender, receiver):
        levers.tune_sockets(pc, chosen)
    opened = asyncio.Event()
    channel.on("open", opened.set)
    await asyncio.wait_for(opened.wait(), 20)
    for pc in (sender, receiver):
        levers.note_path(pc)  # as the aiortc transport does once connected
    return sender, receiver, channel, inbox


async def _send_all(channel: Any, inbox: list[Any], count: int) -> None:
    """Send ``count`` random 64 KiB messages and wait until they all arrived, intact."""
    payload = os.urandom(64 * 1024)
    for _ in range(count):
        channel.send(payload)
    await _drain(inbox, count)
    assert inbox == [payload] * count


class _SackWatch:
    """Counts a receiving association's DATA packets and SACKs; ``lone``: SACKs sent while
    handling a packet that was the only one since the last SACK, with no gap or duplicate."""

    def __init__(self, transport: Any) -> None:
        self.packets = self.sacks = self.lone = self.gap_sacks = 0
        # packets the lever saw before this watch began (the channel's open message)
        self._since = getattr(transport, "_rg_unacked_packets", 0)
        self._inside = self._had_gap = False
        handle, send_sack = transport._handle_data, transport._send_sack

        async def handled(data: bytes) -> None:
            self.packets += 1
            self._since += 1
            self._had_gap = bool(transport._sack_misordered)  # this packet may fill it
            self._inside = True
            try:
                await handle(data)
            finally:
                self._inside = False

        async def sent() -> None:
            self.sacks += 1
            problem = bool(transport._sack_misordered or transport._sack_duplicates)
            problem = problem or (self._inside and self._had_gap)
            self.gap_sacks += problem
            self.lone += self._inside and self._since == 1 and not problem
            self._since = 0
            await send_sack()

        transport._handle_data, transport._send_sack = handled, sent


async def _drain(inbox: list[Any], count: int) -> None:
    for _ in range(3000):
        if len(inbox) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{len(inbox)} of {count} messages arrived")


@pytest.mark.parametrize("variant", ["stock", "delayed_sack"])
async def test_delayed_sack_acknowledges_in_order_packets_in_pairs(variant: str) -> None:
    """1 MiB in 64 KiB messages. Stock answers every in-order DATA packet with its own SACK;
    the lever never does (it waits for a second packet or the 200 ms timer) but still answers
    a gap or a duplicate at once, and leaves nothing unacknowledged."""
    chosen = frozenset() if variant == "stock" else frozenset({"delayed_sack"})
    sender, receiver, channel, inbox = await _pair(chosen)
    transport = receiver.sctp
    watch = _SackWatch(transport)
    try:
        await _send_all(channel, inbox, 16)
        await asyncio.sleep(sctp.SACK_DELAY * 2)  # the timer acknowledges a lone last packet
        assert watch.sacks > 100
        if variant == "stock":
            assert watch.lone > 100  # what the lever removes
        else:
            assert watch.lone == 0
            assert not transport._sack_needed  # nothing left unacknowledged
    finally:
        await sender.close()
        await receiver.close()


@pytest.mark.parametrize("variant", ["stock", "flush"])
async def test_flush_queues_the_next_message_before_the_window_drains(variant: str) -> None:
    """With the lever the outbound queue holds chunks of more than one message while a burst
    is sent; stock moves the next message only once the queue is empty."""
    chosen = frozenset() if variant == "stock" else frozenset({"flush"})
    sender, receiver, channel, inbox = await _pair(chosen)
    transport = sender.sctp
    most = 0
    original = transport._transmit

    async def watched() -> None:
        nonlocal most
        most = max(most, len({chunk.stream_seq for chunk in transport._outbound_queue}))
        await original()

    transport._transmit = watched
    try:
        await _send_all(channel, inbox, 24)
        if variant == "stock":
            assert most <= 1
        else:
            assert most >= 2
    finally:
        await sender.close()
        await receiver.close()


def test_lever_names_are_checked() -> None:
    assert levers.parse_levers(None) == frozenset(levers.LEVERS)
    assert levers.parse_levers("none") == frozenset()
    assert levers.parse_levers("flush, reassembly") == {"flush", "reassembly"}
    with pytest.raises(ValueError, match="unknown SCTP lever.*bundle.*known: reassembly"):
        levers.parse_levers("bundle")


def test_a_bad_lever_in_the_environment_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reactor_client.errors import ConfigurationError

    monkeypatch.setenv(levers.ENV_VAR, "delayed_sack,bundle")
    with pytest.raises(ConfigurationError, match="REACTOR_SCTP_LEVERS: unknown SCTP lever"):
        levers.configured_levers()


def test_speed_up_is_idempotent_and_keeps_streams() -> None:
    transport = stock.RTCSctpTransport.__new__(stock.RTCSctpTransport)
    transport._inbound_streams = {3: stock.InboundStream()}
    transport._inbound_streams[3].sequence_number = 7
    levers.speed_up(transport, {"reassembly"})
    levers.speed_up(transport, {"reassembly"})
    assert type(transport) is sctp.FastSctpTransport
    moved = transport._inbound_streams[3]
    assert isinstance(moved, sctp.FastInboundStream) and moved.sequence_number == 7


class _WatchedDeque(collections.deque):  # type: ignore[type-arg]
    """A sent queue that counts the walks ``_transmit`` makes over it."""

    walking = False
    walks = 0

    def __iter__(self) -> Any:
        if _WatchedDeque.walking:
            _WatchedDeque.walks += 1
        return super().__iter__()


@pytest.mark.parametrize("variant", ["stock", "transmit"])
async def test_transmit_walks_the_sent_queue_only_after_a_loss(variant: str) -> None:
    """Stock ``_transmit`` walks the sent queue on every call; with the lever it does so only
    after a gap report or a T3 expiry (wide socket buffers keep loopback loss-free here)."""
    chosen = {"socket_buffers"} | (set() if variant == "stock" else {"transmit"})
    sender, receiver, channel, inbox = await _pair(frozenset(chosen))
    transport = sender.sctp
    transport._sent_queue = _WatchedDeque(transport._sent_queue)
    original, calls = transport._transmit, 0

    async def watched() -> None:
        nonlocal calls
        calls += 1
        _WatchedDeque.walking = True
        try:
            await original()
        finally:
            _WatchedDeque.walking = False

    transport._transmit = watched
    _WatchedDeque.walks = 0
    try:
        payload = os.urandom(64 * 1024)
        for _ in range(16):
            channel.send(payload)
        await _drain(inbox, 16)
        assert inbox == [payload] * 16 and calls > 100
        if variant == "stock":
            assert _WatchedDeque.walks >= calls  # what the lever removes
        else:
            assert _WatchedDeque.walks < calls / 2
    finally:
        await sender.close()
        await receiver.close()


@pytest.mark.skipif(not Path("/proc/sys/net/core/rmem_max").exists(), reason="Linux sysctls")
@pytest.mark.parametrize("variant", ["stock", "socket_buffers"])
async def test_socket_buffers_are_widened(variant: str) -> None:
    import socket

    chosen = frozenset() if variant == "stock" else frozenset({"socket_buffers"})
    sender, receiver, _channel, _inbox = await _pair(chosen)
    try:
        transports = [
            *sockets.ice_datagram_transports(sender),
            *sockets.ice_datagram_transports(receiver),
        ]
        socks = [t.get_extra_info("socket") for t in transports]
        assert socks
        sizes = [s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) for s in socks]
        # the kernel caps the request at net.core.rmem_max and reports twice what it granted
        cap = int(Path("/proc/sys/net/core/rmem_max").read_text())
        default = int(Path("/proc/sys/net/core/rmem_default").read_text())
        granted = 2 * min(sockets.SOCKET_BUFFER, cap)
        if granted <= 2 * default:
            pytest.skip(f"net.core.rmem_max is {cap}: the kernel grants no wider buffer")
        if variant == "stock":
            assert max(sizes) < granted  # aiortc's own buffer, below what the lever gets
        else:
            assert min(sizes) >= granted
    finally:
        await sender.close()
        await receiver.close()


@pytest.mark.parametrize("variant", ["stock", "batched_reads"])
async def test_batched_reads_take_a_burst_in_one_event(variant: str) -> None:
    """A burst of datagrams waiting in the socket: asyncio's reader takes one per loop
    iteration, the lever takes them all in one, in order."""
    import socket

    loop = asyncio.get_running_loop()
    received: list[bytes] = []

    class Collect(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: Any) -> None:
            received.append(data)

    transport, _ = await loop.create_datagram_endpoint(Collect, local_addr=("127.0.0.1", 0))
    await asyncio.sleep(0)  # connection_made and the reader registration run
    await asyncio.sleep(0)
    if variant == "batched_reads":
        sockets.batch_reads(transport)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        burst = [f"packet {i}".encode() for i in range(20)]
        for packet in burst:
            sender.sendto(packet, transport.get_extra_info("sockname"))
        for _ in range(3):
            await asyncio.sleep(0)
        if variant == "stock":
            assert len(received) <= 3  # what the lever removes
        else:
            assert received == burst
    finally:
        sender.close()
        transport.close()


@pytest.mark.parametrize("variant", ["stock", "dtls_flush"])
async def test_dtls_flush_skips_the_empty_read(variant: str) -> None:
    """After the handshake nothing waits to be sent when a record was decrypted: stock still
    calls pyOpenSSL's ``bio_read`` (which raises ``WantReadError``) per received packet."""
    from OpenSSL import SSL

    chosen = frozenset() if variant == "stock" else frozenset({"dtls_flush"})
    sender, receiver, channel, inbox = await _pair(chosen)
    dtls_transport = receiver.sctp.transport
    assert (type(dtls_transport) is dtls.FastDtlsTransport) is (variant == "dtls_flush")
    connection, empty_reads = dtls_transport._ssl, 0
    bio_read = connection.bio_read

    def counted(size: int) -> bytes:
        nonlocal empty_reads
        try:
            return bio_read(size)
        except SSL.WantReadError:
            empty_reads += 1
            raise

    connection.bio_read = counted
    try:
        await _send_all(channel, inbox, 8)
        if variant == "stock":
            assert empty_reads > 100
        else:
            assert empty_reads == 0
    finally:
        await sender.close()
        await receiver.close()


@pytest.mark.parametrize("variant", ["delayed_sack", "burst_sack"])
async def test_burst_sack_acknowledges_a_read_burst_once(variant: str) -> None:
    """With delayed SACK alone, every second packet of a burst gets its SACK; with
    ``burst_sack`` the burst read in one wake-up is acknowledged once (at most 16 packets)."""
    chosen = frozenset({"batched_reads", "socket_buffers", "delayed_sack"})
    if variant == "burst_sack":
        chosen |= {"burst_sack"}
    sender, receiver, channel, inbox = await _pair(chosen)
    transport = receiver.sctp
    assert getattr(transport, "_rg_same_host", False)  # both peers on this machine
    watch = _SackWatch(transport)
    try:
        await _send_all(channel, inbox, 32)
        await asyncio.sleep(sctp.SACK_DELAY * 2)
        packets, sacks = watch.packets, watch.sacks
        assert packets > 32 * 50 and not transport._sack_needed
        if variant == "delayed_sack":
            assert sacks > 0.4 * packets
        else:
            assert packets / 16 <= sacks < 0.3 * packets
    finally:
        await sender.close()
        await receiver.close()


async def test_a_lost_packet_is_retransmitted_and_its_gap_reported_at_once() -> None:
    """Every lever on, one DATA packet dropped on the way in: the receiver reports the gap at
    once, the sender retransmits (the ``transmit`` lever's walk resumes after a gap report)
    and every message arrives intact and in order."""
    sender, receiver, channel, inbox = await _pair(frozenset(levers.LEVERS))
    transport = receiver.sctp
    watch = _SackWatch(transport)
    handle, data_packets = transport._handle_data, 0

    async def lossy(data: bytes) -> None:
        nonlocal data_packets
        if len(data) > 12 and data[12] == 0:  # the first chunk is DATA
            data_packets += 1
            if data_packets == 40:
                return  # lost on the way
        await handle(data)

    transport._handle_data = lossy
    try:
        await _send_all(channel, inbox, 8)
        assert data_packets > 40 and watch.gap_sacks >= 1
    finally:
        await sender.close()
        await receiver.close()


async def test_burst_sack_waits_for_a_same_host_path() -> None:
    """``burst_sack`` acts only on a same-host path (a SACK per up to 16 packets would starve
    a sender limited to 4 packets per SACK on a real network): on a path not known to be
    local, every second packet is acknowledged as with ``delayed_sack`` alone."""
    sender, receiver, channel, inbox = await _pair(frozenset(levers.LEVERS))
    transport = receiver.sctp
    transport._rg_same_host = False  # as for a remote runtime
    watch = _SackWatch(transport)
    try:
        await _send_all(channel, inbox, 16)
        await asyncio.sleep(sctp.SACK_DELAY * 2)
        assert watch.sacks > 0.4 * watch.packets
        assert levers.parse_levers("burst_sack") == {"burst_sack", "delayed_sack"}
    finally:
        await sender.close()
        await receiver.close()
