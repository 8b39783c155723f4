from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/messages.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_assign = resolve('py_assign')
    l_0_as_call = resolve('as_call')
    l_0_py_def = resolve('py_def')
    l_0_py_header = l_0_model_class_body = missing
    try:
        t_1 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_2 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_3 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    try:
        t_4 = environment.filters['sort']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'sort' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'package/messages.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/messages.py.jinja') does not export the requested name 'py_header'", name='py_header')
    l_0_model_class_body = getattr(included_template, 'model_class_body', missing)
    if l_0_model_class_body is missing:
        l_0_model_class_body = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/messages.py.jinja') does not export the requested name 'model_class_body'", name='model_class_body')
    context.vars.update({'py_header': l_0_py_header, 'model_class_body': l_0_model_class_body})
    context.exported_vars.difference_update(('py_header', 'model_class_body'))
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""Message models of '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ': what the model sends to the client.\n\nEvery message is a frozen pydantic model named after its schema component; its wire\n``type`` is the class variable ``TYPE``. Numbers are validated laxly (the wire may carry\n``7.0`` for an integer field) and unknown extra fields are kept. :func:`parse_message`\nturns a raw :class:`reactor_client.Message` into the typed union; a message of an\nunknown type, or one that does not match the schema, becomes :class:`UnknownMessage`.\n"""\n\nfrom __future__ import annotations\n\nimport typing\n\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'messages_use_pydantic'):
        pass
        yield 'import pydantic\n'
    yield 'import reactor_client\n'
    if (environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'messages') or environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'message_classes')):
        pass
        yield 'from reactor_client import typed as _typed\n'
    yield 'from reactor_client.typed import UnknownMessage\n\n__all__ = [\n'
    for l_1_name in (t_1(context.eval_ctx, t_2(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'message_classes'), attribute='class_name')) + t_4(environment, ['UnknownMessage', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'), 'parse_message'])):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_3(l_1_name))
        yield ',\n'
    l_1_name = missing
    yield ']\n'
    for l_1_cls in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'message_classes'):
        _loop_vars = {}
        pass
        yield '\n\nclass '
        yield str(environment.getattr(l_1_cls, 'class_name'))
        yield '(_typed.ModelMessage):\n'
        yield str(context.call((undefined(name='model_class_body') if l_0_model_class_body is missing else l_0_model_class_body), l_1_cls, _loop_vars=_loop_vars))
    l_1_cls = missing
    yield '\n\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'messages'):
        pass
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'))
        yield ': typing.TypeAlias = typing.Union[\n'
        for l_1_msg in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'messages'):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.getattr(l_1_msg, 'class_name'))
            yield ',\n'
        l_1_msg = missing
        yield ']\n'
    else:
        pass
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'))
        yield ': typing.TypeAlias = UnknownMessage\n'
    yield '"""Every message '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' can send."""\n\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'messages'):
        pass
        yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 0, str_join(('_ADAPTER: _typed.MessageAdapter[', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'), ']', )), context.call((undefined(name='as_call') if l_0_as_call is missing else l_0_as_call), str_join(('_typed.MessageAdapter(', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'), ')', )))))
        yield '\n"""One pydantic TypeAdapter over :data:`'
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'))
        yield '`, discriminated by the wire type."""\n\n'
    yield '\n'
    yield str(context.call((undefined(name='py_def') if l_0_py_def is missing else l_0_py_def), 0, 'def parse_message(', ['message: reactor_client.Message'], str_join((') -> ', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'), ' | UnknownMessage:', ))))
    yield '\n    """The typed form of ``message``; :class:`UnknownMessage` (with ``error`` set when\n    validation failed) for anything else. Never raises."""\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'messages'):
        pass
        yield '    return _ADAPTER.parse(message)\n'
    else:
        pass
        yield '    return UnknownMessage(message.type, dict(message.data))\n'

blocks = {}
debug_info = '1=40&2=49&3=51&16=53&20=57&26=61&27=65&30=69&33=73&34=75&38=78&39=80&40=82&41=86&45=92&47=95&49=97&50=99&51=101&55=104&58=106'