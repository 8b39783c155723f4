from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'pyproject.toml.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_header = missing
    try:
        t_1 = environment.filters['toml_str']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'toml_str' found.")
    try:
        t_2 = environment.filters['with_extra']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'with_extra' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'pyproject.toml.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'pyproject.toml.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n\n[build-system]\nrequires = ["hatchling>=1.24"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'distribution')))
    yield '\nversion = '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package_version')))
    yield '\ndescription = '
    yield str(t_1(str_join(('Typed Python SDK for the ', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'), ' model on Reactor', ))))
    yield '\nreadme = "README.md"\nrequires-python = ">=3.10"\nlicense = { text = "MIT" }\nkeywords = ["reactor", '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title')))
    yield ', "sdk", "typed"]\nclassifiers = [\n  "Framework :: AsyncIO",\n  "Programming Language :: Python :: 3",\n  "Typing :: Typed",\n]\ndependencies = [\n  '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'runtime_requirement')))
    yield ',\n  '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'pydantic_requirement')))
    yield ',\n]\n\n[project.optional-dependencies]\n# model.<track>.show(): a live widget in Jupyter\nnotebook = ['
    yield str(t_1(t_2(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'runtime_requirement'), 'notebook')))
    yield ']\n# python -m reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield ' play: the local playground page\nplayground = ['
    yield str(t_1(t_2(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'runtime_requirement'), 'playground')))
    yield ']\n# python -m reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield ' mock: an offline stand-in (reactor-runtime, Python >= 3.12)\nmock = ['
    yield str(t_1(t_2(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'runtime_requirement'), 'mock')))
    yield ']\n# transport="native" (or REACTOR_TRANSPORT=native): libwebrtc through reactor-webrtc (glibc >= 2.34)\nnative = ['
    yield str(t_1(t_2(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'runtime_requirement'), 'native')))
    yield ']\n\n[project.scripts]\n'
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'distribution')))
    yield ' = '
    yield str(t_1(str_join(('reactor_models.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'), '.__main__:main', ))))
    yield '\n\n[tool.hatch.build.targets.wheel]\nonly-include = ["reactor_models/'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '"]\n\n[tool.hatch.build.targets.sdist]\ninclude = ["reactor_models/'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '", "README.md", "reactor-gen.lock.json"]\n\n[tool.reactor-gen]\nmodel = '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title')))
    yield '\nmodel-version = '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'version')))
    yield '\nschema = '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'schema_name')))
    yield '\nschema-sha256 = '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'sha256')))
    yield '\n'

blocks = {}
debug_info = '1=25&2=31&9=33&10=35&11=37&15=39&22=41&23=43&28=45&29=47&30=49&31=51&32=53&34=55&37=57&40=61&43=63&46=65&47=67&48=69&49=71'