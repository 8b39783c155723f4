"""``EventHub``: what the playground page's event stream carries."""

from __future__ import annotations

import collections
import json
import time
import typing

from ...session.fanout import DropOldestQueue, Fanout
from ...status import Status
from ...types import Message


def dump_json(value: object) -> str:
    """Compact JSON for the event stream (non-JSON values as their str)."""
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


class EventHub:
    """What the page's event stream carries: a bounded log of recent events, the latest
    message of each type, the status, and one drop-oldest queue per listening page."""

    def __init__(self, known_messages: typing.Iterable[str], history: int = 300) -> None:
        self.known = frozenset(known_messages)
        self.recent: collections.deque[dict[str, typing.Any]] = collections.deque(maxlen=history)
        self.latest: dict[str, dict[str, typing.Any]] = {}
        self.counts: collections.Counter[str] = collections.Counter()
        self.status = Status.DISCONNECTED.value
        self.error: str | None = None
        self._pages: Fanout[dict[str, typing.Any]] = Fanout(1000)
        self._seq = 0

    def publish(self, kind: str, data: dict[str, typing.Any]) -> dict[str, typing.Any]:
        self._seq += 1
        event = {"event": kind, "id": self._seq, "time": time.time(), **data}
        if kind == "message":
            self.latest[data["type"]] = event
            self.counts[data["type"]] += 1
        elif kind == "status":
            self.status = data["status"]
            if self.status == Status.READY.value:
                self.error = None
        elif kind == "error" and data.get("connection"):
            self.error = data["message"]
        self.recent.append(event)
        self._pages.publish(event)
        return event

    def message(self, raw: Message) -> None:
        self.publish(
            "message", {"type": raw.type, "data": raw.data, "known": raw.type in self.known}
        )

    def snapshot(self) -> dict[str, typing.Any]:
        return {
            "status": self.status,
            "error": self.error,
            "recent": list(self.recent),
            "latest": self.latest,
            "counts": dict(self.counts),
        }

    def subscribe(self) -> DropOldestQueue[dict[str, typing.Any]]:
        """A page's own event queue (the oldest events dropped beyond 1000)."""
        return self._pages.subscribe()

    def unsubscribe(self, queue: DropOldestQueue[dict[str, typing.Any]]) -> None:
        self._pages.unsubscribe(queue)


__all__ = ["EventHub", "dump_json"]
