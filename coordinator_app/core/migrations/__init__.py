"""Alembic migrations shipped with the package.

``REVISIONS`` lists every released revision in order, so that opening a current database can
compare its stored revision with the head without importing Alembic (about 0.3 s). A test checks
this list against Alembic's own script directory. Never edit a released migration: add one,
and say in ``core/compat.py``'s ``WRITABLE_BY`` which app version is the oldest that can write it.
"""

from __future__ import annotations

from pathlib import Path

SCRIPT_LOCATION = Path(__file__).resolve().parent
REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
)
HEAD = REVISIONS[-1]
