"""``/sessions/{sid}/transport/webrtc/*``: ICE servers, register, offer (POST/PUT), answer
polling, trickled ICE candidates."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import TransportError
from .http import HttpSignaling, backoff, client_info, json_body

if TYPE_CHECKING:
    from aiortc import RTCIceServer


def parse_ice_servers(entries: Sequence[Any]) -> list[RTCIceServer]:
    """``[{"uris": [...], "credentials": {...}}]`` (or W3C ``urls``/``username``/``credential``) → aiortc."""
    from aiortc import RTCIceServer  # only the aiortc transport needs aiortc's type

    out: list[RTCIceServer] = []
    for entry in entries:
        if isinstance(entry, RTCIceServer):
            out.append(entry)
            continue
        urls = entry.get("uris") or entry.get("urls") or []
        creds = entry.get("credentials") or {}
        username = creds.get("username", entry.get("username"))
        credential = creds.get("password", entry.get("credential"))
        out.append(
            RTCIceServer(
                urls=list(urls) if not isinstance(urls, str) else urls,
                username=username,
                credential=credential,
            )
        )
    return out


QUICK_POLL = 0.02
"""Seconds between answer polls at first. The runtime answers once its own ICE gathering is
done: ~0.02 s for an offer that carries its candidates (aiortc), ~0.12 s for a trickled one
(native); the protocol's first 200 ms step alone made a native connect() take ~0.5 s."""
QUICK_POLL_WINDOW = 0.6
"""Seconds of quick polls before the protocol's backoff takes over (sequential requests: over
a slow link each waits for the previous reply, so the rate never exceeds one per round
trip)."""


def answer_delays(attempts: int, *, quick: bool = True) -> Iterator[float]:
    """The waits before each answer poll: with ``quick`` (a local runtime), :data:`QUICK_POLL`
    for the first :data:`QUICK_POLL_WINDOW` seconds; then the protocol's backoff (200 ms ×2,
    cap 15 s, ``attempts`` polls), which is all the cloud gets (each poll there is an
    authenticated request to a shared service, as the vendor's SDKs pace them)."""
    if quick:
        yield from itertools.repeat(QUICK_POLL, round(QUICK_POLL_WINDOW / QUICK_POLL))
    yield from backoff(0.2, 15.0, attempts)


class TransportSignaling:
    """WebRTC signaling routes of one session (identical in cloud and local)."""

    def __init__(
        self,
        http: HttpSignaling,
        session_id: str,
        *,
        answer_attempts: int = 6,
        quick_answer: bool = True,
    ) -> None:
        self.http = http
        self.session_id = session_id
        self.answer_attempts = answer_attempts
        self.quick_answer = quick_answer

    @property
    def base(self) -> str:
        return f"{self.http.session_path(self.session_id)}/transport/webrtc"

    async def ice_servers(self) -> list[dict[str, Any]]:
        """The session's ICE servers as the runtime lists them (each transport reads them)."""
        body = json_body(await self.http.request("GET", f"{self.base}/ice_servers", webrtc=True))
        return [dict(entry) for entry in body.get("ice_servers") or []]

    async def register(self) -> int:
        body = json_body(
            await self.http.request("POST", f"{self.base}/connections", json={}, webrtc=True)
        )
        return int(body["connection_id"])

    async def offer(
        self,
        connection_id: int,
        sdp: str,
        track_mapping: list[dict[str, str]],
        *,
        reoffer: bool = False,
    ) -> int:
        """POST (or PUT for a re-offer) the SDP offer; returns the connection id the server reports."""
        payload = {"sdp_offer": sdp, "client_info": client_info(), "track_mapping": track_mapping}
        resp = await self.http.request(
            "PUT" if reoffer else "POST",
            f"{self.base}/connections/{connection_id}/sdp_params",
            json=payload,
            webrtc=True,
        )
        return int(json_body(resp).get("connection_id") or connection_id)

    async def answer(self, connection_id: int) -> tuple[str, int]:
        """Poll for the SDP answer (202 = pending) as :func:`answer_delays` says: quickly at
        first (a local runtime answers in ~0.02-0.12 s), then the protocol's backoff.
        Returns ``(sdp, connection_id)``."""
        path = f"{self.base}/connections/{connection_id}/sdp_params"
        for delay in answer_delays(self.answer_attempts, quick=self.quick_answer):
            await asyncio.sleep(delay)
            resp = await self.http.request("GET", path, webrtc=True)
            if resp.status_code == 200:
                body = json_body(resp)
                if body.get("sdp_answer"):
                    return str(body["sdp_answer"]), int(body.get("connection_id") or connection_id)
        raise TransportError(f"no SDP answer for connection {connection_id}")

    async def ice_candidates(
        self, connection_id: int, candidates: Sequence[Mapping[str, Any]], *, is_final: bool
    ) -> None:
        """POST trickled local candidates (§3.5.5); the runtime holds ones that arrive before
        its side of the connection exists. ``is_final``: gathering is complete."""
        payload = {
            "candidates": [dict(c) for c in candidates],
            "is_final": is_final,
            "client_info": client_info(),
        }
        await self.http.request(
            "POST",
            f"{self.base}/connections/{connection_id}/ice_candidates",
            json=payload,
            webrtc=True,
        )
