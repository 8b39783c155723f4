from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'readme/_playground.md.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    pass
    yield "### Playground\n\nA local web page to try the model by hand: the live video of each output track, a form per\ncommand (generated from the schema: inputs by type, enum menus, ranges, required markers and\ndefaults; the validation error or the typed reply appears next to the form), the message log\nwith a filter by message type, the latest message of each type (a `state` message first) and\nthe connection status.\n\n```bash\n# the [playground] extra adds Starlette and uvicorn; the plain package has no web server\npip install '"
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'distribution'))
    yield "[playground]'\n# a local runtime (http://localhost:8080, or --local http://localhost:9000)\npython -m reactor_models."
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield ' play --local\n# the Reactor cloud: --api-key KEY, or the REACTOR_API_KEY environment variable\nREACTOR_API_KEY=... python -m reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield ' play\n```\n\nThe page is served on `http://127.0.0.1:8765/` (`--port N`, `--port 0` for any free port;\n`--host` to change the address) and opened in your browser (`--no-browser` only prints the\nURL). Video reaches the page as MJPEG (at most `--fps` frames per second per track, encoded\nonly while the page is open); audio and input tracks are not played or published. Ctrl-C\nstops the server and ends the session.\n'

blocks = {}
debug_info = '11=13&13=15&15=17'