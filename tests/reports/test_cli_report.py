"""`ltpgap report`: what it writes, what it says, and how it fails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pptx import Presentation
from typer.testing import CliRunner

from ltpgap.catalogue import Catalogue
from ltpgap.cli import app
from ltpgap.demo.illustrative import ILLUSTRATIVE
from ltpgap.ics import IcsConfig
from ltpgap.reports import load_report_data
from ltpgap.reports.history import movement_from_store
from ltpgap.workbook import build_workbook, fill_inputs

runner = CliRunner()


def test_writes_the_formats_asked_for(luton_workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "board"
    result = runner.invoke(
        app,
        [
            "report",
            str(luton_workbook),
            "--out",
            str(out),
            "--format",
            "PPTX, xlsx",
            "--meeting",
            "Luton Board",
            "--date",
            "23 July 2019",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["report.pptx", "report.xlsx"]
    assert f"wrote {out / 'report.pptx'}" in result.output.replace("\n", "")
    assert "Report on Luton from luton.xlsx, as at 1 July 2019" in " ".join(result.output.split())
    cover = Presentation(str(out / "report.pptx")).slides[0]
    text = "\n".join(s.text_frame.text for s in cover.shapes if s.has_text_frame)
    text += "\n".join(
        c.text for s in cover.shapes if s.has_table for r in s.table.rows for c in r.cells
    )
    assert "Luton Board" in text and "23 July 2019" in text
    assert "Governing Body (held in public)" not in text  # --meeting replaced the ICS default


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "docx"], "docx is not a report format"),
        (["--format", " , "], "nothing is not a report format"),
    ],
)
def test_bad_format_is_a_usage_error(
    luton_workbook: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["report", str(luton_workbook), "--out", str(tmp_path), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not list(tmp_path.iterdir())


def test_unreadable_workbook_fails_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    out = tmp_path / "o"
    result = runner.invoke(app, ["report", str(bad), "--out", str(out), "--format", "xlsx"])
    assert result.exit_code == 1
    assert "notes.xlsx" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_missing_history_store_is_named(luton_workbook: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "report",
            str(luton_workbook),
            "--out",
            str(tmp_path),
            "--format",
            "xlsx",
            "--db",
            str(tmp_path / "none.sqlite"),
        ],
    )
    assert result.exit_code == 1
    assert "no history store" in " ".join(result.output.split())


def test_help_lists_every_option() -> None:
    result = runner.invoke(app, ["report", "--help"])
    assert result.exit_code == 0
    for option in (
        "--out",
        "--format",
        "--meeting",
        "--date",
        "--purpose",
        "--recommendation",
        "--key-risks",
        "--ics",
        "--db",
    ):
        assert option in result.output


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, blmk: IcsConfig) -> Path:
    """A real ICS workbook from `ltpgap merge` of the demo's five workbooks."""
    from ltpgap.merge import merge_workbooks

    folder = tmp_path_factory.mktemp("merge")
    paths = []
    for unit in (*blmk.place_ids, blmk.id):
        path = folder / f"{unit}.xlsx"
        scope = "ics" if unit == blmk.id else "place"
        build_workbook(catalogue, blmk, unit, scope=scope, out_path=path)
        fill_inputs(path, ILLUSTRATIVE.get(unit, {}))
        paths.append(path)
    out = folder / "ICS.xlsx"
    merge_workbooks(paths, out=out, catalogue=catalogue, ics=blmk)
    return out


def test_report_from_the_real_ics_workbook(merged: Path, blmk: IcsConfig) -> None:
    from ltpgap.merge import read_ics_workbook

    data = load_report_data(merged, blmk)
    book = read_ics_workbook(merged)
    assert data.scope == "ics" and data.source == "ICS.xlsx" and data.rag_label == "ICS RAG"
    assert [u.name for u in data.places] == [p.name for p in blmk.places]
    assert list(data.commitments["blmk"]) == list(book.matrix["ics_rag"])
    assert len(data.gaps) == len(book.gaps) and data.checks == len(book.checks)
    assert data.cover.meeting == blmk.report.meeting


# --- movement from the history store ---------------------------------------------------


@dataclass
class _Shot:
    seq: int
    taken_at: datetime


class _Store:
    """The part of ltpgap.store.Store the report reads, with two snapshots or one."""

    def __init__(self, shots: int) -> None:
        self.shots = [_Shot(i, datetime(2019, 3 + 3 * i, 1)) for i in range(1, shots + 1)]

    def latest_two(self, ics_id: str) -> tuple[Any, Any]:
        return (self.shots[-2] if len(self.shots) > 1 else None, self.shots[-1])

    def movement(self, ics_id: str, *, catalogue: Any = None) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "place": ["luton", "bedford"],
                "para": ["1.8", "1.8"],
                "before": ["Red", "Red"],
                "after": ["Green", "Red"],
                "movement": ["improved", "no change"],
                "arrow": ["▲", "▶"],
                "label": ["▲ improved", "▶ no change"],
            }
        )

    def rollup_movement(self, ics_id: str, *, catalogue: Any = None) -> pd.DataFrame:
        frame = self.movement(ics_id).iloc[:1]
        return frame.assign(place="ICS")

    def history(self, ics_id: str, *, carry_forward: bool = False) -> pd.DataFrame:
        rows = [
            (s.seq, s.taken_at, p, "1.8", "Green") for s in self.shots for p in ("luton", "bedford")
        ]
        return pd.DataFrame(rows, columns=["snapshot", "taken_at", "place", "para", "rag"])

    def rollup_history(self, ics_id: str) -> pd.DataFrame:
        rows = [(s.seq, s.taken_at, "1.8", "Amber") for s in self.shots]
        return pd.DataFrame(rows, columns=["snapshot", "taken_at", "para", "ics_rag"])


def test_one_snapshot_means_no_previous_report() -> None:
    assert movement_from_store(_Store(1), "blmk") is None  # type: ignore[arg-type]


def test_movement_for_the_ics_and_for_one_place() -> None:
    ics = movement_from_store(_Store(2), "blmk")  # type: ignore[arg-type]
    assert ics is not None and ics.trend is not None
    assert list(ics.frame["place"]) == ["luton", "bedford", "ICS"]
    assert set(ics.trend["place"]) == {"luton", "bedford", "ICS"}
    assert ics.previous == "1, 1 June 2019"
    place = movement_from_store(_Store(2), "blmk", place="luton")  # type: ignore[arg-type]
    assert place is not None and list(place.frame["place"]) == ["luton"]
    assert place.trend is not None and set(place.trend["place"]) == {"luton"}


def test_demo_ends_with_the_report(
    merged: Path, catalogue: Catalogue, blmk: IcsConfig, tmp_path: Path
) -> None:
    from ltpgap.demo.__main__ import step_report

    written = step_report(merged, catalogue, blmk, tmp_path)
    assert [p.name for p in written] == ["report.pptx", "report.pdf", "report.xlsx"]
    assert all(p.stat().st_size > 10_000 for p in written)
    cover = Presentation(str(written[0])).slides[0]
    cells = [c.text for s in cover.shapes if s.has_table for r in s.table.rows for c in r.cells]
    assert any("ILLUSTRATIVE" in c for c in cells) and "18 July 2019" in cells


def test_each_file_is_announced_before_and_after_it_is_written(
    luton_workbook: Path, tmp_path: Path, catalogue: Catalogue, blmk: IcsConfig
) -> None:
    """write_report's progress hook hears of each file as it starts and once it exists."""
    from ltpgap.reports import Cover, write_report

    data = load_report_data(luton_workbook, blmk, Cover(), catalogue=catalogue)
    heard: list[tuple[str, bool, bool]] = []
    write_report(
        data,
        tmp_path,
        ["xlsx", "pptx"],
        progress=lambda path, done: heard.append((path.name, done, path.exists())),
    )
    assert heard == [
        ("report.xlsx", False, False),
        ("report.xlsx", True, True),
        ("report.pptx", False, False),
        ("report.pptx", True, True),
    ]


def test_a_terminal_sees_which_file_is_being_written(
    luton_workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national PDF takes minutes: on a terminal a bar names the file under way; each
    file is listed as it is written (a log shows how far the report got)."""
    import io

    from rich.console import Console

    from ltpgap.cli import report as report_cli

    screen = io.StringIO()
    monkeypatch.setattr(
        report_cli, "err_console", Console(file=screen, force_terminal=True, width=100)
    )
    out = tmp_path / "board"
    result = runner.invoke(
        app, ["report", str(luton_workbook), "--out", str(out), "--format", "xlsx,pptx"]
    )
    assert result.exit_code == 0, result.output
    shown = screen.getvalue()
    assert "writing report.xlsx" in shown and "writing report.pptx" in shown
    said = result.output
    assert said.index(f"wrote {out / 'report.xlsx'}") < said.index(f"wrote {out / 'report.pptx'}")
