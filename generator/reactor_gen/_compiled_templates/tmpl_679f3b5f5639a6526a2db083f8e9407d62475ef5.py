from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/_client.py.jinja'

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
        t_2 = environment.filters['indent']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'indent' found.")
    try:
        t_3 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'package/_client.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/_client.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""The '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' client: :class:`'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '`."""\n\nfrom __future__ import annotations\n\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'has_uploads'):
        pass
        yield 'import os\n'
    yield 'import typing\n\nimport reactor_client\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'):
        pass
        yield 'from reactor_client import typed as _typed\n'
    yield '\nfrom . import commands as _commands\nfrom . import messages as _messages\nfrom .listeners import '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'listeners_class'))
    yield '\nfrom .tracks import TRACKS'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks'):
        pass
        yield ', InputTrackName'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks'):
        pass
        yield ', OutputTrackName'
    yield '\n\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tracks'):
        pass
        yield 'if typing.TYPE_CHECKING:\n'
        if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks'):
            pass
            yield '    import av\n'
        if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks'):
            pass
            yield '    from pathlib import Path\n\n    import aiortc\n'
    yield '\n__all__ = ["MODEL_NAME", "MODEL_VERSION", "SCHEMA_SHA256", '
    yield str(t_3(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class')))
    yield ']\n\nMODEL_NAME: typing.Final = '
    yield str(t_3(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title')))
    yield '\n"""The model\'s name on Reactor (``info.title``)."""\nMODEL_VERSION: typing.Final = '
    yield str(t_3(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'version')))
    yield '\n"""The schema version this package was generated from (``info.version``)."""\nSCHEMA_SHA256: typing.Final = '
    yield str(t_3(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'sha256')))
    yield '\n"""sha256 of the schema file this package was generated from."""\n\n_Parsed: typing.TypeAlias = typing.Union[\n    _messages.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'))
    yield ', _messages.UnknownMessage\n]\n\nif reactor_client.RUNTIME_API_VERSION != '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'runtime_api_version'))
    yield ':\n    raise ImportError(\n        f"{__package__} was generated for reactor_client runtime API "\n        "'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'runtime_api_version'))
    yield ', but the installed reactor-client provides "\n        f"{reactor_client.RUNTIME_API_VERSION}; install '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'runtime_requirement'))
    yield '"\n    )\n\n\nclass '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '('
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'listeners_class'))
    yield ', _typed.ModelClient[_Parsed]):\n    """'
    yield str(t_2(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'doc')), 4))
    yield '\n    """\n\n    _model_name = MODEL_NAME\n    _model_version = MODEL_VERSION\n    _model_label = '
    yield str(t_3(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix')))
    yield '\n    _tracks = TRACKS\n    _parse_message = staticmethod(_messages.parse_message)\n    _state_params = _commands.STATE_PARAMS\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tracks'):
        pass
        yield '\n    # -- tracks -------------------------------------------------------------------\n'
    for l_1_t in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks'):
        _loop_vars = {}
        pass
        yield '\n    @property\n    def '
        yield str(environment.getattr(l_1_t, 'attr_name'))
        yield '(self) -> reactor_client.OutputTrack[av.'
        yield str(('VideoFrame' if (environment.getattr(l_1_t, 'kind') == 'video') else 'AudioFrame'))
        yield ']:\n        """The ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '`` '
        yield str(environment.getattr(l_1_t, 'kind'))
        yield ' track the model sends.\n\n        ``frames()``, ``ndarrays()``, ``on_frame()``, ``next_frame()``'
        yield str((', ``snapshot()``' if (environment.getattr(l_1_t, 'kind') == 'video') else cond_expr_undefined("the inline if-expression on line 76 in 'package/_client.py.jinja' evaluated to false and no else section was defined.")))
        yield ',\n        ``pause()``, ``resume()``.\n        """\n        return self._client.output_track('
        yield str(t_3(environment.getattr(l_1_t, 'name')))
        yield ')\n'
    l_1_t = missing
    for l_1_t in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks'):
        _loop_vars = {}
        pass
        yield '\n    @property\n    def '
        yield str(environment.getattr(l_1_t, 'attr_name'))
        yield '(self) -> reactor_client.InputTrack:\n        """The ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '`` '
        yield str(environment.getattr(l_1_t, 'kind'))
        yield ' track you publish to the model."""\n        return self._client.input_track('
        yield str(t_3(environment.getattr(l_1_t, 'name')))
        yield ')\n\n    async def '
        yield str(environment.getattr(l_1_t, 'publish_name'))
        yield '(\n        self,\n        source: aiortc.MediaStreamTrack | str | Path | None = None,\n        *,\n        loop: bool = False,\n        fps: float = 30.0,\n    ) -> None:\n        """Publish ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '`` from ``source``.\n\n        ``source`` is an aiortc ``MediaStreamTrack``, a media file path or URL (looped with\n        ``loop=True``), or ``None``: then send frames with\n        ``model.'
        yield str(environment.getattr(l_1_t, 'attr_name'))
        yield '.'
        yield str(('push_frame(frame)' if (environment.getattr(l_1_t, 'kind') == 'video') else 'push_audio(samples)'))
        yield '``.\n        """\n        await self._client.input_track('
        yield str(t_3(environment.getattr(l_1_t, 'name')))
        yield ').publish(source, loop=loop, fps=fps)\n\n    async def '
        yield str(environment.getattr(l_1_t, 'unpublish_name'))
        yield '(self) -> None:\n        """Stop publishing ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '``."""\n        await self._client.unpublish('
        yield str(t_3(environment.getattr(l_1_t, 'name')))
        yield ')\n'
    l_1_t = missing
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'):
        pass
        yield '\n    # -- commands -----------------------------------------------------------------\n'
    l_1_loop = missing
    for l_1_c, l_1_loop in LoopContext(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'), undefined):
        _loop_vars = {}
        pass
        yield '\n    async def '
        yield str(environment.getattr(l_1_c, 'method_name'))
        yield '(self'
        if environment.getattr(l_1_c, 'args'):
            pass
            yield ', *'
            for l_2_a in environment.getattr(l_1_c, 'args'):
                _loop_vars = {}
                pass
                yield ', '
                yield str(environment.getattr(l_2_a, 'py_name'))
                yield ': '
                yield str(environment.getattr(l_2_a, 'arg_type'))
                if environment.getattr(l_2_a, 'arg_default'):
                    pass
                    yield ' = '
                    yield str(environment.getattr(l_2_a, 'arg_default'))
            l_2_a = missing
        yield ') -> '
        yield str((str_join(('_messages.', environment.getattr(l_1_c, 'reply_class'), ' | None', )) if environment.getattr(l_1_c, 'reply_class') else 'None'))
        yield ':\n        """'
        yield str(t_2(t_1(environment.getattr(l_1_c, 'doc')), 8))
        yield '\n        """\n        params = _typed.validate_params(\n            _commands.'
        yield str(environment.getattr(environment.getattr(l_1_c, 'params'), 'class_name'))
        yield ',\n            '
        yield str(t_3(environment.getattr(l_1_c, 'name')))
        yield ',\n            {'
        l_2_loop = missing
        for l_2_a, l_2_loop in LoopContext(environment.getattr(l_1_c, 'args'), undefined):
            _loop_vars = {}
            pass
            yield str(t_3(environment.getattr(l_2_a, 'py_name')))
            yield ': '
            yield str(environment.getattr(l_2_a, 'py_name'))
            yield str((', ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 119 in 'package/_client.py.jinja' evaluated to false and no else section was defined.")))
        l_2_loop = l_2_a = missing
        yield ' }\n        )\n'
        if environment.getattr(l_1_c, 'uploads'):
            pass
            yield '        uploads = await _typed.resolve_uploads(\n            self._client,\n            {'
            l_2_loop = missing
            for l_2_a, l_2_loop in LoopContext(environment.getattr(l_1_c, 'uploads'), undefined):
                _loop_vars = {}
                pass
                yield str(t_3(environment.getattr(l_2_a, 'wire_name')))
                yield ': params.'
                yield str(environment.getattr(l_2_a, 'py_name'))
                yield str((', ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 124 in 'package/_client.py.jinja' evaluated to false and no else section was defined.")))
            l_2_loop = l_2_a = missing
            yield ' }\n        )\n'
        yield '        '
        yield str(('reply = ' if environment.getattr(l_1_c, 'reply_class') else cond_expr_undefined("the inline if-expression on line 127 in 'package/_client.py.jinja' evaluated to false and no else section was defined.")))
        yield 'await self._client.send_command(\n            '
        yield str(t_3(environment.getattr(l_1_c, 'name')))
        yield ',\n            _typed.dump_params(params'
        if environment.getattr(l_1_c, 'uploads'):
            pass
            yield ', {'
            l_2_loop = missing
            for l_2_a, l_2_loop in LoopContext(environment.getattr(l_1_c, 'uploads'), undefined):
                _loop_vars = {}
                pass
                yield str(t_3(environment.getattr(l_2_a, 'py_name')))
                yield str((', ' if (not environment.getattr(l_2_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 129 in 'package/_client.py.jinja' evaluated to false and no else section was defined.")))
            l_2_loop = l_2_a = missing
            yield ' }'
        yield ')'
        if environment.getattr(l_1_c, 'uploads'):
            pass
            yield ', uploads=uploads'
        yield '        )\n'
        if environment.getattr(l_1_c, 'reply_class'):
            pass
            yield '        return _typed.parse_reply(reply, _messages.'
            yield str(environment.getattr(l_1_c, 'reply_class'))
            yield ')\n'
    l_1_loop = l_1_c = missing
    yield '\n\n    # -- stepped generation -------------------------------------------------------\n\n    async def step(\n        self,\n        *,\n        state: _commands.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_class'))
    yield ' | None = None,\n        commands: typing.Sequence['
    yield str((str_join(('_commands.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'command_union'), )) if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands') else 'reactor_client.StepCommand'))
    yield '] | None = None,\n        media: typing.Mapping['
    yield str(('InputTrackName' if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks') else 'str'))
    yield ', typing.Sequence[reactor_client.StepInputFrame]] | None = None,\n        timeout: float | None = 120.0,\n    ) -> reactor_client.StepResult['
    yield str(('OutputTrackName' if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks') else 'str'))
    yield ']:\n        """'
    yield str(t_2(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'step_doc')), 8))
    yield '\n        """\n        return await self._step(state, commands, media, timeout)\n'

blocks = {}
debug_info = '1=31&2=37&3=39&7=43&13=47&19=51&20=53&23=60&25=63&28=66&35=70&37=72&39=74&41=76&45=78&48=80&51=82&52=84&56=86&57=90&62=92&66=94&70=97&73=101&74=105&76=109&79=111&81=114&84=118&85=120&86=124&88=126&95=128&99=130&101=134&103=136&104=138&105=140&107=143&111=147&113=151&114=171&117=173&118=175&119=178&121=187&124=191&127=201&128=203&129=205&131=221&132=224&142=228&143=230&144=232&146=234&147=236'