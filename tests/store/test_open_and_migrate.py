"""Opening stores and the schema migrations (Alembic, shipped inside the package)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from storekit import merge, submission

from ltpgap.issues import LtpgapError
from ltpgap.store import open_store
from ltpgap.store.engine import MIGRATIONS, store_url
from ltpgap.store.tables import metadata

HEAD = "r0001"


def _revision(store_url_text: str) -> str | None:
    engine = sa.create_engine(store_url(store_url_text))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def test_migrations_upgrade_an_empty_database_to_head(db_url: str) -> None:
    assert _revision(db_url) is None
    with open_store(db_url) as store, store.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert {"snapshots", "submissions", "assessments", "rollups", "alembic_version"} <= tables
    assert diff == [], "the migrations and ltpgap.store.tables disagree"
    assert _revision(db_url) == HEAD


def test_reopening_keeps_the_data(db_url: str) -> None:
    with open_store(db_url) as store:
        store.record_snapshot(merge(submission("luton", {"2.9": "Red"})))
    with open_store(db_url) as store:
        store.migrate()  # idempotent
        assert list(store.history()["rag"]) == ["Red"]


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    with open_store(db_url) as store:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert set(sa.inspect(store.engine).get_table_names()) <= {"alembic_version"}
        store.migrate()
        assert {"snapshots", "rollups"} <= set(sa.inspect(store.engine).get_table_names())


def test_a_store_from_a_newer_ltpgap_is_refused_clearly(db_url: str) -> None:
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'r9999'"))
    with pytest.raises(LtpgapError) as caught:
        open_store(db_url)
    (issue,) = caught.value.issues
    assert issue.code == "store-version" and "newer ltpgap" in issue.message


def test_migrations_ship_inside_the_package() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert any(p.name.startswith(HEAD) for p in (MIGRATIONS / "versions").glob("*.py"))


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("history.sqlite", "sqlite+pysqlite"),
        ("sqlite:///history.sqlite", "sqlite+pysqlite"),
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
    ],
)
def test_store_urls(
    given: str, driver: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    url = store_url(given)
    assert url.drivername == driver
    if driver.startswith("sqlite") and "://" not in given:
        assert url.database == str(tmp_path / "history.sqlite")


@pytest.mark.parametrize(
    ("given", "code", "words"),
    [
        ("/no/such/folder/history.sqlite", "file-not-found", "does not exist"),
        ("mysql://u@h/db", "store-unavailable", "not supported"),
        ("postgresql+psycopg://nobody:wrong@127.0.0.1:1/none", "store-unavailable", "connect"),
    ],
)
def test_stores_that_cannot_be_opened_say_why(given: str, code: str, words: str) -> None:
    with pytest.raises(LtpgapError) as caught:
        open_store(given)
    (issue,) = caught.value.issues
    assert issue.code == code and words in issue.message
    assert "wrong" not in str(caught.value)  # passwords are never shown


def test_a_path_object_opens_a_sqlite_file(tmp_path: Path) -> None:
    with open_store(tmp_path / "h.sqlite") as store:
        assert store.url == str(tmp_path / "h.sqlite")
    assert (tmp_path / "h.sqlite").is_file()
