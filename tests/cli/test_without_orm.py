"""Home and the monthly return are read with Core queries: neither loads SQLAlchemy's ORM (whose
import and mapping cost about a quarter of a second) before it is ready. Each check runs in a
fresh interpreter, so nothing another test imported can hide an ORM import."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.sqlite_only


def _run(code: str, tmp_path: Path) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_monthly_return_is_written_without_the_orm(demo_file: Path, tmp_path: Path) -> None:
    out = _run(
        f"""
        import sys
        from coordinator_app.cli import main
        code = main(["--db", {str(demo_file)!r}, "export-return", "--locality", "Rugby",
                     "--month", "2026-10", "-o", {str(tmp_path / "r.xlsx")!r}])
        print(code, "sqlalchemy.orm" in sys.modules, "coordinator_app.core.models" in sys.modules)
        """,
        tmp_path,
    )
    assert out.splitlines()[-1] == "0 False False"
    assert (tmp_path / "r.xlsx").stat().st_size > 0


def test_the_window_shows_home_filled_without_the_orm(demo_file: Path, tmp_path: Path) -> None:
    out = _run(
        f"""
        import sys
        from PySide6.QtWidgets import QApplication
        from coordinator_app.ui.app import run
        from coordinator_app.ui.views.home import ROLE_ID
        code = run({str(demo_file)!r}, exit_after_startup=True)
        window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "home"))
        home = window.home
        meetings = [home.next_meetings.item(i) for i in range(home.next_meetings.count())]
        filled = any(item.data(ROLE_ID) for item in meetings)
        print(code, filled and home.month_form.rowCount() == 7,
              "sqlalchemy.orm" in sys.modules, "coordinator_app.core.models" in sys.modules,
              "coordinator_app.core.privacy" in sys.modules,
              "coordinator_app.core.schema_later" in sys.modules,
              "coordinator_app.core.backup" in sys.modules)
        """,
        tmp_path,
    )
    # Nor the redactor (Home shows no text that leaves the coordinator): its module and the
    # name lists it builds load when something is first printed or exported. Nor the tables
    # Home does not read (core/schema_later.py): they are defined when first named. Nor the
    # backups' package: what a killed backup left and the status bar's last backup come once
    # Home is shown (``ui.app.finish_opening``).
    assert out.splitlines()[-1] == "0 True False False False False False"


def test_prepare_orm_maps_every_class_once() -> None:
    from sqlalchemy.orm import Mapper

    from coordinator_app.core.db import prepare_orm
    from coordinator_app.core.models import Base
    from coordinator_app.core.schema import metadata

    prepare_orm()
    prepare_orm()  # a second call changes nothing
    mapped = {mapper.local_table.name for mapper in Base.registry.mappers}
    assert mapped == set(metadata.tables)
    assert all(isinstance(m, Mapper) and m.configured for m in Base.registry.mappers)


def test_the_window_paints_before_sqlalchemy_and_the_database(
    demo_file: Path, tmp_path: Path
) -> None:
    """--exit-after-first-paint: the frame, the navigation and Home's empty cards are painted
    before SQLAlchemy is imported; the database is not opened, locked or changed."""
    import hashlib

    from coordinator_app.core.lock import lock_path

    before = hashlib.sha256(demo_file.read_bytes()).hexdigest()
    out = _run(
        f"""
        import sys
        from PySide6.QtWidgets import QApplication
        from coordinator_app.ui.app import run
        code = run({str(demo_file)!r}, exit_after_first_paint=True)
        window = next(w for w in QApplication.topLevelWidgets() if hasattr(w, "home"))
        print(code, window.isVisible(), window.nav.count(), window.home.next_meetings.count(),
              "sqlalchemy" in sys.modules)
        """,
        tmp_path,
    )
    assert out.splitlines()[-1] == "0 True 7 0 False"
    assert hashlib.sha256(demo_file.read_bytes()).hexdigest() == before
    assert not lock_path(demo_file).exists()


def test_the_command_line_paints_before_sqlalchemy_too(demo_file: Path, tmp_path: Path) -> None:
    """``coordinator-app --db FILE --exit-after-first-paint``, the way the benchmarks and a
    coordinator start it: completing the --db address (for a server's password) imported
    SQLAlchemy before the window painted, about 0.27 s, whenever --db was given."""
    out = _run(
        f"""
        import sys
        import coordinator_app.ui.app as app
        real = app.run
        def run(*args, **kwargs):
            code = real(*args, **kwargs)
            print(code, "sqlalchemy" in sys.modules, flush=True)
            return code
        app.run = run
        from coordinator_app.cli import main
        main(["--db", {str(demo_file)!r}, "--exit-after-first-paint"])
        """,
        tmp_path,
    )
    assert out.splitlines()[-1] == "0 False"


def test_the_tables_are_defined_without_postgresql_code(tmp_path: Path) -> None:
    """A laptop on SQLite does not load SQLAlchemy's PostgreSQL dialect and its drivers (about
    20 ms) on the way to Home: the waiting claims index's PostgreSQL option is added only when
    a PostgreSQL engine is made (``schema.complete_for_postgresql``)."""
    out = _run(
        """
        import sys
        from coordinator_app.core import schema
        where = schema.claims_waiting_index.dialect_options["sqlite"]["where"]
        print("sqlalchemy.dialects.postgresql" in sys.modules, where is not None)
        """,
        tmp_path,
    )
    assert out.splitlines()[-1] == "False True"


def test_a_postgresql_engine_gives_the_index_its_postgresql_where(tmp_path: Path) -> None:
    """Migration 0011 made the index partial on a server too: the definitions say so as soon as
    a PostgreSQL engine exists (nothing is connected to here)."""
    out = _run(
        """
        from coordinator_app.core import schema
        from coordinator_app.core.engine import make_engine, resolve_url
        before = schema.claims_waiting_index.dialect_options["postgresql"]["where"]
        make_engine(resolve_url("postgresql+psycopg://nobody@127.0.0.1:1/none"))
        after = schema.claims_waiting_index.dialect_options["postgresql"]["where"]
        print(before is None, str(after))
        """,
        tmp_path,
    )
    assert out.splitlines()[-1] == "True status = 'offered' AND claimed_on IS NOT NULL"
