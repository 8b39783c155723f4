from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'package/surface.json.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_mk = resolve('mk')
    pass
    yield str(environment.getattr((undefined(name='mk') if l_0_mk is missing else l_0_mk), 'surface_json'))

blocks = {}
debug_info = '1=12'