"""Stepped generation: :meth:`step` and the chunked transport a stepped session needs.

A mixin of ``ReactorClient`` (:mod:`.client`); what it uses from the client is declared by
:class:`.core.ClientCore`. The request building and result/error mapping are in
:mod:`reactor_client.stepping`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import (
    DisconnectedError,
    InvalidStateError,
    ReactorError,
    SessionEndedError,
    TransportError,
)
from ..stepping import CommandLike, InputFrame, StepResult, build_request, step_error
from ..wire import Outbound
from .core import FeatureBase

STEP_TIMEOUT = 120.0


class SteppingMixin(FeatureBase):
    """``step()``, the chunking offer and the send-aware keepalive probe."""

    #: (transport generation, input tracks ``step()`` claimed in it), set in ``__init__``
    _step_claims: tuple[int, set[str]]

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
        if self._session_ended is not None:
            raise SessionEndedError(self._session_ended)
        self._require_ready("step()")
        codec = self._active_codec()
        if codec.name != "v1":
            raise InvalidStateError("step() needs the v1 codec (connected with v0)")
        kinds = {t.name: t.kind for t in self._tracks if t.direction == "sendonly"}
        gen, claimed = self._step_claims
        if gen != self._generation:
            claimed = set()
            self._step_claims = (self._generation, claimed)
        for name in media or {}:
            if name in kinds and name not in claimed and not self._inputs[name].published:
                await self.claim_publisher(name)
                claimed.add(name)
        try:
            reply = await self._requests.request(
                "data",
                lambda rid: Outbound("data", build_request(rid, state, commands, media, kinds)),
                self._send,
                timeout,
                "step",
            )
        except (DisconnectedError, TransportError):
            if self._session_ended is not None:
                raise SessionEndedError(self._session_ended) from None
            raise
        if reply.step is None:
            if reply.error is not None:
                raise ReactorError(
                    reply.error.message or "step failed", code=reply.error.code or "step_failed"
                )
            raise ReactorError("the runtime answered a step without a result", code="INVALID_REPLY")
        err = step_error(reply.step)
        if err is not None:
            raise err
        return StepResult(reply.step)

    def _offers_chunking(self) -> bool:
        """``dc_chunking=None`` (auto): offer chunking to stepped sessions, which need it;
        ``True``: to every session (messages up to 64 MiB when streamed too); ``False``: never."""
        if self.dc_chunking is not None:
            return self.dc_chunking
        return self._session_generation == "stepped"

    async def _probe_unless_sending(self, timeout: float) -> object:
        """The keepalive's liveness probe; skipped while our own messages are still being sent
        (a probe would wait behind a long chunked upload, and SCTP is acknowledging it)."""
        if self._peer is not None and self._peer.sending:
            return None
        return await self._schema_over_channel(timeout)


__all__ = ["STEP_TIMEOUT", "SteppingMixin"]
