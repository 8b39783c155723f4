"""Server-side helper: mint a JWT from an API key with ``POST /tokens``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from ..errors import NetworkError, ReactorError, signaling_error

DEFAULT_API_URL = "https://api.reactor.inc"


def token_request(
    *,
    models: Sequence[str] | None = None,
    sessions: Sequence[str] | None = None,
    max_sessions: int | None = None,
    max_session_duration_seconds: int | None = None,
    expires_after: int | None = None,
) -> dict[str, Any] | None:
    """The ``POST /tokens`` body (``None`` → JSON ``null`` for an unscoped token)."""
    body: dict[str, Any] = {}
    if models or sessions or max_sessions is not None or max_session_duration_seconds is not None:
        resources: dict[str, Any] = {"models": {"match": list(models)} if models else {"all": True}}
        if sessions:
            resources["sessions"] = {"bind": list(sessions)}
        detail: dict[str, Any] = {"type": "session", "resources": resources}
        constraints: dict[str, Any] = {}
        if max_sessions is not None:
            constraints["max_sessions"] = max_sessions
        if max_session_duration_seconds is not None:
            constraints["max_session_duration_seconds"] = max_session_duration_seconds
        if constraints:
            detail["constraints"] = constraints
        body["authorization_details"] = [detail]
    if expires_after is not None:
        body["expires_after"] = expires_after
    return body or None


def _request_args(
    api_key: str, api_url: str, body: dict[str, Any] | None
) -> tuple[str, dict[str, str], bytes]:
    import json

    if not api_key:
        raise ReactorError("an API key is required to mint a token", code="UNAUTHORIZED")
    headers = {"Reactor-API-Key": api_key, "Content-Type": "application/json"}
    return f"{api_url.rstrip('/')}/tokens", headers, json.dumps(body).encode()


def _jwt(resp: httpx.Response) -> str:
    if not resp.is_success:
        raise signaling_error(
            resp.status_code, f"POST /tokens -> {resp.status_code}: {resp.text[:300]}"
        )
    try:
        token = resp.json().get("jwt")
    except (ValueError, AttributeError) as exc:
        raise ReactorError("POST /tokens returned no JSON", code="DECODE_FAILED") from exc
    if not token:
        raise ReactorError("POST /tokens returned no jwt", code="DECODE_FAILED")
    return str(token)


def fetch_jwt(
    api_key: str,
    api_url: str = DEFAULT_API_URL,
    *,
    models: Sequence[str] | None = None,
    sessions: Sequence[str] | None = None,
    max_sessions: int | None = None,
    max_session_duration_seconds: int | None = None,
    expires_after: int | None = None,
    timeout: float = 15.0,
) -> str:
    """Mint a JWT (sync). Server-side only: never ship an API key to an untrusted client."""
    body = token_request(
        models=models,
        sessions=sessions,
        max_sessions=max_sessions,
        max_session_duration_seconds=max_session_duration_seconds,
        expires_after=expires_after,
    )
    url, headers, content = _request_args(api_key, api_url, body)
    try:
        resp = httpx.post(url, headers=headers, content=content, timeout=timeout)
    except httpx.HTTPError as exc:
        raise NetworkError(f"POST /tokens: {exc}") from exc
    return _jwt(resp)


async def afetch_jwt(
    api_key: str,
    api_url: str = DEFAULT_API_URL,
    *,
    models: Sequence[str] | None = None,
    sessions: Sequence[str] | None = None,
    max_sessions: int | None = None,
    max_session_duration_seconds: int | None = None,
    expires_after: int | None = None,
    timeout: float = 15.0,
) -> str:
    """Mint a JWT (async). Same arguments as :func:`fetch_jwt`."""
    body = token_request(
        models=models,
        sessions=sessions,
        max_sessions=max_sessions,
        max_session_duration_seconds=max_session_duration_seconds,
        expires_after=expires_after,
    )
    url, headers, content = _request_args(api_key, api_url, body)
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            resp = await client.post(url, headers=headers, content=content)
    except httpx.HTTPError as exc:
        raise NetworkError(f"POST /tokens: {exc}") from exc
    return _jwt(resp)
