from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/__main__.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_call = resolve('py_call')
    l_0_py_header = missing
    try:
        t_1 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'package/__main__.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/__main__.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""``python -m reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '``: the model\'s command line.\n\n``play`` serves the local playground page (extra ``[playground]``); ``new`` writes a\nstarter project that uses this package; ``mock`` serves an offline stand-in for the model\non reactor-runtime (extra ``[mock]``, Python >= 3.12). ``--help`` lists the options of each.\n"""\n\nfrom __future__ import annotations\n\nimport typing\n\nfrom reactor_client.apps.cli import model_main\n\nfrom ._client import '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '\n\n__all__ = ["main"]\n\n\ndef main(argv: typing.Sequence[str] | None = None) -> int:\n    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); the exit status."""\n    '
    yield str(context.call((undefined(name='py_call') if l_0_py_call is missing else l_0_py_call), 4, 'return model_main(', [environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'), str_join(('package=__package__ or ', t_1(str_join(('reactor_models.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'), ))), )), 'argv=argv']))
    yield '\n\n\nif __name__ == "__main__":\n    raise SystemExit(main())\n'

blocks = {}
debug_info = '1=20&2=26&3=28&16=30&23=32'