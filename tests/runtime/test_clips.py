"""Server-side clip files (issue 16): the joined HLS fragments are remuxed to start at 0 and last
the clip's marker range. The fragments are made here the way reactor-runtime 3.10.0's recorder
makes them (recording/chunk_encoder.py: HLS fMP4, 30 fps libx264 with one keyframe per chunk,
AAC); the same check on the real runtime is in test_media_e2e.py."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from reactor_client.clips import remux_clip

FPS = 30
RATE = 48000
CHUNK_SECONDS = 2


def record(directory: Path, seconds: int) -> list[Path]:
    """``seconds`` of recording as the runtime writes it; returns [init, chunk 0, chunk 1, ...]."""
    container = av.open(
        str(directory / "manifest.m3u8"),
        mode="w",
        format="hls",
        options={
            "hls_segment_type": "fmp4",
            "hls_time": str(CHUNK_SECONDS),
            "hls_list_size": "0",
            "hls_flags": "independent_segments",
            "hls_fmp4_init_filename": "init.mp4",
            "hls_segment_filename": str(directory / "chunk_%05d.m4s"),
        },
    )
    gop = FPS * CHUNK_SECONDS
    video = container.add_stream(
        "libx264",
        rate=Fraction(FPS, 1),
        options={
            "preset": "ultrafast",
            "tune": "zerolatency",
            "x264-params": f"keyint={gop}:min-keyint={gop}:scenecut=0",
        },
    )
    video.width, video.height, video.pix_fmt = 32, 32, "yuv420p"
    video.time_base = Fraction(1, FPS)
    audio = container.add_stream("aac", rate=RATE, layout="mono")
    per_frame = RATE // FPS
    for i in range(seconds * FPS):
        shade = (i * 4) % 256  # each frame its own grey, to tell which one comes first
        frame = av.VideoFrame.from_ndarray(np.full((32, 32, 3), shade, np.uint8), format="rgb24")
        frame.pts, frame.time_base = i, Fraction(1, FPS)
        container.mux(video.encode(frame))
        block = av.AudioFrame.from_ndarray(
            np.zeros((1, per_frame), np.int16), format="s16", layout="mono"
        )
        block.rate, block.pts, block.time_base = RATE, i * per_frame, Fraction(1, RATE)
        container.mux(audio.encode(block))
    container.mux(video.encode(None))
    container.mux(audio.encode(None))
    container.close()
    return [directory / "init.mp4", *sorted(directory.glob("chunk_*.m4s"))]


def join(parts: list[Path], path: Path) -> Path:
    """What the playlist of a clip gives: the init segment and whole chunks, back to back."""
    path.write_bytes(b"".join(p.read_bytes() for p in parts))
    return path


def video_times(path: Path) -> tuple[list[float], float]:
    """(decoded video frame times, container duration) in seconds."""
    with av.open(str(path)) as container:
        duration = (container.duration or 0) / 1e6
        times = [float(f.time or 0.0) for f in container.decode(video=0)]
    return times, duration


@pytest.fixture(scope="module")
def chunks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return record(tmp_path_factory.mktemp("recording"), seconds=8)


def test_a_mid_session_clip_starts_at_zero_and_lasts_its_range(
    chunks: list[Path], tmp_path: Path
) -> None:
    # a 2 s clip cut 5.3-7.3 s into the session: the playlist lists the 4-6 and 6-8 s chunks
    joined = join([chunks[0], chunks[1 + 2], chunks[1 + 3]], tmp_path / "joined.mp4")
    times, _ = video_times(joined)
    assert times[0] == pytest.approx(4.0, abs=0.05)  # the defect: stamped where the chunk starts

    remux_clip(joined, tmp_path / "clip.mp4", 5.3, 7.3)
    times, duration = video_times(tmp_path / "clip.mp4")
    assert times[0] == pytest.approx(0.0, abs=1e-6)
    assert duration == pytest.approx(2.0, abs=1 / FPS)
    assert len(times) == 2 * FPS and times[-1] == pytest.approx(2.0 - 1 / FPS, abs=0.03)
    with av.open(str(tmp_path / "clip.mp4")) as container:  # the frame shown first is the 5.3 s one
        first = next(container.decode(video=0)).to_ndarray(format="gray")
    assert abs(int(first.mean()) - (round(5.3 * FPS) * 4) % 256) <= 3
    with av.open(str(tmp_path / "clip.mp4")) as container:
        audio = [f for f in container.decode(audio=0)]
    assert float(audio[0].time or 0.0) == pytest.approx(0.0, abs=0.03)
    assert float(audio[-1].time or 0.0) == pytest.approx(2.0, abs=0.05)


def test_a_whole_recording_keeps_every_frame(chunks: list[Path], tmp_path: Path) -> None:
    remux_clip(join(chunks, tmp_path / "joined.mp4"), tmp_path / "all.mp4", 0.0, 8.0)
    times, duration = video_times(tmp_path / "all.mp4")
    assert times[0] == pytest.approx(0.0, abs=1e-6) and len(times) == 8 * FPS
    assert duration == pytest.approx(8.0, abs=1 / FPS)


def test_an_unknown_end_keeps_the_rest(chunks: list[Path], tmp_path: Path) -> None:
    joined = join([chunks[0], chunks[1 + 1]], tmp_path / "joined.mp4")  # the 2-4 s chunk
    remux_clip(joined, tmp_path / "rest.mp4", 3.0, 0.0)
    times, duration = video_times(tmp_path / "rest.mp4")
    assert times[0] == pytest.approx(0.0, abs=1e-6) and len(times) == FPS
    assert duration == pytest.approx(1.0, abs=1 / FPS)


async def test_fragments_that_are_not_a_clip_are_a_clip_failed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reactor_client.clips as clips

    async def playlist(*_: object) -> str:
        return "#EXTM3U\nchunk_00000.m4s\n#EXT-X-ENDLIST\n"

    async def get_bytes(*_: object) -> bytes:
        return b"not an mp4 fragment"

    clip = clips.Clip("s", "snap", 1.0, 3.0, 0, "http://runtime/clips?session_id=s")
    monkeypatch.setattr(clips.Clip, "_await_playlist", playlist)
    monkeypatch.setattr(clips, "_get_bytes", get_bytes)
    with pytest.raises(clips.ReactorError) as failed:
        await clip.download(tmp_path / "clip.mp4")
    assert failed.value.code == "CLIP_FAILED"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no partial file is left behind
