"""``python -m reactor_gen.lifecycle``: the lifecycle commands without the main CLI."""

from __future__ import annotations

import sys

from reactor_gen.lifecycle.commands import main

sys.exit(main())
