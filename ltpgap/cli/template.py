"""`ltpgap template`: write the blank place gap-analysis workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ltpgap.catalogue import load_catalogue
from ltpgap.cli._common import CatalogueOption, console, guarded
from ltpgap.issues import LtpgapError, Where, make_issue

OutOption = Annotated[Path, typer.Option("--out", help="The .xlsx file to write.", dir_okay=False)]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite FILE even if it is not a blank template.")
]


@guarded
def template_command(
    out: OutOption, catalogue: CatalogueOption = None, force: ForceOption = False
) -> None:
    """Write the blank place workbook (no place filled in) built from the catalogue.

    `make templates` runs this to refresh workbook_templates/place_gap_analysis.xlsx. A file
    that is not itself a blank template (a place's filled-in workbook, say) is only
    overwritten with --force.
    """
    from ltpgap.workbook import build_workbook, is_blank_template

    if out.exists() and not force and not is_blank_template(out):
        raise LtpgapError(
            [
                make_issue(
                    "file-exists",
                    "this file is not a blank ltpgap template and may hold someone's work; choose "
                    "another --out file or pass --force to overwrite it.",
                    where=Where(file=str(out)),
                )
            ]
        )
    cat = load_catalogue(catalogue)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(cat, None, None, out_path=out)
    console.print(
        f"Wrote {out}: blank template, catalogue {cat.info.id} {cat.info.version}, "
        f"{len(cat)} commitments."
    )
