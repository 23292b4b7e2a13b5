"""The history store as the commands find it: `--db`, `--no-db`, and `ltpgap.sqlite` beside
the ICS workbook by default. The store's packages (SQLAlchemy …) are imported only here, on
first use, so `--help` stays light."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ltpgap.cli._common import err_console
from ltpgap.issues import LtpgapError, make_issue

if TYPE_CHECKING:
    from ltpgap.store import Store

__all__ = ["DEFAULT_DB", "beside", "merge_store", "open_history", "shown", "store_missing"]

#: The history store's file name when --db is not given (beside the ICS workbook).
DEFAULT_DB = "ltpgap.sqlite"


def beside(workbook: Path) -> Path:
    """The default store of an ICS workbook: ``ltpgap.sqlite`` in the same folder."""
    return workbook.parent / DEFAULT_DB


def store_missing(exc: ModuleNotFoundError) -> LtpgapError:
    """The error when the ``store`` extra (SQLAlchemy, Alembic, psycopg) is not installed."""
    return LtpgapError(
        [
            make_issue(
                "store-unavailable",
                f"The history store needs the 'store' extra ({exc.name} is not installed). "
                "Install it with: pip install 'ltpgap[store]', or merge with --no-db.",
            )
        ]
    )


def open_history(target: str) -> Store:
    """Open (creating if needed) the store at a path or URL, importing the store lazily."""
    try:
        from ltpgap.store import open_store
    except ModuleNotFoundError as exc:
        raise store_missing(exc) from None
    return open_store(target)


@contextmanager
def merge_store(db: str | None, no_db: bool, out: Path) -> Iterator[Store | None]:
    """The store a merge records into: --db, else ``ltpgap.sqlite`` beside --out; None with
    --no-db (or, for the default store only, when the store extra is not installed)."""
    if no_db:
        if db is not None:
            raise typer.BadParameter("give either --db or --no-db, not both.", param_hint="--db")
        yield None
        return
    if db is None:
        try:
            import sqlalchemy  # noqa: F401  (is the store extra installed?)
        except ModuleNotFoundError:
            err_console.print(
                "ltpgap: note: no snapshot recorded (the history store needs the 'store' "
                "extra: pip install 'ltpgap[store]'); merge with --no-db to skip it quietly."
            )
            yield None
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        db = str(beside(out))
    store = open_history(db)
    try:
        yield store
    finally:
        store.close()


def shown(db: str) -> str:
    """A --db value as printed: a URL's password hidden."""
    if "://" not in db:
        return db
    try:
        from sqlalchemy import make_url

        return make_url(db).render_as_string(hide_password=True)
    except Exception:  # not a URL we can parse: show only its scheme
        return db.split("://", 1)[0] + "://…"
