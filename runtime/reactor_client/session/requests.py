"""Deprecated: moved to :mod:`reactor_client.wire.correlation` (this alias goes in reactor-client 0.3)."""

from __future__ import annotations

import warnings

from ..wire.correlation import InOrderReplies, PendingRequests  # noqa: F401

warnings.warn(
    "reactor_client.session.requests moved to reactor_client.wire.correlation; the old path goes in reactor-client 0.3",
    DeprecationWarning,
    stacklevel=2,
)
