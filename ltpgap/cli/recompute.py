"""`ltpgap recompute`: refresh RAG, Reason, Checks and the Summary sheet in a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ltpgap.catalogue import load_catalogue
from ltpgap.cli._common import CatalogueOption, console, exit_for, guarded, print_issues

WorkbookArg = Annotated[
    Path, typer.Argument(help="A place or ICS-team workbook made by `ltpgap init`.", dir_okay=False)
]
NoBackupOption = Annotated[
    bool, typer.Option("--no-backup", help="Do not keep a timestamped copy of the old file.")
]


@guarded
def recompute_command(
    workbook: WorkbookArg, catalogue: CatalogueOption = None, no_backup: NoBackupOption = False
) -> None:
    """Recompute RAG, Reason and Checks for every row, and the Summary sheet, in place.

    Rows are matched by Para, whatever order they are in. The old file is first copied to
    NAME.YYYYmmdd-HHMMSS.bak.xlsx beside it, and the new one replaces it only once fully
    written. Workbooks holding charts, pictures, macros, pivot tables or Excel 2010+
    validations are refused: use the Excel add-in's Recompute button for those.
    """
    from ltpgap._sniff import open_in_excel
    from ltpgap.workbook import recompute_workbook

    cat = load_catalogue(catalogue) if catalogue else None
    lock = open_in_excel(workbook)
    done = recompute_workbook(workbook, catalogue=cat, backup=not no_backup)
    counts = ", ".join(f"{rag} {n}" for rag, n in done.counts.items())
    console.print(f"Recomputed {done.path}: {counts}.")
    if done.backup:
        console.print(f"Previous version kept as {done.backup}.")
    if lock is not None:  # where Excel does not stop the file being replaced (not Windows)
        after = ", or use the add-in's Recompute button inside Excel"
        old = "the results from before"
        print_issues([lock.replaced_warning(workbook, "these results", old, after)])
    issues = done.result.issues
    if issues:
        print_issues(issues, title=f"{len(issues)} problem(s) in {done.path.name}")
        console.print(f"See them in the Checks column, or run `ltpgap check {done.path}`.")
    exit_for(issues)
