"""The typed surface of the generated LongliveV2 package.

Type-checked with ``mypy --strict`` (tests/generator/test_generated_typed_surface.py) and,
except :func:`readme_usage` (which needs a real runtime: tests/e2e), executed against a
:class:`FakeClient`.
"""

from __future__ import annotations

import reactor_client
from typing_extensions import assert_type

from reactor_models.longlive_v2 import (
    MODEL_NAME,
    MODEL_VERSION,
    LongliveV2Message,
    LongliveV2Model,
    SceneCut,
    SceneCutParams,
    State,
    UnknownMessage,
)
from reactor_models.longlive_v2.messages import parse_message
from reactor_models.longlive_v2.tracks import TRACKS, OutputTrackName

from typed_surface.fake_client import FakeClient, attach

STATE = {
    "seed": 42,
    "paused": False,
    "running": True,
    "started": True,
    "has_prompt": True,
    "current_chunk": 2,
    "current_frame": 24,
    "session_chunk": 3,
    "current_prompt": "A sunset over the ocean",
    "scheduled_shots": [],
    "scheduled_scene_cuts": [10],
}


async def readme_usage() -> None:
    """The usage example, as written (type-checked only; run for real by tests/e2e)."""
    async with LongliveV2Model(local=True) as model:
        sub = model.on_state(lambda s: print(s.session_chunk))
        assert_type(sub, reactor_client.Subscription)
        await model.set_shot(prompt="A sunset over the ocean")
        await model.start()
        await model.schedule_scene_cut(prompt="A city at night", at_session_chunk=10)
        state = await model.wait_for_state(lambda s: s.session_chunk >= 3, timeout=30)
        assert_type(state, State)
        async for frame in model.main_video.frames():
            break
        await model.connect(jwt=None)
        assert_type(model.client, reactor_client.ReactorClient)
        assert_type(model.status, reactor_client.Status)
        async for msg in model.messages():
            if isinstance(msg, UnknownMessage):
                print(msg.type, msg.data)
            else:
                assert_type(msg, LongliveV2Message)
        await model.disconnect()


async def async_token() -> str:
    return "token"


async def token_resolvers() -> None:
    """Every place a token is taken accepts a resolver, plain or async (issue 20)."""
    from reactor_models.longlive_v2.sync import LongliveV2Model as SyncLongliveV2Model

    model = LongliveV2Model(jwt=async_token, retry=reactor_client.RetryPolicy(max_retries=1))
    await model.connect(jwt=async_token)
    await model.connect(jwt=lambda: "token")
    await model.client.connect(async_token)
    resolver: reactor_client.JwtResolver = async_token
    source: reactor_client.JwtSource = resolver
    reactor_client.ReactorClient("longlive-v2", jwt=source)
    blocking = SyncLongliveV2Model(jwt=async_token)
    blocking.connect(jwt=async_token)
    sub = model.on_moderation(lambda e: print(e.action, e.categories))
    assert_type(sub, reactor_client.Subscription)
    blocking.on_moderation(lambda e: assert_type(e, reactor_client.ModerationEvent))


def shared_listener_declarations() -> None:
    """The async model and its blocking twin share one declaration per message
    (``listeners.py``); mypy sees the exact types on both (type-checked only)."""
    from reactor_models.longlive_v2.sync import LongliveV2Model as SyncLongliveV2Model

    blocking = SyncLongliveV2Model(local=True)
    assert_type(blocking.wait_for_state(timeout=1), State)
    assert_type(blocking.wait_for_state(lambda s: s.session_chunk > 1), State)
    assert_type(blocking.on_state(lambda s: print(s.session_chunk)), reactor_client.Subscription)

    @blocking.on_scene_cut()
    def on_cut(cut: SceneCut) -> None:
        print(cut.prompt)

    on_cut(1)  # type: ignore[arg-type]  # the decorator kept the function's own type
    blocking.on_state(lambda s: s.no_such_field)  # type: ignore[attr-defined]
    blocking.wait_for_state(timeuot=1)  # type: ignore[call-arg]
    # commands and step: the async model's own, blocking (reactor_client.sync.blocking)
    assert_type(blocking.set_shot(prompt="A sunset over the ocean"), None)
    blocking.set_shot(promt="x")  # type: ignore[call-arg]
    blocking.schedule_shot(at_session_chunk="3")  # type: ignore[arg-type]
    assert_type(blocking.step(timeout=5.0), reactor_client.StepResult[OutputTrackName])


async def async_listener_declarations() -> None:
    model = LongliveV2Model(local=True)
    assert_type(await model.wait_for_scene_cut(timeout=1), SceneCut)
    model.on_scene_cut(lambda cut: cut.no_such_field)  # type: ignore[attr-defined]
    await model.wait_for_state(lambda s: s.prompt)  # type: ignore[attr-defined]
    await model.wait_for_state(1)  # type: ignore[arg-type]


def constructors() -> None:
    LongliveV2Model(url="http://localhost:8080", local=True)
    LongliveV2Model(jwt="token")
    LongliveV2Model(jwt=lambda: "token", codec="v1", command_timeout=5.0)
    LongliveV2Model(api_key="rk_test")
    assert MODEL_NAME == "longlive-v2"
    assert MODEL_VERSION == "v3.0.5"
    assert [t.name for t in TRACKS] == ["main_video"]


async def check_validation_before_send() -> None:
    model = LongliveV2Model(local=True)
    fake = attach(model, FakeClient())
    try:
        await model.set_seed(seed=-1)
    except reactor_client.CommandValidationError as exc:
        assert exc.command == "set_seed"
        assert exc.errors == ["set_seed: seed: must be >= 0 (got -1)"], exc.errors
        assert "set_seed: seed: must be >= 0 (got -1)" in str(exc)
    else:
        raise AssertionError("seed=-1 was not rejected")
    assert fake.sent == []
    await model.set_seed()  # schema default
    await model.set_seed(seed=7)
    await model.set_shot(prompt="A sunset over the ocean")
    await model.schedule_scene_cut(prompt="A city at night", at_session_chunk=10)
    assert fake.sent == [
        ("set_seed", {}, None),  # a schema default is applied by the runtime, not sent
        ("set_seed", {"seed": 7}, None),
        ("set_shot", {"prompt": "A sunset over the ocean"}, None),
        ("schedule_scene_cut", {"at_session_chunk": 10, "prompt": "A city at night"}, None),
    ]
    params = SceneCutParams(prompt="x")
    assert params.prompt == "x"


async def check_integral_floats_and_listeners() -> None:
    model = LongliveV2Model(local=True)
    fake = attach(model, FakeClient())
    states: list[State] = []
    unsubscribe = model.on_state(states.append)

    @model.on_scene_cut()
    def on_cut(cut: SceneCut) -> None:
        states.append(State.model_validate({**STATE, "current_prompt": cut.prompt}))

    # the decorator form registers the function and returns it unchanged
    assert not isinstance(on_cut, reactor_client.Subscription)
    assert on_cut.__name__ == "on_cut"
    fake.emit("state", {**STATE, "current_chunk": 7.0, "scheduled_scene_cuts": [10.0]})
    assert states[0].current_chunk == 7 and type(states[0].current_chunk) is int
    assert states[0].scheduled_scene_cuts == [10]
    fake.emit("scene_cut", {"prompt": "A city at night", "at_session_chunk": 10.0})
    assert states[1].current_prompt == "A city at night"
    unsubscribe()
    fake.emit("state", STATE)
    assert len(states) == 2
    # a state that does not match: reported through on_error, never delivered typed
    got: list[State] = []
    model.on_state(got.append)
    fake.emit("state", {**STATE, "current_chunk": "seven"})
    assert got == []
    assert fake.errors and fake.errors[-1].code == "INVALID_MESSAGE"
    # extra fields are kept (forward compatible)
    fake.emit("state", {**STATE, "new_field": 1})
    assert got[0].model_extra == {"new_field": 1}


async def check_unknown_messages() -> None:
    raw = reactor_client.Message("brand_new", {"x": 1})
    parsed = parse_message(raw)
    assert isinstance(parsed, UnknownMessage)
    assert parsed.type == "brand_new" and parsed.data == {"x": 1} and parsed.error is None
    bad = parse_message(reactor_client.Message("scene_cut", {"prompt": 3}))
    assert isinstance(bad, UnknownMessage) and bad.error is not None
    good = parse_message(
        reactor_client.Message("scene_cut", {"prompt": "p", "at_session_chunk": 3})
    )
    assert isinstance(good, SceneCut) and good.TYPE == "scene_cut"

    model = LongliveV2Model(local=True)
    fake = attach(model, FakeClient())
    seen: list[LongliveV2Message | UnknownMessage] = []
    model.on_message(seen.append)
    iterator = model.messages()
    fake.emit("brand_new", {"x": 1})
    fake.emit("scene_cut", {"prompt": "p", "at_session_chunk": 3})
    first = await iterator.__anext__()
    second = await iterator.__anext__()
    assert isinstance(first, UnknownMessage) and first.type == "brand_new"
    assert isinstance(second, SceneCut)
    assert [type(m).__name__ for m in seen] == ["UnknownMessage", "SceneCut"]


async def check_waiter() -> None:
    import asyncio

    model = LongliveV2Model(local=True)
    fake = attach(model, FakeClient())
    waiter = asyncio.ensure_future(
        model.wait_for_state(lambda s: s.session_chunk >= 3, timeout=5)
    )
    await asyncio.sleep(0)
    fake.emit("state", {**STATE, "session_chunk": 1})
    fake.emit("state", {**STATE, "session_chunk": 3.0})
    state = await waiter
    assert state.session_chunk == 3
