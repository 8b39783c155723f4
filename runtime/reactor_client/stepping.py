"""Stepped generation: session start options, step requests, results and their errors.

A session started with ``generation="stepped"`` streams nothing; each
:meth:`ReactorClient.step` request carries state, commands and input frames and is answered
with exactly the frames the model produced (``reactor_wire.v1`` ``RequestStep`` /
``StepResult`` on the data channel, over a chunked connection; see
``../shared/reference/stepped-generation.md``). This module is pure: it builds the protobuf
request, reads the result and maps failure codes to errors; the client sends and correlates.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import numpy as np
import numpy.typing as npt

from .errors import (
    ConfigurationError,
    ReactorError,
    SessionEndedError,
    StepCommandFailedError,
    StepError,
    StepFailedError,
    StepNotReadyError,
    StepRefusedError,
    StepResultTooLargeError,
)
from .kinds import AUDIO, VIDEO, TrackKind, is_video
from .wire.pb import data_pb2, model_pb2, step_pb2
from .wire.v1 import REQUEST, to_struct

if TYPE_CHECKING:
    from typing import TypeAlias

    import av

Generation = Literal["streamed", "stepped"]
TrackT = TypeVar("TrackT", bound=str)
MAX_STEPS = 10_000


@dataclass(frozen=True)
class StepCommand:
    """One command of a step request (or of ``starting_input``): wire name and arguments."""

    command: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"command": self.command, "data": dict(self.data)}


@dataclass(frozen=True)
class H264Frame:
    """One already encoded H.264 access unit (Annex B) for an input video track.

    Sent as ``FRAME_ENCODING_H264``. reactor-runtime 3.10.0 decodes only ``RAW`` frames and
    refuses others (``StepRefusedError`` naming the ``media_input`` entry).
    """

    data: bytes
    capture_time_us: int | None = None


CommandLike = StepCommand | tuple[str, Mapping[str, Any]] | Mapping[str, Any]
if TYPE_CHECKING:
    InputFrame: TypeAlias = npt.NDArray[Any] | av.VideoFrame | av.AudioFrame | H264Frame
TrackKindName = TrackKind


def as_command(item: CommandLike, where: str) -> StepCommand:
    """Normalise a :class:`StepCommand`, a ``(name, data)`` pair or ``{"command", "data"}``."""
    if isinstance(item, StepCommand):
        return item
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return StepCommand(item[0], dict(item[1] or {}))
    if isinstance(item, Mapping) and isinstance(item.get("command"), str):
        unknown = set(item) - {"command", "data"}
        if unknown:
            raise ConfigurationError(f"{where}: unknown keys {sorted(unknown)}")
        return StepCommand(item["command"], dict(item.get("data") or {}))
    raise ConfigurationError(
        f"{where}: expected StepCommand, (name, data) or {{'command', 'data'}}, got {item!r}"
    )


def session_start_body(
    generation: Generation | None,
    steps: int | None,
    starting_input: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The session start options as the ``/start_session`` (and ``POST /sessions``) body keys.

    ``starting_input`` is ``{"state": {field: value}, "commands": [command, ...]}`` (either
    key optional; commands as accepted by :func:`as_command`).
    """
    body: dict[str, Any] = {}
    if generation is not None:
        if generation not in ("streamed", "stepped"):
            raise ConfigurationError(
                f"generation must be 'streamed' or 'stepped', not {generation!r}"
            )
        body["generation"] = generation
    if steps is not None:
        if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
            raise ConfigurationError(f"steps must be an int in 1..{MAX_STEPS}, not {steps!r}")
        body["steps"] = steps
    if starting_input is not None:
        if not isinstance(starting_input, Mapping):
            raise ConfigurationError("starting_input must be a mapping with 'state'/'commands'")
        unknown = set(starting_input) - {"state", "commands"}
        if unknown:
            raise ConfigurationError(
                f"starting_input has unknown keys {sorted(unknown)}; expected 'state' and 'commands'"
            )
        start: dict[str, Any] = {}
        if starting_input.get("state") is not None:
            start["state"] = dict(starting_input["state"])
        if starting_input.get("commands") is not None:
            start["commands"] = [
                as_command(c, f"starting_input.commands[{i}]").to_json()
                for i, c in enumerate(starting_input["commands"])
            ]
        body["starting_input"] = start
    return body


# ----------------------------------------------------------------------------- request
_KINDS = {"video": step_pb2.TRACK_KIND_VIDEO, "audio": step_pb2.TRACK_KIND_AUDIO}


def _raw(array: npt.NDArray[Any], dtype: str) -> step_pb2.Frame:
    wire = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<"))
    return step_pb2.Frame(
        encoding=step_pb2.FRAME_ENCODING_RAW,
        dtype=dtype,
        shape=list(wire.shape),
        data=wire.tobytes(),
    )


def _pyav() -> Any:
    """PyAV if it is imported, else None: a PyAV frame exists only once PyAV is imported, so
    checking whether a value is one never imports it (~17 MB a stepped session need not pay)."""
    return sys.modules.get("av")


def _pyav_frame_types() -> tuple[type, ...]:
    pyav = _pyav()
    return () if pyav is None else (pyav.VideoFrame, pyav.AudioFrame)


def _audio_samples(array: npt.NDArray[Any]) -> npt.NDArray[np.int16]:
    samples = np.asarray(array)
    if samples.ndim == 1:
        samples = samples.reshape(1, -1)
    if np.issubdtype(samples.dtype, np.floating):
        return (samples * 32767.0).clip(-32768, 32767).astype(np.int16)
    return samples.astype(np.int16, copy=False)


def _audio_frame_samples(frame: av.AudioFrame) -> npt.NDArray[Any]:
    samples = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if not frame.format.is_planar and channels > 1:
        samples = samples.reshape(-1, channels).T
    return samples


def encode_frame(frame: InputFrame, kind: TrackKindName | None, where: str) -> step_pb2.Frame:
    """One input frame as a wire ``Frame`` (``RAW`` RGB ``uint8 (H, W, 3)`` / ``int16
    (channels, samples)``, or ``H264``)."""
    pyav = _pyav()
    if isinstance(frame, H264Frame):
        out = step_pb2.Frame(encoding=step_pb2.FRAME_ENCODING_H264, data=bytes(frame.data))
        if frame.capture_time_us is not None:
            out.capture_time_us = frame.capture_time_us
        return out
    if pyav is not None and isinstance(frame, pyav.VideoFrame):
        return _raw(frame.to_ndarray(format="rgb24"), "uint8")
    if pyav is not None and isinstance(frame, pyav.AudioFrame):
        return _raw(_audio_samples(_audio_frame_samples(frame)), "int16")
    if not isinstance(frame, np.ndarray):
        raise ConfigurationError(
            f"{where}: expected a numpy array, av.VideoFrame, av.AudioFrame or H264Frame, "
            f"got {type(frame).__name__}"
        )
    if kind is None:
        kind = VIDEO if frame.ndim == 3 else AUDIO
    if is_video(kind):
        if frame.ndim != 3 or frame.shape[2] != 3 or 0 in frame.shape:
            raise ConfigurationError(
                f"{where}: a video frame is an RGB array (H, W, 3), got shape {list(frame.shape)}"
            )
        if frame.dtype != np.uint8:
            raise ConfigurationError(f"{where}: a video frame is uint8, got {frame.dtype}")
        return _raw(frame, "uint8")
    if frame.ndim not in (1, 2) or frame.size == 0:
        raise ConfigurationError(
            f"{where}: audio samples are (samples,) or (channels, samples), got {list(frame.shape)}"
        )
    return _raw(_audio_samples(frame), "int16")


def build_request(
    request_id: str,
    state: Mapping[str, Any] | None,
    commands: Iterable[CommandLike] | None,
    media: Mapping[str, Sequence[InputFrame]] | None,
    kinds: Mapping[str, TrackKindName],
) -> bytes:
    """The serialized ``DataClientMessage`` carrying one ``RequestStep``.

    ``kinds`` gives the kind of each input track; a track it does not name is sent with an
    unspecified kind (the runtime refuses a track the model does not take, naming the entry).
    """
    one_frame = (np.ndarray, H264Frame, *_pyav_frame_types())
    req = step_pb2.RequestStep()
    if state:
        req.state.CopyFrom(to_struct(state))
    for index, item in enumerate(commands or ()):
        cmd = as_command(item, f"commands[{index}]")
        req.commands.append(model_pb2.Command(type=cmd.command, data=to_struct(cmd.data)))
    for track, frames in (media or {}).items():
        kind = kinds.get(track)
        entry = req.media_input.add(track=track, kind=_KINDS[kind] if kind else 0)
        if isinstance(frames, one_frame):
            raise ConfigurationError(f"media[{track!r}] is a list of frames, not one frame")
        entry.frames.extend(
            encode_frame(frame, kind, f"media[{track!r}][{i}]") for i, frame in enumerate(frames)
        )
    msg = data_pb2.DataClientMessage(request_id=request_id, kind=REQUEST)
    msg.request_step.CopyFrom(req)
    return bytes(msg.SerializeToString())


# ----------------------------------------------------------------------------- result
@dataclass(frozen=True)
class StepFile:
    """A file the model kept with the step (served by ``GET /sessions/{id}/steps/{n}/{name}``)."""

    name: str
    content_type: str
    size: int


def decode_frame(frame: step_pb2.Frame) -> npt.NDArray[Any]:
    """A ``RAW`` wire frame as an array (video ``(H, W, 3) uint8`` RGB, audio ``int16``)."""
    if frame.encoding != step_pb2.FRAME_ENCODING_RAW:
        raise ReactorError(
            f"step result frame encoding {step_pb2.FrameEncoding.Name(frame.encoding)} "
            "is not supported (only RAW)",
            code="UNSUPPORTED_FRAME",
        )
    dtype = np.dtype(frame.dtype or "uint8").newbyteorder("<")
    return np.frombuffer(frame.data, dtype=dtype).reshape(tuple(frame.shape))


class StepResult(Generic[TrackT]):
    """What one step produced: its number, the time ``generate()`` took, files and frames.

    ``TrackT`` is the type of the output track names (a ``Literal`` in generated SDKs)."""

    __slots__ = ("step", "elapsed_seconds", "files", "_tracks")

    def __init__(self, msg: step_pb2.StepResult) -> None:
        self.step: int = int(msg.step)
        self.elapsed_seconds: float = float(msg.elapsed_seconds)
        self.files: tuple[StepFile, ...] = tuple(
            StepFile(f.name, f.content_type, int(f.size)) for f in msg.files
        )
        self._tracks: dict[str, step_pb2.TrackFrames] = {t.track: t for t in msg.tracks}

    @property
    def tracks(self) -> tuple[str, ...]:
        """Names of the output tracks that carry frames in this result."""
        return tuple(self._tracks)

    def frames(self, track: TrackT) -> list[npt.NDArray[Any]]:
        """The frames of output track ``track`` in order (empty if it produced none):
        video as RGB ``(H, W, 3) uint8``, audio as ``int16 (channels, samples)``; the
        arrays are read-only views of the received bytes."""
        entry = self._tracks.get(track)
        return [] if entry is None else [decode_frame(f) for f in entry.frames]

    def frame_metadata(self, track: TrackT) -> list[bytes | None]:
        """The metadata the model attached to each frame of ``track`` (None where none)."""
        entry = self._tracks.get(track)
        if entry is None:
            return []
        return [f.metadata if f.HasField("metadata") else None for f in entry.frames]

    def rate(self, track: TrackT) -> float | None:
        """The rate the frames of ``track`` play at (fps, or the audio sample rate)."""
        entry = self._tracks.get(track)
        return float(entry.rate) if entry is not None else None

    def __repr__(self) -> str:
        counts = ", ".join(f"{n}: {len(t.frames)}" for n, t in self._tracks.items())
        return f"<StepResult step={self.step} elapsed={self.elapsed_seconds:.3f}s {{{counts}}}>"


_ERRORS: dict[int, type[StepError]] = {
    step_pb2.STEP_FAILURE_CODE_REFUSED: StepRefusedError,
    step_pb2.STEP_FAILURE_CODE_NOT_READY: StepNotReadyError,
    step_pb2.STEP_FAILURE_CODE_FAILED: StepFailedError,
    step_pb2.STEP_FAILURE_CODE_RESULT_TOO_LARGE: StepResultTooLargeError,
    step_pb2.STEP_FAILURE_CODE_COMMAND_FAILED: StepCommandFailedError,
}


def step_error(msg: step_pb2.StepResult) -> ReactorError | None:
    """The typed error of a step answer, or None for a result."""
    code = msg.failure_code
    if code == step_pb2.STEP_FAILURE_CODE_UNSPECIFIED:
        return None
    reason = msg.error if msg.HasField("error") else ""
    if code == step_pb2.STEP_FAILURE_CODE_SESSION_ENDED:
        return SessionEndedError(reason or "the session ended")
    cls = _ERRORS.get(code, StepError)
    ran = code in (step_pb2.STEP_FAILURE_CODE_FAILED, step_pb2.STEP_FAILURE_CODE_RESULT_TOO_LARGE)
    return cls(
        reason,
        entry=msg.entry if msg.HasField("entry") else None,
        command_code=msg.code if msg.HasField("code") else None,
        step=int(msg.step) if ran else None,
        elapsed_seconds=float(msg.elapsed_seconds) if ran else None,
    )


def __getattr__(name: str) -> Any:
    """``InputFrame`` is made on first use (importing this module does not import PyAV)."""
    if name == "InputFrame":
        import av

        return npt.NDArray[Any] | av.VideoFrame | av.AudioFrame | H264Frame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Generation",
    "StepCommand",
    "H264Frame",
    "InputFrame",
    "StepFile",
    "StepResult",
    "build_request",
    "decode_frame",
    "encode_frame",
    "session_start_body",
    "step_error",
]
