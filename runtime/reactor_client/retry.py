"""Retries: one policy, one budget per operation — the only place that decides whether a
failure is tried again.

A client retries in four places, and they nest: ``connect()`` starts over once after a
transient failure before the session exists; every HTTP request re-resolves a token
resolver and retries once after a ``401``; a ``429`` with a ``Retry-After`` the policy
accepts is waited out once; an automatic reconnect (:class:`~reactor_client.ReconnectPolicy`)
re-offers with backoff. Left alone they would multiply (two connect attempts × a 401 retry
× a 429 wait × ... per request). So every *operation* gets one :class:`RetryBudget` and
every retry, whatever its kind and however deep, takes one unit from it; an empty budget
means the failure is raised as it is:

========================================  ==============================================
operation                                 budget (retries of every kind, in total)
========================================  ==============================================
``connect()``                             ``RetryPolicy.max_retries`` (default 3)
one automatic reconnect run               ``ReconnectPolicy.max_attempts``: its attempts,
                                          a new session's joins and their 401/429 retries
a request outside those (upload, clip     ``RetryPolicy.max_retries``
download, ``DELETE``, ...)
========================================  ==============================================

The budget of the operation in progress travels in a context variable
(:func:`budget_scope`), so the HTTP layer (:mod:`reactor_client.signaling.http`) draws
on the connect's or the reconnect's budget without being handed it. Waiting for a state
the server announced — session polling (``PENDING``), the SDP answer (``202``), a local
runtime still loading its model (``503``), a clip not ready yet (``202``) — is polling,
not a retry, and is bounded by its own timeouts.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import logging
from collections.abc import Iterator

from .errors import (
    ConfigurationError,
    ConnectionError_,
    ModerationError,
    NetworkError,
    RateLimitedError,
    ReactorError,
    RequestTimeoutError,
    ServerError,
    UnauthorizedError,
)

log = logging.getLogger("reactor_client")


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """How much a client retries on its own (see the module docstring).

    ``ClientOptions(retry=RetryPolicy(...))``; ``RetryPolicy(max_retries=0)`` retries
    nothing (the reconnect policy still applies to a lost transport).
    """

    max_retries: int = 3
    """The cap: retries of every kind one operation may take in total (``connect()``: its
    own restart, token refreshes, ``Retry-After`` waits; a request outside ``connect()``
    and reconnects: its token refresh and ``Retry-After`` wait)."""
    connect_retries: int = 1
    """How often ``connect()`` starts over after a transient failure (network, 5xx, 429,
    the session lost) before the session is ready. Never when joining a ``session_id``, nor
    for a local runtime that does not answer (it is not running)."""
    connect_delay: float = 0.5
    """Seconds before ``connect()`` starts over."""
    refresh_on_unauthorized: bool = True
    """After a ``401``, call the token resolver (``jwt=`` a callable) once more and send the
    request once more. A plain string token is never retried."""
    max_wait: float = 8.0
    """The longest wait for a ``Retry-After``; a longer one is not waited out: the
    ``RateLimitedError`` is raised with its ``retry_after``."""

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.connect_retries < 0:
            raise ConfigurationError("RetryPolicy: retry counts must be >= 0")
        if self.connect_delay < 0 or self.max_wait < 0:
            raise ConfigurationError("RetryPolicy: delays must be >= 0")


DEFAULT_RETRY = RetryPolicy()


class RetryBudget:
    """The retries one operation has left (every kind takes from the same count)."""

    def __init__(self, retries: int, operation: str) -> None:
        self.left = max(0, retries)
        self.operation = operation
        #: What each retry taken was for, in order (``"401: token refreshed"``, ...).
        self.spent: list[str] = []

    def take(self, why: str) -> bool:
        """Take one retry for ``why``; False (and nothing taken) when none is left."""
        if self.left <= 0:
            log.info("%s: no retry left for %s (%s)", self.operation, why, ", ".join(self.spent))
            return False
        self.left -= 1
        self.spent.append(why)
        log.info("%s: retrying (%s); %d retry(ies) left", self.operation, why, self.left)
        return True


_CURRENT: contextvars.ContextVar[RetryBudget | None] = contextvars.ContextVar(
    "reactor_client_retry_budget", default=None
)


@contextlib.contextmanager
def budget_scope(budget: RetryBudget) -> Iterator[RetryBudget]:
    """Make ``budget`` the one every retry inside the block (and the tasks it starts)
    draws on."""
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def current_budget(policy: RetryPolicy, operation: str = "request") -> RetryBudget:
    """The budget of the operation in progress, or a new one for a lone request."""
    return _CURRENT.get() or RetryBudget(policy.max_retries, operation)


@dataclasses.dataclass
class RequestRetries:
    """The retries one HTTP request has taken (each kind at most once per request)."""

    policy: RetryPolicy
    budget: RetryBudget
    refreshed: bool = False
    waited: bool = False

    def after(self, error: ReactorError, *, resolver: bool, what: str) -> float | None:
        """Seconds to wait before sending the request again, or None to raise ``error``.

        ``401`` with a token resolver: once, at once (the resolver is called again when
        the request is rebuilt). ``429`` with a ``Retry-After`` of at most ``max_wait``:
        once, after it."""
        if (
            isinstance(error, UnauthorizedError)
            and error.status == 401
            and resolver
            and self.policy.refresh_on_unauthorized
            and not self.refreshed
            and self.budget.take(f"{what}: 401, token resolved again")
        ):
            self.refreshed = True
            return 0.0
        wait = error.retry_after
        if (
            isinstance(error, RateLimitedError)
            and wait is not None
            and wait <= self.policy.max_wait
            and not self.waited
            and self.budget.take(f"{what}: 429, Retry-After {wait:g} s")
        ):
            self.waited = True
            return wait
        return None


def connect_retryable(error: BaseException, *, session_opened: bool, local: bool = False) -> bool:
    """A failure before the session is ready that a fresh ``connect()`` may not meet again:
    the network, a 5xx, a 429, a dropped or refused transport, or (``session_opened``) the
    session lost before the transport came up (404/400 "no session", a terminal cloud
    state). Not: auth, configuration, another model, a timeout (it already took long),
    cancellation, a moderation verdict, an error its code marks unrecoverable (a codec
    the transport lacks, preset tracks that do not match), and (``local``) a local runtime
    that does not answer: it is not running, and the error says how to start one."""
    from .session.faults import session_gone  # faults imports errors only; no cycle at run time

    if not isinstance(error, ReactorError) or isinstance(error, RequestTimeoutError):
        return False
    if isinstance(error, (UnauthorizedError, ConfigurationError, ModerationError)):
        return False
    if local and isinstance(error, NetworkError):
        return False
    if isinstance(error, (ConnectionError_, ServerError, RateLimitedError)):
        return error.recoverable  # not e.g. UNSUPPORTED_CODEC, PRESET_TRACKS_MISMATCH
    return session_opened and session_gone(error)


__all__ = [
    "RetryPolicy",
    "RetryBudget",
    "RequestRetries",
    "DEFAULT_RETRY",
    "budget_scope",
    "current_budget",
    "connect_retryable",
]
