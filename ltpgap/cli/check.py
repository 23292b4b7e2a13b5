"""`ltpgap check`: list every problem in one or more workbooks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ltpgap._sniff import lock_file
from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.cli._common import CatalogueOption, console, exit_for, guarded, issues_table
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue, only

WorkbooksArg = Annotated[
    list[Path],
    typer.Argument(help="One or more workbooks to check.", dir_okay=False, metavar="WORKBOOK.xlsx"),
]
FormatOption = Annotated[str, typer.Option("--format", help="table (default) or json.")]


def _ics_workbook_issues(path: Path, scope: str, catalogue: Catalogue) -> list[Issue]:
    """An ICS (or region/national) workbook: what was changed in it by hand since it was
    written, then the problems its Checks sheet recorded at merge."""
    from ltpgap.merge import read_ics_workbook
    from ltpgap.merge._carry import additions_ahead, edits_ahead
    from ltpgap.merge._typed_over import edited_by_hand
    from ltpgap.merge.ics_data import matrix_problems

    book = read_ics_workbook(path)
    issues = [
        *matrix_problems(book, catalogue),
        *edited_by_hand(book, catalogue),
        *additions_ahead(book),
        *edits_ahead(book),
        make_issue(
            "ics-workbook-checks",
            f"this is an ICS workbook ({scope}) written by `ltpgap merge`; listing the "
            f"{len(book.checks)} problem(s) on its Checks sheet. To check a place's inputs, run "
            "`ltpgap check` on the place workbook itself.",
            where=Where(file=str(path), sheet="Checks"),
        ),
    ]
    for row in book.checks.to_dict("records"):
        severity = str(row.get("severity") or "warning")
        issues.append(
            Issue(
                code=str(row.get("code") or ""),
                message=str(row.get("message") or ""),
                where=Where(
                    file=str(row.get("workbook") or path),
                    sheet=str(row.get("sheet") or "") or None,
                    cell=str(row.get("cell") or "") or None,
                ),
                severity=Severity(severity)
                if severity in Severity._value2member_map_
                else (Severity.WARNING),
                commitment=str(row.get("para") or "") or None,
            )
        )
    return issues


def workbook_issues(path: Path, catalogue: Catalogue) -> list[Issue]:
    """Every problem in one workbook: unreadable, reader, catalogue and RAG checks."""
    from ltpgap.merge import probe_scope
    from ltpgap.merge._carry import lock_left_out, report_left_out
    from ltpgap.workbook import assess_workbook, check_rewritable

    if (lock := lock_file(path)) is not None:  # picked up by a glob while a workbook is open
        return [lock_left_out(path, lock, "check")]
    scope = probe_scope(path)
    if scope is not None:
        return _ics_workbook_issues(path, scope, catalogue)
    try:
        result = assess_workbook(path, catalogue=catalogue)
    except LtpgapError as exc:
        if only(exc.issues, "report-workbook"):  # out/*.xlsx found it
            return [report_left_out(path, "check")]
        return list(exc.issues)
    except OSError as exc:
        code = "file-not-found" if isinstance(exc, FileNotFoundError) else "unreadable-workbook"
        reason = exc.strerror or str(exc)
        return [
            make_issue(code, f"cannot open the workbook: {reason}.", where=Where(file=str(path)))
        ]
    issues = list(result.issues)
    # Not a problem with the inputs, but worth knowing before running recompute.
    issues += [
        Issue(code=i.code, message=i.message, where=i.where, severity=Severity.WARNING)
        for i in check_rewritable(path)
    ]
    return issues


@guarded
def check_command(
    workbooks: WorkbooksArg, catalogue: CatalogueOption = None, fmt: FormatOption = "table"
) -> None:
    """List every problem in the workbooks (code, file › sheet › cell, message); nothing is changed.

    Exit code 1 when any problem is an error, 0 otherwise.
    """
    if fmt not in ("table", "json"):
        raise typer.BadParameter("use --format table or --format json", param_hint="--format")
    cat = load_catalogue(catalogue)
    issues = [i for path in workbooks for i in workbook_issues(path, cat)]
    if fmt == "json":
        typer.echo(json.dumps([i.as_dict() for i in issues], indent=2, ensure_ascii=False))
    else:
        count = Counter(i.severity.value for i in issues)
        # Piped or redirected: a wide table, so codes and locations are not folded.
        out = console if console.is_terminal else Console(width=240, highlight=False)
        if issues:
            out.print(issues_table(issues, limit=10_000))
        out.print(
            f"{len(workbooks)} workbook(s): {count['error']} error(s), {count['warning']} "
            f"warning(s), {count['info']} note(s)."
            if issues
            else f"{len(workbooks)} workbook(s): no problems found."
        )
    exit_for(issues)
