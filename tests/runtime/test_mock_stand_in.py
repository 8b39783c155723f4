"""The stand-in model without a server: its data in every generated package, what each command
sends, the examples file, the test pattern, and the command line's one-line errors on a Python
without reactor-runtime (the dev venv)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from reactor_client import Message
from reactor_client.apps.mock.pattern import (
    IDLE_COLOR,
    AudioPattern,
    VideoPattern,
    command_color,
    command_tone,
    draw_text,
)
from reactor_client.apps.mock.surface import (
    Behaviour,
    SurfaceError,
    check_value,
    is_failure_message,
    load_examples,
    load_surface,
)
from reactor_client.typed import UnknownMessage

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(p for p in (ROOT / "generated").iterdir() if p.is_dir())


def surface_file(package_dir: Path) -> Path:
    (path,) = package_dir.glob("reactor_models/*/_surface.json")
    return path


def longlive() -> Behaviour:
    return Behaviour(load_surface(surface_file(ROOT / "generated" / "longlive-v2")))


@pytest.mark.parametrize("package_dir", PACKAGES, ids=lambda p: p.name)
def test_every_example_payload_is_a_valid_typed_message(package_dir: Path) -> None:
    surface = load_surface(surface_file(package_dir))
    module = importlib.import_module(f"reactor_models.{package_dir.name.replace('-', '_')}")
    assert surface.distribution == f"reactor-models-{package_dir.name}"
    for message in surface.messages:
        for field in message.fields:
            if field.required:
                assert field.name in message.example, (message.name, field.name)
            if field.name in message.example:
                assert check_value(field.type, message.example[field.name]) is None
        wire = json.loads(
            json.dumps(message.example), parse_int=float
        )  # numbers as the wire has them
        parsed = module.messages.parse_message(Message(message.name, wire))
        assert not isinstance(parsed, UnknownMessage), (message.name, parsed)


def test_a_command_sends_what_its_description_names_but_its_reply_and_failures() -> None:
    behaviour = longlive()
    set_shot = behaviour.surface.command("set_shot")
    assert set_shot is not None and "command_error" in set_shot.emits
    plan = behaviour.plan(set_shot)
    assert (plan.broadcasts, plan.reply, plan.error) == (
        ("scene_cut", "shot_set", "state"),
        None,
        None,
    )
    feature = Behaviour(load_surface(surface_file(ROOT / "generated" / "feature-model")))
    configure = feature.surface.command("configure")
    assert configure is not None and configure.emits == ("configured",)
    assert (
        feature.plan(configure).broadcasts == () and feature.plan(configure).reply == "configured"
    )
    assert is_failure_message("command_error") and is_failure_message("generation_failed")
    assert not is_failure_message("state") and not is_failure_message("errorless_thing")


def test_payloads_take_the_arguments_then_the_examples_file(tmp_path: Path) -> None:
    surface = longlive().surface
    examples = tmp_path / "examples.json"
    examples.write_text(
        json.dumps(
            {
                "messages": {"shot_set": {"prompt": "from the file"}, "state": {"seed": 3}},
                "commands": {
                    "schedule_shot": {"messages": {"shot_scheduled": {"at_session_chunk": 99}}},
                    "start": {"error": {"code": "not_ready", "message": "set a shot first"}},
                    "reset": {"emits": ["generation_reset", "chunk_complete"]},
                },
            }
        )
    )
    behaviour = Behaviour(surface, load_examples(examples, surface))
    assert behaviour.payload("state")["seed"] == 3  # the file's value over the example
    set_shot = surface.command("set_shot")
    assert behaviour.payload("shot_set", set_shot, {"prompt": "A cat"})["prompt"] == "A cat"
    assert behaviour.payload("shot_set", set_shot, {"prompt": 5})["prompt"] == "from the file"
    schedule = surface.command("schedule_shot")
    data = behaviour.payload(
        "shot_scheduled", schedule, {"prompt": "Closer", "at_session_chunk": 4}
    )
    assert data == {"prompt": "Closer", "at_session_chunk": 99}
    # a failing command broadcasts its failure messages, filled in, and no reply
    start = surface.command("start")
    plan = behaviour.plan(start)
    assert (plan.broadcasts, plan.error) == (("command_error",), ("not_ready", "set a shot first"))
    error = behaviour.payload("command_error", start, {}, plan.error)
    assert error == {"command": "start", "reason": "set a shot first"}
    # an explicit list is sent as given
    assert behaviour.plan(surface.command("reset")).broadcasts == (
        "generation_reset",
        "chunk_complete",
    )


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ({"mesages": {}}, "unknown key 'mesages' (keys: messages, commands, on_connect, periodic)"),
        ({"messages": {"stat": {}}}, "messages.stat: longlive-v2 has no message 'stat'"),
        ({"messages": {"state": {"sed": 1}}}, "messages.state.sed: state has no field 'sed'"),
        (
            {"messages": {"state": {"seed": 1.5}}},
            "messages.state.seed: expected integer, got float",
        ),
        (
            {"messages": {"state": {"running": 1}}},
            "messages.state.running: expected boolean, got int",
        ),
        ({"commands": {"go": {}}}, "commands.go: longlive-v2 has no command 'go'"),
        ({"commands": {"start": {"error": {}}}}, 'commands.start.error: expected {"code": "...",'),
        ({"commands": {"start": {"emits": "state"}}}, "commands.start.emits: expected a list"),
        ({"periodic": {"state": 0}}, "periodic.state: expected seconds > 0, got 0"),
        ({"on_connect": ["hello"]}, "on_connect[0]: longlive-v2 has no message 'hello'"),
        ([], "expected an object, got list"),
    ],
)
def test_a_bad_examples_file_names_the_place(tmp_path: Path, content: Any, error: str) -> None:
    examples = tmp_path / "examples.json"
    examples.write_text(json.dumps(content))
    with pytest.raises(SurfaceError) as info:
        load_examples(examples, longlive().surface)
    assert error in str(info.value) and "\n" not in str(info.value)


def test_check_value_follows_the_runtimes_rules() -> None:
    integer, number = {"kind": "integer"}, {"kind": "number"}
    assert check_value(integer, 3) is None and check_value(integer, 3.0) is None
    assert check_value(integer, True) is not None and check_value(integer, 3.5) is not None
    assert check_value(number, 3) is None and check_value(number, False) is not None
    enum = {"kind": "enum", "values": [1, 2]}
    assert check_value(enum, 2) is None and check_value(enum, True) is not None
    obj = {
        "kind": "object",
        "fields": [{"name": "x", "type": integer, "required": True}],
    }
    assert check_value(obj, {"x": 1}) is None
    assert check_value(obj, {}) == "missing required field 'x'"
    nested = {"kind": "list", "item": {"kind": "nullable", "item": obj}}
    assert check_value(nested, [None, {"x": "1"}]) == "[1]: x: expected integer, got str"
    assert check_value({"kind": "upload"}, {"upload_id": "abc"}) is None


def test_the_pattern_shows_the_command_and_the_inputs() -> None:
    assert command_color(None) == IDLE_COLOR and command_color("start") == command_color("start")
    assert command_color("start") != command_color("pause")
    assert all(40 <= c <= 215 for c in command_color("set_shot"))
    assert 220 <= command_tone("set_shot") < 440 * 2 and command_tone(None) == 440.0

    pattern = VideoPattern("main_video", 160, 120)
    webcam = np.zeros((48, 64, 3), np.uint8)
    webcam[:] = (255, 0, 255)
    frame = pattern.frame(5, "set_shot", 2, "prompt='A cat'", [("webcam", 10, webcam)])
    assert frame.shape == (120, 160, 3) and frame.dtype == np.uint8
    assert tuple(frame[:15, :20].reshape(-1, 3).min(axis=0)) == command_color("set_shot")
    assert tuple(frame[:15, :20].reshape(-1, 3).max(axis=0)) == command_color("set_shot")
    assert tuple(frame[90, 140]) == (255, 0, 255)  # the input, bottom right
    assert (frame[30:60, 20:150] != command_color("set_shot")).any()  # the text
    assert tuple(frame[119, 5]) == (255, 255, 255)  # the moving marker

    canvas = np.zeros((10, 10, 3), np.uint8)
    assert draw_text(canvas, "AB", 8, 0) == 12  # clipped at the edge, nothing raised

    tone = AudioPattern().samples(48_000, "set_shot")
    assert tone.shape == (1, 48_000) and tone.dtype == np.int16
    spectrum = np.abs(np.fft.rfft(tone[0].astype(np.float64)))
    assert abs(float(np.argmax(spectrum)) - command_tone("set_shot")) <= 1


def _mock(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != "REACTOR_RUNTIME_PYTHON"}
    return subprocess.run(
        [sys.executable, "-m", "reactor_models.feature_model", "mock", *args],
        capture_output=True,
        text=True,
        env={**full, **(env or {})},
        timeout=60,
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the dev venv's Python is older than 3.12")
def test_on_an_older_python_mock_is_one_line_naming_what_to_do() -> None:
    done = _mock()
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(
        "error: the stand-in model runs on reactor-runtime, which needs Python >= 3.12"
    )
    assert "pip install 'reactor-models-feature-model[mock]'" in line
    assert "--python PATH" in line and "REACTOR_RUNTIME_PYTHON" in line


def test_mock_usage_errors_are_one_line(tmp_path: Path) -> None:
    assert _mock("--help").returncode == 0
    for args, env, error in [
        (
            ("--python", str(tmp_path / "nope")),
            None,
            f"error: --python {tmp_path / 'nope'}: no such",
        ),
        (
            (),
            {"REACTOR_RUNTIME_PYTHON": str(tmp_path)},
            f"error: REACTOR_RUNTIME_PYTHON {tmp_path}:",
        ),
    ]:
        done = _mock(*args, env=env)
        assert done.returncode == 2, done.stderr
        (line,) = done.stderr.splitlines()
        assert line.startswith(error), line
    done = _mock("--size", "7x7")
    assert done.returncode == 2 and "--size: 7x7: even sizes" in done.stderr
