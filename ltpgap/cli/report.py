"""`ltpgap report`: the governing-body report (SPEC §10) as PowerPoint, PDF and Excel."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from ltpgap.cli._common import (
    CatalogueOption,
    IcsOption,
    console,
    err_console,
    guarded,
    print_issues,
)
from ltpgap.cli._store import beside, open_history, shown
from ltpgap.issues import LtpgapError, Where, make_issue

if TYPE_CHECKING:
    from ltpgap.catalogue import Catalogue
    from ltpgap.reports import Movement, ReportData
    from ltpgap.reports.write import Progress

__all__ = ["report_command"]

WorkbookArg = Annotated[
    Path,
    typer.Argument(
        help="The ICS workbook written by `ltpgap merge` (or one place's workbook).",
        dir_okay=False,
    ),
]
OutOption = Annotated[
    Path,
    typer.Option("--out", help="Folder to write report.pptx, report.pdf and report.xlsx into."),
]
FormatOption = Annotated[
    str, typer.Option("--format", help="Comma-separated formats: pptx, pdf, xlsx (default: all).")
]


MeetingOption = Annotated[
    str | None, typer.Option("--meeting", help="Cover: the meeting, e.g. 'Governing Body'.")
]
DateOption = Annotated[
    str | None, typer.Option("--date", help="Cover: the date of the meeting, e.g. '18 July 2019'.")
]
PurposeOption = Annotated[
    str | None, typer.Option("--purpose", help="Cover: the purpose of the paper.")
]
RecommendationOption = Annotated[
    str | None, typer.Option("--recommendation", help="Cover: what the meeting is asked to do.")
]
RisksOption = Annotated[str | None, typer.Option("--key-risks", help="Cover: the key risks.")]
AuthorsOption = Annotated[
    str | None, typer.Option("--authors", help="Cover: the report's authors.")
]
OrganisationOption = Annotated[
    str | None,
    typer.Option("--organisation", help="Cover and document properties: the organisation."),
]
TitleOption = Annotated[str | None, typer.Option("--title", help="Cover: the report title.")]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="History store (SQLite file or PostgreSQL URL) for movement since the last report "
        "(default: ltpgap.sqlite beside the workbook, when there is one).",
    ),
]
NoDbOption = Annotated[
    bool, typer.Option("--no-db", help="Leave movement out, even if a history store is found.")
]


def parse_formats(value: str) -> list[str]:
    """``"pdf, PPTX"`` → ``["pdf", "pptx"]``; unknown names are a usage error."""
    from ltpgap.reports.write import FORMATS

    asked = [f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()]
    bad = [f for f in asked if f not in FORMATS]
    if bad or not asked:
        raise typer.BadParameter(
            f"{', '.join(bad) or 'nothing'} is not a report format; use any of "
            f"{', '.join(FORMATS)}, comma-separated.",
            param_hint="--format",
        )
    return list(dict.fromkeys(asked))


def _check_store(db: str) -> None:
    """Refuse a --db that names no store before reading anything."""
    if "://" not in db and not Path(db).expanduser().exists():
        raise LtpgapError(
            [
                make_issue(
                    "file-not-found",
                    f"no history store at {db!r}. Snapshots are recorded by "
                    "`ltpgap merge … --db FILE`; give that file (or a PostgreSQL URL) with --db.",
                    where=Where(file=db),
                )
            ]
        )


def _default_db(db: str | None, no_db: bool, workbook: Path) -> str | None:
    """--db as given; else the ``ltpgap.sqlite`` beside the workbook if there is one."""
    if no_db:
        if db is not None:
            raise typer.BadParameter("give either --db or --no-db, not both.", param_hint="--db")
        return None
    if db is not None:
        return db
    found = beside(workbook)
    return str(found) if found.is_file() else None


def _movement(db: str, data: ReportData, catalogue: Catalogue) -> Movement | None:
    from ltpgap.reports.history import movement_from_store

    ics_id = data.subject.id if data.scope == "ics" else data.ics_id
    place = None if data.scope == "ics" else data.subject.id
    with open_history(db) as store:
        return movement_from_store(store, ics_id, catalogue=catalogue, place=place)


def _movement_note(data: ReportData, db: str | None) -> str:
    if db is None:
        return "none (no history store: merge records one, or give --db)"
    if data.movement is None:
        return f"no previous snapshot on record in {shown(db)}"
    return f"since snapshot {data.movement.previous}, from {shown(db)}"


@guarded
def report_command(
    workbook: WorkbookArg,
    out: OutOption,
    fmt: FormatOption = "pptx,pdf,xlsx",
    meeting: MeetingOption = None,
    date: DateOption = None,
    purpose: PurposeOption = None,
    recommendation: RecommendationOption = None,
    key_risks: RisksOption = None,
    authors: AuthorsOption = None,
    organisation: OrganisationOption = None,
    title: TitleOption = None,
    ics: IcsOption = None,
    catalogue: CatalogueOption = None,
    db: DbOption = None,
    no_db: NoDbOption = False,
) -> None:
    """Export the governing-body report: editable PowerPoint, accessible PDF, summary workbook.

    Reads the ICS workbook from `ltpgap merge` (or a place workbook) without Excel and writes
    report.pptx, report.pdf and report.xlsx into --out. Cover fields not given here come from
    the ICS file's `report:` block. With a history store (--db, or ltpgap.sqlite beside the
    workbook), the report shows movement since the last snapshot and the trend of % green.
    """
    formats = parse_formats(fmt)
    db = _default_db(db, no_db, workbook)
    from ltpgap.catalogue import load_catalogue
    from ltpgap.ics import load_ics
    from ltpgap.reports import Cover, load_report_data
    from ltpgap.reports.write import check_formats, write_report

    if db is not None:
        _check_store(db)
    cat = load_catalogue(catalogue)
    config = load_ics(ics)
    cover = Cover().updated(
        title=title,
        organisation=organisation,
        meeting=meeting,
        date=date,
        purpose=purpose,
        recommendation=recommendation,
        key_risks=key_risks,
        authors=authors,
    )
    data = load_report_data(workbook, config, cover, catalogue=cat)
    print_issues(data.warnings, title=f"{len(data.warnings)} problem(s) to act on")
    check_formats(formats)  # before anything is written: every format can be
    if db is not None:
        data = data.with_movement(_movement(db, data, cat))
    with _writing(len(formats)) as progress:
        write_report(data, out, formats, progress=progress)
    reds = len(data.gaps)
    console.print(
        f"Report on {data.subject.name} from {data.source}, as at {data.as_at_text}: "
        f"{len(data.must_dos_red)} must-do(s) at Red, {reds} gap(s) listed; movement: "
        + _movement_note(data, db)
        + "."
    )


@contextmanager
def _writing(total: int) -> Iterator[Progress]:
    """'wrote report.pptx' as each file is written (a log shows how far it got); on a
    terminal, also a bar naming the file under way (a national PDF takes a minute or more)."""
    if not err_console.is_terminal:
        yield lambda path, done: console.print(f"wrote {path}", soft_wrap=True) if done else None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with RichProgress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("writing", total=total)

        def step(path: Path, done: bool) -> None:
            if done:
                bar.advance(task)
                console.print(f"wrote {path}", soft_wrap=True)  # above the bar
            else:
                bar.update(task, description=f"writing {path.name}", refresh=True)

        yield step
