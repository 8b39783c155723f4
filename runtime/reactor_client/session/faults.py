"""How the client reads failures at its boundaries: which URL is a local runtime, what an
unreachable runtime or a wrong model should tell the user, and which reconnect errors are
permanent (the session is gone) rather than transient (network, 5xx, timeouts)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..errors import (
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ConnectionError_,
    ModelMismatchError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ReactorError,
    RequestTimeoutError,
    ServerError,
    SessionEndedError,
    SessionTerminalError,
    SignalingError,
    UnauthorizedError,
)

START_RUNTIME_HINT = (
    "start one in the model's directory with `PORT={port} python -m reactor_runtime.serve`"
)


def start_runtime_hint(url: str) -> str:
    """How to start a runtime that ``url`` would reach (its port; 8080 when none is given)."""
    port = urlsplit(url).port or 8080
    return START_RUNTIME_HINT.format(port=port)


def with_scheme(url: str, *, local: bool) -> str:
    """``url`` with a scheme: a bare ``host:port`` (or host) of a local runtime becomes
    ``http://host:port``; a cloud URL without one is a :class:`ConfigurationError`."""
    if "://" in url:
        return url
    if local or is_local_address(f"http://{url}"):
        return f"http://{url}"
    raise ConfigurationError(
        f"url {url!r} has no scheme: write https://{url} (the Reactor API), or "
        f"http://{url} for a local runtime"
    )


def is_local_address(url: str) -> bool:
    """Whether ``url`` points at this machine or a private network (loopback, RFC 1918,
    link-local, ``*.local``): where a local ``reactor-runtime`` lives, never the cloud."""
    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "") or host.endswith((".localhost", ".local")):
        return bool(host)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def unreachable(exc: NetworkError, url: str, *, defaulted: bool) -> NetworkError:
    """``exc`` re-worded for a local runtime nobody answers at ``url``."""
    where = f"{url} (the default for local=True; pass url= for another)" if defaulted else url
    err = NetworkError(
        f"no reactor-runtime answered at {where}: {exc.message.rstrip('.')}. Is it running? "
        f"{start_runtime_hint(url)}",
        status=exc.status,
    )
    err.__cause__ = exc
    return err


def not_a_runtime(exc: ReactorError, url: str) -> ReactorError:
    """``exc`` (a 404/405 to ``/start_session``) re-worded: something answers at ``url``,
    but it is not a reactor-runtime 3.x."""
    err = SignalingError(
        f"the server at {url} is not a reactor-runtime: it answered {exc.message} to "
        f"POST /start_session (is the URL or the port right? {start_runtime_hint(url)})",
        code="NOT_A_RUNTIME",
        status=exc.status,
    )
    err.__cause__ = exc
    return err


def check_model(
    descriptor: Mapping[str, Any], expected: str, url: str, version: str | None
) -> None:
    """Raise :class:`ModelMismatchError` when the session descriptor names another model."""
    model = descriptor.get("model")
    served = str(model.get("name") or "") if isinstance(model, Mapping) else ""
    if served and served != expected:
        what = f"{served} {version}" if version else served
        raise ModelMismatchError(
            f"the server at {url} serves {what}, not {expected}: use the SDK generated for "
            f"{served}, or point this client at a server running {expected}"
        )


def session_gone(exc: ReactorError) -> bool:
    """Whether a failed (re-)offer means the session no longer exists."""
    if isinstance(exc, (SessionEndedError, SessionTerminalError)):
        return True
    if isinstance(exc, NotFoundError):
        return True
    return isinstance(exc, BadRequestError) and "no session" in exc.message.lower()


def as_session_ended(exc: ReactorError, session_id: str | None) -> SessionEndedError:
    err = SessionEndedError(
        f"session {session_id} no longer exists ({exc.message or exc.code}); "
        "connect() starts a new one (the model's state is not carried over)"
    )
    err.__cause__ = exc
    return err


def transient(exc: ReactorError) -> bool:
    """Worth retrying with backoff: the network, a 5xx, a timeout, a transport that dropped."""
    if isinstance(exc, (UnauthorizedError, ConfigurationError)) or session_gone(exc):
        return False
    return isinstance(
        exc, (ConnectionError_, ServerError, RequestTimeoutError, RateLimitedError, ConflictError)
    )


__all__ = [
    "is_local_address",
    "unreachable",
    "check_model",
    "session_gone",
    "as_session_ended",
    "transient",
    "START_RUNTIME_HINT",
    "not_a_runtime",
    "start_runtime_hint",
    "with_scheme",
]
