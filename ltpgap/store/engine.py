"""Opening a store: a file path or URL → a SQLAlchemy engine, and the schema migrations.

SQLite files are written with ``BEGIN IMMEDIATE`` so concurrent merges queue for the write
lock instead of failing half-way, and keep the default rollback journal (not WAL), which is
safe on the network drives where ICS teams keep their workbooks.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.util import CommandError

from ltpgap.issues import LtpgapError, Where, make_issue

__all__ = [
    "MIGRATIONS",
    "check_connection",
    "create_store_engine",
    "describe_url",
    "migrate",
    "store_url",
]

MIGRATIONS = Path(__file__).with_name("migrations")
#: How long a SQLite writer waits for another merge to finish before giving up (seconds).
SQLITE_BUSY_TIMEOUT = 60.0
#: PostgreSQL advisory lock taken while migrating, so two first-time opens do not race.
_MIGRATION_LOCK = zlib.crc32(b"ltpgap.store.migrate")

_HELP = (
    "Give a file path (e.g. ltpgap.sqlite), sqlite:///path/to/file.sqlite, or "
    "postgresql+psycopg://user:password@host:5432/database."
)


def store_url(url_or_path: str | os.PathLike[str]) -> sa.URL:
    """The SQLAlchemy URL for a plain path, a ``sqlite:///`` URL or a PostgreSQL URL."""
    text = os.fspath(url_or_path)
    if "://" not in text:
        path = Path(text).expanduser()
        if not path.parent.exists():
            raise LtpgapError(
                [
                    make_issue(
                        "file-not-found",
                        f"The folder {str(path.parent)!r} for the history store does not exist. "
                        "Create it, or give --db another path.",
                        where=Where(file=str(path)),
                    )
                ]
            )
        return sa.URL.create("sqlite+pysqlite", database=str(path.resolve()))
    try:
        url = sa.make_url(text)
    except sa.exc.ArgumentError:
        raise _unavailable(text, f"{text!r} is not a database URL. {_HELP}") from None
    backend = url.get_backend_name()
    if backend in {"postgresql", "postgres"}:
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url.set(drivername="sqlite+pysqlite")
    raise _unavailable(
        describe_url(url), f"Databases of type {backend!r} are not supported. {_HELP}"
    )


def describe_url(url: sa.URL | str) -> str:
    """The URL as shown to users: the password hidden."""
    if isinstance(url, str):
        return url
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _unavailable(where: str, message: str) -> LtpgapError:
    return LtpgapError(
        [make_issue("store-unavailable", message, where=Where(file=where))],
        summary="the history store cannot be opened",
    )


def create_store_engine(url: sa.URL) -> sa.Engine:
    """An engine for the store: busy timeout and ``BEGIN IMMEDIATE`` on SQLite."""
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


def _sqlite_begin(connection: sa.Connection) -> None:
    # Take the write lock at the start: two merges then queue instead of deadlocking.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def check_connection(engine: sa.Engine) -> None:
    """Connect once, turning a failure into a located ``store-unavailable`` Issue."""
    try:
        with engine.connect():
            pass
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise _unavailable(
            describe_url(engine.url),
            f"Could not connect to the history store: {reason}. Check the --db path or URL, "
            "that the server is running and that the user may log in.",
        ) from None


def migrate(engine: sa.Engine) -> None:
    """Bring the store's schema to the newest revision this ltpgap knows (Alembic upgrade)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except CommandError as exc:
        raise LtpgapError(
            [
                make_issue(
                    "store-version",
                    f"The history store's schema is not one this ltpgap knows ({exc}). It was "
                    "probably written by a newer ltpgap: upgrade ltpgap, or use another --db.",
                    where=Where(file=describe_url(engine.url)),
                )
            ]
        ) from None
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0]
        raise _unavailable(
            describe_url(engine.url),
            f"Could not prepare the history store: {reason}. Check that the file or database is "
            "writable by you.",
        ) from None
