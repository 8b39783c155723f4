"""Exception hierarchy of the runtime core (docs/runtime-api.md, "Errors")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .types import ModerationEvent

_RECOVERABLE = frozenset(
    {
        "DISCONNECTED",
        "NETWORK_ERROR",
        "REQUEST_TIMEOUT",
        "TRANSPORT_ERROR",
        "RATE_LIMITED",
        "SERVER_ERROR",
    }
)


class ReactorError(Exception):
    """Base class of every error raised or reported by ``reactor_client``."""

    default_code = "INTERNAL_ERROR"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        recoverable: bool | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code: str = code or self.default_code
        self.recoverable: bool = self.code in _RECOVERABLE if recoverable is None else recoverable
        self.status: int | None = status
        self.retry_after: float | None = retry_after

    def __str__(self) -> str:
        return f"{self.message} ({self.code})" if self.message else self.code


class ConfigurationError(ReactorError):
    """Bad constructor arguments or missing authentication."""

    default_code = "INVALID_ARGUMENT"


class ModelMismatchError(ConfigurationError):
    """The server serves a different model than this client was built for."""

    default_code = "MODEL_MISMATCH"


class InvalidStateError(ReactorError):
    """The operation is not allowed in the client's current state (e.g. command before READY)."""

    default_code = "INVALID_STATE"


class CommandValidationError(ReactorError, ValueError):
    """Command arguments rejected client-side before sending."""

    default_code = "INVALID_ARGUMENT"

    def __init__(
        self, command: str, errors: list[str] | tuple[str, ...], message: str | None = None
    ) -> None:
        self.command = command
        self.errors = list(errors)
        super().__init__(message or f"invalid arguments for {command!r}: " + "; ".join(self.errors))


class MessageTooLargeError(ReactorError):
    """A serialized frame exceeds the negotiated data-channel message size."""

    default_code = "MESSAGE_TOO_LARGE"

    def __init__(self, message: str = "", *, size: int = 0, limit: int = 0, **kw: Any) -> None:
        super().__init__(message or f"message of {size} bytes exceeds the {limit}-byte limit", **kw)
        self.size = size
        self.limit = limit


class ConnectionError_(ReactorError):
    """Common base of connection-level failures (network, transport, disconnect)."""

    default_code = "CONNECTION_ERROR"


class SignalingError(ReactorError):
    """An HTTP signaling call failed."""

    default_code = "SIGNALING_ERROR"


class UnauthorizedError(SignalingError):
    default_code = "UNAUTHORIZED"


class NotFoundError(SignalingError):
    default_code = "NOT_FOUND"


class ConflictError(SignalingError):
    default_code = "CONFLICT"


class RateLimitedError(SignalingError):
    default_code = "RATE_LIMITED"


class BadRequestError(SignalingError):
    default_code = "BAD_REQUEST"


class ServerError(SignalingError):
    default_code = "SERVER_ERROR"


class VersionMismatchError(SignalingError):
    default_code = "VERSION_MISMATCH"


class NetworkError(SignalingError, ConnectionError_):
    default_code = "NETWORK_ERROR"


class SessionTerminalError(ReactorError):
    """The cloud session reached a terminal state (INACTIVE/CLOSED)."""

    default_code = "SESSION_TERMINAL"


class TransportError(ConnectionError_):
    """WebRTC negotiation, ICE or the ready gate failed."""

    default_code = "TRANSPORT_ERROR"


class DisconnectedError(ConnectionError_):
    """Pending work failed because the transport went away."""

    default_code = "DISCONNECTED"


class SessionEndedError(DisconnectedError):
    """The session no longer exists (the runtime restarted, the session was stopped or it
    ended on its own): reconnecting to it cannot work; connect to a new session instead.

    ``reason`` is the platform's own words when it said why (the ``sessionEnded`` notice,
    e.g. ``"Session ended: the requested steps are complete."``), else None.
    """

    default_code = "SESSION_ENDED"

    def __init__(self, message: str = "", *, reason: str | None = None, **kw: Any) -> None:
        kw.setdefault("recoverable", False)
        super().__init__(message, **kw)
        self.reason = reason


class ModerationError(SessionEndedError):
    """Content moderation ended the session (a ``terminate`` notice).

    ``event`` is the :class:`~reactor_client.ModerationEvent`; ``categories``,
    ``command`` and ``input_kind`` repeat its fields (empty when the platform did not
    attribute the verdict). Never replaced by a new session, whatever the
    ``ReconnectPolicy`` says.
    """

    default_code = "MODERATED"

    def __init__(
        self, message: str = "", *, event: ModerationEvent | None = None, **kw: Any
    ) -> None:
        kw.setdefault("reason", event.message if event is not None else None)
        super().__init__(message, **kw)
        self.event = event
        self.categories: tuple[str, ...] = event.categories if event is not None else ()
        self.command: str = event.command if event is not None else ""
        self.input_kind: str = event.input_kind if event is not None else ""


class RequestTimeoutError(ReactorError, TimeoutError):
    """A request got no reply in time."""

    default_code = "REQUEST_TIMEOUT"


class PublishRefusedError(ReactorError):
    """The runtime refused to grant the publisher slot of an input track."""

    default_code = "publish_refused"


class CommandFailedError(ReactorError):
    """The runtime or the model refused a command; ``code`` is the wire code."""

    default_code = "command_failed"

    def __init__(
        self, message: str = "", *, code: str | None = None, command: str = "", **kw: Any
    ) -> None:
        super().__init__(message, code=code, recoverable=False, **kw)
        self.command = command

    def __str__(self) -> str:
        return f"command {self.command!r} failed ({self.code}): {self.message}"


class InvalidCommandError(CommandFailedError):
    default_code = "invalid_command"


class UnresolvedUploadError(CommandFailedError):
    default_code = "unresolved_upload"


class InternalModelError(CommandFailedError):
    default_code = "internal_error"


_COMMAND_ERRORS: dict[str, type[CommandFailedError]] = {
    "invalid_command": InvalidCommandError,
    "unresolved_upload": UnresolvedUploadError,
    "internal_error": InternalModelError,
}


def command_error(command: str, code: str, message: str) -> CommandFailedError:
    """Build the typed error for a command error reply with wire ``code``."""
    cls = _COMMAND_ERRORS.get(code, CommandFailedError)
    return cls(message, code=code or "command_failed", command=command)


_STATUS_ERRORS: dict[int, type[SignalingError]] = {
    401: UnauthorizedError,
    403: UnauthorizedError,
    404: NotFoundError,
    409: ConflictError,
    426: VersionMismatchError,
    429: RateLimitedError,
    501: VersionMismatchError,
}


def signaling_error(
    status: int, message: str, *, retry_after: float | None = None
) -> SignalingError:
    """Map an HTTP status to the matching ``SignalingError`` subclass."""
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else BadRequestError
    return cls(message, status=status, retry_after=retry_after)


# ----------------------------------------------------------------------------- stepped generation
class StepError(ReactorError):
    """A step request that did not produce a result (base of the ``Step*Error`` classes).

    ``failure_code`` is the wire's ``StepFailureCode`` name (``REFUSED``, ``NOT_READY``,
    ``FAILED``, ``RESULT_TOO_LARGE``, ``COMMAND_FAILED``); ``entry`` names the part of the
    request at fault (``state.<key>``, ``commands[<i>]``, ``media_input[<i>]``) when the
    runtime says; ``step``/``elapsed_seconds`` are set only for a step that ran
    (:attr:`ran`).
    """

    default_code = "step_failed"
    failure_code = "FAILED"

    def __init__(
        self,
        message: str = "",
        *,
        entry: str | None = None,
        step: int | None = None,
        elapsed_seconds: float | None = None,
        command_code: str | None = None,
        **kw: Any,
    ) -> None:
        kw.setdefault("recoverable", False)
        super().__init__(message, **kw)
        self.entry = entry
        self.step = step
        self.elapsed_seconds = elapsed_seconds
        self.command_code = command_code

    @property
    def ran(self) -> bool:
        """True when the model ran the step (it has a number) and reported a failure."""
        return self.step is not None

    def __str__(self) -> str:
        where = f" at {self.entry}" if self.entry else ""
        number = f" (step {self.step})" if self.step is not None else ""
        return f"step {self.failure_code}{where}{number}: {self.message}"


class StepRefusedError(StepError):
    """The runtime refused the request before running anything (unknown command, bad
    arguments, a frame it cannot take, a session that does not step...); nothing changed."""

    default_code = "step_refused"
    failure_code = "REFUSED"


class StepNotReadyError(StepError):
    """The session is not running a step yet."""

    default_code = "step_not_ready"
    failure_code = "NOT_READY"


class StepFailedError(StepError):
    """The step ran (``step`` is its number) and the model reported a failure."""

    default_code = "step_failed"
    failure_code = "FAILED"


class StepResultTooLargeError(StepError):
    """The step ran but its result is larger than the connection takes in one message."""

    default_code = "step_result_too_large"
    failure_code = "RESULT_TOO_LARGE"


class StepCommandFailedError(StepError):
    """A state key or command of the request failed (``entry`` names it, ``command_code`` is
    the handler's code); later calls were skipped, earlier ones are not undone, and the step
    did not run."""

    default_code = "step_command_failed"
    failure_code = "COMMAND_FAILED"

    def __str__(self) -> str:
        code = f" ({self.command_code})" if self.command_code else ""
        return f"step COMMAND_FAILED at {self.entry or '?'}{code}: {self.message}"


__all__ = [
    "ReactorError",
    "ModelMismatchError",
    "SessionEndedError",
    "ModerationError",
    "ConfigurationError",
    "InvalidStateError",
    "CommandValidationError",
    "MessageTooLargeError",
    "ConnectionError_",
    "SignalingError",
    "UnauthorizedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitedError",
    "BadRequestError",
    "ServerError",
    "VersionMismatchError",
    "NetworkError",
    "SessionTerminalError",
    "TransportError",
    "DisconnectedError",
    "RequestTimeoutError",
    "PublishRefusedError",
    "CommandFailedError",
    "InvalidCommandError",
    "UnresolvedUploadError",
    "InternalModelError",
    "command_error",
    "signaling_error",
    "StepError",
    "StepRefusedError",
    "StepNotReadyError",
    "StepFailedError",
    "StepResultTooLargeError",
    "StepCommandFailedError",
]
