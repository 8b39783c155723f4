"""Notebook views: ``track.show()`` returns a live ipywidgets image of an output track.

Needs the ``notebook`` extra (``pip install 'reactor-client[notebook]'``: ipywidgets). The
widget is fed by an ``on_frame`` subscription on the notebook's event loop, at most ``fps``
frames per second, each encoded as JPEG (PNG when ``format="png"``) with PyAV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import av

from ..errors import ConfigurationError, InvalidStateError
from ..kinds import is_video
from .images import JpegEncoder, encode_image
from .pacing import RateLimiter

if TYPE_CHECKING:
    from .tracks import OutputTrack


class TrackView:
    """The widget of :meth:`OutputTrack.show`: ``.widget`` (an ``ipywidgets.Image``),
    ``.frames_shown``, ``.stop()``."""

    def __init__(self, track: OutputTrack[Any], *, fps: float, fmt: str, width: int | None) -> None:
        try:
            import ipywidgets
        except ImportError as exc:
            raise ConfigurationError(
                "track.show() needs ipywidgets: pip install 'reactor-client[notebook]'"
            ) from exc
        if not is_video(track.kind):
            raise InvalidStateError(f"show() needs a video track; {track.name!r} is {track.kind}")
        if fmt not in ("jpeg", "png"):
            raise ConfigurationError("format must be 'jpeg' or 'png'")
        layout = ipywidgets.Layout(width=f"{width}px") if width else None
        self.widget = (
            ipywidgets.Image(format=fmt, layout=layout) if layout else ipywidgets.Image(format=fmt)
        )
        self.track_name = track.name
        self.frames_shown = 0
        self._rate = RateLimiter(fps)
        self._fmt = fmt
        self._jpeg = JpegEncoder() if fmt == "jpeg" else None  # kept open across frames
        self._subscription = track.on_frame(self._show, maxsize=1)

    def _show(self, frame: av.VideoFrame) -> None:
        if not self._rate.admit():
            return
        jpeg = self._jpeg
        self.widget.value = jpeg.encode(frame) if jpeg is not None else encode_image(frame, "png")
        self.frames_shown += 1

    def stop(self) -> None:
        """Stop updating the image (it keeps the last frame)."""
        self._subscription.unsubscribe()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<TrackView {self.track_name} frames_shown={self.frames_shown}>"


__all__ = ["TrackView"]
