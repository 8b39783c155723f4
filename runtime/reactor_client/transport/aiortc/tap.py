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
from typing import Any

from aiortc.rtcrtpreceiver import RTCRtpReceiver

from ...errors import TransportError
from ...media.encoded import JitterFrameLike

_QUEUE_ATTR = "_RTCRtpReceiver__decoder_queue"
_ERROR_ATTR = "_RTCRtpReceiver__decoder_error"


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


__all__ = ["DecoderFeed", "FeedHandler", "install", "request_keyframe"]
