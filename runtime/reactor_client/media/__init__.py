"""Media: output and input tracks, the encoded-frame tap, frame metadata, recording, sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .control import TrackControl
from .inputs import InputTrack
from .metadata import FrameMetadata, frame_metadata
from .pixels import PixelFrame
from .recorder import Recorder, RecordingResult
from .streams import ArrayStream, AudioStream, FrameStream, VideoStream
from .tracks import OutputTrack

if TYPE_CHECKING:
    from .feed import AnyFrame


def __getattr__(name: str) -> Any:
    """``AnyFrame`` is made on first use (importing this package does not import PyAV)."""
    if name == "AnyFrame":
        from . import feed

        return feed.AnyFrame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AnyFrame",
    "ArrayStream",
    "AudioStream",
    "FrameStream",
    "VideoStream",
    "FrameMetadata",
    "InputTrack",
    "OutputTrack",
    "PixelFrame",
    "Recorder",
    "RecordingResult",
    "TrackControl",
    "frame_metadata",
]
