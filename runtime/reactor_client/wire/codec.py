"""One entry point for both codecs: ``decode(frame, channel)`` dispatches on str/bytes."""

from __future__ import annotations

from typing import Literal

from . import v0, v1
from .base import Channel, Codec, Frame, Inbound, Outbound, WireError

_V0 = v0.V0Codec()
_V1 = v1.V1Codec()


def codec_for(name: Literal["v0", "v1"]) -> Codec:
    """The encoder for ``name``."""
    return _V1 if name == "v1" else _V0


def is_json_frame(frame: Frame) -> bool:
    """True for a v0 frame: text, or bytes whose first non-whitespace byte is ``{``/``[`` (§6.1)."""
    if isinstance(frame, str):
        return True
    stripped = bytes(frame).lstrip()
    return stripped[:1] in (b"{", b"[")


def decode(frame: Frame, channel: Channel) -> Inbound:
    """Decode any inbound frame: JSON → v0, other bytes → v1. Raises ValueError."""
    if is_json_frame(frame):
        return v0.decode(frame)
    assert isinstance(frame, (bytes, bytearray))
    return v1.decode(bytes(frame), channel)


__all__ = ["Codec", "Inbound", "Outbound", "WireError", "codec_for", "decode", "is_json_frame"]
