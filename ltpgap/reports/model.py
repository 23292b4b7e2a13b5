"""The one report model (SPEC §10): every output format renders this frozen value.

:func:`load_report_data` reads an ICS workbook (written by `ltpgap merge`) or a place
workbook and computes everything the governing-body report shows; the PowerPoint, PDF and
Excel writers only lay it out, so the three formats always say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from ltpgap.issues import Issue
from ltpgap.reports._text import plain, uk_date

if TYPE_CHECKING:
    from ltpgap.catalogue import Catalogue
    from ltpgap.ics import IcsConfig

__all__ = [
    "CHAPTER_SHORT",
    "CHART_RAGS",
    "Cover",
    "Movement",
    "ReportData",
    "RuleGroup",
    "Scope",
    "Snapshot",
    "SnapshotItem",
    "Unit",
    "load_report_data",
]

Scope = Literal["ics", "place"]
#: A heading and the rules under it, in planners' words.
RuleGroup = tuple[str, tuple[str, ...]]

#: The RAG series of the chapter charts, in stacking order (N/A is excluded from charts).
CHART_RAGS: tuple[str, ...] = ("Green", "Amber", "Red", "Not assessed")

#: Short chapter names for chart axes (the full titles are in ltpgap.workbook.CHAPTER_TITLES).
CHAPTER_SHORT: Mapping[int, str] = {
    1: "1 New service model",
    2: "2 Prevention, inequalities",
    3: "3 Care quality, outcomes",
    4: "4 Workforce",
    5: "5 Digital care",
    6: "6 Value for money",
    7: "7 Next steps",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Cover:
    """The cover sheet of a board paper (seed 002): what it is, for whom and what is asked."""

    title: str = "NHS Long Term Plan: gap analysis"
    organisation: str = ""
    meeting: str = ""
    date: str = ""
    purpose: str = ""
    recommendation: str = ""
    key_risks: str = ""
    authors: str = ""

    def updated(self, **values: str | None) -> Cover:
        """A copy where every given, non-blank value replaces the current one."""
        known = {f.name for f in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise TypeError(f"unknown cover fields: {', '.join(sorted(unknown))}")
        return replace(self, **{k: plain(v) for k, v in values.items() if plain(v)})

    def rows(self) -> tuple[tuple[str, str], ...]:
        """(label, text) of the cover table, in the order of a board paper's cover sheet."""
        labelled = (
            ("Organisation", self.organisation),
            ("Meeting", self.meeting),
            ("Date of meeting", self.date),
            ("Purpose", self.purpose),
            ("Recommendation", self.recommendation),
            ("Key risks", self.key_risks),
            ("Report authors", self.authors),
        )
        return tuple((label, text) for label, text in labelled if text)


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    """Whose RAG a column holds: a place, or the ICS (its roll-up or its team's workbook)."""

    id: str
    name: str
    kind: Literal["place", "ics"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotItem:
    """One line of the snapshot grid: ``para 2.10 Title`` and its RAG word."""

    para: str
    title: str
    rag: str

    @property
    def label(self) -> str:
        """``para 2.10 Smoke-free pregnancy pathway``."""
        return f"para {self.para} {self.title}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """Seed 002 Appendix A: programme areas × life-course stages, each cell a list of items."""

    columns: tuple[str, ...]  # programme area names, catalogue order
    rows: tuple[str, ...]  # life-course stage names: Starting Well, Living Well, Ageing Well
    cells: tuple[tuple[tuple[SnapshotItem, ...], ...], ...]  # [row][column]
    not_shown: int  # commitments without a life-course stage (not on the grid)
    rag_label: str  # whose RAG the words are: "ICS RAG" or "Luton RAG"

    @property
    def items(self) -> int:
        """How many commitments the grid shows."""
        return sum(len(cell) for row in self.cells for cell in row)


@dataclass(frozen=True, kw_only=True, eq=False)
class Movement:
    """Movement since the last report, from the history store (SPEC §9).

    ``frame``: :func:`ltpgap.rag.movement.movement` columns (place, para, before, after,
    movement, arrow, label); ``place`` is a place id or "ICS" for the roll-up.
    ``trend``: :func:`ltpgap.rag.movement.trend` columns (snapshot, taken_at, place,
    pct_green), or None.
    """

    frame: pd.DataFrame
    trend: pd.DataFrame | None = None
    previous: str = ""  # when the previous report's snapshot was taken, as text


@dataclass(frozen=True, kw_only=True, eq=False)
class ReportData:
    """Everything a governing-body report shows, computed once, rendered by every format.

    Frames (one row per item, plain values; ``unit`` columns hold :class:`Unit` ids):
    - ``commitments``: para, title, chapter, programme_area, life_course, must_do, level,
      then one RAG column per unit id;
    - ``by_chapter``: unit, chapter, Green, Amber, Red, Not assessed, N/A, total, pct_green,
      pct_assessed, must_do_red (``ltpgap.rag.summarise`` per unit);
    - ``overview``: the same without chapter, one row per unit;
    - ``differ``: commitments Green in one place and Red in another (ICS only): para, title,
      must_do, one column per unit id;
    - ``must_dos_red``: para, title, deadline, rag, places_red (names);
    - ``gaps``: every Red, ranked: unit, para, title, must_do, lead, initiatives, reason,
      places_red (how many places have this commitment at Red).
    """

    scope: Scope
    subject: Unit
    units: tuple[Unit, ...]
    cover: Cover
    source: str
    source_kind: str
    as_at: date | None
    catalogue: str
    rules: tuple[RuleGroup, ...]
    area_names: Mapping[str, str]
    commitments: pd.DataFrame
    by_chapter: pd.DataFrame
    overview: pd.DataFrame
    differ: pd.DataFrame
    must_dos_red: pd.DataFrame
    gaps: pd.DataFrame
    highlights: tuple[str, ...]
    snapshot: Snapshot
    movement: Movement | None = None
    checks: int = 0
    ics_id: str = ""  # the ICS the workbook belongs to (the history store's key)
    #: What was found changed by hand in the workbook read (results typed over, gaps deleted):
    #: shown by `ltpgap report` before it writes; the report shows the workbook as it is.
    warnings: tuple[Issue, ...] = ()

    @property
    def places(self) -> tuple[Unit, ...]:
        """The places of an ICS report (a place report's only unit is the place itself)."""
        return tuple(u for u in self.units if u.kind == "place")

    def unit_name(self, unit_id: str) -> str:
        """Display name of a unit id ("ICS" means the ICS roll-up); unknown ids as given."""
        if unit_id == "ICS" and self.scope == "ics":
            return f"{self.subject.name} (ICS RAG)"
        return next((u.name for u in self.units if u.id == unit_id), unit_id)

    @property
    def as_at_text(self) -> str:
        """``1 July 2019``, or a plain statement that it is not recorded."""
        return uk_date(self.as_at) if self.as_at else "date not recorded"

    @property
    def title(self) -> str:
        """``NHS Long Term Plan: gap analysis — Bedfordshire, Luton and Milton Keynes``."""
        return f"{self.cover.title} — {self.subject.name}"

    @property
    def footer(self) -> str:
        """Data source and as-at date, printed on every slide and page."""
        return (
            f"Data source: {self.source} ({self.source_kind}; catalogue {self.catalogue}) · "
            f"As at {self.as_at_text}"
        )

    @property
    def rag_label(self) -> str:
        """Whose RAG the report's single-RAG views show."""
        return self.snapshot.rag_label

    def with_movement(self, movement: Movement | None) -> ReportData:
        """A copy with the movement section (None: no previous report on record)."""
        return replace(self, movement=movement)

    def with_cover(self, cover: Cover) -> ReportData:
        """A copy with another cover."""
        return replace(self, cover=cover)


def load_report_data(
    path: str | Path,
    ics: IcsConfig | None = None,
    cover: Cover | None = None,
    *,
    catalogue: Catalogue | None = None,
    movement: Movement | None = None,
) -> ReportData:
    """Read an ICS workbook (from `ltpgap merge`) or a place workbook into a :class:`ReportData`.

    ``ics`` (default: the embedded BLMK file) gives cover defaults (its ``report:`` block, used
    when the workbook belongs to that ICS), the as-at date of a place workbook and place names.
    ``cover`` fields that are not blank override those defaults. Raises
    :class:`ltpgap.issues.LtpgapError` when the workbook cannot be read.
    """
    from ltpgap.catalogue import load_catalogue
    from ltpgap.ics import load_ics
    from ltpgap.issues import LtpgapError
    from ltpgap.merge import probe_scope, read_ics_workbook
    from ltpgap.merge._typed_over import edited_by_hand
    from ltpgap.merge.ics_data import matrix_problems
    from ltpgap.reports._build import build_report
    from ltpgap.reports._load import basis_from_ics, basis_from_place, cover_for
    from ltpgap.workbook import assess_workbook

    ics = ics if ics is not None else load_ics()
    catalogue = catalogue or load_catalogue()
    warnings: tuple[Issue, ...] = ()
    if probe_scope(path) is not None:
        book = read_ics_workbook(path)
        if problems := matrix_problems(book, catalogue):
            raise LtpgapError(problems, summary=f"{path}: the ICS matrix cannot be read")
        basis = basis_from_ics(book)
        ics_id = book.unit_id
        warnings = tuple(edited_by_hand(book, catalogue))
    else:
        result = assess_workbook(path, catalogue=catalogue)
        basis = basis_from_place(result, ics)
        meta = result.book.meta
        ics_id = (meta.ics_id if meta else "") or ics.id
    data = build_report(catalogue, basis, cover=cover_for(ics, ics_id, cover), movement=movement)
    return replace(data, warnings=warnings) if warnings else data
