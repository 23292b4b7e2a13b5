"""Recompute the merged ICS workbook inside Excel: matrix, summaries, gaps and snapshot grid.

The ICS workbook is the one `ltpgap merge` writes (ltpgap.merge): every place's inputs are on
its ``Place data`` sheet, and its hidden metadata names the places. Recompute rebuilds each
place's submission from ``Place data`` exactly as a re-merge carries a place forward, rolls
up to the ICS, and writes the rows the merge's own table builders produce, so the sheets hold
what `ltpgap merge` would write from the same inputs. ``Read me``, ``Checks`` and ``Place
data`` are left as they are. The server's ICS file must list the places, names and rules the
workbook was merged with (its columns and Read me show them); new populations are used and
recorded in the hidden metadata (:mod:`ltpgap.merge._ics_file`).

Only the pure parts of ltpgap.merge are imported (the unit rebuild, the table builders, and
:func:`ltpgap.merge.ics_data.ics_workbook`), and only when an ICS workbook is recomputed:
nothing here loads python-calamine or openpyxl, so it runs under xlwings Lite too. The sheet
names come from :mod:`ltpgap.layout` (a test checks the merge's agree).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.issues import Issue, LtpgapError, Where, make_issue
from ltpgap.layout import (
    BY_AREA_SHEET,
    BY_CHAPTER_SHEET,
    GAPS_SHEET,
    ICS_TABLES,
    MATRIX_SHEET,
    META_SHEET,
    PLACE_DATA_SHEET,
    SNAPSHOT_SHEET,
)
from ltpgap.rag import IcsRollup
from ltpgap.schema import is_blank
from ltpgap.xl._blocks import put_block, put_kept
from ltpgap.xl._cells import column_letter, keep_grid
from ltpgap.xl._sheet import Grid, extent, find_sheet, read_grid, read_meta

if TYPE_CHECKING:
    import xlwings as xw

    from ltpgap.merge.ics_data import IcsWorkbook

__all__ = ["LAYOUT", "IcsLayout", "IcsResult", "compute_ics", "is_ics_workbook", "write_ics"]


@dataclass(frozen=True, slots=True, kw_only=True)
class IcsLayout:
    """Sheet and table names of the ICS workbook `ltpgap merge` writes (from ltpgap.layout)."""

    place_data: str = PLACE_DATA_SHEET
    matrix: str = MATRIX_SHEET
    by_chapter: str = BY_CHAPTER_SHEET
    by_area: str = BY_AREA_SHEET
    gaps: str = GAPS_SHEET
    snapshot: str = SNAPSHOT_SHEET
    tables: tuple[tuple[str, str], ...] = tuple(ICS_TABLES.items())

    @property
    def outputs(self) -> tuple[str, ...]:
        """The sheets recompute writes."""
        return (self.matrix, self.by_chapter, self.by_area, self.gaps, self.snapshot)


LAYOUT = IcsLayout()
MERGE_SCOPE: Literal["ics-merge"] = "ics-merge"


@dataclass(frozen=True, kw_only=True)
class IcsResult:
    """What an ICS recompute computed: the roll-up and the rows of each output sheet."""

    ics_id: str
    rollup: IcsRollup
    tables: dict[str, Sequence[Sequence[object]]]  # table sheet -> body rows (from row 2)
    snapshot: list[list[str]]  # the whole Snapshot sheet (from A1)
    issues: tuple[Any, ...] = ()
    #: Metadata values to rewrite (key -> value): the ICS file's new populations, which the
    #: figures were weighted by ({} when they are those recorded).
    meta: Mapping[str, str] = field(default_factory=dict)


def is_ics_workbook(book: xw.Book, layout: IcsLayout = LAYOUT) -> bool:
    """True when the workbook is a merged ICS workbook (it has a ``Place data`` sheet)."""
    return find_sheet(book, layout.place_data) is not None


def _refuse(book: xw.Book, message: str) -> LtpgapError:
    return LtpgapError(
        [
            make_issue(
                "place-not-in-ics", message, where=Where(file=str(book.name), sheet=META_SHEET)
            )
        ]
    )


def _table_frame(grid: Grid) -> pd.DataFrame:
    """A table sheet as a frame: header row 1, blank rows dropped, "" → None."""
    header = [str(h).strip() if not is_blank(h) else "" for h in grid.values[0]]
    width = len(header)
    body = [
        r
        for r in grid.values[1:]
        if (r and type(r[0]) is str and r[0].strip()) or any(not is_blank(v) for v in r)
    ]
    if body and len(set(header)) == width and all(len(r) == width for r in body):
        # One object block straight from the rows ("" only where a cell holds empty text).
        rows = [[None if v == "" else v for v in r] if "" in r else r for r in body]
        return pd.DataFrame(rows, columns=header, dtype=object)
    rows = [[None if v == "" else v for v in (list(r) + [None] * width)[:width]] for r in body]
    return pd.DataFrame(rows, columns=header, dtype=object)


def _check_identity(book: xw.Book, meta: Mapping[str, str], ics: IcsConfig) -> None:
    scope, unit = meta.get("scope", ""), meta.get("unit_id", "")
    if scope != MERGE_SCOPE:
        raise _refuse(
            book,
            f"this workbook's metadata says scope '{scope or 'none'}', not an "
            "ICS merge; Recompute works on the ICS workbook `ltpgap merge` writes "
            "(a region or national roll-up is rebuilt with `ltpgap rollup`).",
        )
    if unit != ics.id:
        raise _refuse(
            book,
            f"this ICS workbook belongs to '{unit}' but the server is set up "
            f"for '{ics.id}'; open the workbook of {ics.name}, or point the server at "
            "the right ICS file (LTPGAP_ICS).",
        )


def _shipped_lookup(catalogue: Catalogue) -> Callable[[str], Catalogue | None]:
    """Catalogues by content hash, as `ltpgap merge` finds them without ``--from``.

    Only a unit recorded against another catalogue needs it (then the merge's migration,
    which reads through the workbook layer, is imported too). Where that layer cannot load
    (xlwings Lite has no python-calamine) no other catalogue is known: such a unit is kept
    unassessed with a ``catalogue-mismatch`` problem, as the merge does for an unknown one.
    """
    found: list[Callable[[str], Catalogue | None]] = []

    def find(content_hash: str) -> Catalogue | None:
        if content_hash == catalogue.content_hash:
            return catalogue
        if not found:
            try:
                from ltpgap.merge._accept import catalogue_lookup
            except ImportError:
                found.append(lambda _: None)
            else:
                found.append(catalogue_lookup(catalogue, ()))
        return found[0](content_hash)

    return find


def _as_read(book: xw.Book, meta: Mapping[str, str], layout: IcsLayout) -> IcsWorkbook:
    """The workbook as a re-merge reads its predecessor: the metadata and Place data."""
    from ltpgap.merge.ics_data import ics_workbook

    sheet = find_sheet(book, layout.place_data)
    assert sheet is not None
    tables = {PLACE_DATA_SHEET: _table_frame(read_grid(sheet))}
    return ics_workbook(meta, tables, path=str(book.name))  # scope: _check_identity


def _submissions(
    previous: IcsWorkbook, catalogue: Catalogue, ics: IcsConfig
) -> tuple[dict[str, Any], list[Issue]]:
    """Every unit's submission rebuilt from Place data, as a re-merge carries it forward, and
    the problems found doing so (data that cannot be used; a unit the ICS file no longer lists
    does not get here: :func:`compute_ics` stops first, ``ics-file-changed``)."""
    from ltpgap.merge._carry import carry_forward

    kept, issues = carry_forward(previous, {}, ics, catalogue, _shipped_lookup(catalogue))
    # Correcting a place's inputs on Place data and pressing Recompute is what this is for:
    # the next merge says which places' rows were changed since it wrote them.
    return kept, [i for i in issues if i.code != "place-data-edited"]


def compute_ics(
    book: xw.Book, catalogue: Catalogue, ics: IcsConfig, layout: IcsLayout = LAYOUT
) -> IcsResult:
    """Assess every unit from Place data, roll up to the ICS, build the merge's table rows."""
    from ltpgap.merge._content import ics_content
    from ltpgap.merge._ics_file import columns_changed, population_meta
    from ltpgap.merge._tables import gaps_table, matrix_table, snapshot_grid, summary_table

    meta = read_meta(book)
    _check_identity(book, meta, ics)
    previous = _as_read(book, meta, layout)
    if changed := columns_changed(previous, ics):
        raise LtpgapError([changed])
    subs, gone = _submissions(previous, catalogue, ics)
    content = ics_content(
        ics, catalogue, subs, generated_at=meta.get("generated_at", ""), after_missing=gone
    )
    tables = {
        layout.matrix: matrix_table(content).rows,
        layout.by_chapter: summary_table(content, "chapter").rows,
        layout.by_area: summary_table(content, "programme_area").rows,
        layout.gaps: gaps_table(content).rows,
    }
    return IcsResult(
        ics_id=ics.id,
        rollup=content.rollup,
        tables={k: list(v) for k, v in tables.items()},
        snapshot=snapshot_grid(content),
        issues=content.issues,
        meta=population_meta(previous, meta, ics),
    )


def write_ics(book: xw.Book, result: IcsResult, layout: IcsLayout = LAYOUT) -> None:
    """Each table body in one block (padded over the old rows), the table resized; Snapshot."""
    names = dict(layout.tables)
    for sheet_name, rows in result.tables.items():
        sheet = find_sheet(book, sheet_name)
        if sheet is None:
            continue
        old_rows, old_cols = extent(sheet)
        width = max(old_cols, *(len(r) for r in rows)) if rows else old_cols
        n_body = max(old_rows - 1, len(rows), 1)
        put_kept(sheet.range((2, 1), (1 + n_body, width)), rows, n_body, width)
        for table in sheet.tables:
            if str(table.name) == names.get(sheet_name):
                last = f"{column_letter(width)}{1 + max(len(rows), 1)}"
                table.resize(sheet.range(f"A1:{last}"))
    sheet = find_sheet(book, layout.snapshot)
    if sheet is not None:
        old_rows, old_cols = extent(sheet)
        grid = keep_grid(result.snapshot, old_rows, old_cols)
        put_block(sheet.range((1, 1), (len(grid), len(grid[0]))), grid)
    _write_meta(book, result.meta)


def _write_meta(book: xw.Book, values: Mapping[str, str]) -> None:
    """Rewrite these metadata values in place: column B, continued in C, D … as the merge
    writes a value longer than a cell holds (the old pieces cleared). The cells are text
    cells, as the merge makes them: written as they are, with no apostrophe."""
    from ltpgap.merge._sheets import META_CHUNK

    sheet = find_sheet(book, META_SHEET)
    if sheet is None or not values:
        return
    grid = read_grid(sheet)
    for row, line in enumerate(grid.values, start=1):
        key = grid.cell(row, 1)
        value = values.get(str(key).strip()) if not is_blank(key) else None
        if value is None:
            continue
        pieces: list[object] = [value[i : i + META_CHUNK] for i in range(0, len(value), META_CHUNK)]
        pieces += [None] * (len(line) - 1 - len(pieces))
        target = sheet.range((row, 2), (row, 1 + max(len(pieces), 1)))
        target.number_format = "@"
        put_block(target, [pieces or [""]])


def output_sheets(
    book: xw.Book, layout: IcsLayout = LAYOUT, result: IcsResult | None = None
) -> list[str]:
    """The output sheets present in this workbook (the ones recompute will write), and the
    hidden metadata when ``result`` rewrites some of it."""
    names = [*layout.outputs, *([META_SHEET] if result is not None and result.meta else [])]
    return [s for s in names if find_sheet(book, s) is not None]
