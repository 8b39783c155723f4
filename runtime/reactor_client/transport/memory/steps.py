"""Stepped generation on the in-memory runtime: what a step request carried, and how a
scripted step answers (frames per output track, files, or a failure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ...stepping import decode_frame, encode_frame
from ...wire.pb import step_pb2
from ...wire.v1 import from_struct

#: Failure codes a scripted step may answer with (``StepFailure.code``).
FAILURE_CODES: Mapping[str, step_pb2.StepFailureCode] = {
    "refused": step_pb2.STEP_FAILURE_CODE_REFUSED,
    "not_ready": step_pb2.STEP_FAILURE_CODE_NOT_READY,
    "failed": step_pb2.STEP_FAILURE_CODE_FAILED,
    "result_too_large": step_pb2.STEP_FAILURE_CODE_RESULT_TOO_LARGE,
    "command_failed": step_pb2.STEP_FAILURE_CODE_COMMAND_FAILED,
    "session_ended": step_pb2.STEP_FAILURE_CODE_SESSION_ENDED,
}


@dataclass(frozen=True)
class StepRequest:
    """One ``step()`` as the runtime received it."""

    step: int
    """The number this step gets (1-based) if it succeeds."""
    state: dict[str, Any]
    commands: list[tuple[str, dict[str, Any]]]
    media: dict[str, list[npt.NDArray[Any]]]
    """Input track → frames (RGB ``uint8 (H, W, 3)`` video, ``int16`` audio)."""


@dataclass(frozen=True)
class StepOutput:
    """A scripted step's result: frames per output track (RGB arrays or audio samples)."""

    frames: Mapping[str, Sequence[npt.NDArray[Any]]] = field(default_factory=dict)
    rate: float = 30.0
    elapsed_seconds: float = 0.0
    files: Sequence[tuple[str, str, int]] = ()
    """``(name, content_type, size)`` of files the step wrote."""


@dataclass(frozen=True)
class StepFailure:
    """A scripted step's failure: ``code`` is a key of :data:`FAILURE_CODES`."""

    code: str
    error: str = ""
    command_code: str | None = None
    """For ``command_failed``: the failing command's error code."""
    entry: str | None = None
    """For ``command_failed``: which state key or command failed."""

    def __post_init__(self) -> None:
        if self.code not in FAILURE_CODES:
            raise ValueError(f"step failure code {self.code!r} (known: {sorted(FAILURE_CODES)})")


def parse_request(step: int, msg: step_pb2.RequestStep) -> StepRequest:
    return StepRequest(
        step=step,
        state=from_struct(msg.state),
        commands=[(c.type, from_struct(c.data)) for c in msg.commands],
        media={t.track: [np.array(decode_frame(f)) for f in t.frames] for t in msg.media_input},
    )


def encode_answer(step: int, answer: StepOutput | StepFailure) -> step_pb2.StepResult:
    if isinstance(answer, StepFailure):
        out = step_pb2.StepResult(failure_code=FAILURE_CODES[answer.code], error=answer.error)
        if answer.command_code is not None:
            out.code = answer.command_code
        if answer.entry is not None:
            out.entry = answer.entry
        return out
    out = step_pb2.StepResult(step=step, elapsed_seconds=answer.elapsed_seconds)
    for track, frames in answer.frames.items():
        encoded = [encode_frame(f, None, f"step output {track!r}") for f in frames]
        video = bool(frames) and np.asarray(frames[0]).ndim == 3
        out.tracks.append(
            step_pb2.TrackFrames(
                track=track,
                kind=step_pb2.TRACK_KIND_VIDEO if video else step_pb2.TRACK_KIND_AUDIO,
                frames=encoded,
                rate=answer.rate,
            )
        )
    for name, content_type, size in answer.files:
        out.files.append(step_pb2.StepFileRef(name=name, content_type=content_type, size=size))
    return out


__all__ = ["FAILURE_CODES", "StepFailure", "StepOutput", "StepRequest"]
