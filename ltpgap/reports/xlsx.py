"""The summary workbook (.xlsx): the tables behind every chart and slide, as Excel Tables.

Written with XlsxWriter (a python-pptx dependency): every text is written as a string
cell, escaped against formula injection (:func:`ltpgap.workbook.escape_formula`); no hidden
sheets, no metadata sheet; the document properties name the organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook

from ltpgap.layout import REPORT_TABLE_NAME
from ltpgap.reports import _tables as tables
from ltpgap.reports._output import atomic_output
from ltpgap.reports._tables import Table
from ltpgap.reports._text import plain
from ltpgap.reports.model import ReportData
from ltpgap.schema import RAG_COLOURS
from ltpgap.workbook import escape_formula

__all__ = ["sheet_tables", "write_xlsx"]

_WIDE = {"Title": 44, "Initiatives": 44, "Reason": 52, "Rule": 100, "Value": 90, "Lead": 24}
_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def sheet_tables(data: ReportData) -> list[Table]:
    """Every table the workbook holds, in sheet order (Read me first)."""
    found: list[Table | None] = [
        tables.cover_table(data),
        tables.overview_table(data),
        tables.chapter_table(data),
        tables.differ_table(data) if data.scope == "ics" else None,
        tables.snapshot_table(data),
        tables.must_dos_table(data),
        tables.gaps_table(data),
        tables.movement_counts_table(data),
        tables.movement_chapters_table(data),
        tables.movement_changes_table(data),
        tables.trend_table(data),
        tables.rules_table(data),
    ]
    return [t for t in found if t is not None]


def _text(value: Any) -> str:
    return escape_formula(plain(value))


class _Writer:
    def __init__(self, book: Any) -> None:
        self.book = book
        self.head = book.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#003087",
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.pct = book.add_format({"num_format": "0%", "valign": "top"})
        self.num = book.add_format({"valign": "top"})
        self.title = book.add_format({"bold": True, "font_size": 14, "font_color": "#003087"})
        self.rag = {
            rag: book.add_format({"bg_color": f"#{fill}", "font_color": f"#{text}", "bold": True})
            for rag, (fill, text) in RAG_COLOURS.items()
        }

    def cell(self, sheet: Any, row: int, col: int, value: Any, percent: bool) -> None:
        if value is None or (isinstance(value, float) and value != value):
            sheet.write_blank(row, col, None, self.num)
        elif isinstance(value, bool):
            sheet.write_string(row, col, "Yes" if value else "No", self.wrap)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, self.pct if percent else self.num)
        else:
            sheet.write_string(row, col, _text(value), self.wrap)

    def table(self, sheet: Any, table: Table, top: int, name: str) -> int:
        """Write ``table`` as an Excel Table from row ``top``; return the next free row."""
        last_row = top + max(len(table.rows), 1)
        for r, row in enumerate(table.rows, start=top + 1):
            for c, value in enumerate(row):
                self.cell(sheet, r, c, value, c in table.percent)
        headers = _unique([_text(h) or f"Column {i + 1}" for i, h in enumerate(table.headers)])
        sheet.add_table(
            top,
            0,
            last_row,
            len(headers) - 1,
            {
                "name": name,
                "style": "Table Style Light 9",
                "autofilter": True,
                "columns": [{"header": h, "header_format": self.head} for h in headers],
            },
        )
        for c in table.rag:
            for rag, fmt in self.rag.items():
                sheet.conditional_format(
                    top + 1,
                    c,
                    last_row,
                    c,
                    {"type": "cell", "criteria": "==", "value": f'"{rag}"', "format": fmt},
                )
        return last_row + 1

    def widths(self, sheet: Any, table: Table) -> None:
        for c, header in enumerate(table.headers):
            longest = max([len(plain(header)), *(len(plain(r[c])) for r in table.rows[:200])])
            sheet.set_column(c, c, min(_WIDE.get(header, 40), max(9, longest + 2)))


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name.lower(), 0)
        seen[name.lower()] = n + 1
        out.append(name if n == 0 else f"{name} ({n + 1})")
    return out


def _readme(w: _Writer, sheet: Any, data: ReportData, all_tables: list[Table]) -> None:
    sheet.write_string(0, 0, _text(data.title), w.title)
    cover = all_tables[0]
    end = w.table(sheet, cover, 2, "ReportCover")
    contents = Table(
        key="Contents",
        title="Sheets",
        headers=("Sheet", "What it holds"),
        rows=tuple((t.key, t.title + (f" {t.note}" if t.note else "")) for t in all_tables[1:]),
    )
    w.table(sheet, contents, end + 1, REPORT_TABLE_NAME)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 100)


def write_xlsx(data: ReportData, path: str | Path) -> Path:
    """Write the summary workbook to ``path`` (replaced only once the whole file is written)."""
    target = Path(path)
    all_tables = sheet_tables(data)
    who = data.cover.organisation or data.subject.name
    with atomic_output(target) as tmp:
        book = Workbook(str(tmp), _OPTIONS)
        book.set_properties(
            {
                "title": _text(data.title),
                "subject": _text(data.footer),
                "author": _text(who),
                "company": _text(who),
                "category": "Board paper",
                "keywords": "NHS Long Term Plan, gap analysis, RAG",
                "comments": _text(f"Gap analysis from {data.source}, as at {data.as_at_text}."),
                "created": datetime.now(),
            }
        )
        w = _Writer(book)
        for i, table in enumerate(all_tables):
            sheet = book.add_worksheet(table.key)
            if i == 0:
                _readme(w, sheet, data, all_tables)
                continue
            w.table(sheet, table, 0, table.key.replace(" ", "").replace("-", ""))
            w.widths(sheet, table)
            sheet.freeze_panes(1, 1)
            sheet.set_landscape()
            sheet.set_paper(9)  # A4
            sheet.fit_to_pages(1, 0)
            sheet.repeat_rows(0)
            if table.note:
                sheet.write_string(len(table.rows) + 2, 0, _text(table.note))
        book.close()
    return target
