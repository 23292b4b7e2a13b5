"""Builders for history-store tests: submissions, merge records and times."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pandas as pd

from ltpgap.store import MergeRecord, SubmissionRecord, inputs_hash

T0 = datetime(2024, 4, 1, 9, 0, tzinfo=UTC)


def assessments(rags: Mapping[str, str], *, salt: str = "") -> pd.DataFrame:
    """An assessments frame (para, rag, reason, rule, inputs_hash) for the given RAGs."""
    paras = list(rags)
    return pd.DataFrame(
        {
            "para": paras,
            "rag": [rags[p] for p in paras],
            "reason": [f"{rags[p]} because {p}" for p in paras],
            "rule": ["gap" if rags[p] == "Red" else "partial-or-planned" for p in paras],
            "inputs_hash": [inputs_hash({"initiatives": f"{p}{rags[p]}{salt}"}) for p in paras],
        }
    )


def submission(
    unit: str,
    rags: Mapping[str, str],
    *,
    digest: str | None = None,
    at: datetime = T0,
    version: str = "1.0.0",
    file_name: str | None = None,
) -> SubmissionRecord:
    """A place submission whose file hash is derived from its answers unless given."""
    return SubmissionRecord(
        unit_id=unit,
        file_name=file_name or f"{unit.title()}.xlsx",
        file_hash=digest or inputs_hash({"initiatives": repr(sorted(rags.items())) + unit}),
        catalogue_version=version,
        submitted_at=at,
        submitted_by=f"{unit}@nhs.net",
        assessments=assessments(rags),
    )


def merge(
    *subs: SubmissionRecord,
    ics: str = "blmk",
    at: datetime = T0,
    version: str = "1.0.0",
    rollup: pd.DataFrame | None = None,
) -> MergeRecord:
    """A merge record of the given submissions."""
    return MergeRecord(
        ics_id=ics,
        who="ics.lead@nhs.net",
        taken_at=at,
        catalogue_id="ltp-test",
        catalogue_version=version,
        catalogue_hash=f"hash-{version}",
        submissions=subs,
        rollup=rollup,
    )


def later(days: int) -> datetime:
    """T0 plus some days."""
    return T0 + timedelta(days=days)
