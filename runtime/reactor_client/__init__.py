"""Runtime core for Reactor model SDKs (contract: docs/runtime-api.md).

A client for Reactor real-time video models (WebRTC through aiortc, or libwebrtc with the
``[native]`` extra): local ``reactor-runtime`` or the cloud coordinator, v0 JSON and v1
protobuf data-channel codecs, typed errors, media iterators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    BadRequestError,
    CommandFailedError,
    CommandValidationError,
    ConfigurationError,
    ConflictError,
    ConnectionError_,
    DisconnectedError,
    InternalModelError,
    InvalidCommandError,
    InvalidStateError,
    MessageTooLargeError,
    ModelMismatchError,
    ModerationError,
    NetworkError,
    NotFoundError,
    PublishRefusedError,
    RateLimitedError,
    ReactorError,
    RequestTimeoutError,
    ServerError,
    SessionEndedError,
    SessionTerminalError,
    SignalingError,
    StepCommandFailedError,
    StepError,
    StepFailedError,
    StepNotReadyError,
    StepRefusedError,
    StepResultTooLargeError,
    TransportError,
    UnauthorizedError,
    UnresolvedUploadError,
    VersionMismatchError,
)
from .status import Status
from .types import Message, ModerationEvent, TrackSpec, UploadReference

__version__ = "0.2.2"
RUNTIME_API_VERSION = 1

from .clips import Clip, ClipFailedError, RecorderDisabledError  # noqa: E402
from .media import (  # noqa: E402
    AudioStream,
    FrameMetadata,
    FrameStream,
    InputTrack,
    OutputTrack,
    Recorder,
    RecordingResult,
    VideoStream,
    frame_metadata,
)
from .options import ClientOptions, ReconnectPolicy  # noqa: E402
from .retry import RetryPolicy  # noqa: E402
from .session.client import LOCAL_API_URL, ReactorClient  # noqa: E402
from .session.dispatch import Subscription  # noqa: E402
from .signaling.http import JwtResolver, JwtSource  # noqa: E402
from .signaling.tokens import DEFAULT_API_URL, afetch_jwt, fetch_jwt  # noqa: E402
from .stats import ConnectionStats, TrackStats  # noqa: E402
from .stepping import H264Frame, StepCommand, StepFile, StepResult  # noqa: E402
from .transport import TransportCapabilities, TransportInfo  # noqa: E402

if TYPE_CHECKING:
    from .stepping import InputFrame as StepInputFrame


def __getattr__(name: str) -> Any:
    """``StepInputFrame`` names PyAV's frame classes, so it is made on first use: importing
    ``reactor_client`` does not import PyAV (a native session that reads ``ndarrays()`` never
    does)."""
    if name == "StepInputFrame":
        from . import stepping

        return stepping.InputFrame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RUNTIME_API_VERSION",
    "__version__",
    "DEFAULT_API_URL",
    "LOCAL_API_URL",
    "ReactorClient",
    "ClientOptions",
    "TransportInfo",
    "TransportCapabilities",
    "Status",
    "Message",
    "ModerationEvent",
    "UploadReference",
    "TrackSpec",
    "Subscription",
    "ReconnectPolicy",
    "RetryPolicy",
    "JwtSource",
    "JwtResolver",
    "OutputTrack",
    "InputTrack",
    "FrameStream",
    "VideoStream",
    "AudioStream",
    "FrameMetadata",
    "frame_metadata",
    "Recorder",
    "RecordingResult",
    "Clip",
    "ConnectionStats",
    "TrackStats",
    "fetch_jwt",
    "afetch_jwt",
    "ReactorError",
    "ConfigurationError",
    "InvalidStateError",
    "CommandValidationError",
    "MessageTooLargeError",
    "ConnectionError_",
    "SignalingError",
    "UnauthorizedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitedError",
    "BadRequestError",
    "ServerError",
    "VersionMismatchError",
    "NetworkError",
    "SessionTerminalError",
    "SessionEndedError",
    "ModerationError",
    "ModelMismatchError",
    "TransportError",
    "DisconnectedError",
    "RequestTimeoutError",
    "PublishRefusedError",
    "CommandFailedError",
    "InvalidCommandError",
    "UnresolvedUploadError",
    "InternalModelError",
    "ClipFailedError",
    "RecorderDisabledError",
    "StepResult",
    "StepCommand",
    "StepFile",
    "StepInputFrame",
    "H264Frame",
    "StepError",
    "StepRefusedError",
    "StepNotReadyError",
    "StepFailedError",
    "StepResultTooLargeError",
    "StepCommandFailedError",
]
