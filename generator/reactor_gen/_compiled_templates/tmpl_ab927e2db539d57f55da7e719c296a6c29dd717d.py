from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'scaffold/token_server.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_header = missing
    pass
    included_template = environment.get_template('_header.jinja', 'scaffold/token_server.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'scaffold/token_server.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""Mint Reactor JWTs for clients you do not trust with your API key (a browser, a\ndevice): ``POST /api/reactor/token`` answers ``{"jwt": "..."}``, minted server-side with\n``REACTOR_API_KEY``; the key never leaves this process.\n\n    pip install ".[server]"\n    REACTOR_API_KEY=rk_... python token_server.py     # or: uvicorn token_server:app\n\nA client then connects with ``'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '(jwt=token)`` (the JavaScript SDK: the\nprovider\'s ``jwtToken``), or with ``jwt=`` a resolver that asks this route for a token\n(``main.py`` does with ``REACTOR_TOKEN_URL``): the client calls it before every request,\nso a session outlives its tokens. Tokens expire on their own (the API\'s default\nlifetime), but anyone who can reach this route gets one: put it behind your own sign-in.\n"""\n\nfrom __future__ import annotations\n\nimport logging\nimport os\nfrom pathlib import Path\n\nimport reactor_client\nfrom starlette.applications import Starlette\nfrom starlette.requests import Request\nfrom starlette.responses import JSONResponse\nfrom starlette.routing import Route\n\nlog = logging.getLogger("token_server")\n\n\nasync def token(request: Request) -> JSONResponse:\n    """``POST /api/reactor/token``: a fresh JWT (never the API key, never cached)."""\n    api_key = os.environ.get("REACTOR_API_KEY", "")\n    if not api_key:\n        return JSONResponse({"error": "REACTOR_API_KEY is not set on the server"}, 500)\n    api_url = os.environ.get("REACTOR_API_URL") or reactor_client.DEFAULT_API_URL\n    try:\n        jwt = await reactor_client.afetch_jwt(api_key, api_url)\n    except reactor_client.ReactorError as exc:\n        log.warning("minting a token failed: %s", exc)\n        return JSONResponse({"error": "could not mint a token"}, 502)\n    return JSONResponse({"jwt": jwt}, headers={"Cache-Control": "no-store"})\n\n\napp = Starlette(routes=[Route("/api/reactor/token", token, methods=["POST"])])\n\n\ndef load_env(path: Path) -> None:\n    """``KEY=value`` lines of ``path`` (if it exists) into the environment; variables\n    already set win."""\n    if not path.is_file():\n        return\n    for line in path.read_text(encoding="utf-8").splitlines():\n        key, sep, value = line.partition("=")\n        if sep and not key.lstrip().startswith("#") and value.strip():\n            os.environ.setdefault(key.strip(), value.strip().strip("\\"\'"))\n\n\nif __name__ == "__main__":\n    import uvicorn\n\n    load_env(Path(__file__).resolve().parent / ".env")\n    port = int(os.environ.get("PORT", "8000"))\n    uvicorn.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=port)\n'

blocks = {}
debug_info = '1=13&2=19&10=21'