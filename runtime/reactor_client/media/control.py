"""``TrackControl``: what a track needs from its session (implemented by the session's
:class:`~reactor_client.session.context.SessionContext`)."""

from __future__ import annotations

from typing import Literal, Protocol

from aiortc import MediaStreamTrack

from ..errors import ReactorError
from ..status import Status

TrackVerb = Literal["pause_track", "resume_track", "unpublish_track"]


class TrackControl(Protocol):
    """What a track needs from its session (implemented by the session context)."""

    @property
    def status(self) -> Status: ...

    def require_ready(self, what: str) -> object:
        """Raise ``InvalidStateError`` unless the session is READY."""
        ...

    def send_track_verb(self, verb: TrackVerb, name: str) -> None:
        """Send a ``pause_track`` / ``resume_track`` / ``unpublish_track`` notification."""
        ...

    async def claim_publisher(self, name: str) -> None:
        """The ``publish_track`` request; raises ``PublishRefusedError`` when refused."""
        ...

    def replace_track(self, name: str, track: MediaStreamTrack | None) -> None:
        """Attach ``track`` to the sender of input track ``name`` (None: send nothing)."""
        ...

    def report_error(self, error: ReactorError) -> None:
        """Deliver ``error`` to the session's ``on_error`` listeners."""
        ...


__all__ = ["TrackControl", "TrackVerb"]
