"""``pull``: HTTP, data-channel and renderer routes against a REAL reactor-runtime 3.10.0."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.server import FEATURE_MODEL_DIR, LONGLIVE_SIM_DIR, RuntimeServer, runtime_python
from reactor_gen.ir.model import ModelIR
from reactor_gen.lifecycle.common import Layout, LifecycleError
from reactor_gen.lifecycle.pull import pull
from reactor_gen.load import load_document, load_model

from lifecycle.proxy import NoSchemaProxy


def renderer_output(model_dir: Path, version: str | None = None) -> dict[str, Any]:
    """The vendor renderer's own output, run independently of reactor-gen."""
    command = [str(runtime_python()), "-m", "reactor_runtime.schema"]
    if version:
        command += ["--version", version]
    result = subprocess.run(command, cwd=model_dir, capture_output=True, text=True, timeout=120, check=True)
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def ir_of(document: dict[str, Any]) -> ModelIR:
    raw = json.dumps(document).encode()
    return load_document(document, raw, path=Path("renderer.json"), file="renderer").ir


def integer_fragments_hold_ints(node: Any) -> bool:
    """Every value of an ``integer`` fragment (default, bounds, enum) is a JSON int."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            values = [node.get(k) for k in ("default", "minimum", "maximum") if k in node]
            values += list(node.get("enum", []))
            if any(isinstance(v, float) for v in values):
                return False
        return all(integer_fragments_hold_ints(v) for v in node.values())
    if isinstance(node, list):
        return all(integer_fragments_hold_ints(v) for v in node)
    return True


def test_pull_url_feature_model_matches_renderer(feature_server: RuntimeServer, tmp_layout: Layout) -> None:
    result = pull("feature-model", tmp_layout, url=feature_server.url)
    assert result.route == "http"
    pulled = load_model(tmp_layout.schema_path("feature-model"))
    assert pulled.ir == ir_of(renderer_output(FEATURE_MODEL_DIR))
    raw = tmp_layout.schema_path("feature-model").read_bytes()
    assert raw.endswith(b"}\n") and b'\n  "openapi"' in raw  # indent 2, trailing newline


def test_pull_data_channel_fallback_feature_model(feature_server: RuntimeServer, tmp_layout: Layout) -> None:
    with NoSchemaProxy(feature_server.url) as proxy:
        result = pull("feature-model", tmp_layout, url=proxy.url, version="1.2.0")
    assert result.route == "channel"
    assert proxy.schema_hits >= 1  # GET /schema was tried and refused
    assert any("start_session" in line for line in proxy.forwarded)  # a real session was used
    document = json.loads(tmp_layout.schema_path("feature-model").read_text())
    assert integer_fragments_hold_ints(document)
    rendered = renderer_output(FEATURE_MODEL_DIR, "1.2.0")
    assert load_model(tmp_layout.schema_path("feature-model")).ir == ir_of(rendered)
    # numbers are back to the renderer's own ints/floats: identical modulo key order
    assert json.dumps(document, sort_keys=True) == json.dumps(rendered, sort_keys=True)


def test_pull_data_channel_fallback_longlive(longlive_server: RuntimeServer, tmp_layout: Layout) -> None:
    with NoSchemaProxy(longlive_server.url, hidden_status=405) as proxy:
        result = pull("longlive-v2", tmp_layout, url=proxy.url)
    assert result.route == "channel"
    document = json.loads(tmp_layout.schema_path("longlive-v2").read_text())
    assert integer_fragments_hold_ints(document)
    assert load_model(tmp_layout.schema_path("longlive-v2")).ir == ir_of(renderer_output(LONGLIVE_SIM_DIR))


def test_pull_url_longlive_keeps_existing_version(longlive_server: RuntimeServer, tmp_layout: Layout) -> None:
    repo_schema = Path(__file__).resolve().parents[2] / "schemas" / "longlive-v2.json"
    target = tmp_layout.schema_path("longlive-v2")
    target.write_bytes(repo_schema.read_bytes())
    result = pull("longlive-v2", tmp_layout, url=longlive_server.url)
    assert result.route == "http"
    assert result.kept_version and result.new_version == "v3.0.5"  # the runtime says v0.0.0
    assert load_model(target).ir == ir_of(renderer_output(LONGLIVE_SIM_DIR, "v3.0.5"))


@pytest.mark.parametrize(
    ("model_dir", "name"), [(LONGLIVE_SIM_DIR, "longlive-v2"), (FEATURE_MODEL_DIR, "feature-model")]
)
def test_pull_model_dir_matches_renderer(model_dir: Path, name: str, tmp_layout: Layout) -> None:
    result = pull(name, tmp_layout, model_dir=model_dir, runtime_python=runtime_python(), version="v3.1.0")
    assert result.route == "model-dir" and result.new_version == "v3.1.0"
    assert load_model(tmp_layout.schema_path(name)).ir == ir_of(renderer_output(model_dir, "v3.1.0"))
    again = pull(name, tmp_layout, model_dir=model_dir, runtime_python=runtime_python(), version="v3.1.0")
    assert not again.changed


def test_pull_errors_are_one_line(tmp_layout: Layout, tmp_path: Path) -> None:
    with pytest.raises(LifecycleError, match="cannot reach"):
        pull("x", tmp_layout, url="http://127.0.0.1:9")
    with pytest.raises(LifecycleError, match="no reactor.yaml"):
        pull("x", tmp_layout, model_dir=tmp_path, runtime_python=runtime_python())
    with pytest.raises(LifecycleError, match="runtime interpreter"):
        pull("x", tmp_layout, model_dir=LONGLIVE_SIM_DIR, runtime_python=tmp_path / "nope")
    with pytest.raises(LifecycleError, match="invalid model name"):
        pull("../evil", tmp_layout, url="http://127.0.0.1:9")
    with pytest.raises(LifecycleError, match="invalid version"):
        pull("x", tmp_layout, model_dir=LONGLIVE_SIM_DIR, version="latest")


def test_pull_refuses_another_models_schema_and_keeps_the_file(
    feature_server: RuntimeServer, tmp_layout: Layout
) -> None:
    """A runtime serving feature-model, pulled as longlive-v2: refused, nothing written; with
    ``force`` written, and the replaced file kept as ``.bak`` (never a second copy of it)."""
    repo_schema = Path(__file__).resolve().parents[2] / "schemas" / "longlive-v2.json"
    target = tmp_layout.schema_path("longlive-v2")
    target.write_bytes(repo_schema.read_bytes())
    before = sorted(p.name for p in tmp_layout.schemas.iterdir())
    with pytest.raises(LifecycleError) as refused:
        pull("longlive-v2", tmp_layout, url=feature_server.url)
    message = str(refused.value)
    assert f"{feature_server.url} serves the model 'feature-model', not 'longlive-v2'" in message
    assert "was not written" in message and "--force" in message and "\n" not in message
    assert target.read_bytes() == repo_schema.read_bytes()
    assert sorted(p.name for p in tmp_layout.schemas.iterdir()) == before

    forced = pull("longlive-v2", tmp_layout, url=feature_server.url, force=True)
    backup = tmp_layout.schemas / "longlive-v2.json.bak"
    assert forced.title == "feature-model" and forced.backup == backup
    assert not forced.kept_version and forced.new_version == "v0.0.0"  # not longlive-v2's v3.0.5
    assert backup.read_bytes() == repo_schema.read_bytes()
    assert json.loads(target.read_text())["info"]["title"] == "feature-model"
    assert f"the previous content is in {backup}" in forced.summary()
    again = pull("longlive-v2", tmp_layout, url=feature_server.url, force=True)
    assert not again.changed and again.backup is None
    assert sorted(p.name for p in tmp_layout.schemas.iterdir()) == [*before, "longlive-v2.json.bak"]
    # a second forced overwrite of a different file never replaces the first backup
    target.write_bytes(repo_schema.read_bytes())
    third = pull("longlive-v2", tmp_layout, url=feature_server.url, force=True)
    assert third.backup == tmp_layout.schemas / "longlive-v2.json.bak.2"
    assert third.backup.read_bytes() == backup.read_bytes() == repo_schema.read_bytes()
    # the model's own name is never refused, whatever its case or separators
    assert pull("Feature_Model", tmp_layout, url=feature_server.url).title == "feature-model"


def test_cli_pull_of_another_model_exits_1_and_force_says_where_the_old_file_is(
    feature_server: RuntimeServer, tmp_layout: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    from reactor_gen.cli import main as cli_main

    target = tmp_layout.schema_path("longlive-v2")
    target.write_bytes(b'{"my": "own work"}\n')
    args = ["pull", "longlive-v2", "--url", feature_server.url, "--root", str(tmp_layout.root)]
    assert cli_main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("reactor-gen pull: error: ") and "Traceback" not in captured.err
    assert "'feature-model', not 'longlive-v2'" in captured.err
    assert target.read_bytes() == b'{"my": "own work"}\n'
    assert cli_main([*args, "--force"]) == 0
    captured = capsys.readouterr()
    assert f"the previous content is in {tmp_layout.schemas / 'longlive-v2.json.bak'}" in captured.out
    assert "written because of --force" in captured.err
    assert (tmp_layout.schemas / "longlive-v2.json.bak").read_bytes() == b'{"my": "own work"}\n'
