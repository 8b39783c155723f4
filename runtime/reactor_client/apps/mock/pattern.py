"""The stand-in model's test pattern: what its output tracks show (numpy only).

Every output video track shows the last command received: the background is
:func:`command_color` of its name (a grey before the first command), with the command's
name, how many commands arrived, the track's name and the arguments drawn in a built-in
5x7 bitmap font, the latest frame of each input video track as a picture-in-picture at the
bottom right, and a white marker that moves one pixel per frame along the bottom edge.
The top-left corner (an eighth of each side) is never drawn on, so a test can read the
colour there. Every output audio track plays a sine tone of :func:`command_tone` Hz.

Both functions are pure, so an app's test can predict what the stand-in shows::

    from reactor_client.apps.mock.pattern import command_color
    assert frame_colour_near(command_color("set_shot"))
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "IDLE_COLOR",
    "IDLE_TONE",
    "SAMPLE_RATE",
    "AudioPattern",
    "VideoPattern",
    "command_color",
    "command_tone",
    "draw_text",
]

IDLE_COLOR = (48, 48, 48)
"""The background before the first command."""
IDLE_TONE = 440.0
"""The tone (Hz) before the first command."""
SAMPLE_RATE = 48_000
"""Sample rate of the audio tracks (reactor-runtime's default)."""

Frame = npt.NDArray[np.uint8]

# 5x7 glyphs: seven rows of five bits, two hex digits per row, most significant bit left.
_FONT: dict[str, str] = {
    'A': "0e11111f111111", 'B': "1e11111e11111e", 'C': "0e11101010110e", 'D': "1c12111111121c",
    'E': "1f10101e10101f", 'F': "1f10101e101010", 'G': "0e11101711110f", 'H': "1111111f111111",
    'I': "0e04040404040e", 'J': "0702020202120c", 'K': "11121418141211", 'L': "1010101010101f",
    'M': "111b1515111111", 'N': "11111915131111", 'O': "0e11111111110e", 'P': "1e11111e101010",
    'Q': "0e11111115120d", 'R': "1e11111e141211", 'S': "0f10100e01011e", 'T': "1f040404040404",
    'U': "1111111111110e", 'V': "11111111110a04", 'W': "1111111515150a", 'X': "11110a040a1111",
    'Y': "1111110a040404", 'Z': "1f01020408101f", '0': "0e11131519110e", '1': "040c040404040e",
    '2': "0e11010204081f", '3': "1f02040201110e", '4': "02060a121f0202", '5': "1f101e0101110e",
    '6': "0608101e11110e", '7': "1f010204080808", '8': "0e11110e11110e", '9': "0e11110f01020c",
    '_': "0000000000001f", '-': "0000001f000000", '.': "00000000000c0c", ',': "000000000c0408",
    ':': "000c0c000c0c00", '=': "00001f001f0000", '#': "0a0a1f0a1f0a0a", '/': "00010204081000",
    '(': "02040808080402", ')': "08040202020408", '[': "0e08080808080e", ']': "0e02020202020e",
    "'": "0c040800000000", '"': "0a0a0a00000000", '+': "0004041f040400", '?': "0e110102040004",
    '!': "04040404040004", '%': "18190204081303", '<': "02040810080402", '>': "08040201020408",
    '*': "0004150e150400", '{': "02040408040402", '}': "08040402040408", ' ': "00000000000000",
}  # fmt: skip
_GLYPH_W, _GLYPH_H, _ADVANCE = 5, 7, 6


def _glyph(char: str) -> npt.NDArray[np.bool_]:
    code = _FONT.get(char.upper(), _FONT["?"])
    rows = [int(code[i : i + 2], 16) for i in range(0, 14, 2)]
    return np.array(
        [[bool(row >> (_GLYPH_W - 1 - col) & 1) for col in range(_GLYPH_W)] for row in rows]
    )


_GLYPHS = {char: _glyph(char) for char in _FONT}


def _digest(name: str) -> bytes:
    return hashlib.sha256(name.encode("utf-8")).digest()


def command_color(name: str | None) -> tuple[int, int, int]:
    """The background (RGB) of the video pattern after command ``name``
    (:data:`IDLE_COLOR` for ``None``): from its sha256, each channel in 40..215."""
    if name is None:
        return IDLE_COLOR
    r, g, b = _digest(name)[:3]
    return (40 + r * 175 // 255, 40 + g * 175 // 255, 40 + b * 175 // 255)


def command_tone(name: str | None) -> float:
    """The audio tone (Hz) after command ``name`` (:data:`IDLE_TONE` for ``None``): one of
    the 24 semitones from 220 Hz, chosen by its sha256."""
    if name is None:
        return IDLE_TONE
    return round(220.0 * math.pow(2.0, (_digest(name)[3] % 24) / 12.0), 2)


def draw_text(
    frame: Frame, text: str, x: int, y: int, *, scale: int = 1, color: Sequence[int] = (255,) * 3
) -> int:
    """Draw ``text`` (one line, upper-cased; unknown characters as ``?``) into ``frame`` with
    its top-left corner at (x, y), clipped to the frame; the width drawn, in pixels."""
    if not text or scale < 1:
        return 0
    mask = np.zeros((_GLYPH_H, _ADVANCE * len(text)), dtype=bool)
    for index, char in enumerate(text):
        glyph = _GLYPHS.get(char.upper(), _GLYPHS["?"])
        mask[:, index * _ADVANCE : index * _ADVANCE + _GLYPH_W] = glyph
    if scale > 1:
        mask = mask.repeat(scale, axis=0).repeat(scale, axis=1)
    height, width = frame.shape[:2]
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + mask.shape[1], width), min(y + mask.shape[0], height)
    if x0 >= x1 or y0 >= y1:
        return 0
    clipped = mask[y0 - y : y1 - y, x0 - x : x1 - x]
    frame[y0:y1, x0:x1][clipped] = np.asarray(color, dtype=np.uint8)
    return int(mask.shape[1])


def _text_color(background: Sequence[int]) -> tuple[int, int, int]:
    r, g, b = background
    return (0, 0, 0) if 0.299 * r + 0.587 * g + 0.114 * b > 140 else (255, 255, 255)


def _fit(text: str, columns: int) -> str:
    return text if len(text) <= columns else text[: max(columns - 1, 0)] + "*"


class VideoPattern:
    """The frames of one output video track (see the module docstring)."""

    def __init__(self, track: str, width: int, height: int) -> None:
        self.track = track
        self.width = width
        self.height = height
        self.scale = max(1, min(width // 160, height // 90))
        self._key: tuple[Any, ...] | None = None
        self._base: Frame = np.zeros((height, width, 3), dtype=np.uint8)

    def _render_base(self, command: str | None, count: int, args: str) -> Frame:
        background = command_color(command)
        frame = np.empty((self.height, self.width, 3), dtype=np.uint8)
        frame[:] = background
        ink = _text_color(background)
        s = self.scale
        line = (_GLYPH_H + 3) * s
        x = max(self.width // 8 + 2 * s, 2 * s)
        columns = max((self.width - x - 2 * s) // (_ADVANCE * s), 1)
        lines = [command or "no command yet", f"#{count} {self.track}"]
        if args:
            lines.append(args)
        y = max(self.height // 8 + 2 * s, 2 * s)
        for index, text in enumerate(lines):
            draw_text(frame, _fit(text, columns), x, y + index * line, scale=s, color=ink)
        return frame

    def frame(
        self,
        index: int,
        command: str | None,
        count: int,
        args: str,
        inputs: Sequence[tuple[str, int, Frame | None]] = (),
    ) -> Frame:
        """Frame number ``index`` after ``count`` commands, the last one ``command`` with
        ``args`` (text); ``inputs`` = (input track, frames received, latest video frame)."""
        key = (command, count, args)
        if key != self._key:
            self._key, self._base = key, self._render_base(command, count, args)
        frame: Frame = self._base.copy()
        s = self.scale
        ink = _text_color(command_color(command))
        bar = max(s, 2)
        if inputs:
            columns = max((self.width - 4 * s) // (_ADVANCE * s), 1)
            text = " ".join(f"{name}:{received}" for name, received, _ in inputs)
            y = self.height - bar - (_GLYPH_H + 3) * s
            draw_text(frame, _fit("in " + text, columns), 2 * s, y, scale=s, color=ink)
            latest = next((image for _, _, image in inputs if image is not None), None)
            if latest is not None:
                self._inset(frame, latest, bottom=y - s)
        x = index % self.width
        frame[self.height - bar :, x : x + bar] = 255
        return frame

    def _inset(self, frame: Frame, image: Frame, *, bottom: int) -> None:
        """``image`` scaled (nearest) into a quarter-size box at the bottom right."""
        box_w, box_h = self.width // 4, self.height // 4
        if box_w < 2 or box_h < 2 or image.ndim != 3 or image.shape[2] < 3:
            return
        top = max(bottom - box_h, 0)
        rows_shown = bottom - top
        if rows_shown < 1:
            return
        rows = np.arange(box_h) * image.shape[0] // box_h
        cols = np.arange(box_w) * image.shape[1] // box_w
        left = self.width - box_w - self.scale
        frame[top:bottom, left : left + box_w] = image[rows[:rows_shown]][:, cols, :3]


class AudioPattern:
    """The samples of one output audio track: a phase-continuous sine at
    :func:`command_tone` of the last command, int16 mono, shape ``(1, n)``."""

    def __init__(self, sample_rate: int = SAMPLE_RATE, amplitude: float = 0.25) -> None:
        self.sample_rate = sample_rate
        self.amplitude = amplitude
        self._phase = 0.0

    def samples(self, count: int, command: str | None) -> npt.NDArray[np.int16]:
        step = 2.0 * math.pi * command_tone(command) / self.sample_rate
        phases = self._phase + step * np.arange(count)
        self._phase = float((self._phase + step * count) % (2.0 * math.pi))
        tone = self.amplitude * 32767.0 * np.sin(phases)
        samples: npt.NDArray[np.int16] = tone.astype(np.int16).reshape(1, -1)
        return samples
