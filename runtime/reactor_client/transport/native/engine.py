"""The ``reactor_webrtc`` engine: one ``PeerConnectionFactory`` per process, leased.

reactor-webrtc allows one live ``PeerConnectionFactory`` per process ("a
PeerConnectionFactory is already alive in this process"), and some of its settings exist
only per factory. How the client's options map onto it:

* **per connection** (``RtcConfiguration``): ``frame_metadata`` (the offer carries
  ``a=x-reactor-frame-metadata`` and the trailer is stripped before the decoder only when
  asked) and data-channel chunking (``dc_chunking``: the connection declares
  ``a=x-reactor-dc-chunking`` only when the session wants it). The factory enables both
  (``with_metadata(True)``, ``with_dc_chunking``), so every client gets what it asked for.
* **per factory** (:class:`EngineSettings`): ``early_frame_release`` maps onto
  ``with_receive_playout_delay()`` (decode each video frame as soon as it is complete). The
  first connection of an engine fixes it; a client asking otherwise while the engine is in
  use gets the running setting (logged at INFO) and its own from the next engine on.

The engine is built when the first transport needs it and dropped when the last one
closed, so nothing of libwebrtc (its signaling, worker and network threads) runs after
``disconnect()``. (The binding's own two helper threads stay for the process.) An engine
object that outlives its factory crashes the process when it is freed (libwebrtc marshals
its last release to the factory's threads, which are gone), so a transport hands back its
lease saying whether it held the only references to every engine object it made; when it
did not (something else still holds one), the engine is *pinned*: kept for the life of the
process, as reactor-runtime keeps its own.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import reactor_webrtc as rw

from ... import chunking
from ...errors import TransportError

log = logging.getLogger("reactor_client")


@dataclass(frozen=True)
class EngineSettings:
    """The factory-wide settings of an engine."""

    immediate_playout: bool = True
    """``with_receive_playout_delay()``: no render smoothing before the decoder
    (``early_frame_release``)."""


@dataclass(frozen=True)
class EngineState:
    """What runs now (for tests and diagnostics)."""

    alive: bool
    leases: int
    settings: EngineSettings | None
    builds: int
    pinned: bool


_lock = threading.Lock()
_factory: rw.PeerConnectionFactory | None = None
_settings: EngineSettings | None = None
_leases = 0
_builds = 0
_pinned = False


def _build(settings: EngineSettings) -> rw.PeerConnectionFactory:
    builder = rw.PeerConnectionFactoryBuilder()
    builder.with_metadata(True)  # per connection: RtcConfiguration.frame_metadata
    builder.with_dc_chunking(max_message_size=chunking.MAX_MESSAGE)  # per connection: dc_chunking
    if settings.immediate_playout:
        builder.with_receive_playout_delay()
    return builder.build()


def _build_once_more(settings: EngineSettings) -> rw.PeerConnectionFactory:
    try:
        return _build(settings)
    except RuntimeError as exc:
        if "already alive" not in str(exc):
            raise TransportError(f"reactor_webrtc could not build its engine: {exc}") from exc
    gc.collect()  # a previous engine held only by garbage
    try:
        return _build(settings)
    except RuntimeError as exc:
        raise TransportError(
            "reactor_webrtc allows one engine (PeerConnectionFactory) per process, and another "
            f"one is alive outside reactor_client: {exc}"
        ) from exc


def acquire(settings: EngineSettings) -> tuple[rw.PeerConnectionFactory, Callable[[bool], None]]:
    """The engine and its release: call ``release(sole)`` once, after dropping every engine
    object the transport made; ``sole`` says whether those were the only references."""
    global _factory, _settings, _leases, _builds
    with _lock:
        if _factory is None:
            _factory = _build_once_more(settings)
            _settings = settings
            _builds += 1
        elif settings != _settings:
            log.info(
                "native transport: the engine runs with %s (another client fixed it); %s applies "
                "from the next engine, once every native connection has closed",
                _settings,
                settings,
            )
        _leases += 1
        factory = _factory
    released = False

    def release(sole: bool) -> None:
        global _factory, _settings, _leases, _pinned
        nonlocal released
        with _lock:
            if released:
                return
            released = True
            _leases -= 1
            if not sole and not _pinned:
                _pinned = True
                log.debug("native transport: an engine object is still referenced; engine pinned")
            if _leases == 0 and not _pinned:
                _factory = None  # the last reference: libwebrtc's threads end here
                _settings = None

    return factory, release


def state() -> EngineState:
    """Whether an engine is alive, how many transports hold it, and how many were built."""
    with _lock:
        return EngineState(_factory is not None, _leases, _settings, _builds, _pinned)


def ice_servers(entries: Sequence[Any]) -> list[rw.IceServer]:
    """ICE servers from the runtime's entries (``uris`` + ``credentials``), W3C-style
    dictionaries (``urls``, ``username``, ``credential``) or objects with those attributes
    (aiortc's ``RTCIceServer``)."""
    out: list[rw.IceServer] = []
    for entry in entries:
        if isinstance(entry, dict):
            urls: Any = entry.get("uris") or entry.get("urls") or []
            creds = entry.get("credentials") or {}
            username = creds.get("username", entry.get("username"))
            password = creds.get("password", entry.get("credential"))
        else:
            urls = getattr(entry, "urls", [])
            username = getattr(entry, "username", None)
            password = getattr(entry, "credential", None)
        urls = [urls] if isinstance(urls, str) else list(urls)
        if not urls:
            continue
        if any(u.startswith(("turn:", "turns:")) for u in urls) and not (username and password):
            raise TransportError(
                f"ICE server {urls} is a TURN server without username and credential "
                "(libwebrtc refuses the whole configuration)"
            )
        out.append(rw.IceServer(urls=urls, username=username or "", password=password or ""))
    return out


def configuration(
    servers: Sequence[Any], *, frame_metadata: bool, dc_chunking: bool
) -> rw.RtcConfiguration:
    """One connection's ``RtcConfiguration``: its ICE servers and what it offers."""
    return rw.RtcConfiguration(
        ice_servers=ice_servers(servers),
        frame_metadata=frame_metadata,
        dc_chunking=dc_chunking,
    )


def version() -> str:
    """The installed reactor-webrtc version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("reactor-webrtc")
    except PackageNotFoundError:  # pragma: no cover - imported, so installed somehow
        return "unknown"


__all__ = ["EngineSettings", "EngineState", "acquire", "configuration", "ice_servers", "state"]
