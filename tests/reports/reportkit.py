"""Report inputs built from pure computations (ltpgap.rag), so report tests need no merge.

:class:`FakeIcsBook` has the shape of ``ltpgap.merge.read_ics_workbook``'s result (see the
ICS workbook contract); it is filled from place inputs through ``assess_place`` and
``rollup_ics``, exactly as the merge computes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig, Rules
from ltpgap.rag import assess_place, rollup_ics
from ltpgap.reports import Cover, Movement, ReportData
from ltpgap.reports._build import build_report
from ltpgap.reports._load import basis_from_ics
from ltpgap.schema import INPUT_KEYS

Row = Mapping[str, object]

#: Text a workbook cell may hold that a spreadsheet would run as a formula or an error.
INJECTIONS: tuple[str, ...] = (
    '=HYPERLINK("http://example.invalid/x","Click me")',
    "+44 20 7946 0000",
    "@SUM(A1)",
    "#N/A",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class FakePlace:
    """A place as the ICS workbook lists it."""

    id: str
    name: str
    population: int = 0
    file: str = ""


@dataclass(frozen=True, kw_only=True)
class FakeIcsBook:
    """The fields of the merge's IcsWorkbook that the report reads."""

    path: str
    scope: str
    unit_id: str
    unit_name: str
    catalogue_id: str
    catalogue_version: str
    as_at: str | None
    places: tuple[FakePlace, ...]
    rules: Rules
    matrix: pd.DataFrame
    gaps: pd.DataFrame
    checks: pd.DataFrame = field(default_factory=pd.DataFrame)


def inputs_frame(rows: Mapping[str, Row]) -> pd.DataFrame:
    """An inputs frame (para + every input key) from para → {key: value}."""
    records = [{"para": para, **{k: row.get(k) for k in INPUT_KEYS}} for para, row in rows.items()]
    return pd.DataFrame(records, columns=["para", *INPUT_KEYS])


def _gaps(frame: pd.DataFrame, inputs: pd.DataFrame, unit: str, cat: Catalogue) -> list[Any]:
    given = inputs.set_index("para")
    out = []
    for rec in frame[frame["rag"] == "Red"].to_dict("records"):
        para = rec["para"]
        out.append(
            {
                "place": unit,
                "para": para,
                "title": cat.by_id[para].title,
                "must_do": cat.by_id[para].must_do,
                "initiatives": given["initiatives"].get(para),
                "lead": given["lead"].get(para),
                "reason": rec["reason"],
            }
        )
    return out


def ics_book(
    catalogue: Catalogue,
    ics: IcsConfig,
    places: Mapping[str, Mapping[str, Row]],
    team: Mapping[str, Row] | None = None,
    *,
    path: str = "ICS.xlsx",
    checks: int = 0,
) -> FakeIcsBook:
    """An ICS workbook's content, computed from each place's (and the ICS team's) inputs."""
    long, gaps = [], []
    for place in ics.places:
        inputs = inputs_frame(places.get(place.id, {}))
        frame = assess_place(catalogue, inputs, unit_id=place.id).frame
        long.append(frame[["para", "rag"]].assign(place=place.id))
        gaps += _gaps(frame, inputs, place.id, catalogue)
    team_inputs = inputs_frame(team or {})
    team_frame = assess_place(catalogue, team_inputs, unit_id=ics.id, scope="ics").frame
    gaps += _gaps(team_frame, team_inputs, ics.id, catalogue)
    result = rollup_ics(catalogue, pd.concat(long), ics=ics, ics_rags=team_frame[["para", "rag"]])
    info = catalogue.to_frame().rename(columns={"id": "para"})[["para", "title", "deadline"]]
    matrix = result.frame.merge(result.matrix.drop(columns=["ics_rag"]), on="para").merge(
        info, on="para"
    )
    return FakeIcsBook(
        path=path,
        scope="ics-merge",
        unit_id=ics.id,
        unit_name=ics.name,
        catalogue_id=catalogue.info.id,
        catalogue_version=catalogue.info.version,
        as_at=ics.as_at.isoformat() if ics.as_at else None,
        places=tuple(FakePlace(id=p.id, name=p.name, population=p.population) for p in ics.places),
        rules=ics.rules,
        matrix=matrix,
        gaps=pd.DataFrame(
            gaps, columns=["place", "para", "title", "must_do", "initiatives", "lead", "reason"]
        ),
        checks=pd.DataFrame({"code": ["x"] * checks}),
    )


def ics_report(
    catalogue: Catalogue,
    book: FakeIcsBook,
    *,
    cover: Cover | None = None,
    movement: Movement | None = None,
) -> ReportData:
    """The report of an ICS workbook's content."""
    return build_report(catalogue, basis_from_ics(book), cover=cover or Cover(), movement=movement)
