"""Client-side recording, connection statistics and the media-verb shortcuts:
:meth:`record`, :meth:`recording`, :meth:`get_stats`, :meth:`publish`, :meth:`unpublish`,
:meth:`pause_track`, :meth:`resume_track`.

A mixin of ``ReactorClient`` (:mod:`.client`); what it uses from the client is declared by
:class:`.core.ClientCore`. The recorder is :mod:`reactor_client.media.recorder`, the tracks
and their verbs :mod:`reactor_client.media.tracks`, the statistics :mod:`reactor_client.stats`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiortc import MediaStreamTrack

from ..media.recorder import Recorder, RecordingResult
from ..media.tracks import OutputTrack
from ..stats import ConnectionStats
from .core import FeatureBase


class MediaMixin(FeatureBase):
    """Recording output tracks to a file, ``get_stats()`` and the track-verb shortcuts."""

    # ------------------------------------------------------------------ client-side recording
    def _recorded_tracks(self, tracks: Sequence[str] | None) -> list[OutputTrack[Any]]:
        if tracks is None:
            return list(self._outputs.values())
        return [self.output_track(name) for name in tracks]

    async def record(
        self, path: str | Path, seconds: float | None = None, *, tracks: Sequence[str] | None = None
    ) -> RecordingResult:
        """Record output tracks (default: all, muxed into one file) for ``seconds`` of media
        (``None``: until the session ends). ``.mp4``: H.264/AAC; ``.webm``/``.mkv``: the
        received VP8/Opus remuxed without decoding. Returns what was written."""
        self._require_ready("record()")
        recorder = Recorder(path, self._recorded_tracks(tracks), seconds=seconds)
        recorder.start()
        try:
            await recorder.wait(None if seconds is None else seconds + 30.0)
        finally:
            result = await recorder.stop()
        if result.error is not None:
            raise result.error
        return result

    @asynccontextmanager
    async def recording(
        self, path: str | Path, *, tracks: Sequence[str] | None = None
    ) -> AsyncIterator[Recorder]:
        """``async with client.recording("out.webm") as rec:`` records until the block ends;
        ``rec.result`` then says what was written."""
        self._require_ready("recording()")
        recorder = Recorder(path, self._recorded_tracks(tracks))
        recorder.start()
        try:
            yield recorder
        finally:
            await recorder.stop()

    # ------------------------------------------------------------------ stats
    async def get_stats(self) -> ConnectionStats:
        """Connection statistics: ``rtt_ms`` and, per output track, fps, bitrate, loss,
        jitter and frame counters (rates since the previous call)."""
        peer = self._require_ready("get_stats()")
        receivers = {name: peer.receiver(name) for name in self._outputs}
        return await self._stats.collect(
            self._outputs,
            receivers,
            rtt_seconds=peer.rtt_seconds,
            connection_state=peer.pc.connectionState,
        )

    # ------------------------------------------------------------------ media verbs (shortcuts)
    async def publish(self, name: str, track: MediaStreamTrack | str | Path | None = None) -> None:
        """Publish input track ``name`` (see :meth:`InputTrack.publish`)."""
        await self.input_track(name).publish(track)

    async def unpublish(self, name: str) -> None:
        """Stop sending on input track ``name`` and release its publisher slot."""
        await self.input_track(name).unpublish()

    async def pause_track(self, name: str) -> None:
        """Ask the runtime to stop sending output track ``name``."""
        await self.output_track(name).pause()

    async def resume_track(self, name: str) -> None:
        """Ask the runtime to (re)start sending output track ``name``."""
        await self.output_track(name).resume()


__all__ = ["MediaMixin"]
