"""Stepped generation: the :class:`Stepping` resource (``step()``).

The request building and result/error mapping are in :mod:`reactor_client.stepping`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import (
    DisconnectedError,
    InvalidStateError,
    ReactorError,
    TransportError,
)
from ..stepping import CommandLike, StepResult, build_request, step_error
from .connection import Connection
from .context import SessionContext

if TYPE_CHECKING:
    from ..stepping import InputFrame

STEP_TIMEOUT = 120.0


class Stepping:
    """Runs steps of a stepped session."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx
        #: (connection, input tracks ``step()`` claimed on it)
        self._claims: tuple[Connection | None, set[str]] = (None, set())

    def offers_chunking(self) -> bool:
        """``dc_chunking=None`` (auto): offer chunking to stepped sessions, which need it;
        ``True``: to every session (messages up to 64 MiB when streamed too); ``False``: never."""
        option = self._ctx.options.dc_chunking
        if option is not None:
            return option
        return self._ctx.generation == "stepped"

    async def step(
        self,
        state: Mapping[str, Any] | None = None,
        commands: Sequence[CommandLike] | None = None,
        media: Mapping[str, Sequence[InputFrame]] | None = None,
        *,
        timeout: float | None = STEP_TIMEOUT,
    ) -> StepResult[str]:
        """Run one step of a stepped session (see :meth:`ReactorClient.step`)."""
        ctx = self._ctx
        if ctx.events.ended is not None:
            raise ctx.events.ended
        conn = ctx.require_ready("step()")
        codec = conn.active_codec()
        if not codec.capabilities.steps:
            raise InvalidStateError(f"step() needs the v1 codec (connected with {codec.name})")
        kinds = {t.name: t.kind for t in ctx.tracks if t.is_input}
        owner, claimed = self._claims
        if owner is not conn:
            claimed = set()
            self._claims = (conn, claimed)
        for name in media or {}:
            if name in kinds and name not in claimed and not ctx.inputs[name].published:
                await ctx.claim_publisher(name)
                claimed.add(name)
        try:
            reply = await conn.request(
                "step",
                lambda rid: codec.step(rid, build_request(rid, state, commands, media, kinds)),
                timeout,
                "step",
            )
        except (DisconnectedError, TransportError):
            if ctx.events.ended is not None:
                raise ctx.events.ended from None
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


__all__ = ["STEP_TIMEOUT", "Stepping"]
