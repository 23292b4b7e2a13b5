"""Catalogue versions: the migration plan between two catalogues and how inputs follow it.

Pure (pandas + stdlib): the command line (`ltpgap catalogue diff`, `ltpgap push`) and the
Excel add-in apply the same plan to workbooks through their own adapters.
"""

from ltpgap.catalogue.migration._combine import CHOICE_KEYS, format_value, is_blank
from ltpgap.catalogue.migration.apply import (
    PUSH_WORDS,
    RETIRED_LEAD,
    FlagWords,
    MigrationResult,
    apply_plan,
)
from ltpgap.catalogue.migration.plan import (
    COMPARED_FIELDS,
    KINDS,
    Change,
    ChangeKind,
    MigrationPlan,
    changed_fields,
    plan_migration,
)

__all__ = [
    "CHOICE_KEYS",
    "COMPARED_FIELDS",
    "KINDS",
    "PUSH_WORDS",
    "RETIRED_LEAD",
    "Change",
    "ChangeKind",
    "FlagWords",
    "MigrationPlan",
    "MigrationResult",
    "apply_plan",
    "changed_fields",
    "format_value",
    "is_blank",
    "plan_migration",
]
