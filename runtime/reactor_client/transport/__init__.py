"""The transport seam (:mod:`.base`) and its engines: :mod:`.aiortc` (the default),
:mod:`.native` (libwebrtc through reactor_webrtc, ``reactor-client[native]``) and
:mod:`.memory` (in-memory, for tests). Engines are imported only when chosen
(:func:`resolve_transport`)."""

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
