"""``python -m reactor_gen`` → the CLI."""

from __future__ import annotations

from reactor_gen.cli import main

raise SystemExit(main())
