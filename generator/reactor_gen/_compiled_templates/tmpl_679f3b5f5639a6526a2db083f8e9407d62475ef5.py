from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/_client.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_assign = resolve('py_assign')
    l_0_py_items = resolve('py_items')
    l_0_py_bracket = resolve('py_bracket')
    l_0_annotated = resolve('annotated')
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
        t_3 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_4 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_4(*unused):
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
    yield '\n'
    yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 0, '__all__', context.call((undefined(name='py_items') if l_0_py_items is missing else l_0_py_items), '[', ['"MODEL_NAME"', '"MODEL_VERSION"', '"SCHEMA_SHA256"', t_4(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))], ']', collection=True)))
    yield '\n\n'
    yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 0, 'MODEL_NAME: typing.Final', t_4(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title'))))
    yield '\n"""The model\'s name on Reactor (``info.title``)."""\n'
    yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 0, 'MODEL_VERSION: typing.Final', t_4(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'version'))))
    yield '\n"""The schema version this package was generated from (``info.version``)."""\n'
    yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 0, 'SCHEMA_SHA256: typing.Final', t_4(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'sha256'))))
    yield '\n"""sha256 of the schema file this package was generated from."""\n\n'
    yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 0, '_Parsed: typing.TypeAlias', context.call((undefined(name='py_items') if l_0_py_items is missing else l_0_py_items), 'typing.Union[', [str_join(('_messages.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'), )), '_messages.UnknownMessage'], ']')))
    yield '\n\nif reactor_client.RUNTIME_API_VERSION != '
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
    yield str(t_4(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix')))
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
        yield str((', ``snapshot()``' if (environment.getattr(l_1_t, 'kind') == 'video') else cond_expr_undefined("the inline if-expression on line 74 in 'package/_client.py.jinja' evaluated to false and no else section was defined.")))
        yield ',\n        ``pause()``, ``resume()``.\n        """\n        return self._client.output_track('
        yield str(t_4(environment.getattr(l_1_t, 'name')))
        yield ')\n'
    l_1_t = missing
    for l_1_t in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks'):
        l_1_py_call = resolve('py_call')
        _loop_vars = {}
        pass
        yield '\n    @property\n    def '
        yield str(environment.getattr(l_1_t, 'attr_name'))
        yield '(self) -> reactor_client.InputTrack:\n        """The ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '`` '
        yield str(environment.getattr(l_1_t, 'kind'))
        yield ' track you publish to the model."""\n        return self._client.input_track('
        yield str(t_4(environment.getattr(l_1_t, 'name')))
        yield ')\n\n    async def '
        yield str(environment.getattr(l_1_t, 'publish_name'))
        yield '(\n        self,\n        source: aiortc.MediaStreamTrack | str | Path | None = None,\n        *,\n        loop: bool = False,\n        fps: float = 30.0,\n    ) -> None:\n        """Publish ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '`` from ``source``.\n\n        ``source`` is an aiortc ``MediaStreamTrack``, a media file path or URL (looped with\n        ``loop=True``), or ``None``: then send frames with\n        ``model.'
        yield str(environment.getattr(l_1_t, 'attr_name'))
        yield '.'
        yield str(('push_frame(frame)' if (environment.getattr(l_1_t, 'kind') == 'video') else 'push_audio(samples)'))
        yield '``.\n        """\n        '
        yield str(context.call((undefined(name='py_call') if l_1_py_call is missing else l_1_py_call), 8, str_join(('await self._client.input_track(', t_4(environment.getattr(l_1_t, 'name')), ').publish(', )), ['source', 'loop=loop', 'fps=fps'], _loop_vars=_loop_vars))
        yield '\n\n    async def '
        yield str(environment.getattr(l_1_t, 'unpublish_name'))
        yield '(self) -> None:\n        """Stop publishing ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '``."""\n        await self._client.unpublish('
        yield str(t_4(environment.getattr(l_1_t, 'name')))
        yield ')\n'
    l_1_t = l_1_py_call = missing
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'):
        pass
        yield '\n    # -- commands -----------------------------------------------------------------\n'
    for l_1_c in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'):
        l_1_namespace = resolve('namespace')
        l_1_py_def = resolve('py_def')
        l_1_py_docstring = resolve('py_docstring')
        l_1_py_call = resolve('py_call')
        l_1_ns = l_1_send_args = missing
        _loop_vars = {}
        pass
        l_1_ns = context.call((undefined(name='namespace') if l_1_namespace is missing else l_1_namespace), params=['self'], fields=[], uploads=[], upload_names=[], _loop_vars=_loop_vars)
        _loop_vars['ns'] = l_1_ns
        if environment.getattr(l_1_c, 'args'):
            pass
            if not isinstance(l_1_ns, Namespace):
                raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
            l_1_ns['params'] = (environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'params') + ['*'])
        for l_2_a in environment.getattr(l_1_c, 'args'):
            _loop_vars = {}
            pass
            if not isinstance(l_1_ns, Namespace):
                raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
            l_1_ns['params'] = (environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'params') + [context.call((undefined(name='annotated') if l_0_annotated is missing else l_0_annotated), environment.getattr(l_2_a, 'py_name'), environment.getattr(l_2_a, 'arg_type'), (environment.getattr(l_2_a, 'arg_default') or None), _loop_vars=_loop_vars)])
            if not isinstance(l_1_ns, Namespace):
                raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
            l_1_ns['fields'] = (environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'fields') + [str_join((t_4(environment.getattr(l_2_a, 'py_name')), ': ', environment.getattr(l_2_a, 'py_name'), ))])
        l_2_a = missing
        for l_2_a in environment.getattr(l_1_c, 'uploads'):
            _loop_vars = {}
            pass
            if not isinstance(l_1_ns, Namespace):
                raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
            l_1_ns['uploads'] = (environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'uploads') + [str_join((t_4(environment.getattr(l_2_a, 'wire_name')), ': params.', environment.getattr(l_2_a, 'py_name'), ))])
            if not isinstance(l_1_ns, Namespace):
                raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
            l_1_ns['upload_names'] = (environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'upload_names') + [t_4(environment.getattr(l_2_a, 'py_name'))])
        l_2_a = missing
        l_1_send_args = ([t_4(environment.getattr(l_1_c, 'name')), str_join(('_typed.dump_params(params, {', t_3(context.eval_ctx, environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'upload_names'), ', '), '})', )), 'uploads=uploads'] if environment.getattr(l_1_c, 'uploads') else [t_4(environment.getattr(l_1_c, 'name')), '_typed.dump_params(params)'])
        _loop_vars['send_args'] = l_1_send_args
        yield '\n    '
        yield str(context.call((undefined(name='py_def') if l_1_py_def is missing else l_1_py_def), 4, str_join(('async def ', environment.getattr(l_1_c, 'method_name'), '(', )), environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'params'), str_join((') -> ', (str_join(('_messages.', environment.getattr(l_1_c, 'reply_class'), ' | None', )) if environment.getattr(l_1_c, 'reply_class') else 'None'), ':', )), _loop_vars=_loop_vars))
        yield '\n        '
        yield str(context.call((undefined(name='py_docstring') if l_1_py_docstring is missing else l_1_py_docstring), 8, t_1(environment.getattr(l_1_c, 'doc')), closing='own', _loop_vars=_loop_vars))
        yield '\n        '
        yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 8, 'params', context.call((undefined(name='py_items') if l_0_py_items is missing else l_0_py_items), '_typed.validate_params(', [str_join(('_commands.', environment.getattr(environment.getattr(l_1_c, 'params'), 'class_name'), )), t_4(environment.getattr(l_1_c, 'name')), context.call((undefined(name='py_items') if l_0_py_items is missing else l_0_py_items), '{', environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'fields'), '}', collection=True, _loop_vars=_loop_vars)], ')', _loop_vars=_loop_vars), _loop_vars=_loop_vars))
        yield '\n'
        if environment.getattr(l_1_c, 'uploads'):
            pass
            yield '        '
            yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 8, 'uploads', context.call((undefined(name='py_items') if l_0_py_items is missing else l_0_py_items), 'await _typed.resolve_uploads(', ['self._client', context.call((undefined(name='py_items') if l_0_py_items is missing else l_0_py_items), '{', environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'uploads'), '}', collection=True, _loop_vars=_loop_vars)], ')', _loop_vars=_loop_vars), _loop_vars=_loop_vars))
            yield '\n'
        if environment.getattr(l_1_c, 'reply_class'):
            pass
            yield '        '
            yield str(context.call((undefined(name='py_assign') if l_0_py_assign is missing else l_0_py_assign), 8, 'reply', context.call((undefined(name='py_items') if l_0_py_items is missing else l_0_py_items), 'await self._client.send_command(', (undefined(name='send_args') if l_1_send_args is missing else l_1_send_args), ')', _loop_vars=_loop_vars), _loop_vars=_loop_vars))
            yield '\n        return _typed.parse_reply(reply, _messages.'
            yield str(environment.getattr(l_1_c, 'reply_class'))
            yield ')\n'
        else:
            pass
            yield '        '
            yield str(context.call((undefined(name='py_call') if l_1_py_call is missing else l_1_py_call), 8, 'await self._client.send_command(', (undefined(name='send_args') if l_1_send_args is missing else l_1_send_args), _loop_vars=_loop_vars))
            yield '\n'
    l_1_c = l_1_namespace = l_1_ns = l_1_send_args = l_1_py_def = l_1_py_docstring = l_1_py_call = missing
    yield '\n    # -- stepped generation -------------------------------------------------------\n\n    async def step(\n        self,\n        *,\n        '
    yield str(context.call((undefined(name='py_bracket') if l_0_py_bracket is missing else l_0_py_bracket), 8, context.call((undefined(name='annotated') if l_0_annotated is missing else l_0_annotated), 'state', str_join(('_commands.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'state_class'), ' | None', )), 'None'), ','))
    yield '\n        '
    yield str(context.call((undefined(name='py_bracket') if l_0_py_bracket is missing else l_0_py_bracket), 8, context.call((undefined(name='annotated') if l_0_annotated is missing else l_0_annotated), 'commands', str_join(('typing.Sequence[', (str_join(('_commands.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'command_union'), )) if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands') else 'reactor_client.StepCommand'), '] | None', )), 'None'), ','))
    yield '\n        '
    yield str(context.call((undefined(name='py_bracket') if l_0_py_bracket is missing else l_0_py_bracket), 8, context.call((undefined(name='annotated') if l_0_annotated is missing else l_0_annotated), 'media', str_join(('typing.Mapping[', ('InputTrackName' if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks') else 'str'), ', typing.Sequence[reactor_client.StepInputFrame]] | None', )), 'None'), ','))
    yield '\n        timeout: float | None = 120.0,\n    ) -> reactor_client.StepResult['
    yield str(('OutputTrackName' if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks') else 'str'))
    yield ']:\n        """'
    yield str(t_2(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'step_doc')), 8))
    yield '\n        """\n        return await self._step(state, commands, media, timeout)\n'

blocks = {}
debug_info = '1=41&2=47&3=49&7=53&13=57&19=61&20=63&23=70&25=73&28=76&35=80&37=82&39=84&41=86&44=88&46=90&49=92&50=94&54=96&55=100&60=102&64=104&68=107&71=111&72=115&74=119&77=121&79=124&82=129&83=131&84=135&86=137&93=139&97=141&99=145&101=147&102=149&103=151&105=154&109=157&110=165&111=167&112=171&114=172&115=177&116=180&118=182&119=187&120=190&122=192&124=195&125=197&126=199&127=201&128=204&130=206&131=209&132=211&134=216&143=220&144=222&145=224&147=226&148=228'