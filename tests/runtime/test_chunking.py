"""Unit tests of data-channel chunking (framing facts from stepped-generation.md)."""

from __future__ import annotations

import pytest

from reactor_client.chunking import (
    MAX_FRAME,
    MAX_MESSAGE,
    MAX_PAYLOAD,
    SDP_ATTRIBUTE,
    ChunkingError,
    Reassembler,
    answer_has_chunking,
    frame_message,
    offer_with_chunking,
)


def roundtrip(message: str | bytes) -> str | bytes:
    r = Reassembler()
    frames = frame_message(message)
    out = [r.feed(f) for f in frames]
    assert all(o is None for o in out[:-1])
    assert out[-1] is not None
    assert r.pending == 0
    return out[-1]


def test_observed_vectors() -> None:
    assert frame_message(b"hello") == [bytes.fromhex("0068656c6c6f")]
    frames = frame_message(bytes(307_200))
    assert [len(f) for f in frames] == [65_536] * 4 + [45_061]
    assert [f[0] for f in frames] == [1, 1, 1, 1, 0]
    text = frame_message("x" * 140_000)
    assert [f[0] for f in text] == [3, 3, 2]
    assert all(isinstance(f, bytes) and len(f) <= MAX_FRAME for f in frames + text)


@pytest.mark.parametrize("message", [b"", ""])
def test_empty_message_is_one_header_frame(message: str | bytes) -> None:
    frames = frame_message(message)
    assert frames == [bytes((0x02 if isinstance(message, str) else 0x00,))]
    assert roundtrip(message) == message
    assert type(roundtrip(message)) is type(message)


def test_exactly_one_frame_and_one_byte_over() -> None:
    one = bytes(range(256)) * (MAX_PAYLOAD // 256) + bytes(MAX_PAYLOAD % 256)
    assert len(one) == MAX_PAYLOAD
    frames = frame_message(one)
    assert len(frames) == 1 and len(frames[0]) == MAX_FRAME and frames[0][0] == 0
    assert roundtrip(one) == one
    over = one + b"\x7f"
    frames = frame_message(over)
    assert [len(f) for f in frames] == [MAX_FRAME, 2]
    assert [f[0] for f in frames] == [1, 0]
    assert frames[1] == b"\x00\x7f"
    assert roundtrip(over) == over


def test_text_stays_text_with_multibyte_split() -> None:
    text = "é" * 70_000  # 140,000 UTF-8 bytes; a frame boundary falls inside a character
    back = roundtrip(text)
    assert isinstance(back, str) and back == text


def test_64_mib_message() -> None:
    data = bytes(MAX_MESSAGE)
    frames = frame_message(data)
    assert len(frames) == -(-MAX_MESSAGE // MAX_PAYLOAD)
    assert roundtrip(data) == data
    with pytest.raises(ChunkingError):
        frame_message(data + b"x")


def test_reassembler_rejects_broken_frames() -> None:
    r = Reassembler()
    with pytest.raises(ChunkingError):
        r.feed("plain text")
    with pytest.raises(ChunkingError):
        r.feed(b"")
    with pytest.raises(ChunkingError):
        r.feed(b"\x04abc")
    with pytest.raises(ChunkingError):
        r.feed(b"\x00" * (MAX_FRAME + 1))
    r.feed(b"\x03ab")
    with pytest.raises(ChunkingError):
        r.feed(b"\x00cd")  # text flag changed mid-message
    assert r.feed(b"\x00ok") == b"ok"  # state was reset
    small = Reassembler(max_message=4)
    small.feed(b"\x01abc")
    with pytest.raises(ChunkingError):
        small.feed(b"\x00de")
    with pytest.raises(ChunkingError):
        Reassembler().feed(b"\x02\xff\xfe")


def test_interleaved_channels_need_their_own_reassembler() -> None:
    a, b = Reassembler(), Reassembler()
    fa, fb = frame_message(bytes(100_000)), frame_message("y" * 70_000)
    assert a.feed(fa[0]) is None and b.feed(fb[0]) is None
    assert b.feed(fb[1]) == "y" * 70_000
    assert a.feed(fa[1]) == bytes(100_000)


def test_sdp_line_offer_and_answer() -> None:
    sdp = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n"
    offer = offer_with_chunking(sdp)
    head, rest = offer.split("m=", 1)
    assert SDP_ATTRIBUTE == "a=x-reactor-dc-chunking:1 max-message-size=67108864"
    assert head.endswith(SDP_ATTRIBUTE + "\r\n") and "x-reactor" not in rest
    assert offer_with_chunking(offer) == offer
    assert answer_has_chunking(offer)
    assert not answer_has_chunking(sdp)
    assert not answer_has_chunking(sdp + SDP_ATTRIBUTE + "\r\n")  # media level does not count
