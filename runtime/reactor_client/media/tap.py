"""The encoded-frame tap: a hook between aiortc's jitter buffer and its decoder.

aiortc's ``RTCRtpReceiver`` hands every re-assembled encoded frame to its decoder thread
through one queue. :func:`install` swaps that queue for a :class:`DecoderFeed` that first
shows each frame to a handler, which may

* strip the frame-metadata trailer (so the decoder gets clean VP8),
* copy the encoded frame to a remuxing recorder,
* count it (fps, bitrate), and
* decide whether the frame is decoded at all: a track nobody reads costs packets, not
  decodes.

This wraps aiortc's receiver from the outside (no fork, no monkeypatching of modules);
the receiver attributes it needs are checked when it is installed.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiortc.rtcrtpreceiver import RTCRtpReceiver

from ..errors import TransportError

_QUEUE_ATTR = "_RTCRtpReceiver__decoder_queue"
_ERROR_ATTR = "_RTCRtpReceiver__decoder_error"


class JitterFrameLike(Protocol):
    data: bytes
    timestamp: int


@dataclass(frozen=True)
class EncodedFrame:
    """One encoded frame as received (after the metadata trailer was removed).

    ``timestamp`` is in the codec's clock (90 kHz video, 48 kHz audio), zero-based like the
    pts of the decoded frames; ``keyframe`` is known for VP8 (else ``None``).
    """

    codec: str
    data: bytes
    timestamp: int
    keyframe: bool | None


FeedHandler = Callable[[str, JitterFrameLike], bool]


class DecoderFeed(queue.Queue):  # type: ignore[type-arg]
    """The receiver's decoder queue, with a handler deciding what reaches the decoder."""

    def __init__(self, handler: FeedHandler) -> None:
        super().__init__()
        self.handler = handler
        self.forwarded = 0

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        if item is not None:
            codec, frame = item
            if not self.handler(str(getattr(codec, "name", "")), frame):
                return
            self.forwarded += 1
        super().put(item, block, timeout)


def install(receiver: RTCRtpReceiver, handler: FeedHandler) -> DecoderFeed:
    """Put a :class:`DecoderFeed` in front of ``receiver``'s decoder (before it starts)."""
    current = getattr(receiver, _QUEUE_ATTR, None)
    if not isinstance(current, queue.Queue) or not isinstance(
        getattr(receiver, _ERROR_ATTR, None), threading.Event
    ):
        raise TransportError(
            "this aiortc version has no decoder queue to tap (reactor-client supports aiortc 1.14-1.16)"
        )
    feed = DecoderFeed(handler)
    setattr(receiver, _QUEUE_ATTR, feed)
    return feed


def request_keyframe(receiver: RTCRtpReceiver) -> None:
    """Make ``receiver`` send a PLI with its next packet (aiortc's own decode-error path)."""
    event = getattr(receiver, _ERROR_ATTR, None)
    if isinstance(event, threading.Event):
        event.set()


def vp8_keyframe(data: bytes) -> bool:
    """RFC 6386 §9.1: bit 0 of the frame tag is 0 on a key frame."""
    return len(data) >= 3 and (data[0] & 0x01) == 0


def vp8_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a VP8 key frame header (None for an inter frame)."""
    if not vp8_keyframe(data) or len(data) < 10 or data[3:6] != b"\x9d\x01\x2a":
        return None
    width = int.from_bytes(data[6:8], "little") & 0x3FFF
    height = int.from_bytes(data[8:10], "little") & 0x3FFF
    return width, height


__all__ = ["EncodedFrame", "DecoderFeed", "install", "request_keyframe", "vp8_keyframe", "vp8_size"]
