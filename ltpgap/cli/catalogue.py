"""`ltpgap catalogue …`: check and summarise a catalogue file."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ltpgap.catalogue import check_catalogue
from ltpgap.cli._common import Command, Group, console, exit_for, guarded, print_issues
from ltpgap.issues import LtpgapError, Severity

app = typer.Typer(
    cls=Group,
    help="Check and summarise the LTP commitments catalogue (commitments.yaml).",
    no_args_is_help=True,
)

FileArg = Annotated[
    Path | None,
    typer.Argument(
        help="Catalogue YAML file (default: the shipped commitments.yaml).", dir_okay=False
    ),
]


@app.command("check", cls=Command)
@guarded
def check(file: FileArg = None) -> None:
    """Validate a catalogue: exit 0 when valid, else list every error (file:line, id, fix)."""
    catalogue, issues = check_catalogue(file)
    print_issues(issues, title=f"{len(issues)} problem(s) in the catalogue")
    if catalogue is None:
        raise typer.Exit(code=1)
    console.print(
        f"OK: {catalogue.path}: {len(catalogue)} commitments, catalogue "
        f"{catalogue.info.id} {catalogue.info.version}"
        + (f" ({len(issues)} warning(s))" if issues else "")
    )
    exit_for(issues)


@app.command("show", cls=Command)
@guarded
def show(
    file: FileArg = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Summarise a catalogue: counts by chapter and programme area, paragraphs verified."""
    catalogue, issues = check_catalogue(file)
    if catalogue is None:
        raise LtpgapError([i for i in issues if i.severity is Severity.ERROR])
    by_chapter = Counter(c.chapter for c in catalogue)
    by_area = Counter(c.programme_area for c in catalogue)
    by_level = Counter(c.level for c in catalogue)
    verified = sum(c.provenance.para_verified for c in catalogue)
    must_dos = sum(c.must_do for c in catalogue)
    if fmt == "json":
        console.print_json(
            json.dumps(
                {
                    "catalogue": {"id": catalogue.info.id, "version": catalogue.info.version},
                    "commitments": len(catalogue),
                    "by_chapter": {str(k): by_chapter[k] for k in sorted(by_chapter)},
                    "by_programme_area": {a.id: by_area[a.id] for a in catalogue.programme_areas},
                    "by_level": dict(by_level),
                    "must_do": must_dos,
                    "para_verified": verified,
                    "headline_metrics": len(catalogue.headline_metrics),
                }
            )
        )
        return
    if fmt != "table":
        raise typer.BadParameter("use --format table or --format json")
    console.print(
        f"[bold]{catalogue.info.title}[/] — {catalogue.info.id} {catalogue.info.version}\n"
        f"{catalogue.info.source}\n"
    )
    chapters = Table("chapter", "commitments", "must-do", title="By LTP chapter")
    for ch in sorted(by_chapter):
        chapters.add_row(
            str(ch), str(by_chapter[ch]), str(sum(c.must_do for c in catalogue if c.chapter == ch))
        )
    areas = Table("programme area", "commitments", title="By programme area")
    for area in catalogue.programme_areas:
        areas.add_row(area.name, str(by_area[area.id]))
    console.print(chapters)
    console.print(areas)
    console.print(
        f"{len(catalogue)} commitments; {must_dos} national must-dos; levels "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_level.items()))
        + f"; {len(catalogue.headline_metrics)} headline metrics.\n"
        f"Paragraph numbers verified against LTP text: {verified} of {len(catalogue)} "
        f"({len(catalogue) - verified} marked unverified in provenance)."
    )


@app.command("diff", no_args_is_help=True, cls=Command)
@guarded
def diff(
    old: Annotated[Path, typer.Argument(help="The older catalogue YAML.", dir_okay=False)],
    new: Annotated[Path, typer.Argument(help="The newer catalogue YAML.", dir_okay=False)],
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """List, per commitment, what pushing catalogue NEW into workbooks built on OLD changes."""
    from ltpgap.catalogue import load_catalogue
    from ltpgap.catalogue.migration import plan_migration

    if fmt not in ("text", "json"):
        raise typer.BadParameter("use --format text or --format json", param_hint="--format")
    plan = plan_migration(load_catalogue(old), load_catalogue(new))
    if fmt == "json":
        typer.echo(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(plan.describe())
