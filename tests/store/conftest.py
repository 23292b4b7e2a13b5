"""Fixtures for the history store: a fresh SQLite file or PostgreSQL schema per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sa = pytest.importorskip("sqlalchemy", reason="the store extra is not installed")

from ltpgap.store import Store, open_store  # noqa: E402

PG_ENV = "LTPGAP_TEST_PG_URL"
PG_SKIP = (
    f"no PostgreSQL server configured: set {PG_ENV}=postgresql+psycopg://user:pw@host/db "
    "(.ci/run starts one and sets it)"
)


def pg_base_url() -> str | None:
    """The PostgreSQL server the tests may use, or None."""
    return os.environ.get(PG_ENV) or None


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a brand-new schema, dropped afterwards."""
    base = pg_base_url()
    if base is None:
        pytest.skip(PG_SKIP)
    schema = f"t_{uuid.uuid4().hex[:16]}"
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


@pytest.fixture
def sqlite_path(tmp_path: Path) -> str:
    """A SQLite store path in the test's own folder."""
    return str(tmp_path / "history.sqlite")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store location, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open, migrated store on each backend."""
    with open_store(db_url) as opened:
        yield opened
