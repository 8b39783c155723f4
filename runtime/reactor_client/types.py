"""Plain data exchanged with the public API: messages, upload references, track specs,
moderation notices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import kinds
from .kinds import KINDS, MODEL_DIRECTIONS, RECVONLY, SENDONLY, Direction, TrackKind

TrackDirection = Direction


@dataclass(frozen=True)
class Message:
    """One model (or runtime) message as it came off the wire; numbers as the wire gave them."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UploadReference:
    """What a command carries for an upload parameter."""

    upload_id: str
    name: str
    mime_type: str
    size: int

    def to_json(self) -> dict[str, Any]:
        """The wire form ``{upload_id, name, mime_type, size}``."""
        return {
            "upload_id": self.upload_id,
            "name": self.name,
            "mime_type": self.mime_type,
            "size": self.size,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UploadReference:
        """Parse the wire form (sizes may arrive as floats)."""
        return cls(
            str(data["upload_id"]), str(data["name"]), str(data["mime_type"]), int(data["size"])
        )


@dataclass(frozen=True)
class ModerationEvent:
    """A content-moderation notice from the platform (wire-protocol §6.6).

    ``action`` is ``"warn"`` (informational: the session continues) or ``"terminate"``
    (the session is about to end; the client then ends it with a
    :class:`~reactor_client.ModerationError`). ``input_kind`` is the flagged input's
    modality (``"text"``, ``"image"``), ``command`` the command whose argument was flagged
    (``"set_prompt"``), ``categories`` the labels that flagged it (``("violence",)``) and
    ``message`` a short text for a UI. A runtime that cannot attribute the verdict leaves
    ``input_kind``, ``command`` and ``categories`` empty (reactor-runtime 3.10's
    ``POST /stop_session`` with ``{"moderate": true}`` does).
    """

    action: str
    input_kind: str = ""
    command: str = ""
    categories: tuple[str, ...] = ()
    message: str = ""

    @property
    def terminates(self) -> bool:
        """Whether this notice ends the session (``action == "terminate"``)."""
        return self.action == "terminate"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModerationEvent:
        """Parse the notice's payload (missing fields are empty; never raises)."""
        raw = data.get("categories")
        categories = raw if isinstance(raw, (list, tuple)) else ()
        return cls(
            action=str(data.get("action") or ""),
            input_kind=str(data.get("input_kind") or ""),
            command=str(data.get("command") or ""),
            categories=tuple(str(c) for c in categories),
            message=str(data.get("message") or ""),
        )


@dataclass(frozen=True)
class TrackSpec:
    """A declared track, from the CLIENT perspective (recvonly = model output)."""

    name: str
    kind: TrackKind
    direction: TrackDirection

    @property
    def is_output(self) -> bool:
        """Whether the model sends this track (client ``recvonly``)."""
        return kinds.is_output(self.direction)

    @property
    def is_input(self) -> bool:
        """Whether the client sends this track (client ``sendonly``)."""
        return kinds.is_input(self.direction)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrackSpec:
        """Parse a ``capabilities.tracks`` entry (or an ``x-reactor`` in/out entry)."""
        kind = str(data.get("kind", KINDS[0])).lower()
        direction = str(data.get("direction", RECVONLY)).lower()
        direction = MODEL_DIRECTIONS.get(direction, direction)
        if kind not in KINDS or direction not in (SENDONLY, RECVONLY):
            raise ValueError(f"unsupported track {dict(data)!r}")
        return cls(str(data["name"]), kind, direction)  # type: ignore[arg-type]

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind, "direction": self.direction}
