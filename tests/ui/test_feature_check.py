"""PySide6's check of every imported module for its __feature__ switch gives the same answers
read faster (``ui/feature_check.py``): the app installs it before its own modules load, then
takes PySide6's watch of every import out, since none of its modules selects a feature."""

from __future__ import annotations

import builtins
import json
import re
import sys
import types
from pathlib import Path

import pytest

import coordinator_app
import coordinator_app.ui.app  # noqa: F401 - installs the faster check, takes the watch out
from coordinator_app.core import vocab
from coordinator_app.ui import feature_check, widgets


def _check() -> types.FunctionType:
    return sys.modules[feature_check.FEATURE_MODULE]._mod_uses_pyside  # type: ignore[no-any-return]


def test_the_app_installs_the_faster_check_once() -> None:
    check = _check()
    assert getattr(check, "faster", False)
    assert feature_check.read_faster() is True
    assert _check() is check  # not wrapped twice


@pytest.mark.parametrize("module", [widgets, vocab, json, sys, feature_check])
def test_the_same_answer_as_pyside6s_own(module: types.ModuleType) -> None:
    check = _check()
    assert check(module) == check.original(module)  # type: ignore[attr-defined]


def test_modules_that_use_pyside6_and_ones_that_do_not() -> None:
    check = _check()
    assert check(widgets) is True
    assert check(vocab) is False
    assert check(sys) is False  # built in: no file


def test_a_file_that_cannot_be_read_is_left_to_pyside6(tmp_path: Path) -> None:
    ghost = types.ModuleType("ghost")
    ghost.__file__ = str(tmp_path / "gone.py")
    asked: list[types.ModuleType] = []

    def fallback(module: types.ModuleType) -> bool:
        asked.append(module)
        return False

    assert feature_check.uses_pyside(ghost, fallback) is False
    assert asked == [ghost]


def test_nothing_changes_when_pyside6_has_no_such_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, feature_check.FEATURE_MODULE, types.ModuleType("empty"))
    assert feature_check.read_faster() is False
    monkeypatch.delitem(sys.modules, feature_check.FEATURE_MODULE)
    assert feature_check.read_faster() is False


def test_the_app_takes_pyside6s_watch_of_every_import_out() -> None:
    # PySide6's hook ran Python code for every import statement after PySide6 (and read every
    # new module's file): 25 to 40 ms of each start (issue #23).
    assert builtins.__import__ is getattr(builtins, feature_check.WRAPPED)
    assert builtins.__import__.__name__ != feature_check.HOOK_NAME
    assert feature_check.stop_watching() is False  # nothing left to take out
    assert builtins.__import__ is getattr(builtins, feature_check.WRAPPED)


def test_a_star_import_from_pyside6_still_gives_every_class() -> None:
    # PySide6 makes its classes when first asked for; its own wrapper of the import
    # (``__lazy_import__``) fills a star import, and stays.
    names: dict[str, object] = {}
    exec("from PySide6.QtWidgets import *", names)  # the statement under test
    assert "QCalendarWidget" in names and "QUndoView" in names


def test_no_module_of_the_app_selects_a_pyside6_feature() -> None:
    # With the watch out, ``from __feature__ import snake_case`` would quietly do nothing.
    selecting = re.compile(r"^\s*(from\s+__feature__\s+import|import\s+__feature__)", re.M)
    package = Path(coordinator_app.__file__).parent
    found = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if selecting.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
