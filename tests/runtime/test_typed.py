"""Unit tests of ``reactor_client.typed`` (the generated SDKs' support layer): command
validation, OMIT, upload sources, message parsing, and ModelClient's listeners/waiters
over a real ``ReactorClient`` connected to an in-memory runtime (no server)."""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import typing

import pydantic
import pytest

import reactor_client
from reactor_client import (
    CommandValidationError,
    Message,
    ReactorError,
    RequestTimeoutError,
    Status,
    TrackSpec,
    UploadReference,
)
from reactor_client import typed
from reactor_client.transport.memory import MemoryRuntime
from reactor_client.typed import OMIT, ModelClient, UnknownMessage, UploadSource


# ----------------------------------------------------------------------------- models
class SetSeedParams(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", populate_by_name=True, loc_by_alias=False)
    seed: pydantic.StrictInt = pydantic.Field(default=42, ge=0)


class ShotParams(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", populate_by_name=True, loc_by_alias=False)
    prompt: str = pydantic.Field(min_length=1, max_length=5)
    tags: list[str] = pydantic.Field(default=["a"], max_length=2)
    image_strength: float = pydantic.Field(default=0.5, alias="imageStrength", lt=1)


class UploadParams(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", populate_by_name=True, loc_by_alias=False)
    file: UploadSource = pydantic.Field()
    mask: UploadSource | None = pydantic.Field(default=None)
    label: str = pydantic.Field(default="x")


class State(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow", frozen=True, populate_by_name=True)
    TYPE: typing.ClassVar[typing.Literal["state"]] = "state"
    chunk: int


class Tick(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow", frozen=True, populate_by_name=True)
    TYPE: typing.ClassVar[typing.Literal["tick"]] = "tick"
    i: int


DemoMessage = typing.Union[State, Tick]
_CLASSES: dict[str, type[DemoMessage]] = {"state": State, "tick": Tick}
PARSED: list[str] = []


def parse_demo(message: Message) -> DemoMessage | UnknownMessage:
    PARSED.append(message.type)
    return typed.parse_message(message, _CLASSES)


class DemoModel(ModelClient[typing.Union[DemoMessage, UnknownMessage]]):
    """What a generated ``<Prefix>Model`` looks like (minus its typed commands)."""

    _model_name = "demo"
    _model_version = "v1.2.3"
    _model_label = "Demo"
    _tracks = (TrackSpec("main_video", "video", "recvonly"),)
    _parse_message = staticmethod(parse_demo)

    def on_state(self, callback: typing.Callable[[State], typing.Any]) -> reactor_client.Subscription:
        return self._subscribe("state", State, callback)

    async def wait_for_state(
        self, predicate: typing.Callable[[State], bool] | None = None, *, timeout: float | None = None
    ) -> State:
        return await self._wait_for("state", State, predicate, timeout)


RUNTIMES: dict[int, MemoryRuntime] = {}


async def connected() -> DemoModel:
    """A READY DemoModel on an in-memory runtime (its codec negotiated: v1)."""
    runtime = MemoryRuntime("demo", tracks=DemoModel._tracks)
    model = DemoModel(transport=runtime.factory())
    await model.connect()
    RUNTIMES[id(model)] = runtime
    return model


def emit(model: DemoModel, type: str, data: dict[str, typing.Any]) -> None:
    """One application message off the data channel, as the runtime delivers it (as v0 JSON
    text, which a v1 connection understands too, so invalid payloads reach the client)."""
    frame = json.dumps({"scope": "application", "data": {"type": type, "data": data}})
    RUNTIMES[id(model)].send_raw("data", frame)


# ----------------------------------------------------------------------------- commands
def test_validate_params_messages() -> None:
    with pytest.raises(CommandValidationError) as info:
        typed.validate_params(SetSeedParams, "set_seed", {"seed": -1})
    assert info.value.command == "set_seed"
    assert info.value.errors == ["set_seed: seed: must be >= 0 (got -1)"]
    assert "set_seed: seed: must be >= 0 (got -1)" in str(info.value)

    with pytest.raises(CommandValidationError) as info:
        typed.validate_params(ShotParams, "set_shot", {"tags": ["a", "b", "c"], "image_strength": 1})
    assert info.value.errors == [
        "set_shot: prompt: is required",
        "set_shot: tags: must have at most 2 items (got ['a', 'b', 'c'])",
        "set_shot: image_strength: must be < 1.0 (got 1)",
    ]
    with pytest.raises(CommandValidationError, match=r"set_shot: prompt: must be at least 1 characters long \(got ''\)"):
        typed.validate_params(ShotParams, "set_shot", {"prompt": ""})
    with pytest.raises(CommandValidationError, match="set_shot: prompt: must be at most 5 characters long"):
        typed.validate_params(ShotParams, "set_shot", {"prompt": "toolong"})
    with pytest.raises(CommandValidationError, match="set_seed: bogus: unexpected argument"):
        typed.validate_params(SetSeedParams, "set_seed", {"bogus": 1})
    # strict ints: pydantic's own text, still naming command, field and value
    with pytest.raises(CommandValidationError, match=r"set_seed: seed: .*\(got '7'\)"):
        typed.validate_params(SetSeedParams, "set_seed", {"seed": "7"})
    # one message per error, joined in str()
    with pytest.raises(CommandValidationError) as info:
        typed.validate_params(ShotParams, "set_shot", {"prompt": "", "tags": [1]})
    assert len(info.value.errors) == 2 and str(info.value).count("; ") >= 1


def test_omit_leaves_the_schema_default() -> None:
    assert typed.Omitted.OMIT is OMIT
    params = typed.validate_params(ShotParams, "set_shot", {"prompt": "p", "tags": OMIT})
    assert params.tags == ["a"]
    params = typed.validate_params(ShotParams, "set_shot", {"prompt": "p", "tags": ["z"], "image_strength": 0.25})
    assert typed.dump_params(params) == {"prompt": "p", "tags": ["z"], "imageStrength": 0.25}
    assert typed.dump_params(params, {"tags"}) == {"prompt": "p", "imageStrength": 0.25}
    # arguments equal to their schema default are left to the runtime
    params = typed.validate_params(ShotParams, "set_shot", {"prompt": "p", "tags": ["a"]})
    assert typed.dump_params(params) == {"prompt": "p"}
    # None is a real value, not an omission
    with pytest.raises(CommandValidationError, match="set_shot: tags"):
        typed.validate_params(ShotParams, "set_shot", {"prompt": "p", "tags": None})


def test_upload_sources() -> None:
    ref = UploadReference("u1", "a.png", "image/png", 3)
    for source in (ref, "a.png", b"abc", pathlib.Path("a.png")):
        params = typed.validate_params(UploadParams, "inspect", {"file": source})
        assert params.file is source
    with pytest.raises(CommandValidationError) as info:
        typed.validate_params(UploadParams, "inspect", {"file": 123})
    assert info.value.errors == [
        "inspect: file: Value error, expected a reactor_client.UploadReference, "
        "a file path or bytes, not int (got 123)"
    ]
    assert typed.validate_params(UploadParams, "inspect", {"file": b"x"}).mask is None


async def test_resolve_uploads_uploads_paths_and_bytes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    client = reactor_client.ReactorClient("demo", local=True)
    uploaded: list[object] = []

    async def fake_upload(source: str | os.PathLike[str] | bytes, **_: object) -> UploadReference:
        uploaded.append(source)
        return UploadReference(f"up-{len(uploaded)}", "f", "application/octet-stream", 1)

    monkeypatch.setattr(client, "upload", fake_upload)
    ref = UploadReference("given", "n", "m", 1)
    got = await typed.resolve_uploads(client, {"file": b"abc", "mask": None, "other": ref, "path": "x.png"})
    assert got == {
        "file": UploadReference("up-1", "f", "application/octet-stream", 1),
        "other": ref,
        "path": UploadReference("up-2", "f", "application/octet-stream", 1),
    }
    assert uploaded == [b"abc", "x.png"]


# ----------------------------------------------------------------------------- messages
def test_parse_message_and_reply() -> None:
    unknown = typed.parse_message(Message("brand_new", {"x": 1}), _CLASSES)
    assert unknown == UnknownMessage("brand_new", {"x": 1})
    bad = typed.parse_message(Message("state", {"chunk": "seven"}), _CLASSES)
    assert isinstance(bad, UnknownMessage) and isinstance(bad.error, pydantic.ValidationError)
    good = typed.parse_message(Message("state", {"chunk": 7.0, "extra": True}), _CLASSES)
    assert isinstance(good, State) and good.chunk == 7 and type(good.chunk) is int
    assert good.model_extra == {"extra": True}

    assert typed.parse_reply(None, State) is None
    assert typed.parse_reply(Message("state", {"chunk": 2}), State) == State(chunk=2)
    with pytest.raises(ReactorError) as info:
        typed.parse_reply(Message("state", {"chunk": "x"}), State)
    assert info.value.code == "INVALID_REPLY" and "does not match State" in str(info.value)


# ----------------------------------------------------------------------------- ModelClient
def test_constructor_repr_and_status() -> None:
    model = DemoModel(local=True, codec="v0", command_timeout=3.0)
    client = model.client
    assert isinstance(client, reactor_client.ReactorClient)
    assert client.model_name == "demo" and client.local and client.command_timeout == 3.0
    assert client.tracks == DemoModel._tracks
    assert model.status is Status.DISCONNECTED
    assert repr(model) == "<DemoModel demo v1.2.3 status=disconnected tracks=[main_video] commands=[]>"
    with pytest.raises(reactor_client.ConfigurationError):
        DemoModel(codec="v9")  # type: ignore[arg-type]


async def test_async_context_manager_connects_and_disconnects(monkeypatch: pytest.MonkeyPatch) -> None:
    model = DemoModel(local=True)
    calls: list[object] = []

    async def connect(jwt: str | None = None, **adopt: object) -> None:
        calls.append(("connect", jwt, adopt) if adopt else ("connect", jwt))

    async def disconnect() -> None:
        calls.append("disconnect")

    monkeypatch.setattr(model.client, "connect", connect)
    monkeypatch.setattr(model.client, "disconnect", disconnect)
    async with model as entered:
        assert entered is model
    await model.connect("tok")
    await model.connect(session_id="s-1", connection_id=1234)
    assert calls == [
        ("connect", None, {"session_id": None, "connection_id": None}),
        "disconnect",
        ("connect", "tok", {"session_id": None, "connection_id": None}),
        ("connect", None, {"session_id": "s-1", "connection_id": 1234}),
    ]


async def test_status_and_error_hooks() -> None:
    runtime = MemoryRuntime("demo", tracks=DemoModel._tracks)
    model = DemoModel(transport=runtime.factory())
    statuses: list[Status] = []
    errors: list[ReactorError] = []
    model.on_status(statuses.append)
    model.on_error(errors.append)
    await model.connect()
    model.client.report_error(ReactorError("x", code="X"))
    assert statuses == [Status.CONNECTING, Status.WAITING, Status.READY]
    assert [e.code for e in errors] == ["X"]
    await model.disconnect()
    assert statuses[-1] == Status.DISCONNECTED


async def test_typed_listeners_parse_once_and_report_invalid_first() -> None:
    model = await connected()
    log: list[tuple[typing.Any, ...]] = []
    model.on_error(lambda e: log.append(("error", e.code, str(e))))
    model.on_message(lambda m: log.append(("any", type(m).__name__)))
    sub = model.on_state(lambda s: log.append(("state", s.chunk)))

    @model.on_state
    def decorated(s: State) -> None:
        log.append(("decorated", s.chunk))

    assert isinstance(decorated, reactor_client.Subscription)
    assert decorated.callback.__name__ == "decorated"  # functools.wraps

    PARSED.clear()
    emit(model, "state", {"chunk": 1.0})
    assert log == [("any", "State"), ("state", 1), ("decorated", 1)]
    assert PARSED == ["state"]  # one parse per delivery, shared by every listener

    log.clear()
    emit(model, "state", {"chunk": "seven"})
    assert log[0][:2] == ("error", "INVALID_MESSAGE")
    assert "message 'state' does not match the Demo schema: " in log[0][2]
    assert log[1:] == [("any", "UnknownMessage")]  # never delivered to typed listeners

    log.clear()
    emit(model, "brand_new", {"x": 1})
    emit(model, "tick", {"i": 3})
    assert log == [("any", "UnknownMessage"), ("any", "Tick")]  # unknown type: no error

    log.clear()
    sub()
    decorated.unsubscribe()
    emit(model, "state", {"chunk": 2})
    assert log == [("any", "State")]


async def test_messages_iterator_is_typed() -> None:
    model = await connected()
    iterator = model.messages()
    assert iterator.__aiter__() is iterator
    emit(model, "tick", {"i": 1})
    emit(model, "brand_new", {"x": 1})
    emit(model, "state", {"chunk": "bad"})
    first, second, third = [await iterator.__anext__() for _ in range(3)]
    assert first == Tick(i=1)
    assert second == UnknownMessage("brand_new", {"x": 1})
    assert isinstance(third, UnknownMessage) and third.error is not None


async def test_wait_for_without_predicate_takes_the_next_message() -> None:
    model = await connected()
    emit(model, "state", {"chunk": 1})  # already received: does not count
    waiter = asyncio.ensure_future(model.wait_for_state(timeout=2))
    await asyncio.sleep(0)
    assert not waiter.done()
    emit(model, "state", {"chunk": "bad"})  # invalid: skipped
    emit(model, "tick", {"i": 1})  # other type: ignored
    await asyncio.sleep(0)
    assert not waiter.done()
    emit(model, "state", {"chunk": 2.0})
    assert await waiter == State(chunk=2)


async def test_wait_for_with_predicate_counts_the_latest_message() -> None:
    model = await connected()
    emit(model, "state", {"chunk": 5})
    assert await model.wait_for_state(lambda s: s.chunk >= 3, timeout=1) == State(chunk=5)
    # the latest does not match: wait for a new one
    waiter = asyncio.ensure_future(model.wait_for_state(lambda s: s.chunk >= 10, timeout=2))
    await asyncio.sleep(0)
    emit(model, "state", {"chunk": 7})
    await asyncio.sleep(0)
    assert not waiter.done()
    emit(model, "state", {"chunk": 10})
    assert (await waiter).chunk == 10
    # an invalid latest message never satisfies a predicate
    emit(model, "state", {"chunk": "bad"})
    with pytest.raises(RequestTimeoutError):
        await model.wait_for_state(lambda s: True, timeout=0.05)


async def test_wait_for_timeout() -> None:
    model = DemoModel(local=True)
    with pytest.raises(RequestTimeoutError) as info:
        await model.wait_for_state(timeout=0.05)
    assert isinstance(info.value, TimeoutError)


def test_plain_reactor_client_does_not_import_pydantic() -> None:
    import subprocess
    import sys

    code = "import sys, reactor_client; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_messages_parse_through_one_discriminated_union() -> None:
    """A package's union parses through one TypeAdapter keyed on the envelope's type; a
    model's own field called ``type`` does not collide, and model_dump() is the payload."""

    class Kind(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="allow", frozen=True)
        TYPE: typing.ClassVar[typing.Literal["kind"]] = "kind"
        type: str
        n: int

    Union = typing.Union[State, Tick, Kind]
    adapter: typed.MessageAdapter[typing.Union[State, Tick, Kind]] = typed.MessageAdapter(Union)
    payload = {"type": "tick", "n": 3}  # its own "type" says "tick": it is still a Kind
    parsed = adapter.parse(Message("kind", payload))
    assert isinstance(parsed, Kind) and parsed.type == "tick" and parsed.model_dump() == payload
    assert adapter.parse(Message("tick", {"i": 2.0})) == Tick(i=2)
    assert adapter.parse(Message("nope", {"x": 1})) == UnknownMessage("nope", {"x": 1})
    bad = adapter.parse(Message("state", {"chunk": "seven"}))
    assert isinstance(bad, UnknownMessage) and bad.error is not None
    assert [e["loc"] for e in bad.error.errors()] == [("chunk",)]  # located at the payload's field
