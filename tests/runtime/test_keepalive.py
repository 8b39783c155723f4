"""The keepalive's liveness verdict, on a scripted probe (no transport)."""

from __future__ import annotations

import asyncio

import pytest

from reactor_client.errors import RequestTimeoutError
from reactor_client.session import keepalive as keepalive_module
from reactor_client.session.keepalive import Keepalive


@pytest.fixture(autouse=True)
def fast_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keepalive_module, "TICK", 0.01)
    monkeypatch.setattr(keepalive_module, "IDLE_PROBE", 0.05)
    monkeypatch.setattr(keepalive_module, "PROBE_TIMEOUT", 0.1)


def make(probe_answer: str, deaths: list[str]) -> tuple[Keepalive, list[float]]:
    probes: list[float] = []

    async def probe(timeout: float) -> object:
        probes.append(timeout)
        if probe_answer == "answer":
            return {}
        await asyncio.sleep(timeout)
        raise RequestTimeoutError("probe timed out")

    keepalive = Keepalive(
        ping=lambda: None, probe=probe, last_media=lambda: 0.0, on_dead=deaths.append
    )
    return keepalive, probes


async def test_silence_after_an_unanswered_probe_is_death() -> None:
    deaths: list[str] = []
    keepalive, probes = make("silence", deaths)
    keepalive.start()
    await asyncio.sleep(0.4)
    keepalive.stop()
    assert probes and len(deaths) == 1 and "liveness probe" in deaths[0]
    assert "nothing arrived for" in deaths[0]  # how long it was silent, for the reader


async def test_an_answered_probe_keeps_the_transport() -> None:
    deaths: list[str] = []
    keepalive, probes = make("answer", deaths)
    keepalive.start()
    await asyncio.sleep(0.4)
    keepalive.stop()
    assert len(probes) >= 2 and deaths == []


async def test_a_late_answer_behind_a_download_is_not_death() -> None:
    """The runtime answers behind 36 MB it is sending: the probe times out, but chunks keep
    arriving while it waits, so the runtime is alive."""
    deaths: list[str] = []
    keepalive, probes = make("silence", deaths)
    keepalive.start()

    async def downloading() -> None:
        while not probes:
            await asyncio.sleep(0.005)
        for _ in range(60):  # chunks arrive during and after the probe window
            keepalive.touch()
            await asyncio.sleep(0.005)

    await downloading()
    keepalive.stop()
    assert probes and deaths == []
