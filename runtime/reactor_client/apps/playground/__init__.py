"""The playground: ``python -m reactor_models.<model> play`` serves a local page to try a model.

The page (``reactor_models/<model>/_playground/index.html``, generated per model: one form per
command) shows the live video of each output track (MJPEG), the connection status, the message
log and the latest message of each type; submitting a form calls the typed command method.
:mod:`.command` is the subcommand (its import needs nothing beyond the standard library);
:mod:`.server` the ASGI app (extra ``[playground]``: Starlette and uvicorn).
"""
