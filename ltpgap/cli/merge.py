"""`ltpgap merge`: place workbooks (and the ICS team's) → one ICS workbook."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ltpgap._sniff import sniff
from ltpgap.catalogue import load_catalogue
from ltpgap.cli._common import (
    CatalogueOption,
    console,
    err_console,
    figures_table,
    guarded,
    print_issues,
)
from ltpgap.cli._store import merge_store
from ltpgap.ics import load_ics
from ltpgap.issues import Severity, has_errors
from ltpgap.schema import RAG_VALUES

if TYPE_CHECKING:
    import pandas as pd

    from ltpgap.merge import MergeResult, RecordedMerge
    from ltpgap.merge.model import PlaceRef


__all__ = [
    "FILE_PROBLEMS",
    "counts_overview",
    "file_progress",
    "ics_overview",
    "merge_command",
    "report_history",
    "report_merge",
]

WorkbooksArg = Annotated[
    list[Path],
    typer.Argument(
        # no dir_okay=False: a folder that `returns/*` picks up is one more unusable input,
        # named like a missing file (so --keep-going merges the others), not a usage error
        help="Place workbooks and the ICS team's workbook (e.g. out/*.xlsx).",
        metavar="PLACE.xlsx",
    ),
]
OutOption = Annotated[
    Path,
    typer.Option(
        "--out",
        help="The ICS workbook to write (.xlsx). If it exists (an earlier merge), places not given "
        "again keep their data and Checks lists every input changed since.",
        dir_okay=False,
    ),
]
MergeIcsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--ics",
        help="The ICS file (YAML: places, populations, rules; default: the embedded BLMK "
        "example), and/or the ICS team's workbook of ICS-level commitments (.xlsx), which is "
        "merged like the workbooks listed; repeat --ics to give both.",
        dir_okay=False,
        metavar="FILE",
    ),
]
FromOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--from",
        help="Older catalogue YAML some workbooks were built from (repeatable); their inputs "
        "are carried over to --catalogue for the merge.",
        dir_okay=False,
    ),
]
KeepGoingOption = Annotated[
    bool,
    typer.Option(
        "--keep-going",
        help="Merge the usable workbooks even if some cannot be merged, and report the rest "
        "(exit code 1 all the same); without it nothing is written when any workbook is "
        "unusable, or when data kept from the previous merge cannot be assessed or belongs "
        "to a place the ICS file no longer lists (exit code 1).",
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress output and no summary table.")
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        help=(
            "Worker processes for reading (default: one per usable CPU for 8+ files; "
            "1 reads in this process)."
        ),
        min=1,
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="History store to record this merge in: a SQLite file, or a URL such as "
        "postgresql+psycopg://user@host/db (default: ltpgap.sqlite beside --out).",
    ),
]
NoDbOption = Annotated[
    bool, typer.Option("--no-db", help="Do not record a snapshot (no History sheet).")
]
WhoOption = Annotated[
    str | None,
    typer.Option("--who", help="Who is merging, recorded with the snapshot (default: your login)."),
]

#: About the files given and the workbook written, as a merge and a roll-up both find them:
#: printed even when they are only warnings.
FILE_PROBLEMS = frozenset(
    {
        "report-workbook",
        "excel-lock-file",
        "workbook-open",
        "ics-workbook-additions",
        "matrix-result-edited",
    }
)
#: Problems about whole workbooks, printed even when they are only warnings or notes.
_SHOWN = FILE_PROBLEMS | frozenset(
    {
        "place-missing",
        "duplicate-place",
        "kept-data-damaged",
        "place-data-edited",
        "gap-table-copy",
        "place-name-conflict",
        "metadata-edited",
        "catalogue-migrated",
        "no-metadata",
    }
)

#: Exit code when the merge found an error: a workbook could not be merged or kept data could
#: not be used (nothing written, or, with --keep-going, written without it, as ``ltpgap push``
#: exits when one workbook cannot be pushed), or a merged workbook holds one (written).
EXIT_PROBLEMS = 1


@contextmanager
def file_progress(total: int, *, quiet: bool, verb: str) -> Iterator[Callable[[Path, bool], None]]:
    """A per-file progress callback: a rich bar on a terminal, one plain line each otherwise."""
    if quiet:
        yield lambda path, ok: None
        return
    if not err_console.is_terminal:

        def line(path: Path, ok: bool) -> None:
            # one whole line per file, however long its path (a log is searched by name)
            status = "ok" if ok else "NOT usable (see below)"
            err_console.print(f"{verb} {path}: {status}", soft_wrap=True)

        yield line
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=False) as bar:
        task = bar.add_task(verb, total=total)

        def advance(path: Path, ok: bool) -> None:
            mark = "" if ok else " [red](not usable)[/]"
            bar.update(task, advance=1, description=f"{verb} {path.name}{mark}")

        yield advance


def _pct(value: float) -> str:
    return "–" if value != value else f"{value:.0%}"


def counts_overview(title: str, rows: Sequence[tuple[str, pd.DataFrame]]) -> Table:
    """A compact table of RAG counts, one row per (label, frame with rag and must_do)."""
    from ltpgap.rag import summarise

    cells = []
    for name, frame in rows:
        row = summarise(frame).iloc[0]
        cells.append(
            [
                name,
                *(str(int(row[r])) for r in RAG_VALUES),
                _pct(row["pct_green"]),
                _pct(row["pct_assessed"]),
                str(int(row["must_do_red"])),
            ]
        )
    headers = (*RAG_VALUES, "% green", "% assessed", "must-dos at Red")
    return figures_table(title, "", headers, cells)


def ics_overview(result: MergeResult) -> Table:
    """RAG counts per place and for the ICS (the ICS summary printed after a merge)."""
    refused = result.refused

    def label(ref: PlaceRef) -> str:
        if ref.status != "kept":
            return ref.name
        return f"{ref.name} (kept{'; new workbook refused' if ref.id in refused else ''})"

    rows = [
        (label(s.ref), s.assessment.frame)
        for s in result.submissions
        if s.assessment is not None and s.scope == "place"
    ]
    rows.append(("ICS RAG", result.rollup.frame.rename(columns={"ics_rag": "rag"})))
    return counts_overview(f"{result.ics.name}: RAG per place and for the ICS", rows)


def report_merge(result: MergeResult, *, quiet: bool) -> None:
    """Print what a merge did: the summary table, then the problems that need attention."""
    if not quiet:
        console.print(ics_overview(result))
    urgent = [i for i in result.issues if i.severity is Severity.ERROR or i.code in _SHOWN]
    print_issues(urgent, title=f"{len(urgent)} problem(s) to act on")
    changed = len(result.changes)
    noted = len(result.issues)
    errors = sum(i.severity is Severity.ERROR for i in result.issues)
    kept = f"{len(result.submissions) - len(result.submitted())} kept from before"
    if result.unassessed:
        kept += f" ({len(result.unassessed)} not assessed)"
    units = [
        f"{len(result.submitted())} workbook(s) merged",
        kept,
        f"{len(result.skipped)} skipped",
    ]
    if result.dropped:
        units.append(f"{len(result.dropped)} left out (no longer in the ICS file)")
    checks = f"{noted} row(s) on the Checks sheet" + (
        f", {errors} of them error(s)" if errors else ""
    )
    since = f" ({changed} input(s) changed since the previous merge)" if changed else ""
    console.print(f"Wrote {result.out}: {', '.join(units)}; {checks}{since}.")


def report_history(recorded: RecordedMerge) -> None:
    """Print what the history store recorded (stdout) and refused (stderr, with where)."""
    issues = recorded.store_issues
    for issue in issues:
        if issue.severity is Severity.INFO:
            console.print(f"History ({issue.code}): {issue.message}", highlight=False)
    refused = [i for i in issues if i.severity is not Severity.INFO]
    print_issues(refused, title=f"{len(refused)} workbook(s) not recorded in the history store")


def _is_workbook(path: Path) -> bool:
    """True for an Excel workbook by name (.xlsx, .xlsm) or, whatever its name, by content."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    try:
        with path.open("rb") as f:
            return sniff(f).kind == "zip"
    except OSError:
        return False  # the YAML loader names the missing or unreadable file


def _split_ics(given: Sequence[Path]) -> tuple[Path | None, list[Path]]:
    """``--ics`` values as (the ICS file, the workbooks to merge with the others)."""
    books: list[Path] = []
    configs: list[Path] = []
    for path in given:
        (books if _is_workbook(path) else configs).append(path)
    if len(configs) > 1:
        raise typer.BadParameter(
            f"give one ICS file (YAML), not {len(configs)}: {', '.join(map(str, configs))}.",
            param_hint="--ics",
        )
    return (configs[0] if configs else None), books


@guarded
def merge_command(
    workbooks: WorkbooksArg,
    out: OutOption,
    ics: MergeIcsOption = None,
    catalogue: CatalogueOption = None,
    from_: FromOption = None,
    keep_going: KeepGoingOption = False,
    quiet: QuietOption = False,
    jobs: JobsOption = None,
    db: DbOption = None,
    no_db: NoDbOption = False,
    who: WhoOption = None,
) -> None:
    """Merge place workbooks and the ICS team's workbook into one ICS workbook (--out).

    Each workbook goes through the safety gate and the reader; its place comes from its
    hidden metadata. The ICS workbook has: Read me, ICS matrix (commitment × place RAG,
    ICS RAG, places counted and excluded, rule), summaries by place × chapter and programme
    area, Gaps, Snapshot, Checks and Place data (every input verbatim). Merging into an
    existing --out replaces resubmitted places and keeps the others. Each merge is recorded
    as a snapshot in the history store (ltpgap.sqlite beside --out, or --db), and the History
    sheet shows what moved since the previous snapshot. Exit codes: 0 merged; 1 an error was
    found (listed): a workbook could not be merged, or data kept from the previous merge could
    not be used (nothing written; with --keep-going the rest merged and written), or a merged
    workbook holds an error such as a missing input column or a repeated Para (written, the
    error on Checks). --ics takes the ICS file (YAML), the ICS team's workbook, or both
    (--ics blmk.yaml --ics blmk.xlsx).
    """
    from ltpgap.merge import merge_and_record

    ics_file, team = _split_ics(ics or [])
    workbooks = [*workbooks, *team]
    cat = load_catalogue(catalogue)
    older = [load_catalogue(p) for p in from_ or []]
    config = load_ics(ics_file)
    with (
        merge_store(db, no_db, out) as store,
        file_progress(len(workbooks), quiet=quiet, verb="reading") as progress,
    ):
        recorded = merge_and_record(
            workbooks,
            out=out,
            store=store,
            who=who,
            catalogue=cat,
            ics=config,
            keep_going=keep_going,
            from_catalogues=older,
            jobs=jobs,
            progress=progress,
        )
    result = recorded.result
    report_merge(result, quiet=quiet)
    report_history(recorded)
    if has_errors(result.issues):  # a file skipped, kept data unusable, or an error inside one
        raise typer.Exit(code=EXIT_PROBLEMS)
