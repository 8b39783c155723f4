"""``reactor_client.sync.LoopThread``: blocking calls into the async client, unit and on the
real runtime."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from reactor_client import InvalidStateError, ReactorClient
from reactor_client.sync import LoopThread


def test_run_returns_results_and_raises_errors() -> None:
    with LoopThread() as loop:
        async def add(a: int, b: int) -> int:
            await asyncio.sleep(0)
            return a + b

        async def boom() -> None:
            raise ValueError("from the loop")

        assert loop.run(add(2, 3)) == 5
        with pytest.raises(ValueError, match="from the loop"):
            loop.run(boom())
        with pytest.raises(TimeoutError):
            loop.run(asyncio.sleep(5), timeout=0.05)
        assert loop.call(threading.current_thread) is not threading.current_thread()


def test_iterate_and_close() -> None:
    loop = LoopThread()

    async def numbers() -> Any:
        for i in range(3):
            yield i

    assert list(loop.iterate(numbers())) == [0, 1, 2]
    loop.close()
    loop.close()  # idempotent
    with pytest.raises(InvalidStateError):
        loop.run(asyncio.sleep(0))


def test_blocking_from_the_loop_thread_is_refused() -> None:
    with LoopThread() as loop:
        def reenter() -> None:
            loop.run(asyncio.sleep(0))

        with pytest.raises(InvalidStateError, match="deadlock"):
            loop.call(reenter)


@pytest.mark.runtime
def test_blocking_client_on_the_real_runtime(feature_server: Any) -> None:
    with LoopThread() as loop:
        client = loop.call(ReactorClient, "feature-model", local=True, url=feature_server.url)
        loop.run(client.connect())
        try:
            echo = loop.run(client.send_command("echo", {"text": "sync"}))
            assert echo is not None and echo.data["text"] == "sync"
            frames = loop.call(client.output_track("main_video").frames)
            shapes = []
            for frame in loop.iterate(frames):
                shapes.append((frame.width, frame.height))
                if len(shapes) == 3:
                    break
            assert shapes == [(64, 48)] * 3
        finally:
            loop.run(client.disconnect())
