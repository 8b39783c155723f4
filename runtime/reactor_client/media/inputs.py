"""``InputTrack``: the handle of a track the client sends to the model (a model ``in`` track).

It publishes a media track (aiortc's ``MediaStreamTrack``, or anything with ``kind`` and an
``async recv()`` of PyAV frames), a media file, or frames the application pushes with
:meth:`InputTrack.push_frame` / :meth:`InputTrack.push_audio`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import numpy

from ..errors import ConfigurationError, InvalidStateError
from ..kinds import KINDS, TrackKind, is_video

if TYPE_CHECKING:
    import av
    from aiortc import MediaStreamTrack

    from .control import TrackControl
    from .sources import PushedAudioTrack, PushedVideoTrack

#: What ``publish()`` takes (aiortc is imported only by code that publishes).
MediaSource = Union["MediaStreamTrack", str, Path, None]  # noqa: UP007 - a forward reference


def is_media_track(source: object) -> bool:
    """Whether ``source`` is a media track: an aiortc ``MediaStreamTrack``, or any object with
    a ``kind`` and an ``async recv()`` returning PyAV frames."""
    aiortc = sys.modules.get("aiortc")
    if aiortc is not None and isinstance(source, aiortc.MediaStreamTrack):
        return True
    return callable(getattr(source, "recv", None)) and getattr(source, "kind", None) in KINDS


class InputTrack:
    """A track the client sends to the model (a model ``in`` track)."""

    def __init__(self, control: TrackControl, name: str, kind: TrackKind) -> None:
        self._control = control
        self.name = name
        self.kind = kind
        self.published = False
        self.track: MediaStreamTrack | None = None
        self._pushed: PushedVideoTrack | PushedAudioTrack | None = None
        self._owned: Any = None  # a MediaPlayer we opened for a file source

    def __repr__(self) -> str:
        return f"<InputTrack {self.name} {self.kind} published={self.published}>"

    def _open(
        self, source: MediaSource, loop: bool, fps: float
    ) -> tuple[MediaStreamTrack, Any, Any]:
        """``(track, pushed_track_or_None, player_or_None)`` for a publish source."""
        from .sources import PushedAudioTrack, PushedVideoTrack, open_media_file

        if source is None:
            pushed: PushedVideoTrack | PushedAudioTrack = (
                PushedVideoTrack(fps=fps) if is_video(self.kind) else PushedAudioTrack()
            )
            return pushed, pushed, None
        if is_media_track(source):
            track: Any = source
            if track.kind != self.kind:
                raise ConfigurationError(
                    f"{self.name!r} is a {self.kind} track; got a {track.kind} track"
                )
            return track, None, None
        if isinstance(source, (str, Path)):
            player, played = open_media_file(source, self.kind, loop=loop)
            return played, None, player
        raise ConfigurationError(
            f"publish source for {self.name!r} must be an aiortc MediaStreamTrack, a media file path/URL "
            f"or None (push frames), not {type(source).__name__}"
        )

    async def publish(
        self, source: MediaSource = None, *, loop: bool = False, fps: float = 30.0
    ) -> None:
        """Claim the publisher slot and start sending.

        ``source``: an aiortc ``MediaStreamTrack``; a path or URL of a media file (played in
        real time, looped with ``loop=True``); or ``None``, after which frames come from
        :meth:`push_frame` (video, paced at up to ``fps``) or :meth:`push_audio`.
        ``PublishRefusedError`` when the runtime gives the slot to someone else (or this
        connection already holds it).
        """
        self._control.require_ready(f"{self.name}.publish()")
        track, pushed, player = self._open(source, loop, fps)
        try:
            await self._control.claim_publisher(self.name)
        except BaseException:
            _stop_source(pushed, player)
            raise
        self._release_source()
        self._control.replace_track(self.name, track)
        self._pushed, self._owned = pushed, player
        self.published = True
        self.track = track

    def push_frame(
        self, frame: numpy.ndarray | av.VideoFrame, *, user_data: bytes | None = None
    ) -> None:
        """Send one video frame: an RGB ``(H, W, 3) uint8`` array or an ``av.VideoFrame``.

        Frames are timestamped on arrival and paced at the publish ``fps``; when frames come
        faster than that, the newest wins. Needs ``publish()`` without a source first.
        ``user_data`` is kept on the frame (``frame.opaque``). The aiortc transport does NOT
        send it (that needs an encoder-side metadata trailer); the native transport hands it
        to libwebrtc, which appends it as the frame's metadata trailer when the runtime agreed
        to ``frame_metadata=True``.
        """
        from .sources import PushedVideoTrack

        if not isinstance(self._pushed, PushedVideoTrack) or not self.published:
            raise InvalidStateError(
                f"push_frame() needs {self.name!r} published without a source (publish() / publish_{self.name}())"
            )
        self._pushed.push(frame, user_data=user_data)

    def push_audio(self, samples: numpy.ndarray, sample_rate: int = 48000) -> None:
        """Send PCM audio: int16 (or float in [-1, 1]) samples, mono ``(n,)`` or ``(channels, n)``."""
        from .sources import PushedAudioTrack

        if not isinstance(self._pushed, PushedAudioTrack) or not self.published:
            raise InvalidStateError(
                f"push_audio() needs {self.name!r} published without a source (publish() / publish_{self.name}())"
            )
        self._pushed.push(samples, sample_rate)

    async def unpublish(self) -> None:
        """Stop sending and release the publisher slot."""
        self._control.require_ready(f"{self.name}.unpublish()")
        self._control.replace_track(self.name, None)
        self._control.send_track_verb("unpublish_track", self.name)
        self.reset()

    def reset(self) -> None:
        """Publishes do not survive a reconnect."""
        self.published = False
        self.track = None
        self._release_source()

    def _release_source(self) -> None:
        _stop_source(self._pushed, self._owned)
        self._pushed = self._owned = None


def _stop_source(pushed: MediaStreamTrack | None, player: Any) -> None:
    if pushed is not None:
        pushed.stop()
    if player is not None:
        for t in (getattr(player, "video", None), getattr(player, "audio", None)):
            if t is not None:
                t.stop()


__all__ = ["InputTrack", "MediaSource", "is_media_track"]
