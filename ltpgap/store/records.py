"""What a merge hands to the store, and what the store hands back. No database needed here.

The merge builds a :class:`MergeRecord` (one per ``ltpgap merge --db``) holding one
:class:`SubmissionRecord` per place workbook and the ICS roll-up; the store answers with a
:class:`RecordResult` saying which submissions were recorded and which were refused, and why.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from ltpgap.issues import Issue
from ltpgap.schema import INPUT_KEYS, cell_text

if TYPE_CHECKING:
    import pandas as pd

    from ltpgap.catalogue import Catalogue

__all__ = [
    "ASSESSMENT_COLUMNS",
    "ROLLUP_COLUMNS",
    "MergeRecord",
    "RecordResult",
    "Refusal",
    "Snapshot",
    "SubmissionRecord",
    "inputs_hash",
    "utc",
]

#: Columns a submission's assessments frame must have (one row per commitment).
ASSESSMENT_COLUMNS: tuple[str, ...] = ("para", "rag", "reason", "rule", "inputs_hash")
#: Columns the roll-up frame must have (extra columns, e.g. the full IcsRollup frame, are ignored).
ROLLUP_COLUMNS: tuple[str, ...] = ("para", "ics_rag", "rule", "score")


def utc(moment: datetime | date) -> datetime:
    """The same instant as an aware UTC datetime; naive values are taken as local time."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time())
    return moment.astimezone(UTC)


#: Each input key as its JSON string, and JSON's string encoder (what json.dumps uses with
#: ensure_ascii=False).
_KEYS_JSON = tuple((key, json.dumps(key, ensure_ascii=False)) for key in INPUT_KEYS)
_json_string: Callable[[str], str] = json.encoder.encode_basestring


#: One input cell in a canonical text form, so equal meaning gives equal hashes.
_cell = cell_text


def inputs_hash(row: Mapping[str, object]) -> str:
    """Stable sha256 (hex) of a row's input cells (SPEC §4 input columns), blanks normalised.

    Only the keys of :data:`ltpgap.schema.INPUT_KEYS` count; a missing key is a blank cell.
    Whitespace runs are folded, numbers and dates take one canonical form, so re-saving a
    workbook does not change the hash but editing any input does.
    """
    # json.dumps([[key, cell], …], ensure_ascii=False, separators=(",", ":")), written out: the
    # same text (a test holds them equal), at a third of the cost; a merge hashes 100,000 rows.
    payload = ",".join(
        [f"[{quoted},{_json_string(_cell(row.get(key)))}]" for key, quoted in _KEYS_JSON]
    )
    return hashlib.sha256(f"[{payload}]".encode()).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SubmissionRecord:
    """One place (or ICS team) workbook as merged: its file, who/when and its assessments.

    ``assessments`` has the columns of :data:`ASSESSMENT_COLUMNS` (para, rag, reason, rule,
    inputs_hash); other columns are ignored.
    """

    unit_id: str
    file_name: str
    file_hash: str
    catalogue_version: str
    submitted_at: datetime
    assessments: pd.DataFrame
    submitted_by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class MergeRecord:
    """Everything one merge stores: the ICS, who ran it and when, the catalogue, the files.

    ``rollup`` is the ICS roll-up frame (:data:`ROLLUP_COLUMNS`: para, ics_rag, rule, score),
    or ``None`` when the merge produced no roll-up.
    """

    ics_id: str
    who: str
    taken_at: datetime
    catalogue_id: str
    catalogue_version: str
    catalogue_hash: str
    submissions: Sequence[SubmissionRecord] = ()
    rollup: pd.DataFrame | None = None
    note: str = ""

    @classmethod
    def of(
        cls,
        catalogue: Catalogue,
        *,
        ics_id: str,
        who: str,
        submissions: Sequence[SubmissionRecord],
        rollup: pd.DataFrame | None = None,
        taken_at: datetime | None = None,
        note: str = "",
    ) -> MergeRecord:
        """A record for a merge against ``catalogue``, taken now unless ``taken_at`` is given."""
        return cls(
            ics_id=ics_id,
            who=who,
            taken_at=taken_at or datetime.now(UTC),
            catalogue_id=catalogue.info.id,
            catalogue_version=catalogue.info.version,
            catalogue_hash=catalogue.content_hash,
            submissions=tuple(submissions),
            rollup=rollup,
            note=note,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """One recorded merge: its number within the ICS (``seq``, 1, 2, …) and who/when/which."""

    id: int
    ics_id: str
    seq: int
    taken_at: datetime
    who: str
    catalogue_id: str
    catalogue_version: str
    catalogue_hash: str
    note: str = ""
    submissions: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Refusal:
    """A submission the store did not record, with the Issue saying why."""

    unit_id: str
    file_name: str
    issue: Issue


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordResult:
    """The outcome of :meth:`Store.record_snapshot`.

    ``snapshot`` is ``None`` when nothing new was recorded (every file already recorded or
    stale); ``issues`` lists every refusal (and any note) as Issues for the merge to report.
    ``attempts`` counts transaction attempts (> 1 when a concurrent merge forced a retry).
    """

    snapshot: Snapshot | None
    recorded: tuple[str, ...] = ()
    refused: tuple[Refusal, ...] = ()
    issues: tuple[Issue, ...] = ()
    attempts: int = 1
