from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'readme/_get_started.md.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_s = resolve('s')
    try:
        t_1 = environment.filters['md_inline']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'md_inline' found.")
    try:
        t_2 = environment.filters['trim']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'trim' found.")
    try:
        t_3 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    pass
    yield '## Get started\n\nScaffold a starter app for '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' (the Python counterpart of `create-reactor-app`):\n\n```bash\npip install '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'distribution'))
    yield '\npython -m reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield ' new my-app\ncd my-app && pip install .\npython main.py --local                  # a local runtime at http://localhost:8080\nREACTOR_API_KEY=rk_... python main.py   # the Reactor cloud\n```\n\nIn a checkout of the generator, `reactor-gen new my-app --model '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title'))
    yield '` writes the same project.\n\n`my-app/` holds `main.py` (connect, give the model the minimum it needs to produce video, record a few\n'
    if (t_3((undefined(name='s') if l_0_s is missing else l_0_s)) and environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track')):
        pass
        yield 'seconds of `'
        yield str(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track'))
        yield '` to `output.mp4`), `token_server.py`, `pyproject.toml` (depending on\n`'
        yield str(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'model_requirement'))
        yield '`), a README and `.env.example`.\n'
    else:
        pass
        yield 'seconds to `output.mp4`), `token_server.py`, `pyproject.toml` (depending on this package), a README\nand `.env.example`.\n'
    if (t_3((undefined(name='s') if l_0_s is missing else l_0_s)) and environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'steps')):
        pass
        yield '\nThe minimum is derived from the schema ('
        yield str(t_2(t_1(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'rule')), '.'))
        yield '), so `setup()` in\n`main.py` calls '
        l_1_loop = missing
        for l_1_step, l_1_loop in LoopContext(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'steps'), undefined):
            _loop_vars = {}
            pass
            yield '`'
            yield str(environment.getattr(l_1_step, 'method_name'))
            yield '`'
            if (not environment.getattr(l_1_loop, 'last')):
                pass
                yield ', then '
        l_1_loop = l_1_step = missing
        yield '; values the schema does not give are marked\nplaceholders.\n'
    elif t_3((undefined(name='s') if l_0_s is missing else l_0_s)):
        pass
        yield '\nThe minimum is derived from the schema, which names nothing here: `setup()` in `main.py` sends\nnothing, and the model is expected to stream once connected.\n'
    yield 'Edit `setup()`, or pass the calls you want: `new my-app --setup \'name(arg=value)\' --setup name`.\n`--dir PATH` writes elsewhere; an existing, non-empty directory is never written into.\n\n`token_server.py` is the [Authenticate](#authenticate) route in Python: a Starlette app whose\n`POST /api/reactor/token` mints a JWT with `REACTOR_API_KEY` (`reactor_client.afetch_jwt`) and answers\n`{"jwt": "..."}`, so browsers never see the key. It needs the project\'s `[server]` extra\n(`pip install ".[server]"`, starlette and uvicorn); a plain `pip install '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'distribution'))
    yield '` brings\nno web server.\n\n```bash\nREACTOR_API_KEY=rk_... python token_server.py   # POST http://127.0.0.1:8000/api/reactor/token\n```\n'

blocks = {}
debug_info = '3=32&6=34&7=36&13=38&16=40&17=43&18=45&23=50&25=53&26=56&28=67&39=71'