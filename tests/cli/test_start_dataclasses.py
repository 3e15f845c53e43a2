"""How many dataclasses the way to Home defines: each costs start-up time, so only a few may.

Python 3.11 makes each ``@dataclass`` by writing the source of its ``__init__``, ``__repr__``,
``__eq__`` (and a frozen one's ``__setattr__``, ``__delattr__`` and ``__hash__``) and running it
through ``exec``: about 0.7 ms a class, where a ``typing.NamedTuple`` costs about 0.09 ms. The
way to Home defined 32 of the app's own (about 22 ms of a start that must stay within 1.5 times
the bare window, issue #23). The read-only records it needs are NamedTuples now (a tuple's
pitfalls: one equals a plain tuple of the same values, and is iterable and indexable), and
``core/connection.py`` is not imported for a file's name in the status bar. Those left are
mutable (``Database``, ``AppContext``), validate or order themselves (``Month``), build a
fresh mapping per instance (``Thresholds``), or have dataclass subclasses (``MeetingRow``,
``ProjectRow``). A new one on the way to Home fails here: make it a NamedTuple, define it off
the way, or raise the limit knowingly. Each run is a fresh interpreter, through the real
command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_without_orm import _run

pytestmark = pytest.mark.sqlite_only

#: The app's own dataclasses the way to Home may define (those named in the docstring).
LIMIT = 6

#: Runs the desktop app with --exit-after-startup on the database named by ``{db}``, printing
#: "DATACLASS module.name" (straight to the output: the app leaves with os._exit) for every
#: dataclass defined from then on.
_COUNTING = """
import dataclasses, os, sys
real = dataclasses._process_class

def counted(cls, *args, **kwargs):
    os.write(1, f"DATACLASS {{cls.__module__}}.{{cls.__qualname__}}\\n".encode())
    return real(cls, *args, **kwargs)

dataclasses._process_class = counted
from coordinator_app.cli import main
sys.exit(main(["--db", {db!r}, "--exit-after-startup"]))
"""


def test_the_way_to_home_defines_few_dataclasses(demo_file: Path, tmp_path: Path) -> None:
    out = _run(_COUNTING.format(db=str(demo_file)), tmp_path)
    defined = [line.split()[1] for line in out.splitlines() if line.startswith("DATACLASS ")]
    assert "coordinator_app.core.rules.Month" in defined  # the count is of something
    ours = [name for name in defined if name.startswith("coordinator_app.")]
    assert len(ours) <= LIMIT, ours
