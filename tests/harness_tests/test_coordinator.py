"""The cloud-coordinator stand-in answers its routes and drives the real runtime."""

from __future__ import annotations

import httpx

from harness.coordinator import CloudCoordinator
from harness.server import RuntimeServer


def test_tokens_require_api_key(cloud_coordinator: CloudCoordinator) -> None:
    url = cloud_coordinator.url
    assert httpx.post(f"{url}/tokens").status_code == 401
    assert httpx.post(f"{url}/tokens", headers={"Reactor-API-Key": "wrong"}).status_code == 401
    response = httpx.post(
        f"{url}/tokens",
        headers={"Reactor-API-Key": cloud_coordinator.api_key},
        content=b"null",
    )
    assert response.status_code == 200
    assert response.json()["jwt"] in cloud_coordinator.tokens
    assert cloud_coordinator.token_bodies == [None]


def test_session_lifecycle(cloud_coordinator: CloudCoordinator, longlive_server: RuntimeServer) -> None:
    url = cloud_coordinator.url
    assert httpx.post(f"{url}/sessions", json={}).status_code == 401
    bad = {"Authorization": "Bearer nope"}
    assert httpx.post(f"{url}/sessions", json={}, headers=bad).status_code == 401

    jwt = httpx.post(
        f"{url}/tokens", headers={"Reactor-API-Key": cloud_coordinator.api_key}
    ).json()["jwt"]
    auth = {"Authorization": f"Bearer {jwt}", "Reactor-Client-Version": "test/1"}
    created = httpx.post(
        f"{url}/sessions", json={"model": {"name": "longlive-v2"}}, headers=auth
    )
    assert created.status_code == 201, created.text
    ack = created.json()
    sid = ack["session_id"]
    assert ack["state"] == "CREATED" and ack["model"]["name"] == "longlive-v2"
    try:
        polls = [httpx.get(f"{url}/sessions/{sid}", headers=auth).json() for _ in range(3)]
        assert [("capabilities" in p) for p in polls] == [False, False, True]
        assert polls[0]["state"] == "PENDING"
        assert polls[2]["state"] == "ACTIVE"
        assert polls[2]["selected_transport"]["protocol"] == "webrtc"
        assert polls[2]["capabilities"]["tracks"][0]["name"] == "main_video"
        assert cloud_coordinator.polls(sid) == 3

        ice = httpx.get(f"{url}/sessions/{sid}/transport/webrtc/ice_servers", headers=auth)
        assert ice.status_code == 200 and ice.json() == {"ice_servers": []}
        register = httpx.post(
            f"{url}/sessions/{sid}/transport/webrtc/connections", json={}, headers=auth
        )
        assert register.status_code == 201 and "connection_id" in register.json()
        assert httpx.get(f"{url}/sessions/other/transport/webrtc/ice_servers", headers=auth).status_code == 404
        assert httpx.get(f"{url}/sessions/{sid}/transport/webrtc/ice_servers").status_code == 401

        data = b"hello upload"
        upload = httpx.post(
            f"{url}/sessions/{sid}/uploads",
            json={"name": "a.txt", "size": len(data), "mime_type": "text/plain"},
            headers=auth,
        )
        assert upload.status_code in (200, 201), upload.text
        presigned = upload.json()["presigned_url"]
        assert presigned.startswith(url + "/uploads/")
        assert httpx.put(presigned, content=data).status_code // 100 == 2
    finally:
        deleted = httpx.delete(f"{url}/sessions/{sid}", headers=auth)
    assert deleted.status_code == 204
    assert httpx.get(f"{url}/sessions/{sid}", headers=auth).status_code == 404
    assert longlive_server.health()["state"] == "available"
    record = cloud_coordinator.requests("DELETE")[0]
    assert record.headers["authorization"] == f"Bearer {jwt}"
    assert cloud_coordinator.requests("POST", "/sessions")[-1].headers["reactor-client-version"] == "test/1"


def test_fault_injection(cloud_coordinator: CloudCoordinator) -> None:
    cloud_coordinator.inject("POST", r"^/sessions$", 503, {"detail": "busy"}, headers={"Retry-After": "1"})
    auth = {"Authorization": f"Bearer {cloud_coordinator.mint_token()}"}
    first = httpx.post(f"{cloud_coordinator.url}/sessions", json={}, headers=auth)
    assert first.status_code == 503 and first.headers["retry-after"] == "1"
    second = httpx.post(f"{cloud_coordinator.url}/sessions", json={}, headers=auth)
    assert second.status_code == 201
    httpx.delete(f"{cloud_coordinator.url}/sessions/{second.json()['session_id']}", headers=auth)
