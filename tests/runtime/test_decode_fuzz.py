"""Fuzzing the inbound decoders (Hypothesis): any frame the other side could send decodes to an
``Inbound`` or raises ``ValueError`` -- never another exception that would escape dispatch."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactor_client.wire import Inbound, decode
from reactor_client.wire.pb import control_pb2, data_pb2

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
envelope_keys = st.sampled_from(["scope", "type", "data", "request_id", "requestId", "error", "message", "code"])


def decodes_or_value_error(frame: str | bytes, channel: str) -> None:
    try:
        result = decode(frame, channel)  # type: ignore[arg-type]
    except ValueError:
        return
    assert isinstance(result, Inbound)
    assert isinstance(result.data, dict)


@FUZZ
@given(st.binary(max_size=512), st.sampled_from(["data", "control"]))
def test_arbitrary_bytes(frame: bytes, channel: str) -> None:
    decodes_or_value_error(frame, channel)


@FUZZ
@given(st.text(max_size=256), st.sampled_from(["data", "control"]))
def test_arbitrary_text(frame: str, channel: str) -> None:
    decodes_or_value_error(frame, channel)


@FUZZ
@given(st.dictionaries(envelope_keys, json_values, max_size=6), st.sampled_from(["data", "control"]))
def test_json_envelopes_with_wrong_shapes(envelope: dict[str, Any], channel: str) -> None:
    decodes_or_value_error(json.dumps(envelope), channel)
    decodes_or_value_error(json.dumps({"scope": "application", "data": envelope}), channel)


@FUZZ
@given(st.integers(0, 8), st.binary(max_size=64), st.sampled_from(["data", "control"]))
def test_valid_protobuf_truncated_or_extended(cut: int, tail: bytes, channel: str) -> None:
    msg = data_pb2.DataServerMessage(request_id="data_1", kind=2)
    msg.message.type = "state"
    msg.message.data.update({"n": 1.0, "s": "x"})
    raw = msg.SerializeToString()
    decodes_or_value_error(raw[: max(0, len(raw) - cut)], channel)
    decodes_or_value_error(raw + tail, channel)
    ctrl = control_pb2.ControlServerMessage(request_id="ctrl_1", kind=2)
    ctrl.clip_ready.playlist_url = "/clips"
    decodes_or_value_error(ctrl.SerializeToString()[: max(0, ctrl.ByteSize() - cut)] + tail, channel)
