from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'scaffold/env.example.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_header = missing
    pass
    included_template = environment.get_template('_header.jinja', 'scaffold/env.example.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'scaffold/env.example.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n# Copy to .env and fill in (.env is git-ignored: never commit it). main.py and\n# token_server.py read it; variables already set in the environment win.\n\n# Your Reactor API key: server side only, never in a browser, an app or a repository.\nREACTOR_API_KEY=\n\n# The Reactor API (default https://api.reactor.inc).\n# REACTOR_API_URL=https://api.reactor.inc\n\n# Instead of the key: your token route (token_server.py); main.py then asks it for tokens.\n# REACTOR_TOKEN_URL=http://127.0.0.1:8000/api/reactor/token\n'

blocks = {}
debug_info = '1=13&2=19'