"""xlwings Lite: a pure-Python wheel whose Lite entry point loads nothing Pyodide lacks."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from officejs import merged_workbook, payload_from_xlsx, place_payload

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.xl.scripts import RECOMPUTE_SHEETS

ROOT = Path(__file__).resolve().parents[2]

#: What the Lite path must never import: C extensions Pyodide does not ship, and the server.
BLOCKED = (
    "openpyxl",
    "python_calamine",
    "fastexcel",
    "xlwings_server",
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "sqlalchemy",
    "psycopg",
    "pptx",
    "weasyprint",
    "matplotlib",
    "lxml",
    "ssl",
    "_ssl",
    "sqlite3",
    "_sqlite3",
    "multiprocessing",
    "tkinter",
    "typer",
    "rich",
)
#: Packages with compiled parts that Pyodide ships (or that xlwings Lite brings).
ALLOWED_NATIVE = ("numpy", "pandas", "yaml", "_yaml", "xlwings", "xlwingslib")

PROBE = """
import importlib.abc, json, os, sys
blocked = set(sys.argv[2].split(","))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ImportError(f"blocked in xlwings Lite: {name}")
        return None
sys.meta_path.insert(0, Block())

def native():
    return {name.split(".")[0] for name, m in list(sys.modules.items())
            if str(getattr(m, "__file__", "") or "").endswith((".so", ".pyd"))}

# What xlwings Lite itself brings (its xlwings, pandas, numpy, PyYAML) before ltpgap loads.
import numpy, pandas, yaml, xlwings as xw
xw.Book(json={"client": "Office.js", "version": "0", "book": {"name": "b", "active_sheet_index": 0},
              "names": [], "sheets": [{"name": "S", "values": [[1]], "tables": []}]}
        ).sheets[0]["A1"].value
before = native()
import ltpgap.xl.lite as lite
from ltpgap.xl.runtime import current
book = xw.Book(json=json.load(open(sys.argv[1])))
lite.recompute(book)  # what the Lite button runs (shipped catalogue, package data)
print(json.dumps({
    "ltpgap": __import__("ltpgap").__file__, "runtime": current().name,
    "actions": [a["func"] for a in book.json()["actions"]],
    "added_native": sorted(native() - before),
    "blocked_loaded": sorted(b for b in blocked if b in sys.modules),
    "scripts": sorted(n for n in ("check", "push_catalogue", "recompute")
                      if callable(getattr(lite, n))),
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("hatchling") is None:
        pytest.skip("hatchling (dev extra) is needed to build the wheel offline")
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (found,) = out.glob("ltpgap-*.whl")
    return found


def test_wheel_is_pure_python(wheel: Path) -> None:
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
    assert "Root-Is-Purelib: true" in meta and "Tag: py3-none-any" in meta
    assert not [n for n in names if n.endswith((".so", ".pyd", ".dylib", ".dll"))]
    assert "ltpgap/data/commitments.yaml" in names  # the catalogue is package data
    assert "ltpgap/xl/lite.py" in names


def test_lite_path_imports_only_what_pyodide_has(
    wheel: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    (tmp_path / "payload.json").write_text(json.dumps(place_payload(catalogue)))
    env = {
        "PYTHONPATH": str(site),
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "payload.json"), ",".join(BLOCKED)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["ltpgap"].startswith(str(site))  # the wheel's package, not the checkout
    assert report["runtime"] == "lite"
    assert report["scripts"] == ["check", "push_catalogue", "recompute"]
    assert report["actions"][:1] == ["setValues"]  # no protection calls under Lite
    assert set(report["added_native"]) <= set(ALLOWED_NATIVE), report["added_native"]
    assert report["blocked_loaded"] == []


def test_shipped_catalogue_loads_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    code = (
        "import ltpgap.catalogue as c; cat = c.load_catalogue(); "
        "print(len(cat), c.default_catalogue_path())"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site)},
    )
    assert proc.returncode == 0, proc.stderr
    count, path = proc.stdout.split()
    assert int(count) > 100 and path.startswith(str(site))


#: The ICS recompute in a fresh interpreter: what it loaded once it has run.
ICS_PROBE = """
import json, os, sys
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
import xlwings as xw
from ltpgap.catalogue import load_catalogue
from ltpgap.ics import load_ics
from ltpgap.xl import operations
book = xw.Book(json=json.load(open(sys.argv[1])))
outcome = operations.recompute(book, catalogue=load_catalogue(), ics=load_ics())
print(json.dumps({
    "scope": outcome.scope,
    "rows": outcome.rows,
    "actions": len(book.json()["actions"]),
    "loaded": sorted(m for m in sys.modules
                     if m.split(".")[0] in ("python_calamine", "openpyxl", "fastexcel")),
}))
"""


def test_ics_recompute_loads_no_file_reader(
    tmp_path: Path, catalogue: Catalogue, blmk: IcsConfig
) -> None:
    """xlwings Lite has no python-calamine or openpyxl: the ICS recompute needs neither."""
    book = merged_workbook(catalogue, blmk, tmp_path / "ICS.xlsx", every=3)
    payload = tmp_path / "payload.json"
    payload.write_text(json.dumps(payload_from_xlsx(book, include=RECOMPUTE_SHEETS)))
    proc = subprocess.run(
        [sys.executable, "-c", ICS_PROBE, str(payload)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "XLWINGS_LICENSE_KEY": "noncommercial"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["scope"] == "ics-merge"
    assert report["rows"] == len(catalogue) and report["actions"] > 0
    assert report["loaded"] == []


def test_without_the_file_readers_another_catalogue_is_simply_unknown(
    monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue
) -> None:
    """In Lite the merge's migration cannot load (no python-calamine): a unit recorded
    against another catalogue is then kept unassessed, as `ltpgap merge` keeps an unknown
    one, instead of the Recompute failing with an ImportError."""
    from ltpgap.xl.ics import _shipped_lookup

    monkeypatch.setitem(sys.modules, "ltpgap.merge._accept", None)  # import → ImportError
    find = _shipped_lookup(catalogue)
    assert find(catalogue.content_hash) is catalogue
    assert find("sha256:" + "0" * 64) is None
