"""Presigned-URL upload protocol (wire-protocol §6.7)."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable
from pathlib import Path
from typing import Union

from .errors import ConfigurationError, ReactorError
from .signaling.http import HttpSignaling, json_body
from .types import UploadReference

UploadSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


def read_source(
    source: UploadSource, name: str | None, mime_type: str | None
) -> tuple[bytes, str, str]:
    """Load bytes and infer ``(data, name, mime_type)``."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = name or "upload.bin"
    else:
        path = Path(os.fspath(source))
        data = path.read_bytes()
        name = name or path.name
    if not data:
        raise ConfigurationError("cannot upload an empty file")
    mime = mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return data, name, mime


async def upload(
    http: HttpSignaling,
    session_id: str,
    source: UploadSource,
    *,
    name: str | None = None,
    mime_type: str | None = None,
    rewrite: Callable[[str], str] | None = None,
) -> UploadReference:
    """POST ``/sessions/{sid}/uploads``, PUT the bytes to the presigned URL; returns the reference."""
    data, name, mime = read_source(source, name, mime_type)
    resp = await http.request(
        "POST",
        f"{http.session_path(session_id)}/uploads",
        json={"name": name, "size": len(data), "mime_type": mime},
    )
    body = json_body(resp)
    upload_id = body.get("presigned_id") or body.get("upload_id")
    url = body.get("presigned_url")
    if not upload_id or not url:
        raise ReactorError(f"unexpected upload response {body!r}", code="DECODE_FAILED")
    await http.put_bytes(rewrite(str(url)) if rewrite else str(url), data, mime_type=mime)
    return UploadReference(upload_id=str(upload_id), name=name, mime_type=mime, size=len(data))
