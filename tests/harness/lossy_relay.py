"""A UDP relay on loopback that puts packet loss and delay on the media path of ONE connection.

Both peers' ICE host candidates are rewritten (in the signalled SDP and in trickled candidates,
by the test) to point at the relay's two loopback ports, so every packet between the client and the runtime passes
through it: ``client <-> 127.0.0.1:client_port [relay] 127.0.0.1:runtime_port <-> runtime``.
RTP/RTCP packets (first byte 128..191) are dropped with probability ``loss`` and delayed by
``delay`` seconds; STUN and DTLS pass untouched, so the connection still comes up.

Usage (see tests/runtime/test_network_faults_e2e.py)::

    relay = LossyRelay(loss=0.05, delay=0.02)
    await relay.start()
    with relay.patch_signaling():          # rewrites the next connection's offer and answer
        await client.connect()
    relay.dropped, relay.forwarded
    relay.close()

Only loopback addresses and this machine's own interface addresses are ever sent to.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
from collections.abc import Iterator
from typing import Any

_CANDIDATE = re.compile(
    r"^a=candidate:(?P<foundation>\S+) (?P<component>\d) (?P<proto>udp) (?P<priority>\d+) "
    r"(?P<ip>[0-9.]+) (?P<port>\d+) typ host(?P<rest>.*)$",
    re.IGNORECASE,
)


class _Side(asyncio.DatagramProtocol):
    def __init__(self, relay: LossyRelay, name: str) -> None:
        self.relay = relay
        self.name = name
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.relay._received(self.name, data, addr)


class LossyRelay:
    """Relays one ICE component between two peers, dropping/delaying media packets."""

    def __init__(self, *, loss: float = 0.0, delay: float = 0.0, seed: int = 7) -> None:
        self.loss = loss
        self.delay = delay
        self._random = random.Random(seed)
        self.client_addr: tuple[str, int] | None = None  # the client's real candidate
        self.runtime_addr: tuple[str, int] | None = None  # the runtime's real candidate
        self.forwarded = 0
        self.dropped = 0
        self.pli_sent = 0  # RTCP PLIs from the client (the SRTCP header is not encrypted)
        self._sides: dict[str, _Side] = {}

    async def start(self) -> LossyRelay:
        loop = asyncio.get_running_loop()
        for name in ("client", "runtime"):  # "client": the port the client sends to
            _, side = await loop.create_datagram_endpoint(
                lambda n=name: _Side(self, n), local_addr=("127.0.0.1", 0)
            )
            self._sides[name] = side
        return self

    def port(self, side: str) -> int:
        transport = self._sides[side].transport
        assert transport is not None
        return int(transport.get_extra_info("sockname")[1])

    def close(self) -> None:
        for side in self._sides.values():
            if side.transport is not None:
                side.transport.close()

    def _received(self, side: str, data: bytes, addr: tuple[str, int]) -> None:
        if side == "client":
            self.client_addr = self.client_addr or addr
            out, target = self._sides["runtime"], self.runtime_addr
        else:
            out, target = self._sides["client"], self.client_addr
        if target is None or out.transport is None:
            return
        media = bool(data) and 128 <= data[0] <= 191
        if media and side == "client" and len(data) > 1 and data[1] == 206 and data[0] & 0x1F == 1:
            self.pli_sent += 1
        if media and self.loss and self._random.random() < self.loss:
            self.dropped += 1
            return
        self.forwarded += 1
        transport = out.transport
        if media and self.delay:
            asyncio.get_running_loop().call_later(self.delay, transport.sendto, data, target)
        else:
            transport.sendto(data, target)

    # -- SDP rewriting -----------------------------------------------------------
    def _rewrite(self, sdp: str, relay_port: int) -> tuple[str, tuple[str, int] | None]:
        """Replace every host candidate with one pointing at ``relay_port``; return the first
        real IPv4 host candidate."""
        lines, real = [], None
        for line in sdp.splitlines():
            match = _CANDIDATE.match(line.strip())
            if line.startswith("a=candidate:") and match is None:
                continue  # IPv6 and non-host candidates: not relayed, so not offered
            if match is not None:
                if real is None and match["component"] == "1":
                    real = (match["ip"], int(match["port"]))
                    line = (
                        f"a=candidate:{match['foundation']} 1 udp {match['priority']} 127.0.0.1 "
                        f"{relay_port} typ host{match['rest']}"
                    )
                else:
                    continue
            lines.append(line)
        return "\r\n".join(lines) + "\r\n", real

    def _rewrite_trickled(self, candidates: Any, relay_port: int) -> list[dict[str, Any]]:
        """Trickled candidates (native transport): the first IPv4 host one, pointed at
        ``relay_port``; the rest dropped, as in :meth:`_rewrite`."""
        out = []
        for entry in candidates:
            match = _CANDIDATE.match("a=" + str(entry.get("candidate", "")).strip())
            if match is None or match["component"] != "1" or self.client_addr is not None:
                continue
            self.client_addr = (match["ip"], int(match["port"]))
            rewritten = (
                f"candidate:{match['foundation']} 1 udp {match['priority']} 127.0.0.1 "
                f"{relay_port} typ host{match['rest']}"
            )
            out.append({**entry, "candidate": rewritten})
        return out

    @contextlib.contextmanager
    def patch_signaling(self) -> Iterator[None]:
        """While active, the client's offer and the runtime's answer go through the relay."""
        from reactor_client.signaling import transport as signaling

        original_offer = signaling.TransportSignaling.offer
        original_answer = signaling.TransportSignaling.answer
        original_trickle = signaling.TransportSignaling.ice_candidates
        relay = self

        async def offer(self: Any, connection_id: int, sdp: str, *args: Any, **kwargs: Any) -> int:
            sdp, real = relay._rewrite(sdp, relay.port("runtime"))
            relay.client_addr = real  # None when the candidates are trickled
            return await original_offer(self, connection_id, sdp, *args, **kwargs)

        async def ice_candidates(self: Any, connection_id: int, candidates: Any, **kwargs: Any) -> None:
            kept = relay._rewrite_trickled(candidates, relay.port("runtime"))
            await original_trickle(self, connection_id, kept, **kwargs)

        async def answer(self: Any, connection_id: int) -> tuple[str, int]:
            sdp, cid = await original_answer(self, connection_id)
            sdp, relay.runtime_addr = relay._rewrite(sdp, relay.port("client"))
            return sdp, cid

        signaling.TransportSignaling.offer = offer  # type: ignore[method-assign]
        signaling.TransportSignaling.answer = answer  # type: ignore[method-assign]
        signaling.TransportSignaling.ice_candidates = ice_candidates  # type: ignore[method-assign]
        try:
            yield
        finally:
            signaling.TransportSignaling.offer = original_offer  # type: ignore[method-assign]
            signaling.TransportSignaling.answer = original_answer  # type: ignore[method-assign]
            signaling.TransportSignaling.ice_candidates = original_trickle  # type: ignore[method-assign]


__all__ = ["LossyRelay"]
