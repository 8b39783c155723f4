""":class:`ModelClient`: the base of every generated ``<Prefix>Model``."""

from __future__ import annotations

import contextlib
import functools
import typing
from pathlib import Path

import pydantic

from ..clips import Clip
from ..errors import ConfigurationError, ReactorError
from ..media.recorder import Recorder, RecordingResult
from ..options import ClientOptions, takes_options
from ..session.client import ReactorClient
from ..session.dispatch import Subscription
from ..signaling.http import JwtSource
from ..stats import ConnectionStats
from ..status import Status
from ..stepping import Generation, StepCommand, StepResult
from ..surface import load_package_surface
from ..types import Message, ModerationEvent, TrackSpec
from .expect import Expectation
from .messages import UnknownMessage, _TypedMessages
from .params import StateParams, _starting_input, step_command, validate_state
from .suggest import add_suggestions, missing_attribute

if typing.TYPE_CHECKING:
    from ..stepping import InputFrame

_M = typing.TypeVar("_M", bound=pydantic.BaseModel)
_Parsed = typing.TypeVar("_Parsed")
_Self = typing.TypeVar("_Self", bound="ModelClient[typing.Any]")


class ModelClient(typing.Generic[_Parsed]):
    """Base of every generated ``<Prefix>Model``: a :class:`ReactorClient` for one model
    with typed messages (``_Parsed``: the package's message union or
    :class:`UnknownMessage`).

    A subclass sets the class attributes ``_model_name``, ``_model_version``,
    ``_model_label`` (named in error messages), ``_tracks`` and ``_parse_message`` (a
    ``staticmethod`` turning a raw :class:`Message` into ``_Parsed``; never raises), and
    adds its typed command, listener, waiter and track members.
    """

    _model_name: typing.ClassVar[str]
    _model_version: typing.ClassVar[str]
    _model_label: typing.ClassVar[str]
    _tracks: typing.ClassVar[tuple[TrackSpec, ...]]
    _parse_message: typing.Callable[[Message], _Parsed]
    _state_params: typing.ClassVar[StateParams] = {}
    _command_names: typing.ClassVar[tuple[str, ...]] = ()
    """Set by packages older than ``_surface.json``; newer ones are read from that file."""
    _message_names: typing.ClassVar[tuple[str, ...]] = ()

    _client: ReactorClient
    _last_raw: Message | None
    _last_parsed: _Parsed | None

    if not typing.TYPE_CHECKING:  # hidden from type checkers: a typo stays a type error

        def __getattr__(self, name: str) -> typing.Any:
            """A misspelt member (``on_colour_changed``) names the one meant."""
            raise missing_attribute(self, name)

    def __init_subclass__(cls, **kwargs: typing.Any) -> None:
        """A misspelt keyword argument to a generated method names the one meant."""
        super().__init_subclass__(**kwargs)
        add_suggestions(cls)

    @takes_options(ClientOptions)
    def __init__(self, options: ClientOptions) -> None:
        """A client for this model; nothing connects until :meth:`connect` (or ``async with``).

        The keyword arguments are the fields of :class:`reactor_client.ClientOptions`
        (``url``, ``local``, ``jwt``, ``api_key``, ``codec``, ``transport``,
        ``command_timeout``, ``reconnect``, ...), each documented there. The model's tracks
        are fixed by the class (``tracks=`` must match them if given).
        """
        if options.tracks is not None and tuple(options.tracks) != self._tracks:
            raise ConfigurationError(
                f"{type(self).__name__} has the tracks {[t.name for t in self._tracks]}; "
                "tracks= cannot change them"
            )
        options = options.replace(
            tracks=self._tracks,
            starting_input=_starting_input(self._state_params, options.starting_input),
        )
        self._init_listeners(ReactorClient.from_options(self._model_name, options))

    def _init_listeners(self, client: ReactorClient) -> None:
        self._client = client
        self._last_raw = None
        self._last_parsed = None
        # Registered first, so a malformed message is reported before any listener runs.
        client.on_message(self._report_invalid)

    @classmethod
    def _surface_names(cls) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The command and message wire names, from the package's surface description
        (``_surface.json`` of the package that generated this class)."""
        if cls._command_names or cls._message_names:  # a package older than _surface.json
            return cls._command_names, cls._message_names
        owner = next((k for k in cls.__mro__ if "_model_name" in vars(k)), cls)
        package = owner.__module__.rpartition(".")[0]  # reactor_models.<pkg>
        surface = load_package_surface(package) if package else None
        if surface is None:
            return (), ()
        return surface.command_names, surface.message_names

    def __repr__(self) -> str:
        tracks = ",".join(t.name for t in self._tracks)
        commands = ",".join(self._surface_names()[0])
        return (
            f"<{type(self).__name__} {self._model_name} {self._model_version} "
            f"status={self.status.value} tracks=[{tracks}] commands=[{commands}]>"
        )

    def _repr_html_(self) -> str:
        """A notebook card: model, version, status, session, tracks, commands and messages."""
        import html

        def names(items: typing.Iterable[str]) -> str:
            return ", ".join(f"<code>{html.escape(n)}</code>" for n in items) or "none"

        outputs = [t.name for t in self._tracks if t.is_output]
        inputs = [t.name for t in self._tracks if t.is_input]
        commands, messages = self._surface_names()
        rows = [
            ("status", html.escape(self.status.value)),
            ("session", html.escape(self.session_id or "none")),
            ("output tracks", names(outputs)),
            ("input tracks", names(inputs)),
            ("commands", names(commands)),
            ("messages", names(messages)),
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{v}</td></tr>"
            for k, v in rows
        )
        title = html.escape(f"{type(self).__name__}: {self._model_name} {self._model_version}")
        return f"<div><b>{title}</b><table>{body}</table></div>"

    # -- lifecycle ----------------------------------------------------------------

    @property
    def client(self) -> ReactorClient:
        """The underlying :class:`reactor_client.ReactorClient` (escape hatch)."""
        return self._client

    @property
    def status(self) -> Status:
        """The connection status."""
        return self._client.status

    @property
    def session_id(self) -> str | None:
        """The session this client is in; another client joins it with
        ``connect(session_id=...)``. Locally, the id reactor-runtime knows the session by
        (see :attr:`reactor_client.ReactorClient.session_id`)."""
        return self._client.session_id

    async def connect(
        self,
        jwt: JwtSource | None = None,
        *,
        session_id: str | None = None,
        connection_id: int | None = None,
        generation: Generation | None = None,
        steps: int | None = None,
        starting_input: typing.Mapping[str, typing.Any] | None = None,
    ) -> None:
        """Connect and return once the session is ready.

        Args:
            jwt: Cloud auth for this connection (overrides the constructor's): a token,
                or a token resolver (a callable returning one, plain or ``async``)
                called before every request and once more after a ``401``.
            session_id: Join this existing session instead of creating one (a client that
                joins never ends the session).
            connection_id: Use this connection id (1001-9999) instead of registering one.
            generation: Overrides the constructor's ``generation`` (for a session this
                client creates).
            steps: Overrides the constructor's ``steps``.
            starting_input: Overrides the constructor's ``starting_input``.
        """
        start: dict[str, typing.Any] = {}  # only the options given (the constructor's apply)
        if generation is not None:
            start["generation"] = generation
        if steps is not None:
            start["steps"] = steps
        if starting_input is not None:
            start["starting_input"] = _starting_input(self._state_params, starting_input)
        await self._client.connect(jwt, session_id=session_id, connection_id=connection_id, **start)

    async def disconnect(self) -> None:
        """Disconnect and end the session (if this client created it)."""
        await self._client.disconnect()

    # -- stepped generation ---------------------------------------------------------

    async def _step(
        self,
        state: typing.Mapping[str, typing.Any] | None,
        commands: typing.Sequence[pydantic.BaseModel | StepCommand] | None,
        media: typing.Mapping[typing.Any, typing.Sequence[InputFrame]] | None,
        timeout: float | None,
    ) -> StepResult[typing.Any]:
        """The generated ``step()``: validate ``state`` with the ``set_<key>`` params models,
        turn ``*Params`` instances into commands, run the step."""
        wire_state = validate_state(self._state_params, state) if state else None
        wire_commands = [step_command(c) for c in commands or ()]
        return await self._client.step(wire_state, wire_commands, media, timeout=timeout)

    # -- media ----------------------------------------------------------------------

    async def record(
        self,
        path: str | Path,
        seconds: float | None = None,
        *,
        tracks: typing.Sequence[str] | None = None,
    ) -> RecordingResult:
        """Record output tracks (default: all, muxed into one file) for ``seconds``.

        ``.mp4``: H.264/AAC; ``.webm`` / ``.mkv``: the received VP8/Opus remuxed without
        decoding. See :meth:`reactor_client.ReactorClient.record`.
        """
        return await self._client.record(path, seconds, tracks=tracks)

    def recording(
        self, path: str | Path, *, tracks: typing.Sequence[str] | None = None
    ) -> contextlib.AbstractAsyncContextManager[Recorder]:
        """``async with model.recording("out.webm") as rec:`` records until the block ends."""
        return self._client.recording(path, tracks=tracks)

    async def request_clip(self, seconds: float) -> Clip:
        """The runtime's own recording of the last ``seconds``; ``await clip.download(path)``."""
        return await self._client.request_clip(seconds)

    async def request_recording(self) -> Clip:
        """The runtime's recording of the whole session so far (a :class:`~reactor_client.Clip`)."""
        return await self._client.request_recording()

    async def get_stats(self) -> ConnectionStats:
        """Connection statistics (``rtt_ms``; per track fps, bitrate, loss, jitter, frames)."""
        return await self._client.get_stats()

    async def __aenter__(self: _Self) -> _Self:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.disconnect()

    def on_status(self, callback: typing.Callable[[Status], typing.Any]) -> Subscription:
        """Call ``callback(status)`` on every status change."""
        return self._client.on_status(callback)

    def on_error(self, callback: typing.Callable[[ReactorError], typing.Any]) -> Subscription:
        """Call ``callback(error)`` for every reported error (including messages that
        do not match the schema and exceptions raised by listeners)."""
        return self._client.on_error(callback)

    def on_moderation(
        self, callback: typing.Callable[[ModerationEvent], typing.Any]
    ) -> Subscription:
        """Call ``callback(event)`` for every content-moderation notice from the platform
        (:class:`reactor_client.ModerationEvent`: ``action``, ``input_kind``, ``command``,
        ``categories``, ``message``).

        ``"warn"`` is informational; after ``"terminate"`` the session ends and pending
        commands, waiters and iterators raise :class:`reactor_client.ModerationError`.
        (A model message called ``moderation`` has the listener ``on_moderation_``.)
        """
        return self._client.on_moderation(callback)

    # -- messages -----------------------------------------------------------------

    def _parse(self, raw: Message) -> _Parsed:
        if raw is self._last_raw and self._last_parsed is not None:
            return self._last_parsed
        parsed = self._parse_message(raw)
        self._last_raw, self._last_parsed = raw, parsed
        return parsed

    def _report_invalid(self, raw: Message) -> None:
        parsed = self._parse(raw)
        if isinstance(parsed, UnknownMessage) and parsed.error is not None:
            self._client.report_error(
                ReactorError(
                    f"message {raw.type!r} does not match the {self._model_label} schema: "
                    f"{parsed.error}",
                    code="INVALID_MESSAGE",
                )
            )

    def _subscribe(
        self,
        wire_type: str,
        cls: type[_M],
        callback: typing.Callable[[_M], typing.Any],
    ) -> Subscription:
        """Deliver every valid ``wire_type`` message to ``callback`` as ``cls``."""

        @functools.wraps(callback)
        def deliver(raw: Message) -> typing.Any:
            parsed = self._parse(raw)
            if isinstance(parsed, cls):
                return callback(parsed)
            return None

        return self._client.on_message(deliver, type=wire_type)

    async def _wait_for(
        self,
        wire_type: str,
        cls: type[_M],
        predicate: typing.Callable[[_M], bool] | None,
        timeout: float | None,
    ) -> _M:
        """A valid ``wire_type`` message matching ``predicate``. Without a predicate: the
        first one that arrived after the last command this client sent (once), else the next
        one — so ``await model.cmd(); await model.wait_for_x()`` cannot miss a message the
        command caused before its acknowledgement. With a predicate, the most recent one
        already received counts too (the state already says so)."""

        def check(raw: Message) -> bool:
            parsed = self._parse(raw)
            return isinstance(parsed, cls) and (predicate is None or predicate(parsed))

        raw = await self._client.wait_for_message(
            wire_type,
            check,
            timeout=timeout,
            include_latest=predicate is not None,
            since_last_command=predicate is None,
        )
        parsed = self._parse(raw)
        assert isinstance(parsed, cls)
        return parsed

    # The hooks of the listener and waiter declarations (typed/listeners.py).

    def _typed_subscribe(
        self, wire_type: str, cls: type[_M], callback: typing.Callable[[_M], typing.Any]
    ) -> Subscription:
        return self._subscribe(wire_type, cls, callback)

    def _typed_wait(
        self,
        wire_type: str,
        cls: type[_M],
        predicate: typing.Callable[[_M], bool] | None,
        timeout: float | None,
    ) -> typing.Coroutine[typing.Any, typing.Any, _M]:
        return self._wait_for(wire_type, cls, predicate, timeout)

    def expect(
        self,
        cls: type[_M],
        predicate: typing.Callable[[_M], bool] | None = None,
        *,
        timeout: float | None = 10.0,
    ) -> Expectation[_M]:
        """Wait for a ``cls`` message registered before the command that causes it (the
        race-free form for concurrent commands)::

            async with model.expect(Configured) as configured:
                await model.configure(label="x")
            print(configured.value)

        The listener exists on entry; a clean exit waits for the message
        (``RequestTimeoutError`` after ``timeout`` seconds)."""
        return Expectation(self, cls, predicate, timeout)

    def on_message(self, callback: typing.Callable[[_Parsed], typing.Any]) -> Subscription:
        """Call ``callback(message)`` for every model message, typed
        (:class:`~reactor_client.typed.UnknownMessage` for unknown or invalid ones).

        Returns a :class:`reactor_client.Subscription`; call it to unsubscribe.
        """

        @functools.wraps(callback)
        def deliver(raw: Message) -> typing.Any:
            return callback(self._parse(raw))

        return self._client.on_message(deliver)

    def messages(self, *, maxsize: int | None = None) -> typing.AsyncIterator[_Parsed]:
        """Iterate over every model message, typed; unknown or invalid ones arrive as
        :class:`~reactor_client.typed.UnknownMessage`.

        Bounded (the oldest messages are dropped when you fall behind by ``maxsize``);
        ends when the client disconnects for good.
        """
        return _TypedMessages(self._client.messages(maxsize=maxsize), self._parse)
