"""``python -m coordinator_app``: the same as the ``coordinator-app`` command."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
