"""Where the Gap analysis table is: by its Table name, else by its header signature.

Columns are found by header text (case, spaces and punctuation ignored), never by position,
so moved, reordered, added and renamed-sheet cases all read the same. Unknown headers become
extra columns, kept as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from ltpgap.issues import Issue, Severity, Where, make_issue
from ltpgap.layout import REPORT_TABLE_NAME, REPORT_WORKBOOK, TABLE_NAME, fold, header_key
from ltpgap.schema import COLUMNS, HEADERS, INPUT_KEYS
from ltpgap.workbook._package import TablePart

__all__ = ["Layout", "find_layout", "fold", "header_key", "signature_row"]

Grid = list[list[object]]
_MIN_SCORE = len(HEADERS) // 2 + 1  # "most" schema headers
_MIN_INPUTS = 6
#: Names the inputs are kept under besides the headers (a workbook's own column headed 'row'
#: must not take the place of the row numbers).
_INTERNAL = frozenset({"para", "row", *INPUT_KEYS})


@dataclass(frozen=True, slots=True, kw_only=True)
class Layout:
    """The table as found: sheet, header row (1-based) and column positions (0-based)."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # schema key → column index
    extras: list[tuple[int, str]] = field(default_factory=list)  # (column index, header)
    found_by: str = "table"  # "table" or "signature"
    #: Excel row of the Table's Total Row, if it has one: Excel's sums, not a commitment
    totals_row: int | None = None

    def letter(self, key: str) -> str | None:
        """Excel column letter of a schema key, if the column was found."""
        j = self.columns.get(key)
        return None if j is None else get_column_letter(j + 1)

    def extra_letters(self) -> tuple[str, ...]:
        """Excel column letters of the extra columns, in the order of ``extras``."""
        return tuple(get_column_letter(j + 1) for j, _ in self.extras)


def _score(row: Sequence[object]) -> tuple[int, int]:
    keys = {k for k in map(header_key, row) if k}
    if "para" not in keys:
        return 0, 0
    return len(keys), len(keys & set(INPUT_KEYS))


def _signature_rows(grid: Grid) -> tuple[int, int] | None:
    """(score, 0-based row) of the best header row in a sheet, if any qualifies."""
    best: tuple[int, int] | None = None
    for i, row in enumerate(grid):
        if not any(isinstance(v, str) and v.strip().casefold() == "para" for v in row):
            continue
        total, inputs = _score(row)
        if (total >= _MIN_SCORE or inputs >= _MIN_INPUTS) and (best is None or total > best[0]):
            best = (total, i)
    return best


def signature_row(grid: Grid) -> int | None:
    """The 0-based row of the best Gap analysis header row in a sheet, or None."""
    found = _signature_rows(grid)
    return found[1] if found else None


def _map_headers(
    row: Sequence[object], sheet: str, header_row: int, where: Callable[..., Where]
) -> tuple[dict[str, int], list[tuple[int, str]], list[Issue]]:
    columns: dict[str, int] = {}
    extras: list[tuple[int, str]] = []
    issues: list[Issue] = []
    for j, value in enumerate(row):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        key = header_key(value)
        letter = get_column_letter(j + 1)
        if key and key not in columns:
            columns[key] = j
            continue
        name = " ".join(str(value).split())
        if key or name in {n for _, n in extras}:
            first = (
                get_column_letter(columns[key] + 1)
                if key
                else next(get_column_letter(i + 1) for i, n in extras if n == name)
            )
            issues.append(
                make_issue(
                    "extra-column",
                    f"header '{name}' appears twice (columns "
                    f"{first} and {letter}); column {first} is read as {name}, column "
                    f"{letter} is kept as an extra column. Rename or delete one of them.",
                    where=where(cell=f"{letter}{header_row}"),
                )
            )
            name = f"{name} ({letter})"
        elif name in _INTERNAL:
            name = f"{name} ({letter})"  # kept under its column letter, as a repeat is
        extras.append((j, name))
    return columns, extras, issues


def _missing(columns: dict[str, int], sheet: str, header_row: int, where: Where) -> list[Issue]:
    issues = []
    for col in COLUMNS:
        if col.key in columns:
            continue
        is_input = col.group == "input"
        effect = (
            "its values are read as blank, which changes the RAG"
            if is_input
            else "ltpgap can still read the inputs"
        )
        issues.append(
            make_issue(
                "missing-column",
                f"no column headed '{col.header}' in the header row (row {header_row}) of sheet "
                f"'{sheet}'; {effect}. Put the header back, spelt '{col.header}'.",
                where=where,
                severity=Severity.ERROR if is_input else Severity.WARNING,
            )
        )
    return issues


def find_layout(
    file: str,
    sheets: Sequence[str],
    tables: Sequence[TablePart],
    grid_of: Callable[[str], Grid],
    skip: set[str],
) -> tuple[Layout | None, list[Issue]]:
    """Locate the table: the Table named GapAnalysis first, else the best header signature."""
    candidates: list[tuple[str, int, int | None]] = []
    for table in tables:
        corner, end = table.corner, table.end
        if table.name.casefold() == TABLE_NAME.casefold() and corner:
            totals = end[0] if end and table.totals_rows >= 1 and end[0] > corner[0] else None
            candidates.append((table.sheet, corner[0] - 1, totals))
    found: tuple[str, int] | None = None
    totals_row: int | None = None
    for sheet, i, totals in candidates:
        grid = grid_of(sheet)
        if i < len(grid) and _score(grid[i])[0]:
            found, totals_row = (sheet, i), totals
            break
    by = "table"
    if found is None:
        by = "signature"
        best: tuple[int, str, int] | None = None
        for sheet in sheets:
            if sheet in skip:
                continue
            hit = _signature_rows(grid_of(sheet))
            if hit and (best is None or hit[0] > best[0]):
                best = (hit[0], sheet, hit[1])
        found = (best[1], best[2]) if best else None
    if found is None and any(t.name.casefold() == REPORT_TABLE_NAME.casefold() for t in tables):
        return None, [
            make_issue(
                "report-workbook",
                f"this is {REPORT_WORKBOOK}, not a place workbook. Use the workbook the report "
                "was made from (its Read me names it as the data source).",
                where=Where(file=file),
            )
        ]
    if found is None:
        return None, [
            make_issue(
                "no-gap-table",
                "no Gap analysis table was found: no Excel Table named "
                f"'{TABLE_NAME}' and no row holding 'Para' and most of the headers "
                f"({', '.join(HEADERS[:4])} …) on any sheet. Is this an ltpgap workbook? Start "
                "from one made by `ltpgap init`, or restore the header row.",
                where=Where(file=file),
            )
        ]
    sheet, i = found

    def where(cell: str | None) -> Where:
        return Where(file=file, sheet=sheet, cell=cell)

    columns, extras, issues = _map_headers(grid_of(sheet)[i], sheet, i + 1, where)
    layout = Layout(
        sheet=sheet,
        header_row=i + 1,
        columns=columns,
        extras=extras,
        found_by=by,
        totals_row=totals_row,
    )
    para = layout.letter("para")
    issues += _missing(columns, sheet, i + 1, where(f"{para}{i + 1}" if para else None))
    return layout, issues
