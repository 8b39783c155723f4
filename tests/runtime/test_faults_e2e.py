"""Faults and mistakes at every boundary, on the REAL runtime: what the user sees, how fast,
and that the client is reusable afterwards with no leaked task or thread.

Fault injection is done by the tests (SIGKILL, SIGSTOP/SIGCONT, restart on the same port,
hostile HTTP answers, garbage on the live data channel), never by hand.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import threading
import time
from typing import Any

import pytest

from reactor_client import (
    ConfigurationError,
    DisconnectedError,
    Message,
    ModelMismatchError,
    NetworkError,
    ReactorClient,
    ReactorError,
    ReconnectPolicy,
    SessionEndedError,
    Status,
)
from reactor_client.session.faults import unreachable

pytestmark = pytest.mark.runtime
SIM = "longlive-v2"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_status(client: ReactorClient, status: Status, timeout: float) -> float:
    """Seconds until ``client.status == status`` (fails after ``timeout``)."""
    start = time.monotonic()
    while client.status != status:
        if time.monotonic() - start > timeout:
            raise AssertionError(f"status still {client.status} after {timeout} s (wanted {status})")
        await asyncio.sleep(0.05)
    return time.monotonic() - start


async def drain(iterator: Any) -> None:
    async for _ in iterator:
        pass


def resources() -> tuple[int, int]:
    """(asyncio tasks, threads) alive now."""
    return len(asyncio.all_tasks()), threading.active_count()


def no_more_than(now: tuple[int, int], baseline: tuple[int, int]) -> bool:
    return now[0] <= baseline[0] and now[1] <= baseline[1]


async def settle_to(baseline: tuple[int, int], timeout: float = 5.0) -> tuple[int, int]:
    """Wait until no more tasks/threads than ``baseline`` are alive; return what is left."""
    deadline = time.monotonic() + timeout
    now = resources()
    while (now[0] > baseline[0] or now[1] > baseline[1]) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        now = resources()
    return now


# ---------------------------------------------------------------------- mistakes


def test_local_url_without_credentials_is_a_local_runtime() -> None:
    assert ReactorClient(SIM, url="http://127.0.0.1:8080").local
    assert ReactorClient(SIM, url="http://localhost:9000").local
    assert ReactorClient(SIM, url="http://192.168.1.20:8080").local
    assert not ReactorClient(SIM, url="https://api.reactor.inc").local
    assert not ReactorClient(SIM, url="http://127.0.0.1:8080", jwt="t").local  # credentials: cloud


async def test_cloud_without_credentials_names_local_true() -> None:
    client = ReactorClient(SIM, url="https://api.example.com")
    with pytest.raises(ConfigurationError, match=r"https://api.example.com needs jwt= or api_key= \(for a local runtime pass local=True"):
        await client.connect()


async def test_unreachable_local_runtime_names_the_url_and_how_to_start_one() -> None:
    port = free_port()
    client = ReactorClient(SIM, local=True, url=f"http://127.0.0.1:{port}")
    with pytest.raises(NetworkError) as caught:
        await client.connect()
    message = str(caught.value)
    assert f"no reactor-runtime answered at http://127.0.0.1:{port}" in message
    assert f"POST http://127.0.0.1:{port}/start_session" in message
    assert f"PORT={port} python -m reactor_runtime.serve" in message  # the port it tried
    assert ".." not in message
    assert client.status == Status.DISCONNECTED
    # with local=True and no url, the message says the URL was the default
    defaulted = unreachable(NetworkError("POST http://localhost:8080/start_session: cannot connect"), "http://localhost:8080", defaulted=True)
    assert "http://localhost:8080 (the default for local=True; pass url= for another)" in str(defaulted)


async def test_a_server_serving_another_model_is_refused_before_negotiating(feature_server: Any) -> None:
    from reactor_models.longlive_v2 import LongliveV2Model

    model = LongliveV2Model(url=feature_server.url)  # a local url: no local=True needed
    with pytest.raises(ModelMismatchError) as caught:
        await model.connect()
    assert str(caught.value).startswith(
        f"the server at {feature_server.url} serves feature-model v0.0.0, not longlive-v2"
    )
    assert model.status == Status.DISCONNECTED
    assert feature_server.health()["state"] != "serving"  # the session it started was stopped


def test_typed_constructor_options_are_checked_and_name_the_model_class() -> None:
    from reactor_models.longlive_v2 import LongliveV2Model

    with pytest.raises(TypeError, match=r"LongliveV2Model.__init__\(\) got an unexpected keyword argument 'lcoal'"):
        LongliveV2Model(lcoal=True)  # type: ignore[call-arg]
    model = LongliveV2Model(local=True, command_timeout=3.0, frame_queue_size=4)
    assert model.client.command_timeout == 3.0


async def test_lifecycle_is_logged_and_secrets_never_are(
    runtime_server_factory: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = runtime_server_factory()
    caplog.set_level(logging.INFO, logger="reactor_client")
    client = ReactorClient(SIM, local=True, url=server.url)
    await client.connect()
    await client.output_track("main_video").next_frame(timeout=10)
    server.kill()
    await wait_status(client, Status.DISCONNECTED, 10)
    records = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "reactor_client"]
    assert any(level == logging.INFO and msg.startswith(f"connected to {SIM} at {server.url}") for level, msg in records)
    assert any(level == logging.WARNING and msg.startswith(f"transport to {server.url} lost") for level, msg in records)
    await client.disconnect()


async def test_cloud_logs_do_not_contain_the_token(
    cloud_coordinator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="reactor_client")
    from reactor_client import fetch_jwt

    jwt = fetch_jwt(cloud_coordinator.api_key, cloud_coordinator.url)
    async with ReactorClient(SIM, url=cloud_coordinator.url, jwt=jwt) as client:
        assert client.status == Status.READY
    assert jwt not in caplog.text and cloud_coordinator.api_key not in caplog.text
    assert "connected to" in caplog.text


# ---------------------------------------------------------------------- recovery


async def test_restart_on_the_same_port_ends_the_session_at_once(runtime_server_factory: Any) -> None:
    server = runtime_server_factory()
    client = ReactorClient(SIM, local=True, url=server.url, reconnect=ReconnectPolicy(max_attempts=8, initial_delay=0.3))
    errors: list[ReactorError] = []
    client.on_error(errors.append)
    baseline = resources()
    await client.connect()
    frames = client.output_track("main_video").frames()
    await asyncio.wait_for(frames.__anext__(), 10)
    server.kill()
    server.restart()  # same port, fresh process: the session is gone
    restarted = time.monotonic()
    with pytest.raises(SessionEndedError, match="no longer exists"):
        await asyncio.wait_for(drain(frames), 20)
    assert time.monotonic() - restarted < 15  # not eight attempts over ~35 s
    assert client.status == Status.DISCONNECTED
    assert any(isinstance(e, SessionEndedError) for e in errors)
    assert no_more_than(await settle_to(baseline), baseline)  # no task or thread left behind
    await client.connect()  # the same object connects again, to a new session
    await client.output_track("main_video").next_frame(timeout=10)
    await client.disconnect()


async def test_restart_with_new_session_policy_carries_on(runtime_server_factory: Any) -> None:
    server = runtime_server_factory()
    policy = ReconnectPolicy(max_attempts=8, initial_delay=0.3, on_session_ended="new_session")
    client = ReactorClient(SIM, local=True, url=server.url, reconnect=policy)
    restarted: asyncio.Future[ReactorError] = asyncio.get_running_loop().create_future()
    client.on_error(lambda e: e.code == "SESSION_RESTARTED" and not restarted.done() and restarted.set_result(e))
    await client.connect()
    frames = client.output_track("main_video").frames()
    await asyncio.wait_for(frames.__anext__(), 10)
    server.kill()
    server.restart()
    notice = await asyncio.wait_for(restarted, 30)
    assert "the model's state was lost" in str(notice) and notice.recoverable
    assert client.status == Status.READY
    await asyncio.wait_for(frames.__anext__(), 10)  # the same iterator carries on
    await client.disconnect()


async def test_frozen_server_is_detected_and_the_client_recovers(runtime_server_factory: Any) -> None:
    server = runtime_server_factory()
    client = ReactorClient(SIM, local=True, url=server.url)
    baseline = resources()
    await client.connect()
    frames = client.output_track("main_video").frames()
    await asyncio.wait_for(frames.__anext__(), 10)
    assert server.pid is not None
    os.kill(server.pid, signal.SIGSTOP)
    try:
        frozen = time.monotonic()
        with pytest.raises(DisconnectedError):
            await client.send_command("set_seed", {"seed": 3}, timeout=30)
        assert time.monotonic() - frozen < 10  # the liveness probe, not the 30 s timeout
        with pytest.raises(DisconnectedError):
            await asyncio.wait_for(drain(frames), 5)
        await wait_status(client, Status.DISCONNECTED, 5)
        remaining = time.monotonic() - frozen
        await asyncio.sleep(max(0.0, 10 - remaining))
    finally:
        os.kill(server.pid, signal.SIGCONT)
    assert no_more_than(await settle_to(baseline), baseline)
    await client.connect()  # the runtime is back: adopt or start, and stream again
    await client.output_track("main_video").next_frame(timeout=10)
    await client.disconnect()


async def test_server_killed_mid_connect(runtime_server_factory: Any) -> None:
    server = runtime_server_factory()
    client = ReactorClient(SIM, local=True, url=server.url)
    baseline = resources()
    task = asyncio.ensure_future(client.connect())
    await asyncio.sleep(0.05)  # inside start_session / the offer
    server.kill()
    killed = time.monotonic()
    with pytest.raises(ReactorError):
        await asyncio.wait_for(task, 40)
    assert time.monotonic() - killed < 35
    assert client.status == Status.DISCONNECTED
    assert no_more_than(await settle_to(baseline), baseline)
    server.restart()
    await client.connect()
    await client.disconnect()


async def test_server_killed_mid_upload(feature_server_factory: Any) -> None:
    server = feature_server_factory()
    client = ReactorClient("feature-model", local=True, url=server.url)
    await client.connect()
    baseline_after_connect = resources()
    upload = asyncio.ensure_future(client.upload(b"\0" * (256 << 20), name="big.bin"))
    await asyncio.sleep(0.05)
    server.kill()
    with pytest.raises((NetworkError, DisconnectedError)):
        await asyncio.wait_for(upload, 30)
    await wait_status(client, Status.DISCONNECTED, 10)
    assert (await settle_to(baseline_after_connect))[1] <= baseline_after_connect[1]
    await client.disconnect()


@pytest.fixture
def feature_server_factory(runtime_server_factory: Any) -> Any:
    from harness.server import FEATURE_MODEL_DIR

    return lambda **kw: runtime_server_factory(FEATURE_MODEL_DIR, **kw)


# ---------------------------------------------------------------------- hostile input


class HostileHttp:
    """A loopback HTTP server that answers every request with one canned (broken) response."""

    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        self.status, self.body, self.content_type = status, body, content_type
        self.port = free_port()

    async def __aenter__(self) -> HostileHttp:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            head = (
                f"HTTP/1.1 {self.status} X\r\nContent-Type: {self.content_type}\r\n"
                f"Content-Length: {len(self.body)}\r\nConnection: close\r\n\r\n"
            )
            writer.write(head.encode() + self.body)
            await writer.drain()
            writer.close()

        self.server = await asyncio.start_server(handle, "127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()
        await self.server.wait_closed()


@pytest.mark.parametrize(
    ("status", "body", "content_type", "expected"),
    [
        (200, b"<html><title>Router login</title></html>", "text/html", "answered 200 with an HTML page ('Router login')"),
        (500, b"<html><title>Internal Server Error</title></html>", "text/html", "-> 500: an HTML page ('Internal Server Error') instead of a JSON answer"),
        (502, b"upstream gone", "text/plain", "-> 502: upstream gone"),
        (200, b"{not json", "application/json", "answered 200 with a body that is not JSON"),
    ],
    ids=["html-200", "html-500", "text-502", "bad-json"],
)
async def test_signaling_answers_that_are_not_a_runtime(status: int, body: bytes, content_type: str, expected: str) -> None:
    async with HostileHttp(status, body, content_type) as hostile:
        client = ReactorClient(SIM, local=True, url=f"http://127.0.0.1:{hostile.port}")
        with pytest.raises(ReactorError) as caught:
            await client.connect()
    assert expected in str(caught.value)
    assert f"http://127.0.0.1:{hostile.port}/start_session" in str(caught.value)
    assert client.status == Status.DISCONNECTED


async def test_garbage_on_the_live_data_channel_is_reported_and_dispatch_survives(feature_server: Any) -> None:
    from reactor_client.wire import codec_for
    from reactor_client.wire.pb import data_pb2
    from reactor_models.feature_model import FeatureModel

    model = FeatureModel(url=feature_server.url, codec="v1")
    errors: list[ReactorError] = []
    model.on_error(errors.append)
    async with model:
        client = model.client
        v1 = codec_for("v1")
        echo_ok = data_pb2.DataServerMessage()
        echo_ok.kind = 3
        echo_ok.message.type = "echo"
        echo_ok.message.data.update({"text": "x", "count": "not a number"})  # wrong field type
        unknown_reply = data_pb2.DataServerMessage(request_id="data_999", kind=2)
        hostile: list[tuple[str, str | bytes]] = [
            ("data", "{not json"),
            ("data", '{"scope": 7}'),
            ("data", b"\x0a\xff\xff\xff"),  # truncated protobuf
            ("data", b"\xff" * 64),  # garbage
            ("control", b"\x08\x02\xa2\x06\x00"),  # an unknown oneof field
            ("data", echo_ok.SerializeToString()),
            ("data", unknown_reply.SerializeToString()),  # a reply nobody waits for
            ("data", unknown_reply.SerializeToString()),  # ... twice
            ("data", '{"scope": "application", "data": {"type": "huge", "data": {"blob": "' + "x" * 1_000_000 + '"}}}'),
        ]
        for channel, frame in hostile:
            assert client.connection is not None
            client.connection.receive(channel, frame)  # type: ignore[arg-type]
        del v1
        await asyncio.sleep(0.1)
        codes = [e.code for e in errors]
        assert codes.count("DECODE_FAILED") >= 3, codes
        assert any("echo" in str(e) and "count" in str(e) for e in errors), [str(e) for e in errors]
        reply = await model.echo(text="still alive")  # the session keeps working
        assert reply is not None and reply.text == "still alive"
        assert model.status == Status.READY
        assert isinstance(client.latest_message("huge"), Message)


async def test_a_bare_host_port_is_a_local_runtime(feature_server: Any) -> None:
    from urllib.parse import urlsplit

    bare = urlsplit(feature_server.url).netloc  # "127.0.0.1:PORT", no scheme
    async with ReactorClient("feature-model", url=bare) as client:
        assert client.url == f"http://{bare}" and client.local
        assert client.status == Status.READY


def test_a_cloud_url_without_a_scheme_says_what_to_write() -> None:
    with pytest.raises(ConfigurationError, match=r"url 'api.example.com' has no scheme: write https://api.example.com"):
        ReactorClient(SIM, url="api.example.com", jwt="t")


async def test_a_server_that_is_not_a_runtime_is_named_so() -> None:
    import http.server
    import threading

    class NotFound(http.server.BaseHTTPRequestHandler):
        """Another web app on the port: JSON 404 to everything (as FastAPI answers)."""

        def answer(self) -> None:
            body = b'{"detail":"Not Found"}'
            self.send_response(404)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        client = ReactorClient(SIM, url=url)
        with pytest.raises(ReactorError) as caught:
            await client.connect()
        message = str(caught.value)
        assert message.startswith(f"the server at {url} is not a reactor-runtime: it answered ")
        assert "POST /start_session" in message and caught.value.code == "NOT_A_RUNTIME"
        assert client.status == Status.DISCONNECTED
    finally:
        server.shutdown()
        server.server_close()
