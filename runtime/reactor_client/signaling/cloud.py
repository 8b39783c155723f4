"""Coordinator routes: ``POST /sessions``, poll ``GET /sessions/{id}``, ``DELETE``, adopt."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from ..errors import RequestTimeoutError, SessionTerminalError, TransportError
from .http import HttpSignaling, backoff, client_info, json_body

TERMINAL_STATES = frozenset({"INACTIVE", "CLOSED"})


def is_ready(desc: Mapping[str, Any]) -> bool:
    """A session is usable once both ``capabilities`` and ``selected_transport`` are present."""
    return bool(desc.get("capabilities")) and bool(desc.get("selected_transport"))


class CloudSignaling:
    """Session management against the Reactor coordinator."""

    def __init__(
        self,
        http: HttpSignaling,
        *,
        poll_initial: float = 0.2,
        poll_cap: float = 10.0,
        poll_attempts: int = 20,
    ) -> None:
        self.http = http
        self.poll_initial = poll_initial
        self.poll_cap = poll_cap
        self.poll_attempts = poll_attempts

    async def create_session(
        self,
        model: str,
        *,
        extra_args: Mapping[str, Any] | None = None,
        start: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``POST /sessions``. ``start``: session start options (``generation``, ``steps``,
        ``starting_input``), sent as top-level body keys as ``/start_session`` takes them."""
        body: dict[str, Any] = {
            "model": {"name": model},
            "client_info": client_info(),
            "supported_transports": [{"protocol": "webrtc", "version": "1.0"}],
        }
        if extra_args:
            body["extra_args"] = dict(extra_args)
        body.update(start or {})
        desc = json_body(await self.http.request("POST", "/sessions", json=body))
        if not desc.get("session_id"):
            raise TransportError("coordinator answered POST /sessions without a session_id")
        return desc

    async def get_session(self, session_id: str) -> dict[str, Any]:
        return json_body(await self.http.request("GET", f"/sessions/{session_id}"))

    async def wait_ready(self, session_id: str) -> dict[str, Any]:
        """Poll until capabilities + selected_transport appear (200 ms ×2, cap 10 s, 20 attempts)."""
        for delay in backoff(self.poll_initial, self.poll_cap, self.poll_attempts):
            desc = await self.get_session(session_id)
            state = str(desc.get("state", "")).upper()
            if state in TERMINAL_STATES:
                raise SessionTerminalError(f"session {session_id} is {state}")
            if is_ready(desc):
                transport = desc.get("selected_transport") or {}
                if str(transport.get("protocol", "webrtc")).lower() != "webrtc":
                    raise TransportError(f"unsupported transport {transport!r}")
                return desc
            await asyncio.sleep(delay)
        raise RequestTimeoutError(
            f"session {session_id} not ready: model may be unavailable or overloaded"
        )

    async def delete_session(self, session_id: str, reason: str | None = None) -> None:
        """DELETE the session; 404 counts as done."""
        body = {"reason": reason} if reason else None
        await self.http.request("DELETE", f"/sessions/{session_id}", json=body, ok_statuses=(404,))
