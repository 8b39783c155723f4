"""Connecting, establishing the transport and tearing it down: :class:`Lifecycle`.

``connect`` opens (or joins) a session through the signaling and establishes a
:class:`~.connection.Connection`: transport offer/answer and ready gate, codec
negotiation, keepalive, and the output tracks resumed. ``teardown`` undoes it, ending
iterators when the session is over for good. Automatic reconnects are the
:class:`~.reconnect.ReconnectSupervisor`'s.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Mapping
from typing import Any, NoReturn

from ..errors import (
    ConfigurationError,
    DisconnectedError,
    InvalidStateError,
    NetworkError,
    ReactorError,
    SessionEndedError,
    TransportError,
)
from ..retry import RetryBudget, budget_scope, connect_retryable
from ..signaling.session import LocalSessionSignaling
from ..status import Status
from ..transport.base import TransportSetup
from ..types import TrackSpec
from ..wire import Inbound
from ..wire.base import MODERATION, SESSION_ENDED
from .connection import Connection
from .context import SessionContext
from .faults import as_session_ended, check_model, not_a_runtime, session_gone, unreachable
from .keepalive import Keepalive
from .stepped import Stepping

log = logging.getLogger("reactor_client")

READY_GATE_TIMEOUT = 30.0


def wrap(exc: BaseException, what: str) -> ReactorError:
    if isinstance(exc, ReactorError):
        return exc
    return TransportError(f"{what}: {type(exc).__name__}: {exc}")


class Lifecycle:
    """Connect, establish, tear down and end the session of one client."""

    def __init__(self, ctx: SessionContext, stepping: Stepping) -> None:
        self._ctx = ctx
        self._stepping = stepping
        self.lock = asyncio.Lock()
        #: An automatic reconnect owns the transport (set by the supervisor).
        self.reconnecting = False
        self._cleanup: asyncio.Task[None] | None = None
        #: Called with the connection and the reason when a live transport is lost.
        self.on_lost: Any = None
        #: Called with the connection and the error when the platform ends the session
        #: (a moderation ``terminate`` or a ``sessionEnded`` notice).
        self.on_ended: Any = None

    # ------------------------------------------------------------------ connect
    async def connect(
        self, session_id: str | None, connection_id: int | None, start: Mapping[str, Any]
    ) -> None:
        ctx = self._ctx
        if ctx.status != Status.DISCONNECTED:
            raise InvalidStateError(f"connect() while {ctx.status.value}")
        if connection_id is not None and not 1000 < connection_id <= 9999:
            raise ConfigurationError("connection_id must be in 1001..9999")
        await self.discard_leftovers()
        if ctx.needs_credentials and not ctx.jwt and not ctx.options.api_key:
            raise ConfigurationError(
                f"connecting to the Reactor cloud at {ctx.url} needs jwt= or api_key= "
                "(for a local runtime pass local=True, or a localhost/private url=)"
            )
        policy = ctx.options.retry
        with budget_scope(RetryBudget(policy.max_retries, "connect")) as budget:
            restarts = 0
            while True:
                try:
                    await self.join(session_id, connection_id, start)
                    return
                except BaseException as exc:
                    if not (
                        session_id is None  # joining an existing session is never restarted
                        and restarts < policy.connect_retries
                        and connect_retryable(
                            exc, session_opened=ctx.session_id is not None, local=ctx.local
                        )
                        and budget.take(f"connect failed: {exc}")
                    ):
                        await self.fail(exc, "connect failed", end_session=True, final=True)
                    restarts += 1
                    log.info("connect to %s failed (%s); starting over once", ctx.url, exc)
                    await self.teardown(end_session=True, final=False)
                    await asyncio.sleep(policy.connect_delay)

    async def discard_leftovers(self) -> None:
        """After a transport lost for good the old session may still exist: end it when this
        client created it, and close its HTTP client, before connecting anew."""
        if self._cleanup is not None and not self._cleanup.done():
            await self._cleanup
        if self._ctx.signaling is not None:
            await self.end_session(report=False)  # best effort: it is likely gone already

    async def join(
        self, session_id: str | None, connection_id: int | None, start: Mapping[str, Any]
    ) -> None:
        """Open (or adopt) a session and establish the transport; raises without cleaning up."""
        ctx = self._ctx
        self.reopen_streams()
        ctx.events.new_session()
        ctx.events.set_status(Status.CONNECTING)
        started = time.monotonic()
        signaling = ctx.make_signaling()
        try:
            opened = await signaling.open(session_id, dict(start))
        except NetworkError as exc:
            if not ctx.local:
                raise
            raise unreachable(exc, ctx.url, defaulted=ctx.url_defaulted) from exc.__cause__
        except ReactorError as exc:
            if ctx.local and session_id is None and exc.status in (404, 405):
                raise not_a_runtime(exc, ctx.url) from exc
            raise
        ctx.session_id = opened.session_id
        ctx.created_session = opened.created
        await self._check_model(opened.descriptor)
        ctx.generation = opened.descriptor.get("generation")
        wanted = start.get("generation")
        if wanted and ctx.generation not in (None, wanted):
            raise ConfigurationError(
                f"asked for a {wanted} session, but the session joined is {ctx.generation}"
            )
        ctx.events.set_status(Status.WAITING)
        self._apply_capabilities(opened.descriptor)
        await self.establish(connection_id, reoffer=False)
        codec = ctx.connection.codec if ctx.connection is not None else None
        log.info(
            "connected to %s at %s: session %s, connection %s, codec %s, transport %s (%.2f s)",
            ctx.model_name,
            ctx.url,
            ctx.session_id,
            ctx.connection_id,
            codec.name if codec is not None else None,
            ctx.factory.info.name,
            time.monotonic() - started,
        )

    async def _check_model(self, descriptor: Mapping[str, Any]) -> None:
        """Refuse a server that serves another model, before negotiating anything."""
        ctx = self._ctx
        model = descriptor.get("model")
        served = model.get("name") if isinstance(model, Mapping) else None
        if not served or served == ctx.model_name:
            return
        version = None
        if isinstance(ctx.signaling, LocalSessionSignaling):
            try:
                version = (await ctx.signaling.routes.schema()).get("info", {}).get("version")
            except ReactorError:
                pass
        check_model(descriptor, ctx.model_name, ctx.url, version)

    def _apply_capabilities(self, desc: Mapping[str, Any]) -> None:
        ctx = self._ctx
        caps = dict(desc.get("capabilities") or {})
        ctx.capabilities = caps
        server_tracks = tuple(TrackSpec.from_json(t) for t in caps.get("tracks") or [])
        if ctx.preset is not None and Counter(ctx.preset) != Counter(server_tracks):
            raise TransportError(
                f"preset tracks {[t.to_json() for t in ctx.preset]} do not match the session's "
                f"{[t.to_json() for t in server_tracks]}",
                code="PRESET_TRACKS_MISMATCH",
            )
        ctx.apply_tracks(server_tracks)

    def reopen_streams(self) -> None:
        """Let message/frame iterators continue."""
        self._ctx.events.messages.reopen()
        for out in self._ctx.outputs.values():
            out.feed.reopen()

    # ------------------------------------------------------------------ establish
    async def establish(self, connection_id: int | None, *, reoffer: bool) -> None:
        """Transport + offer + answer + ready gate + codec negotiation + keepalive; ends READY."""
        ctx = self._ctx
        assert ctx.session_id is not None
        signaling = ctx.make_signaling()
        webrtc = signaling.webrtc(ctx.session_id)
        options = ctx.options
        ice = (
            options.ice_servers
            if options.ice_servers is not None
            else await signaling.ice_servers(webrtc)
        )
        if not reoffer:
            ctx.connection_id = connection_id or await webrtc.register()
        assert ctx.connection_id is not None
        setup = TransportSetup(
            tracks=ctx.tracks,
            ice_servers=list(ice),
            sinks={name: out.feed for name, out in ctx.outputs.items()},
            frame_metadata=options.frame_metadata,
            early_frame_release=options.early_frame_release,
            dc_chunking=self._stepping.offers_chunking(),
        )
        ctx.connection = conn = Connection(
            ctx.factory,
            setup,
            on_inbound=self._on_inbound,
            on_decode_error=ctx.events.error,
            on_lost=self._on_lost,
        )
        for out in ctx.outputs.values():
            out.feed.bind(conn.transport)
        ctx.connection_id = await conn.transport.connect(
            webrtc, ctx.connection_id, reoffer=reoffer, timeout=READY_GATE_TIMEOUT
        )
        for out in ctx.outputs.values():
            out.feed.metadata_negotiated = conn.transport.frame_metadata
        conn.start_keepalive(
            Keepalive(
                ping=lambda: conn.send(conn.active_codec().ping()),
                probe=conn.probe,
                last_media=ctx.last_media_at,
                on_dead=conn.lost,
            )
        )
        await conn.negotiate(options.codec)
        assert conn.keepalive is not None
        conn.keepalive.start()
        ctx.stats.reset(ctx.outputs)
        ctx.events.set_status(Status.READY)
        if options.auto_resume_tracks:
            for out in ctx.outputs.values():
                if not out.paused:
                    ctx.send_track_verb("resume_track", out.name)

    def _on_inbound(self, inbound: Inbound) -> None:
        events = self._ctx.events
        events.deliver(inbound)
        conn = self._ctx.connection
        if (
            inbound.source == "platform"
            and inbound.type in (MODERATION, SESSION_ENDED)
            and events.ended is not None
            and conn is not None
            and self.on_ended is not None
        ):
            self.on_ended(conn, events.ended)

    def _on_lost(self, conn: Connection, reason: str) -> None:
        if conn is self._ctx.connection and self.on_lost is not None:
            self.on_lost(conn, reason)

    # ------------------------------------------------------------------ teardown
    async def teardown(
        self, *, end_session: bool, final: bool, error: ReactorError | None = None
    ) -> None:
        """Close the transport. ``final``: end iterators (raising ``error`` when given)."""
        ctx = self._ctx
        gone = error or DisconnectedError("client disconnected")
        conn, ctx.connection = ctx.connection, None
        for out in ctx.outputs.values():
            out.feed.unbind()
        for inp in ctx.inputs.values():
            inp.reset()
        if conn is not None:
            await conn.close(gone)
        if end_session:
            await self.end_session(report=True)
        if final:
            # a session the platform ended (moderation, sessionEnded) ends messages() with
            # its error too; any other final end lets them stop normally
            ended = ctx.events.ended
            ctx.events.messages.close(error if error is not None and error is ended else None)
            if error is not None:
                ctx.events.fail_waiters(error)
            for out in ctx.outputs.values():
                out.feed.end(error)
        ctx.events.set_status(
            Status.WAITING if self.reconnecting and not final else Status.DISCONNECTED
        )

    def lose(self, conn: Connection, err: DisconnectedError) -> None:
        """A live transport died and nobody reconnects: tear down in the background."""
        conn.abandon(err)
        self._cleanup = asyncio.ensure_future(
            self.teardown(end_session=False, final=True, error=err)
        )

    def session_over(self, conn: Connection, err: SessionEndedError) -> None:
        """The platform ended the session: fail pending work with ``err`` now, tear down in
        the background and forget the session (there is nothing left to stop or rejoin)."""
        conn.abandon(err)
        self._cleanup = asyncio.ensure_future(self._end_for_good(err))

    async def _end_for_good(self, err: SessionEndedError) -> None:
        self._ctx.created_session = False  # ended by the platform: nothing to DELETE/stop
        await self.teardown(end_session=True, final=True, error=err)

    async def end_session(self, *, report: bool) -> None:
        """End the session if this client created it, forget it and close the HTTP client.
        With ``report``, failures other than an unreachable server go to ``on_error``."""
        ctx = self._ctx
        signaling, ctx.signaling = ctx.signaling, None
        if signaling is not None and ctx.session_id is not None and ctx.created_session:
            try:
                await signaling.end(ctx.session_id)
            except ReactorError as exc:
                if report and not isinstance(exc, NetworkError):  # a dead server stops nothing
                    ctx.events.error(exc)
            except Exception as exc:  # noqa: BLE001
                if report:
                    ctx.events.error(wrap(exc, "ending the session failed"))
        ctx.session_id = ctx.connection_id = None
        ctx.created_session = False
        if signaling is not None:
            await signaling.aclose()

    async def fail(
        self, exc: BaseException, what: str, *, end_session: bool, final: bool
    ) -> NoReturn:
        """Tear down after a failed (re)connect, report the error and raise it (cancellation as is)."""
        err = wrap(exc, what)
        await self.teardown(
            end_session=end_session, final=final, error=None if end_session else err
        )
        if isinstance(exc, asyncio.CancelledError):
            raise exc
        self._ctx.events.error(err)
        if isinstance(exc, ReactorError):
            raise exc
        raise err from exc

    # ------------------------------------------------------------------ reconnect
    async def reconnect(self) -> None:
        """Re-offer with PUT on the same connection id and restore output tracks."""
        ctx = self._ctx
        if ctx.session_id is None or ctx.connection_id is None:
            raise InvalidStateError("reconnect() needs an existing session (connect first)")
        async with self.lock:
            await self.teardown(end_session=False, final=False)
            self.reopen_streams()
            ctx.events.set_status(Status.WAITING)
            try:
                await self.establish(ctx.connection_id, reoffer=True)
            except BaseException as exc:
                if isinstance(exc, ReactorError) and session_gone(exc):
                    exc = as_session_ended(exc, ctx.session_id)
                await self.fail(exc, "reconnect failed", end_session=False, final=False)
        log.info("reconnected to session %s (connection %s)", ctx.session_id, ctx.connection_id)


__all__ = ["Lifecycle", "READY_GATE_TIMEOUT", "wrap"]
