"""Per-item retries of the batch runner: the one place that says which failures of an item are
tried again, and how long to wait first.

An item is one whole session (connect, the user's function, disconnect), so a retry here is a
new session. Which failures qualify is the error taxonomy's: :func:`reactor_client.session.faults.transient`
(the network, a 5xx, a timeout, a dropped transport, a ``429``, a ``409``), plus
:class:`ItemTimeoutError` and whatever ``retry_on`` adds. The wait is the client's own
reconnect backoff (:class:`reactor_client.ReconnectPolicy`: exponential, with jitter), never
shorter than a ``Retry-After`` the server sent.

The client's retries inside one ``connect()`` (a single HTTP request waited out or sent again)
are below this and unchanged by it; when the client gains its one retry policy for connect,
401 and 429, this module is the only one of the batch runner to adapt to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ..errors import ConfigurationError, ReactorError
from ..options import ReconnectPolicy
from ..session.faults import transient

#: The backoff between attempts of an item: 1 s, 2 s, 4 s, ... up to 30 s, +/- 20 %.
ITEM_BACKOFF = ReconnectPolicy(initial_delay=1.0, max_delay=30.0, jitter=0.2)


class ItemTimeoutError(ReactorError):
    """One attempt of an item took longer than the runner's ``timeout``."""

    default_code = "ITEM_TIMEOUT"


@dataclasses.dataclass(frozen=True)
class ItemRetry:
    """How often an item is tried and how long the runner waits between tries.

    ``ItemRetry(attempts=1)`` tries every item once.
    """

    attempts: int = 3
    """Tries per item, the first one included."""
    backoff: ReconnectPolicy = ITEM_BACKOFF
    """Delay before try ``n + 1`` is ``backoff.delay(n)`` (its ``max_attempts`` is unused)."""
    max_retry_after: float = 300.0
    """A ``Retry-After`` longer than this is not waited out: the item fails with the
    ``RateLimitedError``."""
    retry_on: Callable[[BaseException], bool] | None = None
    """Also retry an exception this returns True for (e.g. your own function's transient
    errors); the taxonomy's transient errors are retried either way."""

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ConfigurationError(f"ItemRetry: attempts must be >= 1, not {self.attempts!r}")
        if self.max_retry_after < 0:
            raise ConfigurationError("ItemRetry: max_retry_after must be >= 0")

    def retryable(self, error: BaseException) -> bool:
        """Whether a failed try of an item is worth another session."""
        if self.retry_on is not None and self.retry_on(error):
            return True
        if isinstance(error, ItemTimeoutError):
            return True
        if not isinstance(error, ReactorError) or not transient(error):
            return False
        return (error.retry_after or 0.0) <= self.max_retry_after

    def delay(self, attempt: int, error: BaseException) -> float:
        """Seconds to wait after failed try ``attempt`` (1-based) before the next one."""
        wait = self.backoff.delay(attempt)
        retry_after = getattr(error, "retry_after", None)
        if isinstance(retry_after, (int, float)) and retry_after > 0:
            wait = max(wait, float(retry_after))
        return wait


def retry_after(error: BaseException) -> float | None:
    """The server's ``Retry-After`` carried by ``error`` (a ``429``), if any."""
    value = getattr(error, "retry_after", None)
    return float(value) if isinstance(value, (int, float)) and value > 0 else None


__all__ = ["ITEM_BACKOFF", "ItemRetry", "ItemTimeoutError", "retry_after"]
