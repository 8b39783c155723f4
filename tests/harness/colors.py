"""Colour code of the LongliveV2 simulator's frames (``tests/models/longlive_v2_sim``).

While generating, every frame of a chunk is one solid colour::

    R = 16 + (scene % 8) * 32     # scene = hard scene cuts since start (0 = opening scene)
    G = 16 + (chunk % 10) * 24    # chunk = index of the chunk within its scene
    B = 160

When not generating (before start, paused, after the run completed) frames are dark grey
``(40, 40, 40)``.  The steps (32 / 24) survive lossy VP8 comfortably; compare with
:func:`decode_color`, which tolerates +-``tolerance`` per channel.

Usage on a received frame (``HxWx3`` uint8 RGB, e.g. ``av.VideoFrame.to_ndarray(format="rgb24")``)::

    from harness.colors import decode_frame, expected_color, is_idle
    decoded = decode_frame(rgb)           # -> (scene % 8, chunk % 10) or None if idle/unknown
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

BASE = 16
SCENE_STEP = 32
SCENE_MOD = 8
CHUNK_STEP = 24
CHUNK_MOD = 10
BLUE = 160
IDLE_COLOR = (40, 40, 40)
DEFAULT_TOLERANCE = 10.0


def expected_color(scene: int, chunk: int) -> tuple[int, int, int]:
    """The RGB colour the simulator paints for chunk *chunk* of scene *scene*."""
    return (
        BASE + (scene % SCENE_MOD) * SCENE_STEP,
        BASE + (chunk % CHUNK_MOD) * CHUNK_STEP,
        BLUE,
    )


def _rgb(rgb_mean: Sequence[float] | Any) -> tuple[float, float, float]:
    values = [float(v) for v in rgb_mean]
    if len(values) != 3:
        raise ValueError(f"expected 3 channel means, got {values!r}")
    return values[0], values[1], values[2]


def is_idle(rgb_mean: Sequence[float] | Any, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether the colour is the not-generating dark grey."""
    r, g, b = _rgb(rgb_mean)
    return all(abs(c - i) <= tolerance for c, i in zip((r, g, b), IDLE_COLOR))


def decode_color(
    rgb_mean: Sequence[float] | Any, tolerance: float = DEFAULT_TOLERANCE
) -> tuple[int, int] | None:
    """Decode a mean RGB colour into ``(scene % 8, chunk % 10)``.

    Returns ``None`` for the idle grey or for a colour farther than *tolerance* (per channel)
    from every code point.
    """
    r, g, b = _rgb(rgb_mean)
    if abs(b - BLUE) > tolerance:
        return None
    scene = round((r - BASE) / SCENE_STEP)
    chunk = round((g - BASE) / CHUNK_STEP)
    if not (0 <= scene < SCENE_MOD and 0 <= chunk < CHUNK_MOD):
        return None
    er, eg, _ = expected_color(scene, chunk)
    if abs(r - er) > tolerance or abs(g - eg) > tolerance:
        return None
    return scene, chunk


def mean_rgb(frame: Any, margin: int = 2) -> tuple[float, float, float]:
    """Mean colour of an ``HxWx3`` RGB array, ignoring a *margin*-pixel border (codec edges)."""
    h, w = frame.shape[0], frame.shape[1]
    if h > 2 * margin and w > 2 * margin:
        frame = frame[margin : h - margin, margin : w - margin]
    mean = frame.reshape(-1, frame.shape[-1]).mean(axis=0)
    return float(mean[0]), float(mean[1]), float(mean[2])


def decode_frame(frame: Any, tolerance: float = DEFAULT_TOLERANCE) -> tuple[int, int] | None:
    """:func:`decode_color` of an ``HxWx3`` RGB frame's mean colour."""
    return decode_color(mean_rgb(frame), tolerance)
