"""`ltpgap rollup`: ICS workbooks → a region or national workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ltpgap.catalogue import load_catalogue
from ltpgap.cli._common import CatalogueOption, console, guarded, print_issues
from ltpgap.cli.merge import FILE_PROBLEMS, counts_overview, file_progress

if TYPE_CHECKING:
    from ltpgap.merge import RollupResult


__all__ = ["rollup_command"]

WorkbooksArg = Annotated[
    list[Path],
    typer.Argument(
        # no dir_okay=False: a folder among them is named like a missing file, as in a merge
        help="ICS workbooks written by `ltpgap merge` (or region workbooks).",
        metavar="ICS.xlsx",
    ),
]
OutOption = Annotated[
    Path,
    typer.Option(
        "--out",
        help="The region or national workbook to write (.xlsx). An earlier roll-up there is "
        "replaced; an ICS or place workbook is never overwritten.",
        dir_okay=False,
    ),
]
LevelOption = Annotated[
    str, typer.Option("--level", help="region (from ICS workbooks) or national.")
]
NameOption = Annotated[
    str | None,
    typer.Option("--name", help="Name of the region or nation (default: Region / England)."),
]
IdOption = Annotated[
    str | None, typer.Option("--id", help="Id recorded in the workbook (default: from --name).")
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress output and no summary table.")
]


def _overview(result: RollupResult, name: str) -> Table:
    import pandas as pd

    matrix = result.rollup.matrix
    must = result.rollup.frame["must_do"].to_numpy()
    rows = [(u.name, pd.DataFrame({"rag": matrix[u.id], "must_do": must})) for u in result.units]
    rows.append((f"{name} (rolled up)", result.rollup.frame.rename(columns={"ics_rag": "rag"})))
    return counts_overview(f"{name}: RAG per unit and overall ({result.level})", rows)


@guarded
def rollup_command(
    workbooks: WorkbooksArg,
    out: OutOption,
    level: LevelOption = "region",
    name: NameOption = None,
    unit_id: IdOption = None,
    catalogue: CatalogueOption = None,
    quiet: QuietOption = False,
) -> None:
    """Roll ICS workbooks up into a region workbook (or ICS/region ones into a national one).

    Each ICS counts by its population (the sum of its places'), with the default rules of
    SPEC §6: must-dos the worst ICS, others a population-weighted score. The workbook has
    the ICS workbook's sheets with ICSs as the units (no Place data: inputs stay in the ICS
    workbooks).
    """
    from ltpgap.merge import rollup_workbooks

    if level not in ("region", "national"):
        raise typer.BadParameter("use --level region or --level national", param_hint="--level")
    cat = load_catalogue(catalogue)
    with file_progress(len(workbooks), quiet=quiet, verb="reading") as progress:
        result = rollup_workbooks(
            workbooks,
            out=out,
            level="region" if level == "region" else "national",
            name=name,
            unit_id=unit_id,
            catalogue=cat,
            progress=progress,
        )
    noted = [i for i in result.issues if i.code in FILE_PROBLEMS]
    print_issues(noted, title=f"{len(noted)} problem(s) to act on")
    label = name or ("England" if level == "national" else "Region")
    if not quiet:
        console.print(_overview(result, label))
    console.print(f"Wrote {result.out}: {len(result.units)} unit(s) rolled up to {level} level.")
