from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/listeners.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_header = missing
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
        t_3 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'package/listeners.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/listeners.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""Typed listeners and waiters of '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ', declared once for :class:`'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '`\nand its blocking twin (:class:`reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.sync.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '`).\n\nEvery message has ``on_<message>(callback)`` (returns a\n:class:`reactor_client.Subscription`; call it to unsubscribe), ``@on_<message>()`` (the\ndecorator form: registers the function and returns it unchanged) and\n``wait_for_<message>(predicate=None, *, timeout=None)`` (awaited on the async model,\nreturned on the blocking one). Raw messages are parsed once per delivery. A message that\ndoes not match the schema never reaches a typed listener: it is reported through the\nclient\'s ``on_error`` hook and delivered to ``messages()`` as\n:class:`~.messages.UnknownMessage`.\n"""\n\nfrom __future__ import annotations\n\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'messages'):
        pass
        yield 'from reactor_client import typed as _typed\n\nfrom . import messages as _messages\n\n'
    yield '__all__ = ['
    yield str(t_3(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'listeners_class')))
    yield ']\n\n\nclass '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'listeners_class'))
    yield ':\n    """The typed ``on_<message>`` and ``wait_for_<message>`` members of '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield '."""\n'
    for l_1_msg in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'messages'):
        l_1_py_assign = resolve('py_assign')
        l_1_py_items = resolve('py_items')
        _loop_vars = {}
        pass
        yield '\n    '
        yield str(context.call((undefined(name='py_assign') if l_1_py_assign is missing else l_1_py_assign), 4, environment.getattr(l_1_msg, 'listener_name'), context.call((undefined(name='py_items') if l_1_py_items is missing else l_1_py_items), '_typed.Listener(', [t_3(environment.getattr(l_1_msg, 'name')), str_join(('_messages.', environment.getattr(l_1_msg, 'class_name'), ))], ')', _loop_vars=_loop_vars), _loop_vars=_loop_vars))
        yield '\n    """'
        yield str(t_2(t_1(environment.getattr(l_1_msg, 'listener_doc')), 4))
        yield '\n    """\n    '
        yield str(context.call((undefined(name='py_assign') if l_1_py_assign is missing else l_1_py_assign), 4, environment.getattr(l_1_msg, 'waiter_name'), context.call((undefined(name='py_items') if l_1_py_items is missing else l_1_py_items), '_typed.Waiter(', [t_3(environment.getattr(l_1_msg, 'name')), str_join(('_messages.', environment.getattr(l_1_msg, 'class_name'), ))], ')', _loop_vars=_loop_vars), _loop_vars=_loop_vars))
        yield '\n    """'
        yield str(t_2(t_1(environment.getattr(l_1_msg, 'waiter_doc')), 4))
        yield '\n    """\n'
    l_1_msg = l_1_py_assign = l_1_py_items = missing

blocks = {}
debug_info = '1=31&2=37&3=39&4=43&18=47&24=51&27=53&28=55&29=57&31=63&32=65&34=67&35=69'