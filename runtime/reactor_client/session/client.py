"""``ReactorClient``: status machine, connect/ready gate, codec negotiation, dispatch, reconnect.

The pieces it composes live in their own modules: session signaling (local or cloud,
:mod:`reactor_client.signaling.session`), the WebRTC peer (:mod:`reactor_client.peer`),
keepalive (:mod:`.keepalive`), request correlation (:mod:`.requests`), listener and
fan-out plumbing (:mod:`.dispatch`, :mod:`.fanout`), and the tracks with their verbs
(:mod:`reactor_client.media`). The feature entry points built on the connection are
mixins: stepped generation (:mod:`.stepped`), uploads, schema and server-side clips
(:mod:`.transfers`), client-side recording, stats and the media-verb shortcuts
(:mod:`.media_api`); :class:`.core.ClientCore` declares what they use from this class.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NoReturn

from aiortc import MediaStreamTrack, RTCIceServer

from ..errors import (
    ConfigurationError,
    DisconnectedError,
    InvalidStateError,
    MessageTooLargeError,
    NetworkError,
    PublishRefusedError,
    ReactorError,
    RequestTimeoutError,
    SessionEndedError,
    TransportError,
    command_error,
)
from ..media.tracks import InputTrack, OutputTrack, TrackVerb
from ..peer import DEFAULT_MAX_MESSAGE_SIZE, Peer
from ..signaling.http import JwtSource
from ..signaling.session import CloudSessionSignaling, LocalSessionSignaling, SessionSignaling
from ..signaling.tokens import DEFAULT_API_URL
from ..signaling.transport import TransportSignaling, parse_ice_servers
from ..stats import StatsCollector
from ..status import Status
from ..stepping import Generation, session_start_body
from ..types import Message, TrackSpec, UploadReference
from ..wire import Codec, Inbound, Outbound, codec_for, decode
from .core import CONTROL_TIMEOUT
from .dispatch import Listeners, Subscription, listener_error
from .fanout import Fanout
from .faults import (
    as_session_ended,
    check_model,
    is_local_address,
    session_gone,
    transient,
    unreachable,
)
from .keepalive import Keepalive
from .media_api import MediaMixin
from .requests import InOrderReplies, PendingRequests
from .stepped import SteppingMixin
from .transfers import TransfersMixin

log = logging.getLogger("reactor_client")

LOCAL_API_URL = "http://localhost:8080"
CodecName = Literal["v0", "v1"]

READY_GATE_TIMEOUT = 30.0
AUTO_CODEC_TIMEOUT = 3.0


@dataclass(frozen=True)
class ReconnectPolicy:
    """Automatic reconnect after an unexpected transport loss (exponential backoff with jitter)."""

    max_attempts: int = 5
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.2
    #: When the session itself is gone (the runtime restarted or stopped it): ``"fail"`` at
    #: once with ``SessionEndedError``, or ``"new_session"``: connect to a fresh session and
    #: report ``SESSION_RESTARTED`` through ``on_error`` (the model's state was lost).
    on_session_ended: Literal["fail", "new_session"] = "fail"

    def delay(self, attempt: int) -> float:
        """Delay before attempt ``attempt`` (1-based)."""
        base = min(self.initial_delay * 2.0 ** (attempt - 1), self.max_delay)
        return max(0.0, base * (1 + random.uniform(-self.jitter, self.jitter)))


def _wrap(exc: BaseException, what: str) -> ReactorError:
    if isinstance(exc, ReactorError):
        return exc
    return TransportError(f"{what}: {type(exc).__name__}: {exc}")


class ReactorClient(SteppingMixin, TransfersMixin, MediaMixin):
    """A client for one Reactor model session over WebRTC (local runtime or cloud coordinator)."""

    def __init__(
        self,
        model_name: str,
        *,
        url: str | None = None,
        local: bool = False,
        jwt: str | Callable[[], str] | None = None,
        api_key: str | None = None,
        tracks: Sequence[TrackSpec] | None = None,
        codec: Literal["auto", "v0", "v1"] = "auto",
        ice_servers: Sequence[RTCIceServer | dict[str, Any]] | None = None,
        command_timeout: float = 10.0,
        auto_resume_tracks: bool = True,
        reconnect: ReconnectPolicy | None = None,
        frame_queue_size: int = 2,
        message_queue_size: int = 256,
        frame_metadata: bool = False,
        early_frame_release: bool = True,
        generation: Generation | None = None,
        steps: int | None = None,
        starting_input: Mapping[str, Any] | None = None,
        dc_chunking: bool | None = None,
    ) -> None:
        if codec not in ("auto", "v0", "v1"):
            raise ConfigurationError(f"codec must be 'auto', 'v0' or 'v1', not {codec!r}")
        if frame_queue_size < 1 or message_queue_size < 1:
            raise ConfigurationError("queue sizes must be >= 1")
        self.model_name = model_name
        if (
            not local
            and url is not None
            and jwt is None
            and api_key is None
            and is_local_address(url)
        ):
            # a loopback/private address without credentials can only be a local runtime
            log.info(
                "%s is a local address and no credentials were given: using it as a local runtime",
                url,
            )
            local = True
        self.local = local
        self._url_defaulted = local and url is None
        self.url = (url or (LOCAL_API_URL if local else DEFAULT_API_URL)).rstrip("/")
        self._jwt: JwtSource = jwt
        self._api_key = api_key
        self._preset = tuple(tracks) if tracks is not None else None
        self._codec_mode = codec
        self._ice_servers = (
            parse_ice_servers(list(ice_servers)) if ice_servers is not None else None
        )
        self.command_timeout = command_timeout
        self.auto_resume_tracks = auto_resume_tracks
        self.reconnect_policy = reconnect
        self.frame_metadata = frame_metadata
        self.early_frame_release = early_frame_release
        self._frame_queue_size = frame_queue_size
        # session start options (stepped generation); connect() may override them
        self._start_options = session_start_body(generation, steps, starting_input)
        self.dc_chunking = dc_chunking
        self._session_generation: str | None = None
        self._step_claims: tuple[int, set[str]] = (0, set())
        self._session_ended: str | None = None  # the runtime's sessionEnded reason

        self._status = Status.DISCONNECTED
        self._status_l: Listeners[Status] = Listeners(self._listener_failed)
        self._error_l: Listeners[ReactorError] = Listeners(self._error_listener_failed)
        self._message_l: Listeners[Message] = Listeners(self._listener_failed)
        self._runtime_l: Listeners[Message] = Listeners(self._listener_failed)
        self._runtime_l.add(self._note_session_ended)  # stepped sessions end themselves
        self._messages: Fanout[Message] = Fanout(message_queue_size)
        self._requests: PendingRequests[Inbound] = PendingRequests()
        # v0 has no request ids: schema and clip requests are answered in order
        self._schema_replies: InOrderReplies[dict[str, Any]] = InOrderReplies()
        self._clip_replies: InOrderReplies[Inbound] = InOrderReplies()
        self._latest: dict[str, Message] = {}
        self._stats = StatsCollector()

        self._tracks: tuple[TrackSpec, ...] = self._preset or ()
        self._outputs: dict[str, OutputTrack[Any]] = {}
        self._inputs: dict[str, InputTrack] = {}
        self._build_track_objects()

        self._signaling: SessionSignaling | None = None
        self._transport: TransportSignaling | None = None
        self._peer: Peer | None = None
        self._generation = 0
        self._codec: Codec | None = None
        self._session_id: str | None = None
        self._connection_id: int | None = None
        self._created_session = False
        self._capabilities: dict[str, Any] = {}
        self._keepalive: Keepalive | None = None
        self._reconnect_task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._reconnecting = False  # an automatic reconnect owns the transport
        self._cleanup: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ properties
    @property
    def status(self) -> Status:
        return self._status

    @property
    def session_id(self) -> str | None:
        """The session this client is in (None when disconnected); pass it to another
        client's ``connect(session_id=...)`` to join the same session."""
        return self._session_id

    @property
    def connection_id(self) -> int | None:
        return self._connection_id

    @property
    def codec(self) -> CodecName | None:
        """The negotiated codec once READY."""
        return self._codec.name if self._codec is not None else None

    @property
    def max_message_size(self) -> int:
        return self._peer.max_message_size if self._peer is not None else DEFAULT_MAX_MESSAGE_SIZE

    @property
    def frame_metadata_negotiated(self) -> bool:
        """Whether the runtime agreed to attach per-frame metadata (see ``frame_metadata()``)."""
        return self._peer is not None and self._peer.frame_metadata

    @property
    def dc_chunking_negotiated(self) -> bool:
        """Whether the runtime agreed to data-channel chunking (needed by :meth:`step`)."""
        return self._peer is not None and self._peer.chunking

    @property
    def generation(self) -> str | None:
        """How the session generates, as its descriptor says (``"streamed"``/``"stepped"``)."""
        return self._session_generation

    @property
    def tracks(self) -> tuple[TrackSpec, ...]:
        return self._tracks

    @property
    def capabilities(self) -> dict[str, Any]:
        return dict(self._capabilities)

    # ------------------------------------------------------------------ events
    def on_status(self, callback: Callable[[Status], Any]) -> Subscription:
        """Call ``callback(status)`` on every status change."""
        return self._status_l.add(callback)

    def on_error(self, callback: Callable[[ReactorError], Any]) -> Subscription:
        """Call ``callback(error)`` for every reported error (including failing listeners)."""
        return self._error_l.add(callback)

    def on_message(
        self, callback: Callable[[Message], Any], *, type: str | None = None
    ) -> Subscription:
        """Call ``callback(message)`` for model messages (all, or only ``type``)."""
        return self._message_l.add(callback, type)

    def on_runtime_message(self, callback: Callable[[Message], Any]) -> Subscription:
        """Platform messages: ``clipReady``, ``clipFailed``, ``moderation``, ``sessionEnded``, ``modelSchema``."""
        return self._runtime_l.add(callback)

    def messages(self, *, maxsize: int | None = None) -> AsyncIterator[Message]:
        """Bounded (drop-oldest) iterator over every model message; ends on a final disconnect."""
        return self._messages.subscribe(maxsize)

    def latest_message(self, type: str) -> Message | None:
        """The most recent model message of ``type`` received in this session (None if none yet)."""
        return self._latest.get(type)

    async def wait_for_message(
        self,
        type: str,
        predicate: Callable[[Message], bool] | None = None,
        *,
        timeout: float | None = None,
        include_latest: bool = False,
    ) -> Message:
        """The next model message of ``type`` matching ``predicate``; RequestTimeoutError on timeout.

        With ``include_latest=True`` the most recent message of that type already received is
        checked first, so "send a command, then wait until the state says so" cannot miss a
        message that arrived before the command's acknowledgement.
        """
        latest = self._latest.get(type) if include_latest else None
        if latest is not None and (predicate is None or predicate(latest)):
            return latest
        fut: asyncio.Future[Message] = asyncio.get_running_loop().create_future()

        def check(msg: Message) -> None:
            if not fut.done() and (predicate is None or predicate(msg)):
                fut.set_result(msg)

        sub = self.on_message(check, type=type)
        try:
            return await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            raise RequestTimeoutError(f"no {type!r} message within {timeout} s") from None
        finally:
            sub.unsubscribe()

    def _listener_failed(self, exc: BaseException) -> None:
        self._emit_error(listener_error(exc))

    def _error_listener_failed(self, exc: BaseException) -> None:
        log.error("on_error listener raised", exc_info=exc)

    def _note_session_ended(self, message: Message) -> None:
        if message.type == "sessionEnded":
            self._session_ended = str(message.data.get("reason") or "the session ended")

    def report_error(self, error: ReactorError) -> None:
        """Deliver ``error`` to the ``on_error`` listeners (for layers built on this client,
        e.g. a generated SDK reporting a message that does not match its schema)."""
        self._emit_error(error)

    def _emit_error(self, err: ReactorError) -> None:
        log.debug("reactor error: %s", err)
        self._error_l.emit(err)

    def _set_status(self, status: Status) -> None:
        if status != self._status:
            self._status = status
            self._status_l.emit(status)

    # ------------------------------------------------------------------ tracks
    def _build_track_objects(self) -> None:
        for spec in self._tracks:
            if spec.direction == "recvonly" and spec.name not in self._outputs:
                self._outputs[spec.name] = OutputTrack(
                    self, spec.name, spec.kind, self._frame_queue_size
                )
            elif spec.direction == "sendonly" and spec.name not in self._inputs:
                self._inputs[spec.name] = InputTrack(self, spec.name, spec.kind)

    def output_track(self, name: str) -> OutputTrack[Any]:
        """The model output track ``name`` (InvalidStateError if not declared)."""
        try:
            return self._outputs[name]
        except KeyError:
            raise InvalidStateError(
                f"no output track {name!r} (known: {sorted(self._outputs)})"
            ) from None

    def input_track(self, name: str) -> InputTrack:
        """The model input track ``name`` (InvalidStateError if not declared)."""
        try:
            return self._inputs[name]
        except KeyError:
            raise InvalidStateError(
                f"no input track {name!r} (known: {sorted(self._inputs)})"
            ) from None

    # TrackControl (what the tracks need from the session) --------------------------
    def require_ready(self, what: str) -> None:
        """Raise ``InvalidStateError`` unless READY."""
        self._require_ready(what)

    def send_track_verb(self, verb: TrackVerb, name: str) -> None:
        self._send(self._active_codec().track_notification(verb, name))

    async def claim_publisher(self, name: str) -> None:
        codec = self._active_codec()
        reply = await self._control_request(
            lambda rid: codec.publish_track(name, rid), f"publish_track {name!r}", CONTROL_TIMEOUT
        )
        if reply.error is not None:
            raise PublishRefusedError(
                reply.error.message or "publish refused", code=reply.error.code or "publish_refused"
            )

    def replace_track(self, name: str, track: MediaStreamTrack | None) -> None:
        self._require_ready(f"publishing {name!r}").replace_track(name, track)

    # ------------------------------------------------------------------ lifecycle
    async def __aenter__(self) -> ReactorClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.disconnect()

    def _make_signaling(self) -> SessionSignaling:
        if self._signaling is None:
            if self.local:
                self._signaling = LocalSessionSignaling(self.url)
            else:
                self._signaling = CloudSessionSignaling(
                    self.url, self.model_name, jwt=self._jwt, api_key=self._api_key
                )
        return self._signaling

    async def connect(
        self,
        jwt: str | None = None,
        *,
        session_id: str | None = None,
        connection_id: int | None = None,
        generation: Generation | None = None,
        steps: int | None = None,
        starting_input: Mapping[str, Any] | None = None,
    ) -> None:
        """Create (or, with ``session_id``, join) a session and negotiate the transport;
        returns when READY. A client that joins never ends the session on disconnect.

        ``generation``/``steps``/``starting_input`` override the constructor's session start
        options for a session this client creates (see "Stepped generation")."""
        if self._status != Status.DISCONNECTED:
            raise InvalidStateError(f"connect() while {self._status.value}")
        if connection_id is not None and not 1000 < connection_id <= 9999:
            raise ConfigurationError("connection_id must be in 1001..9999")
        await self._discard_leftovers()
        if jwt is not None:
            self._jwt = jwt
        if not self.local and not self._jwt and not self._api_key:
            raise ConfigurationError(
                f"connecting to the Reactor cloud at {self.url} needs jwt= or api_key= "
                "(for a local runtime pass local=True, or a localhost/private url=)"
            )
        start = {
            **self._start_options,
            **session_start_body(generation, steps, starting_input),
        }
        try:
            await self._join(session_id, connection_id, start)
        except BaseException as exc:
            await self._fail(exc, "connect failed", end_session=True, final=True)

    async def _discard_leftovers(self) -> None:
        """After a transport lost for good the old session may still exist: end it when this
        client created it, and close its HTTP client, before connecting anew."""
        if self._cleanup is not None and not self._cleanup.done():
            await self._cleanup
        if self._signaling is not None:
            await self._end_session(report=False)  # best effort: it is likely gone already

    async def _end_session(self, *, report: bool) -> None:
        """End the session if this client created it, forget it and close the HTTP client.
        With ``report``, failures other than an unreachable server go to ``on_error``."""
        signaling, self._signaling = self._signaling, None
        if signaling is not None and self._session_id is not None and self._created_session:
            try:
                await signaling.end(self._session_id)
            except ReactorError as exc:
                if report and not isinstance(exc, NetworkError):  # a dead server stops nothing
                    self._emit_error(exc)
            except Exception as exc:  # noqa: BLE001
                if report:
                    self._emit_error(_wrap(exc, "ending the session failed"))
        self._session_id = self._connection_id = None
        self._created_session = False
        if signaling is not None:
            await signaling.aclose()

    async def _join(
        self, session_id: str | None, connection_id: int | None, start: Mapping[str, Any]
    ) -> None:
        """Open (or adopt) a session and establish the transport; raises without cleaning up."""
        self._reopen_streams()
        self._latest.clear()
        self._session_ended = None
        self._set_status(Status.CONNECTING)
        started = time.monotonic()
        signaling = self._make_signaling()
        try:
            opened = await signaling.open(session_id, dict(start))
        except NetworkError as exc:
            if not self.local:
                raise
            raise unreachable(exc, self.url, defaulted=self._url_defaulted) from exc.__cause__
        self._session_id = opened.session_id
        self._created_session = opened.created
        await self._check_model(opened.descriptor)
        self._session_generation = opened.descriptor.get("generation")
        wanted = start.get("generation")
        if wanted and self._session_generation not in (None, wanted):
            raise ConfigurationError(
                f"asked for a {wanted} session, but the session joined is "
                f"{self._session_generation}"
            )
        self._set_status(Status.WAITING)
        self._apply_capabilities(opened.descriptor)
        await self._establish(connection_id, reoffer=False)
        log.info(
            "connected to %s at %s: session %s, connection %s, codec %s (%.2f s)",
            self.model_name,
            self.url,
            self._session_id,
            self._connection_id,
            self.codec,
            time.monotonic() - started,
        )

    async def _check_model(self, descriptor: Mapping[str, Any]) -> None:
        """Refuse a server that serves another model, before negotiating anything."""
        model = descriptor.get("model")
        served = model.get("name") if isinstance(model, Mapping) else None
        if not served or served == self.model_name:
            return
        version = None
        signaling = self._signaling
        if isinstance(signaling, LocalSessionSignaling):
            try:
                version = (await signaling.routes.schema()).get("info", {}).get("version")
            except ReactorError:
                pass
        check_model(descriptor, self.model_name, self.url, version)

    def _reopen_streams(self) -> None:
        """Accept requests again and let message/frame iterators continue."""
        self._requests.open()
        self._messages.reopen()
        for out in self._outputs.values():
            out._reopen()

    async def _fail(
        self, exc: BaseException, what: str, *, end_session: bool, final: bool
    ) -> NoReturn:
        """Tear down after a failed (re)connect, report the error and raise it (cancellation as is)."""
        err = _wrap(exc, what)
        await self._teardown(
            end_session=end_session, final=final, error=None if end_session else err
        )
        if isinstance(exc, asyncio.CancelledError):
            raise exc
        self._emit_error(err)
        if isinstance(exc, ReactorError):
            raise exc
        raise err from exc

    def _apply_capabilities(self, desc: Mapping[str, Any]) -> None:
        caps = dict(desc.get("capabilities") or {})
        self._capabilities = caps
        server_tracks = tuple(TrackSpec.from_json(t) for t in caps.get("tracks") or [])
        if self._preset is not None and Counter(self._preset) != Counter(server_tracks):
            raise TransportError(
                f"preset tracks {[t.to_json() for t in self._preset]} do not match the session's "
                f"{[t.to_json() for t in server_tracks]}",
                code="PRESET_TRACKS_MISMATCH",
            )
        self._tracks = server_tracks
        self._build_track_objects()

    async def _establish(self, connection_id: int | None, *, reoffer: bool) -> None:
        """Peer + offer + answer + ready gate + codec negotiation + keepalive; ends READY."""
        assert self._session_id is not None
        signaling = self._make_signaling()
        self._transport = transport = TransportSignaling(signaling.http, self._session_id)
        ice = (
            self._ice_servers
            if self._ice_servers is not None
            else await signaling.ice_servers(transport)
        )
        if not reoffer:
            self._connection_id = connection_id or await transport.register()
        assert self._connection_id is not None
        self._generation += 1
        gen = self._generation
        self._peer = peer = Peer(
            self._tracks,
            ice,
            on_frame=lambda ch, frame: self._on_frame(gen, ch, frame),
            on_track=lambda name, track: self._on_track(gen, name, track),
            on_lost=lambda reason: self._on_transport_lost(gen, reason),
            taps={name: out.on_encoded for name, out in self._outputs.items()},
            frame_metadata=self.frame_metadata,
            early_frame_release=self.early_frame_release,
            dc_chunking=self._offers_chunking(),
            on_activity=lambda: self._touch(gen),
        )
        for name, out in self._outputs.items():
            out._bind_receiver(peer.receiver(name))
        sdp, mapping = await peer.create_offer()
        cid = await transport.offer(self._connection_id, sdp, mapping, reoffer=reoffer)
        answer, cid = await transport.answer(cid)
        self._connection_id = cid
        await peer.set_answer(answer)
        for out in self._outputs.values():
            out.metadata_negotiated = peer.frame_metadata
        await peer.wait_ready(READY_GATE_TIMEOUT)
        self._keepalive = keepalive = Keepalive(
            ping=lambda: self._send(self._active_codec().ping()),
            probe=self._probe_unless_sending,
            last_media=lambda: max(
                (o.last_frame_at or 0.0 for o in self._outputs.values()), default=0.0
            ),
            on_dead=lambda reason: self._on_transport_lost(gen, reason),
        )
        keepalive.touch()
        await self._negotiate_codec()
        keepalive.start()
        self._stats.reset(self._outputs)
        self._set_status(Status.READY)
        if self.auto_resume_tracks:
            for out in self._outputs.values():
                if not out.paused:
                    self.send_track_verb("resume_track", out.name)

    async def _negotiate_codec(self) -> None:
        mode = self._codec_mode
        if mode in ("v0", "v1"):
            self._codec = codec_for("v1" if mode == "v1" else "v0")
            self._send(self._codec.ping())  # the first frame latches the codec (§6.1)
            return
        v1 = codec_for("v1")
        try:
            reply = await self._requests.request(
                "ctrl", v1.request_schema, self._send, AUTO_CODEC_TIMEOUT, "codec probe"
            )
            self._codec = v1 if reply.codec == "v1" else codec_for("v0")
        except RequestTimeoutError:
            self._codec = codec_for("v0")
        self._send(self._codec.ping())  # first ping right away, in either codec

    async def disconnect(self) -> None:
        """Stop pings, fail pending calls, close the peer, stop/DELETE the session (creator only).
        Frame and message iterators end normally."""
        if self._reconnect_task is not None and self._reconnect_task is not asyncio.current_task():
            self._reconnect_task.cancel()
            self._reconnect_task = None
        if self._status != Status.DISCONNECTED or self._session_id is not None:
            log.info(
                "disconnecting from %s (session %s %s)",
                self.model_name,
                self._session_id,
                "ends: this client created it" if self._created_session else "keeps running",
            )
        await self._teardown(end_session=True, final=True)

    async def _teardown(
        self, *, end_session: bool, final: bool, error: ReactorError | None = None
    ) -> None:
        """Close the transport. ``final``: end iterators (raising ``error`` when given)."""
        self._generation += 1  # stale peer callbacks are ignored from now on
        gone = error or DisconnectedError("client disconnected")
        self._requests.fail_all(gone)
        self._fail_waiters(gone)
        if self._keepalive is not None:
            self._keepalive.stop()
            self._keepalive = None
        for out in self._outputs.values():
            out._detach()
        for inp in self._inputs.values():
            inp._reset()
        peer, self._peer = self._peer, None
        if peer is not None:
            await peer.close()
        if end_session:
            await self._end_session(report=True)
        self._codec = None
        if final:
            self._messages.close()
            for out in self._outputs.values():
                out._close(error)
        self._set_status(
            Status.WAITING if self._reconnecting and not final else Status.DISCONNECTED
        )

    async def reconnect(self) -> None:
        """Re-offer with PUT on the same connection id and restore output tracks."""
        if self._session_id is None or self._connection_id is None:
            raise InvalidStateError("reconnect() needs an existing session (connect first)")
        async with self._lock:
            await self._teardown(end_session=False, final=False)
            self._reopen_streams()
            self._set_status(Status.WAITING)
            try:
                await self._establish(self._connection_id, reoffer=True)
            except BaseException as exc:
                if isinstance(exc, ReactorError) and session_gone(exc):
                    exc = as_session_ended(exc, self._session_id)
                await self._fail(exc, "reconnect failed", end_session=False, final=False)
        log.info("reconnected to session %s (connection %s)", self._session_id, self._connection_id)

    # ------------------------------------------------------------------ transport events
    def _on_transport_lost(self, gen: int, reason: str) -> None:
        if gen != self._generation or self._status == Status.DISCONNECTED:
            return
        if self._reconnecting and self._status != Status.READY:
            return  # the attempt in progress fails on its own and the loop goes on
        self._generation += 1
        err = DisconnectedError(f"transport lost: {reason}")
        self._requests.fail_all(err)
        self._fail_waiters(err)
        if self._keepalive is not None:
            self._keepalive.stop()
            self._keepalive = None
        was_ready = self._status == Status.READY
        log.warning("transport to %s lost: %s", self.url, reason)
        self._emit_error(err)
        auto = self.reconnect_policy is not None and was_ready and self._connection_id is not None
        if auto:
            self._reconnect_task = asyncio.ensure_future(self._auto_reconnect(err))
        else:
            self._cleanup = asyncio.ensure_future(
                self._teardown(end_session=False, final=True, error=err)
            )

    async def _auto_reconnect(self, cause: DisconnectedError) -> None:
        """Retry transient failures with backoff; stop at once when the session is gone."""
        self._reconnecting = True
        try:
            await self._reconnect_loop(cause)
        finally:
            self._reconnecting = False
            if self._status != Status.READY and self._session_id is None:
                self._set_status(Status.DISCONNECTED)

    async def _reconnect_loop(self, cause: DisconnectedError) -> None:
        policy = self.reconnect_policy
        assert policy is not None
        await self._teardown(end_session=False, final=False)
        last: ReactorError = cause
        attempts = 0
        for attempt in range(1, policy.max_attempts + 1):
            delay = max(policy.delay(attempt), min(last.retry_after or 0.0, policy.max_delay))
            log.warning(
                "reconnect attempt %d/%d to session %s in %.1f s",
                attempt,
                policy.max_attempts,
                self._session_id,
                delay,
            )
            await asyncio.sleep(delay)
            attempts = attempt
            try:
                await self.reconnect()
                return
            except asyncio.CancelledError:
                raise
            except ReactorError as exc:
                last = exc
                if not transient(exc):
                    break
        if isinstance(last, SessionEndedError) and policy.on_session_ended == "new_session":
            await self._restart_session(last)
            return
        if isinstance(last, SessionEndedError):
            final: DisconnectedError = last
        else:
            final = DisconnectedError(
                f"{cause.message}; gave up after {attempts} reconnect attempt(s): {last}"
            )
        log.warning("reconnect failed for good: %s", final)
        await self._teardown(end_session=False, final=True, error=final)

    async def _restart_session(self, ended: SessionEndedError) -> None:
        """``on_session_ended="new_session"``: join a fresh session; iterators carry on."""
        old = self._session_id
        self._session_id = self._connection_id = None
        self._created_session = False
        try:
            await self._join(None, None, self._start_options)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - reported below
            await self._teardown(
                end_session=True,
                final=True,
                error=DisconnectedError(f"{ended.message}; starting a new session failed: {exc}"),
            )
            return
        notice = ReactorError(
            f"session {old} ended ({ended.message}); connected to a new session "
            f"{self._session_id}: the model's state was lost",
            code="SESSION_RESTARTED",
            recoverable=True,
        )
        log.warning("%s", notice.message)
        self._emit_error(notice)

    def _on_track(self, gen: int, name: str, track: MediaStreamTrack) -> None:
        if gen != self._generation:
            return
        out = self._outputs.get(name)
        if out is not None:
            out._attach(track)

    def _on_frame(self, gen: int, channel: str, frame: str | bytes) -> None:
        if gen != self._generation:
            return
        if self._keepalive is not None:
            self._keepalive.touch()
        try:
            inb = decode(frame, "control" if channel == "control" else "data")
        except Exception as exc:  # noqa: BLE001
            self._emit_error(
                ReactorError(f"undecodable frame on {channel}: {exc}", code="DECODE_FAILED")
            )
            return
        if inb.is_response and inb.request_id:
            self._requests.resolve(inb.request_id, inb)
        if inb.scope == "application" and inb.type is not None:
            msg = Message(inb.type, inb.data)
            self._latest[inb.type] = msg
            self._message_l.emit(msg, inb.type)
            self._messages.publish(msg)
        elif inb.scope == "runtime" and inb.type is not None:
            if inb.type == "modelSchema":
                self._schema_replies.resolve(inb.data)
            elif inb.type in ("clipReady", "clipFailed") and not inb.request_id:
                self._clip_replies.resolve(inb)
            self._runtime_l.emit(Message(inb.type, inb.data))

    def _touch(self, gen: int) -> None:
        if gen == self._generation and self._keepalive is not None:
            self._keepalive.touch()

    def _fail_waiters(self, exc: ReactorError) -> None:
        self._schema_replies.fail_all(exc)
        self._clip_replies.fail_all(exc)

    # ------------------------------------------------------------------ sending
    def _active_codec(self) -> Codec:
        if self._codec is None:
            raise InvalidStateError("not connected")
        return self._codec

    def _require_ready(self, what: str) -> Peer:
        if self._status != Status.READY or self._peer is None:
            raise InvalidStateError(f"{what} needs status ready (status is {self._status.value})")
        return self._peer

    def _send(self, out: Outbound) -> None:
        peer = self._peer
        if peer is None:
            raise DisconnectedError("no transport")
        size = len(out.frame.encode("utf-8")) if isinstance(out.frame, str) else len(out.frame)
        limit = peer.max_message_size
        if size > limit:
            raise MessageTooLargeError(size=size, limit=limit)
        try:
            peer.send(out.channel, out.frame)
        except ReactorError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise DisconnectedError(f"send failed: {exc}") from exc

    async def send_command(
        self,
        name: str,
        data: Mapping[str, Any] | None = None,
        *,
        uploads: Mapping[str, UploadReference] | None = None,
        timeout: float | None = None,
    ) -> Message | None:
        """Send a model command. v1: the correlated reply (None for a bodyless ack); v0: None."""
        self._require_ready(f"send_command({name!r})")
        codec = self._active_codec()
        payload = dict(data or {})
        if codec.name == "v0":
            self._send(codec.command(name, payload, uploads, ""))
            return None
        reply = await self._requests.request(
            "data",
            lambda rid: codec.command(name, payload, uploads, rid),
            self._send,
            self.command_timeout if timeout is None else timeout,
            f"command {name!r}",
        )
        if reply.error is not None:
            raise command_error(name, reply.error.code, reply.error.message)
        if reply.type is None:
            return None
        return Message(reply.type, reply.data)

    async def _control_request(
        self, make: Callable[[str], Outbound], what: str, timeout: float
    ) -> Inbound:
        return await self._requests.request("ctrl", make, self._send, timeout, what)


__all__ = ["ReactorClient", "ReconnectPolicy", "LOCAL_API_URL"]
