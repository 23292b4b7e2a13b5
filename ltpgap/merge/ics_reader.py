"""Read an ICS (or region/national) workbook written by `ltpgap merge` / `ltpgap rollup`.

Gate first (with the larger bounds an ICS workbook needs), then python-calamine. Tables are
read by header, never by position; names shown in the sheets are mapped back to ids through
the hidden metadata. Used by re-merging (the previous Place data), the board report and
`ltpgap summary`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, cast

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from ltpgap.catalogue import LIFE_COURSE_NAMES, Catalogue
from ltpgap.ics import Rules
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue
from ltpgap.layout import LEVEL_NAMES
from ltpgap.merge._sheets import (
    CHECKS,
    GAPS,
    ICS_LIMITS,
    MATRIX,
    META,
    PLACE_DATA,
    SCOPES,
    ics_checksum,
)
from ltpgap.merge.model import PlaceRef
from ltpgap.schema import COLUMNS, INPUT_KEYS
from ltpgap.workbook import ICS_SUMMARY_READERS, WorkbookSummary
from ltpgap.workbook.gate import GateLimits, inspect_workbook

__all__ = ["IcsWorkbook", "PlaceRef", "probe_scope", "read_ics_workbook", "summary_of"]

Grid = list[list[object]]
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

    @property
    def place_ids(self) -> tuple[str, ...]:
        """Unit ids in matrix order."""
        return tuple(p.id for p in self.places)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _raw(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else _text(value)


def _cell(value: object) -> object:
    return None if value == "" else value


def _open(path: str, limits: GateLimits | None) -> tuple[CalamineWorkbook, list[str]]:
    inspection = inspect_workbook(path, limits or ICS_LIMITS)
    if not inspection.passed:
        errors = [i for i in inspection.issues if i.severity is Severity.ERROR]
        raise LtpgapError(errors, summary=f"{path}: refused before reading")
    try:
        book = CalamineWorkbook.from_path(path)
    except CalamineError as exc:
        raise LtpgapError(
            [
                make_issue(
                    "unreadable-workbook",
                    f"the workbook could not be read ({exc}); open it in Excel, let it repair "
                    "the file and save it, or merge the place workbooks again.",
                    where=Where(file=path),
                )
            ]
        ) from None
    return book, list(book.sheet_names)


def _meta(book: CalamineWorkbook, names: list[str]) -> dict[str, str] | None:
    if META not in names:
        return None
    grid = cast(Grid, book.get_sheet_by_name(META).to_python(skip_empty_area=False))
    values: dict[str, str] = {}
    for row in grid:
        if row and _text(row[0]):
            # Long values continue in columns C, D … (see the writer).
            values.setdefault(_text(row[0]), "".join(_raw(v) for v in row[1:]))
    return values


def probe_scope(path: str | Path, limits: GateLimits | None = None) -> str | None:
    """The ICS-workbook scope ("ics-merge", "region", "national") of a file, else None."""
    try:
        book, names = _open(str(path), limits)
    except (LtpgapError, OSError):
        return None
    with book:
        meta = _meta(book, names)
    scope = (meta or {}).get("scope", "")
    return scope if scope in SCOPES else None


def _frame(book: CalamineWorkbook, names: list[str], sheet: str) -> pd.DataFrame | None:
    """A table sheet as a frame: header row 1, blank rows dropped, '' → None."""
    if sheet not in names:
        return None
    grid = cast(Grid, book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
    if not grid:
        return pd.DataFrame()
    header = [_text(h).strip() for h in grid[0]]
    width = len(header)
    rows = [
        [_cell(v) for v in (r + [None] * (width - len(r)))[:width]]
        for r in grid[1:]
        if any(v not in ("", None) for v in r)
    ]
    return pd.DataFrame(rows, columns=header, dtype=object)


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


def _matrix(
    frame: pd.DataFrame | None,
    places: tuple[PlaceRef, ...],
    areas: Mapping[str, str],
) -> pd.DataFrame:
    if frame is None or frame.empty:
        return pd.DataFrame(columns=[*_MATRIX_ORDER, *(p.id for p in places), *_MATRIX_TAIL])
    by_name = {p.name: p.id for p in places}
    rename = {h: _MATRIX_KEYS.get(h) or by_name.get(h, h) for h in frame.columns}
    out = frame.rename(columns=rename)
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
    return out[[c for c in order if c in out.columns]].reset_index(drop=True)


def _ids(frame: pd.DataFrame, ids: Mapping[str, str]) -> pd.DataFrame:
    if "place" in frame.columns:
        frame["place"] = frame["place"].map(lambda v: ids.get(_text(v), _text(v)))
    return frame


def _gaps(frame: pd.DataFrame | None, ids: Mapping[str, str]) -> pd.DataFrame:
    cols = ["place", "para", "title", "must_do", "initiatives", "lead", "reason"]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=cols)
    out = frame.set_axis(cols[: len(frame.columns)], axis=1)
    out["must_do"] = out["must_do"].map(lambda v: v == "Yes")
    out["para"] = out["para"].map(_text)
    return _ids(out, ids)


def _checks(frame: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["severity", "code", "workbook", "sheet", "cell", "para", "message"]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=cols)
    out = frame.set_axis(cols[: len(frame.columns)], axis=1)
    return out.map(lambda v: "" if v is None else _text(v))


def _place_data(frame: pd.DataFrame | None, ids: Mapping[str, str]) -> pd.DataFrame:
    lead = ["place", "source_file", "row", "para"]
    if frame is None or frame.empty:
        return pd.DataFrame(columns=[*lead, *INPUT_KEYS])
    names = list(frame.columns)
    rename = dict(zip(names[:4], lead, strict=False))
    rename |= {h: _INPUT_BY_HEADER[h] for h in names[4:] if h in _INPUT_BY_HEADER}
    out = frame.rename(columns=rename)
    for key in INPUT_KEYS:
        if key not in out.columns:
            out[key] = None
    out["para"] = out["para"].map(lambda v: "" if v is None else _text(v))
    out["row"] = out["row"].map(lambda v: int(v) if isinstance(v, int | float) else 0)
    extras = [c for c in out.columns if c not in {*lead, *INPUT_KEYS}]
    return _ids(out[[*lead, *INPUT_KEYS, *extras]], ids)


def _refs(text: str) -> tuple[PlaceRef, ...]:
    data = _load(text, [])
    return tuple(PlaceRef.from_json(d) for d in data if isinstance(d, dict))


def read_ics_workbook(path: str | Path, *, limits: GateLimits | None = None) -> IcsWorkbook:
    """Read an ICS workbook (gate first); raises LtpgapError when it is not one or is refused."""
    file = str(path)
    book, names = _open(file, limits)
    with book:
        meta = _meta(book, names)
        scope = (meta or {}).get("scope", "")
        if meta is None or scope not in SCOPES:
            raise LtpgapError(
                [
                    make_issue(
                        "no-metadata",
                        "this is not an ICS workbook written by `ltpgap merge` or `ltpgap "
                        "rollup` (its hidden '_ltpgap' sheet is missing or names no ICS scope).",
                        where=Where(file=file),
                        severity=Severity.ERROR,
                    )
                ],
                summary=f"{file}: not an ICS workbook",
            )
        tables = {s: _frame(book, names, s) for s in (MATRIX, GAPS, CHECKS, PLACE_DATA)}
    places = _refs(meta.get("places", ""))
    team_data = _load(meta.get("ics_team", ""), None)
    team = PlaceRef.from_json(team_data) if isinstance(team_data, dict) else None
    ids = {p.name: p.id for p in places} | {meta.get("unit_name", ""): meta.get("unit_id", "")}
    areas = _load(meta.get("programme_areas", ""), {})
    intact = meta.get("checksum", "") == ics_checksum(meta)
    issues: tuple[Issue, ...] = ()
    if not intact:
        issues = (
            make_issue(
                "metadata-edited",
                "the hidden metadata of this ICS workbook no longer matches its checksum "
                "(edited by hand); ltpgap still uses it. Merge again to rewrite it.",
                where=Where(file=file, sheet=META),
            ),
        )
    return IcsWorkbook(
        path=file,
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
        programme_areas=areas if isinstance(areas, dict) else {},
        matrix=_matrix(tables[MATRIX], places, areas if isinstance(areas, dict) else {}),
        gaps=_gaps(tables[GAPS], ids),
        checks=_checks(tables[CHECKS]),
        place_data=_place_data(tables[PLACE_DATA], ids),
        intact=intact,
        issues=issues,
    )


def summary_of(path: Path, catalogue: Catalogue) -> WorkbookSummary | None:
    """`ltpgap summary` for an ICS workbook: the rolled-up RAG and each unit's RAG per row."""
    if probe_scope(path) is None:
        return None
    wb = read_ics_workbook(path)
    m = wb.matrix
    frame = pd.DataFrame(
        {
            "para": m["para"],
            "chapter": m["chapter"],
            "programme_area": m["programme_area"],
            "must_do": m["must_do"].astype(bool),
            "rag": m["ics_rag"],
            "reason": m["explanation"],
        }
    )
    ids = [p.id for p in wb.places if p.id in m.columns]
    places = {str(row["para"]): {pid: str(row[pid]) for pid in ids} for row in m.to_dict("records")}
    return WorkbookSummary(
        workbook=path,
        level=cast(Any, "ics" if wb.scope == "ics-merge" else wb.scope),
        unit_id=wb.unit_id,
        unit_name=wb.unit_name,
        catalogue_id=wb.catalogue_id,
        catalogue_version=wb.catalogue_version,
        frame=frame,
        places=places,
        issues=wb.issues,
    )


if summary_of not in ICS_SUMMARY_READERS:
    ICS_SUMMARY_READERS.append(summary_of)
