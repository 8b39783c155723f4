"""Client-side recording and connection statistics: the :class:`MediaControls` resource.

The recorder is :mod:`reactor_client.media.recorder`, the tracks and their verbs
:mod:`reactor_client.media.tracks`, the statistics :mod:`reactor_client.stats`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from ..media.recorder import Recorder, RecordingResult
from ..media.tracks import OutputTrack
from ..stats import ConnectionStats
from .context import SessionContext


class MediaControls:
    """Recording output tracks to a file and ``get_stats()``."""

    def __init__(self, ctx: SessionContext) -> None:
        self._ctx = ctx

    def _recorded_tracks(self, tracks: Sequence[str] | None) -> list[OutputTrack[Any]]:
        if tracks is None:
            return list(self._ctx.outputs.values())
        return [self._ctx.output_track(name) for name in tracks]

    async def record(
        self, path: str | Path, seconds: float | None = None, *, tracks: Sequence[str] | None = None
    ) -> RecordingResult:
        """Record output tracks (see :meth:`ReactorClient.record`)."""
        self._ctx.require_ready("record()")
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
        """Record until the block ends (see :meth:`ReactorClient.recording`)."""
        self._ctx.require_ready("recording()")
        recorder = Recorder(path, self._recorded_tracks(tracks))
        recorder.start()
        try:
            yield recorder
        finally:
            await recorder.stop()

    async def get_stats(self) -> ConnectionStats:
        """Connection statistics (see :meth:`ReactorClient.get_stats`)."""
        conn = self._ctx.require_ready("get_stats()")
        transport = conn.transport
        return await self._ctx.stats.collect(
            self._ctx.outputs,
            transport.rtp_counters,
            rtt_seconds=lambda: transport.rtt_seconds,
            connection_state=transport.state,
        )


__all__ = ["MediaControls"]
