"""``ClientOptions``: the one definition of a client's connection options.

Every constructor that connects — :class:`~reactor_client.ReactorClient`, the generated
``<Prefix>Model`` classes (through :class:`~reactor_client.typed.ModelClient`) and their
blocking twins (:class:`~reactor_client.sync.SyncModel`) — takes exactly these options as
keyword arguments. Their signatures are derived from this dataclass by
:func:`takes_options`, so type checkers and IDEs see every option with its type and
default (``Model(lcoal=True)`` is a type error), and a mistyped option raises a
``TypeError`` naming the class that was called.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import random
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, TypeVar

from .errors import ConfigurationError
from .retry import DEFAULT_RETRY, RetryPolicy
from .signaling.http import JwtSource
from .stepping import Generation
from .suggestions import check_keywords
from .types import TrackSpec

if TYPE_CHECKING:
    from aiortc import RTCIceServer

    from .transport.base import TransportFactory
    from .wire.base import Codec

CodecMode = Literal["auto", "v0", "v1"]
TransportChoice = str

_P = ParamSpec("_P")
_S = TypeVar("_S")


@dataclasses.dataclass(frozen=True)
class ReconnectPolicy:
    """Automatic reconnect after an unexpected transport loss (exponential backoff with jitter)."""

    max_attempts: int = 5
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.2
    #: When the session itself is gone (the runtime restarted or stopped it): ``"fail"`` at
    #: once with ``SessionEndedError``, or ``"new_session"``: connect to a fresh session and
    #: report ``SESSION_RESTARTED`` through ``on_error`` (the model's state was lost).
    on_session_ended: Literal["fail", "new_session"] = "fail"

    def delay(self, attempt: int) -> float:
        """Delay before attempt ``attempt`` (1-based)."""
        base = min(self.initial_delay * 2.0 ** (attempt - 1), self.max_delay)
        return max(0.0, base * (1 + random.uniform(-self.jitter, self.jitter)))


@dataclasses.dataclass(frozen=True, kw_only=True)
class ClientOptions:
    """How a client connects; nothing connects until ``connect()`` (or ``async with``).

    Pass the fields as keyword arguments to any client constructor
    (``LongliveV2Model(local=True, codec="v1")``), or build one and reuse it with
    ``Model(**options.as_kwargs())``.
    """

    url: str | None = None
    """Base URL of a local runtime or of the Reactor API. A localhost or private-network
    URL given without ``jwt``/``api_key`` is a local runtime."""
    local: bool = False
    """Talk to a local ``reactor-runtime`` (default URL ``reactor_client.LOCAL_API_URL``,
    ``http://localhost:8080``)."""
    jwt: JwtSource | None = None
    """Cloud auth: a JWT, or a token resolver — a callable returning one, plain or
    ``async`` — called before every request to the Reactor API and once more after a
    ``401`` (that request is then sent once more)."""
    api_key: str | None = None
    """Cloud auth for server-side use: mint tokens with this key."""
    tracks: Sequence[TrackSpec] | None = None
    """The tracks to expect (``None``: whatever the session declares). A generated model
    class sets its own."""
    codec: CodecMode | Codec = "auto"
    """Data-channel codec: ``"auto"`` (v1 when the runtime speaks it), ``"v0"``, ``"v1"``,
    or a codec object (see :mod:`reactor_client.wire`)."""
    transport: TransportChoice | TransportFactory | None = None
    """The WebRTC engine: ``"aiortc"`` (pure Python), ``"native"`` (libwebrtc, needs
    ``reactor-client[native]``), ``"auto"`` (native where it imports, else aiortc), or a
    transport factory object (see :mod:`reactor_client.transport`). ``None``: the
    ``REACTOR_TRANSPORT`` environment variable (same values), else ``"aiortc"``."""
    ice_servers: Sequence[RTCIceServer | dict[str, Any]] | None = None
    """ICE servers (default: the cloud's; none for a local runtime)."""
    command_timeout: float = 10.0
    """Seconds a command waits for its reply."""
    auto_resume_tracks: bool = True
    """Ask the runtime to start sending every output track once connected (it sends
    nothing until asked)."""
    reconnect: ReconnectPolicy | None = None
    """Reconnect automatically after a transport loss; ``None``: do not."""
    frame_queue_size: int = 2
    """Frames each frame consumer buffers (oldest dropped first)."""
    message_queue_size: int = 256
    """Messages each ``messages()`` iterator buffers."""
    frame_metadata: bool = False
    """Offer per-frame metadata (``reactor_client.frame_metadata``). Off by default: with it
    on, reactor-runtime 3.10.0's libwebrtc can abort the whole server process
    (docs/known-issues.md), so only turn it on when you read it."""
    early_frame_release: bool = True
    """Hand a video frame to the decoder on its RTP marker bit instead of when the next
    frame starts (one frame interval less latency), and give up a hole NACK could not fill
    within 1 s with a key frame request instead of freezing until 512 packets pile up
    (aiortc transport; ``False`` keeps aiortc's own jitter buffer)."""
    generation: Generation | None = None
    """``"stepped"`` starts a stepped session (no stream; call ``step()``), ``"streamed"``
    (the runtime's default) a streamed one."""
    steps: int | None = None
    """The runtime ends the session after this many completed steps (1-10000)."""
    starting_input: Mapping[str, Any] | None = None
    """``{"state": {...}, "commands": [...]}``, applied before any client connects."""
    dc_chunking: bool | None = None
    """Offer data-channel chunking (messages up to 64 MiB); ``None``: only for stepped
    sessions, which need it."""
    retry: RetryPolicy = DEFAULT_RETRY
    """What the client retries on its own, under one cap per operation (``connect()``'s
    restart, token refreshes after a ``401``, ``Retry-After`` waits): see
    :class:`reactor_client.RetryPolicy`."""

    def __post_init__(self) -> None:
        if isinstance(self.codec, str) and self.codec not in ("auto", "v0", "v1"):
            raise ConfigurationError(f"codec must be 'auto', 'v0' or 'v1', not {self.codec!r}")
        if self.frame_queue_size < 1 or self.message_queue_size < 1:
            raise ConfigurationError("queue sizes must be >= 1")
        if not self.command_timeout > 0:
            raise ConfigurationError(f"command_timeout must be > 0, not {self.command_timeout!r}")
        if self.tracks is not None:
            object.__setattr__(self, "tracks", tuple(self.tracks))

    def as_kwargs(self) -> dict[str, Any]:
        """The options as keyword arguments (only those that differ from the defaults)."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != f.default
        }

    def replace(self, **changes: Any) -> ClientOptions:
        """A copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The option names, in declaration order."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def build(cls, owner: str, kwargs: Mapping[str, Any]) -> ClientOptions:
        """``ClientOptions(**kwargs)``, with a ``TypeError`` naming ``owner`` (the class the
        user called) for an unknown option, as Python would for its own signature."""
        check_keywords(f"{owner}.__init__", kwargs, cls.names())
        return cls(**kwargs)


def _signature(*leading: str) -> inspect.Signature:
    params = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_ONLY) for name in leading]
    params += list(inspect.signature(ClientOptions).parameters.values())
    return inspect.Signature(params, return_annotation=None)


def _collect(owner: str, leading: int, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    if len(args) != leading:
        expected = f"{leading} positional argument" + ("s" if leading != 1 else "")
        raise TypeError(f"{owner}.__init__() takes {expected} and keyword options only")


def takes_options(
    build: Callable[_P, ClientOptions],
) -> Callable[[Callable[[_S, ClientOptions], None]], Callable[Concatenate[_S, _P], None]]:
    """Give ``__init__(self, options)`` the keyword signature of :class:`ClientOptions`.

    Type checkers see ``__init__(self, *, url=..., local=..., ...)`` (``build`` is
    ``ClientOptions`` itself, whose signature ``_P`` captures); at run time the keywords
    are checked and collected into one :class:`ClientOptions`. An unknown keyword raises
    ``TypeError: <Class>.__init__() got an unexpected keyword argument ...``.
    """

    def decorate(init: Callable[[_S, ClientOptions], None]) -> Callable[Concatenate[_S, _P], None]:
        def __init__(__self: _S, *args: _P.args, **kwargs: _P.kwargs) -> None:
            owner = type(__self).__name__
            _collect(owner, 0, args, kwargs)
            init(__self, ClientOptions.build(owner, kwargs))

        functools.update_wrapper(__init__, init, assigned=("__module__", "__qualname__", "__doc__"))
        __init__.__signature__ = _signature("self")  # type: ignore[attr-defined]
        return __init__

    return decorate


def takes_name_and_options(
    build: Callable[_P, ClientOptions],
) -> Callable[[Callable[[_S, str, ClientOptions], None]], Callable[Concatenate[_S, str, _P], None]]:
    """:func:`takes_options` for ``__init__(self, model_name, options)`` (model name positional)."""

    def decorate(
        init: Callable[[_S, str, ClientOptions], None],
    ) -> Callable[Concatenate[_S, str, _P], None]:
        def __init__(__self: _S, *args: Any, **kwargs: Any) -> None:
            owner = type(__self).__name__
            _collect(owner, 1, args, kwargs)
            init(__self, args[0], ClientOptions.build(owner, kwargs))

        functools.update_wrapper(__init__, init, assigned=("__module__", "__qualname__", "__doc__"))
        __init__.__signature__ = _signature("self", "model_name")  # type: ignore[attr-defined]
        return __init__

    return decorate


__all__ = [
    "ClientOptions",
    "ReconnectPolicy",
    "takes_options",
    "takes_name_and_options",
    "CodecMode",
]
