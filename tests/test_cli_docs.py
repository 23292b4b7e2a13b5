"""Every command has --help text and a README entry (the sqlite-utils pattern)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from ltpgap.cli import app, reflow

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:
        if getattr(command, "commands", None):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}", sub)
        else:
            found.append((prefix, command))

    walk("ltpgap", root)
    return found


COMMANDS = _commands()


def test_there_are_commands() -> None:
    assert ("ltpgap catalogue check" in dict(COMMANDS)) and len(COMMANDS) >= 2


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help(path: str, command: Any) -> None:
    assert (command.help or "").strip(), f"{path} has no help text"
    for param in command.params:
        if getattr(param, "opts", None) and param.name != "help" and hasattr(param, "is_flag"):
            assert (param.help or "").strip(), f"{path} option {param.opts} has no help"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_is_in_readme(path: str, command: Any) -> None:
    assert f"`{path}" in README.read_text(encoding="utf-8"), f"README does not document `{path}`"


def test_help_through_the_real_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ltpgap", "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "catalogue" in proc.stdout


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_help_paragraphs_are_one_line_each(path: str, command: Any) -> None:
    """The terminal wraps help text; a line break kept from the docstring would break it again."""
    for paragraph in (command.help or "").split("\n\n"):
        assert "\n" not in paragraph.strip(), f"{path}: {paragraph[:60]!r}… keeps a line break"


def test_reflow_keeps_paragraphs_and_joins_their_lines() -> None:
    doc = """First line
        goes on.

        Second paragraph,
        on two lines.
    """
    assert reflow(doc) == "First line goes on.\n\nSecond paragraph, on two lines."


@pytest.mark.parametrize("argv", [["merge", "--help"], ["push", "--help"], ["serve", "--help"]])
def test_help_wraps_evenly_in_an_80_column_terminal(argv: list[str]) -> None:
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if "Usage:" in line) + 1
    stop = next(i for i, line in enumerate(lines) if line.lstrip().startswith("╭"))
    paragraphs: list[list[str]] = [[]]
    for line in lines[start:stop]:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    assert sum(len(p) for p in paragraphs) >= 3, result.output
    for paragraph in paragraphs:
        for line in paragraph[:-1]:  # only a paragraph's last line may be short
            assert len(line) >= 60, f"ragged wrap in {' '.join(argv)}: {line!r}"


#: An option's own row: its name near the panel's edge (a wrapped help line is indented far
#: more), then its short form, then its type, if it shows one.
_OPTION_ROW = re.compile(r"│\s{1,4}\*?\s{0,3}(--[\w-]+)(?:\s+-\w)?\s+(<[^>]+>)?")


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_flags_show_no_value_in_help(path: str, command: Any) -> None:
    """A flag is a bare switch in --help (``--force``), never ``--force <bool>``, which reads
    as if a value were wanted."""
    argv = [*path.split()[1:], "--help"]
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output, result.output
    shown = {
        m.group(1): m.group(2)
        for line in result.output.splitlines()
        if (m := _OPTION_ROW.match(line))
    }
    options = [p for p in command.params if getattr(p, "is_flag", None) is not None]
    assert all(p.opts[0] in shown for p in options), shown
    for param in options:
        if param.is_flag:
            assert shown[param.opts[0]] is None, (param.opts[0], shown[param.opts[0]])


def test_workbook_arguments_are_named_for_what_they_take() -> None:
    result = CliRunner().invoke(app, ["merge", "--help"], env={"COLUMNS": "200"})
    assert "Usage: ltpgap merge [OPTIONS] {PLACE.xlsx}..." in result.output, result.output


@pytest.mark.parametrize("argv", [["--help"], ["catalogue", "--help"]])
def test_group_help_shows_flags_bare(argv: list[str]) -> None:
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "--help" in result.output and "<bool>" not in result.output, result.output
