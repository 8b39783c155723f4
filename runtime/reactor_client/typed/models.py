"""The two pydantic bases of every generated model: what a model *takes* (command parameters,
strict) and what it *sends* (messages, lax). Their configuration is written once here, not in
every generated class."""

from __future__ import annotations

import pydantic


class CommandParams(pydantic.BaseModel):
    """Base of a generated ``<Command>Params`` model (and of the objects nested in one).

    Unknown arguments are refused (``extra="forbid"``); a field is filled by its Python name
    or its wire name; a validation error names the Python field; field docstrings become the
    schema descriptions."""

    model_config = pydantic.ConfigDict(
        extra="forbid",
        populate_by_name=True,
        loc_by_alias=False,
        use_attribute_docstrings=True,
    )


class ModelMessage(pydantic.BaseModel):
    """Base of a generated message model (and of the objects nested in one).

    Frozen; fields the schema does not declare are kept (``extra="allow"``), so a newer model
    that adds a field does not break an older package; a field is filled by its Python name or
    its wire name."""

    model_config = pydantic.ConfigDict(
        extra="allow", frozen=True, populate_by_name=True, use_attribute_docstrings=True
    )


__all__ = ["CommandParams", "ModelMessage"]
