"""Who may start a session when: the URL pool (a local runtime serves one session at a time)
and the start gate (a ``429``'s ``Retry-After`` holds back every start of the run; an optional
token bucket keeps starts under the cloud's new-sessions-per-minute limit)."""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Sequence

from ..errors import ConfigurationError


class NoRuntimeLeftError(ConfigurationError):
    """Every URL of the pool was set aside: none answered twice in a row."""

    default_code = "NO_RUNTIME_LEFT"


class UrlPool:
    """Runtime URLs lent to one session at a time, first come first served; a URL given back
    goes to the end of the line. A URL where no runtime answered ``max_failures`` times in a
    row is set aside for the rest of the run (the others carry the items); when none is left,
    :meth:`acquire` raises :class:`NoRuntimeLeftError`."""

    def __init__(self, urls: Sequence[str], *, max_failures: int = 2) -> None:
        urls = list(urls)
        if not urls:
            raise ConfigurationError("urls= is empty: give at least one runtime URL")
        duplicates = sorted({u for u in urls if urls.count(u) > 1})
        if duplicates:
            raise ConfigurationError(
                f"urls= lists {duplicates[0]} more than once: a local runtime serves one session "
                "at a time, so each URL must appear once"
            )
        self.urls = tuple(urls)
        self.max_failures = max_failures
        self.set_aside: list[str] = []
        self._failures = dict.fromkeys(urls, 0)
        self._free: collections.deque[str] = collections.deque(urls)
        self._lent = 0
        self._changed = asyncio.Condition()

    def __len__(self) -> int:
        return len(self.urls)

    async def acquire(self) -> str:
        async with self._changed:
            while not self._free:
                if self._lent == 0:
                    raise NoRuntimeLeftError(
                        f"no runtime left: nothing answered at {', '.join(self.set_aside)} "
                        f"({self.max_failures} tries in a row each)"
                    )
                await self._changed.wait()
            self._lent += 1
            return self._free.popleft()

    async def release(self, url: str, *, unreachable: bool = False) -> bool:
        """Give ``url`` back; ``unreachable``: no runtime answered there. Returns True when
        that set it aside."""
        async with self._changed:
            self._lent -= 1
            self._failures[url] = self._failures[url] + 1 if unreachable else 0
            aside = self._failures[url] >= self.max_failures
            if aside:
                self.set_aside.append(url)
            else:
                self._free.append(url)
            self._changed.notify_all()
            return aside


class TokenBucket:
    """``rate_per_minute`` starts per minute with bursts of up to ``burst`` (the cloud's limit
    is 10 per minute, burst 3: wire-protocol.md section 3.7). Plain and clock-driven, so a Ray
    actor can hold one for a whole cluster."""

    def __init__(self, rate_per_minute: float, burst: int = 3) -> None:
        if not rate_per_minute > 0 or burst < 1:
            raise ConfigurationError(
                f"a start rate needs rate_per_minute > 0 and burst >= 1 (got {rate_per_minute!r}, "
                f"{burst!r})"
            )
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self._tokens = float(burst)
        self._at = time.monotonic()

    def reserve(self) -> float:
        """Take one start; returns the seconds to wait before making it (0 when a token is
        there)."""
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate


class StartGate:
    """Every session start of a run passes here: it waits out a ``Retry-After`` any item
    received (the cloud's limits are per account, not per item) and the token bucket."""

    def __init__(self, bucket: TokenBucket | None = None) -> None:
        self._bucket = bucket
        self._not_before = 0.0
        self._lock = asyncio.Lock()

    def hold(self, seconds: float) -> None:
        """No start before ``seconds`` from now."""
        self._not_before = max(self._not_before, time.monotonic() + seconds)

    @property
    def held_for(self) -> float:
        return max(0.0, self._not_before - time.monotonic())

    async def wait(self) -> None:
        async with self._lock:  # starts leave in the order they arrived
            while (hold := self.held_for) > 0:
                await asyncio.sleep(hold)
            if self._bucket is not None:
                wait = self._bucket.reserve()
                if wait > 0:
                    await asyncio.sleep(wait)
                while (hold := self.held_for) > 0:  # a 429 seen meanwhile
                    await asyncio.sleep(hold)


__all__ = ["NoRuntimeLeftError", "StartGate", "TokenBucket", "UrlPool"]
