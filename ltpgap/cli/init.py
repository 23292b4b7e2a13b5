"""`ltpgap init`: write the place workbooks and the ICS team's workbook for an ICS."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ltpgap.catalogue import load_catalogue
from ltpgap.cli._common import CatalogueOption, IcsOption, console, guarded
from ltpgap.ics import load_ics

OutOption = Annotated[
    Path,
    typer.Option(
        "--out", help="Folder to write the workbooks into (created if missing).", file_okay=False
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Overwrite workbooks already in the folder (their inputs are lost)."
    ),
]


@guarded
def init_command(
    out: OutOption,
    ics: IcsOption = None,
    catalogue: CatalogueOption = None,
    force: ForceOption = False,
) -> None:
    """Write one gap-analysis workbook per place (DIR/<place id>.xlsx) and one for the ICS team.

    Each place workbook lists every catalogue commitment; the ICS team's workbook
    (DIR/<ics id>.xlsx) holds only the commitments delivered once for the whole ICS. An
    existing workbook is never overwritten unless --force is given.
    """
    from ltpgap.workbook import init_workbooks

    cat = load_catalogue(catalogue)
    config = load_ics(ics)
    paths = init_workbooks(cat, config, out, force=force)
    table = Table("workbook", "for", "rows", title=f"{config.name}: {len(paths)} workbooks")
    names = {p.id: p.name for p in config.places} | {config.id: f"{config.name} (ICS team)"}
    ics_rows = sum(c.level == "ics" for c in cat)
    for path in paths:
        rows = ics_rows if path.stem == config.id else len(cat)
        table.add_row(str(path), names.get(path.stem, path.stem), str(rows))
    console.print(table)
    console.print(
        f"Catalogue {cat.info.id} {cat.info.version}. Send each place its workbook; when they "
        "come back, run `ltpgap recompute FILE` and `ltpgap check FILE`."
    )
