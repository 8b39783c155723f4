"""An in-memory transport: a whole session with no network and no runtime process.

:class:`MemoryRuntime` is the far end — a scripted stand-in for a ``reactor-runtime``
that speaks both wire codecs (the first frame the client sends latches one, as on the
real runtime). Pass ``runtime.factory()`` as ``transport=`` to any client constructor::

    runtime = MemoryRuntime("demo", tracks=[TrackSpec("main_video", "video", "recvonly")])
    runtime.on_command = lambda name, data: ("echo", data)   # reply with a message
    async with ReactorClient("demo", transport=runtime.factory()) as client:
        await client.send_command("ping", {"n": 1})
        runtime.broadcast("state", {"running": True})
        runtime.push_frame("main_video", av.VideoFrame(...))
        runtime.lose("cable pulled")                         # the transport dies

It runs the real client code above the transport: signaling order, codec negotiation,
correlation, dispatch, tracks, keepalive and reconnect. It carries no RTP: pushed frames
go straight to the output track (counted as received and decoded).
"""

from __future__ import annotations

from .link import MemorySessionSignaling, MemoryTransport, MemoryTransportFactory
from .runtime import (
    MEMORY_INFO,
    NO_REPLY,
    CommandError,
    CommandResult,
    MemoryRuntime,
    ReceivedCommand,
    ReceivedFrame,
)
from .steps import StepFailure, StepOutput, StepRequest

__all__ = [
    "MEMORY_INFO",
    "NO_REPLY",
    "CommandError",
    "CommandResult",
    "MemoryRuntime",
    "MemorySessionSignaling",
    "MemoryTransport",
    "MemoryTransportFactory",
    "ReceivedCommand",
    "ReceivedFrame",
    "StepFailure",
    "StepOutput",
    "StepRequest",
]
