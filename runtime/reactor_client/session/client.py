"""``ReactorClient``: one Reactor model session over WebRTC, composed of small parts.

* :class:`~.context.SessionContext` — options, session, signaling, connection, tracks,
  events: the state every part shares, in one place.
* :class:`~.lifecycle.Lifecycle` — connect, establish a :class:`~.connection.Connection`
  (transport + codec + keepalive), tear down; :class:`~.reconnect.ReconnectSupervisor`
  around it.
* Resources, each holding the context: :class:`~.commands.Commands`,
  :class:`~.transfers.Transfers` (uploads, schema, server-side clips),
  :class:`~.stepped.Stepping`, :class:`~.media_api.MediaControls` (recording, stats).

This class is the public face: it takes the options (:class:`~reactor_client.ClientOptions`),
exposes status and events, and forwards each call to the part that owns it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..clips import Clip
from ..errors import ReactorError
from ..media.inputs import InputTrack
from ..media.recorder import Recorder, RecordingResult
from ..media.tracks import OutputTrack
from ..options import ClientOptions, ReconnectPolicy, takes_name_and_options
from ..signaling.http import JwtSource
from ..stats import ConnectionStats
from ..status import Status
from ..stepping import CommandLike, Generation, StepResult, session_start_body
from ..transport import TransportInfo, resolve_transport
from ..transport.base import DEFAULT_MAX_MESSAGE_SIZE
from ..types import Message, ModerationEvent, TrackSpec, UploadReference
from ..uploads import UploadSource
from .commands import Commands
from .connection import Connection
from .context import LOCAL_API_URL, SessionContext
from .dispatch import Subscription
from .lifecycle import Lifecycle
from .media_api import MediaControls
from .reconnect import ReconnectSupervisor
from .stepped import STEP_TIMEOUT, Stepping
from .transfers import Transfers

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack

    from ..stepping import InputFrame

log = logging.getLogger("reactor_client")


class ReactorClient:
    """A client for one Reactor model session over WebRTC (local runtime or cloud coordinator).

    ``ReactorClient(model_name, **options)``: the options are the fields of
    :class:`~reactor_client.ClientOptions` (``url``, ``local``, ``jwt``, ``codec``,
    ``transport``, ...). Nothing connects until :meth:`connect` (or ``async with``).
    """

    @takes_name_and_options(ClientOptions)
    def __init__(self, model_name: str, options: ClientOptions) -> None:
        self._setup(model_name, options)

    def _setup(self, model_name: str, options: ClientOptions) -> None:
        self.model_name = model_name
        self.options = options
        self._ctx = ctx = SessionContext(model_name, options, resolve_transport(options.transport))
        self.commands = Commands(ctx)
        self.transfers = Transfers(ctx)
        self.stepping = Stepping(ctx)
        self.media = MediaControls(ctx)
        self._lifecycle = Lifecycle(ctx, self.stepping)
        self._supervisor = ReconnectSupervisor(ctx, self._lifecycle)

    @classmethod
    def from_options(cls, model_name: str, options: ClientOptions) -> ReactorClient:
        """A client for ``model_name`` with ready-made :class:`ClientOptions`."""
        client = cls.__new__(cls)
        client._setup(model_name, options)
        return client

    # ------------------------------------------------------------------ properties
    @property
    def status(self) -> Status:
        return self._ctx.status

    @property
    def local(self) -> bool:
        """Whether this client talks to a local runtime."""
        return self._ctx.local

    @property
    def url(self) -> str:
        return self._ctx.url

    @property
    def command_timeout(self) -> float:
        return self.options.command_timeout

    @property
    def reconnect_policy(self) -> ReconnectPolicy | None:
        return self.options.reconnect

    @property
    def transport(self) -> TransportInfo:
        """The transport engine in use (``.name``) and what it can do (``.capabilities``)."""
        return self._ctx.factory.info

    @property
    def connection(self) -> Connection | None:
        """The live connection (its ``transport`` and negotiated ``codec``); None when not
        connected. A reconnect replaces it."""
        return self._ctx.connection

    @property
    def session_id(self) -> str | None:
        """The session this client is in (None when disconnected); pass it to another
        client's ``connect(session_id=...)`` to join the same session.

        On a local reactor-runtime 3.x it is the id the runtime knows the session by (its
        log, clips), not the fixed all-zero id of its routes; a session another program
        started is known by that fixed id during its first 5 s (docs/known-issues.md)."""
        return self._ctx.session_id

    @property
    def connection_id(self) -> int | None:
        return self._ctx.connection_id

    @property
    def codec(self) -> str | None:
        """The negotiated codec's name (``"v0"``, ``"v1"``) once READY."""
        conn = self._ctx.connection
        return conn.codec.name if conn is not None and conn.codec is not None else None

    @property
    def max_message_size(self) -> int:
        conn = self._ctx.connection
        return conn.transport.max_message_size if conn is not None else DEFAULT_MAX_MESSAGE_SIZE

    @property
    def frame_metadata_negotiated(self) -> bool:
        """Whether the runtime agreed to attach per-frame metadata (see ``frame_metadata()``)."""
        conn = self._ctx.connection
        return conn is not None and conn.transport.frame_metadata

    @property
    def dc_chunking_negotiated(self) -> bool:
        """Whether the runtime agreed to data-channel chunking (needed by :meth:`step`)."""
        conn = self._ctx.connection
        return conn is not None and conn.transport.chunking

    @property
    def generation(self) -> str | None:
        """How the session generates, as its descriptor says (``"streamed"``/``"stepped"``)."""
        return self._ctx.generation

    @property
    def tracks(self) -> tuple[TrackSpec, ...]:
        return self._ctx.tracks

    @property
    def capabilities(self) -> dict[str, Any]:
        return dict(self._ctx.capabilities)

    # ------------------------------------------------------------------ events
    def on_status(self, callback: Callable[[Status], Any]) -> Subscription:
        """Call ``callback(status)`` on every status change."""
        return self._ctx.events.status_listeners.add(callback)

    def on_error(self, callback: Callable[[ReactorError], Any]) -> Subscription:
        """Call ``callback(error)`` for every reported error (including failing listeners)."""
        return self._ctx.events.error_listeners.add(callback)

    def on_message(
        self, callback: Callable[[Message], Any], *, type: str | None = None
    ) -> Subscription:
        """Call ``callback(message)`` for model messages (all, or only ``type``)."""
        return self._ctx.events.on_message(callback, type)

    def on_runtime_message(self, callback: Callable[[Message], Any]) -> Subscription:
        """Platform messages: ``clipReady``, ``clipFailed``, ``moderation``, ``sessionEnded``, ``modelSchema``."""
        return self._ctx.events.platform_listeners.add(callback)

    def on_moderation(self, callback: Callable[[ModerationEvent], Any]) -> Subscription:
        """Call ``callback(event)`` for every content-moderation notice
        (:class:`~reactor_client.ModerationEvent`). A ``"warn"`` is informational; after a
        ``"terminate"`` the client ends the session: pending calls and iterators raise
        :class:`~reactor_client.ModerationError`."""
        return self._ctx.events.moderation_listeners.add(callback)

    def messages(self, *, maxsize: int | None = None) -> AsyncIterator[Message]:
        """Bounded (drop-oldest) iterator over every model message; ends on a final
        disconnect, and raises ``SessionEndedError`` (``ModerationError``) when the
        platform ended the session."""
        return self._ctx.events.subscribe_messages(maxsize)

    def latest_message(self, type: str) -> Message | None:
        """The most recent model message of ``type`` received in this session (None if none yet)."""
        return self._ctx.events.latest.get(type)

    async def wait_for_message(
        self,
        type: str,
        predicate: Callable[[Message], bool] | None = None,
        *,
        timeout: float | None = None,
        include_latest: bool = False,
        since_last_command: bool = False,
    ) -> Message:
        """The next model message of ``type`` matching ``predicate``; RequestTimeoutError on timeout.

        With ``include_latest=True`` the most recent message of that type already received is
        checked first, so "send a command, then wait until the state says so" cannot miss a
        message that arrived before the command's acknowledgement. With
        ``since_last_command=True`` the first message of that type that arrived after the last
        command this client sent counts (once: the next such wait takes the next message) —
        over v1 a command's broadcast arrives before its acknowledgement.
        """
        return await self._ctx.events.wait_for_message(
            type, predicate, timeout, include_latest, since_last_command
        )

    def report_error(self, error: ReactorError) -> None:
        """Deliver ``error`` to the ``on_error`` listeners (for layers built on this client,
        e.g. a generated SDK reporting a message that does not match its schema)."""
        self._ctx.events.error(error)

    # ------------------------------------------------------------------ tracks
    def output_track(self, name: str) -> OutputTrack[Any]:
        """The model output track ``name`` (InvalidStateError if not declared)."""
        return self._ctx.output_track(name)

    def input_track(self, name: str) -> InputTrack:
        """The model input track ``name`` (InvalidStateError if not declared)."""
        return self._ctx.input_track(name)

    async def publish(self, name: str, track: MediaStreamTrack | str | Path | None = None) -> None:
        """Publish input track ``name`` (see :meth:`InputTrack.publish`)."""
        await self.input_track(name).publish(track)

    async def unpublish(self, name: str) -> None:
        """Stop sending on input track ``name`` and release its publisher slot."""
        await self.input_track(name).unpublish()

    async def pause_track(self, name: str) -> None:
        """Ask the runtime to stop sending output track ``name``."""
        await self.output_track(name).pause()

    async def resume_track(self, name: str) -> None:
        """Ask the runtime to (re)start sending output track ``name``."""
        await self.output_track(name).resume()

    # ------------------------------------------------------------------ lifecycle
    async def __aenter__(self) -> ReactorClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.disconnect()

    async def connect(
        self,
        jwt: JwtSource | None = None,
        *,
        session_id: str | None = None,
        connection_id: int | None = None,
        generation: Generation | None = None,
        steps: int | None = None,
        starting_input: Mapping[str, Any] | None = None,
    ) -> None:
        """Create (or, with ``session_id``, join) a session and negotiate the transport;
        returns when READY. A client that joins never ends the session on disconnect.

        ``jwt``: a token or a token resolver (a callable returning one, plain or
        ``async``) for this and later connections; overrides the constructor's. A transient
        failure before the session is ready (network, 5xx, 429, the session lost) starts
        over once, within the client's :class:`~reactor_client.RetryPolicy`.

        ``generation``/``steps``/``starting_input`` override the constructor's session start
        options for a session this client creates (see "Stepped generation")."""
        if jwt is not None and self.status == Status.DISCONNECTED:
            self._ctx.jwt = jwt
        start = self._ctx.start_body(session_start_body(generation, steps, starting_input))
        await self._lifecycle.connect(session_id, connection_id, start)

    async def disconnect(self) -> None:
        """Stop pings, fail pending calls, close the transport, stop/DELETE the session
        (creator only). Frame and message iterators end normally."""
        ctx = self._ctx
        self._supervisor.cancel()
        if ctx.status != Status.DISCONNECTED or ctx.session_id is not None:
            log.info(
                "disconnecting from %s (session %s %s)",
                self.model_name,
                ctx.session_id,
                "ends: this client created it" if ctx.created_session else "keeps running",
            )
        await self._lifecycle.teardown(end_session=True, final=True)

    async def reconnect(self) -> None:
        """Re-offer with PUT on the same connection id and restore output tracks."""
        await self._lifecycle.reconnect()

    # ------------------------------------------------------------------ resources
    async def send_command(
        self,
        name: str,
        data: Mapping[str, Any] | None = None,
        *,
        uploads: Mapping[str, UploadReference] | None = None,
        timeout: float | None = None,
    ) -> Message | None:
        """Send a model command. With replies (v1): the correlated reply (None for a
        bodyless ack); without (v0): None."""
        return await self.commands.send(name, data, uploads=uploads, timeout=timeout)

    async def claim_publisher(self, name: str) -> None:
        """The ``publish_track`` request; raises ``PublishRefusedError`` when refused."""
        await self._ctx.claim_publisher(name)

    async def upload(
        self, source: UploadSource, *, name: str | None = None, mime_type: str | None = None
    ) -> UploadReference:
        """Upload a file (path or bytes) for use in a command's ``uploads``; notifies the runtime."""
        return await self.transfers.upload(source, name=name, mime_type=mime_type)

    async def request_schema(self) -> dict[str, Any]:
        """The model's OpenAPI document: ``GET /schema`` locally, else over the channel."""
        return await self.transfers.request_schema()

    async def request_clip(self, seconds: float, *, timeout: float = 10.0) -> Clip:
        """Ask the runtime for a clip of the last ``seconds`` of output; ``await clip.download(path)``.

        Raises ``RecorderDisabledError`` when the model does not record, ``ClipFailedError``
        for other refusals.
        """
        return await self.transfers.request_clip(seconds, timeout=timeout)

    async def request_recording(self, *, timeout: float = 10.0) -> Clip:
        """Ask the runtime for the whole session's recording so far (a :class:`Clip`)."""
        return await self.transfers.request_recording(timeout=timeout)

    async def step(
        self,
        state: Mapping[str, Any] | None = None,
        commands: Sequence[CommandLike] | None = None,
        media: Mapping[str, Sequence[InputFrame]] | None = None,
        *,
        timeout: float | None = STEP_TIMEOUT,
    ) -> StepResult[str]:
        """Run one step of a stepped session and return what it produced.

        ``state`` keys are applied as ``set_<key>`` (ascending key order), then ``commands`` in
        order (``StepCommand``, ``(name, data)`` or ``{"command", "data"}``), then ``media``
        (input track name → frames: RGB ``(H, W, 3) uint8`` arrays, ``av.VideoFrame``,
        audio sample arrays, ``av.AudioFrame`` or ``H264Frame``), then one generation.
        Input tracks named in ``media`` are claimed (``publish_track``) first, once per
        connection. Raises ``StepRefusedError`` / ``StepNotReadyError`` (nothing ran),
        ``StepCommandFailedError`` (``.entry``), ``StepFailedError`` /
        ``StepResultTooLargeError`` (the step ran: ``.step`` is set), ``SessionEndedError``.
        Needs the v1 codec and a chunked connection (else the runtime refuses).
        """
        return await self.stepping.step(state, commands, media, timeout=timeout)

    async def record(
        self, path: str | Path, seconds: float | None = None, *, tracks: Sequence[str] | None = None
    ) -> RecordingResult:
        """Record output tracks (default: all, muxed into one file) for ``seconds`` of media
        (``None``: until the session ends). ``.mp4``: H.264/AAC; ``.webm``/``.mkv``: the
        received VP8/Opus remuxed without decoding. Returns what was written."""
        return await self.media.record(path, seconds, tracks=tracks)

    def recording(
        self, path: str | Path, *, tracks: Sequence[str] | None = None
    ) -> AbstractAsyncContextManager[Recorder]:
        """``async with client.recording("out.webm") as rec:`` records until the block ends;
        ``rec.result`` then says what was written."""
        return self.media.recording(path, tracks=tracks)

    async def get_stats(self) -> ConnectionStats:
        """Connection statistics: ``rtt_ms`` and, per output track, fps, bitrate, loss,
        jitter and frame counters (rates since the previous call)."""
        return await self.media.get_stats()


__all__ = ["ReactorClient", "ReconnectPolicy", "LOCAL_API_URL"]
