"""``SessionSignaling``: how a client opens, adopts and ends a session, local or cloud.

:class:`ReactorClient` talks to one implementation through this protocol, so the session
logic has no ``if local`` branches:

* :class:`LocalSessionSignaling` -- a ``reactor-runtime`` served locally (one session per
  process; ``/start_session`` with 409 → adopt, ``/session``, ``/stop_session``).
* :class:`CloudSessionSignaling` -- the Reactor coordinator (``POST /sessions``, polling,
  ``DELETE``), with a JWT or an API key that mints one.

Both hand out the same :class:`~reactor_client.signaling.transport.TransportSignaling` for
the WebRTC routes, which are identical in cloud and local.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from ..errors import NotFoundError
from ..retry import RetryPolicy
from .cloud import CloudSignaling
from .http import HttpSignaling, JwtSource
from .local import LocalSignaling
from .tokens import afetch_jwt
from .transport import TransportSignaling


@dataclass(frozen=True)
class OpenedSession:
    """A session this client is about to join."""

    session_id: str
    descriptor: dict[str, Any]
    created: bool  # True: this client created it (and ends it on disconnect)


class SessionSignaling(Protocol):
    """Session management behind :class:`ReactorClient` (see the module docstring)."""

    http: HttpSignaling

    async def open(
        self, session_id: str | None, start: Mapping[str, Any] | None = None
    ) -> OpenedSession:
        """Create a session (``session_id=None``) or adopt an existing one; returns once it
        can take a WebRTC connection. ``start``: session start options (``generation``,
        ``steps``, ``starting_input``) for a session this call creates."""
        ...

    async def end(self, session_id: str) -> None:
        """End a session this client created."""
        ...

    def webrtc(self, session_id: str) -> TransportSignaling:
        """The WebRTC signaling routes of session ``session_id``."""
        ...

    async def ice_servers(self, transport: TransportSignaling) -> list[Any]:
        """The ICE servers to use when the caller configured none."""
        ...

    def rewrite_url(self, url: str) -> str:
        """Re-target a URL the runtime handed out (presigned upload, clip playlist)."""
        ...

    async def aclose(self) -> None:
        """Close the HTTP client."""
        ...


class LocalSessionSignaling:
    """A local ``reactor-runtime`` (3.x; 2.x shapes tolerated).

    Session ids: reactor-runtime 3.x routes its one session under a fixed id, the all-zero UUID
    of the descriptor's ``session_id``, and knows the session by an id of its own: the one its
    log records, recordings (``Clip.session_id``) and step results carry. It adopts the
    ``session_id`` of the ``/start_session`` body as that id (and mints a random one without),
    so a session this class starts gets a fresh UUID that way, and :meth:`open` reports it; the
    fixed id stays what the routes take (``http.route_ids``). A session it adopts reports the
    id the runtime's journal names (:meth:`LocalSignaling.journal_session_id`), or the fixed id
    when the journal names none yet: a session started without an id (not by this client) whose
    first ``runtime_stats`` reading, 5 s in, has not come. 2.x has one id, ``"local"``.
    """

    def __init__(self, base_url: str, *, retry: RetryPolicy | None = None) -> None:
        self.base_url = base_url
        self.http = HttpSignaling(base_url, retry=retry)
        self.routes = LocalSignaling(self.http)

    async def open(
        self, session_id: str | None, start: Mapping[str, Any] | None = None
    ) -> OpenedSession:
        own: str | None = None
        if session_id is None:
            own = str((start or {}).get("session_id") or uuid.uuid4())
            desc, created = await self.routes.start_session({**(start or {}), "session_id": own})
        else:
            desc, created = await self.routes.get_session(), False
        route_id = str(desc.get("session_id") or "")
        if created and own is not None and _adopts_session_id(desc):
            real = own
        elif not created and _adopts_session_id(desc):
            real = await self.routes.journal_session_id() or route_id
        else:
            real = route_id
        if session_id is not None and session_id not in (route_id, real):
            unknown = " (its own id is not known yet)" if real == route_id != "local" else ""
            raise NotFoundError(
                f"the runtime at {self.base_url} runs session {real or '(none)'}{unknown}, "
                f"not {session_id}"
            )
        if real != route_id:
            self.http.route_ids[real] = route_id
        return OpenedSession(real, desc, created)

    async def end(self, session_id: str) -> None:
        await self.routes.stop_session()

    def webrtc(self, session_id: str) -> TransportSignaling:
        return TransportSignaling(self.http, session_id)

    async def ice_servers(self, transport: TransportSignaling) -> list[Any]:
        return []  # loopback: host candidates only

    def rewrite_url(self, url: str) -> str:
        """Keep path and query, use the configured base (port-forwarded or proxied runtimes)."""
        target, base = urlsplit(url), urlsplit(self.base_url)
        return urlunsplit((base.scheme, base.netloc, target.path, target.query, target.fragment))

    async def aclose(self) -> None:
        await self.http.aclose()


def _adopts_session_id(descriptor: Mapping[str, Any]) -> bool:
    """Whether the runtime behind ``descriptor`` takes a start's ``session_id`` as the session's
    own id (reactor-runtime 3.x; verified on 3.10.0), apart from the fixed id of its routes."""
    info = descriptor.get("server_info")
    version = str(info.get("server_version") or "") if isinstance(info, Mapping) else ""
    major = version.split(".", 1)[0]
    return major.isdigit() and int(major) >= 3


class CloudSessionSignaling:
    """The Reactor coordinator; auth by a JWT, a token resolver (called before each
    request) or an API key."""

    def __init__(
        self,
        base_url: str,
        model_name: str,
        *,
        jwt: JwtSource | None,
        api_key: str | None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = base_url
        self.model_name = model_name
        self.jwt = jwt
        self.api_key = api_key
        self.http = HttpSignaling(base_url, jwt=jwt, retry=retry)
        self.routes = CloudSignaling(self.http)

    async def open(
        self, session_id: str | None, start: Mapping[str, Any] | None = None
    ) -> OpenedSession:
        if self.api_key and not self.jwt:
            # a token scoped to what this connection needs: the model, or the adopted session
            self.http.jwt = await afetch_jwt(
                self.api_key,
                self.base_url,
                models=None if session_id else [self.model_name],
                sessions=[session_id] if session_id else None,
            )
        created = session_id is None
        if session_id is None:
            created_desc = await self.routes.create_session(self.model_name, start=start)
            session_id = str(created_desc["session_id"])
        desc = await self.routes.wait_ready(session_id)
        return OpenedSession(session_id, desc, created)

    async def end(self, session_id: str) -> None:
        await self.routes.delete_session(session_id)

    def webrtc(self, session_id: str) -> TransportSignaling:
        # the protocol's answer pacing: no quick polls against the shared cloud service
        return TransportSignaling(self.http, session_id, quick_answer=False)

    async def ice_servers(self, transport: TransportSignaling) -> list[Any]:
        return await transport.ice_servers()

    def rewrite_url(self, url: str) -> str:
        """Cloud URLs are presigned or path-only; path-only ones resolve against the API base."""
        if url.startswith("/"):
            return self.base_url.rstrip("/") + url
        return url

    async def aclose(self) -> None:
        await self.http.aclose()


__all__ = ["SessionSignaling", "LocalSessionSignaling", "CloudSessionSignaling", "OpenedSession"]
