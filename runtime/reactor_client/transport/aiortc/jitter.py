"""Early frame release: a video jitter buffer that completes a frame on its marker bit.

aiortc's ``JitterBuffer`` hands a video frame to the decoder only when the first packet of the
*next* frame arrives (a timestamp change); the RTP marker bit that ends a frame is ignored, so
every frame waits one frame interval (33 ms at 30 fps) before decoding.
:class:`EarlyReleaseJitterBuffer` releases a frame as soon as the packet carrying the marker
bit arrives **and** every packet from the buffer's origin (the first packet after the previous
frame) up to it is present with the same timestamp. On loss (a gap before the marker, a lost
marker packet) or reordering it falls back to aiortc's timestamp rule unchanged.

A hole that stays: aiortc holds every later packet behind a missing one until 512 packets have
piled up (seconds of frozen video at a few hundred kbit/s) and only then asks for a key frame.
When a hole has waited :data:`HOLE_GIVE_UP` seconds (time for NACKed retransmissions to
arrive), the buffer gives up the frames behind it and asks for a key frame (PLI) at once: a
loss that NACK could not repair freezes the picture for about a second, not for the seconds
512 packets take.

Installed per receiver by :func:`install` (video receivers only; audio keeps aiortc's buffer).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtcrtpreceiver import RTCRtpReceiver
from aiortc.utils import uint16_add

from ...errors import TransportError

_BUFFER_ATTR = "_RTCRtpReceiver__jitter_buffer"
VIDEO_CAPACITY = 512  # what aiortc uses for video
#: Seconds a hole waits for a retransmission before the frames behind it are given up and a
#: key frame is requested: NACK is re-sent as new gaps appear, so under heavy loss (20 %) a hole
#: can take several rounds to fill; past ~1 s the sender's retransmission history (libwebrtc
#: keeps about a second) no longer has the packet.
HOLE_GIVE_UP = 1.0
_MAX_HOLE = 512  # a jump this far ahead is a restart, not a hole


class EarlyReleaseJitterBuffer(JitterBuffer):
    """aiortc's video jitter buffer plus marker-bit release (see the module docstring)."""

    def __init__(
        self, capacity: int = VIDEO_CAPACITY, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(capacity=capacity, is_video=True)
        self.early_releases = 0
        #: Holes given up on (each asked for a key frame).
        self.holes_given_up = 0
        self._clock = clock
        self._hole_since: float | None = None
        self._missing: set[int] = set()
        self._newest: int | None = None

    def add(self, packet: Any) -> tuple[bool, JitterFrame | None]:
        pli_flag, frame = super().add(packet)
        if pli_flag:  # aiortc dropped packets itself (overflow, a reset) and asks for a key frame
            self._missing.clear()
            self._newest = None
        self._track_holes(packet.sequence_number)
        if not self._missing:
            self._hole_since = None
            return pli_flag, frame
        now = self._clock()
        if self._hole_since is None:
            self._hole_since = now
        elif now - self._hole_since >= HOLE_GIVE_UP:
            self.remove(self.capacity)  # the frames behind the hole cannot be decoded anyway
            self._origin = None  # the next packet starts afresh
            self._missing.clear()
            self._newest = None
            self._hole_since = None
            self.holes_given_up += 1
            pli_flag = True  # the receiver sends a PLI: a key frame restarts the decoder
        return pli_flag, frame

    def _track_holes(self, seq: int) -> None:
        """Keep :attr:`_missing`: sequence numbers skipped by a newer packet, not yet arrived
        (O(1) per packet in order)."""
        if self._newest is None:
            self._newest = seq
            return
        ahead = uint16_add(seq, -self._newest)
        if 0 < ahead < _MAX_HOLE:
            self._missing.update(uint16_add(self._newest, i) for i in range(1, ahead))
            self._newest = seq
        elif ahead >= _MAX_HOLE and ahead < 0x8000:  # a jump aiortc resets on: start over
            self._missing.clear()
            self._newest = seq
        else:
            self._missing.discard(seq)  # a late or retransmitted packet filled a hole

    def _remove_frame(self, sequence_number: int) -> JitterFrame | None:
        frame: JitterFrame | None = super()._remove_frame(sequence_number)  # the timestamp rule
        if frame is not None:
            return frame
        return self._release_marked()

    def _release_marked(self) -> JitterFrame | None:
        if self._origin is None:
            return None
        packets: list[Any] = []
        timestamp: int | None = None
        for count in range(self.capacity):
            packet = self._packets[(self._origin + count) % self.capacity]
            if packet is None:
                return None  # a gap: wait (loss or reordering)
            if timestamp is None:
                timestamp = packet.timestamp
            elif packet.timestamp != timestamp:
                return None  # the timestamp rule's case
            packets.append(packet)
            if packet.marker:
                self.remove(count + 1)
                self.early_releases += 1
                return JitterFrame(data=b"".join(p._data for p in packets), timestamp=timestamp)
        return None


def install(receiver: RTCRtpReceiver) -> EarlyReleaseJitterBuffer:
    """Replace ``receiver``'s video jitter buffer (before any packet arrived)."""
    current = getattr(receiver, _BUFFER_ATTR, None)
    if not isinstance(current, JitterBuffer):
        raise TransportError(
            "this aiortc version has no jitter buffer to replace (reactor-client supports aiortc 1.14-1.16)"
        )
    buffer = EarlyReleaseJitterBuffer(current.capacity)
    setattr(receiver, _BUFFER_ATTR, buffer)
    return buffer


__all__ = ["EarlyReleaseJitterBuffer", "HOLE_GIVE_UP", "install"]
