"""The one retry policy (``reactor_client.retry``) at the HTTP layer, on httpx's mock
transport: a 401 re-resolves a token resolver once, a 429 waits out an acceptable
Retry-After once, and however they mix, one operation's budget caps them all. The same rules
through the coordinator stand-in and a real runtime: ``tests/runtime/test_token_refresh_e2e.py``."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import httpx
import pytest

from reactor_client import (
    ConfigurationError,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    UnauthorizedError,
)
from reactor_client.retry import RetryBudget, budget_scope, connect_retryable
from reactor_client.signaling.http import HttpSignaling


def signaling(
    answers: Callable[[httpx.Request], httpx.Response],
    jwt: object,
    retry: RetryPolicy | None = None,
) -> tuple[HttpSignaling, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers(request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return HttpSignaling("http://api.test", jwt=jwt, client=client, retry=retry), seen  # type: ignore[arg-type]


def tokens() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"t{next(counter)}"


def auth(request: httpx.Request) -> str:
    return request.headers.get("authorization", "")


async def test_a_401_resolves_the_token_again_and_retries_once() -> None:
    http, seen = signaling(
        lambda r: httpx.Response(401 if auth(r) == "Bearer t1" else 200, json={}), tokens()
    )
    resp = await http.request("GET", "/sessions/s")
    assert resp.status_code == 200
    assert [auth(r) for r in seen] == ["Bearer t1", "Bearer t2"]


async def test_an_async_resolver_is_awaited_per_request() -> None:
    calls = 0

    async def resolver() -> str:
        nonlocal calls
        calls += 1
        return f"a{calls}"

    http, seen = signaling(lambda r: httpx.Response(200, json={}), resolver)
    await http.request("GET", "/x")
    await http.request("GET", "/x")
    assert [auth(r) for r in seen] == ["Bearer a1", "Bearer a2"]


async def test_a_plain_token_and_a_403_are_not_retried() -> None:
    http, seen = signaling(lambda r: httpx.Response(401, json={"detail": "expired"}), "static")
    with pytest.raises(UnauthorizedError, match="expired"):
        await http.request("GET", "/x")
    assert len(seen) == 1
    http, seen = signaling(lambda r: httpx.Response(403, json={}), tokens())
    with pytest.raises(UnauthorizedError):
        await http.request("GET", "/x")
    assert len(seen) == 1


async def test_the_resolver_is_asked_once_more_only() -> None:
    http, seen = signaling(lambda r: httpx.Response(401, json={}), tokens())
    with pytest.raises(UnauthorizedError):
        await http.request("GET", "/x")
    assert [auth(r) for r in seen] == ["Bearer t1", "Bearer t2"]


async def test_retry_after_is_waited_once_within_max_wait() -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "0.05"}), httpx.Response(200)])
    http, seen = signaling(lambda r: next(answers), None)
    assert (await http.request("POST", "/sessions")).status_code == 200
    assert len(seen) == 2
    http, seen = signaling(lambda r: httpx.Response(429, headers={"Retry-After": "9"}), None)
    with pytest.raises(RateLimitedError) as caught:
        await http.request("POST", "/sessions")  # 9 s > max_wait 8 s: raised, not waited
    assert caught.value.retry_after == 9 and len(seen) == 1
    http, seen = signaling(lambda r: httpx.Response(503), None)
    with pytest.raises(ServerError):
        await http.request("POST", "/sessions")  # a 5xx is connect()'s to retry, not the request's
    assert len(seen) == 1


async def test_one_budget_caps_every_kind_of_retry() -> None:
    """401 and 429 alternate forever: each request takes its refresh and its wait, but one
    operation's budget ends the series, however many requests it sends."""
    state = itertools.count()

    def answers(request: httpx.Request) -> httpx.Response:
        if next(state) % 2 == 0:
            return httpx.Response(401)
        return httpx.Response(429, headers={"Retry-After": "0"})

    http, seen = signaling(answers, tokens())
    budget = RetryBudget(3, "connect")
    with budget_scope(budget):
        with pytest.raises((UnauthorizedError, RateLimitedError)):
            await http.request("POST", "/sessions")  # 401, refresh, 429, wait, 401 -> raised
        assert len(seen) == 3 and budget.left == 1
        with pytest.raises((UnauthorizedError, RateLimitedError)):
            await http.request("POST", "/sessions")  # the second request gets one retry only
    assert len(seen) == 5 and budget.left == 0
    assert [why.split(": ")[-1].split(",")[0] for why in budget.spent] == ["401", "429", "429"]
    # outside an operation each request has a budget of its own (max_retries)
    http, seen = signaling(answers, tokens(), RetryPolicy(max_retries=0))
    with pytest.raises((UnauthorizedError, RateLimitedError)):
        await http.request("POST", "/sessions")
    assert len(seen) == 1


async def test_a_resolver_returning_no_string_is_a_clear_error() -> None:
    http, _ = signaling(lambda r: httpx.Response(200), lambda: 42)
    with pytest.raises(ConfigurationError, match="jwt resolver returned int, not a str"):
        await http.request("GET", "/x")


def test_policy_checks_and_what_connect_retries() -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(max_retries=-1)
    from reactor_client import (
        BadRequestError,
        ModerationError,
        NetworkError,
        RequestTimeoutError,
        TransportError,
    )

    assert connect_retryable(NetworkError("down"), session_opened=False)
    # a local runtime that does not answer is not running: the error says how to start one
    assert not connect_retryable(NetworkError("refused"), session_opened=False, local=True)
    assert connect_retryable(ServerError("503", status=503), session_opened=False)
    assert connect_retryable(RateLimitedError("429", status=429), session_opened=False)
    assert connect_retryable(TransportError("ice failed"), session_opened=True)
    lost = BadRequestError("No session running", status=400)
    assert connect_retryable(lost, session_opened=True)
    assert not connect_retryable(lost, session_opened=False)
    assert not connect_retryable(UnauthorizedError("401", status=401), session_opened=False)
    assert not connect_retryable(RequestTimeoutError("slow"), session_opened=True)
    assert not connect_retryable(ModerationError("verdict"), session_opened=True)
    assert not connect_retryable(ConfigurationError("bad"), session_opened=False)
