"""Unit tests of stepped-generation plumbing: start options, request encoding, result
decoding and the failure-code -> error mapping (the real-runtime behaviour is covered by
tests/e2e/test_generated_stepped.py)."""

from __future__ import annotations

import typing

import av
import numpy as np
import pydantic
import pytest

import reactor_client
from reactor_client.stepping import (
    StepCommand,
    StepResult,
    build_request,
    session_start_body,
    step_error,
)
from reactor_client.typed import step_command, validate_state
from reactor_client.wire import decode
from reactor_client.wire.pb import data_pb2, step_pb2


def test_session_start_body() -> None:
    assert session_start_body(None, None, None) == {}
    body = session_start_body(
        "stepped",
        5,
        {"state": {"level": 3}, "commands": [("note", {"text": "a"}), StepCommand("fail")]},
    )
    assert body == {
        "generation": "stepped",
        "steps": 5,
        "starting_input": {
            "state": {"level": 3},
            "commands": [
                {"command": "note", "data": {"text": "a"}},
                {"command": "fail", "data": {}},
            ],
        },
    }
    for bad in ({"generation": "batch"}, {"steps": 0}, {"steps": 10_001}, {"steps": True}):
        with pytest.raises(reactor_client.ConfigurationError):
            session_start_body(bad.get("generation"), bad.get("steps"), None)  # type: ignore[arg-type]
    with pytest.raises(reactor_client.ConfigurationError, match="unknown keys"):
        session_start_body(None, None, {"stat": {}})
    with pytest.raises(reactor_client.ConfigurationError, match=r"starting_input.commands\[0\]"):
        session_start_body(None, None, {"commands": [42]})


def test_build_request_encodes_every_frame_kind() -> None:
    rgb = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
    raw = build_request(
        "data_7",
        {"level": 3},
        [("note", {"text": "a"})],
        {
            "camera": [rgb, frame, reactor_client.H264Frame(b"\x00\x00\x01\x65", 12)],
            "mic": [np.array([0.5, -1.0], np.float32), np.array([[1, 2], [3, 4]], np.int16)],
        },
        {"camera": "video", "mic": "audio"},
    )
    msg = data_pb2.DataClientMessage.FromString(raw)
    assert msg.request_id == "data_7" and msg.WhichOneof("payload") == "request_step"
    req = msg.request_step
    assert dict(req.state) == {"level": 3.0}
    assert req.commands[0].type == "note" and dict(req.commands[0].data) == {"text": "a"}
    camera, mic = req.media_input
    assert camera.track == "camera" and camera.kind == step_pb2.TRACK_KIND_VIDEO
    first, second, h264 = camera.frames
    for f in (first, second):
        assert f.encoding == step_pb2.FRAME_ENCODING_RAW and f.dtype == "uint8"
        assert list(f.shape) == [2, 3, 3] and f.data == rgb.tobytes()
    assert h264.encoding == step_pb2.FRAME_ENCODING_H264 and h264.capture_time_us == 12
    assert mic.kind == step_pb2.TRACK_KIND_AUDIO
    assert [list(f.shape) for f in mic.frames] == [[1, 2], [2, 2]]
    assert np.frombuffer(mic.frames[0].data, "<i2").tolist() == [16383, -32767]


def test_build_request_rejects_bad_frames() -> None:
    kinds = {"camera": "video"}
    for bad in (np.zeros((4, 4), np.uint8), np.zeros((4, 4, 3), np.float32), "frame"):
        with pytest.raises(reactor_client.ConfigurationError, match=r"media\['camera'\]\[0\]"):
            build_request("r", None, None, {"camera": [bad]}, kinds)  # type: ignore[list-item]
    with pytest.raises(reactor_client.ConfigurationError, match="list of frames"):
        build_request("r", None, None, {"camera": np.zeros((2, 2, 3), np.uint8)}, kinds)  # type: ignore[dict-item]


def _result(**fields: object) -> step_pb2.StepResult:
    return step_pb2.StepResult(**fields)  # type: ignore[arg-type]


def test_result_decoding_and_the_v1_envelope() -> None:
    rgb = np.random.default_rng(1).integers(0, 256, (4, 5, 3), dtype=np.uint8)
    msg = _result(
        step=3,
        elapsed_seconds=0.25,
        files=[step_pb2.StepFileRef(name="a.json", content_type="application/json", size=9)],
        tracks=[
            step_pb2.TrackFrames(
                track="main_video",
                kind=step_pb2.TRACK_KIND_VIDEO,
                rate=24.0,
                frames=[
                    step_pb2.Frame(
                        encoding=step_pb2.FRAME_ENCODING_RAW,
                        dtype="uint8",
                        shape=[4, 5, 3],
                        data=rgb.tobytes(),
                        metadata=b"m",
                    )
                ],
            )
        ],
    )
    envelope = data_pb2.DataServerMessage(request_id="data_1", kind=2, step_result=msg)
    inbound = decode(envelope.SerializeToString(), "data")
    assert inbound.request_id == "data_1" and inbound.is_response and inbound.step is not None
    result: StepResult[str] = StepResult(inbound.step)
    assert step_error(inbound.step) is None
    assert (result.step, result.elapsed_seconds, result.tracks) == (3, 0.25, ("main_video",))
    assert result.files == (reactor_client.StepFile("a.json", "application/json", 9),)
    (frame,) = result.frames("main_video")
    assert np.array_equal(frame, rgb) and frame.dtype == np.uint8
    assert result.frame_metadata("main_video") == [b"m"] and result.rate("main_video") == 24.0
    assert result.frames("other") == [] and result.rate("other") is None


@pytest.mark.parametrize(
    ("code", "cls", "ran"),
    [
        (step_pb2.STEP_FAILURE_CODE_REFUSED, reactor_client.StepRefusedError, False),
        (step_pb2.STEP_FAILURE_CODE_NOT_READY, reactor_client.StepNotReadyError, False),
        (step_pb2.STEP_FAILURE_CODE_FAILED, reactor_client.StepFailedError, True),
        (step_pb2.STEP_FAILURE_CODE_RESULT_TOO_LARGE, reactor_client.StepResultTooLargeError, True),
        (step_pb2.STEP_FAILURE_CODE_COMMAND_FAILED, reactor_client.StepCommandFailedError, False),
    ],
)
def test_failure_codes_map_to_typed_errors(code: int, cls: type[Exception], ran: bool) -> None:
    err = step_error(
        _result(
            step=4,
            elapsed_seconds=0.5,
            failure_code=code,
            error="why",
            entry="commands[1]",
            code="busy",
        )
    )
    assert isinstance(err, cls) and isinstance(err, reactor_client.StepError)
    assert err.message == "why" and err.entry == "commands[1]" and err.command_code == "busy"
    assert err.ran is ran and err.step == (4 if ran else None)
    assert not err.recoverable


def test_session_ended_code_is_session_ended_error() -> None:
    err = step_error(_result(failure_code=step_pb2.STEP_FAILURE_CODE_SESSION_ENDED, error="gone"))
    assert isinstance(err, reactor_client.SessionEndedError) and err.message == "gone"


class SetLevelParams(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    COMMAND: typing.ClassVar[str] = "set_level"
    level: pydantic.StrictInt = pydantic.Field(default=0, ge=0, le=255)


class Plain(pydantic.BaseModel):
    pass


def test_typed_state_and_commands() -> None:
    params = {"level": SetLevelParams}
    assert validate_state(params, {"level": 0}) == {"level": 0}  # a default is still sent
    with pytest.raises(
        reactor_client.CommandValidationError, match=r"set_level: level: must be <= 255"
    ):
        validate_state(params, {"level": 256})
    with pytest.raises(reactor_client.CommandValidationError, match="known: level"):
        validate_state(params, {"lvl": 1})
    assert step_command(SetLevelParams(level=3)) == StepCommand("set_level", {"level": 3})
    assert step_command(StepCommand("x")) == StepCommand("x")
    with pytest.raises(reactor_client.ConfigurationError):
        step_command(Plain())
