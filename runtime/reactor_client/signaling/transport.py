"""``/sessions/{sid}/transport/webrtc/*``: ICE servers, register, offer (POST/PUT), answer polling."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from aiortc import RTCIceServer

from ..errors import TransportError
from .http import HttpSignaling, backoff, client_info, json_body


def parse_ice_servers(entries: Sequence[Any]) -> list[RTCIceServer]:
    """``[{"uris": [...], "credentials": {...}}]`` (or W3C ``urls``/``username``/``credential``) → aiortc."""
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


class TransportSignaling:
    """WebRTC signaling routes of one session (identical in cloud and local)."""

    def __init__(self, http: HttpSignaling, session_id: str, *, answer_attempts: int = 6) -> None:
        self.http = http
        self.session_id = session_id
        self.answer_attempts = answer_attempts

    @property
    def base(self) -> str:
        return f"{self.http.session_path(self.session_id)}/transport/webrtc"

    async def ice_servers(self) -> list[RTCIceServer]:
        body = json_body(await self.http.request("GET", f"{self.base}/ice_servers", webrtc=True))
        return parse_ice_servers(body.get("ice_servers") or [])

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
        """Poll for the SDP answer (202 = pending; 200 ms ×2, cap 15 s). Returns ``(sdp, connection_id)``."""
        path = f"{self.base}/connections/{connection_id}/sdp_params"
        for delay in backoff(0.2, 15.0, self.answer_attempts):
            await asyncio.sleep(delay / 2)
            resp = await self.http.request("GET", path, webrtc=True)
            if resp.status_code == 200:
                body = json_body(resp)
                if body.get("sdp_answer"):
                    return str(body["sdp_answer"]), int(body.get("connection_id") or connection_id)
            await asyncio.sleep(delay / 2)
        raise TransportError(f"no SDP answer for connection {connection_id}")
