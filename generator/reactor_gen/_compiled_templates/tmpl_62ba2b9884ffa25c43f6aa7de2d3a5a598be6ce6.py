from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/commands.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_union = resolve('py_union')
    l_0_py_header = l_0_model_class_body = missing
    try:
        t_1 = environment.filters['docstring']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'docstring' found.")
    try:
        t_2 = environment.filters['indent']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'indent' found.")
    try:
        t_3 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_4 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_5 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'package/commands.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/commands.py.jinja') does not export the requested name 'py_header'", name='py_header')
    l_0_model_class_body = getattr(included_template, 'model_class_body', missing)
    if l_0_model_class_body is missing:
        l_0_model_class_body = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/commands.py.jinja') does not export the requested name 'model_class_body'", name='model_class_body')
    context.vars.update({'py_header': l_0_py_header, 'model_class_body': l_0_model_class_body})
    context.exported_vars.difference_update(('py_header', 'model_class_body'))
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""Parameter models of the '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' commands.\n\nEach command method of :class:`'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '` validates its arguments through the\nmatching ``<Command>Params`` model before anything is sent. ``'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield ".step()``\ntakes instances of them as ``commands`` (each knows its command's wire name, ``COMMAND``)\nand a :class:`"
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_class'))
    yield '` as ``state``.\n"""\n\nfrom __future__ import annotations\n\nimport typing\n\nimport pydantic\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'uses_one_of'):
        pass
        yield 'import pydantic_core\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'command_classes'):
        pass
        yield 'from reactor_client import typed as _typed\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'has_uploads'):
        pass
        yield 'from reactor_client.typed import UploadSource\n'
    yield '\n__all__ = [\n'
    def t_6(fiter):
        for l_1_e in fiter:
            if (environment.getattr(l_1_e, 'module') == 'commands'):
                yield l_1_e
    for l_1_e in t_6(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'exports')):
        _loop_vars = {}
        pass
        for l_2_n in environment.getattr(l_1_e, 'names'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(t_5(l_2_n))
            yield ',\n'
        l_2_n = missing
    l_1_e = missing
    yield ']\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'uses_one_of'):
        pass
        yield '\n\ndef _one_of(*choices: object) -> pydantic.BeforeValidator:\n    """Restrict a parameter to ``choices``, as the runtime does: numbers compare by value\n    (``1`` is the choice ``1.0``), a bool or a string is never a number (pydantic\'s\n    ``Literal[1, 2]`` alone takes ``True`` for ``1``)."""\n    *head, last = (repr(choice) for choice in choices)\n    expected = f"{\', \'.join(head)} or {last}" if head else last\n\n    def check(value: object) -> object:\n        for choice in choices:\n            if value == choice and isinstance(value, bool) is isinstance(choice, bool):\n                return value\n        raise pydantic_core.PydanticCustomError(\n            "literal_error", "Input should be {expected}", {"expected": expected}\n        )\n\n    return pydantic.BeforeValidator(check)\n'
    for l_1_cls in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'command_classes'):
        _loop_vars = {}
        pass
        yield '\n\nclass '
        yield str(environment.getattr(l_1_cls, 'class_name'))
        yield '(_typed.CommandParams):\n'
        yield str(context.call((undefined(name='model_class_body') if l_0_model_class_body is missing else l_0_model_class_body), l_1_cls, _loop_vars=_loop_vars))
    l_1_cls = missing
    yield '\n\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_class_syntax'):
        pass
        yield 'class '
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_class'))
        yield '(typing.TypedDict, total=False):\n    """'
        yield str(t_2(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_doc')), 4))
        yield '\n    """\n'
        if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_fields'):
            pass
            yield '\n'
        for l_1_f in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_fields'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.getattr(l_1_f, 'key'))
            yield ': '
            yield str(environment.getattr(l_1_f, 'model_type'))
            yield '\n'
        l_1_f = missing
        yield '\n'
    else:
        pass
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_class'))
        yield ' = typing.TypedDict(\n    '
        yield str(t_5(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_class')))
        yield ',\n    {\n'
        for l_1_f in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_fields'):
            _loop_vars = {}
            pass
            yield '        '
            yield str(t_5(environment.getattr(l_1_f, 'key')))
            yield ': '
            yield str(environment.getattr(l_1_f, 'model_type'))
            yield ',\n'
        l_1_f = missing
        yield '    },\n    total=False,\n)\n"""'
        yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_doc')))
        yield '\n"""\n'
    yield '\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_fields'):
        pass
        yield 'STATE_PARAMS: typing.Final[dict[str, type[pydantic.BaseModel]]] = {\n'
        for l_1_f in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_fields'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(t_5(environment.getattr(l_1_f, 'key')))
            yield ': '
            yield str(environment.getattr(l_1_f, 'params_class'))
            yield ',\n'
        l_1_f = missing
        yield '}\n'
    else:
        pass
        yield 'STATE_PARAMS: typing.Final[dict[str, type[pydantic.BaseModel]]] = {}\n'
    yield '"""State key -> the params model of its ``set_<key>`` command (validates ``step(state=...)``)."""\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'):
        pass
        yield '\n'
        yield str(context.call((undefined(name='py_union') if l_0_py_union is missing else l_0_py_union), 0, str_join((environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'command_union'), ': typing.TypeAlias', )), t_3(context.eval_ctx, t_4(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'), attribute='params.class_name'))))
        yield '\n"""Any command\'s params model: an item of ``'
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
        yield '.step(commands=[...])``."""\n'

blocks = {}
debug_info = '1=44&2=53&3=55&5=57&6=59&8=61&16=63&19=66&22=69&27=73&28=80&29=84&33=89&53=92&56=96&57=98&61=101&62=104&63=106&65=108&68=111&69=115&73=123&74=125&76=127&77=131&82=137&86=140&88=143&89=147&96=157&98=160&99=162'