"""Client status enum."""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    """Client-visible lifecycle: ``disconnected → connecting → waiting → ready``."""

    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    WAITING = "waiting"
    READY = "ready"

    def __str__(self) -> str:
        return self.value
