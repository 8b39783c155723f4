"""Validate a schema document into the frozen IR (:mod:`reactor_gen.ir.model`).

:func:`build_ir` accepts both renderer layouts (wire-protocol §8, §8.7) in any key order
and reports every problem it finds at once (a :class:`DiagnosticError`). Rules worth
knowing, beyond the IR invariants:

* **Paths.** Every path must be ``/events/<segment>`` with a ``post`` operation; any other
  path or HTTP method is an error (silently dropping it would lose a command). Non-method
  path-item keys (``summary``, ``parameters``...) are ignored.
* **Command names** are the last path segment, a ``snake_case`` identifier; an
  ``operationId``, when present, must be the same name (the runtime always renders them
  equal; a mismatch is an error at the ``operationId``).
  Description = ``summary``, else ``description``. ``required`` = listed in ``required``
  *and* no ``default`` (the runtime's rule; a listed field with a default is optional).
* **Replies.** ``responses.200`` must ``$ref`` a component that some webhook's body
  ``$ref``s; the reply is that webhook's message (never derived by re-casing). ``202``
  only (or no responses) → ``None``. Other status codes are ignored.
* **Emits** = backticked identifiers in the description naming known messages, in order
  of first appearance, deduplicated (model-surfaces §1.2).
* **Messages.** Name = ``operationId`` else webhook key; description = ``summary``,
  except that a ``description`` which extends it (2.x split docstrings) wins.
* **Layout** = ``"2.x"`` when there is at least one webhook and no webhook body is a
  ``$ref``, else ``"3.x"``.
* **Types** (§8.5): string/integer/number/boolean; ``enum`` (typed, untyped/mixed);
  ``anyOf [T, {type: null}]``; arrays (no ``items`` → any); objects with ``properties``
  (nested class), with ``additionalProperties`` or bare (dict); upload references
  (``$ref`` to a component with ``format: reactor-upload-reference``/``file-reference`` or
  named ``ReactorUploadReference``, or such an inline object); ``{}`` → any. Only local
  ``#/components/schemas/<key>`` refs. ``oneOf``/``allOf``/``not``, type arrays,
  multi-arm ``anyOf`` and unknown types are errors. A ``default: null`` on a non-nullable
  type (the runtime's ``UploadedFile = None`` setter) makes the field nullable.
  Validation keywords the runtime never renders (``pattern``, ``exclusiveMinimum``,
  ``minItems``...) and annotations (``format``, ``title``, ``examples``) are ignored.
* **Names.** ``info.title``: letters, digits, ``-``/``_``, starting with a letter.
  Commands, messages and tracks: ``^[a-z_][a-z0-9_]*$``. Fields: any ASCII identifier
  (``^[A-Za-z_][A-Za-z0-9_]*$``); camelCase ones get a snake_case Python name in the
  naming pass, the wire name staying the alias. ``info.version``: ``[v]X.Y.Z`` with an
  optional PEP 440-convertible pre/post/dev part and an optional ``-g<hex>`` suffix.
* Text (descriptions, defaults, enum values) is kept verbatim; nothing is evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

from reactor_gen.diagnostics import Collector, join_pointer
from reactor_gen.ir.model import Command, Message, ModelIR, ObjectType, Track
from reactor_gen.ir.parser import SchemaParser, is_upload_target
from reactor_gen.ir.rules import (
    _HTTP_METHODS,
    COMPONENTS_PREFIX,
    FIELD_NAME_RE,
    NAME_RE,
    TITLE_RE,
    UPLOAD_FORMATS,
    describe,
    expect_mapping,
    extract_emits,
    short,
    version_problem,
)

__all__ = [
    "COMPONENTS_PREFIX",
    "FIELD_NAME_RE",
    "NAME_RE",
    "TITLE_RE",
    "UPLOAD_FORMATS",
    "build_ir",
    "extract_emits",
    "version_problem",
]


def _json_body_schema(
    builder: SchemaParser, owner: Mapping[str, Any], pointer: str, what: str
) -> tuple[Any, str] | None:
    """``owner.content["application/json"].schema`` and its pointer."""
    content = owner.get("content")
    content_ptr = join_pointer(pointer, "content")
    if not isinstance(content, Mapping) or "application/json" not in content:
        builder.diag.add(content_ptr, f"{what} must have content 'application/json' with a schema")
        return None
    media = content["application/json"]
    media_ptr = join_pointer(content_ptr, "application/json")
    if not isinstance(media, Mapping) or "schema" not in media:
        builder.diag.add(media_ptr, f"{what} content 'application/json' must have a schema")
        return None
    return media["schema"], join_pointer(media_ptr, "schema")


@dataclass
class _RawCommand:
    name: str
    description: str
    params: ObjectType
    reply_component: str | None
    reply_pointer: str
    pointer: str


def build_ir(doc: Mapping[str, Any], *, file: str) -> ModelIR:
    """Validate ``doc`` (a parsed schema document) into an unnamed :class:`ModelIR`.

    Raises :class:`~reactor_gen.diagnostics.DiagnosticError` listing every problem.
    """
    diag = Collector(file)
    if not isinstance(doc, Mapping):
        diag.add(
            "",
            f"the schema must be a JSON object (an OpenAPI document), got {describe(doc)}",
        )
        diag.raise_if_any()
    builder = SchemaParser(doc=doc, diag=diag)

    openapi = doc.get("openapi")
    if not isinstance(openapi, str) or not openapi.startswith("3."):
        diag.add(
            "/openapi" if "openapi" in doc else "",
            f"expected an OpenAPI 3.x document ('openapi': '3.1.0'), got "
            f"{'no openapi key' if 'openapi' not in doc else short(openapi)}",
        )

    # components first: refs resolve against them.
    components: Mapping[str, Any] = {}
    comps = doc.get("components", {})
    if not isinstance(comps, Mapping):
        diag.add("/components", f"components must be an object, got {describe(comps)}")
    else:
        schemas = comps.get("schemas", {})
        if not isinstance(schemas, Mapping):
            diag.add(
                "/components/schemas",
                f"components.schemas must be an object, got {describe(schemas)}",
            )
        else:
            components = schemas
    builder.components = components

    title, version, description = _parse_info(builder)
    tracks = _parse_tracks(builder)
    messages, component_to_message, layout = _parse_webhooks(builder)
    raw_commands = _parse_paths(builder)

    known = frozenset(m.name for m in messages)
    commands: list[Command] = []
    for raw in raw_commands:
        reply: str | None = None
        if raw.reply_component is not None:
            reply = component_to_message.get(raw.reply_component)
            if reply is None:
                used = ", ".join(sorted(component_to_message)) or "none"
                diag.add(
                    raw.reply_pointer,
                    f"command {raw.name!r} replies with component {raw.reply_component!r}, "
                    f"which no webhook uses as its body (components used by webhooks: {used}); "
                    "a reply must be one of the model's messages",
                )
        commands.append(
            Command(
                name=raw.name,
                description=raw.description,
                params=raw.params,
                reply=reply,
                emits=extract_emits(raw.description, known),
                pointer=raw.pointer,
            )
        )
    _check_duplicates(diag, "command", [(c.name, c.pointer) for c in commands])
    _check_duplicates(diag, "message", [(m.name, m.pointer) for m in messages])

    diag.raise_if_any()
    assert title is not None and version is not None
    return ModelIR(
        title=title,
        version=version,
        description=description,
        commands=tuple(sorted(commands, key=lambda c: c.name)),
        messages=tuple(sorted(messages, key=lambda m: m.name)),
        tracks=tuple(tracks),
        layout=layout,
        warnings=diag.warnings,
    )


def _check_duplicates(diag: Collector, what: str, items: list[tuple[str, str]]) -> None:
    first: dict[str, str] = {}
    for name, pointer in sorted(items, key=lambda item: item[1]):
        if name in first:
            diag.add(
                pointer,
                f"duplicate {what} name {name!r} (also defined at {first[name] or '/'})",
            )
        else:
            first[name] = pointer


def _parse_info(builder: SchemaParser) -> tuple[str | None, str | None, str]:
    diag = builder.diag
    info = builder.doc.get("info")
    if not isinstance(info, Mapping):
        diag.add(
            "/info" if "info" in builder.doc else "",
            "missing or invalid 'info' object (needs title and version)",
        )
        return None, None, ""
    title = info.get("title")
    if not isinstance(title, str):
        diag.add(
            "/info/title" if "title" in info else "/info",
            "info.title must be a string (the model name)",
        )
        title = None
    elif TITLE_RE.fullmatch(title) is None:
        diag.add(
            "/info/title",
            f"invalid model name {title!r}: expected letters, digits, '-' or '_', starting "
            "with a letter (e.g. 'longlive-v2')",
        )
    version = info.get("version")
    if not isinstance(version, str):
        diag.add(
            "/info/version" if "version" in info else "/info",
            "info.version must be a string like 'v1.2.3'",
        )
        version = None
    else:
        problem = version_problem(version)
        if problem:
            diag.add("/info/version", problem)
    description = builder._text(info, "description", "/info")
    return title, version, description


def _parse_tracks(builder: SchemaParser) -> list[Track]:
    diag = builder.diag
    ext = builder.doc.get("x-reactor", {})
    if expect_mapping(diag, ext, "/x-reactor", "x-reactor") is None:
        return []
    raw_tracks = ext.get("tracks", [])
    if not isinstance(raw_tracks, list):
        diag.add(
            "/x-reactor/tracks",
            f"x-reactor.tracks must be an array, got {describe(raw_tracks)}",
        )
        return []
    tracks: list[Track] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(raw_tracks):
        ptr = join_pointer("/x-reactor/tracks", index)
        if not isinstance(raw, Mapping):
            diag.add(
                ptr,
                f"a track must be an object {{name, kind, direction}}, got {describe(raw)}",
            )
            continue
        name, kind, direction = raw.get("name"), raw.get("kind"), raw.get("direction")
        ok = True
        if not isinstance(name, str) or NAME_RE.fullmatch(name) is None:
            diag.add(
                join_pointer(ptr, "name"),
                f"invalid track name {name!r}: expected snake_case ([a-z_][a-z0-9_]*)",
            )
            ok = False
        if kind not in ("video", "audio"):
            diag.add(
                join_pointer(ptr, "kind"),
                f"invalid track kind {kind!r}: expected 'video' or 'audio'",
            )
            ok = False
        if direction not in ("in", "out"):
            diag.add(
                join_pointer(ptr, "direction"),
                f"invalid track direction {direction!r}: expected 'in' (client sends) "
                "or 'out' (client receives)",
            )
            ok = False
        if isinstance(name, str) and name in seen:
            diag.add(
                join_pointer(ptr, "name"),
                f"duplicate track name {name!r} (also at {seen[name]})",
            )
            ok = False
        if isinstance(name, str):
            seen.setdefault(name, join_pointer(ptr, "name"))
        if ok:
            tracks.append(
                Track(
                    name=cast(str, name),
                    kind=cast(Literal["video", "audio"], kind),
                    direction=cast(Literal["in", "out"], direction),
                    pointer=ptr,
                )
            )
    return tracks


def _operation(
    builder: SchemaParser, item: Any, pointer: str, what: str
) -> tuple[Mapping[str, Any], str] | None:
    diag = builder.diag
    if not isinstance(item, Mapping):
        diag.add(
            pointer,
            f"{what} must be an object with a 'post' operation, got {describe(item)}",
        )
        return None
    for method in _HTTP_METHODS:
        if method != "post" and method in item:
            diag.add(
                join_pointer(pointer, method),
                f"unsupported operation '{method}': Reactor {what}s are 'post' operations only",
            )
    if "post" not in item:
        diag.add(pointer, f"{what} has no 'post' operation")
        return None
    op = item["post"]
    op_ptr = join_pointer(pointer, "post")
    if expect_mapping(diag, op, op_ptr, "the 'post' operation") is None:
        return None
    return op, op_ptr


def _op_name(
    builder: SchemaParser, op: Mapping[str, Any], op_ptr: str, fallback: str, what: str
) -> str | None:
    if "operationId" in op:
        name = op["operationId"]
        where = join_pointer(op_ptr, "operationId")
    else:
        name, where = fallback, op_ptr
    if not isinstance(name, str) or NAME_RE.fullmatch(name) is None:
        builder.diag.add(
            where,
            f"invalid {what} name {name!r}: expected snake_case ([a-z_][a-z0-9_]*), "
            "e.g. 'set_prompt'",
        )
        return None
    return name


def _command_name(
    builder: SchemaParser, op: Mapping[str, Any], op_ptr: str, segment: str, path_ptr: str
) -> str | None:
    """The command's name: the path segment, which must be an identifier and equal the
    ``operationId`` when there is one."""
    if NAME_RE.fullmatch(segment) is None:
        builder.diag.add(
            path_ptr,
            f"invalid command name {segment!r} in the path: expected snake_case "
            "([a-z_][a-z0-9_]*), e.g. '/events/set_prompt'",
        )
        return None
    name = _op_name(builder, op, op_ptr, segment, "command")
    if name is not None and name != segment:
        builder.diag.add(
            join_pointer(op_ptr, "operationId"),
            f"operationId {name!r} does not match the path's command name {segment!r}; "
            "the runtime names a command once, so both must be the same",
        )
        return None
    return name


def _parse_paths(builder: SchemaParser) -> list[_RawCommand]:
    diag = builder.diag
    paths = builder.doc.get("paths", {})
    if expect_mapping(diag, paths, "/paths", "paths") is None:
        return []
    result: list[_RawCommand] = []
    for path, item in paths.items():
        ptr = join_pointer("/paths", path)
        segments = path.split("/") if isinstance(path, str) else []
        if len(segments) != 3 or segments[0] != "" or segments[1] != "events" or not segments[2]:
            diag.add(
                ptr,
                f"unsupported path {path!r}: commands must be at '/events/<command>' "
                "(the runtime renders nothing else)",
            )
            continue
        found = _operation(builder, item, ptr, "command")
        if found is None:
            continue
        op, op_ptr = found
        name = _command_name(builder, op, op_ptr, segments[2], ptr)
        summary = builder._text(op, "summary", op_ptr)
        long_text = builder._text(op, "description", op_ptr)
        description = summary or long_text
        params: ObjectType | None
        if "requestBody" in op:
            body = op["requestBody"]
            body_ptr = join_pointer(op_ptr, "requestBody")
            if expect_mapping(diag, body, body_ptr, "requestBody") is None:
                params = None
            else:
                found_schema = _json_body_schema(builder, body, body_ptr, "requestBody")
                params = (
                    None if found_schema is None else builder.parse_object(*found_schema, "command")
                )
        else:
            params = ObjectType(fields=(), pointer=op_ptr)
        reply_component, reply_ptr = _parse_responses(builder, op, op_ptr)
        if name is None or params is None:
            continue
        result.append(
            _RawCommand(
                name=name,
                description=description,
                params=params,
                reply_component=reply_component,
                reply_pointer=reply_ptr,
                pointer=op_ptr,
            )
        )
    return result


def _parse_responses(
    builder: SchemaParser, op: Mapping[str, Any], op_ptr: str
) -> tuple[str | None, str]:
    diag = builder.diag
    responses = op.get("responses", {})
    resp_ptr = join_pointer(op_ptr, "responses")
    if expect_mapping(diag, responses, resp_ptr, "responses") is None:
        return None, resp_ptr
    if "200" not in responses:
        return None, resp_ptr
    ok = responses["200"]
    ok_ptr = join_pointer(resp_ptr, "200")
    if expect_mapping(diag, ok, ok_ptr, "response 200") is None:
        return None, ok_ptr
    found = _json_body_schema(builder, ok, ok_ptr, "response 200")
    if found is None:
        return None, ok_ptr
    schema, schema_ptr = found
    if not isinstance(schema, Mapping) or "$ref" not in schema:
        diag.add(
            schema_ptr,
            "a 200 reply must be a $ref to a message component ('#/components/schemas/<Message>'); "
            "inline reply schemas are not supported",
        )
        return None, schema_ptr
    resolved = builder.resolve_ref(schema["$ref"], schema_ptr)
    if resolved is None:
        return None, schema_ptr
    return resolved[0], join_pointer(schema_ptr, "$ref")


def _warn_name_field(diag: Collector, message: str, payload: ObjectType) -> None:
    """reactor-runtime 3.10 encodes a message as ``{"type": self.name, ...}``, and a field
    called ``name`` shadows the class's ``ModelMessage.name``: the message goes out with
    that field's value as its wire type (docs/known-issues.md)."""
    for f in payload.fields:
        if f.name == "name":
            diag.warn(
                f.pointer,
                f"reactor-runtime 3.10 sends message {message!r} with the value of this "
                f"field 'name' as its wire type, so clients receive it as an unknown "
                f"message (UnknownMessage, type = that value), never as {message!r}; "
                "rename the field in the model (docs/known-issues.md)",
            )


def _parse_webhooks(
    builder: SchemaParser,
) -> tuple[list[Message], dict[str, str], Literal["3.x", "2.x"]]:
    diag = builder.diag
    hooks = builder.doc.get("webhooks", {})
    if expect_mapping(diag, hooks, "/webhooks", "webhooks") is None:
        return [], {}, "3.x"
    messages: list[Message] = []
    component_to_message: dict[str, str] = {}
    any_ref = False
    for key, item in hooks.items():
        ptr = join_pointer("/webhooks", key)
        found = _operation(builder, item, ptr, "message")
        if found is None:
            continue
        op, op_ptr = found
        name = _op_name(builder, op, op_ptr, key, "message")
        summary = builder._text(op, "summary", op_ptr)
        long_text = builder._text(op, "description", op_ptr)
        if summary and long_text and long_text != summary and long_text.startswith(summary):
            description = long_text  # 2.x: summary = first paragraph, description = all
        else:
            description = summary or long_text
        body = op.get("requestBody")
        body_ptr = join_pointer(op_ptr, "requestBody")
        if not isinstance(body, Mapping):
            diag.add(
                body_ptr,
                "a message needs a requestBody with an application/json schema",
            )
            continue
        found_schema = _json_body_schema(builder, body, body_ptr, "requestBody")
        if found_schema is None:
            continue
        schema, schema_ptr = found_schema
        component: str | None = None
        if isinstance(schema, Mapping) and "$ref" in schema:
            any_ref = True
            resolved = builder.resolve_ref(schema["$ref"], schema_ptr)
            if resolved is None:
                continue
            component = resolved[0]
            if is_upload_target(component, resolved[1]):
                diag.add(
                    join_pointer(schema_ptr, "$ref"),
                    "a message body cannot be an upload reference",
                )
                continue
        payload = builder.parse_object(schema, schema_ptr, "message")
        if name is None or payload is None:
            continue
        _warn_name_field(diag, name, payload)
        if component is not None:
            other = component_to_message.get(component)
            if other is not None and other != name:
                diag.add(
                    join_pointer(schema_ptr, "$ref"),
                    f"messages {other!r} and {name!r} share component {component!r}; "
                    "replies could not be told apart",
                )
            component_to_message.setdefault(component, name)
        messages.append(
            Message(
                name=name,
                description=description,
                payload=payload,
                component=component,
                pointer=op_ptr,
            )
        )
    layout: Literal["3.x", "2.x"] = "2.x" if hooks and not any_ref else "3.x"
    return messages, component_to_message, layout
