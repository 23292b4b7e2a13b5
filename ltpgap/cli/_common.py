"""What every command shares: consoles, problem reporting and exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar, cast

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand, TyperGroup, TyperOption

from ltpgap.issues import Issue, LtpgapError, Severity

__all__ = [
    "CatalogueOption",
    "Command",
    "Group",
    "IcsOption",
    "console",
    "err_console",
    "figures_table",
    "guarded",
    "issues_table",
    "print_issues",
]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class _BareFlags:
    """Help that shows a flag as a bare switch: ``--force``, not ``--force <bool>``.

    Typer's help prints each option's value type beside it, flags included, which reads as if
    ``--force true`` were wanted (and ``ltpgap merge a.xlsx --keep-going true`` would take
    ``true`` for a workbook). Every ``ltpgap`` command and group is made with this.
    """

    def format_help(self, ctx: Any, formatter: Any) -> None:
        flags = [
            p
            for p in cast(Any, self).get_params(ctx)
            if isinstance(p, TyperOption) and p.is_flag and p.metavar is None
        ]
        for flag in flags:
            flag.metavar = ""  # shown as no type at all
        try:
            super().format_help(ctx, formatter)  # type: ignore[misc]
        finally:
            for flag in flags:
                flag.metavar = None


class Command(_BareFlags, TyperCommand):
    """An ``ltpgap`` command (``app.command(..., cls=Command)``)."""


class Group(_BareFlags, TyperGroup):
    """An ``ltpgap`` command group (``typer.Typer(cls=Group)``)."""


CatalogueOption = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        help="Catalogue YAML file (default: the commitments.yaml shipped with ltpgap).",
        dir_okay=False,
    ),
]
IcsOption = Annotated[
    Path | None,
    typer.Option(
        "--ics",
        help="ICS configuration YAML (default: the embedded BLMK example).",
        dir_okay=False,
    ),
]

P = ParamSpec("P")
R = TypeVar("R")

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def issues_table(issues: Sequence[Issue], *, title: str | None = None, limit: int = 200) -> Table:
    """A rich table of problems: severity, code, where, commitment, message."""
    table = Table(title=title, show_lines=False, expand=False)
    for name in ("severity", "code", "where", "para", "message"):
        table.add_column(name, overflow="fold")
    for issue in issues[:limit]:
        table.add_row(
            f"[{_STYLE[issue.severity]}]{issue.severity.value}[/]",
            issue.code,
            str(issue.where),
            issue.commitment or "",
            issue.message,
        )
    if len(issues) > limit:
        table.add_row("", "", "", "", f"… +{len(issues) - limit} more")
    return table


def figures_table(
    title: str, label: str | None, headers: Sequence[str], rows: Sequence[Sequence[str]]
) -> Table:
    """A compact table: a label column (unless ``label`` is None), then figures never cut.

    Rich fits a table to the console (80 columns when the output is not a terminal: a pipe,
    a log, CI) by shrinking or cutting columns. Each figure column is therefore fixed at its
    longest header word or figure, its header wrapping between words; only the labels wrap
    (a long name onto more lines), so every figure prints whole down to about 60 columns.
    """
    table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 0))
    first = 0 if label is None else 1
    if label is not None:
        table.add_column(label, overflow="fold")
    for i, header in enumerate(headers, start=first):
        words = [*Text.from_markup(header).plain.split(), *(row[i] for row in rows)]
        table.add_column(header, justify="right", width=max(map(cell_len, words)))
    for row in rows:
        table.add_row(*row)
    return table


def print_issues(issues: Sequence[Issue], *, title: str | None = None) -> None:
    """Print problems to stderr: a table on a terminal, one line each otherwise."""
    if not issues:
        return
    if err_console.is_terminal:
        err_console.print(issues_table(issues, title=title))
    else:
        if title:
            print(title, file=sys.stderr)
        for issue in issues:
            print(str(issue), file=sys.stderr)


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Turn :class:`LtpgapError` and OS errors into a located message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except LtpgapError as exc:
            head = str(exc).splitlines()[0]
            print_issues(exc.issues, title=f"ltpgap: {head}")
            raise typer.Exit(code=1) from None
        except PermissionError as exc:
            # On Windows a workbook open in Excel is locked: the usual reason by far.
            name = exc.filename2 or exc.filename or ""
            err_console.print(
                f"ltpgap: {name or 'a file'} cannot be opened or replaced (permission denied). "
                "If it is open in Excel (or another program), close it and run the command "
                "again; otherwise check that you may write to that folder.",
                highlight=False,
                soft_wrap=True,  # never break the file name
            )
            raise typer.Exit(code=1) from None
        except OSError as exc:
            err_console.print(
                f"ltpgap: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(code=1) from None

    return wrapper


def exit_for(issues: Sequence[Issue]) -> Any:
    """Exit 1 when any problem is an error."""
    if any(i.severity is Severity.ERROR for i in issues):
        raise typer.Exit(code=1)
    return None
