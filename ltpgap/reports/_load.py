"""Read the workbook a report is made from: an ICS workbook (merge) or a place workbook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from ltpgap.ics import IcsConfig, ReportDefaults, Rules
from ltpgap.reports._build import Basis
from ltpgap.reports._text import plain
from ltpgap.reports.model import Cover, RuleGroup, Unit
from ltpgap.schema import rags_as_read
from ltpgap.workbook import WorkbookResult

__all__ = [
    "PLACE_RULES",
    "IcsWorkbookLike",
    "basis_from_ics",
    "basis_from_place",
    "cover_for",
]

#: SPEC §5 in planners' words: how each place's RAG is decided (printed in every report).
PLACE_RULES: RuleGroup = (
    "How each place's RAG is decided: the first rule that applies",
    (
        "Not applicable = Yes → N/A (left out of every percentage).",
        "Every input blank → Not assessed.",
        "A RAG override with a reason → the override (without a reason it is ignored).",
        "Status None, or neither Status nor Initiatives → Red (a gap).",
        "In place with Full coverage → Green.",
        "Expected delivery after the commitment's deadline → Red.",
        "In place or In progress, Full coverage, delivery on or before the deadline → Green.",
        "Anything else (Partial coverage, Planned, no delivery date) → Amber.",
    ),
)

#: What the merged workbook's rolled-up RAG is called, by its scope.
_KINDS = {
    "ics-merge": ("ICS workbook", "ICS RAG"),
    "region": ("regional roll-up", "Region RAG"),
    "national": ("national roll-up", "National RAG"),
}

_ATTRIBUTES = ("title", "chapter", "programme_area", "life_course", "must_do", "level", "deadline")


class PlaceLike(Protocol):
    """A place as the ICS workbook lists it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class IcsWorkbookLike(Protocol):
    """What the report reads from ``ltpgap.merge.read_ics_workbook`` (see its contract)."""

    @property
    def path(self) -> str: ...
    @property
    def unit_id(self) -> str: ...
    @property
    def unit_name(self) -> str: ...
    @property
    def catalogue_id(self) -> str: ...
    @property
    def catalogue_version(self) -> str: ...
    @property
    def as_at(self) -> Any: ...
    @property
    def places(self) -> Sequence[PlaceLike]: ...
    @property
    def rules(self) -> Rules: ...
    @property
    def matrix(self) -> pd.DataFrame: ...
    @property
    def gaps(self) -> pd.DataFrame: ...
    @property
    def checks(self) -> pd.DataFrame: ...
    @property
    def scope(self) -> str: ...


def as_date(value: Any) -> date | None:
    """A date from a date, datetime or ISO text; None when blank or unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(plain(value)[:10])
    except ValueError:
        return None


def cover_for(ics: IcsConfig | None, ics_id: str, given: Cover | None) -> Cover:
    """The cover: defaults, then the ICS file's ``report:`` (same ICS only), then ``given``."""
    cover = Cover()
    if ics is not None and ics.id == ics_id:
        defaults: ReportDefaults = ics.report
        cover = cover.updated(
            organisation=defaults.organisation,
            meeting=defaults.meeting,
            purpose=defaults.purpose,
            recommendation=defaults.recommendation,
            key_risks=defaults.key_risks,
        )
    if given is not None:
        cover = cover.updated(**{f.name: getattr(given, f.name) for f in fields(given)})
    return cover


def _column(matrix: pd.DataFrame, place: PlaceLike) -> pd.Series:
    for key in (place.id, place.name):
        if key in matrix.columns:
            return matrix[key]
    return pd.Series(["Not assessed"] * len(matrix), index=matrix.index, dtype=object)


def basis_from_ics(book: IcsWorkbookLike) -> Basis:
    """The report basis of an ICS workbook: each place's RAG and the ICS RAG per commitment."""
    places = tuple(Unit(id=p.id, name=p.name, kind="place") for p in book.places)
    subject = Unit(id=book.unit_id or "ics", name=book.unit_name or book.unit_id, kind="ics")
    matrix = book.matrix
    rags = pd.DataFrame({"para": matrix["para"].map(plain)})
    for place in places:  # what is not a RAG counts as Not assessed (and is named)
        rags[place.id] = rags_as_read(_column(matrix, place).tolist())
    rags[subject.id] = rags_as_read(matrix["ics_rag"].tolist())
    attributes = matrix[["para", *[c for c in _ATTRIBUTES if c in matrix.columns]]]
    ids = {p.name: p.id for p in places} | {subject.name: subject.id}
    gaps = book.gaps.rename(columns={"place": "unit"}).copy()
    if "unit" in gaps.columns:
        gaps["unit"] = gaps["unit"].map(lambda v: ids.get(plain(v), plain(v)))
    kind, label = _KINDS.get(book.scope, _KINDS["ics-merge"])
    return Basis(
        scope="ics",
        subject=subject,
        units=(*places, subject),
        rags=rags,
        attributes=attributes,
        gaps=gaps,
        source=Path(book.path).name,
        source_kind=kind,
        rag_label=label,
        as_at=as_date(book.as_at),
        catalogue_label=f"{book.catalogue_id} {book.catalogue_version}".strip(),
        rules=(
            ("How place RAGs combine into the ICS RAG", tuple(book.rules.describe())),
            PLACE_RULES,
        ),
        checks=len(book.checks),
        ics_id=book.unit_id,
    )


def basis_from_place(result: WorkbookResult, ics: IcsConfig | None) -> Basis:
    """The report basis of one place's (or the ICS team's) workbook, assessed from its inputs."""
    book, frame = result.book, result.assessment.frame
    meta = book.meta
    same_ics = ics is not None and (meta is None or meta.ics_id in ("", ics.id))
    known = ics.place(book.unit_id) if ics is not None and same_ics else None
    name = (meta.unit_name if meta else "") or (known.name if known else "") or book.unit_id
    is_team = book.scope == "ics"
    name = f"{name} (ICS team)" if is_team else name
    subject = Unit(id=book.unit_id, name=name, kind="ics" if is_team else "place")
    inputs = book.inputs.drop_duplicates("para").set_index("para")
    red = frame[frame["rag"] == "Red"]
    gaps = pd.DataFrame(
        {
            "unit": subject.id,
            "para": red["para"].to_numpy(),
            "lead": [inputs["lead"].get(p) if "lead" in inputs else None for p in red["para"]],
            "initiatives": [
                inputs["initiatives"].get(p) if "initiatives" in inputs else None
                for p in red["para"]
            ],
            "reason": red["reason"].to_numpy(),
        }
    )
    catalogue = result.catalogue
    return Basis(
        scope="place",
        subject=subject,
        units=(subject,),
        rags=frame[["para", "rag"]].rename(columns={"rag": subject.id}),
        attributes=frame[["para", "chapter", "programme_area", "life_course", "must_do", "level"]],
        gaps=gaps,
        source=Path(book.path).name,
        source_kind="ICS team workbook" if is_team else "place workbook",
        rag_label=f"{name} RAG",
        as_at=ics.as_at if ics is not None and same_ics else None,
        catalogue_label=f"{catalogue.info.id} {catalogue.info.version}",
        rules=(PLACE_RULES,),
        checks=len(result.issues),
        ics_id=(meta.ics_id if meta else "") or (ics.id if ics is not None else ""),
    )
