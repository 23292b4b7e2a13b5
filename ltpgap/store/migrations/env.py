"""Alembic environment for the ltpgap store, run programmatically by ``Store.migrate``.

ltpgap passes an open connection in ``config.attributes["connection"]``; no alembic.ini and
no URL in a file are needed.
"""

from __future__ import annotations

from alembic import context

from ltpgap.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through ltpgap.store.open_store(...).migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
