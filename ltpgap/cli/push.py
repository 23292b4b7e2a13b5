"""`ltpgap push`: carry place workbooks over to a new catalogue version, losing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ltpgap._sniff import open_in_excel
from ltpgap.catalogue import load_catalogue
from ltpgap.cli._common import CatalogueOption, console, guarded, print_issues
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue

WorkbooksArg = Annotated[
    list[Path],
    typer.Argument(
        help="Place or ICS-team workbooks made by `ltpgap init`.",
        dir_okay=False,
        metavar="WORKBOOK.xlsx",
    ),
]
FromOption = Annotated[
    Path | None,
    typer.Option(
        "--from",
        help="The catalogue YAML the workbooks were built from (default: the shipped one, "
        "when it is the one recorded in the workbook).",
        dir_okay=False,
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the plan for each workbook; change nothing.")
]
NoBackupOption = Annotated[
    bool, typer.Option("--no-backup", help="Do not keep a timestamped copy of each old file.")
]


def _failure(path: Path, exc: OSError) -> Issue:
    code = "file-not-found" if isinstance(exc, FileNotFoundError) else "unreadable-workbook"
    reason = exc.strerror or str(exc)
    return make_issue(
        code, f"cannot push into the workbook: {reason}.", where=Where(file=str(path))
    )


@guarded
def push_command(
    workbooks: WorkbooksArg,
    catalogue: CatalogueOption = None,
    from_: FromOption = None,
    dry_run: DryRunOption = False,
    no_backup: NoBackupOption = False,
) -> None:
    """Push a new catalogue (--catalogue, default the shipped one) into workbooks.

    Rows are matched by Para, whatever order they are in: reworded commitments get their new
    wording, renumbered ones take their inputs along, split ones copy them to each part and
    merged ones combine them (both flagged in Checks), retired ones move with their inputs to
    a Retired sheet. Every change is logged on a `Catalogue changes` sheet. Each old file is
    first copied to NAME.YYYYmmdd-HHMMSS.bak.xlsx, and replaced only once the new one is fully
    written. --dry-run prints the plan for each workbook and changes nothing.
    """
    from ltpgap.workbook.migrate import push_catalogue

    new = load_catalogue(catalogue) if catalogue else load_catalogue()
    old = load_catalogue(from_) if from_ else None
    failed = 0
    for path in workbooks:
        lock = None if dry_run else open_in_excel(path)
        try:
            done = push_catalogue(path, new, old=old, dry_run=dry_run, backup=not no_backup)
        except LtpgapError as exc:
            failed += 1
            print_issues(exc.issues, title=f"ltpgap: {path}: not pushed")
            continue
        except OSError as exc:
            failed += 1
            print_issues([_failure(path, exc)], title=f"ltpgap: {path}: not pushed")
            continue
        console.print(done.describe(), markup=False, highlight=False)
        console.print()
        notable = [i for i in done.issues if i.severity is not Severity.INFO]
        if lock is not None and done.written:  # Excel did not stop it (not Windows)
            notable.append(lock.replaced_warning(path, "the new catalogue", "the old one"))
        print_issues(notable, title=f"{len(notable)} thing(s) to check in {path.name}")
    if failed:
        console.print(f"{failed} of {len(workbooks)} workbook(s) not pushed; see the errors above.")
        raise typer.Exit(code=1)
