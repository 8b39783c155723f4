"""SDP text helpers: session-level lines the client offers and looks for in the answer
(frame metadata, data-channel chunking; aiortc neither writes nor reads them: they live in
the signalled text), and :func:`sanitize_answer`, which keeps an answer to the codecs the
transport engine has."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass


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


#: Static RTP payload types (RFC 3551) a section may list without an ``a=rtpmap`` line.
STATIC_PAYLOAD_TYPES = {0: "PCMU", 8: "PCMA", 9: "G722"}
_RTPMAP = re.compile(r"^a=rtpmap:(\d+)\s+([^/\s]+)(/\S*)?", re.IGNORECASE)
_PT_LINE = re.compile(r"^a=(?:rtpmap|fmtp|rtcp-fb|rtcp-fb-trr-int):(\d+)[\s]", re.IGNORECASE)
_APT = re.compile(r"(?:^|;)\s*apt=(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class UnusableSection:
    """A media section of an answer that kept no codec the engine has."""

    mid: str
    kind: str
    codecs: tuple[str, ...]  # what the answer offered there (``H265/90000``, ...)


def sanitize_answer(
    sdp: str, supported: Mapping[str, Collection[str]]
) -> tuple[str, tuple[str, ...], tuple[UnusableSection, ...]]:
    """Keep an SDP answer to the codecs the engine has.

    ``supported`` maps a media kind to the codec names the engine decodes and sends
    (case-insensitive: ``{"video": {"VP8", "H264", "rtx"}, ...}``). In every audio and video
    section still in use (port not 0), the payload types of other codecs (H.265, AV1,
    ``telephone-event``, ...), retransmission (``rtx``) bound to them, and their
    ``rtpmap``/``fmtp``/``rtcp-fb`` lines are removed. Returns the SDP (line endings kept),
    what was removed (``"video: H265/90000 (49)"``) and the sections left with no payload
    type at all, which no engine could receive: the caller reports those.
    """
    eol = "\r\n" if "\r\n" in sdp else "\n"
    lines = sdp.split(eol)
    starts = [i for i, line in enumerate(lines) if line.startswith("m=")]
    if not starts:
        return sdp, (), ()
    out = lines[: starts[0]]
    removed: list[str] = []
    unusable: list[UnusableSection] = []
    for n, start in enumerate(starts):
        section = lines[start : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        kept, dropped, empty = _sanitize_section(section, supported)
        out += kept
        removed += dropped
        if empty is not None:
            unusable.append(empty)
    return eol.join(out), tuple(removed), tuple(unusable)


def _sanitize_section(
    section: list[str], supported: Mapping[str, Collection[str]]
) -> tuple[list[str], list[str], UnusableSection | None]:
    head = section[0].split()
    kind = head[0][2:] if head else ""
    if kind not in ("audio", "video") or len(head) < 3 or head[1] == "0":
        return section, [], None
    allowed = {name.lower() for name in supported.get(kind, ())}
    payloads = [t for t in head[3:] if t.isdigit()]
    names: dict[str, str] = {}
    for line in section:
        m = _RTPMAP.match(line)
        if m:
            names[m.group(1)] = m.group(2) + (m.group(3) or "")
    apt: dict[str, str] = {}
    for line in section:
        if line.lower().startswith("a=fmtp:"):
            pt, _, params = line[len("a=fmtp:") :].partition(" ")
            m = _APT.search(params)
            if m:
                apt[pt] = m.group(1)

    def codec(pt: str) -> str:
        return names.get(pt) or STATIC_PAYLOAD_TYPES.get(int(pt), f"payload type {pt}")

    def usable(pt: str) -> bool:
        name = codec(pt).split("/", 1)[0].lower()
        if name == "rtx":
            return "rtx" in allowed and pt in apt and apt[pt] in payloads and usable(apt[pt])
        return name in allowed

    keep = [pt for pt in payloads if usable(pt)]
    drop = [pt for pt in payloads if pt not in keep]
    mid = next((line[len("a=mid:") :].strip() for line in section if line.startswith("a=mid:")), "")
    dropped = [f"{kind}: {codec(pt)} ({pt})" for pt in drop]
    if not drop:
        return section, [], None
    if not any(codec(pt).split("/", 1)[0].lower() != "rtx" for pt in keep):
        offered = tuple(codec(pt) for pt in payloads if codec(pt).split("/", 1)[0].lower() != "rtx")
        return section, [], UnusableSection(mid, kind, offered)
    gone = set(drop)
    kept = [" ".join(head[:3] + keep)]
    for line in section[1:]:
        m = _PT_LINE.match(line + " ")
        if m and m.group(1) in gone:
            continue
        kept.append(line)
    return kept, dropped, None


__all__ = [
    "with_session_line",
    "has_session_line",
    "sanitize_answer",
    "UnusableSection",
    "STATIC_PAYLOAD_TYPES",
]
