from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/__init__.py.jinja'

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
        t_2 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'package/__init__.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/__init__.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""'
    yield str(t_1(str_join(('Typed Python SDK for the ', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'), ' model on Reactor (', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title'), ' ', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'version'), ').', ))))
    yield '\n\nQuick start::\n\n    from reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield ' import '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '\n\n    async with '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '(local=True) as model:\n        ...\n"""\n\nfrom __future__ import annotations\n\n'
    for l_1_e in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'exports'):
        _loop_vars = {}
        pass
        if environment.getattr(l_1_e, 'names'):
            pass
            yield 'from .'
            yield str(environment.getattr(l_1_e, 'module'))
            yield ' import (\n'
            for l_2_n in environment.getattr(l_1_e, 'names'):
                _loop_vars = {}
                pass
                yield '    '
                yield str(l_2_n)
                yield ',\n'
            l_2_n = missing
            yield ')\n'
    l_1_e = missing
    yield '\n__all__ = [\n'
    for l_1_n in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'all_names'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_2(l_1_n))
        yield ',\n'
    l_1_n = missing
    yield ']\n'

blocks = {}
debug_info = '1=25&2=31&3=33&7=35&9=39&15=41&16=44&17=47&18=49&19=53&26=59&27=63'