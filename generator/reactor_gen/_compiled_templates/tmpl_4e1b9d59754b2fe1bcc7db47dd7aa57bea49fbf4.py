from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/tracks.py.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_py_header = missing
    try:
        t_1 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    pass
    included_template = environment.get_template('_header.jinja', 'package/tracks.py.jinja')._get_default_module(context)
    l_0_py_header = getattr(included_template, 'py_header', missing)
    if l_0_py_header is missing:
        l_0_py_header = undefined(f"the template {included_template.__name__!r} (imported on line 1 in 'package/tracks.py.jinja') does not export the requested name 'py_header'", name='py_header')
    context.vars['py_header'] = l_0_py_header
    context.exported_vars.discard('py_header')
    yield str(context.call((undefined(name='py_header') if l_0_py_header is missing else l_0_py_header), (undefined(name='m') if l_0_m is missing else l_0_m)))
    yield '\n"""Media tracks of '
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'prefix'))
    yield ', from the client\'s side (``sendonly``: you publish it,\n``recvonly``: the model sends it)."""\n\nfrom __future__ import annotations\n\nimport typing\n\nimport reactor_client\n\n__all__ = [\n'
    for l_1_name in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'track_names'):
        _loop_vars = {}
        pass
        yield '    '
        yield str(t_1(l_1_name))
        yield ',\n'
    l_1_name = missing
    yield ']\n\nTRACKS: tuple[reactor_client.TrackSpec, ...] = (\n'
    for l_1_t in environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tracks'):
        _loop_vars = {}
        pass
        yield '    reactor_client.TrackSpec(name='
        yield str(t_1(environment.getattr(l_1_t, 'name')))
        yield ', kind='
        yield str(t_1(environment.getattr(l_1_t, 'kind')))
        yield ', direction='
        yield str(t_1(environment.getattr(l_1_t, 'client_direction')))
        yield '),\n'
    l_1_t = missing
    yield ')\n"""Every declared track, in schema order (the order of the WebRTC transceivers)."""\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tracks'):
        pass
        yield '\nTrackName: typing.TypeAlias = typing.Literal['
        l_1_loop = missing
        for l_1_t, l_1_loop in LoopContext(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'tracks'), undefined):
            _loop_vars = {}
            pass
            yield str(t_1(environment.getattr(l_1_t, 'name')))
            yield str((', ' if (not environment.getattr(l_1_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 26 in 'package/tracks.py.jinja' evaluated to false and no else section was defined.")))
        l_1_loop = l_1_t = missing
        yield ']\n"""The name of any track."""\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks'):
        pass
        yield '\nInputTrackName: typing.TypeAlias = typing.Literal['
        l_1_loop = missing
        for l_1_t, l_1_loop in LoopContext(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'input_tracks'), undefined):
            _loop_vars = {}
            pass
            yield str(t_1(environment.getattr(l_1_t, 'name')))
            yield str((', ' if (not environment.getattr(l_1_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 31 in 'package/tracks.py.jinja' evaluated to false and no else section was defined.")))
        l_1_loop = l_1_t = missing
        yield ']\n"""Tracks the client publishes (model ``in``)."""\n'
    if environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks'):
        pass
        yield '\nOutputTrackName: typing.TypeAlias = typing.Literal['
        l_1_loop = missing
        for l_1_t, l_1_loop in LoopContext(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'output_tracks'), undefined):
            _loop_vars = {}
            pass
            yield str(t_1(environment.getattr(l_1_t, 'name')))
            yield str((', ' if (not environment.getattr(l_1_loop, 'last')) else cond_expr_undefined("the inline if-expression on line 36 in 'package/tracks.py.jinja' evaluated to false and no else section was defined.")))
        l_1_loop = l_1_t = missing
        yield ']\n"""Tracks the model sends (model ``out``)."""\n'

blocks = {}
debug_info = '1=19&2=25&3=27&13=29&14=33&19=37&20=41&24=49&26=53&29=60&31=64&34=71&36=75'