"""`ltpgap catalogue diff OLD NEW [--format text|json]` prints the migration plan."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ltpgap.cli import app

DATA = Path(__file__).resolve().parents[1] / "data"
V1, V2 = str(DATA / "catalogue-v1.yaml"), str(DATA / "catalogue-v2.yaml")


def test_diff_as_text_through_the_real_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ltpgap", "catalogue", "diff", V1, V2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "Catalogue ltp-test 1.0.0 (20 commitments) → ltp-test 2.0.0 (20 commitments)"
    assert "  3.10 → 3.11  Continuity of carer for most women  [changed: provenance]" in lines
    assert "  - 4.1  Workforce implementation plan" in lines


def test_diff_as_json() -> None:
    result = CliRunner().invoke(app, ["catalogue", "diff", V1, V2, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["from"]["version"], data["to"]["version"]) == ("1.0.0", "2.0.0")
    split = [c for c in data["changes"] if c["kind"] == "split"]
    assert split == [
        {"kind": "split", "old_ids": ["3.52"], "new_ids": ["3.52a", "3.52b"], "fields": []}
    ]
    assert data["counts"]["unchanged"] == 14


def test_diff_of_a_catalogue_with_itself() -> None:
    result = CliRunner().invoke(app, ["catalogue", "diff", V2, V2])
    assert result.exit_code == 0
    assert "No changes to commitments (20 unchanged)." in result.output


def test_diff_errors_are_located_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("catalogue: [\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["catalogue", "diff", V1, str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(app, ["catalogue", "diff", V1, V2, "--format", "xml"])
    assert result.exit_code == 2 and "text or --format json" in result.output
