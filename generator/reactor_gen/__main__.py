"""``python -m reactor_gen`` → the CLI (through :mod:`reactor_gen.entry`, as ``reactor-gen``)."""

from __future__ import annotations

from reactor_gen.entry import main

raise SystemExit(main())
