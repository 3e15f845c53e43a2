"""One way from a screen to the core (issue #20): no view or dialog calls a core function that
writes; it asks ``ui/operations``, which runs the write off the GUI thread and handles every
ending in one place.

A core function "writes" when its body opens ``db.transaction()``, or calls another function of
its module that does (found by reading the source, so a new write is covered the day it is
written). A core package split by topic (``core/meetings/``) counts as one module: its
sub-modules call each other, and what its ``__init__`` re-exports is what ``meetings.write``
reaches. Every module under ``ui/`` except ``ui/operations/`` is then walked for calls to one,
through ``from ...core import module`` (``module.write(...)``) or ``from ...core.module import
write`` (``write(...)``), at any depth (a lambda or a nested function counts too).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "coordinator_app"
CORE = PACKAGE / "core"
UI = PACKAGE / "ui"


def _writes_of(*modules: Path, public_in: Path | None = None) -> set[str]:
    """The public writes of ``modules`` read together. ``public_in``: the package ``__init__``
    whose names (its own functions and what it imports) are the public ones; else the
    functions defined at the top of the first module."""
    trees = [ast.parse(module.read_text(encoding="utf-8")) for module in modules]
    functions = {
        n.name: n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
    }

    def opens_transaction(node: ast.AST) -> bool:
        return any(isinstance(c, ast.Attribute) and c.attr == "transaction" for c in ast.walk(node))

    writes = {name for name, node in functions.items() if opens_transaction(node)}
    grew = True
    while grew:
        grew = False
        for name, node in functions.items():
            if name in writes:
                continue
            calls = {
                c.func.id
                for c in ast.walk(node)
                if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
            }
            if calls & writes:
                writes.add(name)
                grew = True
    surface = trees[0] if public_in is None else ast.parse(public_in.read_text(encoding="utf-8"))
    public = {n.name for n in surface.body if isinstance(n, ast.FunctionDef)}
    if public_in is not None:
        public |= {
            alias.asname or alias.name
            for n in surface.body
            if isinstance(n, ast.ImportFrom)
            for alias in n.names
        }
    return {w for w in writes if w in public and not w.startswith("_")}


def core_writes() -> dict[str, set[str]]:
    """``{"people": {"create_participant", ...}, ...}``: every core module's writes, and every
    core package's (``"meetings"``: its sub-modules' writes that its ``__init__`` re-exports)."""
    found = {
        ".".join(path.relative_to(CORE).with_suffix("").parts): _writes_of(path)
        for path in CORE.rglob("*.py")
        if "migrations" not in path.parts
    }
    for init in CORE.rglob("__init__.py"):
        package = init.parent
        if package != CORE and "migrations" not in package.parts:
            found[".".join(package.relative_to(CORE).parts)] = _writes_of(
                *sorted(package.glob("*.py")), public_in=init
            )
    return found


def _core_module(module: str | None, level: int) -> str | None:
    """``...core.people`` (relative) or ``coordinator_app.core.people`` -> ``people``."""
    if module is None:
        return None
    parts = module.split(".")
    if "core" not in parts:
        return None
    index = parts.index("core")
    if level == 0 and parts[:index] != ["coordinator_app"]:
        return None
    return ".".join(parts[index + 1 :])


def direct_writes(path: Path, writes: dict[str, set[str]]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: dict[str, str] = {}  # local name -> core module
    functions: dict[str, tuple[str, str]] = {}  # local name -> (core module, function)
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        core = _core_module(node.module, node.level)
        if core is None:
            continue
        for alias in node.names:
            local = alias.asname or alias.name
            if core == "":
                modules[local] = alias.name
            else:
                functions[local] = (core, alias.name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if isinstance(called, ast.Attribute) and isinstance(called.value, ast.Name):
            module = modules.get(called.value.id)
            if module is not None and called.attr in writes.get(module, set()):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {module}.{called.attr}")
        elif isinstance(called, ast.Name) and called.id in functions:
            module, name = functions[called.id]
            if name in writes.get(module, set()):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {module}.{name}")
    return found


def test_the_walk_knows_the_core_writes() -> None:
    """The walk itself: it must see the writes screens make, or the next test proves nothing."""
    writes = core_writes()
    assert {"create_participant", "update_participant", "delete_participant"} <= writes["people"]
    assert {"set_attendance", "update_meeting", "offer_payments"} <= writes["meetings"]
    assert {"raise_action", "add_progress"} <= writes["actions"]
    assert "list_participants" not in writes["people"]  # reads are not writes


def test_no_view_or_dialog_writes_to_the_core_directly() -> None:
    writes = core_writes()
    offenders = [
        hit
        for path in sorted(UI.rglob("*.py"))
        if "operations" not in path.relative_to(UI).parts
        for hit in direct_writes(path, writes)
    ]
    assert not offenders, "write through ui/operations instead:\n" + "\n".join(offenders)


def test_the_operations_are_what_writes() -> None:
    writes = core_writes()
    found = [
        hit
        for path in sorted((UI / "operations").rglob("*.py"))
        for hit in direct_writes(path, writes)
    ]
    assert len(found) >= 40  # every screen's write has its operation
