"""The ICS merge and the region/national roll-up (SPEC §6–§7). An adapter around the RAG core.

- :func:`merge_workbooks` (``ltpgap merge``): place workbooks → one ICS workbook;
- :func:`merge_and_record` (``ltpgap merge --db``): the same, recorded in the history store,
  with a History sheet of movement since the previous snapshot;
- :func:`rollup_workbooks` (``ltpgap rollup``): ICS workbooks → a region or national one;
- :func:`read_ics_workbook`: read either back (reports, ``ltpgap summary``, re-merging).

The names are imported on first use, so the pure parts (``ltpgap.merge.model``,
``ltpgap.merge.ics_data``, the table builders) load without python-calamine or openpyxl, as
the Excel add-in's ICS recompute needs under xlwings Lite. Importing this package once the
workbook layer is loaded registers the ICS-workbook reader with ``ltpgap summary`` (the
workbook layer imports it there).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ltpgap._lazy import lazy_attributes

if TYPE_CHECKING:
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

_LAZY = {
    "RecordedMerge": "ltpgap.merge._record",
    "merge_and_record": "ltpgap.merge._record",
    "IcsWorkbook": "ltpgap.merge.ics_reader",
    "probe_scope": "ltpgap.merge.ics_reader",
    "read_ics_workbook": "ltpgap.merge.ics_reader",
    "summary_of": "ltpgap.merge.ics_reader",
    "write_ics_workbook": "ltpgap.merge.ics_writer",
    "Progress": "ltpgap.merge.merge",
    "merge_workbooks": "ltpgap.merge.merge",
    "IcsContent": "ltpgap.merge.model",
    "MergeResult": "ltpgap.merge.model",
    "PlaceRef": "ltpgap.merge.model",
    "PlaceSubmission": "ltpgap.merge.model",
    "RollupResult": "ltpgap.merge.rollup",
    "rollup_workbooks": "ltpgap.merge.rollup",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if "ltpgap.workbook" in sys.modules:
    # `ltpgap summary` imports this package to have the ICS-workbook reader registered.
    import ltpgap.merge.ics_reader  # noqa: F401
