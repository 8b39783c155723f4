from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/testing/__init__.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_t = resolve('t')
    l_0_py_header = missing
    try:
        t_1 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_2 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    try:
        t_3 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'package/testing/__init__.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/testing/__init__.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""Test kit of the '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' model: :class:`'
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield "`, for your app's unit tests.\n\n:class:`"
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '` is :class:`reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '` itself —\nthe same typed commands, validation, listeners, waiters and tracks — over an in-memory\nruntime instead of a GPU in the cloud, so it goes wherever the model class goes::\n\n    from reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.testing import '
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '\n\n    async def test_my_app() -> None:\n        async with '
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '() as model:\n            await my_app(model)          # the code under test takes a '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '\n            model.assert_command(...)     # what it sent, validated and typed\n\nThe test drives the model side: ``model.commands``, ``model.assert_command(name, **fields)``,\n``model.on_command(name, reaction)``, ``model.fail_command(name, code)``,\n``model.emit(message)``, ``model.push_frame(track, frame)``,\n``model.next_input_frame(track)``, ``model.on_step(answer)``, ``model.lose()`` and\n``model.end_session()`` (see :class:`reactor_client.testing.FakeModel`). A command that\ndeclares a reply answers with a schema-valid example until a reaction is scripted. The\nblocking twin is :class:`reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.testing.sync.'
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '`; the\npytest fixture ``reactor_fake('
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield ')`` builds either.\n"""\n\nfrom __future__ import annotations\n\nimport typing\n\nimport pydantic\nfrom reactor_client.testing import FakeModel\n\nfrom .. import commands as _commands\n'
    if t_1(context.eval_ctx, t_3(context, environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'commands'), 'reply_class')):
        pass
        yield 'from .. import messages as _messages\n'
    yield 'from .._client import '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '\n\n__all__ = ["'
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '"]\n\n\nclass '
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '(FakeModel, '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '):\n    """:class:`reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '` over an in-memory runtime\n    (no network): the app\'s side is the real class; the test scripts the model\'s side."""\n\n    _params_classes: typing.ClassVar[typing.Mapping[str, type[pydantic.BaseModel]]] = {\n'
    for l_1_c in environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'commands'):
        _loop_vars = {}
        pass
        yield '        '
        yield str(t_2(environment.getattr(l_1_c, 'name')))
        yield ': _commands.'
        yield str(environment.getattr(l_1_c, 'params_class'))
        yield ',\n'
    l_1_c = missing
    yield '    }\n    _reply_classes: typing.ClassVar[typing.Mapping[str, type[pydantic.BaseModel]]] = {\n'
    def t_4(fiter):
        for l_1_c in fiter:
            if environment.getattr(l_1_c, 'reply_class'):
                yield l_1_c
    for l_1_c in t_4(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'commands')):
        _loop_vars = {}
        pass
        yield '        '
        yield str(t_2(environment.getattr(l_1_c, 'name')))
        yield ': _messages.'
        yield str(environment.getattr(l_1_c, 'reply_class'))
        yield ',\n'
    l_1_c = missing
    yield '    }\n    _reply_examples: typing.ClassVar[typing.Mapping[str, typing.Mapping[str, typing.Any]]] = {\n'
    def t_5(fiter):
        for l_1_c in fiter:
            if environment.getattr(l_1_c, 'reply_class'):
                yield l_1_c
    for l_1_c in t_5(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'commands')):
        _loop_vars = {}
        pass
        yield '        '
        yield str(t_2(environment.getattr(l_1_c, 'name')))
        yield ': '
        yield str(environment.getattr(l_1_c, 'reply_example'))
        yield ',\n'
    l_1_c = missing
    yield '    }\n'

blocks = {}
debug_info = '1=32&2=38&3=40&5=44&9=50&12=54&13=56&22=58&23=62&34=64&37=68&39=70&42=72&43=76&47=80&48=84&52=90&53=98&57=104&58=112'