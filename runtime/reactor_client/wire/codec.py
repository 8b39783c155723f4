"""The built-in codecs by name, and decoding before a codec is negotiated."""

from __future__ import annotations

from . import v0, v1
from .base import Channel, Codec, Frame, Inbound
from .v1 import is_json_frame

_CODECS: dict[str, Codec] = {"v0": v0.V0Codec(), "v1": v1.V1Codec()}


def codec_for(name: str) -> Codec:
    """The built-in codec ``name`` (``"v0"`` or ``"v1"``)."""
    try:
        return _CODECS[name]
    except KeyError:
        raise ValueError(f"no codec {name!r} (known: {sorted(_CODECS)})") from None


def decode(frame: Frame, channel: Channel) -> Inbound:
    """Decode any server frame without knowing the codec: JSON → v0, other bytes → v1
    (how frames are read while the codec is being negotiated). Raises ValueError."""
    return _CODECS["v1"].decode(frame, channel)


__all__ = ["codec_for", "decode", "is_json_frame"]
