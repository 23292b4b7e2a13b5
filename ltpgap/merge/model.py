"""What a merge reads, decides and writes: submissions, the ICS content and the result.

Plain values. :class:`MergeResult` carries everything the history store needs for a snapshot
(:meth:`MergeResult.to_record`): per unit its file, sha256, catalogue version, generation and
submission times, its assessment frame with an inputs hash per row, and the roll-up frame.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig, Rules
from ltpgap.issues import Issue
from ltpgap.merge._data_crc import edited_source
from ltpgap.merge._sheets import LEVEL_WORDS
from ltpgap.rag import IcsRollup, PlaceAssessment
from ltpgap.rag._table import Table, as_columns, first_positions, table_columns, table_frame
from ltpgap.schema import INPUT_KEYS
from ltpgap.store.records import MergeRecord, SubmissionRecord, inputs_hash

if TYPE_CHECKING:
    from ltpgap.merge._history_view import HistoryView

__all__ = [
    "EDITED_ON",
    "IcsContent",
    "MergeResult",
    "PlaceRef",
    "PlaceSubmission",
    "Scope",
    "Status",
    "hash_rows",
]

#: What a unit's data is when it was changed by hand on Place data (history store, messages).
EDITED_ON = "as edited on Place data"

Scope = Literal["ics-merge", "region", "national"]
Status = Literal["submitted", "kept", "missing", "skipped"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceRef:
    """A unit (place, or ICS in a roll-up) as the ICS workbook records it.

    ``file``/``file_sha256`` name the workbook its data came from; ``sheet`` and ``columns``
    (input key → column letter) locate its cells; ``status`` says whether its data was
    submitted in this merge or kept from the previous one.
    """

    id: str
    name: str
    population: int
    file: str = ""
    file_sha256: str = ""
    catalogue_version: str = ""
    catalogue_hash: str = ""
    generated_at: str = ""
    submitted_at: str = ""
    merged_at: str = ""
    status: str = ""
    sheet: str = ""
    columns: Mapping[str, str] = field(default_factory=dict)
    #: How many rows the unit has on Place data, as the merge wrote them (None: not recorded,
    #: a workbook from before this was kept, or a roll-up's unit).
    rows: int | None = None
    #: Column → CRC-32 of the unit's rows on Place data as the merge wrote them (see
    #: :mod:`ltpgap.merge._data_crc`; None: not recorded, as for ``rows``).
    crc: Mapping[str, str] | None = None
    #: Kept with its inputs changed by hand on Place data after the merge made at this time
    #: (the first such merge while it stays kept; '' when its data is its workbook's).
    edited_after: str = ""

    def as_json(self) -> dict[str, object]:
        """The JSON object stored in the metadata's ``places`` list."""
        rows = {} if self.rows is None else {"rows": self.rows}
        crc = {} if self.crc is None else {"crc": dict(self.crc)}
        edited = {"edited_after": self.edited_after} if self.edited_after else {}
        return {
            "id": self.id,
            "name": self.name,
            "population": self.population,
            "file": self.file,
            "file_sha256": self.file_sha256,
            "catalogue_version": self.catalogue_version,
            "catalogue_hash": self.catalogue_hash,
            "generated_at": self.generated_at,
            "submitted_at": self.submitted_at,
            "merged_at": self.merged_at,
            "status": self.status,
            "sheet": self.sheet,
            "columns": dict(self.columns),
            **rows,
            **crc,
            **edited,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> PlaceRef:
        """Back from the metadata (unknown keys ignored, missing ones blank)."""

        def text(key: str) -> str:
            value = data.get(key)
            return "" if value is None else str(value)

        columns = data.get("columns")
        population = data.get("population")
        rows = data.get("rows")
        crc = data.get("crc")
        return cls(
            id=text("id"),
            name=text("name") or text("id"),
            population=int(population) if isinstance(population, int | float) else 0,
            file=text("file"),
            file_sha256=text("file_sha256"),
            catalogue_version=text("catalogue_version"),
            catalogue_hash=text("catalogue_hash"),
            generated_at=text("generated_at"),
            submitted_at=text("submitted_at"),
            merged_at=text("merged_at"),
            status=text("status"),
            sheet=text("sheet"),
            columns={str(k): str(v) for k, v in columns.items()}
            if isinstance(columns, dict)
            else {},
            rows=rows if type(rows) is int and rows >= 0 else None,
            crc={str(k): str(v) for k, v in crc.items()} if isinstance(crc, dict) else None,
            edited_after=text("edited_after"),
        )


def hash_rows(assessment: pd.DataFrame, inputs: Table) -> list[str]:
    """The inputs hash of each assessment row (first inputs row of its Para; blank if none).

    ``inputs`` is a frame or its columns as lists (a submission's ``input_columns``).
    """
    columns = as_columns(inputs)
    keys = [k for k in INPUT_KEYS if k in columns]
    values = [columns[k] for k in keys]
    first = first_positions(columns.get("para", ()))
    blank = inputs_hash({})
    hashes: list[str] = []
    for para in assessment["para"].astype(str):
        at = first.get(para)
        if at is None:
            hashes.append(blank)
        else:
            hashes.append(inputs_hash({k: v[at] for k, v in zip(keys, values, strict=True)}))
    return hashes


@dataclass(frozen=True, kw_only=True, eq=False)
class PlaceSubmission:
    """One unit's data in the merge: where it came from, its raw inputs and its assessment."""

    ref: PlaceRef
    scope: Literal["place", "ics"]
    #: para, row, input keys, extras: verbatim, as in the workbook, column by column
    input_columns: Mapping[str, Sequence[object]]
    extra_headers: tuple[str, ...]
    assessment: PlaceAssessment | None  # None when its data could not be assessed
    #: Excel column letter of each extra column in the unit's workbook, in the order of
    #: ``extra_headers`` (none for data kept from the previous merge)
    extra_letters: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()
    migrated_from: str = ""  # "ltp-2019 1.0.0" when migrated for this merge
    migrated_inputs: pd.DataFrame | None = None  # the inputs carried to the new catalogue

    @property
    def unit_id(self) -> str:
        """The place id (or the ICS id for the ICS team's workbook)."""
        return self.ref.id

    @property
    def letters(self) -> dict[str, str]:
        """Column letters in the unit's workbook: input key, or extra column's header → letter."""
        extras = zip(self.extra_headers, self.extra_letters, strict=False)  # none when kept
        return {**self.ref.columns, **dict(extras)}

    @functools.cached_property
    def inputs(self) -> pd.DataFrame:
        """The inputs as a frame, built on first use (the sheets read ``input_columns``)."""
        return table_frame(self.input_columns, ints=("row",))

    @property
    def assessed_columns(self) -> Mapping[str, Sequence[object]]:
        """The inputs the RAG was computed from (migrated ones when the catalogue changed),
        column by column."""
        if self.migrated_inputs is None:
            return self.input_columns
        return table_columns(self.migrated_inputs)

    def frame(self) -> pd.DataFrame:
        """The assessment frame plus an ``inputs_hash`` column (what a snapshot stores)."""
        if self.assessment is None:
            return pd.DataFrame(columns=["para", "rag", "reason", "rule", "inputs_hash"])
        frame = self.assessment.frame.copy()
        frame["inputs_hash"] = hash_rows(frame, self.assessed_columns)
        return frame


@dataclass(frozen=True, kw_only=True, eq=False)
class IcsContent:
    """Everything the ICS workbook shows, for `merge` (places) and `rollup` (ICSs) alike."""

    scope: Scope
    unit_id: str
    unit_name: str
    catalogue: Catalogue
    rules: Rules
    as_at: str | None
    generated_at: str
    units: tuple[PlaceRef, ...]  # matrix columns, in order
    rollup: IcsRollup
    # unit id → its assessment (merge) or its frame (roll-up): rag, reason, must_do …
    assessments: Mapping[str, PlaceAssessment | pd.DataFrame]
    submissions: tuple[PlaceSubmission, ...] = ()  # merge only: inputs for gaps and data
    team: PlaceRef | None = None  # the ICS team's workbook (merge only)
    issues: tuple[Issue, ...] = ()
    notes: tuple[str, ...] = ()  # extra Read me paragraphs
    carried_checks: pd.DataFrame | None = None  # roll-up: the ICS workbooks' own checks
    history: HistoryView | None = None  # the History sheet, from the history store (§9)
    #: Copy the workbook being replaced here before writing (it held additions by hand).
    keep_previous: Path | None = None
    #: Merge only: units whose new workbook this merge refused (--keep-going), and how many
    #: refused files could not be told whose they are (unreadable, no metadata): Read me
    #: says so instead of "not submitted".
    refused: frozenset[str] = frozenset()
    unplaced: int = 0

    @property
    def unassessed(self) -> tuple[str, ...]:
        """Units whose data could not be assessed (kept against an unknown catalogue)."""
        return tuple(s.unit_id for s in self.submissions if s.assessment is None)

    @property
    def unit_word(self) -> str:
        """What the matrix columns are: "place" for a merge, "ICS" for a roll-up."""
        return "place" if self.scope == "ics-merge" else "ICS"

    @property
    def level_word(self) -> str:
        """ICS, Region or National: whose RAG the roll-up column holds."""
        return LEVEL_WORDS[self.scope]


@dataclass(frozen=True, kw_only=True, eq=False)
class MergeResult:
    """A merge: the ICS, the units merged or kept, the roll-up and every problem found."""

    ics: IcsConfig
    catalogue: Catalogue
    out: Path
    submissions: tuple[PlaceSubmission, ...]  # places in ICS order, then the ICS team
    rollup: IcsRollup
    issues: tuple[Issue, ...]
    skipped: tuple[Path, ...] = ()
    #: units whose data the previous merge held but the ICS file no longer lists (left out)
    dropped: tuple[str, ...] = ()
    generated_at: str = ""
    written: bool = False
    content: IcsContent | None = None  # what the workbook shows (or would, unwritten)

    @property
    def unassessed(self) -> tuple[str, ...]:
        """Units whose data, kept from the previous merge, could not be assessed
        (--keep-going): they count as Not assessed."""
        return self.content.unassessed if self.content is not None else ()

    @property
    def refused(self) -> frozenset[str]:
        """Units whose new workbook this merge refused (--keep-going): kept, or skipped."""
        return self.content.refused if self.content is not None else frozenset()

    @property
    def changes(self) -> tuple[Issue, ...]:
        """The input cells that changed since the previous merge (``input-changed``)."""
        return tuple(i for i in self.issues if i.code == "input-changed")

    def submitted(self) -> tuple[PlaceSubmission, ...]:
        """Units whose workbooks were read in this merge (not kept from before)."""
        return tuple(s for s in self.submissions if s.ref.status == "submitted")

    def to_record(
        self, *, who: str, taken_at: datetime | None = None, note: str = ""
    ) -> MergeRecord:
        """The history-store snapshot of this merge (every unit with assessed data)."""
        subs: Sequence[SubmissionRecord] = [
            SubmissionRecord(
                unit_id=s.unit_id,
                file_name=f"{s.ref.file} ({EDITED_ON})" if s.ref.edited_after else s.ref.file,
                file_hash=edited_source(s.ref.file_sha256, s.ref.crc or {})
                if s.ref.edited_after
                else s.ref.file_sha256,
                # the version the assessed ids belong to: the merge's own when migrated
                catalogue_version=self.catalogue.info.version
                if s.migrated_from
                else s.ref.catalogue_version,
                submitted_at=_when(s.ref.submitted_at or s.ref.generated_at),
                assessments=s.frame(),
            )
            for s in self.submissions
            if s.assessment is not None
        ]
        return MergeRecord.of(
            self.catalogue,
            ics_id=self.ics.id,
            who=who,
            submissions=subs,
            rollup=self.rollup.frame,
            taken_at=taken_at,
            note=note,
        )


def _when(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
