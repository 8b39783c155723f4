"""Deprecated: moved to :mod:`reactor_client.transport.aiortc.tap` (this alias goes in reactor-client 0.3)."""

from __future__ import annotations

import warnings

from ..transport.aiortc.tap import DecoderFeed, install, request_keyframe  # noqa: F401

warnings.warn(
    "reactor_client.media.tap moved to reactor_client.transport.aiortc.tap; the old path goes in reactor-client 0.3",
    DeprecationWarning,
    stacklevel=2,
)
