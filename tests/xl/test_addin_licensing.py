"""The core and the command line need no xlwings PRO code: they never import xlwings at all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK_SERVER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"xlwings_server", "uvicorn", "fastapi"}:
            raise ImportError(name)
sys.meta_path.insert(0, Block())
from ltpgap.cli import main
sys.argv = ["ltpgap", *sys.argv[1:]]
main()
"""


def _python(
    code: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"} | (env or {})
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=base,
    )


def test_core_cli_and_operations_do_not_import_xlwings() -> None:
    code = (
        "import json, sys, pkgutil, importlib, ltpgap.cli, ltpgap.catalogue, ltpgap.rag, "
        "ltpgap.xl, ltpgap.xl.operations, ltpgap.xl.rights, ltpgap.xl.tokens\n"
        "for m in pkgutil.iter_modules(ltpgap.cli.__path__): "
        "importlib.import_module('ltpgap.cli.' + m.name)\n"
        "print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in "
        "('xlwings', 'xlwings_server', 'fastapi', 'uvicorn'))))"
    )
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_serve_help_works_without_the_server_extra() -> None:
    proc = _python(BLOCK_SERVER, "serve", "--help", env={"COLUMNS": "100"})
    assert proc.returncode == 0, proc.stderr
    assert "--port" in proc.stdout and "127.0.0.1" in proc.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [({}, "no xlwings PRO licence key")],
)
def test_serve_refuses_without_a_licence_key(
    env: dict[str, str], message: str, tmp_path: Path
) -> None:
    proc = _python(
        BLOCK_SERVER.replace('{"xlwings_server", "uvicorn", "fastapi"}', "set()"),
        "serve",
        "--env-file",
        str(tmp_path / "none.env"),
        env=env,
    )
    assert proc.returncode == 1
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_serve_explains_a_missing_extra() -> None:
    proc = _python(BLOCK_SERVER, "serve", env={"XLWINGS_LICENSE_KEY": "noncommercial"})
    assert proc.returncode == 1
    assert "ltpgap[server]" in proc.stderr and "Traceback" not in proc.stderr


def test_the_licence_statement_is_documented() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for phrase in (
        "PolyForm Noncommercial",
        "public health organisations",
        "government institutions",
        "XLWINGS_LICENSE_KEY",
        "BSD",
        "confirm its position with the vendor",
    ):
        assert phrase in text, phrase
