from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'scaffold/main.py.jinja'

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
        t_1 = environment.filters['comment']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'comment' found.")
    try:
        t_2 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'scaffold/main.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'scaffold/main.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""A starter for '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' on Reactor: connect, give the model what it needs to\n'
    if environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track'):
        pass
        yield 'produce video, record a few seconds of ``'
        yield str(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track'))
        yield '`` to a file.\n'
    else:
        pass
        yield 'run, and stay connected a few seconds.\n'
    yield '\n    python main.py --local                   # a local runtime at http://localhost:8080\n    python main.py --local http://HOST:PORT  # ... elsewhere (or --local --url URL)\n    REACTOR_API_KEY=rk_... python main.py    # the Reactor cloud (or put the key in .env)\n    REACTOR_TOKEN_URL=http://127.0.0.1:8000/api/reactor/token python main.py\n                                             # the cloud, tokens from token_server.py\n\n'
    if environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track'):
        pass
        yield '``--seconds N`` (default 5) and ``--out FILE`` (default output.mp4, or .webm) set what\nis recorded. What :func:`setup` sends, and why: README.md.\n'
    else:
        pass
        yield '``--seconds N`` (default 5). What :func:`setup` sends, and why: README.md.\n'
    yield '"""\n\nfrom __future__ import annotations\n\nimport argparse\nimport asyncio\nimport os\nimport sys\nimport time\nfrom pathlib import Path\nfrom typing import Any\n\nimport httpx\n'
    if environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'required_inputs'):
        pass
        yield 'import numpy\n'
    yield 'import reactor_client\nfrom reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield ' import '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '\n\nHERE = Path(__file__).resolve().parent\n\n\nasync def setup(model: '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield ') -> None:\n    """The minimum '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' needs before it produces video, derived from its\n    schema (README.md, "What setup() sends"). Edit freely."""\n'
    t_3 = 1
    for l_1_step in environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'steps'):
        _loop_vars = {}
        pass
        for l_2_line in environment.getattr(l_1_step, 'comment_lines'):
            _loop_vars = {}
            pass
            yield '    # '
            yield str(t_1(l_2_line))
            yield '\n'
        l_2_line = missing
        yield '    '
        yield str(environment.getattr(l_1_step, 'call'))
        yield '\n'
        t_3 = 0
    l_1_step = missing
    if t_3:
        pass
        yield '    # The schema names nothing the model needs first: it streams once connected.\n'
    yield '\n\n'
    if environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'required_inputs'):
        pass
        yield 'async def push_test_pattern(\n    track: reactor_client.InputTrack, fps: float = 24.0\n) -> None:\n    """Push a moving colour gradient to ``track`` until cancelled (a stand-in for a\n    camera or a video file)."""\n    ramp = numpy.linspace(0, 255, 320).astype(numpy.uint8)\n    frame = numpy.zeros((240, 320, 3), dtype=numpy.uint8)\n    n = 0\n    while True:\n        frame[:, :, 0] = numpy.roll(ramp, 4 * n)\n        frame[:, :, 1] = ramp[::-1]\n        frame[:, :, 2] = (3 * n) % 256\n        track.push_frame(frame.copy())\n        n += 1\n        await asyncio.sleep(1 / fps)\n\n\n'
    yield 'async def run(args: argparse.Namespace) -> None:\n    feeders: list[asyncio.Task[None]] = []\n    async with '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '(**connect_options(args)) as model:\n        print(f"connected to '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title'))
    yield ' (session {model.session_id})")\n'
    for l_1_i in environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'inputs'):
        _loop_vars = {}
        pass
        yield '        if args.'
        yield str(environment.getattr(l_1_i, 'dest'))
        yield ' is not None:  # a media file, looped\n            await model.'
        yield str(environment.getattr(l_1_i, 'publish_name'))
        yield '(args.'
        yield str(environment.getattr(l_1_i, 'dest'))
        yield ', loop=True)\n'
        if environment.getattr(l_1_i, 'required'):
            pass
            yield '        else:  # the model edits what it receives here: a test pattern\n            await model.'
            yield str(environment.getattr(l_1_i, 'publish_name'))
            yield '()\n            feeders.append(asyncio.create_task(push_test_pattern(model.'
            yield str(environment.getattr(l_1_i, 'attr_name'))
            yield ')))\n'
    l_1_i = missing
    yield '        await setup(model)\n'
    if environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track'):
        pass
        yield '        print(f"recording {args.seconds:g} s of '
        yield str(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track'))
        yield ' to {args.out}")\n        result = await model.record(\n            args.out, seconds=args.seconds, tracks=['
        yield str(t_2(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track')))
        yield ']\n        )\n'
    else:
        pass
        yield '        await asyncio.sleep(args.seconds)\n'
    yield '        for feeder in feeders:\n            feeder.cancel()\n'
    if environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track'):
        pass
        yield '    if not result.frames.get('
        yield str(t_2(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track')))
        yield '):\n        raise reactor_client.ReactorError(\n            f"no '
        yield str(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track_kind'))
        yield ' arrived on '
        yield str(environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track'))
        yield ' in {args.seconds:g} s: does the "\n            "model need more than setup() sends? (README.md)"\n        )\n    print(f"wrote {result.path} ({result.duration_seconds:.1f} s)")\n'
    else:
        pass
        yield '    print("done (the model has no output track to record)")\n'
    yield '\n\ndef token_resolver(token_url: str) -> reactor_client.JwtResolver:\n    """A token resolver over your token route (``token_server.py``): the client calls it\n    before every request to the Reactor API, so a session outlives its tokens. A token is\n    reused for a minute (keep that well below the lifetime your route mints)."""\n    cache: dict[str, Any] = {}\n\n    async def resolve() -> str:\n        if "jwt" not in cache or time.monotonic() - cache["at"] > 60:\n            async with httpx.AsyncClient() as http:\n                response = await http.post(token_url, timeout=15)\n            response.raise_for_status()\n            cache.update(jwt=str(response.json()["jwt"]), at=time.monotonic())\n        return str(cache["jwt"])\n\n    return resolve\n\n\ndef connect_options(args: argparse.Namespace) -> dict[str, Any]:\n    """The model class\'s options: a local runtime (``--local [URL]``), else the cloud with\n    tokens from ``REACTOR_TOKEN_URL`` (your token route) or minted with ``REACTOR_API_KEY``.\n    """\n    if args.local is not None:\n        if args.local and args.url and args.local != args.url:\n            raise SystemExit(\n                f"main.py: --local {args.local} and --url {args.url} disagree: give the URL once"\n            )\n        url = args.local or args.url or reactor_client.LOCAL_API_URL\n        return {"url": url, "local": True}\n    url = (\n        args.url or os.environ.get("REACTOR_API_URL") or reactor_client.DEFAULT_API_URL\n    )\n    token_url = os.environ.get("REACTOR_TOKEN_URL")\n    # no API key in this process: tokens come from your route, one per minute\n    if token_url:\n        return {"url": url, "jwt": token_resolver(token_url)}\n    api_key = os.environ.get("REACTOR_API_KEY")\n    if not api_key:\n        raise SystemExit(\n            "main.py: pass --local for a local runtime, or set REACTOR_API_KEY "\n            "(or put it in .env) or REACTOR_TOKEN_URL for the Reactor cloud"\n        )\n    return {"url": url, "api_key": api_key}\n\n\ndef load_env(path: Path) -> None:\n    """``KEY=value`` lines of ``path`` (if it exists) into the environment; variables\n    already set win."""\n    if not path.is_file():\n        return\n    for line in path.read_text(encoding="utf-8").splitlines():\n        key, sep, value = line.partition("=")\n        if sep and not key.lstrip().startswith("#") and value.strip():\n            os.environ.setdefault(key.strip(), value.strip().strip("\\"\'"))\n\n\ndef main(argv: list[str] | None = None) -> int:\n    parser = argparse.ArgumentParser(\n        description=__doc__.splitlines()[0] if __doc__ else None\n    )\n    parser.add_argument(\n        "--local",\n        nargs="?",\n        const="",\n        metavar="URL",\n        help="use a local reactor-runtime at URL (default http://localhost:8080)",\n    )\n    parser.add_argument(\n        "--url",\n        help="the local runtime\'s URL (the same as --local URL) or the API\'s (cloud)",\n    )\n    parser.add_argument(\n        "--seconds", type=float, default=5.0, help="how long (default 5)"\n    )\n'
    if environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'main_track'):
        pass
        yield '    parser.add_argument(\n        "--out",\n        type=Path,\n        default=Path("output.mp4"),\n        help="file to record to (.mp4 or .webm)",\n    )\n'
    for l_1_i in environment.getattr((undefined(name='s') if l_0_s is missing else l_0_s), 'inputs'):
        _loop_vars = {}
        pass
        yield '    parser.add_argument(\n        '
        yield str(t_2(environment.getattr(l_1_i, 'option')))
        yield ',\n        type=Path,\n        help='
        yield str(t_2(str_join(('a media file to publish on ', environment.getattr(l_1_i, 'name'), (' (default: a test pattern)' if environment.getattr(l_1_i, 'required') else ' (optional)'), ))))
        yield ',\n    )\n'
    l_1_i = missing
    yield '    args = parser.parse_args(argv)\n    load_env(HERE / ".env")\n    try:\n        asyncio.run(run(args))\n    except (reactor_client.ReactorError, OSError) as exc:\n        print(f"main.py: {exc}", file=sys.stderr)\n        return 1\n    except KeyboardInterrupt:\n        return 130\n    return 0\n\n\nif __name__ == "__main__":\n    raise SystemExit(main())\n'

blocks = {}
debug_info = '1=26&2=32&3=34&4=36&5=39&16=45&35=52&39=56&44=60&45=62&47=65&48=68&49=72&51=76&57=84&78=88&79=90&80=92&81=96&82=98&83=102&85=105&86=107&90=111&91=114&93=116&100=122&101=125&103=127&185=135&193=138&195=142&197=144'