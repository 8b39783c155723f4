from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'scaffold/__init__.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_s = resolve('s')
    l_0_py_header = missing
    try:
        t_1 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'scaffold/__init__.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'scaffold/__init__.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""The starter project ``python -m reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield " new`` writes.\n\nThe other files of this folder are that project's files, each with this header line, the\napp's name left as ``"
    yield str(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'app_name'))
    yield '`` / ``'
    yield str(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'app_dist'))
    yield '``; :mod:`reactor_client.apps.scaffold`\nfills them in and writes the project (``reactor-gen new`` writes the same bytes).\n"""\n\nfrom __future__ import annotations\n\nimport typing\n\n__all__ = ["FILES"]\n\nFILES: typing.Final[dict[str, str]] = {\n'
    for (l_1_project, l_1_data) in environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'files'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_1(l_1_project))
        yield ': '
        yield str(t_1(l_1_data))
        yield ',\n'
    l_1_project = l_1_data = missing
    yield '}\n"""Path in the project → file in this folder."""\n'

blocks = {}
debug_info = '1=20&2=26&3=28&6=30&17=34&18=38'