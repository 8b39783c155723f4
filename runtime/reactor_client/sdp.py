"""Session-level SDP lines the client offers and looks for in the answer (frame metadata,
data-channel chunking). aiortc neither writes nor reads them: they live in the signalled text."""

from __future__ import annotations


def with_session_line(sdp: str, line: str, *, prefix: str | None = None) -> str:
    """``sdp`` with ``line`` at session level (before the first ``m=`` line); unchanged when a
    line starting with ``prefix`` (default: ``line`` itself) is already there."""
    if (prefix or line) in sdp:
        return sdp
    eol = "\r\n" if "\r\n" in sdp else "\n"
    index = sdp.find(f"{eol}m=")
    if index < 0:
        return sdp.rstrip(eol) + eol + line + eol
    return sdp[: index + len(eol)] + line + eol + sdp[index + len(eol) :]


def has_session_line(sdp: str, prefix: str) -> bool:
    """Whether a session-level line (before the first ``m=``) starts with ``prefix``."""
    head = sdp.split("\nm=", 1)[0]
    return any(line.strip().startswith(prefix) for line in head.splitlines())


__all__ = ["with_session_line", "has_session_line"]
