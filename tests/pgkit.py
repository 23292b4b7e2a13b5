"""A throw-away PostgreSQL schema per test, for the store and history tests.

Tests needing PostgreSQL read ``LTPGAP_TEST_PG_URL`` (``.ci/run`` starts a server on
127.0.0.1 and sets it) and skip with a clear reason only when it is unset.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ENV = "LTPGAP_TEST_PG_URL"
PG_SKIP = (
    f"no PostgreSQL server configured: set {PG_ENV}=postgresql+psycopg://user:pw@host/db "
    "(.ci/run starts one and sets it)"
)


def pg_base_url() -> str | None:
    """The PostgreSQL server the tests may use, or None."""
    return os.environ.get(PG_ENV) or None


@contextmanager
def pg_schema(prefix: str = "t") -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a brand-new schema, dropped afterwards."""
    sa = pytest.importorskip("sqlalchemy", reason="the store extra is not installed")
    base = pg_base_url()
    if base is None:
        pytest.skip(PG_SKIP)
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
