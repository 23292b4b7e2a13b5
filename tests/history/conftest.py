"""Fixtures for the history tests: the small catalogue, blank workbooks, and a store on
SQLite or (when LTPGAP_TEST_PG_URL is set) on a fresh PostgreSQL schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from histkit import V1

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.ics import IcsConfig, load_ics

sa = pytest.importorskip("sqlalchemy", reason="the store extra is not installed")

PG_ENV = "LTPGAP_TEST_PG_URL"
PG_SKIP = (
    f"no PostgreSQL server configured: set {PG_ENV}=postgresql+psycopg://user:pw@host/db "
    "(.ci/run starts one and sets it)"
)


@pytest.fixture(scope="session")
def cat1() -> Catalogue:
    """tests/data/catalogue-v1.yaml (20 commitments, every level)."""
    return load_catalogue(V1)


@pytest.fixture(scope="session")
def ics() -> IcsConfig:
    """BLMK: four places and the ICS team."""
    return load_ics()


@pytest.fixture(scope="session")
def blanks(
    tmp_path_factory: pytest.TempPathFactory, cat1: Catalogue, ics: IcsConfig
) -> dict[str, Path]:
    """Blank workbooks (four places + ICS team) of the small catalogue; copy before use."""
    from ltpgap.workbook import init_workbooks

    folder = tmp_path_factory.mktemp("blank-books")
    paths = init_workbooks(cat1, ics, folder, force=True, generated_at="2024-01-01T00:00:00Z")
    return {p.stem: p for p in paths}


@contextmanager
def pg_schema() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a brand-new schema, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_SKIP)
    schema = f"h_{uuid.uuid4().hex[:16]}"
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


_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=_BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where the history lives: a SQLite file in the test's folder, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "history.sqlite")
        return
    with pg_schema() as url:
        yield url


@pytest.fixture(scope="module", params=_BACKENDS)
def module_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The same, shared by the tests of one module (for a history built once)."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("store") / "history.sqlite")
        return
    with pg_schema() as url:
        yield url
