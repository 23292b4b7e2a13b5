"""The rows of every table sheet of the ICS workbook, from the merge (or roll-up) content.

Pure: catalogue, roll-up and assessment frames in, plain rows out. The writer only lays them
out. Units are shown by name; the hidden metadata maps names back to ids for the reader.
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

import pandas as pd

from ltpgap.catalogue import LIFE_COURSE_NAMES
from ltpgap.issues import Issue
from ltpgap.layout import LEVEL_NAMES, chapter_label
from ltpgap.merge._sheets import (
    BY_AREA,
    BY_CHAPTER,
    CHECKS,
    CHECKS_HEADERS,
    GAPS,
    GAPS_HEADERS,
    MATRIX,
    SUMMARY_TAIL,
    TABLES,
    distinct_name,
    tail_headers,
)
from ltpgap.merge.model import IcsContent, PlaceSubmission
from ltpgap.rag import PlaceAssessment
from ltpgap.rag._table import first_positions
from ltpgap.rag.summary import Counts, summary_counts
from ltpgap.schema import COLUMNS, RAG_VALUES

__all__ = [
    "Col",
    "TableData",
    "names_of",
    "row_heights",
    "snapshot_grid",
    "table_sheets",
    "unique_headers",
]

Kind = Literal["text", "wrap", "centre", "rag", "int", "percent", "score"]
_WIDTH = {c.key: c.width for c in COLUMNS}


def unique_headers(headers: list[str]) -> list[str]:
    """A Table's headers made distinct as Excel compares them: two places' own columns
    'Notes' and 'notes' would otherwise make a file Excel offers to repair."""
    used: set[str] = set()
    return [distinct_name(h, used) for h in headers]


@dataclass(frozen=True, slots=True)
class Col:
    """A column: header, width (characters) and how its cells look."""

    header: str
    width: float
    kind: Kind = "text"


@dataclass(frozen=True, kw_only=True, eq=False)
class TableData:
    """One table sheet: columns, rows (from row 2), their count and row heights.

    A big table gives its values column by column in ``by_column`` (then ``rows`` is empty):
    the writer works a column at a time, so this spares building a list per row.
    """

    sheet: str
    table: str
    columns: tuple[Col, ...]
    rows: Sequence[Sequence[object]] | Iterator[Sequence[object]]
    count: int
    fit_heights: bool = False  # rows with wrapped text get their height (see ``heights``)
    freeze: str = "B2"
    by_column: Sequence[Sequence[object]] | None = None

    @property
    def fit(self) -> tuple[tuple[int, float], ...]:
        """The wrapped columns (index, width) whose text sets each row's height (see
        :func:`row_heights`; worked out by the writer a block of rows at a time)."""
        if not self.fit_heights:
            return ()
        return tuple((j, c.width) for j, c in enumerate(self.columns) if c.kind == "wrap")


def _lines(values: Sequence[object], width: float) -> list[int]:
    """Wrapped lines each value needs (1 for a blank), as :func:`lines_needed` counts them.

    Text without a line break needs ceil(length / per line) lines; only other values are
    handed to :func:`lines_needed` one by one.
    """
    from ltpgap.workbook._heights import lines_needed

    per = _per_line(width)
    return [
        1
        if not v
        else (-(-len(v) // per) or 1)
        if type(v) is str and "\n" not in v
        else lines_needed(v, width)
        for v in values
    ]


@functools.cache
def _per_line(width: float) -> int:
    """Characters :func:`lines_needed` fits on one line of a column ``width`` wide."""
    from ltpgap.workbook._heights import lines_needed

    low, high = 1, 1
    while lines_needed("x" * (high * 2), width) == 1:
        high *= 2
    high *= 2  # lines_needed("x" * high) > 1
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if lines_needed("x" * mid, width) == 1 else (low, mid)
    return low


def row_heights(
    columns: Sequence[Sequence[object]], fit: Sequence[tuple[int, float]], n: int
) -> list[float | None]:
    """Each of ``n`` rows' height (points) for the wrapped text in the ``fit`` columns (index,
    width) of ``columns``; None where one line is enough (the default height)."""
    from ltpgap.workbook._heights import LINE_HEIGHT  # openpyxl: only a writer asks

    if not fit or not n:
        return [None] * n
    lines = map(max, *(_lines(columns[j], w) for j, w in fit), [1] * n)
    return [round(LINE_HEIGHT * min(k, 15) + 3, 2) if k > 1 else None for k in lines]


def _table(
    sheet: str, cols: Sequence[Col], rows: list[list[object]], freeze: str = "B2"
) -> TableData:
    return TableData(
        sheet=sheet,
        table=TABLES[sheet],
        columns=tuple(cols),
        rows=rows,
        count=len(rows),
        fit_heights=True,
        freeze=freeze,
    )


def _number(value: object) -> object:
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


#: Per ICS content, each unit's assessment columns as lists (gaps and both summaries use them).
_UNIT_COLUMNS: weakref.WeakKeyDictionary[IcsContent, dict[str, dict[str, list[object]]]] = (
    weakref.WeakKeyDictionary()
)
_UNIT_KEYS = ("para", "rag", "reason", "must_do", "chapter", "programme_area")


def _unit_columns(content: IcsContent, unit: str) -> dict[str, list[object]]:
    """The assessment columns of ``unit`` as lists, converted once per content."""
    cache = _UNIT_COLUMNS.setdefault(content, {})
    if unit not in cache:
        found = content.assessments[unit]
        if isinstance(found, PlaceAssessment):
            cache[unit] = {k: found.column(k) for k in _UNIT_KEYS}
        else:
            cache[unit] = {k: column_values(found[k]) for k in _UNIT_KEYS if k in found.columns}
    return cache[unit]


def column_values(column: pd.Series) -> list[object]:
    """``column.tolist()``, quicker for text held by pyarrow (no gaps: the same values)."""
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        arrow = column.array.__arrow_array__()
        if arrow.null_count == 0:
            return cast(list[object], arrow.to_pylist())
    return cast(list[object], column.tolist())


def names_of(content: IcsContent) -> dict[str, str]:
    """Unit id → name, the ICS (or region) itself included."""
    names = {u.id: u.name for u in content.units}
    names[content.unit_id] = content.unit_name
    return names


def _name_list(text: object, names: dict[str, str], seen: dict[str, str] | None = None) -> str:
    """'bedford, luton (N/A)' → 'Bedford Borough, Luton (N/A)' (``seen``: earlier answers,
    of whole lists and of single items alike: a one-item list reads as its item)."""
    if not isinstance(text, str) or not text:
        return ""
    known = {} if seen is None else seen
    if text in known:
        return known[text]
    out = []
    for item in text.split(", "):
        shown = known.get(item)
        if shown is None:
            unit, sep, why = item.partition(" (")
            shown = known[item] = f"{names.get(unit, unit)}{sep}{why}"
        out.append(shown)
    known[text] = answer = ", ".join(out)
    return answer


def matrix_table(content: IcsContent) -> TableData:
    """``ICS matrix``: one row per commitment, the units' RAG, the rolled RAG and why."""
    cat = content.catalogue
    names = names_of(content)
    unit_ids = list(content.rollup.units)
    units_word = "Places" if content.unit_word == "place" else "ICSs"
    cols = [
        Col("Para", 8, "centre"),
        Col("Chapter", 8, "centre"),
        Col("Programme area", 22, "wrap"),
        Col("Life course", 12, "text"),
        Col("Title", 40, "wrap"),
        Col("Must-do", 9, "centre"),
        Col("Level", 9, "centre"),
        *(Col(names.get(u, u), 13, "rag") for u in unit_ids),
    ]
    tail = tail_headers(content.level_word, units_word)
    cols += [
        Col(tail[0], 13, "rag"),
        Col(tail[1], 8, "score"),
        Col(tail[2], 30, "wrap"),
        Col(tail[3], 30, "wrap"),
        Col(tail[4], 18, "text"),
        Col(tail[5], 50, "wrap"),
    ]
    rollup = content.rollup
    unit_values = [rollup.unit_rags(u) for u in unit_ids]
    ends = [
        rollup.column(k)
        for k in ("ics_rag", "score", "places_counted", "places_excluded", "rule", "explanation")
    ]
    areas, stages = cat.programme_area_names, LIFE_COURSE_NAMES
    seen: dict[str, str] = {}  # most rows count the same places
    rows: list[list[object]] = []
    for i, para in enumerate(rollup.column("para")):
        c = cat.by_id[str(para)]
        rows.append(
            [
                c.id,
                c.chapter,
                areas.get(c.programme_area, c.programme_area),
                stages.get(c.life_course or "", c.life_course or ""),
                c.title,
                "Yes" if c.must_do else "No",
                LEVEL_NAMES.get(c.level, c.level),
                *(values[i] for values in unit_values),
                ends[0][i],
                _number(ends[1][i]),
                _name_list(ends[2][i], names, seen),
                _name_list(ends[3][i], names, seen),
                ends[4][i],
                ends[5][i],
            ]
        )
    return _table(MATRIX, cols, rows, freeze="H2")


#: Per ICS content, both summaries' counts (each table builder asks for one of them).
_SUMMARY_COUNTS: weakref.WeakKeyDictionary[IcsContent, dict[str, Counts]] = (
    weakref.WeakKeyDictionary()
)


def _summary_counts(content: IcsContent, by: Literal["chapter", "programme_area"]) -> Counts:
    """Per unit (its index; the roll-up last) and group: RAG counts, one pass for both."""
    cache = _SUMMARY_COUNTS.get(content)
    if cache is None:
        columns: dict[str, list[object]] = {
            "rag": [],
            "must_do": [],
            "chapter": [],
            "programme_area": [],
            "unit": [],
        }
        keys = ("rag", "must_do", "chapter", "programme_area")
        for i, u in enumerate(content.units):  # lists, not a concat of 200 small frames
            if u.id in content.assessments:
                unit = _unit_columns(content, u.id)
                for key in keys:
                    columns[key] += unit[key]
                columns["unit"] += [i] * len(unit["rag"])
        rolled = content.rollup
        columns["rag"] += rolled.column("ics_rag")
        for key in keys[1:]:
            columns[key] += rolled.column(key)
        columns["unit"] += [len(content.units)] * len(rolled)
        # One vectorised summary over every unit; units keep their order (their index).
        by_chapter, by_area = summary_counts(
            columns,
            ["chapter", "programme_area"],
            catalogue=content.catalogue,
            within=["unit"],
        )
        cache = _SUMMARY_COUNTS[content] = {"chapter": by_chapter, "programme_area": by_area}
    return cache[by]


def _summary_rows(
    content: IcsContent, by: Literal["chapter", "programme_area"]
) -> list[list[object]]:
    cat = content.catalogue
    counts = _summary_counts(content, by)
    names = [u.name for u in content.units] + [content.unit_name]
    groups = counts.keys[by].tolist()
    labels = {
        g: chapter_label(g) if by == "chapter" else cat.programme_area_names.get(str(g), str(g))
        for g in dict.fromkeys(groups)
    }
    keys = (*RAG_VALUES, "total", "pct_green", "pct_assessed", "must_do_red")
    values = [counts.column(k).tolist() for k in keys]
    return [
        [names[int(unit)], labels[group], *(_number(column[i]) for column in values)]
        for i, (unit, group) in enumerate(zip(counts.keys["unit"].tolist(), groups, strict=True))
    ]


def summary_table(content: IcsContent, by: Literal["chapter", "programme_area"]) -> TableData:
    """``Summary by chapter`` / ``Summary by programme area``: per unit, then the roll-up."""
    first = "Chapter" if by == "chapter" else "Programme area"
    unit = "Place" if content.unit_word == "place" else "ICS"
    kinds: list[Kind] = ["int", "int", "int", "int", "int", "int", "percent", "percent", "int"]
    cols = [
        Col(unit, 24, "text"),
        Col(first, 44, "wrap"),
        *(Col(h, 9 if k == "int" else 11, k) for h, k in zip(SUMMARY_TAIL, kinds, strict=True)),
    ]
    return _table(BY_CHAPTER if by == "chapter" else BY_AREA, cols, _summary_rows(content, by))


def _first_inputs(sub: PlaceSubmission, paras: set[str]) -> dict[str, tuple[object, object]]:
    """Para → (initiatives, lead) of its first row, for the Paras asked about."""
    columns = sub.assessed_columns
    n = len(columns["para"])
    initiatives, lead = (columns.get(k) or [None] * n for k in ("initiatives", "lead"))
    at = first_positions(columns["para"])
    return {key: (initiatives[i], lead[i]) for key in paras if (i := at.get(key)) is not None}


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value if isinstance(value, str) else str(value)


def gaps_table(content: IcsContent) -> TableData:
    """``Gaps``: every Red, with place, initiatives, lead and reason; must-dos first."""
    cat = content.catalogue
    subs = {s.unit_id: s for s in content.submissions}
    order = [*(u.id for u in content.units), *([content.team.id] if content.team else [])]
    names = names_of(content)
    # Rows gathered per Para, each Para's in unit order; then the Paras in order (must-dos
    # first, then paragraph order): the same as sorting every row, without the sort.
    by_para: dict[str, list[list[object]]] = {}
    shown: dict[str, tuple[str, str]] = {}  # para → (title, must-do)
    for unit in order:
        if unit not in content.assessments:
            continue
        sub = subs.get(unit)
        columns = _unit_columns(content, unit)
        reds = [i for i, rag in enumerate(columns["rag"]) if rag == "Red"]
        if not reds:
            continue
        paras = columns["para"]
        red_paras = [str(paras[i]) for i in reds]
        inputs = _first_inputs(sub, set(red_paras)) if sub else {}
        every = columns.get("reason")
        reasons = [every[i] for i in reds] if every is not None else [""] * len(reds)
        name = names.get(unit, unit)
        for para, reason in zip(red_paras, reasons, strict=True):
            title_must = shown.get(para)
            if title_must is None:
                c = cat.by_id[para]
                title_must = shown[para] = (c.title, "Yes" if c.must_do else "No")
            initiatives, lead = inputs.get(para, (None, None))
            row: list[object] = [name, para, *title_must, *map(_text, (initiatives, lead, reason))]
            by_para.setdefault(para, []).append(row)
    rank = cat.para_rank
    ordered = sorted(by_para, key=lambda para: (shown[para][1] == "No", rank[para]))
    widths = (24, 8, 36, 9, 48, 20, 48)
    kinds: tuple[Kind, ...] = ("text", "centre", "wrap", "centre", "wrap", "wrap", "wrap")
    cols = [Col(h, w, k) for h, w, k in zip(GAPS_HEADERS, widths, kinds, strict=True)]
    return _table(GAPS, cols, [row for para in ordered for row in by_para[para]], freeze="C2")


def checks_rows(issues: Sequence[Issue]) -> list[list[object]]:
    """One Checks row per issue: severity, code, workbook, sheet, cell, para, message."""
    return [
        [
            i.severity.value,
            i.code,
            Path(i.where.file).name if i.where.file else "",
            i.where.sheet or "",
            i.where.cell or (f"line {i.where.line}" if i.where.line else ""),
            i.commitment or "",
            i.message,
        ]
        for i in issues
    ]


def checks_table(content: IcsContent) -> TableData:
    """``Checks``: every problem found, where it is and what to do."""
    rows = checks_rows(content.issues)
    if content.carried_checks is not None and not content.carried_checks.empty:
        rows += [[_text(v) for v in r] for r in content.carried_checks.itertuples(index=False)]
    widths = (9, 22, 24, 16, 8, 8, 90)
    kinds: tuple[Kind, ...] = ("centre", "text", "text", "text", "centre", "centre", "wrap")
    cols = [Col(h, w, k) for h, w, k in zip(CHECKS_HEADERS, widths, kinds, strict=True)]
    return _table(CHECKS, cols, rows, freeze="A2")


def _capped(lines: list[str], limit: int = 32_000) -> str:
    """Lines joined, cut with '… +N more' before Excel's 32 767-character cell limit."""
    out: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        if size + len(line) + 40 > limit:
            out.append(f"… +{len(lines) - i} more (see the ICS matrix)")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def snapshot_grid(content: IcsContent) -> list[list[str]]:
    """The seed 002 Appendix A grid: programme areas across, life-course stages down."""
    cat = content.catalogue
    rollup = content.rollup
    rag = dict(zip(rollup.column("para"), rollup.column("ics_rag"), strict=True))
    grid = [["NHS Long Term Plan", *(a.name for a in cat.programme_areas)]]
    cells: dict[tuple[object, object], list[str]] = {}  # (stage, area) → lines, in order
    for c in cat:
        line = f"para {c.id} {c.title} — {rag.get(c.id, 'Not assessed')}"
        cells.setdefault((c.life_course, c.programme_area), []).append(line)
    for stage in cat.life_course:
        row = [LIFE_COURSE_NAMES.get(stage, stage)]
        row += [_capped(cells.get((stage, area.id), [])) for area in cat.programme_areas]
        grid.append(row)
    return grid


def table_sheets(content: IcsContent) -> list[TableData]:
    """Every table sheet, in workbook order (Place data only for a merge)."""
    tables = [
        matrix_table(content),
        summary_table(content, "chapter"),
        summary_table(content, "programme_area"),
        gaps_table(content),
        checks_table(content),
    ]
    if content.scope == "ics-merge":
        from ltpgap.merge._place_data import place_data_table  # it builds on this module

        tables.append(place_data_table(content))
    return tables
