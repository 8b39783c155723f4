"""``ReconnectSupervisor``: what happens when a live transport is lost.

Without a :class:`~reactor_client.ReconnectPolicy` (or before the session was ever
ready) the session ends and iterators raise ``DisconnectedError``. With one, the
supervisor re-offers on the same connection with backoff, stops at once when the session
itself is gone, and — with ``on_session_ended="new_session"`` — joins a fresh session.

When the platform ends the session itself (a ``sessionEnded`` notice, or a moderation
``terminate``), the supervisor ends it for good at once with the notice's error
(``SessionEndedError`` with the reason, ``ModerationError``): no reconnect is tried.
Under ``on_session_ended="new_session"`` a ``sessionEnded`` notice is followed by a new
session, a moderation verdict never is.
"""

from __future__ import annotations

import asyncio
import logging

from ..errors import DisconnectedError, ModerationError, ReactorError, SessionEndedError
from ..retry import RetryBudget, budget_scope, current_budget
from ..status import Status
from .connection import Connection
from .context import SessionContext
from .faults import transient
from .lifecycle import Lifecycle

log = logging.getLogger("reactor_client")

#: After a ``sessionEnded`` / ``terminate`` notice, how long the client waits for the
#: runtime to close the connection before ending the session itself.
ENDED_GRACE = 1.0


class ReconnectSupervisor:
    """Watches the connection of one client and reconnects by its policy."""

    def __init__(self, ctx: SessionContext, lifecycle: Lifecycle) -> None:
        self._ctx = ctx
        self._lifecycle = lifecycle
        self.task: asyncio.Task[None] | None = None
        self._ended_timer: asyncio.TimerHandle | None = None
        lifecycle.on_lost = self.on_lost
        lifecycle.on_ended = self.on_ended

    def cancel(self) -> None:
        """Stop a reconnect in progress (unless called from it)."""
        if self._ended_timer is not None:
            self._ended_timer.cancel()
            self._ended_timer = None
        if self.task is not None and self.task is not asyncio.current_task():
            self.task.cancel()
            self.task = None

    def on_lost(self, conn: Connection, reason: str) -> None:
        ctx, lifecycle = self._ctx, self._lifecycle
        if ctx.status == Status.DISCONNECTED:
            return
        if lifecycle.reconnecting and ctx.status != Status.READY:
            return  # the attempt in progress fails on its own and the loop goes on
        if ctx.events.ended is not None and ctx.status == Status.READY:
            self._end_now(conn, ctx.events.ended)  # the platform said the session is over
            return
        err = DisconnectedError(f"transport lost: {reason}")
        conn.abandon(err)
        was_ready = ctx.status == Status.READY
        log.warning("transport to %s lost: %s", ctx.url, reason)
        ctx.events.error(err)
        policy = ctx.options.reconnect
        if policy is not None and was_ready and ctx.connection_id is not None:
            self.task = asyncio.ensure_future(self._run(err))
        else:
            lifecycle.lose(conn, err)

    def on_ended(self, conn: Connection, err: SessionEndedError) -> None:
        """A ``sessionEnded`` or moderation ``terminate`` notice arrived. The runtime closes
        the connection right after it, and what it sent before on the other channel (a
        step's result, a command's reply) may still be on its way, so the session ends
        when the transport goes (:meth:`on_lost`), or after :data:`ENDED_GRACE` seconds
        if it does not."""
        if self._ended_timer is not None:
            self._ended_timer.cancel()
        self._ended_timer = asyncio.get_running_loop().call_later(
            ENDED_GRACE, self._end_now, conn, err
        )

    def _end_now(self, conn: Connection, err: SessionEndedError) -> None:
        """End the session the platform ended (``err`` says how), or, for a
        ``sessionEnded`` notice under ``on_session_ended="new_session"``, join a new one."""
        if self._ended_timer is not None:
            self._ended_timer.cancel()
            self._ended_timer = None
        ctx, lifecycle = self._ctx, self._lifecycle
        if ctx.status != Status.READY or conn is not ctx.connection or conn.dead or conn.closed:
            # connecting or reconnecting: that attempt fails on its own; the transport's
            # loss, when it comes, is read as this end (see on_lost)
            return
        log.warning("session %s ended by the platform: %s", ctx.session_id, err.message)
        ctx.events.error(err)
        policy = ctx.options.reconnect
        restart = (
            policy is not None
            and policy.on_session_ended == "new_session"
            and not isinstance(err, ModerationError)
        )
        if restart:
            conn.abandon(err)
            self.cancel()
            self.task = asyncio.ensure_future(self._replace_session(err))
        else:
            lifecycle.session_over(conn, err)

    async def _replace_session(self, ended: SessionEndedError) -> None:
        policy = self._ctx.options.reconnect
        assert policy is not None
        self._lifecycle.reconnecting = True
        try:
            with budget_scope(RetryBudget(policy.max_attempts, "new session")):
                await self._lifecycle.teardown(end_session=False, final=False)
                await self._restart_session(ended)
        finally:
            self._lifecycle.reconnecting = False

    async def _run(self, cause: DisconnectedError) -> None:
        """Retry transient failures with backoff; stop at once when the session is gone."""
        policy = self._ctx.options.reconnect
        assert policy is not None
        self._lifecycle.reconnecting = True
        try:
            # one budget for the run: its attempts, a new session's joins and every 401/429
            # retry inside them (reactor_client.retry)
            with budget_scope(RetryBudget(policy.max_attempts, "reconnect")) as budget:
                await self._loop(cause, budget)
        finally:
            self._lifecycle.reconnecting = False
            if self._ctx.status != Status.READY and self._ctx.session_id is None:
                self._ctx.events.set_status(Status.DISCONNECTED)

    async def _loop(self, cause: DisconnectedError, budget: RetryBudget) -> None:
        ctx, lifecycle = self._ctx, self._lifecycle
        policy = ctx.options.reconnect
        assert policy is not None
        await lifecycle.teardown(end_session=False, final=False)
        last: ReactorError = cause
        attempts = 0
        for attempt in range(1, policy.max_attempts + 1):
            if not budget.take(f"reconnect attempt {attempt}"):
                break  # the attempts' own 401/429 retries used the rest
            delay = max(policy.delay(attempt), min(last.retry_after or 0.0, policy.max_delay))
            log.warning(
                "reconnect attempt %d/%d to session %s in %.1f s",
                attempt,
                policy.max_attempts,
                ctx.session_id,
                delay,
            )
            await asyncio.sleep(delay)
            attempts = attempt
            try:
                await lifecycle.reconnect()
                return
            except asyncio.CancelledError:
                raise
            except ReactorError as exc:
                last = exc
                if not transient(exc):
                    break
        if ctx.events.ended is not None:  # the platform's own words say more than a 400
            last = ctx.events.ended
        if (
            isinstance(last, SessionEndedError)
            and not isinstance(last, ModerationError)
            and policy.on_session_ended == "new_session"
        ):
            await self._restart_session(last)
            return
        if isinstance(last, SessionEndedError):
            final: DisconnectedError = last
        else:
            final = DisconnectedError(
                f"{cause.message}; gave up after {attempts} reconnect attempt(s): {last}"
            )
        log.warning("reconnect failed for good: %s", final)
        await lifecycle.teardown(end_session=False, final=True, error=final)

    async def _join_new(self, ended: SessionEndedError) -> None:
        """Join a new session; a transient failure (the runtime still restarting) is tried
        again with the policy's backoff while the run's budget lasts."""
        ctx, lifecycle = self._ctx, self._lifecycle
        policy = ctx.options.reconnect
        assert policy is not None
        budget = current_budget(ctx.options.retry)
        attempt = 0
        while True:
            try:
                await lifecycle.join(None, None, ctx.start_options)
                return
            except ReactorError as exc:
                attempt += 1
                if not (transient(exc) and budget.take(f"new session: {exc}")):
                    raise
                await lifecycle.teardown(end_session=True, final=False)
                await asyncio.sleep(policy.delay(attempt))

    async def _restart_session(self, ended: SessionEndedError) -> None:
        """``on_session_ended="new_session"``: join a fresh session; iterators carry on."""
        ctx, lifecycle = self._ctx, self._lifecycle
        old = ctx.session_id
        ctx.session_id = ctx.connection_id = None
        ctx.created_session = False
        try:
            await self._join_new(ended)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - reported below
            await lifecycle.teardown(
                end_session=True,
                final=True,
                error=DisconnectedError(f"{ended.message}; starting a new session failed: {exc}"),
            )
            return
        notice = ReactorError(
            f"session {old} ended ({ended.message}); connected to a new session "
            f"{ctx.session_id}: the model's state was lost",
            code="SESSION_RESTARTED",
            recoverable=True,
        )
        log.warning("%s", notice.message)
        ctx.events.error(notice)


__all__ = ["ReconnectSupervisor", "ENDED_GRACE"]
