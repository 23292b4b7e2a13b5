"""`ltpgap summary`: a workbook's RAG counts, by chapter or programme area, and commitments."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.table import Table

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.cli._common import CatalogueOption, console, err_console, figures_table, guarded
from ltpgap.schema import RAG_COLOURS, RAG_VALUES

if TYPE_CHECKING:
    import pandas as pd

    from ltpgap.rag.summary import GroupBy
    from ltpgap.workbook import WorkbookSummary


WorkbookArg = Annotated[
    Path, typer.Argument(help="A place, ICS-team or ICS workbook.", dir_okay=False)
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Also break the counts down: chapter or programme_area.")
]
FormatOption = Annotated[str, typer.Option("--format", help="table (default), json or csv.")]

_BY = ("chapter", "programme_area")
_FORMATS = ("table", "json", "csv")


def _number(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def _by_rows(summary: WorkbookSummary, by: GroupBy, catalogue: Catalogue) -> list[dict[str, Any]]:
    from ltpgap.rag import summarise

    table = summarise(summary.frame, by, catalogue=catalogue)
    return [{str(k): _number(v) for k, v in row.items()} for row in table.to_dict("records")]


def as_json(summary: WorkbookSummary, by: GroupBy | None, catalogue: Catalogue) -> dict[str, Any]:
    """The JSON form of `ltpgap summary` (see the place-planner guide)."""
    from ltpgap.rag import rag_counts

    commitments = []
    for row in summary.frame.itertuples(index=False):
        item: dict[str, Any] = {"id": str(row.para), "rag": row.rag, "reason": row.reason}
        if summary.places is not None:
            item["places"] = dict(summary.places.get(str(row.para), {}))
        commitments.append(item)
    out: dict[str, Any] = {
        "workbook": str(summary.workbook),
        "level": summary.level,
        "catalogue": {"id": summary.catalogue_id, "version": summary.catalogue_version},
        "counts": rag_counts(summary.frame),
        "commitments": commitments,
    }
    if by:
        out["by"] = {by: _by_rows(summary, by, catalogue)}
    return out


def as_csv(summary: WorkbookSummary, by: GroupBy | None, catalogue: Catalogue) -> str:
    """CSV of the summary table: one row per group with --by, else one overall row."""
    from ltpgap.rag import summarise
    from ltpgap.workbook import escape_formula

    table = (
        summarise(summary.frame, by, catalogue=catalogue)
        if by
        else summarise(summary.frame, None).assign(workbook=str(summary.workbook))
    )
    if not by:
        table = table[["workbook", *[c for c in table.columns if c != "workbook"]]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(table.columns))
    for row in table.itertuples(index=False):
        writer.writerow(
            [
                ""
                if _number(v) is None
                else escape_formula(v)
                if isinstance(v, str)
                else _number(v)
                for v in row
            ]
        )
    return buffer.getvalue()


def _pct(value: Any) -> str:
    return (
        "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.0%}"
    )


def _rag_header(rag: str) -> str:
    fill, text = RAG_COLOURS[rag]
    return f"[#{text} on #{fill}]{rag}[/]" if rag in ("Red", "Amber", "Green") else rag


def counts_table(
    frame: pd.DataFrame, by: GroupBy | None, catalogue: Catalogue, title: str
) -> Table:
    """A rich table of RAG counts, % green, % assessed and must-dos at Red."""
    from ltpgap.rag import summarise
    from ltpgap.workbook import chapter_label

    names = catalogue.programme_area_names
    rows = []
    for row in summarise(frame, by, catalogue=catalogue).to_dict("records"):
        head = []
        if by:
            key = row[by]
            head = [chapter_label(key) if by == "chapter" else names.get(str(key), str(key))]
        rows.append(
            [
                *head,
                *(str(row[r]) for r in RAG_VALUES),
                str(row["total"]),
                _pct(row["pct_green"]),
                _pct(row["pct_assessed"]),
                str(row["must_do_red"]),
            ]
        )
    label = {"chapter": "chapter", "programme_area": "programme area"}.get(by) if by else None
    headers = [_rag_header(r) for r in RAG_VALUES]
    headers += ["total", "% green", "% assessed", "must-dos at Red"]
    return figures_table(title, label, headers, rows)


def print_summary(summary: WorkbookSummary, by: GroupBy | None, catalogue: Catalogue) -> None:
    """Print a workbook's summary as rich tables (used by the command and the demo)."""
    from ltpgap.rag.summary import must_do_red_rows

    who = summary.unit_name or summary.unit_id or summary.workbook.name
    console.print(
        counts_table(summary.frame, None, catalogue, f"{who}: {summary.workbook} ({summary.level})")
    )
    if by:
        console.print(
            counts_table(summary.frame, by, catalogue, f"{who} by {by.replace('_', ' ')}")
        )
    paras = summary.frame["para"].tolist()
    red = [str(paras[i]) for i in must_do_red_rows(summary.frame)]
    if red:
        console.print("Must-dos at Red: " + ", ".join(red))


@guarded
def summary_command(
    workbook: WorkbookArg,
    by: ByOption = None,
    fmt: FormatOption = "table",
    catalogue: CatalogueOption = None,
) -> None:
    """Summarise a workbook: counts of Green, Amber, Red, Not assessed and N/A, % green, % assessed.

    RAGs are computed from the inputs, so the summary is right even before `recompute`.
    --format json adds every commitment with its RAG and reason (and, for an ICS workbook,
    each place's RAG); csv gives the counts table.
    """
    from ltpgap.workbook import summarise_workbook

    if by is not None and by not in _BY:
        raise typer.BadParameter("use --by chapter or --by programme_area", param_hint="--by")
    if fmt not in _FORMATS:
        raise typer.BadParameter("use --format table, json or csv", param_hint="--format")
    group = cast("GroupBy | None", by)
    cat = load_catalogue(catalogue)
    summary = summarise_workbook(workbook, catalogue=cat)
    if fmt == "json":
        typer.echo(json.dumps(as_json(summary, group, cat), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        typer.echo(as_csv(summary, group, cat), nl=False)
    else:
        print_summary(summary, group, cat)
        if summary.issues:
            err_console.print(
                f"{len(summary.issues)} problem(s) noted in {workbook.name}; "
                f"run `ltpgap check {workbook}` to list them."
            )
