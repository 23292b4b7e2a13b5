"""Governing-body reports (SPEC §10): one model, rendered as PowerPoint, PDF and Excel.

:func:`load_report_data` reads an ICS workbook (or a place workbook) into a frozen
:class:`ReportData`; :func:`write_report` renders it in any of :data:`FORMATS`. The writers
need the ``reports`` extra (python-pptx, WeasyPrint, matplotlib) and are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ltpgap._lazy import lazy_attributes
from ltpgap.reports.model import (
    Cover,
    Movement,
    ReportData,
    Snapshot,
    SnapshotItem,
    Unit,
    load_report_data,
)

if TYPE_CHECKING:
    from ltpgap.reports.pdf import write_pdf
    from ltpgap.reports.pptx import write_pptx
    from ltpgap.reports.write import FORMATS, write_report
    from ltpgap.reports.xlsx import write_xlsx

__all__ = [
    "FORMATS",
    "Cover",
    "Movement",
    "ReportData",
    "Snapshot",
    "SnapshotItem",
    "Unit",
    "load_report_data",
    "write_pdf",
    "write_pptx",
    "write_report",
    "write_xlsx",
]

_LAZY = {
    "write_pdf": "ltpgap.reports.pdf",
    "write_pptx": "ltpgap.reports.pptx",
    "write_xlsx": "ltpgap.reports.xlsx",
    "write_report": "ltpgap.reports.write",
    "FORMATS": "ltpgap.reports.write",
}


__getattr__ = lazy_attributes(__name__, _LAZY)
