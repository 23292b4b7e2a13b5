"""The `ltpgap` command line: one module per command, registered here."""

from __future__ import annotations

import typer

from ltpgap import __version__
from ltpgap.cli import catalogue
from ltpgap.cli import check as check_cmd
from ltpgap.cli import history as history_cmd
from ltpgap.cli import init as init_cmd
from ltpgap.cli import merge as merge_cmd
from ltpgap.cli import push as push_cmd
from ltpgap.cli import recompute as recompute_cmd
from ltpgap.cli import report as report_cmd
from ltpgap.cli import rollup as rollup_cmd
from ltpgap.cli import serve as serve_cmd
from ltpgap.cli import summary as summary_cmd
from ltpgap.cli import template as template_cmd

__all__ = ["app", "main"]

app = typer.Typer(
    name="ltpgap",
    help=(
        "NHS Long Term Plan gap analysis: build place workbooks from the commitments "
        "catalogue, recompute RAG ratings, merge places into an ICS view and export board reports."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(catalogue.app, name="catalogue")
app.command("history")(history_cmd.history)
app.command("init", no_args_is_help=True)(init_cmd.init_command)
app.command("template", no_args_is_help=True)(template_cmd.template_command)
app.command("recompute", no_args_is_help=True)(recompute_cmd.recompute_command)
app.command("check", no_args_is_help=True)(check_cmd.check_command)
app.command("summary", no_args_is_help=True)(summary_cmd.summary_command)
app.command("push", no_args_is_help=True)(push_cmd.push_command)
app.command("serve")(serve_cmd.serve_command)
app.command("report", no_args_is_help=True)(report_cmd.report_command)
app.command("merge", no_args_is_help=True)(merge_cmd.merge_command)
app.command("rollup", no_args_is_help=True)(rollup_cmd.rollup_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ltpgap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """NHS Long Term Plan gap analysis."""


def main() -> None:
    """Entry point of the `ltpgap` script."""
    app()
