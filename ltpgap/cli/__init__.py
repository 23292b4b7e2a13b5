"""The `ltpgap` command line: one module per command, registered here."""

from __future__ import annotations

import typer

from ltpgap import __version__
from ltpgap.cli import catalogue

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
