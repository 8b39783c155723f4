"""Feature model: a CPU test model covering what LongliveV2 lacks (reactor-runtime 3.10.0).

Tracks
    ``webcam`` (video, in) -- frames the client publishes; the model reports what it sees.
    ``main_video`` (video, out) -- solid colour, set with ``set_color`` (default (0, 128, 255));
    every frame carries metadata ``{"frame": n, "rgb": [r, g, b]}`` (``TrackPayload``), n
    counting frames since the session started.
    ``main_audio`` (audio, out) -- 48 kHz mono sine tone, frequency set with ``configure``.

Commands (``->`` = the handler returns that message: a ``200`` reply in the schema)
    ``configure`` -> ``configured``: many parameter types (Literal, str Enum, int Enum,
    constrained int/float/str, required str, nullable, list, dict, nested dataclass, ``Any``).
    ``echo`` -> ``echo``: echoes ``text`` ``repeat`` times.
    ``inspect_file`` -> ``file_info``: upload parameter; replies file_name, mime type, size, sha256.
    ``report_input`` -> ``input_report``: what the model saw on ``webcam`` so far.
    ``fail``: always raises ``CommandError(code, message)`` (default code ``model_busy``).
    ``crash``: raises a plain exception (the runtime answers ``internal_error``).
    ``set_color`` (no reply, ``202``): colour of ``main_video``; broadcasts ``color_changed``.

Broadcast messages
    ``input_report`` every ``FEATURE_REPORT_INTERVAL`` seconds (default 0.5) while a client is
    connected; ``color_changed``; ``upload_received`` from the ``@file_uploaded`` hook;
    ``hello`` on connect.

Env knobs: ``FEATURE_WIDTH`` / ``FEATURE_HEIGHT`` (64 / 48), ``FEATURE_FPS`` (20),
``FEATURE_REPORT_INTERVAL`` (0.5 s; 0 disables the periodic report).
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import os
import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from reactor_runtime import (
    Audio,
    CommandError,
    InputField,
    MediaInput,
    MessageField,
    ModelMessage,
    Output,
    ReactorApp,
    ReadMode,
    TrackPayload,
    UploadedFile,
    Video,
    connected,
    event,
    file_uploaded,
    get_logger,
    session_started,
)

logger = get_logger(__name__)

SAMPLE_RATE = 48_000


class Style(enum.Enum):
    """Rendering style."""

    NATURAL = "natural"
    CARTOON = "cartoon"
    NOIR = "noir"


class Quality(enum.IntEnum):
    """Quality level (an integer enum)."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3


@dataclass
class Point:
    x: int
    y: int


@dataclass
class Region:
    origin: Point
    width: float = 1.0
    height: float = 1.0
    label: str | None = None


# --------------------------------------------------------------------------- tracks


class FeatureInput(MediaInput):
    webcam: Video


class FeatureOutput(Output):
    main_video: Video
    main_audio: Audio


# --------------------------------------------------------------------------- messages


class Hello(ModelMessage):
    """Sent to everyone when a client connects."""

    # NB: never call a message field ``name``: on runtime 3.10 it shadows the message's wire
    # type (``ModelMessage.name``), so the message goes out typed as the field's value.
    model: str = MessageField(description="Model name.")
    tracks: list[str] = MessageField(description="Track names the model declares.")


class Configured(ModelMessage):
    """Reply to `configure`: the settings now in effect."""

    mode: Literal["fast", "balanced", "quality"] = MessageField(description="Speed/quality mode.")
    style: Style = MessageField(description="Rendering style.")
    quality: Quality = MessageField(description="Quality level.")
    strength: float = MessageField(description="Effect strength in [0, 1].")
    steps: int = MessageField(description="Number of steps.")
    label: str = MessageField(description="Label of this configuration.")
    tone_hz: float = MessageField(description="Frequency of the main_audio sine tone.")
    tags: list[str] = MessageField(description="Tags, possibly empty.")
    weights: dict[str, float] = MessageField(description="Named weights, possibly empty.")
    region: Region | None = MessageField(description="Region of interest, or null.")
    note: str | None = MessageField(description="Free-form note, or null.")
    extra: Any = MessageField(description="Arbitrary JSON value passed through unchanged.")
    revision: int = MessageField(default=0, description="Configuration revision counter.")


class Echo(ModelMessage):
    """Reply to `echo`."""

    text: str = MessageField(description="The text, repeated.")
    count: int = MessageField(description="How many times it was repeated.")


class FileInfo(ModelMessage):
    """Reply to `inspect_file`: what the model received."""

    file_name: str = MessageField(description="Original file name.")
    mime_type: str = MessageField(description="Declared content type.")
    size: int = MessageField(description="Size in bytes.")
    sha256: str = MessageField(description="Hex SHA-256 of the bytes.")
    note: str | None = MessageField(description="The note passed with the command.")


class UploadReceived(ModelMessage):
    """Broadcast by the `@file_uploaded` hook when a client announces a finished upload."""

    file_name: str = MessageField(description="Original file name.")
    size: int = MessageField(description="Size in bytes.")
    sha256: str = MessageField(description="Hex SHA-256 of the bytes.")


class InputReport(ModelMessage):
    """What the model observed on the `webcam` input track since the session started."""

    frames_received: int = MessageField(description="Frames read from webcam so far.")
    mean_color: list[float] | None = MessageField(
        description="Mean RGB of the latest frame, or null before the first frame."
    )
    width: int | None = MessageField(description="Width of the latest frame, or null.")
    height: int | None = MessageField(description="Height of the latest frame, or null.")
    seconds_since_last_frame: float | None = MessageField(
        description="Seconds since the latest frame arrived, or null."
    )


class ColorChanged(ModelMessage):
    """Broadcast when `set_color` changes the colour of main_video."""

    rgb: list[int] = MessageField(description="The new colour as [r, g, b].")
    source: Literal["command", "reset"] = MessageField(description="What changed it.")


# --------------------------------------------------------------------------- the app


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


class FeatureModel(ReactorApp):
    """Feature test model: webcam in, video and audio out, uploads, typed replies and errors."""

    fps = 20
    buffer_size = 2
    inputs: FeatureInput

    def load(self, config_path: object = None) -> None:
        self.width = int(_env_float("FEATURE_WIDTH", 64))
        self.height = int(_env_float("FEATURE_HEIGHT", 48))
        type(self).fps = int(_env_float("FEATURE_FPS", 20))
        self.report_interval = _env_float("FEATURE_REPORT_INTERVAL", 0.5)
        self._reset()

    def _reset(self) -> None:
        self.color = (0, 128, 255)
        self.tone_hz = 440.0
        self.phase = 0
        self.frame_index = 0
        self.revision = 0
        self.frames_received = 0
        self.last_mean: list[float] | None = None
        self.last_size: tuple[int, int] | None = None
        self.last_frame_at: float | None = None

    @session_started
    async def on_session_started(self) -> None:
        self._reset()

    @connected
    async def on_connected(self) -> None:
        await self.send(Hello(model="feature-model", tracks=["webcam", "main_video", "main_audio"]))

    @file_uploaded
    async def on_file_uploaded(self, uploaded_file: UploadedFile) -> None:
        await self.send(
            UploadReceived(
                file_name=uploaded_file.name,
                size=uploaded_file.size,
                sha256=hashlib.sha256(uploaded_file.data).hexdigest(),
            )
        )

    # -- commands --------------------------------------------------------------------

    @event(name="configure", description="Apply settings; replies with `configured`.")
    async def configure(
        self,
        label: str = InputField(
            min_length=1, max_length=32, description="Label (required, 1-32 chars)."
        ),
        mode: Literal["fast", "balanced", "quality"] = InputField(
            default="balanced", description="Speed/quality trade-off."
        ),
        style: Style = InputField(default=Style.NATURAL, description="Rendering style."),
        quality: Quality = InputField(default=Quality.MEDIUM, description="Quality level."),
        strength: float = InputField(
            default=0.5, ge=0.0, le=1.0, description="Effect strength in [0, 1]."
        ),
        steps: int = InputField(default=4, ge=1, le=50, description="Number of steps (1-50)."),
        tone_hz: float = InputField(
            default=440.0, ge=20.0, le=8000.0, description="Frequency of the audio tone in Hz."
        ),
        tags: list[str] | None = InputField(default=None, description="Optional tags."),
        weights: dict[str, float] | None = InputField(
            default=None, description="Optional named weights."
        ),
        region: Region | None = InputField(default=None, description="Optional region."),
        note: str | None = InputField(
            default=None, max_length=200, moderate=True, description="Optional free-form note."
        ),
        extra: Any = InputField(default=None, description="Any JSON value, echoed back."),
    ) -> Configured:
        self.tone_hz = float(tone_hz)
        self.revision += 1
        return Configured(
            mode=mode,
            style=style.value if isinstance(style, Style) else style,
            quality=int(quality),
            strength=strength,
            steps=steps,
            label=label,
            tone_hz=self.tone_hz,
            tags=list(tags or []),
            weights=dict(weights or {}),
            region=_region_dict(region),
            note=note,
            extra=extra,
            revision=self.revision,
        )

    @event(name="echo", description="Echo `text`; replies with `echo`.")
    async def echo(
        self,
        text: str = InputField(max_length=1000, description="Text to echo."),
        repeat: int = InputField(default=1, ge=1, le=10, description="How many times."),
    ) -> Echo:
        return Echo(text=text * repeat, count=repeat)

    @event(
        name="inspect_file",
        description="Receive an uploaded file; replies with `file_info` (name, type, size, sha256).",
    )
    async def inspect_file(
        self,
        file: UploadedFile = InputField(description="The file to inspect.", moderate=True),
        note: str | None = InputField(default=None, description="Optional note, echoed back."),
    ) -> FileInfo:
        return FileInfo(
            file_name=file.name,
            mime_type=file.mime_type,
            size=file.size,
            sha256=hashlib.sha256(file.data).hexdigest(),
            note=note,
        )

    @event(name="report_input", description="Reply with what the model saw on `webcam`.")
    async def report_input(self) -> InputReport:
        self._drain_input()
        return self._report()

    @event(name="fail", description="Always fails with a model error code.")
    async def fail(
        self,
        code: str = InputField(default="model_busy", description="Error code to fail with."),
        message: str = InputField(
            default="the model refused this command", description="Error message."
        ),
    ) -> None:
        raise CommandError(code, message)

    @event(name="crash", description="Raises an unexpected exception (internal_error).")
    async def crash(self) -> None:
        raise RuntimeError("feature model crashed on purpose")

    @event(name="set_color", description="Set the colour of `main_video`; no reply message.")
    async def set_color(
        self,
        red: int = InputField(default=0, ge=0, le=255, description="Red 0-255."),
        green: int = InputField(default=128, ge=0, le=255, description="Green 0-255."),
        blue: int = InputField(default=255, ge=0, le=255, description="Blue 0-255."),
    ) -> None:
        self.color = (red, green, blue)
        await self.send(ColorChanged(rgb=[red, green, blue], source="command"))

    # -- input + loop ----------------------------------------------------------------

    def _drain_input(self) -> None:
        buffer = self.inputs.webcam
        try:
            count = buffer.available
            frames = buffer.try_read(count, mode=ReadMode.FIFO) if count else None
        except Exception:  # BufferClosed between sessions
            return
        if not frames:
            return
        self.frames_received += len(frames)
        latest = frames[-1].data
        self.last_mean = [round(float(v), 2) for v in latest.reshape(-1, 3).mean(axis=0)]
        self.last_size = (int(latest.shape[1]), int(latest.shape[0]))
        self.last_frame_at = time.monotonic()

    def _report(self) -> InputReport:
        return InputReport(
            frames_received=self.frames_received,
            mean_color=self.last_mean,
            width=self.last_size[0] if self.last_size else None,
            height=self.last_size[1] if self.last_size else None,
            seconds_since_last_frame=(
                round(time.monotonic() - self.last_frame_at, 3)
                if self.last_frame_at is not None
                else None
            ),
        )

    async def run(self) -> None:
        while True:
            await self.connected.wait()
            fps = float(type(self).fps)
            samples = int(round(SAMPLE_RATE / fps))
            next_at = time.monotonic()
            next_report = time.monotonic() + self.report_interval
            while self.connected.is_set():
                self._drain_input()
                frame = np.empty((self.height, self.width, 3), dtype=np.uint8)
                frame[:] = self.color
                t = (self.phase + np.arange(samples)) / SAMPLE_RATE
                tone = (0.3 * 32767 * np.sin(2 * np.pi * self.tone_hz * t)).astype(np.int16)
                self.phase += samples
                meta = {"frame": self.frame_index, "rgb": list(self.color)}
                self.frame_index += 1
                await self.emit(
                    FeatureOutput(
                        main_video=TrackPayload(frame, metadata=meta), main_audio=tone.reshape(1, -1)
                    )
                )
                now = time.monotonic()
                if self.report_interval > 0 and now >= next_report:
                    next_report = now + self.report_interval
                    await self.send(self._report())
                next_at = max(next_at + 1.0 / fps, now - 1.0 / fps)
                delay = next_at - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)


def _region_dict(region: Any) -> Any:
    if region is None:
        return None
    if isinstance(region, Region):
        origin = region.origin
        return {
            "origin": {"x": origin.x, "y": origin.y} if isinstance(origin, Point) else origin,
            "width": region.width,
            "height": region.height,
            "label": region.label,
        }
    return region
