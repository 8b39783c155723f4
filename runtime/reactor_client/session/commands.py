"""Model commands: :meth:`Commands.send`, correlated when the codec has replies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import command_error
from ..types import Message, UploadReference
from .context import SessionContext


class Commands:
    """Sends model commands over the session's connection."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    async def send(
        self,
        name: str,
        data: Mapping[str, Any] | None = None,
        *,
        uploads: Mapping[str, UploadReference] | None = None,
        timeout: float | None = None,
    ) -> Message | None:
        """Send a model command and return its reply: the typed message, or None for a
        bodyless acknowledgement (and always None on a codec without replies)."""
        conn = self._ctx.require_ready(f"send_command({name!r})")
        codec = conn.active_codec()
        self._ctx.events.note_command()
        payload = dict(data or {})
        if not codec.capabilities.replies:
            conn.send(codec.command(name, payload, uploads, ""))
            return None
        reply = await conn.request(
            "command",
            lambda rid: codec.command(name, payload, uploads, rid),
            self._ctx.options.command_timeout if timeout is None else timeout,
            f"command {name!r}",
        )
        if reply.error is not None:
            raise command_error(name, reply.error.code, reply.error.message)
        if reply.type is None:
            return None
        return Message(reply.type, reply.data)


__all__ = ["Commands"]
