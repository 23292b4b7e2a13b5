"""The ICS merge and the region/national roll-up (SPEC §6–§7). An adapter around the RAG core.

- :func:`merge_workbooks` (``ltpgap merge``): place workbooks → one ICS workbook;
- :func:`merge_and_record` (``ltpgap merge --db``): the same, recorded in the history store,
  with a History sheet of movement since the previous snapshot;
- :func:`rollup_workbooks` (``ltpgap rollup``): ICS workbooks → a region or national one;
- :func:`read_ics_workbook`: read either back (reports, ``ltpgap summary``, re-merging).

Importing this package registers the ICS-workbook reader with ``ltpgap summary``.
"""

from ltpgap.merge._record import RecordedMerge, merge_and_record
from ltpgap.merge.ics_reader import IcsWorkbook, probe_scope, read_ics_workbook, summary_of
from ltpgap.merge.ics_writer import write_ics_workbook
from ltpgap.merge.merge import Progress, merge_workbooks
from ltpgap.merge.model import IcsContent, MergeResult, PlaceRef, PlaceSubmission
from ltpgap.merge.rollup import RollupResult, rollup_workbooks

__all__ = [
    "IcsContent",
    "IcsWorkbook",
    "MergeResult",
    "PlaceRef",
    "PlaceSubmission",
    "Progress",
    "RecordedMerge",
    "RollupResult",
    "merge_and_record",
    "merge_workbooks",
    "probe_scope",
    "read_ics_workbook",
    "rollup_workbooks",
    "summary_of",
    "write_ics_workbook",
]
