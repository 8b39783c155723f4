"""Data-channel wire codecs: v0 JSON and v1 protobuf behind one :class:`Codec` protocol."""

from .base import (
    Channel,
    Codec,
    CodecCapabilities,
    Correlator,
    Inbound,
    Outbound,
    ReplyKind,
    TrackVerb,
    WireError,
)
from .codec import codec_for, decode, is_json_frame

__all__ = [
    "Channel",
    "Codec",
    "CodecCapabilities",
    "Correlator",
    "Inbound",
    "Outbound",
    "ReplyKind",
    "TrackVerb",
    "WireError",
    "codec_for",
    "decode",
    "is_json_frame",
]
