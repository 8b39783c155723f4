from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'readme/_testing.md.jinja'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = resolve('m')
    l_0_t = resolve('t')
    l_0_mk = resolve('mk')
    l_0_plain = l_0_c = missing
    try:
        t_1 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_2 = environment.filters['py_str']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'py_str' found.")
    try:
        t_3 = environment.filters['rejectattr']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'rejectattr' found.")
    pass
    yield "## Testing your app\n\nEvery Reactor model runs on a GPU in the cloud; your app's tests do not have to.\n`reactor_models."
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.testing.'
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '` **is** `'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '` — the same typed\ncommands, validation, listeners, waiters and tracks — over an in-memory model side that your\ntest scripts. Pass it wherever your code takes a `'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '` (mypy agrees):\n\n'
    l_0_plain = t_1(context.eval_ctx, t_3(context, environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'commands'), 'uploads'))
    context.vars['plain'] = l_0_plain
    context.exported_vars.add('plain')
    l_0_c = (environment.getitem((undefined(name='plain') if l_0_plain is missing else l_0_plain), 0) if (undefined(name='plain') if l_0_plain is missing else l_0_plain) else None)
    context.vars['c'] = l_0_c
    context.exported_vars.add('c')
    yield '```python\nimport asyncio\n\nfrom reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.testing import '
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '\n\n\nasync def main() -> None:\n    async with '
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '() as model:  # no network, no credentials\n'
    if (undefined(name='c') if l_0_c is missing else l_0_c):
        pass
        yield '        await model.'
        yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'method_name'))
        yield '('
        yield str(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'example_args'))
        yield ')\n        print(model.assert_command('
        yield str(t_2(environment.getattr((undefined(name='c') if l_0_c is missing else l_0_c), 'name')))
        yield '))  # recorded with its typed params\n'
    yield '        print(model.status.value)\n\n\nasyncio.run(main())\n```\n\n- `model.commands` lists what the app sent; `model.assert_command(name, **fields)` names the\n  closest difference when a call is missing.\n- `model.on_command(name, lambda params: [...messages...])` scripts what the model does\n  (a command that declares a reply answers with a schema-valid example until you do);\n  `model.fail_command(name, "model_busy")` makes it fail as a model would.\n- `model.emit(Message(...))` reaches `on_<message>` listeners, waiters and `messages()`;\n  `model.push_frame(track, rgb_array)` feeds an output track; `await model.next_input_frame(track)`\n  reads what the app published; `model.on_step(...)` scripts `step()`; `model.lose()` and\n  `model.end_session()` simulate a lost transport and an ended session.\n- Blocking twin: `reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield '.testing.sync.'
    yield str(environment.getattr((undefined(name='t') if l_0_t is missing else l_0_t), 'fake_class'))
    yield '`. In pytest, the\n  fixture `reactor_fake('
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield ")` (from `reactor-client`) builds either.\n\n### An offline stand-in for the model\n\nFor the app itself (or the playground, or the vendor's JS SDK), the package serves a stand-in\nfor the model on the real `reactor-runtime`: the same surface, no GPU, no credentials, no network.\n\n```bash\n# the [mock] extra adds reactor-runtime, which needs Python >= 3.12\npip install '"
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'distribution'))
    yield "[mock]'\npython -m reactor_models."
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield ' mock --port 8080 --examples examples.json\n```\n\nThen `'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'model_class'))
    yield '(local=True)` (or `url="http://127.0.0.1:8080"`) connects to it, and so\ndoes `python -m reactor_models.'
    yield str(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'package'))
    yield " play --local`. The stand-in:\n\n- validates every command as the schema says: reactor-runtime itself refuses a wrong type, a\n  value out of range, a missing or an unknown argument (`reactor_client.InvalidCommandError`),\n  and its `/schema` has this model's commands, parameters, messages and tracks;\n- answers a command that declares a reply with that message, and broadcasts the messages the\n  command's description says it emits (**Emits** above; a failure message such as\n  `command_error` only when the command is made to fail), with schema-valid example values; a\n  field named like one of the command's arguments carries the value sent;\n- shows the last command received on every output track: video in a colour derived from the\n  command's name (`reactor_client.apps.mock.pattern.command_color(name)`) with its name, count and\n  arguments drawn on it, audio as a tone (`command_tone(name)`); frames the app publishes on an\n  input track appear in a corner of the video.\n\nWhat it cannot know is what the model does: nothing is generated, there is no state machine\n(every command is accepted in any order, and a message says what its example says), no timing\nand no refusal of the model's own. Shape what it sends with `--examples FILE`:\n\n```json\n"
    yield str(environment.getattr((undefined(name='mk') if l_0_mk is missing else l_0_mk), 'examples_json'))
    yield '\n```\n\n`messages` sets field values of a message wherever it is sent; under `commands.<name>`, `error`\nmakes the command fail with that code (after broadcasting its failure messages), `emits` replaces\nthe messages it sends and `messages` sets field values for this command only; `on_connect` lists\nmessages sent to each client that connects, `periodic` messages sent every N seconds.\n`--size WxH` and `--fps N` shape the video, `--print-schema` prints the `/schema` it serves.\n\nOn Python 3.10 or 3.11, point it at a Python >= 3.12 that has reactor-runtime: `--python PATH`\nor `REACTOR_RUNTIME_PYTHON=PATH` (without one, `mock` says so in one line and exits 2).\n`reactor-gen mock path/to/schema.json` serves the same straight from a schema file.\n'

blocks = {}
debug_info = '4=34&6=40&8=42&9=45&13=49&17=53&18=55&19=58&20=62&37=65&38=69&47=71&48=73&51=75&52=77&71=79'