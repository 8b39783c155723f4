from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/sync.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_def = resolve('py_def')
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
        t_3 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    try:
        t_4 = environment.filters['wrap']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'wrap' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'package/sync.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/sync.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""The blocking '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' client: :class:`'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '`, for scripts and notebooks.\n\nSame typed surface as :class:`reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '`, every call\nblocking::\n\n    from reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.sync import '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '\n\n    with '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '(local=True) as model:\n        ...\n\nOne event loop runs in a background thread per instance; listeners (``on_<message>``,\n``on_status``, ``on_frame``) run on that thread, so keep them short and never call the\nblocking API from inside one. ``model.aio`` is the async model underneath.\n"""\n\nfrom __future__ import annotations\n\nimport typing\n\nimport reactor_client\nfrom reactor_client.sync import '
    yield str(('SyncInputTrack, ' if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks') else cond_expr_undefined("the inline if-expression on line 23 in 'package/sync.py.jinja' evaluated to false and no else section was defined.")))
    yield str(('SyncOutputTrack, ' if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks') else cond_expr_undefined("the inline if-expression on line 23 in 'package/sync.py.jinja' evaluated to false and no else section was defined.")))
    yield 'blocking\nfrom reactor_client.sync.model import SyncModel\n\nfrom . import _client\nfrom . import messages as _messages\nfrom .listeners import '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'listeners_class'))
    yield '\n\nif typing.TYPE_CHECKING:\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks'):
        pass
        yield '    import av\n'
    yield '    from collections.abc import Iterator\n\n__all__ = ['
    yield str(t_3(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class')))
    yield ']\n\n\nclass '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '('
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'listeners_class'))
    yield ', SyncModel[_client.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield ']):\n    """The '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ' model ('
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'title')))
    yield ' '
    yield str(t_1(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'version')))
    yield '), blocking.\n\n    ``with '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '(local=True) as model:`` connects and, when the block ends,\n    disconnects; or call :meth:`connect` and :meth:`close` yourself. The constructor takes the\n    options of the async :class:`reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield "`, which\n    ``model.aio`` is. Every call waits for its result; listeners run on the model's loop\n    thread (see :mod:`reactor_models."
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield ".sync`). Command methods return and raise\n    what the async model's do (see its docstring). The typed ``on_<message>`` and\n    ``wait_for_<message>`` members are the async model's own declarations\n    (:class:`~reactor_models."
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.listeners.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'listeners_class'))
    yield '`), blocking here.\n    """\n\n    _async_class = _client.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tracks'):
        pass
        yield '\n    # -- tracks -------------------------------------------------------------------\n'
    for l_1_t in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks'):
        _loop_vars = {}
        pass
        yield '\n    @property\n    def '
        yield str(environment.getattr(l_1_t, 'attr_name'))
        yield '(self) -> SyncOutputTrack[av.'
        yield str(('VideoFrame' if (environment.getattr(l_1_t, 'kind') == 'video') else 'AudioFrame'))
        yield ']:\n        """The ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '`` '
        yield str(environment.getattr(l_1_t, 'kind'))
        yield ' track the model sends.\n\n        ``frames()`` and ``ndarrays()`` (plain iterators), ``on_frame()``, ``next_frame()``'
        yield str((', ``snapshot()``, ``show()``' if (environment.getattr(l_1_t, 'kind') == 'video') else cond_expr_undefined("the inline if-expression on line 63 in 'package/sync.py.jinja' evaluated to false and no else section was defined.")))
        yield ',\n        ``pause()``, ``resume()``.\n        """\n        return self._output_track('
        yield str(t_3(environment.getattr(l_1_t, 'name')))
        yield ')\n'
    l_1_t = missing
    for l_1_t in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks'):
        _loop_vars = {}
        pass
        yield '\n    @property\n    def '
        yield str(environment.getattr(l_1_t, 'attr_name'))
        yield '(self) -> SyncInputTrack:\n        """The ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '`` '
        yield str(environment.getattr(l_1_t, 'kind'))
        yield ' track you publish to the model."""\n        return self._input_track('
        yield str(t_3(environment.getattr(l_1_t, 'name')))
        yield ')\n\n    '
        yield str(environment.getattr(l_1_t, 'publish_name'))
        yield ' = blocking(_client.'
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
        yield '.'
        yield str(environment.getattr(l_1_t, 'publish_name'))
        yield ')\n    """Publish ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '`` (blocking; see the async model\'s)."""\n    '
        yield str(environment.getattr(l_1_t, 'unpublish_name'))
        yield ' = blocking(_client.'
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
        yield '.'
        yield str(environment.getattr(l_1_t, 'unpublish_name'))
        yield ')\n    """Stop publishing ``'
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield '``."""\n'
    l_1_t = missing
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'):
        pass
        yield "\n    # -- commands: the async model's, blocking ------------------------------------\n"
    for l_1_c in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'):
        _loop_vars = {}
        pass
        yield '\n    '
        yield str(environment.getattr(l_1_c, 'method_name'))
        yield ' = blocking(_client.'
        yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
        yield '.'
        yield str(environment.getattr(l_1_c, 'method_name'))
        yield ')\n    """'
        yield str(t_2(t_1(t_4(str_join((environment.getattr(l_1_c, 'summary'), ' Blocking :meth:`reactor_models.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'), '.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'), '.', environment.getattr(l_1_c, 'method_name'), '`.', )), 84)), 4))
        yield '\n    """\n'
    l_1_c = missing
    yield '\n    # -- messages -----------------------------------------------------------------\n\n    '
    yield str(context.call((undefined(name='py_def') if l_0_py_def is missing else l_0_py_def), 4, 'def on_message(', ['self', context.call((undefined(name='annotated') if l_0_annotated is missing else l_0_annotated), 'callback', str_join(('typing.Callable[[_messages.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'), ' | _messages.UnknownMessage], typing.Any]', )))], ') -> reactor_client.Subscription:'))
    yield '\n        """Call ``callback(message)`` (on the loop thread) for every model message, typed\n        (:class:`~reactor_client.typed.UnknownMessage` for unknown or invalid ones)."""\n        return self._listen(self._aio.on_message, callback)\n\n    '
    yield str(context.call((undefined(name='py_def') if l_0_py_def is missing else l_0_py_def), 4, 'def messages(', ['self', '*', 'maxsize: int | None = None'], str_join((') -> Iterator[_messages.', environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'union_name'), ' | _messages.UnknownMessage]:', ))))
    yield '\n        """A plain iterator over every model message, typed; drop-oldest when you fall\n        behind by ``maxsize``; ends when the client disconnects for good."""\n        return self._messages(maxsize)\n\n    # -- stepped generation -------------------------------------------------------\n\n    step = blocking(_client.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '.step)\n    """One step of stepped generation (blocking; see the async model\'s ``step``)."""\n'

blocks = {}
debug_info = '1=39&2=45&3=47&5=51&8=55&10=59&23=61&28=64&31=66&36=70&39=72&40=78&42=84&44=86&46=90&49=92&52=96&53=98&57=101&60=105&61=109&63=113&66=115&68=118&71=122&72=124&73=128&75=130&76=136&77=138&78=144&80=147&84=150&86=154&87=160&93=164&98=166&105=168'