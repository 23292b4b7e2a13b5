"""Every command has --help text and a README entry (the sqlite-utils pattern)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main

from ltpgap.cli import app

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
