"""The lock files (``requirements/``) pin, with hashes, everything ``pyproject.toml`` asks
for, within its ranges, and agree with each other: the bundle is built from ``bundle.txt``
and the Windows workflow tests with ``test.txt`` (requirements/README.md)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"


def pins(name: str) -> dict[str, list[tuple[str, str, int]]]:
    """package -> [(version, marker, number of hashes)] of one lock file."""
    found: dict[str, list[tuple[str, str, int]]] = {}
    text = (LOCKS / name).read_text(encoding="utf-8")
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+?)(?: ; (.+?))? \\", block)
        if match is None:
            assert block.startswith("#") or not block.strip(), f"{name}: {block[:60]!r}"
            continue
        package, version, marker = match.groups()
        hashes = len(re.findall(r"--hash=sha256:[0-9a-f]{64}", block))
        found.setdefault(canonicalize_name(package), []).append((version, marker or "", hashes))
    return found


def asked(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        wanted += [
            Requirement(r)
            for r in project["optional-dependencies"][extra]
            if not r.startswith("involvement-coordinator")
        ]
    return wanted


@pytest.mark.parametrize(("lock", "extras"), [("bundle.txt", ("installer",)),
                                              ("test.txt", ("installer", "test"))])  # fmt: skip
def test_the_lock_pins_every_dependency_within_its_range_with_hashes(
    lock: str, extras: tuple[str, ...]
) -> None:
    locked = pins(lock)
    for requirement in asked(*extras):
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{lock} does not pin {name}: run bash requirements/update.sh"
        for version, _marker, hashes in locked[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock} pins {name}=={version}, outside pyproject.toml's {requirement.specifier}"
            )
            assert hashes > 0, f"{lock}: {name} has no hash"
    for name, versions in locked.items():
        assert all(hashes > 0 for _v, _m, hashes in versions), f"{lock}: {name} has no hash"


def test_the_test_lock_has_the_bundle_s_versions() -> None:
    bundle, test = pins("bundle.txt"), pins("test.txt")
    for name, versions in bundle.items():
        assert {v for v, _m, _h in test.get(name, [])} == {v for v, _m, _h in versions}, name
