"""The pure core (ltpgap.catalogue, ltpgap.rag) never imports openpyxl or xlwings."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import ltpgap

ROOT = Path(ltpgap.__file__).parent
CORE = ("catalogue", "rag")
FORBIDDEN = ("openpyxl", "xlwings")


def _sources() -> list[Path]:
    return sorted(p for pkg in CORE for p in (ROOT / pkg).rglob("*.py"))


def _callee(node: ast.Call) -> str:
    return str(getattr(node.func, "id", "") or getattr(node.func, "attr", ""))


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and _callee(node) in ("__import__", "import_module"):
            names.update(a.value for a in node.args if isinstance(a, ast.Constant))
    return {str(n) for n in names}


def test_the_core_has_source_files() -> None:
    assert {p.parent.name for p in _sources()} >= set(CORE)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_core_module_imports_excel_libraries(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    bad = {n for n in _imported(ast.parse(text)) if n.split(".")[0] in FORBIDDEN}
    assert not bad, f"{path} imports {sorted(bad)}; the pure core must not"
    for name in FORBIDDEN:  # strings too: importlib tricks, lazy imports in text
        assert f"import {name}" not in text and f"from {name}" not in text


def test_importing_the_core_loads_no_excel_library() -> None:
    modules = [
        info.name
        for pkg in CORE
        for info in pkgutil.walk_packages([str(ROOT / pkg)], prefix=f"ltpgap.{pkg}.")
    ]
    code = (
        "import importlib, json, sys\n"
        f"for m in {['ltpgap.catalogue', 'ltpgap.rag', *modules]!r}:\n"
        "    importlib.import_module(m)\n"
        f"print(json.dumps(sorted(k for k in sys.modules if k.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(done.stdout) == []
    assert len(modules) >= 6


def test_the_checker_would_notice(tmp_path: Path) -> None:
    source = "import openpyxl.styles\nfrom xlwings import Book\nimportlib.import_module('xlwings')"
    assert _imported(ast.parse(source)) == {"openpyxl.styles", "xlwings"}
