"""The codec seam: a codec the tests define plugs into the client without touching it.

``TracingCodec`` is v1 with a different name that records every frame it encodes and
decodes; the client negotiates nothing (it is given), latches the runtime with its first
frame, and runs commands, replies and messages through it — on the in-memory transport
and on the real runtime."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from reactor_client import Message, ReactorClient, Status, TrackSpec
from reactor_client.transport.memory import MemoryRuntime
from reactor_client.types import UploadReference
from reactor_client.wire import Codec, CodecCapabilities, Correlator, Inbound, Outbound, codec_for
from reactor_client.wire.base import Channel, Frame, TrackVerb


class TracingCodec:
    """A registered-by-the-test codec: v1 on the wire, its own name and bookkeeping."""

    name = "v1-traced"
    capabilities = CodecCapabilities(replies=True, steps=False)

    def __init__(self) -> None:
        self._v1: Codec = codec_for("v1")
        self.encoded: list[Outbound] = []
        self.decoded: list[Inbound] = []

    def _out(self, out: Outbound) -> Outbound:
        self.encoded.append(out)
        return out

    def correlator(self) -> Correlator:
        return self._v1.correlator()

    def decode(self, frame: Frame, channel: Channel) -> Inbound:
        inbound = self._v1.decode(frame, channel)
        self.decoded.append(inbound)
        return inbound

    def command(
        self, name: str, data: Mapping[str, Any], uploads: Mapping[str, UploadReference] | None, request_id: str
    ) -> Outbound:
        return self._out(self._v1.command(name, data, uploads, request_id))

    def ping(self) -> Outbound:
        return self._out(self._v1.ping())

    def request_schema(self, request_id: str) -> Outbound:
        return self._out(self._v1.request_schema(request_id))

    def file_uploaded(self, ref: UploadReference) -> Outbound:
        return self._out(self._v1.file_uploaded(ref))

    def request_clip(self, duration_seconds: float, request_id: str) -> Outbound:
        return self._out(self._v1.request_clip(duration_seconds, request_id))

    def request_recording(self, request_id: str) -> Outbound:
        return self._out(self._v1.request_recording(request_id))

    def publish_track(self, name: str, request_id: str) -> Outbound:
        return self._out(self._v1.publish_track(name, request_id))

    def track_notification(self, verb: TrackVerb, name: str) -> Outbound:
        return self._out(self._v1.track_notification(verb, name))

    def step(self, request_id: str, body: bytes) -> Outbound:
        raise AssertionError("capabilities.steps is False: the client must not call step()")


async def test_a_test_codec_runs_a_memory_session() -> None:
    codec = TracingCodec()
    runtime = MemoryRuntime("demo", tracks=[TrackSpec("main_video", "video", "recvonly")])
    runtime.on_command = lambda name, data: ("echo", data)
    async with ReactorClient("demo", transport=runtime.factory(), codec=codec) as client:
        assert client.codec == "v1-traced"
        assert await client.send_command("echo", {"n": 1}) == Message("echo", {"n": 1.0})
        from reactor_client import InvalidStateError

        with pytest.raises(InvalidStateError, match="v1-traced"):
            await client.step()  # the capability, not the name, decides
    kinds = [o.channel for o in codec.encoded]
    assert kinds[0] == "control"  # the first frame (a ping) latched the runtime
    assert runtime.codec == "v1" and [c.name for c in runtime.commands] == ["echo"]
    assert any(i.type == "echo" for i in codec.decoded)


async def test_a_test_codec_runs_a_real_runtime_session(feature_server: Any) -> None:
    from reactor_models.feature_model import FeatureModel

    codec = TracingCodec()
    async with FeatureModel(url=feature_server.url, codec=codec) as model:
        assert model.status == Status.READY and model.client.codec == "v1-traced"
        reply = await model.echo(text="through the test codec")
        assert reply is not None and reply.text == "through the test codec"
        await model.main_video.next_frame(timeout=10)
    assert any(o.channel == "data" for o in codec.encoded)
    assert any(i.type == "echo" and i.source == "model" for i in codec.decoded)
