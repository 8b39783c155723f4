"""What the feature mixins of ``ReactorClient`` need from its core (:mod:`.client`).

:class:`ClientCore` lists the state and helpers that the stepped-generation
(:mod:`.stepped`), transfer (:mod:`.transfers`) and media (:mod:`.media_api`) mixins use;
``ReactorClient`` in :mod:`.client` provides all of them. The mixins derive from
:data:`FeatureBase`: :class:`ClientCore` for the type checker, so every attribute they touch
is declared and checked (and ``ReactorClient`` cannot be instantiated while a member is
missing), but plain ``object`` at run time, so ``ReactorClient`` stays an ordinary class
(no ``Protocol`` metaclass, no stub methods in its MRO).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from ..media.tracks import InputTrack, OutputTrack
from ..peer import Peer
from ..signaling.session import SessionSignaling
from ..stats import StatsCollector
from ..status import Status
from ..types import TrackSpec
from ..wire import Codec, Inbound, Outbound
from .requests import InOrderReplies, PendingRequests

#: Timeout of control-channel requests (schema, clips, ``publish_track``).
CONTROL_TIMEOUT = 10.0


class ClientCore(Protocol):
    """The ``ReactorClient`` members the feature mixins use (all defined in :mod:`.client`)."""

    # options
    dc_chunking: bool | None

    # session and transport state
    _status: Status
    _session_id: str | None
    _session_generation: str | None
    _session_ended: str | None
    _generation: int
    _signaling: SessionSignaling | None
    _peer: Peer | None

    # tracks
    _tracks: tuple[TrackSpec, ...]
    _outputs: dict[str, OutputTrack[Any]]
    _inputs: dict[str, InputTrack]

    # request correlation and statistics
    _requests: PendingRequests[Inbound]
    _schema_replies: InOrderReplies[dict[str, Any]]
    _clip_replies: InOrderReplies[Inbound]
    _stats: StatsCollector

    def output_track(self, name: str) -> OutputTrack[Any]:
        """The model output track ``name`` (InvalidStateError if not declared)."""
        ...

    def input_track(self, name: str) -> InputTrack:
        """The model input track ``name`` (InvalidStateError if not declared)."""
        ...

    async def claim_publisher(self, name: str) -> None:
        """The ``publish_track`` request; raises ``PublishRefusedError`` when refused."""
        ...

    def _make_signaling(self) -> SessionSignaling:
        """The session signaling (local or cloud), created on first use."""
        ...

    def _active_codec(self) -> Codec:
        """The negotiated codec; ``InvalidStateError`` when not connected."""
        ...

    def _require_ready(self, what: str) -> Peer:
        """The peer when READY, else ``InvalidStateError`` naming ``what``."""
        ...

    def _send(self, out: Outbound) -> None:
        """Send one frame on its channel (``MessageTooLargeError``, ``DisconnectedError``)."""
        ...

    async def _control_request(
        self, make: Callable[[str], Outbound], what: str, timeout: float
    ) -> Inbound:
        """A correlated request on the control channel."""
        ...

    async def _schema_over_channel(self, timeout: float) -> dict[str, Any]:
        """The model schema over the channel (defined by the transfers mixin)."""
        ...


if TYPE_CHECKING:
    FeatureBase = ClientCore
else:
    FeatureBase = object

__all__ = ["CONTROL_TIMEOUT", "ClientCore", "FeatureBase"]
