"""The stand-in's README example: an examples file valid for the model
(``python -m reactor_models.<pkg> mock --examples FILE``).

The stand-in itself (``reactor_client.apps.mock``) is built from the package's one surface
description, ``_surface.json`` (:mod:`reactor_gen.render.surface`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reactor_gen.ir.model import ModelIR
from reactor_gen.render.examples import example_payload
from reactor_gen.render.surface import json_example, surface_json
from reactor_gen.types import BooleanType

__all__ = ["MockView", "build_mock_view", "readme_examples"]


def readme_examples(ir: ModelIR) -> dict[str, Any]:
    """The README's example of a stand-in's examples file (valid for ``ir``): a message's
    value, a command made to fail, and that message sent every second."""
    out: dict[str, Any] = {}
    failure = ("error", "errors", "fail", "failed", "failure", "refused", "rejected")
    messages = sorted(
        ir.messages,
        key=lambda m: ("state" not in m.name, any(w in failure for w in m.name.split("_")), m.name),
    )
    for message in messages:
        fields = sorted(
            (f for f in message.payload.fields if f.type.is_scalar),
            key=lambda f: (not isinstance(f.type, BooleanType), f.name),
        )
        if fields:
            example = json_example(example_payload(message))
            f = fields[0]
            out["messages"] = {
                message.name: {f.name: f.type.another(example.get(f.name), f.constraints)}
            }
            break
    free = [c for c in ir.commands if not any(f.required for f in c.params.fields)]
    if free:  # a command that can be sent without arguments: `start` where there is one
        command = next((c for c in free if c.name == "start"), free[0])
        out["commands"] = {
            command.name: {"error": {"code": "model_busy", "message": "Try again in a minute"}}
        }
    if "messages" in out:
        out["periodic"] = {next(iter(out["messages"])): 1.0}
    return out


def _compact(data: dict[str, Any]) -> str:
    """A JSON object with one top-level key per line."""
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items()]
    return "{\n" + ",\n".join(lines) + "\n}" if lines else "{}"


@dataclass(frozen=True)
class MockView:
    """What the templates need of the stand-in (``mk``)."""

    surface_json: str
    """``_surface.json``: the package's one surface description."""
    examples_json: str
    """The README's example examples file (indented JSON)."""


def build_mock_view(ir: ModelIR, header: str = "") -> MockView:
    return MockView(
        surface_json=surface_json(ir, header),
        examples_json=_compact(readme_examples(ir)),
    )
