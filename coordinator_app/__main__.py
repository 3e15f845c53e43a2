"""``python -m coordinator_app``: the same as the ``coordinator-app`` command."""

from __future__ import annotations

from .cli import entry

entry()
