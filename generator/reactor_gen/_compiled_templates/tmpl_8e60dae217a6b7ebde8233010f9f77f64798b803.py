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
    l_0_py_docstring = resolve('py_docstring')
    l_0_namespace = resolve('namespace')
    l_0_py_assign = resolve('py_assign')
    l_0_py_items = resolve('py_items')
    l_0_as_literal = resolve('as_literal')
    l_0_py_header = l_0_doc = l_0_ns = missing
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_3 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    try:
        t_4 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_4(*unused):
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
    if t_2(context.eval_ctx, t_4(context, environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'commands'), 'reply_class')):
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
    yield '):\n'
    t_5 = []
    pass
    t_5.extend((
        ':class:`reactor_models.',
        str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package')),
        '.',
        str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class')),
        "` over an in-memory runtime\n(no network): the app's side is the real class; the test scripts the model's side.",
    ))
    l_0_doc = (Markup if context.eval_ctx.autoescape else identity)(concat(t_5))
    context.vars['doc'] = l_0_doc
    context.exported_vars.add('doc')
    yield '    '
    yield str(context.call((undefined(name='py_docstring') if l_0_py_docstring is missing else l_0_py_docstring), 4, (undefined(name='doc') if l_0_doc is missing else l_0_doc)))
    yield '\n'
    l_0_ns = context.call((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace), params=[], replies=[], examples=[])
    context.vars['ns'] = l_0_ns
    context.exported_vars.add('ns')
    for l_1_c in environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'commands'):
        _loop_vars = {}
        pass
        if not isinstance(l_0_ns, Namespace):
            raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
        l_0_ns['params'] = (environment.getattr((undefined(name='ns') if l_0_ns is missing else l_0_ns), 'params') + [str_join((t_3(environment.getattr(l_1_c, 'name')), ': _commands.', environment.getattr(l_1_c, 'params_class'), ))])
        if environment.getattr(l_1_c, 'reply_class'):
            pass
            if not isinstance(l_0_ns, Namespace):
                raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
            l_0_ns['replies'] = (environment.getattr((undefined(name='ns') if l_0_ns is missing else l_0_ns), 'replies') + [str_join((t_3(environment.getattr(l_1_c, 'name')), ': _messages.', environment.getattr(l_1_c, 'reply_class'), ))])
            if not isinstance(l_0_ns, Namespace):
                raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
            l_0_ns['examples'] = (environment.getattr((undefined(name='ns') if l_0_ns is missing else l_0_ns), 'examples') + [str_join((t_3(environment.getattr(l_1_c, 'name')), ': ', environment.getattr(l_1_c, 'reply_example'), ))])
    l_1_c = missing
    yield '\n    '
    yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 4, '_params_classes: typing.ClassVar[typing.Mapping[str, type[pydantic.BaseModel]]]', context.call((undefined(name='py_items') if l_0_py_items is missing else l_0_py_items), '{', environment.getattr((undefined(name='ns') if l_0_ns is missing else l_0_ns), 'params'), '}', collection=True, magic=True)))
    yield '\n    '
    yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 4, '_reply_classes: typing.ClassVar[typing.Mapping[str, type[pydantic.BaseModel]]]', context.call((undefined(name='py_items') if l_0_py_items is missing else l_0_py_items), '{', environment.getattr((undefined(name='ns') if l_0_ns is missing else l_0_ns), 'replies'), '}', collection=True, magic=True)))
    yield '\n    '
    yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 4, '_reply_examples: typing.ClassVar[typing.Mapping[str, typing.Mapping[str, typing.Any]]]', context.call((undefined(name='as_literal') if l_0_as_literal is missing else l_0_as_literal), str_join(('{', t_1(context.eval_ctx, environment.getattr((undefined(name='ns') if l_0_ns is missing else l_0_ns), 'examples'), ', '), '}', )), magic=True)))
    yield '\n'

blocks = {}
debug_info = '1=43&2=49&3=51&5=55&9=61&12=65&13=67&22=69&23=73&34=75&37=79&39=81&42=83&44=91&43=96&47=100&48=102&49=105&50=110&51=111&52=115&53=118&57=121&58=123&59=125'