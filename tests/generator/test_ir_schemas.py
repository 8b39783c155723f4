"""IR built from the real schemas: counts, exact types, emits, layouts, determinism."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reactor_gen.ir.build import build_ir
from reactor_gen.ir.serialize import thaw_json
from reactor_gen.ir.model import Field, ModelIR
from reactor_gen.types import IntegerType, ListType, NullableType, StringType, UploadType
from reactor_gen.load import load_model
from reactor_gen.naming import apply_names

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
FIXTURE_2X = ROOT / "tests/generator/fixtures/longlive-v2.runtime2x-layout.json"
SEED = Path("/work/shared/seed/000_f530893ab20dc2f3.txt")

ALL = [
    SCHEMAS / "longlive-v2.json",
    SCHEMAS / "helios.json",
    SCHEMAS / "lingbot.json",
    SCHEMAS / "x2.json",
    FIXTURE_2X,
]


def named(doc: dict[str, Any]) -> ModelIR:
    return apply_names(build_ir(doc, file="t.json"), file="t.json")


def field(fields: tuple[Field, ...], name: str) -> Field:
    (match,) = [f for f in fields if f.name == name]
    return match


@pytest.mark.parametrize(
    ("path", "commands", "messages", "tracks", "layout", "prefix", "package"),
    [
        (
            SCHEMAS / "longlive-v2.json",
            9,
            12,
            ["main_video:video:out"],
            "3.x",
            "LongliveV2",
            "longlive_v2",
        ),
        (
            FIXTURE_2X,
            9,
            12,
            ["main_video:video:out"],
            "2.x",
            "LongliveV2",
            "longlive_v2",
        ),
        (
            SCHEMAS / "helios.json",
            11,
            9,
            ["main_video:video:out"],
            "3.x",
            "Helios",
            "helios",
        ),
        (
            SCHEMAS / "lingbot.json",
            11,
            11,
            ["main_video:video:out"],
            "3.x",
            "Lingbot",
            "lingbot",
        ),
        (
            SCHEMAS / "x2.json",
            8,
            7,
            ["source:video:in", "main_video:video:out"],
            "3.x",
            "X2",
            "x2",
        ),
    ],
)
def test_counts(
    path: Path,
    commands: int,
    messages: int,
    tracks: list[str],
    layout: str,
    prefix: str,
    package: str,
) -> None:
    loaded = load_model(path)
    ir = loaded.ir
    assert len(ir.commands) == commands
    assert len(ir.messages) == messages
    assert [f"{t.name}:{t.kind}:{t.direction}" for t in ir.tracks] == tracks
    assert ir.layout == layout
    assert (ir.prefix, ir.package) == (prefix, package)
    assert loaded.raw == path.read_bytes()
    assert re.fullmatch(r"[0-9a-f]{64}", loaded.sha256)
    # sorted by wire name
    assert [c.name for c in ir.commands] == sorted(c.name for c in ir.commands)
    assert [m.name for m in ir.messages] == sorted(m.name for m in ir.messages)
    for obj in [c.params for c in ir.commands] + [m.payload for m in ir.messages]:
        assert [f.name for f in obj.fields] == sorted(f.name for f in obj.fields)
        assert obj.class_name
        assert all(f.py_name for f in obj.fields)
    assert all(c.method_name for c in ir.commands)
    assert hash(ir) == hash(load_model(path).ir)


def test_longlive_v2_details() -> None:
    ir = load_model(SCHEMAS / "longlive-v2.json").ir
    assert ir.title == "longlive-v2"
    assert ir.version == "v3.0.5"
    assert ir.package_version == "3.0.5"
    assert ir.description.startswith("LongLive 2: a continuous")
    assert all(c.reply is None for c in ir.commands)
    set_seed = next(c for c in ir.commands if c.name == "set_seed")
    assert set_seed.description == "Set seed"
    (seed,) = set_seed.params.fields
    assert seed.type == IntegerType()
    assert (seed.required, seed.has_default, seed.default) == (False, True, 42)
    assert seed.constraints.minimum == 0 and seed.constraints.maximum is None
    assert seed.moderate is False
    assert set_seed.params.class_name == "SetSeedParams"
    assert set_seed.method_name == "set_seed"
    sched = next(c for c in ir.commands if c.name == "schedule_shot")
    at = field(sched.params.fields, "at_session_chunk")
    assert (at.type.kind, at.default, at.required, at.moderate) == (
        "integer",
        -1,
        False,
        False,
    )
    prompt = field(sched.params.fields, "prompt")
    assert (prompt.type.kind, prompt.default, prompt.moderate) == ("string", "", True)

    state = ir.message("state")
    assert state is not None
    assert state.component == "State" and state.payload.class_name == "State"
    assert state.listener_name == "on_state" and state.waiter_name == "wait_for_state"
    assert len(state.payload.fields) == 11
    assert all(f.required for f in state.payload.fields)
    assert field(state.payload.fields, "current_prompt").type == NullableType(StringType())
    assert field(state.payload.fields, "scheduled_shots").type == ListType(IntegerType())
    assert state.payload.pointer == "/components/schemas/State"
    assert state.pointer == "/webhooks/state/post"
    assert set_seed.pointer == "/paths/~1events~1set_seed/post"
    # scene_cut is a command and a message: no collision
    scene_cut_msg = ir.message("scene_cut")
    assert scene_cut_msg is not None and scene_cut_msg.payload.class_name == "SceneCut"
    scene_cut_cmd = next(c for c in ir.commands if c.name == "scene_cut")
    assert scene_cut_cmd.params.class_name == "SceneCutParams"
    assert (ir.tracks[0].attr_name, ir.tracks[0].publish_name) == ("main_video", "")


def _seed_emits() -> dict[str, tuple[str, ...]]:
    text = SEED.read_text(encoding="utf-8")
    camel = {
        "pause": "pause",
        "reset": "reset",
        "start": "start",
        "resume": "resume",
        "setSeed": "set_seed",
        "setShot": "set_shot",
        "sceneCut": "scene_cut",
        "scheduleShot": "schedule_shot",
        "scheduleSceneCut": "schedule_scene_cut",
    }
    result: dict[str, tuple[str, ...]] = {}
    current: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in camel and camel[stripped] not in result:  # a command heading
            current = stripped
            result[camel[stripped]] = ()
        elif stripped == "JavaScript":  # end of the command's prose
            current = None
        elif current is not None and stripped.startswith("Emits:"):
            result[camel[current]] = tuple(s.strip() for s in stripped[6:].split(","))
    return result


@pytest.mark.parametrize("path", [SCHEMAS / "longlive-v2.json", FIXTURE_2X])
def test_emits_match_seed(path: Path) -> None:
    expected = _seed_emits()
    assert len(expected) == 9
    assert sum(1 for v in expected.values() if v) == 8  # set_seed has no Emits: line
    ir = load_model(path).ir
    # one deliberate difference from the seed (the TypeScript rule): `reset` says
    # "there is no `command_error` path", so it does not emit command_error
    assert expected["reset"] == ("command_error", "generation_reset", "state")
    expected["reset"] = ("generation_reset", "state")
    assert {c.name: c.emits for c in ir.commands} == expected


def test_emits_come_from_positive_clauses_only() -> None:
    from reactor_gen.ir.build import extract_emits

    known = {"state", "command_error", "done"}
    assert extract_emits(
        "Always succeeds — there is no `command_error` path. Emits `state`.", known
    ) == ("state",)
    assert extract_emits("Emits `state`, or `command_error` if not paused.", known) == (
        "state",
        "command_error",
    )
    assert extract_emits("Never sends `done`; rejects bad input with `command_error`.", known) == (
        "command_error",
    )
    assert extract_emits("Emits `unknown_thing` and `state`.", known) == ("state",)


def test_2x_vs_3x_layout() -> None:
    ir3 = load_model(SCHEMAS / "longlive-v2.json").ir
    ir2 = load_model(FIXTURE_2X).ir
    assert (ir3.layout, ir2.layout) == ("3.x", "2.x")
    # 1. moderate flags: 3.x has one on every command field, 2.x (default moderate=True
    #    renderer, flags only when False) has none in this document.
    flags3 = {(c.name, f.name): f.moderate for c in ir3.commands for f in c.params.fields}
    flags2 = {(c.name, f.name): f.moderate for c in ir2.commands for f in c.params.fields}
    assert flags3 == {
        ("scene_cut", "prompt"): True,
        ("schedule_scene_cut", "at_session_chunk"): False,
        ("schedule_scene_cut", "prompt"): True,
        ("schedule_shot", "at_session_chunk"): False,
        ("schedule_shot", "prompt"): True,
        ("set_seed", "seed"): False,
        ("set_shot", "prompt"): True,
    }
    assert set(flags2) == set(flags3) and set(flags2.values()) == {None}
    # 2. message components: 3.x $refs, 2.x inline (class names agree anyway)
    assert {m.name: m.component for m in ir2.messages} == {m.name: None for m in ir3.messages}
    assert all(m.component == m.payload.class_name for m in ir3.messages)
    # 3. set_seed summary: "Set seed" in both (the 2.x auto-setter rule; 3.x would say
    #    the field description or "Set seed.") -- this document keeps the 2.x text.
    assert [c.description for c in ir3.commands] == [c.description for c in ir2.commands]

    def strip(ir: ModelIR) -> ModelIR:
        commands = tuple(
            replace(
                c,
                params=replace(
                    c.params,
                    fields=tuple(replace(f, moderate=None) for f in c.params.fields),
                ),
            )
            for c in ir.commands
        )
        messages = tuple(replace(m, component=None) for m in ir.messages)
        return replace(ir, layout="3.x", commands=commands, messages=messages)

    assert strip(ir3) == strip(ir2)
    assert ir3 != ir2


# --- determinism -------------------------------------------------------------


def _reorder(value: Any, order: Any) -> Any:
    if isinstance(value, dict):
        keys = order(list(value))
        return {k: _reorder(value[k], order) for k in keys}
    if isinstance(value, list):
        return [_reorder(v, order) for v in value]  # list order is meaningful
    return value


def _jsonb(keys: list[str]) -> list[str]:
    return sorted(keys, key=lambda k: (len(k.encode()), k.encode()))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_key_order_does_not_matter(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    reference = named(doc)
    rng = random.Random(1234)

    def shuffled(keys: list[str]) -> list[str]:
        rng.shuffle(keys)
        return keys

    for order in (lambda k: list(reversed(k)), _jsonb, shuffled, shuffled):
        other = named(_reorder(doc, order))
        assert other == reference
        assert repr(other) == repr(reference)  # pointers too


def test_thawed_defaults_roundtrip() -> None:
    ir = load_model(SCHEMAS / "x2.json").ir
    pointer = next(c for c in ir.commands if c.name == "set_pointer")
    assert {f.name: thaw_json(f.default) for f in pointer.params.fields} == {
        "active": False,
        "x": 0.5,
        "y": 0.5,
    }
    assert ir.tracks[0].publish_name == "publish_source"
    assert ir.tracks[0].unpublish_name == "unpublish_source"
    assert ir.tracks[0].client_direction == "sendonly"
    prompt = next(c for c in ir.commands if c.name == "set_prompt").params.fields[0]
    assert prompt.constraints.max_length == 1000 and prompt.required
    image = next(c for c in ir.commands if c.name == "set_reference_image").params.fields[0]
    assert image.type == UploadType() and image.required and image.moderate is True


def test_real_renderer_output_with_replies() -> None:
    """The test harness's feature model is rendered by reactor-runtime 3.10 itself."""
    path = ROOT / "schemas/feature-model.json"
    if not path.exists():
        pytest.skip("feature model schema not present")
    ir = load_model(path).ir
    assert ir.layout == "3.x"
    replies = {c.name: c.reply for c in ir.commands if c.reply is not None}
    assert replies  # 200 + $ref responses resolved through the webhooks' $refs
    for command, message in replies.items():
        target = ir.message(message)
        assert target is not None and target.component is not None
    assert [t.direction for t in ir.tracks].count("in") >= 1
    assert all(t.publish_name == f"publish_{t.name}" for t in ir.tracks if t.direction == "in")
