"""Push a catalogue into an open workbook: the Catalogue versions plan, applied by Para.

The rows are matched by Para whatever order the planner left them in, carried through
:func:`ltpgap.catalogue.migration.apply_plan` (the same plan `ltpgap push` applies), and the
whole table body is written back in one block, in catalogue order. Inputs go back exactly as
typed (never as formulas, never retyped as dates); retired rows move to the ``Retired`` sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from ltpgap.catalogue import LIFE_COURSE_NAMES, Catalogue, CatalogueInfo, Commitment, Provenance
from ltpgap.catalogue.migration import MigrationPlan, MigrationResult, apply_plan, plan_migration
from ltpgap.dates import parse_deadline
from ltpgap.issues import Issue
from ltpgap.layout import LEVEL_NAMES, RETIRED_SHEET, catalogue_values, pushed_meta
from ltpgap.schema import COLUMNS, INPUT_KEYS, is_blank
from ltpgap.xl._cells import column_letter, grid_text, keep_text, pad_grid
from ltpgap.xl._sheet import Grid, find_sheet, read_grid
from ltpgap.xl.place import PlaceBook

if TYPE_CHECKING:
    import xlwings as xw

__all__ = [
    "PushPlan",
    "body_rows",
    "ensure_retired",
    "input_runs",
    "meta_block",
    "old_catalogue",
    "plan_push",
    "retired_block",
]

_RETIRED_LEAD = ("Para", "Title", "Reason")


def _text(value: object) -> str:
    return "" if is_blank(value) else str(value).strip()


def _old_commitment(row: Mapping[str, object], para: str, new: Catalogue) -> Commitment:
    """A commitment as the workbook row shows it (what the plan compares with the new one)."""
    areas = {v.casefold(): k for k, v in new.programme_area_names.items()}
    stages = {v.casefold(): k for k, v in LIFE_COURSE_NAMES.items()}
    levels = {v.casefold(): k for k, v in LEVEL_NAMES.items()}
    deadline = _text(row.get("deadline"))
    try:
        due = parse_deadline(deadline) if deadline else date.max
    except Exception:
        due = date.max
    try:
        chapter = int(float(_text(row.get("chapter")) or para.split(".")[0]))
    except ValueError:
        chapter = 0
    fields = {
        "chapter": chapter,
        "programme_area": areas.get(
            _text(row.get("programme_area")).casefold(), _text(row.get("programme_area"))
        ),
        "life_course": stages.get(_text(row.get("life_course")).casefold()) or None,
        "title": _text(row.get("title")),
        "commitment": _text(row.get("commitment")),
        "deadline": deadline,
        "due": due,
        "must_do": _text(row.get("must_do")).casefold() in {"yes", "true", "y"},
        "level": levels.get(_text(row.get("level")).casefold(), "place"),
    }
    base = new.get(para)
    if base is not None:
        return replace(base, replaces=(), **fields)  # type: ignore[arg-type]
    return Commitment(
        id=para,
        section="",
        provenance=Provenance(para_verified=False, source="workbook"),
        **fields,  # type: ignore[arg-type]
    )


def old_catalogue(place: PlaceBook, new: Catalogue) -> Catalogue:
    """The catalogue the workbook was built from, as far as its catalogue columns show it."""
    if place.meta.get("catalogue_hash") == new.content_hash:
        return new
    commitments: dict[str, Commitment] = {}
    for offset, para in enumerate(place.row_paras):
        if para and para not in commitments:
            row = place.first_row + offset
            cells = {k: place.grid.cell(row, col) for k, col in place.header.keys.items()}
            commitments[para] = _old_commitment(cells, para, new)
    info = CatalogueInfo(
        id=place.meta.get("catalogue_id", "workbook"),
        version=place.meta.get("catalogue_version", "0.0.0"),
        title="as recorded in the workbook",
        source=place.file,
    )
    return Catalogue(
        info=info,
        programme_areas=new.programme_areas,
        life_course=new.life_course,
        headline_metrics=(),
        commitments=tuple(commitments.values()),
        content_hash=place.meta.get("catalogue_hash", ""),
    )


@dataclass(frozen=True, kw_only=True)
class PushPlan:
    """What a push will write: the migrated rows, the retired rows and the flags."""

    plan: MigrationPlan
    result: MigrationResult
    commitments: tuple[Commitment, ...]  # one per new table row, in order

    @property
    def flags(self) -> tuple[Issue, ...]:
        """Split, merged and retired flags (for the Checks column)."""
        return self.result.flags


def plan_push(place: PlaceBook, new: Catalogue) -> PushPlan:
    """Match the workbook's rows to the new catalogue by Para and carry every input across."""
    plan = plan_migration(old_catalogue(place, new), new)
    inputs = place.inputs.drop(columns=["row"])
    result = apply_plan(plan, inputs, scope=place.scope)
    commitments = tuple(new.by_id[str(p)] for p in result.rows["para"])
    return PushPlan(plan=plan, result=result, commitments=commitments)


def body_rows(
    place: PlaceBook, push: PushPlan, catalogue: Catalogue, computed: pd.DataFrame
) -> tuple[list[int], list[list[object]]]:
    """The table's columns (in sheet order) and every new row's values for them."""
    keys = dict(place.header.keys)
    extras = dict(place.header.extras)
    columns = sorted({*keys.values(), *extras.values()})
    by_col: dict[int, tuple[str, str]] = {c: ("key", k) for k, c in keys.items()}
    by_col |= {c: ("extra", t) for t, c in extras.items()}
    flags: dict[str, list[str]] = {}
    for flag in push.flags:
        if flag.commitment:
            flags.setdefault(flag.commitment, []).append(flag.message)
    results = computed.set_index("para")
    rows: list[list[object]] = []
    for c, record in zip(push.commitments, push.result.rows.to_dict("records"), strict=True):
        shown = catalogue_values(c, catalogue)
        checks = "; ".join(
            filter(None, [str(results.at[c.id, "checks"] or ""), *flags.get(c.id, [])])
        )
        out: list[object] = []
        for col in columns:
            kind, name = by_col[col]
            if kind == "extra":
                out.append(keep_text(record.get(name)))
            elif name in shown:
                out.append(shown[name] if name == "para" else keep_text(shown[name]))
            elif name in INPUT_KEYS:
                out.append(keep_text(record.get(name)))
            elif name == "checks":
                out.append(grid_text(checks))
            else:
                out.append(grid_text(str(results.at[c.id, name] or "")))
        rows.append(out)
    return columns, rows


def retired_block(
    sheet_grid: Grid | None, retired: pd.DataFrame, extras: Sequence[str]
) -> tuple[int, list[list[object]]]:
    """Where to append on the Retired sheet (1-based row) and the rows, header first if new.

    An existing Retired sheet keeps its column order; a value whose column it lacks is still
    kept, appended at the right as ``Header: value``.
    """
    headers = [*_RETIRED_LEAD, *(c.header for c in COLUMNS if c.key in INPUT_KEYS), *extras]
    keys = ["para", "title", "reason", *INPUT_KEYS, *extras]
    out: list[list[object]] = []
    if sheet_grid is not None and sheet_grid.n_rows > 1:
        found = [
            str(sheet_grid.cell(1, j) or "").strip().casefold()
            for j in range(1, sheet_grid.n_cols + 1)
        ]
        lookup = {h.casefold(): i for i, h in enumerate(headers)}
        order: list[int | None] = [lookup.get(h) for h in found]
        missing = [i for i, h in enumerate(headers) if h.casefold() not in found]
        start = sheet_grid.n_rows + 1
    else:
        order, missing, start = list(range(len(headers))), [], 1
        out.append(list(headers))
    for record in retired.to_dict("records"):
        raw = [record.get(k) for k in keys]
        row: list[object] = [keep_text(raw[i]) if i is not None else None for i in order]
        row += [grid_text(f"{headers[i]}: {raw[i]}") for i in missing if not is_blank(raw[i])]
        out.append(row)
    return start, pad_grid(out, 0, max(len(r) for r in out))


def meta_block(meta_grid: Grid, catalogue: Catalogue) -> list[list[object]]:
    """Column B of the metadata sheet after the push (catalogue identity and checksum)."""
    keys = [str(meta_grid.cell(r, 1) or "").strip() for r in range(1, meta_grid.n_rows + 1)]
    values = {
        k: "" if is_blank(meta_grid.cell(r, 2)) else str(meta_grid.cell(r, 2))
        for r, k in enumerate(keys, start=1)
    }
    values = pushed_meta(values, catalogue)
    # Column B is formatted as text; an apostrophe would be kept literally there.
    return [[values.get(k, "")] for k in keys]


def input_runs(
    place: PlaceBook, commitments: Sequence[Commitment], extra_rows: int
) -> tuple[list[tuple[str, bool]], list[list[str | None]]]:
    """Lock flags (address, locked) and fill colours for the input cells of the new body."""
    cols = sorted(place.header.keys[k] for k in INPUT_KEYS if k in place.header.keys)
    if not cols:
        return [], []
    first, n = place.first_row, len(commitments)
    editable = [place.scope == "ics" or c.level == "place" for c in commitments]
    left, right = column_letter(cols[0]), column_letter(cols[-1])
    cells: list[tuple[str, bool]] = [(f"{left}{first}:{right}{first + n - 1}", True)]
    start: int | None = None
    for i, ok in enumerate([*editable, False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            cells.append((f"{left}{first + start}:{right}{first + i - 1}", False))
            start = None
    span = cols[-1] - cols[0] + 1
    colours: list[list[str | None]] = [["#FFFFFF" if ok else "#E8EDEE"] * span for ok in editable]
    colours += [[None] * span for _ in range(extra_rows)]
    return cells, colours


def ensure_retired(book: xw.Book) -> tuple[xw.Sheet, Grid | None]:
    """The Retired sheet and its values, adding the sheet when missing."""
    sheet = find_sheet(book, RETIRED_SHEET)
    if sheet is not None:
        return sheet, read_grid(sheet)
    return book.sheets.add(name=RETIRED_SHEET, after=book.sheets[len(book.sheets) - 1]), None
