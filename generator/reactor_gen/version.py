"""Version numbers that end up in generated output (kept constant for reproducibility)."""

from __future__ import annotations

__all__ = [
    "GENERATOR_NAME",
    "GENERATOR_VERSION",
    "PYDANTIC_REQUIREMENT",
    "RUNTIME_API_VERSION",
    "RUNTIME_REQUIREMENT",
]

GENERATOR_NAME = "reactor-gen"
GENERATOR_VERSION = "0.1.0"
"""Written into every generated file header and the manifest. Keep in sync with
``pyproject.toml`` (a test checks it)."""

RUNTIME_REQUIREMENT = "reactor-client>=0.2.2,<0.3"
"""The runtime-core requirement of every generated package."""

RUNTIME_API_VERSION = 1
"""``reactor_client.RUNTIME_API_VERSION`` the generated code is written against."""

PYDANTIC_REQUIREMENT = "pydantic>=2.7,<3"
