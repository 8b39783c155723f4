"""Server-side clips and recordings: ``request_clip`` / ``request_recording`` → :class:`Clip`.

The runtime answers a clip request at once with a *promise*: a marker range and a
playlist URL (HLS, fMP4: an ``#EXT-X-MAP`` init segment and ``.m4s`` fragments). The
playlist answers ``202`` + ``Retry-After`` until the last fragment exists.
:meth:`Clip.download` polls it, joins init + fragments and remuxes them (:func:`remux_clip`,
no re-encode) into one MP4 that starts at 0 and lasts the marker range.

The playlist lists whole recording chunks (``chunk_seconds`` each, 4 s by default, one
keyframe at the start of each), so the fragments of a 2 s clip cut 5.3-7.3 s into a session
are the 4-8 s chunk, stamped 4.0-8.0 s: joined as they are, the file starts at 4.0 s and
players read it as 8 s long.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
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
        """Wait until the clip is ready and write it to ``path`` as one MP4.

        Polls the playlist while it answers 202 (each wait is its ``Retry-After``, clamped
        to [0.2, ``poll_cap``] s); ``RequestTimeoutError`` after ``timeout`` seconds;
        ``NotFoundError`` when the clip is gone (404/410). The fragments are remuxed without
        re-encoding (:func:`remux_clip`): the file starts at 0 with the first video frame at
        or after ``start_marker`` and ends before ``end_marker``. It appears only once
        complete.
        """
        import av

        target = Path(path)
        deadline = None if timeout is None else time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=30.0) as http:
            playlist = await self._await_playlist(http, deadline, poll_cap)
            init, segments = parse_playlist(playlist, self.playlist_url)
            joined = target.with_name(f".{target.name}.fmp4.part")
            tmp = target.with_name(f".{target.name}.part")
            try:
                with joined.open("wb") as out:
                    for url in ([init] if init else []) + segments:
                        out.write(await _get_bytes(http, url, self._get))
                try:
                    await asyncio.to_thread(
                        remux_clip, joined, tmp, self.start_marker, self.end_marker
                    )
                except av.error.FFmpegError as exc:
                    raise ReactorError(
                        f"clip {safe_url(self.playlist_url)}: cannot remux its fragments: {exc}",
                        code="CLIP_FAILED",
                    ) from exc
                tmp.replace(target)
            finally:
                joined.unlink(missing_ok=True)
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


def remux_clip(source: str | Path, target: str | Path, start: float, end: float) -> None:
    """Copy the packets of ``source`` (joined HLS fMP4 fragments) into an MP4 at ``target``
    whose timeline starts at 0 and covers ``[start, end)`` of the source's (seconds).

    No re-encoding: the video can only start decoding at a keyframe, the first packet of a
    chunk, so the packets from that keyframe on are kept and shifted so that the first video
    frame at or after ``start`` is at 0. The ones before it get negative timestamps, which the
    MP4 muxer turns into an edit list: players (and PyAV/FFmpeg) decode them but show nothing
    before 0, and the file's duration is ``end - start``. Packets from ``end`` on are left out
    (in decode order, never one that a frame before ``end`` could reference). An ``end`` not
    after ``start`` keeps everything after ``start``. Video and audio streams only.
    """
    import av

    with av.open(str(source)) as src:
        streams = [s for s in src.streams if s.type in ("video", "audio")]
        if not streams:
            raise ReactorError(f"clip {source} has no audio or video", code="CLIP_FAILED")
        ref = next((s for s in streams if s.type == "video"), streams[0])
        begin = Fraction(start).limit_denominator(1_000_000) - Fraction(1, 1000)
        stop = Fraction(end).limit_denominator(1_000_000) if end > start else None
        cut: Fraction | None = None  # time of the first reference frame at or after start
        first: Fraction | None = None  # ... and of its very first frame
        seen: dict[int, int] = {}
        keep: dict[int, int] = {}  # stream index -> packets to keep, in decode order
        for packet in src.demux(streams):
            stamp = packet.pts if packet.pts is not None else packet.dts
            if stamp is None:  # the demuxer's empty end-of-stream packets
                continue
            index = packet.stream.index
            seen[index] = seen.get(index, 0) + 1
            at = stamp * packet.stream.time_base
            if stop is None or at < stop:
                keep[index] = seen[index]
            if packet.stream is ref:
                first = at if first is None else min(first, at)
                if at >= begin and (cut is None or at < cut):
                    cut = at
        origin = cut if cut is not None else first
        if origin is None:
            raise ReactorError(f"clip {source} holds no {ref.type} packet", code="CLIP_FAILED")

    with (
        av.open(str(source)) as src,
        av.open(str(target), mode="w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        streams = [s for s in src.streams if s.type in ("video", "audio")]
        copies = {s.index: out.add_stream_from_template(s) for s in streams}
        shifts = {s.index: math.floor(origin / s.time_base + Fraction(1, 2)) for s in streams}
        written: dict[int, int] = {}
        for packet in src.demux(streams):
            if packet.pts is None and packet.dts is None:
                continue
            index = packet.stream.index
            written[index] = written.get(index, 0) + 1
            if written[index] > keep.get(index, 0):
                continue
            if packet.pts is not None:
                packet.pts -= shifts[index]
            if packet.dts is not None:
                packet.dts -= shifts[index]
            packet.stream = copies[index]
            out.mux(packet)


async def _get_bytes(
    http: httpx.AsyncClient,
    url: str,
    get: Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]],
) -> bytes:
    """One fragment of a clip (``get``: the clip's GET, authenticated on its own host)."""
    resp = await get(http, url)
    if resp.status_code != 200:
        raise signaling_error(resp.status_code, f"GET {safe_url(url)}: {resp.text[:200]}")
    return resp.content


__all__ = [
    "Clip",
    "ClipFailedError",
    "RecorderDisabledError",
    "clip_failed",
    "parse_playlist",
    "remux_clip",
]
