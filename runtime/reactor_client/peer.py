"""Deprecated: moved to :mod:`reactor_client.transport.aiortc.peer` (this alias goes in reactor-client 0.3)."""

from __future__ import annotations

import warnings

from .transport.aiortc.peer import DEFAULT_MAX_MESSAGE_SIZE, AiortcTransport  # noqa: F401
from .transport.aiortc.peer import AiortcTransport as Peer  # noqa: F401

warnings.warn(
    "reactor_client.peer moved to reactor_client.transport.aiortc.peer; the old path goes in reactor-client 0.3",
    DeprecationWarning,
    stacklevel=2,
)
