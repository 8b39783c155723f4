"""Server-side clips and recordings: ``request_clip`` / ``request_recording`` → :class:`Clip`.

The runtime answers a clip request at once with a *promise*: a marker range and a
playlist URL (HLS, fMP4: an ``#EXT-X-MAP`` init segment and ``.m4s`` fragments). The
playlist answers ``202`` + ``Retry-After`` until the last fragment exists.
:meth:`Clip.download` polls it and joins init + fragments into one fMP4 file.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from .errors import NetworkError, NotFoundError, ReactorError, RequestTimeoutError, signaling_error
from .signaling.http import HttpAuth, parse_retry_after, safe_url

RECORDER_DISABLED_REASONS = ("recorder disabled", "recorder disabled or encoder crashed")


class ClipFailedError(ReactorError):
    """The runtime refused or could not produce a clip (``clipFailed``)."""

    default_code = "CLIP_FAILED"


class RecorderDisabledError(ClipFailedError):
    """The model does not record (``recording: {enabled: true}`` missing in its reactor.yaml)."""

    default_code = "RECORDER_DISABLED"


def clip_failed(reason: str) -> ClipFailedError:
    if reason.strip().lower() in RECORDER_DISABLED_REASONS:
        return RecorderDisabledError(
            f"the runtime does not record this session ({reason}); enable `recording: {{enabled: true}}` "
            "in the model's reactor.yaml"
        )
    return ClipFailedError(reason or "clip failed")


@dataclass(frozen=True)
class Clip:
    """A clip (or whole-session recording) the runtime promised.

    ``start_marker`` / ``end_marker`` are seconds on the session's recording clock;
    ``predicted_ready_at_ms`` is the runtime's estimate (Unix epoch ms) of when it can be
    fetched; ``playlist_url`` is absolute (resolved against the API base).
    """

    session_id: str
    kind: str
    start_marker: float
    end_marker: float
    predicted_ready_at_ms: int
    playlist_url: str
    _headers: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)
    #: The client's auth: headers (and the token, from a resolver too) are made per
    #: request, so a download after the token of the clip request expired still works.
    _auth: HttpAuth | None = field(default=None, repr=False, compare=False)

    @property
    def duration_seconds(self) -> float:
        return max(0.0, self.end_marker - self.start_marker)

    @classmethod
    def from_message(
        cls,
        data: Mapping[str, Any],
        playlist_url: str,
        headers: Mapping[str, str],
        auth: HttpAuth | None = None,
    ) -> Clip:
        return cls(
            session_id=str(data.get("session_id", "")),
            kind=str(data.get("kind", "")),
            start_marker=float(data.get("start_marker") or 0.0),
            end_marker=float(data.get("end_marker") or 0.0),
            predicted_ready_at_ms=int(float(data.get("predicted_ready_at_ms") or 0)),
            playlist_url=playlist_url,
            _headers=tuple(headers.items()),
            _auth=auth,
        )

    async def download(
        self, path: str | Path, *, timeout: float | None = 60.0, poll_cap: float = 2.0
    ) -> Path:
        """Wait until the clip is ready and write it to ``path`` as one fragmented MP4.

        Polls the playlist while it answers 202 (each wait is its ``Retry-After``, clamped
        to [0.2, ``poll_cap``] s); ``RequestTimeoutError`` after ``timeout`` seconds;
        ``NotFoundError`` when the clip is gone (404/410). The file appears only once
        complete.
        """
        target = Path(path)
        deadline = None if timeout is None else time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=30.0) as http:
            playlist = await self._await_playlist(http, deadline, poll_cap)
            init, segments = parse_playlist(playlist, self.playlist_url)
            tmp = target.with_name(f".{target.name}.part")
            try:
                with tmp.open("wb") as out:
                    for url in ([init] if init else []) + segments:
                        out.write(await self._get_bytes(http, url))
                tmp.replace(target)
            finally:
                tmp.unlink(missing_ok=True)
        return target

    def _same_host(self, url: str) -> bool:
        """Reactor headers (and the token) go only to the playlist's own host: presigned
        chunk URLs carry their credentials in the query and refuse an Authorization header."""
        return urlsplit(url).netloc == urlsplit(self.playlist_url).netloc

    async def _get(
        self, http: httpx.AsyncClient, url: str, ok_statuses: tuple[int, ...] = ()
    ) -> httpx.Response:
        """GET ``url``: with the client's auth (token resolved now, a 401 refreshed once)
        on the playlist's host, plainly elsewhere."""
        if self._auth is not None and self._same_host(url):
            return await self._auth.send(http, "GET", url, ok_statuses=ok_statuses)
        headers = dict(self._headers) if self._same_host(url) else {}
        try:
            resp = await http.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise NetworkError(f"GET {safe_url(url)}: {type(exc).__name__}: {exc}") from exc
        if not resp.is_success and resp.status_code not in ok_statuses:
            raise signaling_error(resp.status_code, f"GET {safe_url(url)}: {resp.text[:200]}")
        return resp

    async def _get_bytes(self, http: httpx.AsyncClient, url: str) -> bytes:
        resp = await self._get(http, url)
        if resp.status_code != 200:
            raise signaling_error(resp.status_code, f"GET {safe_url(url)}: {resp.text[:200]}")
        return resp.content

    async def _await_playlist(
        self, http: httpx.AsyncClient, deadline: float | None, poll_cap: float
    ) -> str:
        where = safe_url(self.playlist_url)
        while True:
            resp = await self._get(http, self.playlist_url, ok_statuses=(202, 404, 410))
            if resp.status_code == 200:
                return resp.text
            if resp.status_code in (404, 410):
                raise NotFoundError(
                    f"clip {where} is gone ({resp.status_code})",
                    status=resp.status_code,
                )
            if resp.status_code != 202:
                raise signaling_error(resp.status_code, f"GET {where}: {resp.text[:200]}")
            wait = min(
                max(parse_retry_after(resp.headers.get("retry-after")) or 0.5, 0.2), poll_cap
            )
            if deadline is not None and time.monotonic() + wait > deadline:
                raise RequestTimeoutError(f"clip not ready within the timeout ({where})")
            await asyncio.sleep(wait)


def parse_playlist(text: str, base_url: str) -> tuple[str | None, list[str]]:
    """``(init_url, segment_urls)`` of an HLS media playlist, resolved against ``base_url``."""
    init: str | None = None
    segments: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#EXT-X-MAP:"):
            for part in line[len("#EXT-X-MAP:") :].split(","):
                key, _, value = part.partition("=")
                if key.strip() == "URI":
                    init = urljoin(base_url, value.strip().strip('"'))
        elif line and not line.startswith("#"):
            segments.append(urljoin(base_url, line))
    if not segments:
        raise ReactorError(
            f"clip playlist {safe_url(base_url)} lists no segments", code="CLIP_FAILED"
        )
    return init, segments


__all__ = ["Clip", "ClipFailedError", "RecorderDisabledError", "parse_playlist", "clip_failed"]
