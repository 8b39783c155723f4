"""Uploads, the model schema and server-side clips: the :class:`Transfers` resource.

The upload protocol is :mod:`reactor_client.uploads`, the clip download
:mod:`reactor_client.clips`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..clips import Clip, clip_failed
from ..errors import ConfigurationError, ReactorError
from ..signaling.session import LocalSessionSignaling
from ..status import Status
from ..types import UploadReference
from ..uploads import UploadSource
from ..uploads import upload as _upload
from ..wire import Outbound
from ..wire.base import CLIP_FAILED
from .context import CONTROL_TIMEOUT, SessionContext


class Transfers:
    """Uploads and schema requests, server-side clips and recordings."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    async def upload(
        self, source: UploadSource, *, name: str | None = None, mime_type: str | None = None
    ) -> UploadReference:
        """Upload a file (path or bytes) for use in a command's ``uploads``; notifies the runtime."""
        ctx = self._ctx
        ctx.require_ready("upload()")
        assert ctx.session_id is not None
        signaling = ctx.make_signaling()
        ref = await _upload(
            signaling.http,
            ctx.session_id,
            source,
            name=name,
            mime_type=mime_type,
            rewrite=signaling.rewrite_url,
        )
        if ctx.status == Status.READY and ctx.connection is not None:
            conn = ctx.connection
            conn.send(conn.active_codec().file_uploaded(ref))
        return ref

    async def request_schema(self) -> dict[str, Any]:
        """The model's OpenAPI document: ``GET /schema`` locally, else over the channel."""
        ctx = self._ctx
        signaling = ctx.signaling
        if isinstance(signaling, LocalSessionSignaling) and ctx.status != Status.DISCONNECTED:
            try:
                return await signaling.routes.schema()
            except ReactorError as exc:
                if exc.status not in (404, 405):  # runtime 2.x (or a proxy) has no /schema route
                    raise
        ctx.require_ready("request_schema()")
        return await self.schema_over_channel(CONTROL_TIMEOUT)

    async def schema_over_channel(self, timeout: float) -> dict[str, Any]:
        """The model schema requested over the data channels."""
        conn = self._ctx.require_ready("request_schema()")
        codec = conn.active_codec()
        reply = await conn.request("model_schema", codec.request_schema, timeout, "schema request")
        if reply.error is not None:
            raise ReactorError(reply.error.message, code=reply.error.code)
        return reply.data

    async def request_clip(self, seconds: float, *, timeout: float = CONTROL_TIMEOUT) -> Clip:
        """Ask the runtime for a clip of the last ``seconds`` of output; ``await clip.download(path)``.

        Raises ``RecorderDisabledError`` when the model does not record, ``ClipFailedError``
        for other refusals.
        """
        if not seconds > 0:
            raise ConfigurationError("request_clip() needs seconds > 0")
        conn = self._ctx.require_ready("request_clip()")
        codec = conn.active_codec()
        return await self._clip_request(
            lambda rid: codec.request_clip(float(seconds), rid), "clip request", timeout
        )

    async def request_recording(self, *, timeout: float = CONTROL_TIMEOUT) -> Clip:
        """Ask the runtime for the whole session's recording so far (a :class:`Clip`)."""
        conn = self._ctx.require_ready("request_recording()")
        return await self._clip_request(
            conn.active_codec().request_recording, "recording request", timeout
        )

    async def _clip_request(
        self, make: Callable[[str], Outbound], what: str, timeout: float
    ) -> Clip:
        conn = self._ctx.require_ready(what)
        reply = await conn.request("clip", make, timeout, what)
        if reply.error is not None:
            raise clip_failed(reply.error.message or reply.error.code)
        if reply.type == CLIP_FAILED or "playlist_url" not in reply.data:
            raise clip_failed(str(reply.data.get("reason", "")))
        signaling = self._ctx.make_signaling()
        url = signaling.rewrite_url(str(reply.data["playlist_url"]))
        headers = await signaling.http.headers()
        return Clip.from_message(reply.data, url, headers, auth=signaling.http.auth)


__all__ = ["Transfers"]
