"""The committed ``schemas/feature-model.json`` is what the runtime renders now for the feature model.

Regenerate after changing the model::

    cd tests/models/feature_model && ../../../.venv-server/bin/python -m reactor_runtime.schema --out ../../../schemas/feature-model.json
"""

from __future__ import annotations

import json

from harness.server import FEATURE_MODEL_DIR, REPO_ROOT
from harness_tests.test_sim_schema import render_schema


def test_feature_schema_is_current() -> None:
    committed = json.loads((REPO_ROOT / "schemas" / "feature-model.json").read_text())
    assert render_schema(FEATURE_MODEL_DIR) == committed, (
        "schemas/feature-model.json is stale; regenerate it (see this module's docstring)"
    )


def test_feature_schema_covers_the_generator_cases() -> None:
    schema = json.loads((REPO_ROOT / "schemas" / "feature-model.json").read_text())
    tracks = {(t["name"], t["kind"], t["direction"]) for t in schema["x-reactor"]["tracks"]}
    assert tracks == {("webcam", "video", "in"), ("main_video", "video", "out"), ("main_audio", "audio", "out")}
    paths = schema["paths"]
    assert "200" in paths["/events/echo"]["post"]["responses"]
    assert "202" in paths["/events/fail"]["post"]["responses"]
    upload = paths["/events/inspect_file"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert upload["properties"]["file"]["$ref"] == "#/components/schemas/ReactorUploadReference"
    configure = paths["/events/configure"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    props = configure["properties"]
    assert configure["required"] == ["label"]
    assert props["quality"]["enum"] == [1, 2, 3] and props["quality"]["type"] == "integer"
    assert props["mode"]["enum"] == ["fast", "balanced", "quality"]
    assert {"type": "null"} in props["region"]["anyOf"]
    assert "type" not in props["extra"]
