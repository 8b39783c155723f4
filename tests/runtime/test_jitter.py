"""Early frame release (``transport/aiortc/jitter.py``): a video frame is complete on its marker bit when
every packet before it is present; loss and reordering fall back to aiortc's timestamp rule.
Each case is also run on stock aiortc, which releases only on the next frame's first packet."""

from __future__ import annotations

import pytest
from aiortc.jitterbuffer import JitterBuffer
from aiortc.rtp import RtpPacket

from reactor_client.transport.aiortc.jitter import EarlyReleaseJitterBuffer


def packet(seq: int, ts: int, marker: bool = False, data: bytes | None = None) -> RtpPacket:
    p = RtpPacket(payload_type=97, marker=int(marker), sequence_number=seq, timestamp=ts)
    p._data = data if data is not None else f"{seq};".encode()  # type: ignore[attr-defined]
    return p


def feed(buffer: JitterBuffer, packets: list[RtpPacket]) -> list[tuple[int, int, bytes]]:
    """``(index of the packet whose add() released it, timestamp, data)`` per released frame."""
    out = []
    for i, p in enumerate(packets):
        _, frame = buffer.add(p)
        if frame is not None:
            out.append((i, frame.timestamp, frame.data))
    return out


FRAME_1 = [packet(100, 3000), packet(101, 3000), packet(102, 3000, marker=True)]
NEXT = packet(103, 6000)


def test_in_order_frame_is_released_on_its_marker() -> None:
    assert feed(EarlyReleaseJitterBuffer(), [*FRAME_1, NEXT]) == [(2, 3000, b"100;101;102;")]
    # stock aiortc waits for the next frame's first packet
    assert feed(JitterBuffer(512, is_video=True), [*FRAME_1, NEXT]) == [(3, 3000, b"100;101;102;")]


def test_single_packet_frame_with_marker() -> None:
    packets = [packet(7, 90, marker=True), packet(8, 180, marker=True), packet(9, 270, marker=True)]
    assert feed(EarlyReleaseJitterBuffer(), packets) == [(0, 90, b"7;"), (1, 180, b"8;"), (2, 270, b"9;")]
    assert [i for i, *_ in feed(JitterBuffer(512, is_video=True), packets)] == [1, 2]


def test_reordered_packets_release_when_the_gap_fills() -> None:
    packets = [packet(100, 3000), packet(102, 3000, marker=True), packet(101, 3000), NEXT]
    assert feed(EarlyReleaseJitterBuffer(), packets) == [(2, 3000, b"100;101;102;")]


def test_lost_middle_packet_is_never_released_early() -> None:
    packets = [packet(100, 3000), packet(102, 3000, marker=True), NEXT, packet(104, 6000, marker=True)]
    released = feed(EarlyReleaseJitterBuffer(), packets)
    assert all(ts != 3000 or i >= 2 for i, ts, _ in released)  # no early release across the hole
    assert released == feed(JitterBuffer(512, is_video=True), packets)  # exactly the stock behaviour


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_hole_that_stays_is_given_up_with_a_key_frame_request() -> None:
    """Packet 101 is lost for good (its retransmission too). aiortc holds every later frame
    behind it until 512 packets pile up; ours gives up after HOLE_GIVE_UP and asks for a key
    frame (PLI), and the frames after that flow again."""
    from reactor_client.transport.aiortc.jitter import HOLE_GIVE_UP

    later = [packet(102 + i, 6000 + 3000 * i, marker=True) for i in range(45)]  # 30 fps, 1 packet each
    clock = FakeClock()
    ours = EarlyReleaseJitterBuffer(clock=clock)
    stock = JitterBuffer(512, is_video=True)
    results = []
    for buffer in (ours, stock):
        clock.now, released, plis = 0.0, [], []
        for i, p in enumerate([packet(100, 3000), *later]):
            pli, frame = buffer.add(p)
            clock.now += 1 / 30
            plis.append(pli)
            if frame is not None:
                released.append((i, frame.timestamp))
        results.append((released, plis))
    (ours_released, ours_plis), (stock_released, stock_plis) = results
    assert stock_released == [] and not any(stock_plis)  # stock: frozen, nothing asked for
    gave_up = ours_plis.index(True)
    waited = (gave_up - 1) / 30  # the hole appeared with the packet at index 1
    assert HOLE_GIVE_UP - 1e-9 <= waited < HOLE_GIVE_UP + 2 / 30  # when its time is up, not before
    assert ours_plis.count(True) == 1 and ours.holes_given_up == 1
    assert ours_released and ours_released[0][0] == gave_up + 1  # frames flow again at once
    assert [i for i, _ in ours_released] == list(range(gave_up + 1, len(later) + 1))


def test_a_hole_aiortc_already_gave_up_is_not_given_up_twice() -> None:
    """When aiortc itself drops a hole (512 packets behind it) and asks for a key frame, the
    hole is forgotten: no second key frame request a second later."""
    clock = FakeClock()
    buffer = EarlyReleaseJitterBuffer(capacity=16, clock=clock)
    plis = []
    for i, p in enumerate([packet(100, 3000), *(packet(102 + i, 6000 + 3000 * i, marker=True) for i in range(60))]):
        plis.append(buffer.add(p)[0])
        clock.now += 0.001  # fast: aiortc's overflow (16 packets here) comes long before 1 s
    assert plis.count(True) == 1 and buffer.holes_given_up == 0
    clock.now += 2.0
    assert buffer.add(packet(162, 6000 + 3000 * 60, marker=True))[0] is False and buffer.holes_given_up == 0


def test_lost_marker_packet_falls_back_to_the_timestamp_rule() -> None:
    packets = [packet(100, 3000), packet(101, 3000), packet(103, 6000, marker=True)]  # 102 lost
    early_buffer = EarlyReleaseJitterBuffer()
    early = feed(early_buffer, packets)
    stock = feed(JitterBuffer(512, is_video=True), packets)
    assert early == stock == []  # nothing is released early past a gap: aiortc's own handling
    assert early_buffer.early_releases == 0


@pytest.mark.parametrize("start", [65533, 65535])
def test_sequence_numbers_wrap(start: int) -> None:
    seqs = [(start + i) % 65536 for i in range(4)]
    packets = [packet(seqs[0], 10), packet(seqs[1], 10, marker=True), packet(seqs[2], 20), packet(seqs[3], 20, marker=True)]
    assert [(i, ts) for i, ts, _ in feed(EarlyReleaseJitterBuffer(), packets)] == [(1, 10), (3, 20)]


@pytest.mark.runtime
@pytest.mark.aiortc_only
@pytest.mark.parametrize("early", [True, False])
async def test_frames_decode_before_the_next_frame_starts(feature_server: object, early: bool) -> None:
    """On the real runtime: with early release a frame leaves the jitter buffer in the add() of
    its own (marker) packet, before any packet of the next frame arrived; stock aiortc needs the
    next frame's first packet for every frame."""
    import asyncio

    from reactor_client import ReactorClient

    client = ReactorClient("feature-model", local=True, url=feature_server.url, early_frame_release=early)  # type: ignore[attr-defined]
    await client.connect()
    try:
        assert client.connection is not None
        receiver = client.connection.transport.receiver("main_video")  # type: ignore[attr-defined]
        buffer = receiver._RTCRtpReceiver__jitter_buffer
        assert isinstance(buffer, EarlyReleaseJitterBuffer) is early
        triggers: list[bool] = []  # per released frame: released by a packet of the same frame?
        original_add = buffer.add

        def add(p: RtpPacket) -> tuple[bool, object]:
            pli, frame = original_add(p)
            if frame is not None:
                triggers.append(frame.timestamp == p.timestamp)
            return pli, frame

        buffer.add = add
        frames = client.output_track("main_video").frames(maxsize=32)
        for _ in range(20):
            await asyncio.wait_for(frames.__anext__(), 5)
        assert len(triggers) >= 20
        share = sum(triggers) / len(triggers)  # a NACK-repaired frame may complete late
        if early:
            assert share >= 0.9, triggers  # (almost) never waited for the next frame
        else:
            assert share == 0.0, triggers
    finally:
        await client.disconnect()
