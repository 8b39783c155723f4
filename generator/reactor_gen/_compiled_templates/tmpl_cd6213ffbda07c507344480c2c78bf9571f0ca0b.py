from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/testing/sync.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_t = resolve('t')
    l_0_py_docstring = resolve('py_docstring')
    l_0_py_header = l_0_doc = missing
    pass
    included_template = environment.get_template('_header.jinja', 'package/testing/sync.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/testing/sync.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""The blocking fake of the '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' model: :class:`'
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '`.\n\n:class:`reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.sync.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '` over the async\n:class:`reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.testing.'
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield "`: every call blocks; listeners\nand ``on_command`` reactions run on the model's loop thread::\n\n    from reactor_models."
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.testing.sync import '
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '\n\n    def test_my_script() -> None:\n        with '
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '() as model:\n            my_script(model)\n            model.assert_command(...)\n"""\n\nfrom __future__ import annotations\n\nfrom reactor_client.testing import SyncFakeModel\n\nfrom .. import sync as _sync\nfrom . import '
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield ' as _Fake\n\n__all__ = ["'
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '"]\n\n\nclass '
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '(SyncFakeModel[_Fake], _sync.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '):\n'
    t_1 = []
    pass
    t_1.extend((
        'The blocking :class:`reactor_models.',
        str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package')),
        '.sync.',
        str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class')),
        '` over an\nin-memory runtime (see :class:`reactor_models.',
        str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package')),
        '.testing.',
        str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class')),
        '`).',
    ))
    l_0_doc = (Markup if context.eval_ctx.autoescape else identity)(concat(t_1))
    context.vars['doc'] = l_0_doc
    context.exported_vars.add('doc')
    yield '    '
    yield str(context.call((undefined(name='py_docstring') if l_0_py_docstring is missing else l_0_py_docstring), 4, (undefined(name='doc') if l_0_doc is missing else l_0_doc)))
    yield '\n\n    _async_class = _Fake\n'

blocks = {}
debug_info = '1=15&2=21&3=23&5=27&6=31&9=35&12=39&22=41&24=43&27=45&29=53&30=57&28=62&32=66'