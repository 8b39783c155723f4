"""Shared httpx plumbing: headers with a token resolved per request, status → error mapping,
the per-request retries of :mod:`reactor_client.retry`, backoff schedules."""

from __future__ import annotations

import asyncio
import inspect
import json as _json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx

from ..errors import ConfigurationError, NetworkError, ReactorError, signaling_error
from ..retry import DEFAULT_RETRY, RequestRetries, RetryPolicy, current_budget

#: A token resolver: returns a (fresh) JWT, plainly or as an awaitable; called before
#: every request to the Reactor API, and once more after a ``401``. ``""`` sends no token.
JwtResolver = Callable[[], str | Awaitable[str]]
#: What every ``jwt=`` takes: a token, or a :data:`JwtResolver`.
JwtSource = str | JwtResolver

API_VERSION = "1"
WEBRTC_VERSION = "1.0"
SDK_TYPE = "python"


def client_info() -> dict[str, str]:
    from .. import __version__

    return {"sdk_version": __version__, "sdk_type": SDK_TYPE}


def parse_retry_after(value: str | None) -> float | None:
    """Parse a delta-seconds ``Retry-After`` header (the only form clients honour)."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None


def backoff(initial: float, cap: float, attempts: int, factor: float = 2.0) -> Iterator[float]:
    """``attempts`` delays: ``initial``, ×``factor`` each time, capped at ``cap``."""
    delay = initial
    for _ in range(attempts):
        yield min(delay, cap)
        delay *= factor


def safe_url(url: str) -> str:
    """``url`` without its query string (presigned URLs carry credentials there)."""
    return url.split("?", 1)[0]


def _html_title(text: str) -> str:
    lower = text.lower()
    start, end = lower.find("<title>"), lower.find("</title>")
    return text[start + 7 : end].strip()[:120] if 0 <= start < end else ""


def _detail(resp: httpx.Response) -> str:
    content_type = resp.headers.get("content-type", "")
    if "html" in content_type or resp.text.lstrip()[:1] == "<":
        title = _html_title(resp.text)
        return (
            f"an HTML page{f' ({title!r})' if title else ''} instead of a JSON answer: "
            "is this URL a reactor-runtime or the Reactor API?"
        )
    try:
        body = resp.json()
    except ValueError:
        return resp.text[:500] or "(empty body)"
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])
    return str(body)[:500]


def _reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc or type(exc).__name__})"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    return f"{type(exc).__name__}: {exc}"


class HttpAuth:
    """The Reactor headers of one client, with its token resolved per request, and the
    retry rules of one request (:mod:`reactor_client.retry`): a ``401`` re-resolves a
    token resolver and sends once more, a ``429`` waits out an acceptable ``Retry-After``
    once; both draw on the budget of the operation in progress."""

    def __init__(self, jwt: JwtSource | None = None, retry: RetryPolicy | None = None) -> None:
        self.jwt = jwt
        self.retry = retry or DEFAULT_RETRY

    @property
    def has_resolver(self) -> bool:
        """Whether the token comes from a callable (so asking again can give a new one)."""
        return callable(self.jwt)

    async def token(self) -> str | None:
        """The token for the next request (the resolver is called every time)."""
        src = self.jwt
        if src is None:
            return None
        if callable(src):
            value = src()
            if inspect.isawaitable(value):
                value = await value
            if value is not None and not isinstance(value, str):
                raise ConfigurationError(
                    f"the jwt resolver returned {type(value).__name__}, not a str"
                )
            return value or None
        return src or None

    async def headers(self, *, webrtc: bool = False, json_body: bool = False) -> dict[str, str]:
        h = {"Reactor-API-Version": API_VERSION, "Reactor-API-Accept-Version": API_VERSION}
        if webrtc:
            h["Reactor-WebRTC-Version"] = WEBRTC_VERSION
        if json_body:
            h["Content-Type"] = "application/json"
        token = await self.token()
        if token:
            h["Authorization"] = f"Bearer {token}"
        return h

    async def send(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        webrtc: bool = False,
        ok_statuses: tuple[int, ...] = (),
        timeout: float | None = None,
    ) -> httpx.Response:
        """Send one request with fresh headers; non-2xx statuses not in ``ok_statuses``
        raise a ``SignalingError`` subclass once the retry rules say so."""
        where = f"{method} {safe_url(url)}"
        retries = RequestRetries(self.retry, current_budget(self.retry))
        while True:
            kwargs: dict[str, Any] = {
                "headers": await self.headers(webrtc=webrtc, json_body=content is not None)
            }
            if content is not None:
                kwargs["content"] = content
            if timeout is not None:
                kwargs["timeout"] = timeout
            try:
                resp = await client.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                raise NetworkError(f"{where}: {_reason(exc)}") from exc
            if resp.is_success or resp.status_code in ok_statuses:
                return resp
            err = signaling_error(
                resp.status_code,
                f"{where} -> {resp.status_code}: {_detail(resp)}",
                retry_after=parse_retry_after(resp.headers.get("Retry-After")),
            )
            wait = retries.after(err, resolver=self.has_resolver, what=where)
            if wait is None:
                raise err
            if wait > 0:
                await asyncio.sleep(wait)


class HttpSignaling:
    """An httpx client bound to one base URL with Reactor headers and error mapping."""

    def __init__(
        self,
        base_url: str,
        *,
        jwt: JwtSource | None = None,
        timeout: float = 15.0,
        client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = HttpAuth(jwt, retry)
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None
        #: session id -> the id the server's ``/sessions/{id}/...`` routes take, where they differ
        #: (a local reactor-runtime 3.x routes its one session under a fixed all-zero id).
        self.route_ids: dict[str, str] = {}

    def session_path(self, session_id: str) -> str:
        """``/sessions/{id}`` for the routes of ``session_id`` (see :attr:`route_ids`)."""
        return f"/sessions/{self.route_ids.get(session_id, session_id)}"

    @property
    def jwt(self) -> JwtSource | None:
        return self.auth.jwt

    @jwt.setter
    def jwt(self, value: JwtSource | None) -> None:
        self.auth.jwt = value

    async def headers(self, *, webrtc: bool = False, json_body: bool = False) -> dict[str, str]:
        return await self.auth.headers(webrtc=webrtc, json_body=json_body)

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        send_json: bool = False,
        webrtc: bool = False,
        ok_statuses: tuple[int, ...] = (),
        timeout: float | None = None,
    ) -> httpx.Response:
        """Send a request; non-2xx statuses not in ``ok_statuses`` raise a ``SignalingError``
        subclass (after the retries :class:`HttpAuth` allows)."""
        content = None
        if json is not None or send_json:
            content = _json.dumps(json).encode()
        return await self.auth.send(
            self._client,
            method,
            self.url(path),
            content=content,
            webrtc=webrtc,
            ok_statuses=ok_statuses,
            timeout=timeout,
        )

    async def sse_replay(
        self, path: str, *, idle: float = 0.25, limit: float = 3.0
    ) -> list[dict[str, Any]]:
        """The JSON ``data:`` payloads a Server-Sent Events route sends straight away: read until
        the stream has been quiet for ``idle`` s (or for ``limit`` s in all), for a journal that
        replays its history and then stays open for live events. Lines that are not JSON
        objects are skipped; a non-2xx answer raises like :meth:`request`."""
        events: list[dict[str, Any]] = []
        headers = await self.headers()
        headers["Accept"] = "text/event-stream"

        async def read() -> None:
            timeout = httpx.Timeout(limit, read=idle)
            async with self._client.stream(
                "GET", self.url(path), headers=headers, timeout=timeout
            ) as resp:
                if not resp.is_success:
                    await resp.aread()
                    raise signaling_error(
                        resp.status_code,
                        f"GET {safe_url(self.url(path))} -> {resp.status_code}: {_detail(resp)}",
                    )
                async for line in resp.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    try:
                        event = _json.loads(line[5:])
                    except ValueError:
                        continue
                    if isinstance(event, dict):
                        events.append(event)

        try:
            await asyncio.wait_for(read(), limit)
        except (httpx.ReadTimeout, asyncio.TimeoutError):
            pass  # quiet: the replay is over
        except httpx.HTTPError as exc:
            raise NetworkError(f"GET {safe_url(self.url(path))}: {_reason(exc)}") from exc
        return events

    async def put_bytes(self, url: str, content: bytes, *, mime_type: str) -> None:
        """PUT raw bytes to a (presigned) URL, without Reactor headers."""
        try:
            resp = await self._client.put(
                self.url(url), content=content, headers={"Content-Type": mime_type}, timeout=120.0
            )
        except httpx.HTTPError as exc:
            raise NetworkError(f"PUT {safe_url(self.url(url))}: {_reason(exc)}") from exc
        if not resp.is_success:
            raise signaling_error(
                resp.status_code, f"PUT upload -> {resp.status_code}: {_detail(resp)}"
            )

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()


def json_body(resp: httpx.Response) -> dict[str, Any]:
    """The response's JSON object (``{}`` for an empty body)."""
    if not resp.content:
        return {}
    try:
        body = resp.json()
    except ValueError as exc:
        raise ReactorError(
            f"{resp.request.method} {safe_url(str(resp.request.url))} answered {resp.status_code} "
            f"with {_detail(resp) if 'html' in resp.headers.get('content-type', '') else 'a body that is not JSON'}",
            code="DECODE_FAILED",
        ) from exc
    return body if isinstance(body, dict) else {"value": body}
