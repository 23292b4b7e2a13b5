"""The `ltpgap` command line: one module per command, registered here."""

from __future__ import annotations

import inspect

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
from ltpgap.cli._common import Command, Group

__all__ = ["app", "main", "reflow"]

app = typer.Typer(
    cls=Group,
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
app.command("history", cls=Command)(history_cmd.history)
app.command("init", no_args_is_help=True, cls=Command)(init_cmd.init_command)
app.command("template", no_args_is_help=True, cls=Command)(template_cmd.template_command)
app.command("recompute", no_args_is_help=True, cls=Command)(recompute_cmd.recompute_command)
app.command("check", no_args_is_help=True, cls=Command)(check_cmd.check_command)
app.command("summary", no_args_is_help=True, cls=Command)(summary_cmd.summary_command)
app.command("push", no_args_is_help=True, cls=Command)(push_cmd.push_command)
app.command("serve", cls=Command)(serve_cmd.serve_command)
app.command("report", no_args_is_help=True, cls=Command)(report_cmd.report_command)
app.command("merge", no_args_is_help=True, cls=Command)(merge_cmd.merge_command)
app.command("rollup", no_args_is_help=True, cls=Command)(rollup_cmd.rollup_command)


def reflow(doc: str) -> str:
    """A docstring as help text: each paragraph on one line, so the terminal wraps it.

    Typer prints a help text's line breaks as they are; docstrings are wrapped at 90-odd
    characters for the source, which in an 80-column terminal gives a short line after every
    long one.
    """
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _reflow_commands(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        if info.help is None and info.callback is not None and info.callback.__doc__:
            info.help = reflow(info.callback.__doc__)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _reflow_commands(group.typer_instance)


_reflow_commands(app)


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
