"""``python -m reactor_models.<pkg> new NAME``: write a starter project for the model.

:mod:`.command` is the subcommand (``add_arguments`` / ``run``); :mod:`.project` does the
work and is shared with ``reactor-gen new``. Standard library only.
"""
