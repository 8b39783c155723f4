"""Media: output and input tracks, the encoded-frame tap, frame metadata, recording, sources."""

from __future__ import annotations

from .control import TrackControl
from .inputs import InputTrack
from .metadata import FrameMetadata, frame_metadata
from .recorder import Recorder, RecordingResult
from .streams import ArrayStream, AudioStream, FrameStream, VideoStream
from .tracks import AnyFrame, OutputTrack

__all__ = [
    "AnyFrame",
    "ArrayStream",
    "AudioStream",
    "FrameStream",
    "VideoStream",
    "FrameMetadata",
    "InputTrack",
    "OutputTrack",
    "Recorder",
    "RecordingResult",
    "TrackControl",
    "frame_metadata",
]
