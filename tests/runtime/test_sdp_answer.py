"""An SDP answer carrying codecs aiortc lacks (H.265, AV1, telephone-event; payload types in or
out of the dynamic range): ``reactor_client.sdp.sanitize_answer`` drops them and the
connection works; a track answered only with such codecs fails ``connect()`` at once with a
``TransportError`` (``UNSUPPORTED_CODEC``) naming the track and the codecs, not aiortc's
"Failed to set remote video description send parameters". Checked on the text, on the aiortc
transport against a real aiortc answerer, and through the coordinator stand-in (rewriting the
answer of a real reactor-runtime 3.10.0)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription

from reactor_client import ReactorClient, Status, TrackSpec, TransportError
from reactor_client.sdp import UnusableSection, sanitize_answer
from reactor_client.transport.aiortc.peer import AiortcTransport, supported_codecs
from reactor_client.transport.base import TransportEvents, TransportSetup

ANSWER = "\r\n".join(
    [
        "v=0",
        "o=- 1 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1 2",
        "m=video 9 UDP/TLS/RTP/SAVPF 49 50 97 98",
        "a=mid:0",
        "a=recvonly",
        "a=rtpmap:49 H265/90000",
        "a=fmtp:49 level-id=93;profile-id=1;tier-flag=0;tx-mode=SRST",
        "a=rtcp-fb:49 nack",
        "a=rtpmap:50 rtx/90000",
        "a=fmtp:50 apt=49",
        "a=rtpmap:97 VP8/90000",
        "a=rtcp-fb:97 nack pli",
        "a=rtpmap:98 rtx/90000",
        "a=fmtp:98 apt=97",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 126 0",
        "a=mid:1",
        "a=rtpmap:111 opus/48000/2",
        "a=rtpmap:126 telephone-event/8000",
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
        "a=mid:2",
        "",
    ]
)
AIORTC = {"video": {"VP8", "H264", "rtx"}, "audio": {"opus", "PCMU", "PCMA", "G722"}}


def test_codecs_aiortc_lacks_are_dropped_with_their_rtx_and_lines() -> None:
    sdp, removed, unusable = sanitize_answer(ANSWER, AIORTC)
    assert unusable == ()
    assert removed == (
        "video: H265/90000 (49)",
        "video: rtx/90000 (50)",
        "audio: telephone-event/8000 (126)",
    )
    assert "m=video 9 UDP/TLS/RTP/SAVPF 97 98\r\n" in sdp
    assert "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\n" in sdp  # PCMU (static 0) stays
    assert not re.search(r"a=(rtpmap|fmtp|rtcp-fb):(49|50|126) ", sdp)
    assert "a=rtcp-fb:97 nack pli" in sdp and "a=fmtp:98 apt=97" in sdp
    assert sdp.endswith("\r\n") and "m=application 9 UDP/DTLS/SCTP webrtc-datachannel" in sdp
    # nothing to drop: the very same text
    assert sanitize_answer(sdp, AIORTC) == (sdp, (), ())


def test_a_section_left_without_a_codec_is_reported() -> None:
    only_h265 = ANSWER.replace("SAVPF 49 50 97 98", "SAVPF 49 50")
    sdp, removed, unusable = sanitize_answer(only_h265.replace("\r\n", "\n"), AIORTC)
    assert unusable == (UnusableSection("0", "video", ("H265/90000",)),)
    rejected = ANSWER.replace(
        "m=video 9 UDP/TLS/RTP/SAVPF 49 50 97 98", "m=video 0 UDP/TLS/RTP/SAVPF 49"
    )
    assert sanitize_answer(rejected, AIORTC)[2] == ()  # a rejected section (port 0) is left alone


def test_the_transport_reads_what_aiortc_has() -> None:
    codecs = supported_codecs()
    assert {"VP8", "H264", "rtx"} <= codecs["video"] and "opus" in codecs["audio"]
    assert "H265" not in codecs["video"]


class _Answerer:
    """WebRTC signaling answered by a real aiortc peer, its answer rewritten by ``rewrite``."""

    def __init__(self, rewrite: Any) -> None:
        self.pc = RTCPeerConnection()
        self.rewrite = rewrite
        self.answer_sdp = ""

        @self.pc.on("datachannel")
        def _channel(channel: Any) -> None:
            pass

    async def offer(
        self, connection_id: int, sdp: str, mapping: Any, *, reoffer: bool = False
    ) -> int:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        self.answer_sdp = self.rewrite(self.pc.localDescription.sdp)
        return connection_id

    async def answer(self, connection_id: int) -> tuple[str, int]:
        return self.answer_sdp, connection_id


def with_h265(sdp: str, *, only: bool) -> str:
    """Add H.265 at payload type 49 (outside the dynamic range, as Chrome numbers it) to
    the video section; ``only``: and drop every other video codec."""
    out: list[str] = []
    video = False
    for line in sdp.split("\r\n"):
        if line.startswith("m="):
            video = line.startswith("m=video")
            if video:
                head = line.split(" ")
                line = " ".join(head[:3] + ["49"] + ([] if only else head[3:]))
            out.append(line)
            continue
        if video and only and line.startswith(("a=rtpmap:", "a=fmtp:", "a=rtcp-fb:")):
            continue
        out.append(line)
        if video and line.startswith("a=mid:"):
            out += ["a=rtpmap:49 H265/90000", "a=fmtp:49 level-id=93;profile-id=1;tier-flag=0"]
    return "\r\n".join(out)


async def transport_against(rewrite: Any) -> tuple[AiortcTransport, _Answerer]:
    setup = TransportSetup(
        tracks=(TrackSpec("main_video", "video", "recvonly"),), ice_servers=[], sinks={}
    )
    events = TransportEvents(
        on_message=lambda *a: None, on_lost=lambda r: None, on_activity=lambda: None
    )
    return AiortcTransport(setup, events), _Answerer(rewrite)


async def test_an_extra_codec_in_the_answer_still_connects() -> None:
    transport, answerer = await transport_against(lambda sdp: with_h265(sdp, only=False))
    try:
        await transport.connect(answerer, 1001, reoffer=False, timeout=15)  # type: ignore[arg-type]
        assert "H265/90000" in answerer.answer_sdp
        names = [c.mimeType for c in transport.transceivers["main_video"]._codecs]
        assert "video/VP8" in names and "video/H265" not in names
    finally:
        await transport.close()
        await answerer.pc.close()


async def test_an_answer_with_only_codecs_aiortc_lacks_is_a_clear_error() -> None:
    transport, answerer = await transport_against(lambda sdp: with_h265(sdp, only=True))
    try:
        with pytest.raises(TransportError) as caught:
            await transport.connect(answerer, 1001, reoffer=False, timeout=15)  # type: ignore[arg-type]
        err = caught.value
        assert err.code == "UNSUPPORTED_CODEC" and not err.recoverable
        assert "track 'main_video' (video) only H265/90000" in str(err)
        assert "VP8" in str(err)
    finally:
        await transport.close()
        await answerer.pc.close()


async def runtime_ready(url: str) -> None:
    import httpx

    async with httpx.AsyncClient() as http:
        for _ in range(100):
            if (await http.get(f"{url}/session")).json().get("state") == "ready":
                return
            await asyncio.sleep(0.1)
    raise AssertionError("the runtime did not close the session")


@pytest.mark.aiortc_only  # the aiortc transport's answer handling (libwebrtc reads any codec)
async def test_through_the_real_runtime(cloud_coordinator: Any) -> None:
    coord = cloud_coordinator
    coord.answer_rewrite = lambda sdp: with_h265(sdp, only=False)
    async with ReactorClient("longlive-v2", url=coord.url, jwt=coord.mint_token()) as client:
        await client.output_track("main_video").next_frame(timeout=10)  # VP8 flows
    await runtime_ready(coord.server.url)  # the runtime closes the first session first
    coord.answer_rewrite = lambda sdp: with_h265(sdp, only=True)
    client = ReactorClient("longlive-v2", url=coord.url, jwt=coord.mint_token())
    started = asyncio.get_running_loop().time()
    with pytest.raises(
        TransportError, match="track 'main_video' \\(video\\) only H265/90000"
    ) as caught:
        await client.connect()
    assert caught.value.code == "UNSUPPORTED_CODEC"
    assert asyncio.get_running_loop().time() - started < 10  # at once, not the 30 s ready gate
    assert client.status == Status.DISCONNECTED
    posts = [r for r in coord.requests("POST") if r.path == "/sessions"]
    assert len(posts) == 2  # the first client's and this one's: not restarted (not transient)
