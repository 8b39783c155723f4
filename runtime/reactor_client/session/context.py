"""``SessionContext``: the state a client's resources share, in one visible place.

One per client. It holds the options, the session (id, connection id, descriptor), the
signaling, the live :class:`~.connection.Connection`, the tracks and the events; the
resources (:mod:`.commands`, :mod:`.transfers`, :mod:`.stepped`, :mod:`.media_api`) and
the lifecycle (:mod:`.lifecycle`) each hold the context and nothing else. It is also what
the tracks talk to (:class:`~reactor_client.media.tracks.TrackControl`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import InvalidStateError, PublishRefusedError, ReactorError
from ..media.control import TrackVerb
from ..media.inputs import InputTrack
from ..media.tracks import OutputTrack
from ..options import ClientOptions
from ..signaling.http import JwtSource
from ..signaling.session import CloudSessionSignaling, LocalSessionSignaling, SessionSignaling
from ..signaling.tokens import DEFAULT_API_URL
from ..stats import StatsCollector
from ..status import Status
from ..stepping import session_start_body
from ..transport.base import TransportFactory
from ..types import TrackSpec
from .connection import Connection
from .events import SessionEvents
from .faults import is_local_address, with_scheme

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack

log = logging.getLogger("reactor_client")

LOCAL_API_URL = "http://localhost:8080"
#: Timeout of control-channel requests (schema, clips, ``publish_track``).
CONTROL_TIMEOUT = 10.0


class SessionContext:
    """Options, session, signaling, connection, tracks and events of one client."""

    def __init__(self, model_name: str, options: ClientOptions, factory: TransportFactory) -> None:
        self.model_name = model_name
        self.options = options
        self.factory = factory
        local, url = options.local, options.url
        if url is not None:
            url = with_scheme(url, local=local)
        if not local and url is not None and options.jwt is None and options.api_key is None:
            if is_local_address(url):
                # a loopback/private address without credentials can only be a local runtime
                log.info(
                    "%s is a local address and no credentials were given: using it as a local runtime",
                    url,
                )
                local = True
        self.local = local
        self.url_defaulted = local and url is None
        self.url = (url or (LOCAL_API_URL if local else DEFAULT_API_URL)).rstrip("/")
        self.jwt: JwtSource | None = options.jwt
        #: session start options (stepped generation); connect() may override them
        self.start_options = session_start_body(
            options.generation, options.steps, options.starting_input
        )
        self.events = SessionEvents(options.message_queue_size)
        self.stats = StatsCollector()

        self.preset: tuple[TrackSpec, ...] | None = (
            tuple(options.tracks) if options.tracks is not None else None
        )
        self.tracks: tuple[TrackSpec, ...] = self.preset or ()
        self.outputs: dict[str, OutputTrack[Any]] = {}
        self.inputs: dict[str, InputTrack] = {}
        self.build_tracks()

        self.signaling: SessionSignaling | None = None
        #: A transport that brings its own session signaling (the in-memory one) needs no URL.
        self.injected_signaling = factory.session_signaling(model_name, self.url)
        self.connection: Connection | None = None
        self.session_id: str | None = None
        self.connection_id: int | None = None
        self.created_session = False
        #: How the session generates, as its descriptor says (``streamed``/``stepped``).
        self.generation: str | None = None
        self.capabilities: dict[str, Any] = {}

    # ------------------------------------------------------------------ state
    @property
    def needs_credentials(self) -> bool:
        """Whether connecting goes to the Reactor cloud (which needs ``jwt`` or ``api_key``)."""
        return not self.local and self.injected_signaling is None

    @property
    def status(self) -> Status:
        return self.events.status

    def require_ready(self, what: str) -> Connection:
        """The live connection when READY, else ``InvalidStateError`` naming ``what`` (or,
        once the platform ended the session, the ``SessionEndedError`` it ended with)."""
        conn = self.connection
        if self.events.status != Status.READY or conn is None:
            if self.events.ended is not None:  # the platform ended it: say how
                raise self.events.ended
            raise InvalidStateError(
                f"{what} needs status ready (status is {self.events.status.value})"
            )
        return conn

    def make_signaling(self) -> SessionSignaling:
        """The session signaling (in-memory, local or cloud), created on first use."""
        if self.signaling is None:
            if self.injected_signaling is not None:
                self.signaling = self.injected_signaling
            elif self.local:
                self.signaling = LocalSessionSignaling(self.url, retry=self.options.retry)
            else:
                self.signaling = CloudSessionSignaling(
                    self.url,
                    self.model_name,
                    jwt=self.jwt,
                    api_key=self.options.api_key,
                    retry=self.options.retry,
                )
        return self.signaling

    # ------------------------------------------------------------------ tracks
    def build_tracks(self) -> None:
        """Create the track objects for declared tracks that have none yet."""
        for spec in self.tracks:
            if spec.is_output and spec.name not in self.outputs:
                self.outputs[spec.name] = OutputTrack(
                    self, spec.name, spec.kind, self.options.frame_queue_size
                )
            elif spec.is_input and spec.name not in self.inputs:
                self.inputs[spec.name] = InputTrack(self, spec.name, spec.kind)

    def apply_tracks(self, declared: tuple[TrackSpec, ...]) -> None:
        self.tracks = declared
        self.build_tracks()

    def output_track(self, name: str) -> OutputTrack[Any]:
        try:
            return self.outputs[name]
        except KeyError:
            raise InvalidStateError(
                f"no output track {name!r} (known: {sorted(self.outputs)})"
            ) from None

    def input_track(self, name: str) -> InputTrack:
        try:
            return self.inputs[name]
        except KeyError:
            raise InvalidStateError(
                f"no input track {name!r} (known: {sorted(self.inputs)})"
            ) from None

    # ------------------------------------------------------------------ TrackControl
    def send_track_verb(self, verb: TrackVerb, name: str) -> None:
        conn = self.require_ready(f"{verb} {name!r}")
        conn.send(conn.active_codec().track_notification(verb, name))

    async def claim_publisher(self, name: str) -> None:
        """The ``publish_track`` request; raises ``PublishRefusedError`` when refused."""
        conn = self.require_ready(f"publishing {name!r}")
        codec = conn.active_codec()
        reply = await conn.request(
            "publish_track",
            lambda rid: codec.publish_track(name, rid),
            CONTROL_TIMEOUT,
            f"publish_track {name!r}",
        )
        if reply.error is not None:
            raise PublishRefusedError(
                reply.error.message or "publish refused", code=reply.error.code or "publish_refused"
            )

    def replace_track(self, name: str, track: MediaStreamTrack | None) -> None:
        self.require_ready(f"publishing {name!r}").transport.set_input(name, track)

    def report_error(self, error: ReactorError) -> None:
        self.events.error(error)

    def last_media_at(self) -> float:
        return max((o.last_frame_at or 0.0 for o in self.outputs.values()), default=0.0)

    def start_body(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        return {**self.start_options, **overrides}


__all__ = ["SessionContext", "LOCAL_API_URL", "CONTROL_TIMEOUT"]
