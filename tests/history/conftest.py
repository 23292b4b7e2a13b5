"""Fixtures for the history tests: the small catalogue, blank workbooks, and a store on
SQLite or (when LTPGAP_TEST_PG_URL is set) on a fresh PostgreSQL schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from histkit import V1
from pgkit import pg_schema

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.ics import IcsConfig, load_ics

sa = pytest.importorskip("sqlalchemy", reason="the store extra is not installed")


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


_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=_BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where the history lives: a SQLite file in the test's folder, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "history.sqlite")
        return
    with pg_schema("h") as url:
        yield url


@pytest.fixture(scope="module", params=_BACKENDS)
def module_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The same, shared by the tests of one module (for a history built once)."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("store") / "history.sqlite")
        return
    with pg_schema("h") as url:
        yield url
