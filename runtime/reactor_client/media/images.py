"""Still images of video frames with PyAV's own encoders (no Pillow): PNG for snapshots,
JPEG for live views (the notebook widget, the playground's MJPEG)."""

from __future__ import annotations

import fractions
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import av


class JpegEncoder:
    """PyAV's ``mjpeg`` encoder, kept open while the frame size stays the same (opening
    one per frame costs about as much as encoding). Not thread-safe: one per feed.

    ``quality`` is a fixed ``qscale`` (2 best .. 31 worst); ``None`` keeps PyAV's defaults.
    Odd sizes lose their last row/column (the encoder needs even ones).
    """

    def __init__(self, quality: int | None = None) -> None:
        self.quality = quality
        self._codec: Any = None
        self._size = (0, 0)
        self._pts = 0

    def encode(self, frame: av.VideoFrame) -> bytes:
        import av

        size = (frame.width - frame.width % 2, frame.height - frame.height % 2)
        if self._codec is None or size != self._size:
            codec = av.CodecContext.create("mjpeg", "w")
            codec.width, codec.height = size
            codec.pix_fmt = "yuvj420p"
            codec.time_base = fractions.Fraction(1, 90000)
            if self.quality is not None:
                codec.options = {"qmin": str(self.quality), "qmax": str(self.quality)}
            self._codec, self._size = codec, size
        image = frame.reformat(width=size[0], height=size[1], format="yuvj420p")
        image.pts = self._pts
        self._pts += 3000
        return b"".join(bytes(p) for p in self._codec.encode(image))


def encode_image(frame: av.VideoFrame, fmt: str = "png") -> bytes:
    """``frame`` as ``"png"`` (RGB, exact size) or ``"jpeg"`` (even size, yuvj420p) bytes."""
    import av

    if fmt == "jpeg":
        return JpegEncoder().encode(frame)
    if fmt != "png":
        raise ValueError(f"image format must be 'png' or 'jpeg', not {fmt!r}")
    codec = av.CodecContext.create("png", "w")
    codec.width, codec.height = frame.width, frame.height
    codec.pix_fmt = "rgb24"
    codec.time_base = fractions.Fraction(1, 30)
    image = frame.reformat(format="rgb24")
    return b"".join(bytes(p) for p in [*codec.encode(image), *codec.encode(None)])


__all__ = ["JpegEncoder", "encode_image"]
