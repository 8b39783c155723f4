"""The runtime server harness: start, /health, session routes, kill/restart."""

from __future__ import annotations

import httpx
import pytest

from harness.server import LOCAL_SESSION_ID, LONGLIVE_SIM_DIR, RuntimeServer, RuntimeServerError


def test_longlive_server_health(longlive_server: RuntimeServer) -> None:
    assert longlive_server.url == f"http://127.0.0.1:{longlive_server.port}"
    health = longlive_server.health()
    assert health["state"] == "available"
    assert "starting reactor runtime" in longlive_server.log_text()


def test_longlive_session_descriptor_and_no_ice(longlive_server: RuntimeServer) -> None:
    url = longlive_server.url
    descriptor = httpx.post(f"{url}/start_session", json={}, timeout=10).json()
    try:
        assert descriptor["session_id"] == LOCAL_SESSION_ID
        assert descriptor["model"]["name"] == "longlive-v2"
        assert descriptor["capabilities"]["tracks"] == [
            {"name": "main_video", "kind": "video", "direction": "recvonly"}
        ]
        ice = httpx.get(
            f"{url}/sessions/{LOCAL_SESSION_ID}/transport/webrtc/ice_servers", timeout=5
        ).json()
        assert ice == {"ice_servers": []}
        schema = httpx.get(f"{url}/schema", timeout=5).json()
        assert schema["info"]["title"] == "longlive-v2"
    finally:
        assert httpx.post(f"{url}/stop_session", timeout=10).status_code == 200


def test_feature_server_health(feature_server: RuntimeServer) -> None:
    assert feature_server.health()["state"] == "available"


def test_factory_kill_and_restart_same_port(runtime_server_factory) -> None:  # type: ignore[no-untyped-def]
    server = runtime_server_factory(env={"SIM_TOTAL_CHUNKS": "3"}, ping_timeout=5)
    port = server.port
    assert "SIM_TOTAL_CHUNKS" in server.environment()
    server.kill()
    assert not server.running
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{server.url}/health", timeout=1)
    server.restart()
    assert server.port == port
    assert server.health()["state"] == "available"


def test_missing_model_dir_is_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeServerError):
        RuntimeServer(tmp_path)


def test_missing_interpreter_is_an_error(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REACTOR_RUNTIME_PYTHON", str(tmp_path / "nope" / "python"))
    with pytest.raises(RuntimeServerError, match="scripts/bootstrap"):
        RuntimeServer(LONGLIVE_SIM_DIR).start()
