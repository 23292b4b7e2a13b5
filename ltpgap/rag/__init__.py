"""RAG engine (SPEC §5-§6), a pure core: place rules, summaries and the ICS roll-up.

Takes and returns pandas DataFrames; imports neither openpyxl nor xlwings.
"""

from ltpgap.rag.api import ASSESSED_COLUMNS, assess, rollup, summary
from ltpgap.rag.normalise import EXCEL_ERRORS, Locator, NormalisedInputs, is_blank, normalise_inputs
from ltpgap.rag.place import (
    ASSESSMENT_COLUMNS,
    PlaceAssessment,
    Scope,
    UnitInputs,
    assess_place,
    assess_units,
)
from ltpgap.rag.rollup import (
    ROLLUP_COLUMNS,
    ROLLUP_RULES,
    IcsRollup,
    rollup_ics,
    rollup_region,
    rollup_units,
)
from ltpgap.rag.rules import LEVEL_RULES, RULES, RagResult, apply_rules
from ltpgap.rag.summary import SUMMARY_COLUMNS, rag_counts, summarise

__all__ = [
    "ASSESSED_COLUMNS",
    "ASSESSMENT_COLUMNS",
    "EXCEL_ERRORS",
    "LEVEL_RULES",
    "ROLLUP_COLUMNS",
    "ROLLUP_RULES",
    "RULES",
    "SUMMARY_COLUMNS",
    "IcsRollup",
    "Locator",
    "NormalisedInputs",
    "PlaceAssessment",
    "RagResult",
    "Scope",
    "UnitInputs",
    "apply_rules",
    "assess",
    "assess_place",
    "assess_units",
    "is_blank",
    "normalise_inputs",
    "rag_counts",
    "rollup",
    "rollup_ics",
    "rollup_region",
    "rollup_units",
    "summarise",
    "summary",
]
