"""``Connection``: one live transport and the codec spoken on it.

A connection sends frames (size-checked), runs correlated requests through its codec's
correlator, decodes every inbound frame (sniffing JSON/protobuf until the codec is
negotiated), keeps the transport alive (:mod:`.keepalive`) and reports its loss once.
A reconnect builds a new ``Connection``; callbacks of an old one are ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..errors import (
    DisconnectedError,
    InvalidStateError,
    MessageTooLargeError,
    ReactorError,
    RequestTimeoutError,
)
from ..transport.base import Transport, TransportEvents, TransportFactory, TransportSetup
from ..wire import Codec, Correlator, Inbound, Outbound, ReplyKind, codec_for, decode
from ..wire.base import Channel, Frame
from .keepalive import Keepalive

log = logging.getLogger("reactor_client")

#: How long ``codec="auto"`` waits for a v1 answer before speaking v0.
AUTO_CODEC_TIMEOUT = 3.0


class Connection:
    """A transport plus codec, correlation and keepalive (see the module docstring)."""

    def __init__(
        self,
        factory: TransportFactory,
        setup: TransportSetup,
        *,
        on_inbound: Callable[[Inbound], None],
        on_decode_error: Callable[[ReactorError], None],
        on_lost: Callable[[Connection, str], None],
    ) -> None:
        self._on_inbound = on_inbound
        self._on_decode_error = on_decode_error
        self._on_lost = on_lost
        self.closed = False
        #: The transport was reported dead: frames are ignored, the loss is not reported again.
        self.dead = False
        self.codec: Codec | None = None
        self._probe_codec: Codec = codec_for("v1")
        self.correlator: Correlator = self._probe_codec.correlator()
        self.keepalive: Keepalive | None = None
        self.transport: Transport = factory.create(
            setup,
            TransportEvents(on_message=self.receive, on_lost=self.lost, on_activity=self.touch),
        )

    # ------------------------------------------------------------------ inbound
    def receive(self, channel: Channel, frame: Frame) -> None:
        """One complete inbound message from the transport."""
        if self.closed or self.dead:
            return
        self.touch()
        try:
            inbound = self.codec.decode(frame, channel) if self.codec else decode(frame, channel)
        except Exception as exc:  # noqa: BLE001
            self._on_decode_error(
                ReactorError(f"undecodable frame on {channel}: {exc}", code="DECODE_FAILED")
            )
            return
        self.correlator.resolve(inbound)
        self._on_inbound(inbound)

    def touch(self) -> None:
        if not self.closed and self.keepalive is not None:
            self.keepalive.touch()

    def lost(self, reason: str) -> None:
        """The transport (or the keepalive) found the connection dead."""
        if not self.closed and not self.dead:
            self._on_lost(self, reason)

    # ------------------------------------------------------------------ outbound
    def active_codec(self) -> Codec:
        if self.codec is None:
            raise InvalidStateError("not connected")
        return self.codec

    def send(self, out: Outbound) -> None:
        """Send one frame on its channel (``MessageTooLargeError``, ``DisconnectedError``)."""
        if self.closed:
            raise DisconnectedError("no transport")
        size = len(out.frame.encode("utf-8")) if isinstance(out.frame, str) else len(out.frame)
        limit = self.transport.max_message_size
        if size > limit:
            raise MessageTooLargeError(size=size, limit=limit)
        try:
            self.transport.send(out.channel, out.frame)
        except ReactorError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise DisconnectedError(f"send failed: {exc}") from exc

    async def request(
        self,
        kind: ReplyKind,
        make: Callable[[str], Outbound],
        timeout: float | None,
        what: str,
    ) -> Inbound:
        """A correlated request (the codec decides how replies are matched)."""
        return await self.correlator.request(kind, make, self.send, timeout, what)

    # ------------------------------------------------------------------ codec
    async def negotiate(self, mode: str | Codec) -> None:
        """Choose the codec: a given one, or (``"auto"``) v1 when the runtime answers a v1
        schema request within :data:`AUTO_CODEC_TIMEOUT`, else v0. The first frame sent
        latches the codec on the runtime (§6.1), so a ping follows at once."""
        if not isinstance(mode, str):
            self._use(mode)
        elif mode != "auto":
            self._use(codec_for(mode))
        else:
            probe = self._probe_codec
            try:
                await self.request(
                    "model_schema", probe.request_schema, AUTO_CODEC_TIMEOUT, "codec probe"
                )
                chosen = probe
            except RequestTimeoutError:
                chosen = codec_for("v0")
            self._use(chosen)
        self.send(self.active_codec().ping())

    def _use(self, codec: Codec) -> None:
        if codec is not self._probe_codec:
            self.correlator = codec.correlator()
        self.codec = codec

    async def probe(self, timeout: float) -> object:
        """The keepalive's liveness probe (a schema request the runtime must answer);
        skipped while our own messages are still being sent (a probe would wait behind a
        long chunked upload, and SCTP is acknowledging it)."""
        if self.transport.sending:
            return None
        codec = self.active_codec()
        return await self.request("model_schema", codec.request_schema, timeout, "probe")

    # ------------------------------------------------------------------ lifetime
    def start_keepalive(self, keepalive: Keepalive) -> None:
        self.keepalive = keepalive
        keepalive.touch()

    async def close(self, error: ReactorError) -> None:
        """Fail pending requests with ``error``, stop the keepalive, close the transport."""
        if self.closed:
            return
        self.closed = True
        self.correlator.fail_all(error)
        if self.keepalive is not None:
            self.keepalive.stop()
            self.keepalive = None
        await self.transport.close()

    def abandon(self, error: ReactorError) -> None:
        """The transport died: fail pending requests and stop the keepalive now; frames
        still arriving are ignored. :meth:`close` closes the transport later."""
        if self.closed or self.dead:
            return
        self.dead = True
        self.correlator.fail_all(error)
        if self.keepalive is not None:
            self.keepalive.stop()
            self.keepalive = None


__all__ = ["Connection", "AUTO_CODEC_TIMEOUT"]
