"""Deprecated: moved to :mod:`reactor_client.transport.aiortc.jitter` (this alias goes in reactor-client 0.3)."""

from __future__ import annotations

import warnings

from ..transport.aiortc.jitter import EarlyReleaseJitterBuffer, install  # noqa: F401

warnings.warn(
    "reactor_client.media.jitter moved to reactor_client.transport.aiortc.jitter; the old path goes in reactor-client 0.3",
    DeprecationWarning,
    stacklevel=2,
)
