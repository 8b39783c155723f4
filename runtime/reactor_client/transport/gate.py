"""The ready gate every transport passes before a connection is READY: the peer connected
and both data channels open, or a failure first, or a timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable


async def ready(
    connected: asyncio.Event, opened: Iterable[asyncio.Event], failed: asyncio.Event, timeout: float
) -> bool:
    """Whether ``connected`` and every ``opened`` event were set before ``failed`` and within
    ``timeout`` seconds."""
    channels = list(opened)

    async def gate() -> None:
        await connected.wait()
        for event in channels:
            await event.wait()

    gate_task = asyncio.ensure_future(gate())
    fail_task = asyncio.ensure_future(failed.wait())
    try:
        done, _ = await asyncio.wait(
            {gate_task, fail_task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        gate_task.cancel()
        fail_task.cancel()
    return gate_task in done and not gate_task.cancelled()


__all__ = ["ready"]
