"""A minimal in-memory stand-in for ``reactor_client.ReactorClient``.

Used ONLY by pure unit tests of the generated typed layer (parsing, validation, listener
wiring); everything that talks to a runtime is tested end to end against the real one.
It mirrors the contract's listener semantics: listeners run in registration order and
an exception raised by a listener goes to the ``on_error`` callbacks.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import reactor_client


class FakeClient:
    def __init__(self) -> None:
        self.listeners: list[tuple[str | None, reactor_client.Subscription]] = []
        self.errors: list[reactor_client.ReactorError] = []
        self.sent: list[
            tuple[str, dict[str, Any], dict[str, reactor_client.UploadReference] | None]
        ] = []
        self.uploaded: list[str | os.PathLike[str] | bytes] = []
        self.replies: dict[str, reactor_client.Message | None] = {}
        self.queue: asyncio.Queue[reactor_client.Message] = asyncio.Queue()
        self.latest: dict[str, reactor_client.Message] = {}

    # -- listener registry (contract: on_message(callback, *, type=None)) --
    def on_message(
        self, callback: Callable[[reactor_client.Message], Any], *, type: str | None = None
    ) -> reactor_client.Subscription:
        # the runtime's own Subscription (constructor: callback, remove)
        sub = reactor_client.Subscription(callback, self._remove)
        self.listeners.append((type, sub))
        return sub

    def _remove(self, sub: reactor_client.Subscription) -> None:
        self.listeners = [(k, s) for k, s in self.listeners if s is not sub]

    def report_error(self, error: reactor_client.ReactorError) -> None:
        self.errors.append(error)

    def emit(self, type: str, data: Mapping[str, Any]) -> reactor_client.Message:
        """Deliver one raw message as the runtime would."""
        message = reactor_client.Message(type, dict(data))
        self.latest[type] = message
        for key, sub in list(self.listeners):
            if sub.active and (key is None or key == type):
                try:
                    sub.callback(message)
                except reactor_client.ReactorError as exc:
                    self.errors.append(exc)
                except Exception as exc:  # noqa: BLE001
                    self.errors.append(reactor_client.ReactorError(repr(exc)))
        self.queue.put_nowait(message)
        return message

    def messages(self, *, maxsize: int | None = None) -> AsyncIterator[reactor_client.Message]:
        async def gen() -> AsyncIterator[reactor_client.Message]:
            while True:
                yield await self.queue.get()

        return gen()

    async def wait_for_message(
        self,
        type: str,
        predicate: Callable[[reactor_client.Message], bool] | None = None,
        *,
        timeout: float | None = None,
        include_latest: bool = False,
        since_last_command: bool = False,  # no commands are sent here: the next message
    ) -> reactor_client.Message:
        latest = self.latest.get(type) if include_latest else None
        if latest is not None and (predicate is None or predicate(latest)):
            return latest
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[reactor_client.Message] = loop.create_future()

        def check(msg: reactor_client.Message) -> None:
            if not fut.done() and (predicate is None or predicate(msg)):
                fut.set_result(msg)

        sub = self.on_message(check, type=type)
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            sub.unsubscribe()

    async def send_command(
        self,
        name: str,
        data: Mapping[str, Any] | None = None,
        *,
        uploads: Mapping[str, reactor_client.UploadReference] | None = None,
        timeout: float | None = None,
    ) -> reactor_client.Message | None:
        self.sent.append((name, dict(data or {}), dict(uploads) if uploads else None))
        return self.replies.get(name)

    async def upload(
        self,
        source: str | os.PathLike[str] | bytes,
        *,
        name: str | None = None,
        mime_type: str | None = None,
    ) -> reactor_client.UploadReference:
        self.uploaded.append(source)
        return reactor_client.UploadReference(
            f"up-{len(self.uploaded)}", "file.bin", "application/octet-stream", 3
        )


def attach(model: Any, fake: FakeClient) -> FakeClient:
    """Point a generated model at ``fake`` (what its constructor does with the real client)."""
    model._init_listeners(fake)
    return fake
