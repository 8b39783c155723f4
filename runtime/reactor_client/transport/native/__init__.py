"""The native transport (``transport="native"``): libwebrtc through ``reactor_webrtc``, the
engine reactor-runtime itself runs on. Install it with ``pip install 'reactor-client[native]'``
(wheels for CPython >= 3.10 on manylinux_2_34 x86_64/aarch64, i.e. glibc >= 2.34, macOS 11
arm64 / 13 x86_64 and Windows x64).

This package imports neither aiortc nor, until a transport is built, ``reactor_webrtc``:
:data:`NATIVE_INFO` and :func:`unavailable` work without the wheel.
"""

from __future__ import annotations

from ..base import TransportCapabilities, TransportInfo

#: The ``reactor-webrtc`` the extra installs: the one reactor-runtime 3.10.0 pins.
REQUIREMENT = "reactor-webrtc==0.24.2"

NATIVE_INFO = TransportInfo(
    "native",
    TransportCapabilities(
        dc_chunking=True,
        frame_metadata=True,
        encoded_frames=False,
        input_tracks=True,
        rtp_stats=True,
    ),
)


def unavailable() -> str | None:
    """Why the native transport cannot be used here (``None``: it can)."""
    try:
        import reactor_webrtc  # noqa: F401
    except ImportError as exc:  # not installed, or a wheel this platform cannot load
        return f"{type(exc).__name__}: {exc}"
    return None


__all__ = ["NATIVE_INFO", "REQUIREMENT", "unavailable"]
