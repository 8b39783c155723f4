"""media/pacing.RateLimiter: the frame thinning behind the notebook view and the MJPEG feeds."""

from __future__ import annotations

from reactor_client.media.pacing import RateLimiter


def admitted(fps: float, source_fps: float, seconds: float = 10.0, jitter: float = 0.0) -> int:
    limiter = RateLimiter(fps)
    n = int(seconds * source_fps)
    # frames at a steady source rate, every other one `jitter` seconds early
    return sum(limiter.admit(100.0 + i / source_fps - (jitter if i % 2 else 0.0)) for i in range(n))


def test_a_faster_source_is_thinned_to_the_rate_on_average() -> None:
    # 15 per second, plus the one interval of credit a start (or a pause) gives; a "time since
    # the last one" test would show 100
    assert admitted(15, 20) == 151
    assert admitted(10, 30) == 101
    assert admitted(15, 20, jitter=0.004) == 151  # slightly early frames still count


def test_a_slower_source_passes_whole_and_zero_means_no_limit() -> None:
    assert admitted(30, 20) == 200
    assert admitted(0, 20) == 200


def test_no_burst_after_a_pause() -> None:
    limiter = RateLimiter(10)
    assert [limiter.admit(1.0 + i * 0.01) for i in range(4)] == [True, True, False, False]
    # after 5 s without frames, a burst gets the same one interval of credit, not 5 s of it
    assert [limiter.admit(6.0 + i * 0.01) for i in range(5)] == [True, True, False, False, False]
