"""aiortc's SCTP association with the ``reassembly``, ``delayed_sack``, ``burst_sack``, ``flush``
and ``transmit`` levers (explained in :mod:`.levers`, which swaps these classes into a connection)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from typing import Any

from aiortc import rtcsctptransport as stock
from aiortc.utils import uint32_gt

log = logging.getLogger("reactor_client")

SACK_DELAY = 0.2
"""Seconds an acknowledgement may wait for a second packet (RFC 9260 §6.2: at most 500 ms)."""
BURST_SACK_MAX = 16
"""With ``burst_sack`` (same-host paths only), packets a SACK may cover at most (a longer burst
is acknowledged in parts)."""
FLUSH_AHEAD = 64 * 1024
"""Bytes of queued chunks the ``flush`` lever keeps ahead of the window, at least."""


class FastInboundStream(stock.InboundStream):
    """An inbound stream whose in-order, not-last chunks skip the reassembly scan."""

    def __init__(self) -> None:
        super().__init__()
        self._completes_nothing = False

    @classmethod
    def from_stream(cls, inbound: stock.InboundStream) -> FastInboundStream:
        if isinstance(inbound, FastInboundStream):
            return inbound
        fast = cls()
        fast.reassembly = inbound.reassembly
        fast.sequence_number = inbound.sequence_number
        return fast

    def add_chunk(self, chunk: stock.DataChunk) -> None:
        appended = not self.reassembly or uint32_gt(chunk.tsn, self.reassembly[-1].tsn)
        super().add_chunk(chunk)
        self._completes_nothing = appended and not chunk.flags & stock.SCTP_DATA_LAST_FRAG

    def pop_messages(self) -> Iterator[tuple[int, int, bytes]]:
        if self._completes_nothing:
            self._completes_nothing = False  # holds for the chunk just added only
            return iter(())
        return super().pop_messages()

    def prune_chunks(self, tsn: int) -> int:
        self._completes_nothing = False
        return super().prune_chunks(tsn)


class FastSctpTransport(stock.RTCSctpTransport):
    """aiortc's SCTP association with the levers of this module (see :func:`speed_up`)."""

    _rg_levers: frozenset[str]
    _rg_unacked_packets: int
    _rg_sack_timer: asyncio.TimerHandle | None
    _rg_may_retransmit: bool
    _rg_burst_sack_due: bool
    _rg_same_host: bool
    """The selected ICE pair joins two addresses of this machine (see :mod:`.levers`)."""
    _rg_hold_transmit: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rg_adopt()

    def _rg_adopt(self) -> None:
        """Give an instance that was created as a stock transport this class's state. A T3
        timer armed before the swap is re-armed, so it expires into this class's handler."""
        self._rg_levers = frozenset()
        self._rg_unacked_packets = 0
        self._rg_sack_timer = None
        self._rg_may_retransmit = True
        self._rg_burst_sack_due = False
        self._rg_same_host = False
        self._rg_hold_transmit = False
        if getattr(self, "_t3_handle", None) is not None:
            self._t3_restart()

    # ------------------------------------------------------------------ transmit
    async def _receive_sack_chunk(self, chunk: stock.SackChunk) -> None:
        if chunk.gaps:  # only gap reports strike chunks for retransmission
            self._rg_may_retransmit = True
        await super()._receive_sack_chunk(chunk)

    def _t3_expired(self) -> None:
        self._rg_may_retransmit = True  # before stock marks every outstanding chunk
        super()._t3_expired()

    async def _transmit(self) -> None:
        if self._rg_hold_transmit:
            return  # the flush lever transmits once after moving its messages
        if "transmit" not in self._rg_levers or self._rg_may_retransmit:
            await super()._transmit()
            if "transmit" in self._rg_levers:
                self._rg_may_retransmit = any(c._retransmit for c in self._sent_queue)
            return
        # nothing is marked for retransmission: stock's steps without the walk
        if self._forward_tsn_chunk is not None:
            await self._send_chunk(self._forward_tsn_chunk)
            self._forward_tsn_chunk = None
            if not self._t3_handle:
                self._t3_start()
        burst = (2 if self._fast_recovery_exit is not None else 4) * stock.USERDATA_MAX_LENGTH
        window = min(self._flight_size + burst, self._cwnd)
        while self._outbound_queue and self._flight_size < window:
            data = self._outbound_queue.popleft()
            self._sent_queue.append(data)
            self._flight_size_increase(data)
            data._sent_count += 1
            data._sent_time = time.time()
            await self._send_chunk(data)
            if not self._t3_handle:
                self._t3_start()

    # ------------------------------------------------------------------ reassembly
    def _get_inbound_stream(self, stream_id: int) -> stock.InboundStream:
        if "reassembly" not in self._rg_levers:
            return super()._get_inbound_stream(stream_id)
        inbound = self._inbound_streams.get(stream_id)
        if inbound is None:
            inbound = self._inbound_streams[stream_id] = FastInboundStream()
        return inbound

    # ------------------------------------------------------------------ delayed SACK
    async def _handle_data(self, data: bytes) -> None:
        if "delayed_sack" not in self._rg_levers:
            return await super()._handle_data(data)
        try:
            _, _, verification_tag, chunks = stock.parse_packet(data)
        except ValueError:
            return
        is_init = any(isinstance(chunk, stock.InitChunk) for chunk in chunks)
        if is_init and len(chunks) != 1:
            return  # an INIT must travel alone (RFC 9260 §6.10)
        if verification_tag != (0 if is_init else self._local_verification_tag):
            return
        had_gap = bool(self._sack_misordered)
        for chunk in chunks:
            await self._receive_chunk(chunk)
        if not self._sack_needed:
            return
        self._rg_unacked_packets += 1
        carried_data = any(isinstance(chunk, stock.DataChunk) for chunk in chunks)
        urgent = (
            not carried_data  # FORWARD TSN and the like: answer now
            or had_gap  # this packet may fill it: tell the sender at once (RFC 5681 §4.2)
            or self._sack_misordered  # a gap: the sender needs to know (RFC 9260 §6.7)
            or self._sack_duplicates
            or self._association_state != self.State.ESTABLISHED
        )
        burst = "burst_sack" in self._rg_levers and self._rg_same_host
        if urgent or self._rg_unacked_packets >= (BURST_SACK_MAX if burst else 2):
            await self._send_sack()
            return
        loop = self._loop or asyncio.get_running_loop()
        if self._rg_unacked_packets >= 2:
            if not self._rg_burst_sack_due:
                # the rest of this read burst is processed before the loop runs this
                self._rg_burst_sack_due = True
                loop.call_soon(self._rg_burst_sack)
        elif self._rg_sack_timer is None:
            self._rg_sack_timer = loop.call_later(SACK_DELAY, self._rg_sack_due)

    def _rg_burst_sack(self) -> None:
        self._rg_burst_sack_due = False
        self._rg_sack_soon()

    def _rg_sack_due(self) -> None:
        self._rg_sack_timer = None
        self._rg_sack_soon()

    def _rg_sack_soon(self) -> None:
        if self._sack_needed and self._association_state == self.State.ESTABLISHED:
            asyncio.ensure_future(self._rg_send_delayed_sack())

    async def _rg_send_delayed_sack(self) -> None:
        if not self._sack_needed or self._association_state != self.State.ESTABLISHED:
            return
        try:
            await self._send_sack()
        except ConnectionError as exc:  # the DTLS transport closed under us
            log.debug("delayed SCTP SACK not sent: %s", exc)

    async def _send_sack(self) -> None:
        self._rg_cancel_sack_timer()
        self._rg_unacked_packets = 0
        await super()._send_sack()

    def _rg_cancel_sack_timer(self) -> None:
        timer, self._rg_sack_timer = self._rg_sack_timer, None
        if timer is not None:
            timer.cancel()

    def _set_state(self, state: stock.RTCSctpTransport.State) -> None:
        if state == self.State.CLOSED:
            self._rg_cancel_sack_timer()
        super()._set_state(state)

    # ------------------------------------------------------------------ flush
    async def _data_channel_flush(self) -> None:
        if "flush" not in self._rg_levers:
            return await super()._data_channel_flush()
        if self._association_state != self.State.ESTABLISHED:
            return
        ahead = max(self._cwnd, FLUSH_AHEAD)
        self._rg_hold_transmit = True  # one transmit below keeps the burst limit (RFC 9260 §6.1)
        try:
            await self._rg_move_messages(ahead)
        finally:
            self._rg_hold_transmit = False
        await self._transmit()
        await self._transmit_reconfig()  # a stream reset may have waited for these messages

    async def _rg_move_messages(self, ahead: int) -> None:
        """Hand queued data-channel messages to SCTP until ``ahead`` bytes of chunks wait."""
        while self._data_channel_queue and self._rg_queued_bytes() < ahead:
            channel, protocol, user_data = self._data_channel_queue.popleft()
            stream_id = self._rg_stream_id(channel)
            if protocol == stock.WEBRTC_DCEP:
                await self._send(stream_id, protocol, user_data)
                continue
            lifetime = channel.maxPacketLifeTime
            await self._send(
                stream_id,
                protocol,
                user_data,
                expiry=time.time() + lifetime / 1000 if lifetime else None,
                max_retransmits=channel.maxRetransmits,
                ordered=channel.ordered,
            )
            channel._addBufferedAmount(-len(user_data))

    def _rg_queued_bytes(self) -> int:
        return len(self._outbound_queue) * stock.USERDATA_MAX_LENGTH

    def _rg_stream_id(self, channel: Any) -> int:
        """The channel's SCTP stream, assigned on its first message (odd/even by role)."""
        if channel.id is not None:
            return int(channel.id)
        stream_id = self._data_channel_id
        assert stream_id is not None, "stream ids are assigned once the association started"
        while stream_id in self._data_channels:
            stream_id += 2
        self._data_channels[stream_id] = channel
        channel._setId(stream_id)
        return stream_id


__all__ = ["BURST_SACK_MAX", "FLUSH_AHEAD", "SACK_DELAY", "FastInboundStream", "FastSctpTransport"]
