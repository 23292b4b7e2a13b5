"""The History sheet writer on its own: hand-made views in, openpyxl reads the sheet back."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from histkit import chart_xml, table_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ltpgap.catalogue import Catalogue
from ltpgap.merge._history_sheet import (
    CHART_LINES,
    COUNT_HEADERS,
    movement_label,
    write_history_sheet,
)
from ltpgap.merge._history_view import HistoryView
from ltpgap.rag.movement import MOVEMENTS, classify
from ltpgap.store import Snapshot
from ltpgap.workbook._cells import escape_formula

RAGS = ("Red", "Amber", "Green", "Not assessed", "N/A")
UNITS = ("bedford", "luton")
NAMES = {"bedford": "Bedford Borough", "luton": "=Luton"}  # text that looks like a formula
SHOWN = "'=Luton"  # as every ltpgap sheet writes such text: a string, never a formula


def _shot(seq: int) -> Snapshot:
    return Snapshot(
        id=seq,
        ics_id="blmk",
        seq=seq,
        taken_at=datetime(2024, seq, 1, 9, tzinfo=UTC),
        who=f"user{seq}",
        catalogue_id="ltp-test",
        catalogue_version="1.0.0",
        catalogue_hash="x",
    )


def _trend(seqs: int) -> pd.DataFrame:
    rows = [(s, _shot(s).taken_at, u, 0.25 * s, s, 4) for s in range(1, seqs + 1) for u in UNITS]
    return pd.DataFrame(
        rows, columns=["snapshot", "taken_at", "place", "pct_green", "green", "applicable"]
    )


def _movement(pairs: dict[tuple[str, str], tuple[str | None, str]]) -> pd.DataFrame:
    rows = []
    for (unit, para), (before, after) in pairs.items():
        word = classify(before, after)
        rows.append((unit, para, before, after, word, "", movement_label(word), ""))
    columns = ["place", "para", "before", "after", "movement", "arrow", "label", "via"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def _write(view: HistoryView, cat: Catalogue, path: Path) -> Path:
    wb = Workbook()
    write_history_sheet(wb, view, cat, names=NAMES, units=list(UNITS), ics_name="BLMK")
    wb.save(path)
    return path


def test_one_snapshot_says_no_earlier_snapshot_is_on_record(
    tmp_path: Path, cat1: Catalogue
) -> None:
    view = HistoryView(store="h.sqlite", snapshots=(_shot(1),), movement=None, trend=_trend(1))
    path = _write(view, cat1, tmp_path / "one.xlsx")
    rows = table_rows(path, "HistoryTrend")
    assert [(r["Snapshot"], r["Bedford Borough"], r[SHOWN]) for r in rows] == [(1, 0.25, 0.25)]
    from openpyxl import load_workbook

    ws = load_workbook(path)["History"]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "no earlier snapshot is on record" in text and "h.sqlite" in text
    assert not ws._charts and set(ws.tables) == {"HistoryTrend"}
    header = next(c for row in ws.iter_rows() for c in row if c.value == SHOWN)
    assert header.data_type == "s"  # a place name is text, never a formula


pairs_strategy = st.dictionaries(
    st.tuples(st.sampled_from(UNITS), st.sampled_from(["1.8", "1.24", "2.9", "3.52", "5.10"])),
    st.tuples(st.none() | st.sampled_from(RAGS), st.sampled_from(RAGS)),
    min_size=1,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=pairs_strategy)
def test_counts_by_chapter_add_up_to_the_movement_rows(
    tmp_path: Path, cat1: Catalogue, pairs: dict[tuple[str, str], tuple[str | None, str]]
) -> None:
    moved = _movement(pairs)
    view = HistoryView(
        store="h.sqlite", snapshots=(_shot(1), _shot(2)), movement=moved, trend=_trend(2)
    )
    path = _write(view, cat1, tmp_path / "many.xlsx")
    rows = table_rows(path, "HistoryMovement")
    assert len(rows) == len(pairs)
    for r in rows:
        word = classify(*pairs[(_unit(str(r["Place"])), str(r["Para"]))])
        assert r["Movement"] == movement_label(word)
        assert word not in ("improved", "no change", "worse") or str(r["Movement"])[0] in "▲▶▼"
    counts = table_rows(path, "HistoryByChapter")
    assert list(counts[0]) == list(COUNT_HEADERS)
    per_unit = Counter(_unit(str(r["Place"])) for r in rows)
    summed: Counter[str] = Counter()
    for r in counts:
        words = [int(r[h]) for h in COUNT_HEADERS[3:-1]]  # type: ignore[call-overload]
        assert sum(words) == r["Total"] and len(words) == len(MOVEMENTS)
        summed[_unit(str(r["Place"]))] += int(r["Total"])  # type: ignore[call-overload]
    assert summed == per_unit


def _unit(name: str) -> str:
    return {escape_formula(v): k for k, v in NAMES.items()}[name]


def test_a_big_system_charts_the_ics_rag_alone(tmp_path: Path, cat1: Catalogue) -> None:
    units = [f"p{i}" for i in range(CHART_LINES + 1)]
    trend = pd.DataFrame(
        [(s, _shot(s).taken_at, u, 0.5, 1, 2) for s in (1, 2) for u in [*units, "ICS"]],
        columns=["snapshot", "taken_at", "place", "pct_green", "green", "applicable"],
    )
    moved = _movement({(u, "1.8"): ("Red", "Green") for u in units})
    view = HistoryView(store="h", snapshots=(_shot(1), _shot(2)), movement=moved, trend=trend)
    wb = Workbook()
    write_history_sheet(wb, view, cat1, names={}, units=units, ics_name="BLMK")
    wb.save(tmp_path / "big.xlsx")
    drawing, chart = chart_xml(tmp_path / "big.xlsx")
    assert chart.count("<c:ser>") + chart.count("<ser>") == 1  # the ICS RAG line only
    last = get_column_letter(3 + len(units) + 1)  # the ICS RAG: the trend table's last column
    assert re.search(rf"<f>'History'!\$?{last}\$?\d+</f>", chart), chart
    assert "at each snapshot: the ICS RAG;" in drawing
    assert len(table_rows(tmp_path / "big.xlsx", "HistoryTrend")[0]) == 3 + len(units) + 1
