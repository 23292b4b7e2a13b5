"""Place and ICS-team workbooks (SPEC §4): build, gate, read, assess and write back. An adapter.

- :func:`build_workbook` / :func:`init_workbooks` write workbooks from the catalogue;
- :func:`read_workbook` (after :func:`gate_workbook`) turns one back into inputs;
- :func:`assess_workbook` adds the RAG assessment; :func:`recompute_workbook` writes it back.

Names of the workbook contract (sheets, metadata keys, chapter labels …) live in the pure
:mod:`ltpgap.layout` and are re-exported here.
"""

from ltpgap.layout import (
    CHAPTER_TITLES,
    DATA_SHEET,
    LISTS,
    LISTS_SHEET,
    META_KEYS,
    META_SHEET,
    SUMMARY_SHEET,
    TABLE_NAME,
    chapter_label,
    meta_checksum,
)
from ltpgap.workbook._cells import escape_formula
from ltpgap.workbook.builder import (
    build_workbook,
    init_workbooks,
    new_workbook,
    workbook_units,
)
from ltpgap.workbook.gate import GateLimits, gate_workbook
from ltpgap.workbook.reader import PlaceWorkbook, WorkbookMeta, cell_locator, read_workbook
from ltpgap.workbook.results import (
    ICS_SUMMARY_READERS,
    WorkbookResult,
    WorkbookSummary,
    assess_workbook,
    is_blank_template,
    summarise_workbook,
)
from ltpgap.workbook.writer import (
    RecomputeResult,
    check_rewritable,
    fill_inputs,
    recompute_workbook,
)

__all__ = [
    "CHAPTER_TITLES",
    "DATA_SHEET",
    "ICS_SUMMARY_READERS",
    "LISTS",
    "LISTS_SHEET",
    "META_KEYS",
    "META_SHEET",
    "SUMMARY_SHEET",
    "TABLE_NAME",
    "GateLimits",
    "PlaceWorkbook",
    "RecomputeResult",
    "WorkbookMeta",
    "WorkbookResult",
    "WorkbookSummary",
    "assess_workbook",
    "build_workbook",
    "cell_locator",
    "chapter_label",
    "check_rewritable",
    "escape_formula",
    "fill_inputs",
    "gate_workbook",
    "init_workbooks",
    "is_blank_template",
    "meta_checksum",
    "new_workbook",
    "read_workbook",
    "recompute_workbook",
    "summarise_workbook",
    "workbook_units",
]
