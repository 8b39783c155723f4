"""What a session tells its user: status, errors, model messages and platform messages.

:class:`SessionEvents` holds the listener registries, the ``messages()`` fan-out and the
latest message of each type, and turns decoded inbound frames into user-facing
:class:`~reactor_client.Message` s (:meth:`SessionEvents.deliver`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from ..errors import ModerationError, ReactorError, RequestTimeoutError, SessionEndedError
from ..status import Status
from ..types import Message, ModerationEvent
from ..wire import Inbound
from ..wire.base import CLIP_FAILED, CLIP_READY, MODEL_SCHEMA, MODERATION, SESSION_ENDED
from .dispatch import Listeners, Subscription, listener_error
from .fanout import Fanout

log = logging.getLogger("reactor_client")

#: Platform events as ``on_runtime_message`` names them (the documented, JS-style names).
PLATFORM_MESSAGE_NAMES = {
    MODEL_SCHEMA: "modelSchema",
    CLIP_READY: "clipReady",
    CLIP_FAILED: "clipFailed",
    MODERATION: "moderation",
    SESSION_ENDED: "sessionEnded",
}


class SessionEvents:
    """Listener registries and message fan-out of one client."""

    def __init__(self, message_queue_size: int) -> None:
        self.status = Status.DISCONNECTED
        self.status_listeners: Listeners[Status] = Listeners(self.listener_failed)
        self.error_listeners: Listeners[ReactorError] = Listeners(self._error_listener_failed)
        self.message_listeners: Listeners[Message] = Listeners(self.listener_failed)
        self.platform_listeners: Listeners[Message] = Listeners(self.listener_failed)
        self.moderation_listeners: Listeners[ModerationEvent] = Listeners(self.listener_failed)
        self.messages: Fanout[Message] = Fanout(message_queue_size)
        self.latest: dict[str, Message] = {}
        #: Commands sent so far (the "since the last command" clock of waiters).
        self.commands_sent = 0
        #: Per type: the first message that arrived after the last command, and whether a
        #: waiter already returned it.
        self._first_since: dict[str, tuple[int, Message]] = {}
        self._claimed: set[int] = set()
        #: The runtime's ``session_ended`` reason once it said so (None before).
        self.session_ended: str | None = None
        #: How the platform ended this session, once it said so: a ``ModerationError`` for
        #: a ``terminate`` notice (it outranks a ``sessionEnded`` reason), else a
        #: ``SessionEndedError`` carrying the reason. None while the session lives.
        self.ended: SessionEndedError | None = None
        self._waiters: set[asyncio.Future[Message]] = set()

    # ------------------------------------------------------------------ emitting
    def set_status(self, status: Status) -> None:
        if status != self.status:
            self.status = status
            self.status_listeners.emit(status)

    def error(self, err: ReactorError) -> None:
        log.debug("reactor error: %s", err)
        self.error_listeners.emit(err)

    def listener_failed(self, exc: BaseException) -> None:
        self.error(listener_error(exc))

    def _error_listener_failed(self, exc: BaseException) -> None:
        log.error("on_error listener raised", exc_info=exc)

    def deliver(self, inbound: Inbound) -> None:
        """Hand a decoded frame to the listeners it concerns (model or platform messages)."""
        if inbound.type is None:
            return
        if inbound.source == "model":
            msg = Message(inbound.type, inbound.data)
            self.latest[inbound.type] = msg
            first = self._first_since.get(inbound.type)
            if first is None or first[0] != self.commands_sent:
                self._first_since[inbound.type] = (self.commands_sent, msg)
            elif inbound.is_response and id(first[1]) not in self._claimed:
                # a correlated reply is the message the command caused: it wins over a
                # periodic broadcast of the same type that happened to arrive first
                self._first_since[inbound.type] = (self.commands_sent, msg)
            self.message_listeners.emit(msg, inbound.type)
            self.messages.publish(msg)
        elif inbound.source == "platform":
            event: ModerationEvent | None = None
            if inbound.type == SESSION_ENDED:
                reason = str(inbound.data.get("reason") or "")
                self.session_ended = reason or "the session ended"
                if not isinstance(self.ended, ModerationError):  # a verdict outranks it
                    self.ended = SessionEndedError(
                        f"the platform ended the session: {self.session_ended}",
                        reason=reason or None,
                    )
            elif inbound.type == MODERATION:
                event = ModerationEvent.from_json(inbound.data)
                if event.terminates:
                    self.ended = moderation_error(event)
                    self.session_ended = self.ended.message
            name = PLATFORM_MESSAGE_NAMES.get(inbound.type, inbound.type)
            self.platform_listeners.emit(Message(name, inbound.data))
            if event is not None:
                self.moderation_listeners.emit(event)

    def new_session(self) -> None:
        """A session starts: forget the previous one's latest messages and end reason."""
        self.latest.clear()
        self._first_since.clear()
        self._claimed.clear()
        self.session_ended = None
        self.ended = None

    def fail_waiters(self, error: BaseException) -> None:
        """Make every pending ``wait_for_message`` raise ``error`` (the session is over)."""
        for fut in list(self._waiters):
            if not fut.done():
                fut.set_exception(error)

    def note_command(self) -> None:
        """A command is about to be sent: messages from now on may be its effects."""
        self.commands_sent += 1
        self._claimed.clear()

    def _since_last_command(
        self, type: str, predicate: Callable[[Message], bool] | None
    ) -> Message | None:
        """The first ``type`` message that arrived after the last command, unless a waiter
        already returned it or it does not match ``predicate``."""
        first = self._first_since.get(type)
        if first is None or first[0] != self.commands_sent or self.commands_sent == 0:
            return None
        msg = first[1]
        if id(msg) in self._claimed or (predicate is not None and not predicate(msg)):
            return None
        return msg

    # ------------------------------------------------------------------ waiting
    async def wait_for_message(
        self,
        type: str,
        predicate: Callable[[Message], bool] | None,
        timeout: float | None,
        include_latest: bool,
        since_last_command: bool = False,
    ) -> Message:
        latest = self.latest.get(type) if include_latest else None
        if latest is not None and (predicate is None or predicate(latest)):
            return latest
        if since_last_command:
            caused = self._since_last_command(type, predicate)
            if caused is not None:
                self._claimed.add(id(caused))
                return caused
        fut: asyncio.Future[Message] = asyncio.get_running_loop().create_future()

        def check(msg: Message) -> None:
            if not fut.done() and (predicate is None or predicate(msg)):
                fut.set_result(msg)

        if self.ended is not None:
            raise self.ended
        sub = self.message_listeners.add(check, type)
        self._waiters.add(fut)
        try:
            msg = await asyncio.wait_for(fut, timeout)
            if since_last_command:
                self._claimed.add(id(msg))
            return msg
        except asyncio.TimeoutError:
            raise RequestTimeoutError(f"no {type!r} message within {timeout} s") from None
        finally:
            self._waiters.discard(fut)
            sub.unsubscribe()

    def subscribe_messages(self, maxsize: int | None) -> AsyncIterator[Message]:
        return self.messages.subscribe(maxsize)

    def on_message(self, callback: Callable[[Message], Any], type: str | None) -> Subscription:
        return self.message_listeners.add(callback, type)


def moderation_error(event: ModerationEvent) -> ModerationError:
    """The error a ``terminate`` notice ends the session with."""
    what = [f"command {event.command}"] if event.command else []
    if event.input_kind:
        what.append(f"{event.input_kind} input")
    if event.categories:
        what.append("categories " + ", ".join(event.categories))
    detail = f" ({'; '.join(what)})" if what else ""
    text = event.message or "the session was terminated due to a policy violation"
    return ModerationError(f"content moderation ended the session: {text}{detail}", event=event)


__all__ = ["SessionEvents", "PLATFORM_MESSAGE_NAMES", "moderation_error"]
