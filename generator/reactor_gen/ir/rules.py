"""The naming and shape rules of a schema document: identifier patterns, version
syntax, the Emits rule, and :func:`expect_mapping`, the one "must be an object" check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from packaging.version import InvalidVersion, Version

from reactor_gen.diagnostics import Collector
from reactor_gen.jsonvalue import short_json as short

__all__ = [
    "COMPONENTS_PREFIX",
    "FIELD_NAME_RE",
    "NAME_RE",
    "TITLE_RE",
    "UPLOAD_FORMATS",
    "describe",
    "expect_mapping",
    "extract_emits",
    "short",
    "version_problem",
]

NAME_RE = re.compile(r"[a-z_][a-z0-9_]*")
"""Command, message and track names (full match)."""
FIELD_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""Field (property) names (full match)."""
TITLE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
"""``info.title`` (full match)."""
_VERSION_RE = re.compile(
    r"(?P<v>[vV]?)(?P<core>\d+\.\d+\.\d+(?:[-.+]?[A-Za-z0-9.]+?)??)(?:-g(?P<sha>[0-9a-f]+))?"
)
_BACKTICKED_RE = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)`")
_CLAUSE_END_RE = re.compile(r"(?<=[.!?;])\s+|\s+[—–]\s+")
_NEGATION_RE = re.compile(r"\b(?:no|not|never|without)\b", re.IGNORECASE)
COMPONENTS_PREFIX = "#/components/schemas/"
UPLOAD_FORMATS = frozenset({"reactor-upload-reference", "file-reference"})
_UPLOAD_COMPONENT = "ReactorUploadReference"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCALAR_KINDS = ("string", "integer", "number", "boolean")
_UNSUPPORTED_KEYWORDS = ("oneOf", "allOf", "not")
_HINT_NULLABLE = "use anyOf: [<schema>, {type: null}] for an optional value"
TYPE_NAMES = ("string", "integer", "number", "boolean", "array", "object")
"""The JSON Schema types a field may have (``null`` only through ``anyOf``)."""
SCHEMA_KEYWORDS = frozenset(
    {
        # JSON Schema 2020-12 (core, applicator, validation, meta-data, content)
        "$ref", "$schema", "$id", "$defs", "$comment", "$anchor", "$dynamicRef",
        "type", "enum", "const", "default", "description", "title", "examples",
        "deprecated", "readOnly", "writeOnly", "format", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
        "pattern", "items", "prefixItems", "contains", "minContains", "maxContains",
        "minItems", "maxItems", "uniqueItems", "properties", "required",
        "additionalProperties", "patternProperties", "propertyNames", "minProperties",
        "maxProperties", "dependentRequired", "dependentSchemas", "anyOf", "oneOf", "allOf",
        "not", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties",
        "contentMediaType", "contentEncoding", "contentSchema",
        # OpenAPI 3.x schema object
        "nullable", "discriminator", "xml", "externalDocs", "example",
    }
)  # fmt: skip
"""Every keyword a schema object may carry: others (``x-`` extensions aside) are typos."""


def close_match(word: str, known: Iterable[str]) -> str | None:
    """The one entry of ``known`` that ``word`` is most likely a typo of, if any."""
    import difflib

    found = difflib.get_close_matches(word, list(known), n=1, cutoff=0.8)
    return found[0] if found else None


def unknown_type_message(kind: str) -> str:
    """``unknown type 'intger': expected one of ...; did you mean 'integer'?``"""
    guess = close_match(kind, TYPE_NAMES)
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"unknown type {kind!r}: expected one of {', '.join(TYPE_NAMES)}{hint}"


def extract_emits(
    description: str, known_messages: Sequence[str] | frozenset[str]
) -> tuple[str, ...]:
    """The messages a command's ``description`` says it emits: backticked known message
    names in its *positive* clauses, in order of first appearance, deduplicated.

    The TypeScript generator counts every backticked known name, so the seed's ``reset``
    ("Always succeeds — there is no `command_error` path. Emits ...") lists
    ``command_error``. Here a mention preceded, in its clause (a sentence, or the part
    of one between dashes or after a semicolon), by a negation (``no``, ``not``,
    ``never``, ``without``) does not count; every other mention does ("Rejects ... with
    `command_error`", "or `command_error` if the session is not paused").
    """
    known = set(known_messages)
    seen: dict[str, None] = {}
    for clause in _CLAUSE_END_RE.split(description):
        for match in _BACKTICKED_RE.finditer(clause):
            name = match.group(1)
            if name in known and _NEGATION_RE.search(clause[: match.start()]) is None:
                seen.setdefault(name, None)
    return tuple(seen)


def version_problem(version: str) -> str | None:
    """Why ``version`` is not an acceptable ``info.version`` (None when it is)."""
    match = _VERSION_RE.fullmatch(version)
    expected = (
        "expected a version like 'v1.2.3' or '1.2.3', optionally with a pre-release "
        "('v1.2.3rc1') and a '-g<hex>' build suffix ('v1.2.3-ge6187a05')"
    )
    if match is None:
        return f"info.version {version!r} is not a valid version; {expected}"
    core = match.group("core")
    if "-g" in core:
        return (
            f"info.version {version!r}: '-g' must be followed by a lowercase hex commit id; "
            f"{expected}"
        )
    try:
        parsed = Version(core)
    except InvalidVersion:
        return f"info.version {version!r} has an invalid pre-release part; {expected} (PEP 440)"
    if parsed.local is not None:
        return f"info.version {version!r} has a local version part ('+...'); {expected}"
    return None


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def expect_mapping(
    diag: Collector, value: Any, pointer: str, what: str
) -> Mapping[str, Any] | None:
    """``value`` when it is a JSON object; else a diagnostic ``<what> must be an object,
    got <value>`` at ``pointer`` and None."""
    if isinstance(value, Mapping):
        return value
    diag.add(pointer, f"{what} must be an object, got {describe(value)}")
    return None
