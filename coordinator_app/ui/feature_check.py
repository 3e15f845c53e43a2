"""PySide6 reads every module imported after it: the same answer, read faster.

PySide6 replaces Python's ``__import__`` to support its opt-in ``from __feature__ import
snake_case`` (PYSIDE-2029). After every import it asks ``_mod_uses_pyside(module)``, which
searches the module's source for the word "PySide6" through ``inspect.getsource`` (the file
read, split into lines and cached by ``linecache``). The app imports about 300 modules after
PySide6 on the way to Home (SQLAlchemy's among them, since the window paints before the
database is opened): that took 45 to 90 ms of every start on this project's machine, measured
with the function wrapped (docs/engineering-notes.md, "Where start-up goes").

``read_faster`` puts in a function that gives the same answer by searching the file's bytes,
and keeps PySide6's own for a module without a readable ``.py`` file (built in, in a zip, in the
Windows bundle). Nothing changes when PySide6 no longer has the function (a later version).

``stop_watching`` then takes the watch out altogether: the app never selects a ``__feature__``
(``tests/ui/test_feature_check.py`` checks that none of its modules imports it), and the hook
cost about 3 µs on every ``import`` statement run after PySide6, and read every module's file,
some 4,000 statements and 240 files on the way to Home: 25 to 40 ms of every start measured
side by side (issue #23). Without it PySide6 behaves as it does for a program that never
imports ``__feature__``; its other import wrapper (``__lazy_import__``, for ``from PySide6.X
import *``) stays.
"""

from __future__ import annotations

import builtins
import sys
from types import ModuleType
from typing import Any

#: PySide6's module that holds the check (``shibokensupport.feature``).
FEATURE_MODULE = "shibokensupport.feature"
#: PySide6's import hook, and where it keeps the import it wraps (in ``builtins``).
HOOK_NAME = "__feature_import__"
WRAPPED = "__orig_import__"


def uses_pyside(module: ModuleType, fallback: Any) -> bool:
    """Whether ``module``'s source says "PySide6": its ``.py`` file's bytes, or ``fallback``
    (PySide6's own check) when there is no such file to read."""
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            pass
    return bool(fallback(module))


def read_faster() -> bool:
    """Install ``uses_pyside`` in place of PySide6's check (once); False when PySide6 has no
    such check to replace."""
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if getattr(original, "faster", False):
        return True

    def check(module: ModuleType) -> bool:
        return uses_pyside(module, original)

    check.faster = True  # type: ignore[attr-defined]
    check.original = original  # type: ignore[attr-defined]
    feature._mod_uses_pyside = check  # type: ignore[attr-defined]
    return True


def stop_watching() -> bool:
    """Put back the import PySide6's ``__feature__`` hook wraps (once PySide6 is loaded); False
    when the hook is not in place (not loaded yet, taken out already, or a later PySide6 that
    watches imports some other way: then nothing is changed)."""
    hook = builtins.__import__
    wrapped = getattr(builtins, WRAPPED, None)
    if getattr(hook, "__name__", None) != HOOK_NAME or not callable(wrapped):
        return False
    builtins.__import__ = wrapped
    return True
