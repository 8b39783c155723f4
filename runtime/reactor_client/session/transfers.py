"""Uploads, the model schema and server-side clips: :meth:`upload`, :meth:`request_schema`,
:meth:`request_clip`, :meth:`request_recording`.

A mixin of ``ReactorClient`` (:mod:`.client`); what it uses from the client is declared by
:class:`.core.ClientCore`. The upload protocol is :mod:`reactor_client.uploads`, the clip
download :mod:`reactor_client.clips`.
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
from .core import CONTROL_TIMEOUT, FeatureBase


class TransfersMixin(FeatureBase):
    """Uploads and schema requests, server-side clips and recordings."""

    # ------------------------------------------------------------------ uploads & schema
    async def upload(
        self, source: UploadSource, *, name: str | None = None, mime_type: str | None = None
    ) -> UploadReference:
        """Upload a file (path or bytes) for use in a command's ``uploads``; notifies the runtime."""
        self._require_ready("upload()")
        assert self._session_id is not None
        signaling = self._make_signaling()
        ref = await _upload(
            signaling.http,
            self._session_id,
            source,
            name=name,
            mime_type=mime_type,
            rewrite=signaling.rewrite_url,
        )
        if self._status == Status.READY:
            self._send(self._active_codec().file_uploaded(ref))
        return ref

    async def request_schema(self) -> dict[str, Any]:
        """The model's OpenAPI document: ``GET /schema`` locally, else over the channel."""
        signaling = self._signaling
        if isinstance(signaling, LocalSessionSignaling) and self._status != Status.DISCONNECTED:
            try:
                return await signaling.routes.schema()
            except ReactorError as exc:
                if exc.status not in (404, 405):  # runtime 2.x (or a proxy) has no /schema route
                    raise
        self._require_ready("request_schema()")
        return await self._schema_over_channel(CONTROL_TIMEOUT)

    async def _schema_over_channel(self, timeout: float) -> dict[str, Any]:
        codec = self._active_codec()
        if codec.name == "v1":
            reply = await self._control_request(codec.request_schema, "schema request", timeout)
            if reply.error is not None:
                raise ReactorError(reply.error.message, code=reply.error.code)
            return reply.data
        return await self._schema_replies.request(
            lambda: self._send(codec.request_schema("")),
            timeout,
            f"no modelSchema within {timeout} s",
        )

    # ------------------------------------------------------------------ server-side clips
    async def request_clip(self, seconds: float, *, timeout: float = CONTROL_TIMEOUT) -> Clip:
        """Ask the runtime for a clip of the last ``seconds`` of output; ``await clip.download(path)``.

        Raises ``RecorderDisabledError`` when the model does not record, ``ClipFailedError``
        for other refusals.
        """
        if not seconds > 0:
            raise ConfigurationError("request_clip() needs seconds > 0")
        codec = self._active_codec() if self._status == Status.READY else None
        self._require_ready("request_clip()")
        assert codec is not None
        return await self._clip_request(
            lambda rid: codec.request_clip(float(seconds), rid), "clip request", timeout
        )

    async def request_recording(self, *, timeout: float = CONTROL_TIMEOUT) -> Clip:
        """Ask the runtime for the whole session's recording so far (a :class:`Clip`)."""
        self._require_ready("request_recording()")
        codec = self._active_codec()
        return await self._clip_request(codec.request_recording, "recording request", timeout)

    async def _clip_request(
        self, make: Callable[[str], Outbound], what: str, timeout: float
    ) -> Clip:
        codec = self._active_codec()
        if codec.name == "v1":
            reply = await self._control_request(make, what, timeout)
        else:
            reply = await self._clip_replies.request(
                lambda: self._send(make("")), timeout, f"{what} got no reply within {timeout} s"
            )
        if reply.error is not None:
            raise clip_failed(reply.error.message or reply.error.code)
        if reply.type == "clipFailed" or "playlist_url" not in reply.data:
            raise clip_failed(str(reply.data.get("reason", "")))
        signaling = self._make_signaling()
        url = signaling.rewrite_url(str(reply.data["playlist_url"]))
        headers = await signaling.http.headers()
        return Clip.from_message(reply.data, url, headers)


__all__ = ["TransfersMixin"]
