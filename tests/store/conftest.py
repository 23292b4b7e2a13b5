"""Fixtures for the history store: a fresh SQLite file or PostgreSQL schema per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

sa = pytest.importorskip("sqlalchemy", reason="the store extra is not installed")

from pgkit import pg_schema  # noqa: E402

from ltpgap.store import Store, open_store  # noqa: E402


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a brand-new schema, dropped afterwards."""
    with pg_schema("t") as url:
        yield url


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
