"""`ltpgap history`: the timeline of recorded snapshots (SPEC §9)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from ltpgap.cli._common import CatalogueOption, console, err_console, guarded
from ltpgap.issues import LtpgapError, Where, make_issue

if TYPE_CHECKING:
    import pandas as pd

    from ltpgap.store import Store

__all__ = ["DEFAULT_DB", "history"]

#: The store used when --db is not given: a SQLite file in the current folder.
DEFAULT_DB = "ltpgap.sqlite"

_RAG_STYLE = {"Red": "bold red", "Amber": "dark_orange", "Green": "green"}
_TABLE_COLUMNS = ("snapshot", "taken_at", "place", "para", "rag", "reason", "file")


def _open(db: str) -> Store:
    """Open an existing store: reading history never creates an empty database."""
    try:
        from ltpgap.store import open_store
    except ModuleNotFoundError as exc:
        raise LtpgapError(
            [
                make_issue(
                    "store-unavailable",
                    f"The history store needs the 'store' extra ({exc.name} is not installed). "
                    "Install it with: pip install 'ltpgap[store]'.",
                )
            ]
        ) from None
    if "://" not in db and not Path(db).expanduser().exists():
        raise LtpgapError(
            [
                make_issue(
                    "file-not-found",
                    f"No history store at {db!r}. Snapshots are recorded by "
                    "`ltpgap merge … --db FILE`; give that file (or a PostgreSQL URL) with --db.",
                    where=Where(file=db),
                )
            ]
        )
    return open_store(db)


def _commitments(commitment: str | None, catalogue_path: Path | None) -> list[str] | None:
    """The commitment and the ids it replaces, so a split keeps its predecessor's history."""
    if commitment is None:
        return None
    from ltpgap.catalogue import load_catalogue
    from ltpgap.rag.movement import lineage

    try:
        catalogue = load_catalogue(catalogue_path)
    except (LtpgapError, OSError) as exc:
        if catalogue_path is not None:
            raise
        err_console.print(
            f"ltpgap: note: the shipped catalogue could not be read ({str(exc).splitlines()[0]}); "
            f"showing {commitment} only, without the commitments it replaces."
        )
        return [commitment]
    return list(lineage(commitment, catalogue))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        for key in ("taken_at", "submitted_at"):
            row[key] = row[key].isoformat()
        row["snapshot"], row["recorded_in"] = int(row["snapshot"]), int(row["recorded_in"])
        out.append({str(k): v for k, v in row.items()})
    return out


def _table(frame: pd.DataFrame, *, show_ics: bool, title: str) -> Table:
    columns = ("ics", *_TABLE_COLUMNS) if show_ics else _TABLE_COLUMNS
    table = Table(*columns, title=title, show_lines=False)
    for row in frame.itertuples(index=False):
        cells = {c: str(getattr(row, c)) for c in columns}
        cells["taken_at"] = f"{row.taken_at:%Y-%m-%d %H:%M}"
        style = _RAG_STYLE.get(str(row.rag))
        cells["rag"] = f"[{style}]{row.rag}[/]" if style else str(row.rag)
        table.add_row(*(cells[c] for c in columns))
    return table


@guarded
def history(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            help="History store: a SQLite file, or a URL such as "
            "postgresql+psycopg://user@host/db.",
        ),
    ] = DEFAULT_DB,
    ics: Annotated[
        str | None, typer.Option("--ics", help="Only this ICS (its id, e.g. blmk).")
    ] = None,
    commitment: Annotated[
        str | None,
        typer.Option(
            "--commitment",
            help="Only this commitment (e.g. 2.9), with the commitments it replaces.",
        ),
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Only this place (e.g. luton).")
    ] = None,
    carry_forward: Annotated[
        bool,
        typer.Option(
            "--carry-forward",
            help="List every place at every snapshot, keeping answers of places that did not "
            "resubmit (default: only what each snapshot recorded).",
        ),
    ] = False,
    catalogue: CatalogueOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Show the timeline of recorded snapshots: when each place's RAG for each commitment was
    recorded, with the reason and the workbook it came from."""
    if fmt not in {"table", "json"}:
        raise typer.BadParameter("use --format table or --format json", param_hint="--format")
    ids = _commitments(commitment, catalogue)
    with _open(db) as store:
        frame = store.history(ics, ids, place, carry_forward=carry_forward)
    if fmt == "json":
        sys.stdout.write(json.dumps(_records(frame), ensure_ascii=False, indent=2) + "\n")
        return
    if frame.empty:
        console.print(f"No history recorded in {db} for this selection.")
        return
    snapshots = frame[["ics", "snapshot"]].drop_duplicates()
    title = (
        f"History: {len(frame)} assessment(s) in {len(snapshots)} snapshot(s)"
        + (f", {commitment}" if commitment else "")
        + (f", {place}" if place else "")
    )
    console.print(_table(frame, show_ics=frame["ics"].nunique() > 1, title=title))
