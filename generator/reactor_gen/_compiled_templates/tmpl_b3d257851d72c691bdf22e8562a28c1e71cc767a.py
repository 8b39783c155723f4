from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'scaffold/pyproject.toml.jinja'

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
        t_1 = environment.filters['toml_str']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'toml_str' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'scaffold/pyproject.toml.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'scaffold/pyproject.toml.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n[build-system]\nrequires = ["hatchling>=1.24"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "'
    yield str(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'app_dist'))
    yield '"\nversion = "0.1.0"\ndescription = '
    yield str(t_1(str_join(('A ', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'), ' app on Reactor', ))))
    yield '\nreadme = "README.md"\nrequires-python = ">=3.10"\ndependencies = [\n  '
    yield str(t_1(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'model_requirement')))
    yield ',\n]\n\n[project.optional-dependencies]\n# token_server.py: mint JWTs for browser clients (a web server, so not installed by default)\nserver = ["starlette>=0.37", "uvicorn>=0.29"]\n\n[tool.hatch.build.targets.wheel]\n# An application, not a library: `pip install .` installs its dependencies, and you run\n# main.py from this folder.\nbypass-selection = true\n'

blocks = {}
debug_info = '1=20&2=26&8=28&10=30&14=32'