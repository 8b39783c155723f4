"""Blocking use of the async client: one event loop in a background thread.

The generated ``reactor_models.<model>.sync`` modules are built on this package:
:class:`SyncModel` (the blocking twin of :class:`reactor_client.typed.ModelClient`),
:class:`SyncOutputTrack` / :class:`SyncInputTrack` and :class:`SyncClip`, all running their
coroutines on one :class:`LoopThread` per model. :class:`LoopThread` is also usable directly::

    from reactor_client import ReactorClient
    from reactor_client.sync import LoopThread

    with LoopThread() as loop:
        client = loop.call(ReactorClient, "feature-model", local=True)  # built on the loop
        loop.run(client.connect())
        frames = loop.call(client.output_track("main_video").frames)  # subscribe on the loop
        for frame in loop.iterate(frames):
            ...
        loop.run(client.disconnect())

Coroutines run on the loop thread; listeners (``on_<message>``, ``on_frame``, ``on_status``)
run there too, not on the caller's thread: keep them short, and do not make blocking calls
into the same model from inside one (that raises ``InvalidStateError`` instead of
deadlocking; the guard knows only the model's own loop). Ctrl-C in the caller cancels the coroutine it was waiting for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .blocking import Blocking, blocking
from .loop import LoopThread
from .tracks import SyncClip, SyncInputTrack, SyncOutputTrack

if TYPE_CHECKING:
    from .model import SyncModel

__all__ = [
    "Blocking",
    "LoopThread",
    "SyncClip",
    "SyncInputTrack",
    "SyncModel",
    "SyncOutputTrack",
    "blocking",
]


def __getattr__(name: str) -> object:
    # SyncModel needs pydantic (the ``typed`` extra, which every generated package has);
    # LoopThread and the track wrappers do not.
    if name == "SyncModel":
        from .model import SyncModel

        return SyncModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
