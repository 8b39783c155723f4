"""Media: output and input tracks, the encoded-frame tap, frame metadata, recording, sources."""

from __future__ import annotations

from .metadata import FrameMetadata, frame_metadata
from .recorder import Recorder, RecordingResult
from .tracks import AnyFrame, InputTrack, OutputTrack, TrackControl

__all__ = [
    "AnyFrame",
    "FrameMetadata",
    "InputTrack",
    "OutputTrack",
    "Recorder",
    "RecordingResult",
    "TrackControl",
    "frame_metadata",
]
