"""Client-side recording of output tracks into one media file.

* ``.mp4``: decoded frames re-encoded as H.264 (libx264) and AAC.
* ``.webm`` / ``.mkv``: the received VP8 (and Opus) packets are remuxed as they came off the
  wire — nothing is decoded or re-encoded, so a track that only feeds a recording costs
  packets, not decodes. (A non-VP8 video track, or a transport that does not show encoded
  frames — ``client.transport.capabilities.encoded_frames``, the native one — falls back to
  decoding and VP8/Opus encoding; ``RecordingResult.remuxed`` says which happened.)

Timestamps come from the RTP clock of each track, offset by when the track's first frame
arrived, so the file plays at the speed it was streamed and its duration is right. All
encoding and file I/O happens on a writer thread; the event loop only hands frames over.
Files are written to ``.<name>.part`` and renamed when complete. After a reconnect the
timestamps are re-based on the wall clock, so the file keeps playing in real time.
"""

from __future__ import annotations

import asyncio
import fractions
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError, ReactorError
from ..kinds import AUDIO, CLOCK_RATE, VIDEO, is_video
from .encoded import EncodedFrame, vp8_size
from .streams import open_stream

if TYPE_CHECKING:
    import av

    from .tracks import OutputTrack

log = logging.getLogger("reactor_client")

VIDEO_CLOCK = CLOCK_RATE[VIDEO]
AUDIO_RATE = CLOCK_RATE[AUDIO]
MP4_SUFFIXES = (".mp4", ".m4v", ".mov")
REMUX_SUFFIXES = (".webm", ".mkv")
_STOP = object()
_OPEN_WAIT = 1.5  # seconds to wait for every track's first frame before writing the header
_PENDING_MAX = 2000  # items held while waiting for a video key frame
_REBASE = object()  # a new peer: the track's timestamps restart


@dataclass
class RecordingResult:
    """What a finished recording wrote."""

    path: Path
    duration_seconds: float = 0.0
    frames: dict[str, int] = field(default_factory=dict)
    remuxed: bool = False
    error: ReactorError | None = None


@dataclass
class _TrackState:
    name: str
    kind: str
    first_pts: int | None = None
    offset: float = 0.0  # seconds after the recording's origin (this segment)
    first_offset: float | None = None  # ... of the track's first frame
    last_pts: int = -1
    count: int = 0
    span: float = 0.0  # seconds of media written
    stream: Any = None
    fifo: Any = None
    resampler: Any = None
    samples_written: int = 0
    need_keyframe: bool = True  # remux: (re)start at a key frame


class Recorder:
    """Records ``tracks`` to ``path`` until :meth:`stop` (or ``seconds`` of media)."""

    def __init__(
        self, path: str | Path, tracks: Sequence[OutputTrack[Any]], *, seconds: float | None = None
    ) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in MP4_SUFFIXES + REMUX_SUFFIXES:
            raise ConfigurationError(
                f"cannot record to {self.path.name}: use .mp4 (H.264/AAC) or .webm/.mkv (VP8/Opus, no re-encode)"
            )
        if not tracks:
            raise ConfigurationError("nothing to record: the model has no output tracks")
        if seconds is not None and seconds <= 0:
            raise ConfigurationError("seconds must be > 0")
        if not self.path.parent.is_dir():
            raise ConfigurationError(
                f"cannot record to {self.path}: directory {self.path.parent} does not exist"
            )
        self.tracks = list(tracks)
        self.seconds = seconds
        self.remux = suffix in REMUX_SUFFIXES and all(
            t.feed.encoded_frames and (not is_video(t.kind) or t.codec in (None, "VP8"))
            for t in tracks
        )
        if suffix in REMUX_SUFFIXES and not self.remux:
            log.info(
                "recording %s: decoding and encoding VP8/Opus (%s)",
                self.path.name,
                "this transport does not show encoded frames"
                if not all(t.feed.encoded_frames for t in tracks)
                else "a video track is not VP8",
            )
        self._tmp = self.path.with_name(f".{self.path.name}.part")
        self._queue: queue.Queue[Any] = queue.Queue()
        self._states = {t.name: _TrackState(t.name, t.kind) for t in self.tracks}
        self._origin = time.monotonic()
        self._thread = threading.Thread(
            target=self._write_loop, name=f"reactor-record-{self.path.name}", daemon=True
        )
        self._removers: list[Callable[[], None]] = []
        self._feeders: list[asyncio.Task[None]] = []
        self._done = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._container: Any = None
        self._muxing = False
        self._pending: list[tuple[_TrackState, Any, float]] = []
        self._failure: BaseException | None = None
        self._stopped = False
        self.result = RecordingResult(self.path, remuxed=self.remux)

    # ------------------------------------------------------------------ event loop side
    def start(self) -> None:
        self._thread.start()
        for track in self.tracks:
            self._removers.append(track.on_peer_event(self._peer_event(track.name)))
            if self.remux:
                self._removers.append(track.add_encoded_tap(self._enqueuer(track.name)))
            else:
                self._removers.append(track.hold_decoding())
                self._feeders.append(asyncio.ensure_future(self._feed(track)))

    def _peer_event(self, name: str) -> Callable[[str], None]:
        def on_event(event: str) -> None:
            if event == "rebase":  # reconnected: timestamps restart, remux waits for a key frame
                self._queue.put((name, _REBASE, time.monotonic()))
            elif event == "closed":  # the session is over: finish
                self._done.set()

        return on_event

    def _enqueuer(self, name: str) -> Callable[[EncodedFrame], None]:
        def enqueue(frame: EncodedFrame) -> None:
            self._queue.put((name, frame, time.monotonic()))

        return enqueue

    async def _feed(self, track: OutputTrack[Any]) -> None:
        frames = open_stream(track.feed, 256)
        try:
            async for frame in frames:
                self._queue.put((track.name, frame, time.monotonic()))
        except ReactorError as exc:
            self.result.error = exc
        finally:
            self._done.set()  # the stream ended (normally or not): nothing more will come

    async def wait(self, timeout: float | None = None) -> None:
        """Until ``seconds`` of media are written (or the stream fails)."""
        try:
            await asyncio.wait_for(self._done.wait(), timeout)
        except asyncio.TimeoutError:
            pass

    async def stop(self) -> RecordingResult:
        """Stop, finish the file and return what was written (idempotent)."""
        if not self._stopped:
            self._stopped = True
            for remove in self._removers:
                remove()
            for task in self._feeders:
                task.cancel()
            self._queue.put(_STOP)
            await asyncio.get_running_loop().run_in_executor(None, self._thread.join)
            if self._failure is not None:
                raise ReactorError(
                    f"recording {self.path} failed: {self._failure}", code="RECORDING_FAILED"
                ) from self._failure
        return self.result

    # ------------------------------------------------------------------ writer thread
    def _write_loop(self) -> None:
        try:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    break
                name, frame, arrived = item
                if self._failure is None and not self._done.is_set():
                    self._write(self._states[name], frame, arrived)
            self._finish()
        except BaseException as exc:  # noqa: BLE001 - reported by stop()
            self._failure = exc
            self._loop.call_soon_threadsafe(self._done.set)
            if self._container is not None:
                try:
                    self._container.close()
                except Exception:  # noqa: BLE001
                    pass
            self._tmp.unlink(missing_ok=True)

    def _open(self) -> Any:
        import av

        if self._container is None:
            fmt = {".mkv": "matroska", ".webm": "webm"}.get(self.path.suffix.lower(), "mp4")
            self._container = av.open(str(self._tmp), mode="w", format=fmt)
        return self._container

    def _relative(self, st: _TrackState, pts: int, clock: int, arrived: float) -> int | None:
        """``pts`` on the recording's clock (in ``clock`` units), or None to skip it."""
        if st.first_pts is None:  # the first frame, or the first after a reconnect
            st.first_pts = pts
            st.offset = max(0.0, arrived - self._origin)
            if st.first_offset is None:
                st.first_offset = st.offset
        rel = int(round(st.offset * clock)) + (pts - st.first_pts)
        if rel <= st.last_pts:
            return None
        st.last_pts = rel
        st.span = rel / clock - (st.first_offset or 0.0)
        return rel

    def _write(self, st: _TrackState, frame: Any, arrived: float) -> None:
        """Every stream must exist before the container writes its header, so items are held
        until each track has produced its first usable frame (or ``_OPEN_WAIT`` passed:
        tracks still silent then are left out, but never a video track)."""
        if frame is _REBASE:
            st.first_pts = None
            st.need_keyframe = True
            return
        if st.stream is None and not self._muxing:
            self._add_stream(st, frame)
        if not self._muxing:
            self._pending.append((st, frame, arrived))
            del self._pending[:-_PENDING_MAX]
            ready = all(x.stream is not None for x in self._states.values())
            video_ready = all(
                x.stream is not None for x in self._states.values() if is_video(x.kind)
            )
            if ready or (video_ready and arrived - self._pending[0][2] > _OPEN_WAIT):
                self._muxing = True
                pending, self._pending = self._pending, []
                for item in pending:
                    self._write_now(*item)
            return
        self._write_now(st, frame, arrived)

    def _write_now(self, st: _TrackState, frame: Any, arrived: float) -> None:
        import av

        if st.stream is None:
            return  # a track that stayed silent while the file was opened
        if isinstance(frame, EncodedFrame):
            self._mux_encoded(st, frame, arrived)
        elif isinstance(frame, av.VideoFrame):
            self._encode_video(st, frame, arrived)
        elif isinstance(frame, av.AudioFrame):
            self._encode_audio(st, frame, arrived)
        self._check_done(st)

    def _add_stream(self, st: _TrackState, frame: Any) -> None:
        import av

        container = self._open()
        mp4 = self.path.suffix.lower() in MP4_SUFFIXES
        if isinstance(frame, EncodedFrame):
            if is_video(st.kind):
                size = vp8_size(frame.data) if frame.codec == "VP8" else None
                if size is None:
                    return  # wait for a key frame
                stream = container.add_stream("libvpx", rate=30)
                stream.width, stream.height = size
                stream.pix_fmt = "yuv420p"
            else:
                if frame.codec.lower() != "opus":
                    return
                stream = container.add_stream("libopus", rate=AUDIO_RATE)
                stream.layout = "stereo"
        elif isinstance(frame, av.VideoFrame):
            if mp4:
                stream = container.add_stream("libx264", rate=30)
                stream.options = {"preset": "veryfast", "tune": "zerolatency"}
            else:
                stream = container.add_stream("libvpx", rate=30)
            stream.width, stream.height = (
                frame.width - frame.width % 2,
                frame.height - frame.height % 2,
            )
            stream.pix_fmt = "yuv420p"
            stream.codec_context.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        elif isinstance(frame, av.AudioFrame):
            stream = container.add_stream("aac" if mp4 else "libopus", rate=AUDIO_RATE)
            stream.layout = "stereo"
            st.resampler = av.AudioResampler(
                format="fltp" if mp4 else "s16", layout="stereo", rate=AUDIO_RATE
            )
            st.fifo = av.AudioFifo()
        else:
            return
        st.stream = stream

    def _check_done(self, st: _TrackState) -> None:
        primary = next((s for s in self._states.values() if is_video(s.kind)), st)
        if (
            self.seconds is not None
            and st is primary
            and st.span + self._frame_seconds(st) >= self.seconds - 1e-6
        ):
            self._loop.call_soon_threadsafe(self._done.set)

    def _frame_seconds(self, st: _TrackState) -> float:
        return st.span / max(1, st.count - 1) if st.count > 1 else 0.0

    # -- remux ---------------------------------------------------------------------
    def _mux_encoded(self, st: _TrackState, frame: EncodedFrame, arrived: float) -> None:
        import av

        container = self._open()
        if is_video(st.kind) and st.need_keyframe:
            if not frame.keyframe:
                return  # a remuxed stream (re)starts at a key frame
            st.need_keyframe = False
        clock = VIDEO_CLOCK if is_video(st.kind) else AUDIO_RATE
        rel = self._relative(st, frame.timestamp, clock, arrived)
        if rel is None:
            return
        packet = av.Packet(frame.data)
        packet.time_base = fractions.Fraction(1, clock)
        packet.pts = packet.dts = rel
        packet.stream = st.stream
        if is_video(st.kind) and frame.keyframe:
            packet.is_keyframe = True
        container.mux(packet)
        st.count += 1

    # -- mp4 (and the non-VP8 fallback) ---------------------------------------------
    def _encode_video(self, st: _TrackState, frame: av.VideoFrame, arrived: float) -> None:
        if frame.pts is None:
            return
        container = self._open()
        rel = self._relative(st, int(frame.pts), VIDEO_CLOCK, arrived)
        if rel is None:
            return
        out = frame.reformat(width=st.stream.width, height=st.stream.height, format="yuv420p")
        out.pts = rel
        out.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        for packet in st.stream.encode(out):
            container.mux(packet)
        st.count += 1

    def _encode_audio(self, st: _TrackState, frame: av.AudioFrame, arrived: float) -> None:
        if frame.pts is None:
            return
        container = self._open()
        rel = self._relative(st, int(frame.pts), AUDIO_RATE, arrived)
        if rel is None:
            return
        if st.samples_written == 0:
            st.samples_written = rel  # start where the track started
        for converted in st.resampler.resample(frame):
            converted.pts = None
            st.fifo.write(converted)
        size = st.stream.codec_context.frame_size or 960
        while st.fifo.samples >= size:
            chunk = st.fifo.read(size)
            chunk.pts = st.samples_written
            chunk.time_base = fractions.Fraction(1, AUDIO_RATE)
            st.samples_written += size
            for packet in st.stream.encode(chunk):
                container.mux(packet)
        st.count += 1

    def _finish(self) -> None:
        container = self._container
        if container is not None and not self._muxing and self._pending:
            self._muxing = True
            pending, self._pending = self._pending, []
            for item in pending:
                self._write_now(*item)
        if container is None or not any(st.count for st in self._states.values()):
            if container is not None:
                container.close()
                self._tmp.unlink(missing_ok=True)
            raise ConfigurationError("no frame arrived on the recorded tracks; nothing was written")
        if not self.remux:
            for st in self._states.values():
                if st.stream is not None:
                    for packet in st.stream.encode(None):
                        container.mux(packet)
        container.close()
        self._tmp.replace(self.path)
        written = [st for st in self._states.values() if st.count]
        end = max(
            ((st.first_offset or 0.0) + st.span + self._frame_seconds(st) for st in written),
            default=0.0,
        )
        start = min((st.first_offset or 0.0 for st in written), default=0.0)
        self.result.duration_seconds = end - start  # from the first frame written
        self.result.frames = {st.name: st.count for st in self._states.values()}


__all__ = ["Recorder", "RecordingResult"]
