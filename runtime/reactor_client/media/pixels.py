"""``PixelFrame``: a decoded video frame as the engine's BGRA pixels, before it is a PyAV frame.

A transport whose engine decodes by itself (native libwebrtc) hands over each picture as
packed BGRA bytes. Such a frame becomes an ``av.VideoFrame`` only when a consumer asks for
one (:meth:`PixelFrame.to_av`: streams, ``on_frame``, recorders, snapshots), once per frame
however many ask; ``ndarrays()`` reads the pixels directly (:meth:`PixelFrame.to_ndarray`).
So a native session that only reads arrays never imports PyAV (~17 MB of resident memory).
"""

from __future__ import annotations

import threading
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy

if TYPE_CHECKING:
    import av

#: ``to_ndarray`` formats made by reordering channels with numpy (no PyAV): the source
#: channel index of each output channel (the source is B, G, R, A).
CHANNELS: dict[str, tuple[int, ...]] = {
    "rgb24": (2, 1, 0),
    "bgr24": (0, 1, 2),
    "rgba": (2, 1, 0, 3),
    "argb": (3, 2, 1, 0),
    "abgr": (3, 0, 1, 2),
}


_TO_AV = threading.Lock()  # to_av() from two threads (a blocking reader) makes one frame


class PixelFrame:
    """One decoded video frame: packed BGRA pixels (a read-only view of the engine's bytes,
    which the frame keeps alive), its ``pts`` in ``time_base`` units and its ``opaque``
    (the :class:`~reactor_client.FrameMetadata` it carried, or ``None``)."""

    __slots__ = ("pixels", "pts", "time_base", "opaque", "_av")

    def __init__(
        self,
        bgra: bytes,
        width: int,
        height: int,
        *,
        pts: int | None = None,
        time_base: Fraction | None = None,
        opaque: Any = None,
    ) -> None:
        self.pixels = numpy.frombuffer(bgra, dtype=numpy.uint8).reshape(height, width, 4)
        self.pts = pts
        self.time_base = time_base
        self.opaque = opaque
        self._av: av.VideoFrame | None = None

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    def __repr__(self) -> str:
        return f"<PixelFrame bgra {self.width}x{self.height} pts={self.pts}>"

    def to_av(self) -> av.VideoFrame:
        """This frame as an ``av.VideoFrame`` (``bgra``, over the same pixels: no copy where
        PyAV can wrap them), made once and shared by every consumer (thread-safe)."""
        if self._av is not None:
            return self._av
        import av

        with _TO_AV:
            if self._av is not None:
                return self._av
            try:  # (from_ndarray would copy the frame: ~4.7 ms per 1280x720 frame)
                frame = av.VideoFrame.from_numpy_buffer(self.pixels, format="bgra")
            except ValueError:  # a PyAV that cannot wrap bgra: copy
                frame = av.VideoFrame.from_ndarray(self.pixels, format="bgra")
            frame.pts = self.pts
            if self.time_base is not None:
                frame.time_base = self.time_base
            frame.opaque = self.opaque
            self._av = frame
            return frame

    def to_ndarray(self, format: str = "bgra") -> numpy.ndarray:
        """The pixels as a numpy array: ``bgra`` is a read-only view of the engine's buffer;
        ``rgb24``, ``bgr24``, ``rgba``, ``argb`` and ``abgr`` are new contiguous arrays made
        with numpy; any other PyAV pixel format goes through :meth:`to_av` and swscale."""
        if format == "bgra":
            return self.pixels
        order = CHANNELS.get(format)
        if order is None:
            return self.to_av().to_ndarray(format=format)
        height, width = self.pixels.shape[:2]
        out = numpy.empty((height, width, len(order)), dtype=numpy.uint8)
        for target, source in enumerate(order):  # one strided pass per channel: the fastest
            out[:, :, target] = self.pixels[:, :, source]  # numpy way (~0.8 ms at 1280x720)
        return out


def as_av(frame: Any) -> Any:
    """``frame`` as a PyAV frame (a :class:`PixelFrame` is converted; others pass through)."""
    return frame.to_av() if isinstance(frame, PixelFrame) else frame


__all__ = ["CHANNELS", "PixelFrame", "as_av"]
