"""Local runtime routes: ``/start_session`` (409 → adopt), ``/session``, ``/stop_session``, ``/schema``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

from ..errors import ConflictError, ReactorError, ServerError
from .http import HttpSignaling, json_body

ADOPTABLE_STATES = frozenset({"waiting", "streaming", "orphaned"})
#: A stopped session is torn down in well under a second (reactor-runtime 3.10: ``closing``
#: then ``ready``): the next start polls for its end every ``CLOSING_POLL`` seconds instead of
#: waiting a whole second (a batch run or a Gymnasium reset starts sessions back to back).
CLOSING_STATES = frozenset({"closing"})
CLOSING_POLL = 0.1


class LocalSignaling:
    """Session management against a ``reactor-runtime`` served locally (3.x; 2.x shapes tolerated)."""

    def __init__(self, http: HttpSignaling, *, start_timeout: float = 120.0) -> None:
        self.http = http
        self.start_timeout = start_timeout

    async def start_session(
        self, start: Mapping[str, Any] | None = None
    ) -> tuple[dict[str, Any], bool]:
        """Start (or adopt) the runtime's session. Returns ``(descriptor, created_by_us)``.

        ``start``: session start options (``generation``, ``steps``, ``starting_input``), the
        body of ``/start_session``; an adopted session keeps the options it started with."""
        deadline = time.monotonic() + self.start_timeout
        while True:
            poll = 1.0
            try:
                resp = await self.http.request("POST", "/start_session", json=dict(start or {}))
                return json_body(resp), True
            except ConflictError:
                desc = await self.get_session()
                state = str(desc.get("state", "")).lower()
                if state in ADOPTABLE_STATES and desc.get("capabilities"):
                    return desc, False
                if state in CLOSING_STATES:  # the previous session's teardown: a moment
                    poll = CLOSING_POLL
                err: Exception = ConflictError(
                    f"local session in state {desc.get('state')!r}, cannot adopt"
                )
            except ServerError as exc:
                if exc.status != 503:
                    raise
                err = exc
            if time.monotonic() >= deadline:
                raise err
            retry = getattr(err, "retry_after", None)
            await asyncio.sleep(min(retry if retry is not None else poll, 5.0))

    async def get_session(self) -> dict[str, Any]:
        return json_body(await self.http.request("GET", "/session"))

    async def journal_session_id(self) -> str | None:
        """The running session's own id, as the runtime's journal (``GET /events``, 3.x) tells
        it; ``None`` when it does not (yet), or the runtime has no journal (2.x).

        The journal names it in the ``start_session`` transition's ``params.session_id`` when
        the session was started with one (as :class:`LocalSessionSignaling` starts them), and in
        later facts of that session (``session_id`` of the ``runtime_stats`` reading every 5 s and
        of ``client_stats``, ``recording_id`` of ``chunk_ready``). A start without an id has the
        runtime mint one that only such later facts (and its log) carry."""
        try:
            events = await self.http.sse_replay("/events?since=0")
        except ReactorError:
            return None
        found: str | None = None
        for event in events:
            detail = event.get("detail")
            if not isinstance(detail, dict):
                continue
            if event.get("event") == "start_session":
                params = detail.get("params")
                found = _id(params.get("session_id")) if isinstance(params, dict) else None
            else:
                found = _id(detail.get("session_id")) or _id(detail.get("recording_id")) or found
        return found

    async def stop_session(self, reason: str | None = None) -> None:
        body: dict[str, Any] = {"reason": reason[:64]} if reason else {}
        await self.http.request("POST", "/stop_session", json=body, ok_statuses=(409,))

    async def schema(self) -> dict[str, Any]:
        return json_body(await self.http.request("GET", "/schema"))


def _id(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value else None
