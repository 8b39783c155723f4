"""The transport seam (:mod:`.base`) and its engines: :mod:`.aiortc` (the default) and
:mod:`.memory` (in-memory, for tests)."""

from .base import (
    MediaSink,
    RtpCounters,
    Transport,
    TransportCapabilities,
    TransportEvents,
    TransportFactory,
    TransportInfo,
    TransportSetup,
)
from .registry import register_transport, resolve_transport

__all__ = [
    "MediaSink",
    "RtpCounters",
    "Transport",
    "TransportCapabilities",
    "TransportEvents",
    "TransportFactory",
    "TransportInfo",
    "TransportSetup",
    "register_transport",
    "resolve_transport",
]
