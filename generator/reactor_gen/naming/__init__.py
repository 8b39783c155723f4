"""The naming pass: fill every Python name in the IR, and reject unresolvable clashes.

:func:`apply_names` returns a new :class:`~reactor_gen.ir.model.ModelIR` (built with
``dataclasses.replace``) whose ``prefix``, ``package``, ``method_name``,
``listener_name``, ``waiter_name``, ``attr_name``, ``publish_name``/``unpublish_name``,
``class_name`` and ``py_name`` fields are set.

Rules
-----
* ``prefix`` = PascalCase of ``info.title`` split on ``-``/``_`` (``longlive-v2`` →
  ``LongliveV2``); ``package`` = lowercased title with ``-`` → ``_`` (``longlive_v2``; a
  hard Python keyword gets a trailing ``_``).
* **Members of the generated client** — command methods (the wire name), message
  listeners ``on_<name>`` and waiters ``wait_for_<name>``, track accessors (the track
  name) and, for ``in`` tracks, ``publish_<name>``/``unpublish_<name>`` — are escaped
  deterministically and silently with a trailing ``_`` when they are a Python keyword
  (soft keywords included) or one of :data:`RESERVED_CLIENT_MEMBERS` (the public members
  of the runtime client, the generated model classes and their bases); leading underscores
  move to the end (``_debug`` → ``debug_``), so no generated member is private. This is never
  reported: ``close`` always becomes ``close_``. Platform events win over model messages
  of the same name: the client's own ``on_moderation`` (content-moderation notices) is
  reserved, so a model message called ``moderation`` gets the listener
  ``on_moderation_`` (its waiter stays ``wait_for_moderation``, its class ``Moderation``).
  Two generated members that still end up with the same name (``on_state`` command vs
  the listener of ``state``; a track accessor vs a command) are an error naming both
  pointers.
* **Classes**: a message payload is its ``components.schemas`` key when that is a valid
  identifier, else PascalCase(wire name); command parameters are
  PascalCase(command) + ``Params``; a nested inline object is its parent's class name +
  PascalCase(field name) (through lists, dicts and nullables). A class name equal to
  one of :data:`RESERVED_CLASS_NAMES`, ``<Prefix>Model`` or ``<Prefix>Message``, or to
  another generated class, is an error. A command and a message sharing a wire name
  (``scene_cut``) do not clash: ``SceneCutParams`` vs ``SceneCut``.
* **Fields**: ``py_name`` = the wire name, snake_cased when it is camelCase
  (``imageStrength`` → ``image_strength``); leading underscores move to the end
  (pydantic reserves ``_x``: ``_seed`` → ``seed_``); a trailing ``_`` is added for Python
  keywords, :data:`RESERVED_FIELD_NAMES` and anything starting with ``model_``. The wire
  name stays the alias. Two fields of one object with the same ``py_name`` are an error.
"""

from __future__ import annotations

import re
from dataclasses import replace

from reactor_gen.diagnostics import Collector
from reactor_gen.ir.model import (
    Command,
    Field,
    Message,
    ModelIR,
    ObjectType,
    PackageNames,
    Track,
)
from reactor_gen.types import ObjectRefType, SchemaType

__all__ = [
    "distribution_name",
    "GENERATED_MODULE_IMPORTS",
    "HARD_KEYWORDS",
    "KEYWORDS",
    "RESERVED_CLASS_NAMES",
    "RESERVED_CLIENT_MEMBERS",
    "RESERVED_FIELD_NAMES",
    "SOFT_KEYWORDS",
    "apply_names",
    "escape_member",
    "package_names",
    "field_py_name",
    "package_name",
    "pascal_case",
    "prefix_name",
    "snake_case",
]


def distribution_name(title: str) -> str:
    """The distribution of a model's package, PEP 503-normalised: ``longlive-v2`` →
    ``reactor-models-longlive-v2`` (the one rule the package metadata, ``publish`` and
    ``update`` share)."""
    return _NORMALIZE.sub("-", f"reactor-models-{title}").lower()  # PEP 503


HARD_KEYWORDS: frozenset[str] = frozenset(
    {
        "False",
        "None",
        "True",
        "and",
        "as",
        "assert",
        "async",
        "await",
        "break",
        "class",
        "continue",
        "def",
        "del",
        "elif",
        "else",
        "except",
        "finally",
        "for",
        "from",
        "global",
        "if",
        "import",
        "in",
        "is",
        "lambda",
        "nonlocal",
        "not",
        "or",
        "pass",
        "raise",
        "return",
        "try",
        "while",
        "with",
        "yield",
    }
)
"""``keyword.kwlist`` (identical on 3.10-3.13), hard-coded for reproducible output."""
SOFT_KEYWORDS: frozenset[str] = frozenset({"_", "case", "match", "type"})
"""``keyword.softkwlist`` of Python 3.12+ (3.10/3.11 lack ``type``)."""
KEYWORDS: frozenset[str] = HARD_KEYWORDS | SOFT_KEYWORDS

RESERVED_CLIENT_MEMBERS: frozenset[str] = frozenset(
    {
        # ReactorClient's public API (docs/runtime-api.md)
        "connect",
        "disconnect",
        "reconnect",
        "status",
        "session_id",
        "connection_id",
        "codec",
        "max_message_size",
        "on_status",
        "on_error",
        "on_message",
        "on_runtime_message",
        "on_moderation",
        "messages",
        "wait_for_message",
        "send_command",
        "upload",
        "request_schema",
        "output_track",
        "input_track",
        "tracks",
        "publish",
        "unpublish",
        "pause_track",
        # the tracks' TrackControl protocol and media state
        "require_ready",
        "send_track_verb",
        "claim_publisher",
        "replace_track",
        "frame_metadata",
        "frame_metadata_negotiated",
        "resume_track",
        "capabilities",
        "latest_message",
        "report_error",
        # announced by the runtime rework (recording, stats, stepped generation)
        "record",
        "recording",
        "get_stats",
        "request_clip",
        "request_recording",
        "step",
        "generation",
        "dc_chunking_negotiated",
        # the runtime-core redesign: options, transport seam, live connection
        "local",
        "url",
        "command_timeout",
        "reconnect_policy",
        "transport",
        "connection",
        "from_options",
        # waiting for a message registered before the command (typed and blocking models)
        "expect",
        # the generated model class's own members
        "client",
        "close",
        "model_name",
        "model_version",
        "schema_sha256",
        "MODEL_NAME",
        "MODEL_VERSION",
        "SCHEMA_SHA256",
        "TRACKS",
        # reactor_client.sync.SyncModel (base of the generated blocking class)
        "aio",
        "loop",
        # Python object protocol names a class must not lose
        "self",
        "cls",
    }
)
"""The public names a generated command/listener/waiter/track member must never take: the
members a user sees on ``ReactorClient``, ``ModelClient``, ``SyncModel`` and the generated
classes. Private names need no entry: no generated member starts with ``_``
(:func:`escape_member`). ``tests/generator/test_naming.py`` checks the set against the live
classes, so it cannot drift from the runtime."""

GENERATED_MODULE_IMPORTS: frozenset[str] = frozenset(
    {"typing", "pydantic", "reactor_client", "dataclasses", "enum", "os", "functools"}
)
"""Modules the generated code imports by name: a class or field with one of these names would
shadow the module (a lowercase component in a module, a field in a class body)."""

RESERVED_CLASS_NAMES: frozenset[str] = (
    frozenset(
        {
            # typing / pydantic / runtime names the generated modules import
            "Any",
            "Awaitable",
            "Callable",
            "ClassVar",
            "Literal",
            "Optional",
            "Union",
            "Mapping",
            "Sequence",
            "AsyncIterator",
            "Iterator",
            "TypeVar",
            "Annotated",
            "BaseModel",
            "Field",
            "ConfigDict",
            "ValidationError",
            "TypeAdapter",
            "ReactorClient",
            "Message",
            "Status",
            "Subscription",
            "UploadReference",
            "TrackSpec",
            "OutputTrack",
            "InputTrack",
            "ReconnectPolicy",
            "ReactorError",
            "CommandValidationError",
            "UnknownMessage",
            "Omitted",
            "UploadSource",
            "FakeModel",
            "SyncFakeModel",
            "SyncModel",
            "SyncInputTrack",
            "SyncOutputTrack",
            "ModelClient",
            "blocking",
            "model_main",
            "parse_message",
            "parse_reply",
            # builtins a class name would shadow
            "list",
            "dict",
            "set",
            "tuple",
            "str",
            "int",
            "float",
            "bool",
            "bytes",
            "type",
            "object",
            "Exception",
            "BaseException",
            "None",
            "True",
            "False",
        }
    )
    | GENERATED_MODULE_IMPORTS
)
"""Class names no generated class may take (plus ``<Prefix>Model``/``<Prefix>Message``)."""

RESERVED_FIELD_NAMES: frozenset[str] = (
    frozenset(
        {
            # public attributes of pydantic.BaseModel (2.x), hard-coded so the generator does
            # not import pydantic; names starting with "model_" are reserved wholesale.
            "construct",
            "copy",
            "dict",
            "fields",
            "from_orm",
            "json",
            "parse_file",
            "parse_obj",
            "parse_raw",
            "schema",
            "schema_json",
            "update_forward_refs",
            "validate",
            "Config",
            # class attributes of the generated models (messages' TYPE, params' COMMAND)
            "TYPE",
            "COMMAND",
            # parameter names of the generated methods
            "self",
            "cls",
        }
    )
    | GENERATED_MODULE_IMPORTS
)
"""Field names that get a trailing ``_`` (besides keywords and ``model_*``)."""

_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SNAKE_1 = re.compile(r"([a-z0-9])([A-Z])")
_SNAKE_2 = re.compile(r"([A-Z]+)([A-Z][a-z])")


def pascal_case(name: str) -> str:
    """``set_shot`` → ``SetShot``; ``longlive-v2`` → ``LongliveV2`` (each ``-``/``_`` part
    gets an upper-case first letter, the rest is kept)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_]+", name) if part)


def snake_case(name: str) -> str:
    """The runtime's snake_case: ``imageStrength`` → ``image_strength``,
    ``HTTPPing2`` → ``http_ping2``; snake_case input is unchanged."""
    return _SNAKE_1.sub(r"\1_\2", _SNAKE_2.sub(r"\1_\2", name)).lower()


_NORMALIZE = re.compile(r"[-_.]+")
"""PEP 503 name normalization (``packaging.utils.canonicalize_name``, without importing
packaging's tag machinery on every build)."""


def prefix_name(title: str) -> str:
    """Class-name prefix of a model (``fast-h3`` → ``FastH3``)."""
    return pascal_case(title)


def package_name(title: str) -> str:
    """Import name of a model's package (``longlive-v2`` → ``longlive_v2``)."""
    name = title.lower().replace("-", "_")
    return name + "_" if name in HARD_KEYWORDS else name


def package_names(prefix: str) -> PackageNames:
    """The package-level class names of the model with class-name prefix ``prefix``: the
    model class is ``<prefix>Model`` (``LongliveV2Model``), or the prefix itself when it
    already ends in ``Model`` (``feature-model`` gives ``FeatureModel``, not ``Feature`` +
    ``ModelModel``) and neither it nor its test double (``Fake<class>``) would be a name the
    package imports (``model`` gives ``ModelModel``: ``FakeModel`` is the runtime's)."""
    bare = PackageNames(model_class=prefix)
    own = (
        prefix.endswith("Model") and not {bare.model_class, bare.fake_class} & RESERVED_CLASS_NAMES
    )
    return PackageNames(
        model_class=prefix if own else f"{prefix}Model",
        message_union=f"{prefix}Message",
        state_class=f"{prefix}State",
        command_union=f"{prefix}Command",
        listeners_class=f"{prefix}Listeners",
    )


def escape_member(name: str) -> str:
    """A generated client member name: leading underscores move to the end (a command
    ``_debug`` is the public method ``debug_``, never a private name that could shadow the
    runtime's), and a trailing ``_`` for keywords and reserved members."""
    stripped = name.lstrip("_")
    if not stripped:  # "_", "__": no runtime member is all underscores
        return name + "_"
    if stripped != name:
        return stripped + "_" * (len(name) - len(stripped))
    return name + "_" if name in KEYWORDS or name in RESERVED_CLIENT_MEMBERS else name


def field_py_name(wire: str) -> str:
    """Python attribute/parameter name of a field (see the module docstring)."""
    name = snake_case(wire)
    stripped = name.lstrip("_")
    if stripped != name:
        name = stripped + "_" * (len(name) - len(stripped))
        if not stripped:
            return name
    if name in KEYWORDS or name in RESERVED_FIELD_NAMES or name.startswith("model_"):
        name += "_"
    return name


class _Namer:
    def __init__(self, ir: ModelIR, file: str) -> None:
        self.ir = ir
        self.diag = Collector(file)
        self.prefix = prefix_name(ir.title)
        self.names = package_names(self.prefix)
        self.classes: dict[str, str] = {}  # class name -> pointer of its first owner
        n = self.names
        for name in (*n.reserved(), n.fake_class, n.listeners_class):
            if name in RESERVED_CLASS_NAMES:
                self.diag.add(
                    "/info/title",
                    f"the title {ir.title!r} would name a generated class {name!r}, a name "
                    "the package imports from reactor_client; rename the model",
                )

    def claim_class(self, name: str, pointer: str, what: str) -> None:
        reserved = RESERVED_CLASS_NAMES | self.names.reserved()
        if name in reserved:
            self.diag.add(
                pointer,
                f"{what} would be generated as class {name!r}, a name reserved by the "
                "generated package; rename it in the model",
            )
        elif name in self.classes:
            self.diag.add(
                pointer,
                f"{what} would be generated as class {name!r}, which is already the class "
                f"generated for {self.classes[name] or '/'}; rename one of them",
            )
        else:
            self.classes[name] = pointer

    def name_object(self, obj: ObjectType, class_name: str, what: str) -> ObjectType:
        self.claim_class(class_name, obj.pointer, what)
        fields: list[Field] = []
        taken: dict[str, Field] = {}
        for f in obj.fields:
            py_name = field_py_name(f.name)
            if not _IDENTIFIER_RE.fullmatch(py_name) or py_name == "_" * len(py_name):
                self.diag.add(f.pointer, f"field {f.name!r} has no usable Python name; rename it")
            elif py_name in taken:
                other = taken[py_name]
                self.diag.add(
                    f.pointer,
                    f"fields {other.name!r} and {f.name!r} both map to the Python name "
                    f"{py_name!r} (keywords and pydantic attributes get a trailing '_', "
                    "camelCase becomes snake_case); rename one of them",
                )
            else:
                taken[py_name] = f
            nested = class_name + pascal_case(snake_case(f.name).strip("_") or f.name)
            fields.append(replace(f, py_name=py_name, type=self.name_type(f.type, nested, f)))
        return replace(obj, fields=tuple(fields), class_name=class_name)

    def name_type(self, type_ref: SchemaType, class_name: str, owner: Field) -> SchemaType:
        if isinstance(type_ref, ObjectRefType):
            return type_ref.with_object(
                self.name_object(type_ref.obj, class_name, f"nested object {owner.name!r}")
            )
        if type_ref.inner is not None:
            return type_ref.with_inner(self.name_type(type_ref.inner, class_name, owner))
        return type_ref

    def run(self) -> ModelIR:
        ir = self.ir
        members: dict[str, list[tuple[str, str]]] = {}

        def member(name: str, pointer: str, what: str) -> str:
            escaped = escape_member(name)
            members.setdefault(escaped, []).append((pointer, what))
            return escaped

        messages: list[Message] = []
        for m in ir.messages:
            component = m.component
            if component and _IDENTIFIER_RE.fullmatch(component) and component not in KEYWORDS:
                class_name = component
            else:
                class_name = pascal_case(m.name)
            payload = self.name_object(m.payload, class_name, f"message {m.name!r}")
            messages.append(
                replace(
                    m,
                    payload=payload,
                    listener_name=member(
                        f"on_{m.name}", m.pointer, f"the listener of message {m.name!r}"
                    ),
                    waiter_name=member(
                        f"wait_for_{m.name}",
                        m.pointer,
                        f"the waiter of message {m.name!r}",
                    ),
                )
            )
        commands: list[Command] = []
        for c in ir.commands:
            params = self.name_object(
                c.params,
                pascal_case(c.name) + "Params",
                f"the parameters of command {c.name!r}",
            )
            commands.append(
                replace(
                    c,
                    params=params,
                    method_name=member(c.name, c.pointer, f"the method of command {c.name!r}"),
                )
            )
        tracks: list[Track] = []
        for t in ir.tracks:
            attr = member(t.name, t.pointer, f"the accessor of track {t.name!r}")
            publish = unpublish = ""
            if t.direction == "in":
                publish = member(
                    f"publish_{t.name}",
                    t.pointer,
                    f"the publish method of track {t.name!r}",
                )
                unpublish = member(
                    f"unpublish_{t.name}",
                    t.pointer,
                    f"the unpublish method of track {t.name!r}",
                )
            tracks.append(
                replace(t, attr_name=attr, publish_name=publish, unpublish_name=unpublish)
            )

        for name, owners in sorted(members.items()):
            if len(owners) < 2:
                continue
            first_ptr, first_what = owners[0]
            for pointer, what in owners[1:]:
                self.diag.add(
                    pointer,
                    f"{what} would be the client member {name!r}, which is already "
                    f"{first_what} ({first_ptr or '/'}); rename one of them in the model",
                )
        self.diag.raise_if_any()
        return replace(
            ir,
            names=self.names,
            prefix=self.prefix,
            package=package_name(ir.title),
            commands=tuple(commands),
            messages=tuple(messages),
            tracks=tuple(tracks),
        )


def apply_names(ir: ModelIR, *, file: str) -> ModelIR:
    """Return ``ir`` with every Python name filled in.

    Raises :class:`~reactor_gen.diagnostics.DiagnosticError` for collisions the rules
    cannot resolve (class vs class or reserved class, member vs member, field vs field).
    """
    return _Namer(ir, file).run()
