"""A model message called ``moderation`` next to the platform's moderation notices
(``tests/generator/fixtures/moderation-message.json``): the platform listener wins — the
client's own ``on_moderation(callback)`` takes ``reactor_client.ModerationEvent`` — and the
model message's listener gets the usual reserved-member suffix, ``on_moderation_``. Its
waiter and class keep their names. Moderated arguments are said so in the docs."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from test_generated_packages import mypy_strict, write_files

from reactor_gen.load import load_model
from reactor_gen.pipeline import build

SCHEMA = Path(__file__).resolve().parent / "fixtures" / "moderation-message.json"


def test_the_platform_listener_wins_and_the_message_gets_a_suffix() -> None:
    ir = load_model(SCHEMA).ir
    (message,) = ir.messages
    assert (message.name, message.listener_name, message.waiter_name) == (
        "moderation",
        "on_moderation_",
        "wait_for_moderation",
    )
    assert message.payload.class_name == "Moderation"
    (command,) = ir.commands
    assert {f.name: f.moderate for f in command.params.fields} == {"prompt": True, "seed": False}


def _import(out: Path) -> Any:
    sys.path.insert(0, str(out))
    try:
        for name in [m for m in sys.modules if m.startswith("reactor_models.moderated_demo")]:
            del sys.modules[name]
        return importlib.import_module("reactor_models.moderated_demo")
    finally:
        sys.path.remove(str(out))


def test_generated_package_keeps_both_apart(tmp_path: Path) -> None:
    from reactor_client.sync import SyncModel
    from reactor_client.typed import ModelClient

    files = build(SCHEMA).files
    out = write_files(files, tmp_path / "out")
    mod = _import(out)
    model_cls = mod.ModeratedDemoModel
    # the platform's listener is the runtime's, untouched by the generated class
    assert model_cls.on_moderation is ModelClient.on_moderation
    assert "on_moderation_" in vars(mod.listeners.ModeratedDemoListeners)
    sync_mod = importlib.import_module("reactor_models.moderated_demo.sync")
    assert sync_mod.ModeratedDemoModel.on_moderation is SyncModel.on_moderation
    assert hasattr(sync_mod.ModeratedDemoModel, "on_moderation_")
    # the docs say which argument is moderated, and only that one
    readme = files["README.md"]
    assert "`set_prompt(prompt)`" in readme and "set_prompt(seed)" not in readme
    assert "`on_moderation_`" in readme  # the message's listener, as the README lists it
    client_py = next(text for rel, text in files.items() if rel.endswith("_client.py"))
    assert "``set_prompt(prompt)``" in client_py  # the model class's docstring lists it
    assert client_py.count("Moderated: the platform checks it") == 1  # prompt, not seed
    mypy_strict(out, tmp_path / "mypy-cache")
