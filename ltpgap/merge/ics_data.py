"""An ICS workbook's content from its metadata and table frames: pure, no file reading.

:func:`ics_workbook` turns the hidden metadata (key → text) and the table sheets (as frames,
header row 1, blank rows dropped) into an :class:`IcsWorkbook`. :func:`read_ics_workbook`
(ltpgap.merge.ics_reader) feeds it what python-calamine read from the file; the Excel add-in
(ltpgap.xl.ics) feeds it what the open workbook holds, to rebuild each unit from ``Place
data`` exactly as a re-merge does. This module imports neither python-calamine nor openpyxl,
so the add-in's ICS recompute runs where they are missing (xlwings Lite).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from ltpgap.catalogue import LIFE_COURSE_NAMES, Catalogue
from ltpgap.ics import Rules
from ltpgap.issues import Issue, Where, make_issue
from ltpgap.layout import LEVEL_NAMES, NumericParas, column_letter
from ltpgap.merge._sheets import (
    CHECKS,
    CHECKS_HEADERS,
    GAPS,
    GAPS_HEADERS,
    LEVEL_WORDS,
    MATRIX,
    MATRIX_LEAD,
    META,
    PLACE_DATA,
    ics_checksum,
)
from ltpgap.merge.model import PlaceRef
from ltpgap.schema import COLUMNS, INPUT_KEYS

__all__ = ["IcsWorkbook", "ics_workbook", "matrix_problems"]

_INPUT_BY_HEADER = {c.header: c.key for c in COLUMNS if c.key in INPUT_KEYS}
_MATRIX_KEYS = {
    "Para": "para",
    "Chapter": "chapter",
    "Programme area": "programme_area",
    "Life course": "life_course",
    "Title": "title",
    "Must-do": "must_do",
    "Level": "level",
    "ICS RAG": "ics_rag",
    "Region RAG": "ics_rag",
    "National RAG": "ics_rag",
    "Score": "score",
    "Places counted": "places_counted",
    "ICSs counted": "places_counted",
    "Places excluded": "places_excluded",
    "ICSs excluded": "places_excluded",
    "Rule": "rule",
    "Explanation": "explanation",
}
_MATRIX_ORDER = (
    "para",
    "title",
    "chapter",
    "programme_area",
    "life_course",
    "must_do",
    "level",
)
_MATRIX_TAIL = (
    "ics_rag",
    "score",
    "places_counted",
    "places_excluded",
    "rule",
    "explanation",
)


@dataclass(frozen=True, kw_only=True)
class IcsWorkbook:
    """An ICS workbook as read: identity, units, rules and its tables as DataFrames."""

    path: str
    scope: str  # "ics-merge" | "region" | "national"
    unit_id: str
    unit_name: str
    catalogue_id: str
    catalogue_version: str
    as_at: str | None
    places: tuple[PlaceRef, ...]
    rules: Rules
    matrix: pd.DataFrame
    gaps: pd.DataFrame
    checks: pd.DataFrame
    place_data: pd.DataFrame
    catalogue_hash: str = ""
    generated_at: str = ""
    team: PlaceRef | None = None
    programme_areas: Mapping[str, str] = field(default_factory=dict)
    intact: bool = True  # the metadata checksum matched
    issues: tuple[Issue, ...] = ()
    #: What someone added to the workbook by hand, which a merge into it does not carry
    #: over: "sheet 'My notes'", "column 'Comment' (R) on ICS matrix" …
    additions: tuple[str, ...] = ()
    #: Input columns the Place data sheet no longer has (renamed or deleted by hand; all of
    #: them when the sheet itself is gone): the data kept there for units lacks them.
    place_data_missing: tuple[str, ...] = ()
    #: Headers the ICS matrix should have and does not (changed or deleted by hand): its
    #: results cannot be read (a merge rewrites it; a report or roll-up cannot use it).
    matrix_missing: tuple[str, ...] = ()
    #: The sheet row of each row of :attr:`matrix`, and the column letter of each of its
    #: columns (by key: 'para', 'ics_rag', a unit id …), to name a cell of the ICS matrix.
    matrix_at: tuple[int, ...] = ()
    matrix_letters: Mapping[str, str] = field(default_factory=dict)

    def matrix_cell(self, position: int, key: str) -> str | None:
        """The cell ('T9') of :attr:`matrix`'s row at ``position`` in column ``key``."""
        letter = self.matrix_letters.get(key)
        if letter is None or not 0 <= position < len(self.matrix_at):
            return None
        return f"{letter}{self.matrix_at[position]}"

    @property
    def place_ids(self) -> tuple[str, ...]:
        """Unit ids in matrix order."""
        return tuple(p.id for p in self.places)


@functools.lru_cache(maxsize=64)
def _empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    """A frame with these columns and no rows (a table sheet that is missing or empty).

    Each call gets its own copy of one frame built per set of columns: a workbook without
    Gaps or Checks is read every Recompute, and building an empty frame costs more than copying.
    """
    return _empty_frame(columns).copy()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _load(text: str, default: Any) -> Any:
    try:
        return json.loads(text) if text else default
    except json.JSONDecodeError:
        return default


def _rules(text: str) -> Rules:
    data = _load(text, {})
    known = {f.name for f in fields(Rules)}
    return (
        Rules(**{k: v for k, v in data.items() if k in known})
        if isinstance(data, dict)
        else Rules()
    )


@dataclass(frozen=True, slots=True)
class _Matrix:
    frame: pd.DataFrame
    stray: list[str]
    at: tuple[int, ...] = ()  # sheet row of each row of frame
    letters: Mapping[str, str] = field(default_factory=dict)  # key → column letter


def _matrix(
    frame: pd.DataFrame | None,
    places: tuple[PlaceRef, ...],
    areas: Mapping[str, str],
) -> _Matrix:
    if frame is None or frame.empty:
        return _Matrix(_empty((*_MATRIX_ORDER, *(p.id for p in places), *_MATRIX_TAIL)), [])
    by_name = {p.name: p.id for p in places}
    keys = [_MATRIX_KEYS.get(h) or by_name.get(h, h) for h in frame.columns]
    letters: dict[str, str] = {}
    for j, key in enumerate(keys):
        letters.setdefault(key, column_letter(j + 1))
    frame = frame.set_axis(keys, axis=1).set_axis(_sheet_rows(frame), axis=0)
    # A row that is a commitment's has its Para, and its ICS RAG or (when that was blanked by
    # hand, which the readers name) its Title: a note typed under the table in column A has
    # neither of the others.
    out, stray = _not_rows(frame, ("para", ("ics_rag", "title")), MATRIX)
    at = tuple(int(i) for i in out.index)
    for key in (*_MATRIX_ORDER, *_MATRIX_TAIL):  # a header retyped by hand: read as blank
        if key not in out.columns:
            out[key] = None
    area_ids = {name: pid for pid, name in areas.items()}
    stage_ids = {name: sid for sid, name in LIFE_COURSE_NAMES.items()}
    levels = {name: lid for lid, name in LEVEL_NAMES.items()}
    out["para"] = out["para"].map(_text)
    out["chapter"] = out["chapter"].map(lambda v: int(v) if isinstance(v, int | float) else v)
    out["programme_area"] = out["programme_area"].map(lambda v: area_ids.get(v, v))
    out["life_course"] = pd.Series(
        [stage_ids.get(v, v) if isinstance(v, str) and v else None for v in out["life_course"]],
        index=out.index,
        dtype=object,
    )
    out["must_do"] = out["must_do"].map(lambda v: v == "Yes")
    out["level"] = out["level"].map(lambda v: levels.get(v, v))
    out["score"] = pd.to_numeric(out["score"], errors="coerce")
    for col in ("places_counted", "places_excluded", "rule", "explanation"):
        out[col] = out[col].map(lambda v: "" if v is None else str(v))
    order = [*_MATRIX_ORDER, *(p.id for p in places), *_MATRIX_TAIL]
    return _Matrix(
        out[[c for c in order if c in out.columns]].reset_index(drop=True), stray, at, letters
    )


def _sheet_rows(frame: pd.DataFrame) -> list[int]:
    """The sheet row of each row of a table frame: its index when read from a sheet (see
    ``numbered``), else counted from row 2."""
    if isinstance(frame.index, pd.RangeIndex):
        return [at + 2 for at in range(len(frame))]
    return [int(i) for i in frame.index]


def _ids(frame: pd.DataFrame, ids: Mapping[str, str]) -> pd.DataFrame:
    if "place" in frame.columns:
        frame["place"] = frame["place"].map(lambda v: ids.get(_text(v), _text(v)))
    return frame


#: What a row of each table is, for "a row … that is not a gap".
_ROW_NOUNS = {MATRIX: "commitment", GAPS: "gap", CHECKS: "check"}


def _not_rows(
    frame: pd.DataFrame, keys: Sequence[str | tuple[str, ...]], sheet: str
) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` less the rows blank in any of ``keys`` (cells ltpgap fills in every row it
    writes; a tuple of keys: blank in all of them), and those rows as an addition: text typed
    into the table by hand, e.g. a note typed just under it, which Excel takes into the table.
    The frame's index is the sheet row (a frame not read from a sheet counts from row 2).
    Nothing is dropped when a key column is missing: that is a header changed by hand,
    reported as such."""
    groups = [(k,) if isinstance(k, str) else k for k in keys]
    if frame.empty or not {k for g in groups for k in g} <= set(frame.columns):
        return frame, []
    stray = np.zeros(len(frame), dtype=bool)
    for group in groups:
        stray |= frame[list(group)].isna().all(axis=1).to_numpy()
    if not stray.any():
        return frame, []
    rows_at = (
        frame.index.tolist()
        if not isinstance(frame.index, pd.RangeIndex)
        else [at + 2 for at in range(len(frame))]
    )
    cells = []
    for at in np.flatnonzero(stray).tolist():
        first = next((j for j, v in enumerate(frame.iloc[at]) if v is not None), 0)
        cells.append(f"{column_letter(first + 1)}{rows_at[at]}")
    rows = "a row" if len(cells) == 1 else f"{len(cells)} rows"
    shown = ", ".join(cells[:3]) + (", …" if len(cells) > 3 else "")
    noun = _ROW_NOUNS[sheet] + ("" if len(cells) == 1 else "s")
    what = "is not a" if len(cells) == 1 else "are not"
    return frame[~stray], [f"{rows} of the table on {sheet} that {what} {noun} ({shown})"]


def _known(frame: pd.DataFrame, width: int) -> pd.DataFrame:
    """The first ``width`` columns (what ltpgap wrote), less rows blank in all of them: a
    column typed beside the table is not part of it."""
    out = frame.iloc[:, :width]
    return out[out.notna().any(axis=1)] if out.shape[1] < frame.shape[1] else out


def _gaps(frame: pd.DataFrame | None, ids: Mapping[str, str]) -> tuple[pd.DataFrame, list[str]]:
    cols = ["place", "para", "title", "must_do", "initiatives", "lead", "reason"]
    if frame is None or frame.empty:
        return _empty(tuple(cols)), []
    frame = _known(frame, len(cols))
    out, stray = _not_rows(frame.set_axis(cols[: len(frame.columns)], axis=1), cols[1:3], GAPS)
    out["must_do"] = out["must_do"].map(lambda v: v == "Yes")
    out["para"] = out["para"].map(_text)
    return _ids(out.reset_index(drop=True), ids), stray


def _checks(frame: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    cols = ["severity", "code", "workbook", "sheet", "cell", "para", "message"]
    if frame is None or frame.empty:
        return _empty(tuple(cols)), []
    frame = _known(frame, len(cols))
    out, stray = _not_rows(frame.set_axis(cols[: len(frame.columns)], axis=1), cols[:2], CHECKS)
    return out.reset_index(drop=True).map(lambda v: "" if v is None else _text(v)), stray


def _place_data(frame: pd.DataFrame | None, ids: Mapping[str, str]) -> pd.DataFrame:
    lead = ["place", "source_file", "row", "para"]
    if frame is None or frame.empty:
        return _empty((*lead, *INPUT_KEYS))
    names = list(frame.columns)
    rename = dict(zip(names[:4], lead, strict=False))
    rename |= {h: _INPUT_BY_HEADER[h] for h in names[4:] if h in _INPUT_BY_HEADER}
    keys = [rename.get(n, n) for n in names]
    if len(set(keys)) < len(keys) or len(names) < len(lead):
        return _place_data_by_column(frame.rename(columns=rename), ids)
    # The same columns as _place_data_by_column, in one object block: the cells as read.
    cells = frame.to_numpy(dtype=object)
    at = {k: j for j, k in enumerate(keys)}
    order = [*lead, *INPUT_KEYS, *(k for k in keys if k not in {*lead, *INPUT_KEYS})]
    out = np.empty((len(frame), len(order)), dtype=object)  # None where a column is missing
    for j, key in enumerate(order):
        if key in at:
            out[:, j] = cells[:, at[key]]
    out[:, 0] = [
        ids.get(text, text) for text in (v if type(v) is str else _text(v) for v in out[:, 0])
    ]
    out[:, 2] = [int(v) if isinstance(v, int | float) else 0 for v in out[:, 2].tolist()]
    out[:, 3] = [v if type(v) is str else "" if v is None else _text(v) for v in out[:, 3]]
    return pd.DataFrame(out, columns=order, index=frame.index, dtype=object)


def _place_data_by_column(out: pd.DataFrame, ids: Mapping[str, str]) -> pd.DataFrame:
    lead = ["place", "source_file", "row", "para"]
    out = out.loc[:, ~out.columns.duplicated()]  # headers retyped alike by hand: the first
    for key in (*lead, *INPUT_KEYS):
        if key not in out.columns:
            out[key] = None
    out["para"] = out["para"].map(lambda v: "" if v is None else _text(v))
    out["row"] = out["row"].map(lambda v: int(v) if isinstance(v, int | float) else 0)
    extras = [c for c in out.columns if c not in {*lead, *INPUT_KEYS}]
    return _ids(out[[*lead, *INPUT_KEYS, *extras]], ids)


def _added_columns(
    tables: Mapping[str, pd.DataFrame | None], places: tuple[PlaceRef, ...]
) -> list[str]:
    """Columns of the ICS matrix, Gaps and Checks that ltpgap did not write (a comment column
    typed beside a table), by header and letter."""
    known = {
        MATRIX: {*_MATRIX_KEYS, *(p.name for p in places)},
        GAPS: set(GAPS_HEADERS),
        CHECKS: set(CHECKS_HEADERS),
    }
    found = []
    for sheet, headers in known.items():
        frame = tables.get(sheet)
        if frame is None:
            continue
        for j, header in enumerate(frame.columns):
            if header in headers or (not header and frame.iloc[:, j].isna().all()):
                continue
            named = f"'{header}' ({column_letter(j + 1)})" if header else column_letter(j + 1)
            found.append(f"column {named} on {sheet}")
    return found


def _missing_inputs(frame: pd.DataFrame | None) -> tuple[str, ...]:
    """The input headers missing from Place data's header row (every one if it is gone)."""
    headers = set(frame.columns) if frame is not None else set()
    return tuple(h for h in _INPUT_BY_HEADER if h not in headers)


def _refs(text: str) -> tuple[PlaceRef, ...]:
    data = _load(text, [])
    return tuple(PlaceRef.from_json(d) for d in data if isinstance(d, dict))


def ics_workbook(
    meta: Mapping[str, str],
    tables: Mapping[str, pd.DataFrame | None],
    *,
    path: str,
    other_sheets: tuple[str, ...] = (),
    outside: tuple[str, ...] = (),
) -> IcsWorkbook:
    """The ICS workbook these metadata values and table frames make up.

    ``tables`` maps table sheet names (``ICS matrix``, ``Gaps``, ``Checks``, ``Place data``)
    to their frames; a sheet left out reads as empty. Names shown in the sheets are mapped
    back to ids through the metadata; a metadata checksum that does not match is reported.
    ``other_sheets`` names sheets ltpgap did not write that hold values, and ``outside`` the
    text typed outside its tables; with the columns added beside the tables they make up
    :attr:`IcsWorkbook.additions`.
    """
    scope = meta.get("scope", "")
    places = _refs(meta.get("places", ""))
    team_data = _load(meta.get("ics_team", ""), None)
    team = PlaceRef.from_json(team_data) if isinstance(team_data, dict) else None
    ids = {p.name: p.id for p in places} | {meta.get("unit_name", ""): meta.get("unit_id", "")}
    loaded = _load(meta.get("programme_areas", ""), {})
    areas = loaded if isinstance(loaded, dict) else {}
    intact = meta.get("checksum", "") == ics_checksum(meta)
    issues: tuple[Issue, ...] = ()
    if not intact:
        issues = (
            make_issue(
                "metadata-edited",
                "the hidden metadata of this ICS workbook no longer matches its checksum "
                "(edited by hand); ltpgap still uses it. Merge again to rewrite it.",
                where=Where(file=path, sheet=META),
            ),
        )
    matrix = _matrix(tables.get(MATRIX), places, areas)
    gaps, stray_gaps = _gaps(tables.get(GAPS), ids)
    checks, stray_checks = _checks(tables.get(CHECKS))
    return IcsWorkbook(
        path=path,
        scope=scope,
        unit_id=meta.get("unit_id", ""),
        unit_name=meta.get("unit_name", ""),
        catalogue_id=meta.get("catalogue_id", ""),
        catalogue_version=meta.get("catalogue_version", ""),
        catalogue_hash=meta.get("catalogue_hash", ""),
        as_at=meta.get("as_at") or None,
        generated_at=meta.get("generated_at", ""),
        places=places,
        team=team,
        rules=_rules(meta.get("rules", "")),
        programme_areas=areas,
        matrix=matrix.frame,
        gaps=gaps,
        checks=checks,
        place_data=_place_data(tables.get(PLACE_DATA), ids),
        intact=intact,
        issues=issues,
        additions=(
            *(f"sheet '{n}'" for n in other_sheets),
            *_added_columns(tables, places),
            *outside,
            *matrix.stray,
            *stray_gaps,
            *stray_checks,
        ),
        place_data_missing=_missing_inputs(tables.get(PLACE_DATA)),
        matrix_missing=_matrix_missing(tables.get(MATRIX), places, scope),
        matrix_at=matrix.at,
        matrix_letters=matrix.letters,
    )


def _matrix_missing(
    frame: pd.DataFrame | None, places: tuple[PlaceRef, ...], scope: str
) -> tuple[str, ...]:
    """The ICS matrix headers a reader of its results needs and does not find."""
    if frame is None:
        return (MATRIX,)  # the whole sheet
    needed = (*MATRIX_LEAD, f"{LEVEL_WORDS.get(scope, 'ICS')} RAG", *(p.name for p in places))
    return tuple(h for h in needed if h not in set(frame.columns))


def matrix_problems(book: IcsWorkbook, catalogue: Catalogue) -> list[Issue]:
    """Errors when the ICS matrix cannot be read for its results: a header changed by hand
    or, given the catalogue the workbook was made with, a commitment's row deleted, copied or
    its Para retyped (a summary, report or roll-up would count it wrong, or not at all)."""
    again = (
        "roll up again into this workbook (`ltpgap rollup … --out` it)"
        if book.scope in ("region", "national")
        else "merge again into this workbook (`ltpgap merge … --out` it)"
    )
    if not book.matrix_missing:
        return _row_problems(book, catalogue, again)
    what = (
        "the ICS matrix sheet is missing"
        if book.matrix_missing == (MATRIX,)
        else "the ICS matrix has no "
        + ", ".join(f"'{h}'" for h in book.matrix_missing)
        + " column (a header changed or deleted by hand)"
    )
    return [
        make_issue(
            "ics-matrix-damaged",
            f"{what}, so its results cannot be read. Put the header back as it was, or {again}, "
            "which rewrites the sheet.",
            where=Where(file=book.path, sheet=MATRIX),
        )
    ]


def _row_problems(book: IcsWorkbook, catalogue: Catalogue, again: str) -> list[Issue]:
    """The ICS matrix must hold one row per commitment of its catalogue, each under its own
    Para: a row deleted, copied or renumbered by hand is named, cell by cell."""
    if book.catalogue_hash != catalogue.content_hash or book.matrix.empty:
        return []  # another catalogue: its readers say so (catalogue-mismatch)
    fix = f"Put the row back as it was, or {again}, which rewrites the sheet."
    made_with = f"catalogue {book.catalogue_id} {book.catalogue_version}".strip()
    known = set(catalogue.ids)
    numbers = NumericParas(catalogue).by_number  # 3.1 → ['3.10', '3.1'] …
    first: dict[str, int] = {}
    issues: list[Issue] = []

    def where(position: int) -> Where:
        return Where(file=book.path, sheet=MATRIX, cell=book.matrix_cell(position, "para"))

    def row(position: int) -> str:
        return str(book.matrix_at[position]) if position < len(book.matrix_at) else "?"

    for position, para in enumerate(book.matrix["para"].tolist()):
        if para not in known:
            try:  # a Para Excel turned into a number: which commitment was meant
                meant = numbers.get(float(para), [])
            except ValueError:
                meant = []
            hint = (
                f"; {' or '.join(meant)} typed as a number reads '{para}'"
                if meant and para not in meant
                else ""
            )
            issues.append(
                make_issue(
                    "ics-matrix-damaged",
                    f"row {row(position)} of the ICS matrix is under Para '{para}', which is not a "
                    f"commitment of {made_with}, the catalogue this workbook was made with "
                    f"(retyped by hand?{hint}), so its results cannot be read. {fix}",
                    where=where(position),
                )
            )
        elif para in first:
            issues.append(
                make_issue(
                    "ics-matrix-damaged",
                    f"{para} has two rows on the ICS matrix (rows {row(first[para])} and "
                    f"{row(position)}: copied, or another row's Para retyped, by hand?), so its "
                    f"results cannot be read: a summary would count it twice. {fix}",
                    where=where(position),
                    commitment=para,
                )
            )
        else:
            first[para] = position
    missing = [i for i in catalogue.ids if i not in first]
    if missing:
        its = "its" if len(missing) == 1 else "their"
        shown = ", ".join(missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        issues.append(
            make_issue(
                "ics-matrix-damaged",
                f"the ICS matrix has no row for {shown} ({len(missing)} of the "
                f"{len(catalogue.ids)} commitments of {made_with}; deleted, or {its} Para "
                "retyped, by hand?), so its results cannot be read: a summary would leave them "
                f"out. {fix}",
                where=Where(file=book.path, sheet=MATRIX),
            )
        )
    return issues
