"""Track kinds and directions: the one place their names are spelled (no imports, so every
layer can use it)."""

from __future__ import annotations

from typing import Final, Literal

TrackKind = Literal["video", "audio"]
VIDEO: Final = "video"
AUDIO: Final = "audio"
KINDS: Final = (VIDEO, AUDIO)

#: The client's side of a track: ``recvonly`` = the model's output, ``sendonly`` = its input.
Direction = Literal["recvonly", "sendonly"]
RECVONLY: Final = "recvonly"
SENDONLY: Final = "sendonly"

#: RTP clock rate per kind (Hz).
CLOCK_RATE: Final = {VIDEO: 90_000, AUDIO: 48_000}


#: Model-side names (``x-reactor`` ``in``/``out``) → client-side directions.
MODEL_DIRECTIONS: Final = {"out": RECVONLY, "in": SENDONLY}


def is_video(kind: str) -> bool:
    return kind == VIDEO


def is_output(direction: str) -> bool:
    """Whether a track of this client-side direction is one the model sends."""
    return direction == RECVONLY


def is_input(direction: str) -> bool:
    """Whether a track of this client-side direction is one the client sends."""
    return direction == SENDONLY


__all__ = [
    "AUDIO",
    "CLOCK_RATE",
    "Direction",
    "KINDS",
    "MODEL_DIRECTIONS",
    "RECVONLY",
    "SENDONLY",
    "TrackKind",
    "VIDEO",
    "is_input",
    "is_output",
    "is_video",
]
