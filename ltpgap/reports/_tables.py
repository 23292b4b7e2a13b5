"""The report's tables as headers and rows: what every format prints, in the same words."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from ltpgap.rag.movement import MOVEMENTS, movement_counts
from ltpgap.reports._text import plain, uk_date
from ltpgap.reports.model import CHAPTER_SHORT, ReportData
from ltpgap.schema import RAG_VALUES

__all__ = [
    "Cell",
    "Table",
    "chapter_table",
    "cover_table",
    "differ_table",
    "gaps_table",
    "movement_changes_table",
    "movement_chapters_table",
    "movement_counts_table",
    "must_dos_table",
    "overview_table",
    "rules_table",
    "snapshot_table",
    "trend_table",
]

Cell = str | int | float | None
_COUNTS = (*RAG_VALUES, "Total", "% green", "% assessed", "Must-dos at Red")
_KEYS = (*RAG_VALUES, "total", "pct_green", "pct_assessed", "must_do_red")


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A titled table: header cells, rows, and which columns hold RAG words or fractions."""

    key: str  # short name: the sheet name in the summary workbook
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    rag: frozenset[int] = frozenset()
    percent: frozenset[int] = frozenset()
    note: str = ""

    def head(self, n: int, more: str = "") -> Table:
        """The first ``n`` rows; the note says how many were left out and where they are."""
        if len(self.rows) <= n:
            return self
        left = len(self.rows) - n
        note = f"{left} more not shown{'; ' + more if more else ''}."
        return replace(self, rows=self.rows[:n], note=note)

    def column(self, header: str) -> int:
        """Index of a header."""
        return self.headers.index(header)


def _num(value: Any) -> Cell:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value if isinstance(value, int | float) else plain(value)


def _count_rows(frame: pd.DataFrame, lead: list[str], data: ReportData) -> list[tuple[Cell, ...]]:
    rows = []
    for rec in frame.to_dict("records"):
        head: list[Cell] = [data.unit_name(str(rec["unit"]))]
        if "chapter" in lead:
            head.append(CHAPTER_SHORT.get(int(rec["chapter"]), str(rec["chapter"])))
        rows.append((*head, *(_num(rec[k]) for k in _KEYS)))
    return rows


def overview_table(data: ReportData) -> Table:
    """RAG counts per place and for the ICS (the ICS matrix highlights)."""
    first = "Place or ICS" if data.scope == "ics" else "Workbook"
    headers = (first, *_COUNTS)
    return Table(
        key="Overview",
        title="RAG counts" + (" by place and for the ICS" if data.scope == "ics" else ""),
        headers=headers,
        rows=tuple(_count_rows(data.overview, [], data)),
        percent=frozenset({headers.index("% green"), headers.index("% assessed")}),
    )


def chapter_table(data: ReportData) -> Table:
    """RAG counts by LTP chapter for every unit: the data behind the charts."""
    headers = ("Place or ICS" if data.scope == "ics" else "Workbook", "Chapter", *_COUNTS)
    return Table(
        key="RAG by chapter",
        title="RAG by LTP chapter (the data behind the charts)",
        headers=headers,
        rows=tuple(_count_rows(data.by_chapter, ["chapter"], data)),
        percent=frozenset({headers.index("% green"), headers.index("% assessed")}),
    )


def _yes(value: Any) -> str:
    return "Yes" if bool(value) else "No"


def differ_table(data: ReportData) -> Table:
    """Commitments Green in one place and Red in another, with every place's RAG."""
    units = [u for u in data.units if u.id in data.differ.columns]
    names = [data.rag_label if u.id == data.subject.id else u.name for u in units]
    headers = ("Para", "Title", "Must-do", *names)
    rows = tuple(
        (rec["para"], rec["title"], _yes(rec["must_do"]), *(rec[u.id] for u in units))
        for rec in data.differ.to_dict("records")
    )
    return Table(
        key="Where places differ",
        title="Where places differ: Green in one place, Red in another",
        headers=headers,
        rows=rows,
        rag=frozenset(range(3, len(headers))),
    )


def must_dos_table(data: ReportData) -> Table:
    """National must-dos at Red."""
    headers: tuple[str, ...] = ("Para", "Title", "Deadline", data.rag_label)
    rows: list[tuple[Cell, ...]] = [
        (rec["para"], rec["title"], rec["deadline"], rec["rag"])
        for rec in data.must_dos_red.to_dict("records")
    ]
    if data.scope == "ics":
        headers = (*headers, "Places at Red")
        rows = [
            (*row, rec["places_red"] or "none (ICS-level)")
            for row, rec in zip(rows, data.must_dos_red.to_dict("records"), strict=True)
        ]
    return Table(
        key="Must-dos at Red",
        title="National must-dos at Red",
        headers=headers,
        rows=tuple(rows),
        rag=frozenset({3}),
    )


def gaps_table(data: ReportData) -> Table:
    """Every gap (Red), ranked: must-dos first, then the most places at Red, then para."""
    headers = ("Rank", "Place", "Para", "Title", "Must-do", "Lead", "Initiatives", "Reason")
    rows = tuple(
        (
            i,
            data.unit_name(rec["unit"]),
            rec["para"],
            rec["title"],
            _yes(rec["must_do"]),
            rec["lead"] or "no lead named",
            rec["initiatives"],
            rec["reason"],
        )
        for i, rec in enumerate(data.gaps.to_dict("records"), start=1)
    )
    return Table(key="Gaps", title="Gaps (Reds) with their leads", headers=headers, rows=rows)


def snapshot_table(data: ReportData) -> Table:
    """The snapshot grid in long form: one row per commitment shown on it."""
    snap = data.snapshot
    rows = tuple(
        (stage, area, item.para, item.title, item.rag)
        for stage, cells in zip(snap.rows, snap.cells, strict=True)
        for area, items in zip(snap.columns, cells, strict=True)
        for item in items
    )
    return Table(
        key="Snapshot",
        title="Snapshot: programme areas × life course (the grid's contents)",
        headers=("Life course", "Programme area", "Para", "Title", snap.rag_label),
        rows=rows,
        rag=frozenset({4}),
        note=f"{snap.not_shown} commitments have no life-course stage and are not on the grid.",
    )


def movement_counts_table(data: ReportData) -> Table | None:
    """How many commitments improved, stayed, worsened … per place since the last report."""
    if data.movement is None:
        return None
    counts = movement_counts(data.movement.frame, by="place")
    words = {"improved": "▲ improved", "no change": "▶ no change", "worse": "▼ worse"}
    headers = ("Place or ICS", *(words.get(m, m) for m in MOVEMENTS), "Total")
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (data.unit_name(str(rec["place"])), *(int(rec[m]) for m in MOVEMENTS), int(rec["total"]))
        for rec in counts.to_dict("records")
    )
    return Table(key="Movement", title="Movement since the last report", headers=headers, rows=rows)


def movement_chapters_table(data: ReportData) -> Table | None:
    """Movement of the report's own RAG (the ICS RAG, or the place's) by LTP chapter."""
    if data.movement is None:
        return None
    frame = data.movement.frame
    own = frame[frame["place"].astype(str) == ("ICS" if data.scope == "ics" else data.subject.id)]
    if own.empty:
        return None
    counts = movement_counts(own, by="chapter")
    words = {"improved": "▲ improved", "no change": "▶ no change", "worse": "▼ worse"}
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            CHAPTER_SHORT.get(int(rec["chapter"]), str(rec["chapter"]))
            if str(rec["chapter"]).isdigit()
            else str(rec["chapter"]),
            *(int(rec[m]) for m in MOVEMENTS),
            int(rec["total"]),
        )
        for rec in counts.to_dict("records")
    )
    return Table(
        key="Movement by chapter",
        title=f"Movement of the {data.rag_label} by LTP chapter",
        headers=("Chapter", *(words.get(m, m) for m in MOVEMENTS), "Total"),
        rows=rows,
    )


def movement_changes_table(data: ReportData) -> Table | None:
    """Every commitment whose RAG got better or worse since the last report, worse first."""
    if data.movement is None:
        return None
    frame = data.movement.frame
    changed = frame[frame["movement"].isin(["worse", "improved"])]
    changed = changed.sort_values("movement", key=lambda s: s.ne("worse"), kind="stable")
    titles = dict(zip(data.commitments["para"], data.commitments["title"], strict=True))
    rows = tuple(
        (
            data.unit_name(str(rec["place"])),
            str(rec["para"]),
            titles.get(str(rec["para"]), ""),
            plain(rec["before"]),
            plain(rec["after"]),
            plain(rec["label"]),
        )
        for rec in changed.to_dict("records")
    )
    return Table(
        key="Changes",
        title="Commitments that moved since the last report",
        headers=("Place or ICS", "Para", "Title", "Before", "Now", "Movement"),
        rows=rows,
        rag=frozenset({3, 4}),
    )


def trend_table(data: ReportData) -> Table | None:
    """% green at each recorded snapshot, one column per place (and the ICS)."""
    if data.movement is None or data.movement.trend is None or data.movement.trend.empty:
        return None
    trend = data.movement.trend
    places = list(dict.fromkeys(trend["place"].astype(str)))
    rows: list[tuple[Cell, ...]] = []
    for snapshot, part in trend.groupby("snapshot", sort=True):
        taken = part["taken_at"].iloc[0]
        when = uk_date(taken) if hasattr(taken, "year") else plain(taken)
        share = dict(zip(part["place"].astype(str), part["pct_green"], strict=True))
        rows.append((f"{plain(snapshot)}: {when}", *(_num(share.get(p)) for p in places)))
    headers = ("Snapshot", *(data.unit_name(p) for p in places))
    return Table(
        key="Trend",
        title="% green at each report (trend)",
        headers=headers,
        rows=tuple(rows),
        percent=frozenset(range(1, len(headers))),
    )


def rules_table(data: ReportData) -> Table:
    """The rules in force, one per row under its heading."""
    return Table(
        key="Rules",
        title="The rules in force",
        headers=("About", "Rule"),
        rows=tuple((head, line) for head, lines in data.rules for line in lines),
    )


def cover_table(data: ReportData) -> Table:
    """The cover fields, the source and the as-at date."""
    rows = [
        ("Report", data.title),
        *data.cover.rows(),
        ("Data source", f"{data.source} ({data.source_kind})"),
        ("Catalogue", data.catalogue),
        ("As at", data.as_at_text),
    ]
    return Table(key="Read me", title=data.title, headers=("Field", "Value"), rows=tuple(rows))
