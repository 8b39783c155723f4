"""reactor_client.batch without a server: sessions are the feature model's generated fake
(``FakeFeatureModel``, the real model class over the in-memory runtime), so the runner's
own rules are checked fast: the concurrency bound, retries of transient failures only, typed
errors per item, the Retry-After gate, the URL pool, timeouts, the results file and resuming,
and cancellation ending every session. tests/scaling/test_batch_e2e.py does it on real
runtimes."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
from reactor_models.feature_model.testing import FakeFeatureModel

import reactor_client
from reactor_client import ReconnectPolicy
from reactor_client.batch import (
    BatchError,
    ItemRetry,
    ItemStatus,
    ItemTimeoutError,
    NoRuntimeLeftError,
    TokenBucket,
    TransientItemError,
    run_batch,
    run_item_sync,
)

FAST = ItemRetry(attempts=3, backoff=ReconnectPolicy(initial_delay=0.01, max_delay=0.02))


class Sessions:
    """A factory of fakes that records every session it built."""

    def __init__(self) -> None:
        self.made: list[tuple[Any, str | None, FakeFeatureModel]] = []

    def __call__(self, item: Any, url: str | None) -> FakeFeatureModel:
        model = FakeFeatureModel()
        self.made.append((item, url, model))
        return model

    def all_ended(self) -> bool:
        return all(m.status is reactor_client.Status.DISCONNECTED for _, _, m in self.made)


async def test_concurrency_bound_and_input_order() -> None:
    live = peak = 0

    async def work(model: FakeFeatureModel, n: int) -> int:
        nonlocal live, peak
        assert model.status is reactor_client.Status.READY  # connected by the runner
        live += 1
        peak = max(peak, live)
        await asyncio.sleep(0.02 * (n % 3))
        live -= 1
        return n * n

    sessions = Sessions()
    result = await run_batch(work, range(10), factory=sessions, concurrency=3, progress=False)
    assert peak == 3
    assert [r.value for r in result] == [n * n for n in range(10)]
    assert [r.index for r in result] == list(range(10))
    assert all(r.status is ItemStatus.OK and r.attempts == 1 for r in result)
    assert len(sessions.made) == 10 and sessions.all_ended()
    assert result.summary().startswith("10 of 10 items ok")
    result.raise_for_failures()


async def test_transient_failures_retried_others_reported_typed() -> None:
    tries: dict[str, int] = {}

    async def work(model: FakeFeatureModel, name: str) -> str:
        tries[name] = tries.get(name, 0) + 1
        if name == "flaky" and tries[name] == 1:
            raise reactor_client.DisconnectedError("transport lost")
        if name == "always-lost":
            raise reactor_client.DisconnectedError("transport lost again")
        if name == "bug":
            raise ValueError("a bug in the app")
        if name == "refused":
            model.fail_command("fail", "model_busy")  # script the fake: the model refuses
            await model.fail(code="model_busy")
        return name.upper()

    sessions = Sessions()
    result = await run_batch(
        work,
        ["ok", "flaky", "always-lost", "bug", "refused"],
        factory=sessions,
        retry=FAST,
        progress=False,
    )
    by_key = {r.key: r for r in result}
    assert by_key["ok"].value == "OK" and by_key["ok"].attempts == 1
    assert by_key["flaky"].status is ItemStatus.OK and by_key["flaky"].attempts == 2
    lost = by_key["always-lost"]
    assert lost.status is ItemStatus.FAILED and lost.attempts == 3
    assert isinstance(lost.error, reactor_client.DisconnectedError)
    bug = by_key["bug"]
    assert bug.status is ItemStatus.FAILED and bug.attempts == 1  # not transient: not retried
    assert isinstance(bug.error, ValueError) and bug.error_line == "ValueError: a bug in the app"
    refused = by_key["refused"]
    assert isinstance(refused.error, reactor_client.CommandFailedError)
    assert refused.error.code == "model_busy" and refused.attempts == 1
    assert len(result.ok) == 2 and len(result.failed) == 3
    assert sessions.all_ended() and len(sessions.made) == 1 + 2 + 3 + 1 + 1
    with pytest.raises(BatchError, match=r"2 of 5 items ok, 3 failed .*always-lost"):
        result.raise_for_failures()


async def test_retry_after_holds_back_every_start() -> None:
    starts: list[float] = []
    failed_at: list[float] = []

    def factory(item: str, url: str | None) -> FakeFeatureModel:
        starts.append(time.monotonic())
        return FakeFeatureModel()

    async def work(model: FakeFeatureModel, name: str) -> str:
        if name == "a" and not failed_at:
            failed_at.append(time.monotonic())
            raise reactor_client.RateLimitedError("too many sessions", status=429, retry_after=0.4)
        await asyncio.sleep(0.05)
        return name

    result = await run_batch(
        work, ["a", "b", "c", "d"], factory=factory, concurrency=2, retry=FAST, progress=False
    )
    assert [r.status for r in result] == [ItemStatus.OK] * 4
    assert result.items[0].attempts == 2
    later = [s for s in starts if s > failed_at[0]]
    assert later and min(later) - failed_at[0] >= 0.39  # no start of the run inside the hold


async def test_rate_limit_longer_than_the_cap_is_not_waited() -> None:
    async def work(model: FakeFeatureModel, name: str) -> str:
        raise reactor_client.RateLimitedError("slow down", status=429, retry_after=3600)

    retry = ItemRetry(attempts=3, max_retry_after=60)
    result = await run_batch(work, ["a"], factory=Sessions(), retry=retry, progress=False)
    (item,) = result
    assert item.status is ItemStatus.FAILED and item.attempts == 1
    assert isinstance(item.error, reactor_client.RateLimitedError)


async def test_url_pool_lends_each_url_to_one_session_and_sets_dead_ones_aside() -> None:
    in_use: set[str] = set()
    seen: list[str] = []

    async def work_on(url: str, n: int) -> int:
        assert url not in in_use
        in_use.add(url)
        seen.append(url)
        try:
            if url == "http://dead":
                raise reactor_client.NetworkError("no reactor-runtime answered at http://dead")
            await asyncio.sleep(0.01)
            return n
        finally:
            in_use.discard(url)

    urls = ["http://dead", "http://a", "http://b"]
    models: dict[int, str] = {}

    def tracking_factory(item: int, url: str | None) -> FakeFeatureModel:
        assert url is not None
        models[item] = url
        return FakeFeatureModel()

    async def tracked(model: FakeFeatureModel, n: int) -> int:
        return await work_on(models[n], n)

    result = await run_batch(
        tracked, range(8), factory=tracking_factory, urls=urls, retry=FAST, progress=False
    )
    assert [r.value for r in result] == list(range(8))
    assert seen.count("http://dead") == 2  # set aside after two in a row
    assert sum(r.attempts for r in result) == 8 + 2


async def test_no_runtime_left_fails_the_items_not_the_run() -> None:
    async def work(model: FakeFeatureModel, n: int) -> int:
        raise reactor_client.NetworkError("no reactor-runtime answered")

    result = await run_batch(
        work, range(3), factory=Sessions(), urls=["http://dead"], retry=FAST, progress=False
    )
    assert all(r.status is ItemStatus.FAILED for r in result)
    assert any(isinstance(r.error, NoRuntimeLeftError) for r in result)
    assert "no runtime left" in str([r.error_line for r in result])


async def test_timeout_fails_the_try_and_is_retried() -> None:
    tries = 0

    async def work(model: FakeFeatureModel, n: int) -> int:
        nonlocal tries
        tries += 1
        if tries == 1:
            await asyncio.sleep(10)
        return n

    sessions = Sessions()
    result = await run_batch(work, [1], factory=sessions, timeout=0.2, retry=FAST, progress=False)
    (item,) = result
    assert item.ok and item.attempts == 2
    assert sessions.all_ended()

    async def slow(model: FakeFeatureModel, n: int) -> int:
        await asyncio.sleep(10)
        return n

    result = await run_batch(
        slow, [1], factory=Sessions(), timeout=0.1, retry=ItemRetry(attempts=1), progress=False
    )
    assert isinstance(result.items[0].error, ItemTimeoutError)
    assert "timeout=0.1 s" in result.items[0].error_line


async def test_results_file_resumes_skipping_items_done(tmp_path: Path) -> None:
    path = tmp_path / "out" / "results.jsonl"
    calls: list[str] = []

    async def first(model: FakeFeatureModel, name: str) -> dict[str, Any]:
        calls.append(name)
        if name == "c":
            raise ValueError("c is broken")
        return {"name": name, "session": model.session_id}

    result = await run_batch(
        first, ["a", "b", "c"], factory=Sessions(), results=path, progress=False
    )
    assert [r.status for r in result] == [ItemStatus.OK, ItemStatus.OK, ItemStatus.FAILED]
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert sorted(line["key"] for line in lines) == ["a", "b", "c"]
    failure = next(line for line in lines if line["key"] == "c")
    assert failure["ok"] is False and failure["error"]["type"] == "ValueError"
    assert failure["error"]["message"] == "c is broken"

    # a killed run can leave a torn last line: ignored, and not glued to the next one
    with path.open("a") as f:
        f.write('{"key": "d", "ok": tr')
    calls.clear()

    async def second(model: FakeFeatureModel, name: str) -> dict[str, Any]:
        calls.append(name)
        return {"name": name}

    result = await run_batch(
        second, ["a", "b", "c", "d"], factory=Sessions(), results=path, progress=False
    )
    assert sorted(calls) == ["c", "d"]  # a and b were done
    statuses = {r.key: r.status for r in result}
    assert statuses == {
        "a": ItemStatus.DONE_BEFORE,
        "b": ItemStatus.DONE_BEFORE,
        "c": ItemStatus.OK,
        "d": ItemStatus.OK,
    }
    assert result.items[0].value["name"] == "a"  # the value, read back from the file
    assert len(result.done_before) == 2 and len(result.ok) == 4
    assert '{"key": "d", "ok": tr\n' in path.read_text()  # the torn line ends where it was


async def test_values_that_are_not_json_fail_their_item_only(tmp_path: Path) -> None:
    async def work(model: FakeFeatureModel, name: str) -> Any:
        return object() if name == "odd" else {"fine": True}

    result = await run_batch(
        work, ["odd", "even"], factory=Sessions(), results=tmp_path / "r.jsonl", progress=False
    )
    assert result.items[0].status is ItemStatus.FAILED
    assert "cannot be written" in result.items[0].error_line
    assert result.items[1].ok


async def test_cancellation_ends_every_session() -> None:
    sessions = Sessions()
    connected = asyncio.Event()
    ready = 0

    async def work(model: FakeFeatureModel, n: int) -> int:
        nonlocal ready
        ready += 1
        if ready == 3:
            connected.set()
        await asyncio.sleep(3600)
        return n

    task = asyncio.ensure_future(
        run_batch(work, range(6), factory=sessions, concurrency=3, progress=False)
    )
    await asyncio.wait_for(connected.wait(), 5)
    assert sum(m.status is reactor_client.Status.READY for _, _, m in sessions.made) == 3
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(sessions.made) == 3 and sessions.all_ended()


async def test_configuration_errors_are_one_line() -> None:
    async def work(model: FakeFeatureModel, n: int) -> int:
        return n

    cases: list[tuple[dict[str, Any], str]] = [
        ({}, "needs model= .* or factory="),
        ({"model": FakeFeatureModel, "factory": Sessions()}, "needs model="),
        ({"model": FakeFeatureModel, "urls": ["http://a", "http://a"]}, "more than once"),
        ({"model": FakeFeatureModel, "urls": []}, "urls= is empty"),
        ({"model": FakeFeatureModel, "urls": "http://a"}, "a list of URLs"),
        ({"model": FakeFeatureModel, "concurrency": 0}, "concurrency must be >= 1"),
        ({"factory": Sessions(), "options": {"local": True}}, "options= goes to model="),
    ]
    for kwargs, message in cases:
        with pytest.raises(reactor_client.ConfigurationError, match=message) as info:
            await run_batch(work, [1], progress=False, **kwargs)
        assert "\n" not in str(info.value)


async def test_duplicate_keys_with_a_results_file(tmp_path: Path) -> None:
    async def work(model: FakeFeatureModel, n: int) -> int:
        return n

    with pytest.raises(reactor_client.ConfigurationError, match="same key 'x'"):
        await run_batch(
            work, [1, 2], factory=Sessions(), results=tmp_path / "r.jsonl", key=lambda n: "x"
        )


def test_model_class_gets_the_pool_url_and_options(tmp_path: Path) -> None:
    built: list[dict[str, Any]] = []

    def model(**options: Any) -> FakeFeatureModel:
        built.append(options)
        return FakeFeatureModel()

    async def work(session: FakeFeatureModel, n: int) -> int:
        return n

    from reactor_client.batch import run_batch_sync

    result = run_batch_sync(
        work, [1, 2], model=model, urls=["http://r1"], options={"local": True}, progress=False
    )
    assert result.values() == [1, 2]
    assert built == [{"local": True, "url": "http://r1"}] * 2


def test_run_item_sync_raises_transient_and_returns_the_rest() -> None:
    async def lost(model: FakeFeatureModel, n: int) -> int:
        raise reactor_client.RateLimitedError("slow down", status=429, retry_after=2.5)

    with pytest.raises(TransientItemError) as info:
        run_item_sync(lost, 1, factory=Sessions())
    assert info.value.retry_after == 2.5 and info.value.delay >= 2.5
    assert "RateLimitedError: slow down" in str(info.value)
    import pickle

    again = pickle.loads(pickle.dumps(info.value))
    assert (again.retry_after, again.delay, str(again)) == (2.5, info.value.delay, str(info.value))

    async def bug(model: FakeFeatureModel, n: int) -> int:
        raise ValueError("bug")

    result = run_item_sync(bug, 1, factory=Sessions())
    assert result.status is ItemStatus.FAILED and isinstance(result.error, ValueError)

    async def good(model: FakeFeatureModel, n: int) -> int:
        return n + 1

    assert run_item_sync(good, 1, factory=Sessions()).value == 2


def test_token_bucket() -> None:
    bucket = TokenBucket(60, burst=3)  # one a second after a burst of three
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    waits = [bucket.reserve() for _ in range(2)]
    assert 0.9 < waits[0] <= 1.0 and 1.9 < waits[1] <= 2.0
    with pytest.raises(reactor_client.ConfigurationError):
        TokenBucket(0)


def test_item_retry_follows_the_taxonomy() -> None:
    retry = ItemRetry()
    assert retry.retryable(reactor_client.NetworkError("down"))
    assert retry.retryable(reactor_client.ServerError("502", status=502))
    assert retry.retryable(reactor_client.RateLimitedError("429", status=429, retry_after=5))
    assert retry.retryable(ItemTimeoutError("slow"))
    assert not retry.retryable(reactor_client.UnauthorizedError("401", status=401))
    assert not retry.retryable(reactor_client.SessionEndedError("gone"))
    assert not retry.retryable(reactor_client.InvalidCommandError("bad"))
    assert not retry.retryable(ValueError("bug"))
    assert ItemRetry(retry_on=lambda e: isinstance(e, ValueError)).retryable(ValueError("x"))
    assert retry.delay(1, reactor_client.RateLimitedError("429", retry_after=7)) >= 7
    with pytest.raises(reactor_client.ConfigurationError, match="attempts must be >= 1"):
        ItemRetry(attempts=0)


def test_asyncio_loop_is_left_clean() -> None:
    # the runner's tasks all end with the run (nothing pending on the loop afterwards)
    async def main() -> int:
        async def work(model: Any, n: int) -> int:
            return n

        await run_batch(
            work, range(3), factory=lambda i, u: FakeFeatureModel(), progress=False
        )
        return len([t for t in asyncio.all_tasks() if t is not asyncio.current_task()])

    assert asyncio.run(main()) == 0


async def test_progress_reports_starts_retries_failures_and_items() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.events: list[tuple[Any, ...]] = []

        def start(self, total: int, done_before: int) -> None:
            self.events.append(("start", total, done_before))

        def session_started(self) -> None:
            self.events.append(("session",))

        def item_done(self, ok: bool, live: int) -> None:
            self.events.append(("done", ok))

        def retrying(self, key: str, error: str, delay: float, live: int) -> None:
            self.events.append(("retry", key, error))

        def note(self, text: str) -> None:
            self.events.append(("note", text))

        def stop(self) -> None:
            self.events.append(("stop",))

    tries: dict[str, int] = {}

    async def work(model: FakeFeatureModel, name: str) -> str:
        tries[name] = tries.get(name, 0) + 1
        if name == "b" and tries[name] == 1:
            raise reactor_client.DisconnectedError("lost")
        if name == "c":
            raise ValueError("broken")
        return name

    progress = Recorder()
    await run_batch(
        work, ["a", "b", "c"], factory=Sessions(), retry=FAST, concurrency=1, progress=progress
    )
    events = progress.events
    assert events[0] == ("start", 3, 0) and events[-1] == ("stop",)
    assert events.count(("session",)) == 4
    assert ("retry", "b", "DisconnectedError: lost (DISCONNECTED)") in events
    assert ("note", "failed 'c' after 1 try: ValueError: broken") in events
    assert [e[1] for e in events if e[0] == "done"] == [True, True, False]


async def test_starts_per_minute_spaces_the_starts() -> None:
    starts: list[float] = []

    def factory(item: int, url: str | None) -> FakeFeatureModel:
        starts.append(time.monotonic())
        return FakeFeatureModel()

    async def work(model: FakeFeatureModel, n: int) -> int:
        return n

    await run_batch(
        work,
        range(3),
        factory=factory,
        concurrency=3,
        starts_per_minute=120,  # one every 0.5 s after a burst of one
        start_burst=1,
        progress=False,
    )
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(gaps) == 2 and all(gap >= 0.45 for gap in gaps), gaps
