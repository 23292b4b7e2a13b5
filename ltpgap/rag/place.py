"""One unit's assessment: every commitment in scope, its RAG, Reason and Checks (SPEC §4-§5)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ltpgap.catalogue import Catalogue, Commitment
from ltpgap.issues import Issue
from ltpgap.rag.normalise import Locator, is_blank, normalise_inputs
from ltpgap.rag.rules import RagResult, apply_rules
from ltpgap.schema import INPUT_KEYS

__all__ = ["ASSESSMENT_COLUMNS", "PlaceAssessment", "Scope", "assess_place", "catalogue_columns"]

Scope = Literal["place", "ics"]

#: Columns of :attr:`PlaceAssessment.frame`, in order.
ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "para",
    "chapter",
    "programme_area",
    "life_course",
    "must_do",
    "level",
    "rag",
    "reason",
    "rule",
    "checks",
)

_LEVEL_REASONS = {
    "ics": ("assessed-by-ics", "Assessed once by the ICS team; not counted in place figures"),
    "region": (
        "not-assessed-locally",
        "Judged at region level; not assessed locally and not counted in place figures",
    ),
    "national": (
        "not-assessed-locally",
        "Judged nationally; not assessed locally and not counted in place figures",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PlaceAssessment:
    """A place's (or the ICS team's) RAG for every commitment in scope, with the issues found."""

    unit_id: str
    scope: Scope
    frame: pd.DataFrame
    issues: tuple[Issue, ...] = ()

    def rag_counts(self) -> dict[str, int]:
        """Counts of each RAG value over the frame."""
        from ltpgap.rag.summary import rag_counts

        return rag_counts(self.frame)


def catalogue_columns(commitments: list[Commitment]) -> dict[str, list[object]]:
    """The catalogue columns shared by assessment and roll-up frames."""
    return {
        "para": [c.id for c in commitments],
        "chapter": [c.chapter for c in commitments],
        "programme_area": [c.programme_area for c in commitments],
        "life_course": [c.life_course for c in commitments],
        "must_do": [c.must_do for c in commitments],
        "level": [c.level for c in commitments],
    }


def _rows_by_para(inputs: pd.DataFrame) -> dict[str, Mapping[str, object]]:
    if "para" not in inputs.columns:
        return {}
    keys = [k for k in INPUT_KEYS if k in inputs.columns]
    rows: dict[str, Mapping[str, object]] = {}
    for record in inputs[["para", *keys]].to_dict("records"):
        para = record.pop("para")
        if is_blank(para):
            continue
        # The workbook reader reports duplicate Paras; the first row wins here.
        rows.setdefault(str(para).strip(), {str(k): v for k, v in record.items()})
    return rows


def _assess_one(
    c: Commitment, raw: Mapping[str, object] | None, scope: Scope, locate: Locator | None
) -> RagResult:
    if scope == "place" and c.level in _LEVEL_REASONS:
        rule, reason = _LEVEL_REASONS[c.level]
        return RagResult(rag="N/A", rule=rule, reason=reason)
    normalised, issues = normalise_inputs(raw or {}, para=c.id, locate=locate)
    return apply_rules(c, normalised, locate=locate, prior=tuple(issues))


def assess_place(
    catalogue: Catalogue,
    inputs: pd.DataFrame,
    *,
    unit_id: str,
    scope: Scope = "place",
    locate: Locator | None = None,
) -> PlaceAssessment:
    """Apply the §5 rules to one workbook's inputs: one row per commitment in scope."""
    if scope not in ("place", "ics"):
        raise ValueError(f"scope must be 'place' or 'ics', not {scope!r}")
    commitments = [c for c in catalogue.commitments if scope == "place" or c.level == "ics"]
    rows = _rows_by_para(inputs)
    results = [_assess_one(c, rows.get(c.id), scope, locate) for c in commitments]
    frame = pd.DataFrame(
        {
            **catalogue_columns(commitments),
            "rag": [r.rag for r in results],
            "reason": [r.reason for r in results],
            "rule": [r.rule for r in results],
            "checks": [r.checks for r in results],
        },
        columns=list(ASSESSMENT_COLUMNS),
    )
    frame["chapter"] = frame["chapter"].astype("int64")
    frame["must_do"] = frame["must_do"].astype(bool)
    issues = tuple(i for r in results for i in r.issues)
    return PlaceAssessment(unit_id=unit_id, scope=scope, frame=frame, issues=issues)
