"""The tables nothing reads on the way to Home (core/schema_later.py) are defined the first time
anything names one of them or ``schema.metadata``, and then they are the schema's like the rest.
Each check runs in a fresh interpreter, where nothing another test imported has named them."""

from __future__ import annotations

from pathlib import Path

import pytest

from coordinator_app.core import schema
from tests.cli.test_without_orm import _run

pytestmark = pytest.mark.sqlite_only


def test_the_later_tables_wait_until_one_is_named(tmp_path: Path) -> None:
    out = _run(
        """
        import sys
        from coordinator_app.core import schema
        later = "coordinator_app.core.schema_later"
        before = ("drafts" in schema._metadata.tables, later in sys.modules)
        drafts = schema.drafts
        print(*before, drafts.name, schema.metadata.tables["drafts"] is drafts,
              len(schema.metadata.tables), schema.metadata is schema._metadata)
        """,
        tmp_path,
    )
    assert out.splitlines()[-1] == "False False drafts True 46 True"


def test_asking_for_the_metadata_defines_every_table(tmp_path: Path) -> None:
    out = _run(
        """
        from sqlalchemy import Table
        from coordinator_app.core.schema import metadata
        from coordinator_app.core import schema
        print(sorted(metadata.tables) == sorted(
            name for name, value in vars(schema).items() if isinstance(value, Table)))
        print(len(metadata.tables), metadata.tables["staff"] is schema.staff)
        """,
        tmp_path,
    )
    assert out.splitlines()[-2:] == ["True", "46 True"]


def test_two_threads_naming_later_tables_at_once_get_one_definition(tmp_path: Path) -> None:
    out = _run(
        """
        import threading
        from coordinator_app.core import schema
        names = ["staff", "drafts", "audit_log", "metadata"] * 4
        got, errors = [], []
        start = threading.Barrier(len(names))
        def name_it(name):
            start.wait()
            try:
                got.append((name, getattr(schema, name)))
            except Exception as exc:
                errors.append(repr(exc))
        threads = [threading.Thread(target=name_it, args=(n,)) for n in names]
        for t in threads: t.start()
        for t in threads: t.join()
        same = all(value is getattr(schema, name) for name, value in got)
        print(errors, len(got), same, len(schema.metadata.tables))
        """,
        tmp_path,
    )
    assert out.splitlines()[-1] == "[] 16 True 46"


def test_a_name_the_schema_does_not_hold_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_of_the_kind'"):
        schema.nothing_of_the_kind  # noqa: B018
    assert not hasattr(schema, "__nothing__")
