"""``python -m reactor_models.<model> mock``: an offline stand-in for the model.

It serves, on the real ``reactor-runtime`` (extra ``[mock]``, Python >= 3.12), a model
with the generated package's surface, built from the package's ``_surface.json``:
the runtime validates every command with the schema's types and constraints and serves a
``/schema`` with the same commands, messages and tracks; commands that declare a reply
answer with a schema-valid example, commands emit the messages their description names,
every output track shows a test pattern of the last command received, and input tracks
are accepted (shown as a picture-in-picture). See :mod:`.surface` for what each command
sends and how to change it, :mod:`.pattern` for the test pattern.

* :mod:`.command` -- the ``mock`` subcommand (argument parsing, the package's data);
* :mod:`.launch` -- which interpreter runs the server (this one, ``--python``,
  ``REACTOR_RUNTIME_PYTHON``) and the one-line errors when none can;
* :mod:`.runner`, :mod:`.model`, :mod:`.surface`, :mod:`.pattern` -- the server process
  (standard library, numpy and reactor-runtime only; ``_standalone.py`` runs it by path).
"""
