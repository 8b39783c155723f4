""":class:`SyncModel`: the blocking twin of :class:`reactor_client.typed.ModelClient`, base of
every generated ``reactor_models.<model>.sync.<Prefix>Model``."""

from __future__ import annotations

import contextlib
import functools
import typing
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pydantic

from ..errors import ReactorError
from ..media.recorder import RecordingResult
from ..options import ClientOptions, takes_options
from ..session.dispatch import Subscription
from ..session.fanout import DropOldestQueue
from ..signaling.http import JwtSource
from ..stats import ConnectionStats
from ..status import Status
from ..stepping import Generation
from ..typed import Expectation, ModelClient, _TypedMessages
from ..typed.suggest import add_suggestions, missing_attribute
from ..types import ModerationEvent
from .loop import LoopThread
from .tracks import SyncClip, SyncInputTrack, SyncOutputTrack, SyncRecorder

__all__ = ["SyncModel"]

_A = typing.TypeVar("_A", bound=ModelClient[typing.Any])
_T = typing.TypeVar("_T")
_M = typing.TypeVar("_M", bound=pydantic.BaseModel)
_Self = typing.TypeVar("_Self", bound="SyncModel[typing.Any]")


class SyncModel(typing.Generic[_A]):
    """A model client whose every call blocks: ``with Model(local=True) as model: ...``.

    One event loop runs in a daemon thread per instance (:class:`LoopThread`); the async
    model (``.aio``, an instance of the generated async class) lives on it. Listeners
    (``on_<message>``, ``on_status``, ``on_error``, ``on_frame``) run on that thread.
    A subclass sets ``_async_class`` and adds the typed command, listener, waiter and track
    members.
    """

    _async_class: typing.ClassVar[type[ModelClient[typing.Any]]]

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
        """A blocking client for this model; nothing connects until :meth:`connect` (or
        ``with``). The keyword arguments are the fields of
        :class:`reactor_client.ClientOptions`, as for the async class."""
        self._loop = LoopThread(name=f"{type(self).__name__}-loop")
        try:
            self._aio = typing.cast(_A, self._loop.call(self._async_class, **options.as_kwargs()))
        except BaseException:
            self._loop.close()
            raise
        # An instance dropped (or alive at interpreter exit) without close() still ends its
        # session and stops its thread; the finalizer holds the loop and the async model,
        # never ``self``.
        self._finalizer = weakref.finalize(self, _shutdown, self._loop, self._aio, True)
        self._outputs: dict[str, SyncOutputTrack[typing.Any]] = {}
        self._inputs: dict[str, SyncInputTrack] = {}

    # -- plumbing -------------------------------------------------------------------

    @property
    def aio(self) -> _A:
        """The async model this wraps (use it only from coroutines run on :attr:`loop`)."""
        return self._aio

    @property
    def loop(self) -> LoopThread:
        """The background loop every call runs on."""
        return self._loop

    def _run(self, coro: typing.Coroutine[typing.Any, typing.Any, _T]) -> _T:
        return self._loop.run(coro)

    def _listen(
        self, register: Callable[..., Subscription], callback: Callable[..., typing.Any]
    ) -> Subscription:
        return self._loop.subscription(self._loop.call(register, callback))

    def _listener_decorator(
        self, register: Callable[..., Subscription]
    ) -> Callable[[typing.Any], typing.Any]:
        """The decorator form of a listener, as ``sync.py`` of packages generated before
        reactor-client 0.2.2 calls it (``@model.on_x()``); newer packages use the shared
        declarations below. Kept until 0.3."""

        def decorate(callback: typing.Any) -> typing.Any:
            self._listen(register, callback)
            return callback

        return decorate

    # The hooks of the listener and waiter declarations (typed/listeners.py): the same
    # declarations as the async model, run through the loop thread.

    def _typed_subscribe(
        self, wire_type: str, cls: type[typing.Any], callback: Callable[..., typing.Any]
    ) -> Subscription:
        return self._listen(functools.partial(self._aio._subscribe, wire_type, cls), callback)

    def _typed_wait(
        self,
        wire_type: str,
        cls: type[typing.Any],
        predicate: Callable[..., bool] | None,
        timeout: float | None,
    ) -> typing.Any:
        return self._run(self._aio._wait_for(wire_type, cls, predicate, timeout))

    def _output_track(self, name: str) -> SyncOutputTrack[typing.Any]:
        track = self._outputs.get(name)
        if track is None:
            track = self._outputs[name] = SyncOutputTrack(
                self._aio.client.output_track(name), self._loop
            )
        return track

    def _input_track(self, name: str) -> SyncInputTrack:
        track = self._inputs.get(name)
        if track is None:
            track = self._inputs[name] = SyncInputTrack(
                self._aio.client.input_track(name), self._loop
            )
        return track

    def __repr__(self) -> str:
        return repr(self._aio)

    def _repr_html_(self) -> str:
        return self._aio._repr_html_()

    # -- lifecycle ----------------------------------------------------------------

    @property
    def status(self) -> Status:
        """The connection status."""
        return self._aio.status

    @property
    def session_id(self) -> str | None:
        """The session this client is in (another client joins with ``connect(session_id=...)``).

        On a local reactor-runtime 3.x, the id the runtime knows the session by (its log, its
        recordings), not the fixed all-zero id of its routes; a session another program started
        is known by that fixed id during its first 5 s (docs/known-issues.md)."""
        return self._aio.session_id

    def connect(
        self,
        jwt: JwtSource | None = None,
        *,
        session_id: str | None = None,
        connection_id: int | None = None,
        generation: Generation | None = None,
        steps: int | None = None,
        starting_input: typing.Mapping[str, typing.Any] | None = None,
    ) -> None:
        """Connect and return once the session is ready (the options of the async
        ``connect``; a ``jwt`` resolver, plain or ``async``, runs on the model's loop
        thread)."""
        self._run(
            self._aio.connect(
                jwt,
                session_id=session_id,
                connection_id=connection_id,
                generation=generation,
                steps=steps,
                starting_input=starting_input,
            )
        )

    def disconnect(self) -> None:
        """Disconnect and end the session (if this client created it)."""
        self._run(self._aio.disconnect())

    def close(self) -> None:
        """Disconnect (when connected) and stop the background loop; idempotent. The
        instance cannot be used afterwards. From inside a listener it schedules both and
        returns at once."""
        self._close(quiet=False)

    def _close(self, *, quiet: bool) -> None:
        if self._finalizer.detach() is not None:
            _shutdown(self._loop, self._aio, quiet)

    def __enter__(self: _Self) -> _Self:
        try:
            self.connect()
        except BaseException:
            self._close(quiet=True)  # the connect error is the one to see
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        # with an exception in the block, a failing disconnect must not replace it
        self._close(quiet=exc_type is not None)

    def on_status(self, callback: Callable[[Status], typing.Any]) -> Subscription:
        """Call ``callback(status)`` on every status change (on the loop thread)."""
        return self._listen(self._aio.on_status, callback)

    def on_error(self, callback: Callable[[ReactorError], typing.Any]) -> Subscription:
        """Call ``callback(error)`` for every reported error (on the loop thread)."""
        return self._listen(self._aio.on_error, callback)

    def on_moderation(self, callback: Callable[[ModerationEvent], typing.Any]) -> Subscription:
        """Call ``callback(event)`` for every content-moderation notice (on the loop
        thread); after a ``"terminate"`` blocking calls and iterators raise
        :class:`reactor_client.ModerationError`."""
        return self._listen(self._aio.on_moderation, callback)

    # -- media ----------------------------------------------------------------------

    def record(
        self, path: str | Path, seconds: float | None = None, *, tracks: Sequence[str] | None = None
    ) -> RecordingResult:
        """Record output tracks (default: all, muxed into one file) for ``seconds``;
        ``.mp4`` (H.264/AAC) or ``.webm``/``.mkv`` (remuxed without decoding)."""
        return self._run(self._aio.record(path, seconds, tracks=tracks))

    @contextlib.contextmanager
    def recording(
        self, path: str | Path, *, tracks: Sequence[str] | None = None
    ) -> Iterator[SyncRecorder]:
        """``with model.recording("out.webm") as rec:`` records until the block ends;
        ``rec.result`` then says what was written."""
        manager = self._loop.call(self._aio.recording, path, tracks=tracks)
        recorder = SyncRecorder(self._run(manager.__aenter__()), self._loop)
        try:
            yield recorder
        except BaseException as exc:
            if not self._run(manager.__aexit__(type(exc), exc, exc.__traceback__)):
                raise
        else:
            self._run(manager.__aexit__(None, None, None))

    @contextlib.contextmanager
    def expect(
        self,
        cls: type[_M],
        predicate: Callable[[_M], bool] | None = None,
        *,
        timeout: float | None = 10.0,
    ) -> Iterator[Expectation[_M]]:
        """``with model.expect(Configured) as configured: model.configure(...)`` registers
        before the block runs and waits for the message when it ends (see the async
        :meth:`~reactor_client.typed.ModelClient.expect`); the predicate runs on the loop
        thread."""
        expectation = self._aio.expect(cls, predicate, timeout=timeout)
        self._run(expectation.__aenter__())
        try:
            yield expectation
        except BaseException as exc:
            self._run(expectation.__aexit__(type(exc), exc, exc.__traceback__))
            raise
        else:
            self._run(expectation.__aexit__(None, None, None))

    def request_clip(self, seconds: float) -> SyncClip:
        """The runtime's own recording of the last ``seconds``; ``clip.download(path)``."""
        return SyncClip(self._run(self._aio.request_clip(seconds)), self._loop)

    def request_recording(self) -> SyncClip:
        """The runtime's recording of the whole session so far."""
        return SyncClip(self._run(self._aio.request_recording()), self._loop)

    def get_stats(self) -> ConnectionStats:
        """Connection statistics (``rtt_ms``; per track fps, bitrate, loss, jitter, frames)."""
        return self._run(self._aio.get_stats())

    # -- messages -----------------------------------------------------------------

    def _messages(self, maxsize: int | None) -> Iterator[typing.Any]:
        raw = typing.cast(  # what ReactorClient.messages() returns; subscribed now
            "DropOldestQueue[typing.Any]",
            self._loop.call(self._aio.client.messages, maxsize=maxsize),
        )
        # parsed on the loop (the parse cache is the loop's); leaving the loop early unsubscribes
        return self._loop.iterate(
            _TypedMessages(raw, self._aio._parse),
            on_close=raw.unsubscribe,
        )


def _shutdown(loop: LoopThread, aio: ModelClient[typing.Any], quiet: bool) -> None:
    """End ``aio``'s session and stop ``loop`` (``quiet``: a failing disconnect is not raised)."""
    if loop.closed:
        return
    if loop.on_loop_thread:  # close() from a listener: finish on the loop, after it returns

        async def later() -> None:
            try:
                await aio.disconnect()
            except Exception:  # noqa: BLE001 - nobody is left to receive it
                pass
            finally:
                loop.close()

        loop.loop.create_task(later())
        return
    try:
        if aio.status is not Status.DISCONNECTED:
            loop.run(aio.disconnect())
    except Exception:
        if not quiet:
            raise
    finally:
        loop.close()
