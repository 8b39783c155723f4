"""Data-channel wire codecs: v0 JSON and v1 protobuf behind one interface."""

from .codec import Codec, Inbound, Outbound, WireError, codec_for, decode

__all__ = ["Codec", "Inbound", "Outbound", "WireError", "codec_for", "decode"]
