"""The command line starts fast: listing help and checking a catalogue load no heavy library.

A deterministic stand-in for "answers within 2 s": pandas, openpyxl, calamine, SQLAlchemy and
the report libraries are imported only by the commands that use them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "pandas",
    "numpy",
    "openpyxl",
    "python_calamine",
    "sqlalchemy",
    "xlwings",
    "pptx",
    "weasyprint",
    "matplotlib",
    "fastexcel",
)

PROBE = """
import json, sys, runpy
argv, watched = json.loads(sys.argv[1]), set(json.loads(sys.argv[2]))
sys.argv = ["ltpgap", *argv]
try:
    runpy.run_module("ltpgap", run_name="__main__")
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & watched)
print("HEAVY=" + json.dumps(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["catalogue", "check"], ["catalogue", "show"], ["merge", "--help"]],
    ids=lambda a: " ".join(a),
)
def test_light_commands_import_no_heavy_library(argv: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = [x for x in proc.stderr.splitlines() if x.startswith("HEAVY=")]
    assert line, proc.stderr[-2000:]
    assert json.loads(line[0].removeprefix("HEAVY=")) == []
