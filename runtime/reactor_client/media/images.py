"""Still images of video frames with PyAV's own encoders (no Pillow): PNG for snapshots,
JPEG (or PNG) for the notebook view."""

from __future__ import annotations

import fractions

import av


def encode_image(frame: av.VideoFrame, fmt: str = "png") -> bytes:
    """``frame`` as ``"png"`` (RGB, exact size) or ``"jpeg"`` (even size, yuvj420p) bytes."""
    if fmt == "jpeg":
        codec = av.CodecContext.create("mjpeg", "w")
        codec.width, codec.height = frame.width - frame.width % 2, frame.height - frame.height % 2
        codec.pix_fmt = "yuvj420p"
    elif fmt == "png":
        codec = av.CodecContext.create("png", "w")
        codec.width, codec.height = frame.width, frame.height
        codec.pix_fmt = "rgb24"
    else:
        raise ValueError(f"image format must be 'png' or 'jpeg', not {fmt!r}")
    codec.time_base = fractions.Fraction(1, 30)
    image = frame.reformat(width=codec.width, height=codec.height, format=codec.pix_fmt)
    return b"".join(bytes(p) for p in [*codec.encode(image), *codec.encode(None)])


__all__ = ["encode_image"]
