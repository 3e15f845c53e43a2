"""Alembic environment: always run from code with a connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from coordinator_app.core.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app never runs Alembic from the shell
    raise RuntimeError("run migrations through coordinator_app.core.db, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
