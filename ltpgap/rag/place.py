"""One unit's assessment: every commitment in scope, its RAG, Reason and Checks (SPEC §4-§5)."""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from ltpgap.catalogue import Catalogue, Commitment
from ltpgap.issues import Issue
from ltpgap.rag._batch import RowResults, assess_rows
from ltpgap.rag.normalise import Locator, is_blank, normalise_inputs
from ltpgap.rag.rules import RagResult, apply_rules
from ltpgap.schema import INPUT_KEYS

__all__ = [
    "ASSESSMENT_COLUMNS",
    "PlaceAssessment",
    "Scope",
    "assess_place",
    "assess_rows_reference",
    "catalogue_columns",
]

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


def assess_rows_reference(
    commitments: Sequence[Commitment],
    inputs: pd.DataFrame,
    *,
    scope: Scope = "place",
    locate: Locator | None = None,
) -> list[RagResult]:
    """Row by row through :func:`normalise_inputs` and :func:`apply_rules`: the reference.

    :func:`assess_place` gives the same results in bulk (a property test holds them equal);
    it falls back to this for frames whose column names repeat.
    """
    rows = _rows_by_para(inputs)
    return [_assess_one(c, rows.get(c.id), scope, locate) for c in commitments]


def _first_rows(inputs: pd.DataFrame) -> dict[str, int]:
    """Para → position of its first row (blank Paras skipped; the reader reports repeats)."""
    if "para" not in inputs.columns:
        return {}
    first: dict[str, int] = {}
    for i, para in enumerate(inputs["para"].tolist()):
        text = para.strip() if type(para) is str else None if is_blank(para) else str(para).strip()
        if text and text not in first:
            first[text] = i
    return first


def _in_bulk(
    commitments: list[Commitment], inputs: pd.DataFrame, scope: Scope, locate: Locator | None
) -> RowResults:
    first = _first_rows(inputs)
    fixed = {
        j: ("N/A", *_LEVEL_REASONS[c.level])
        for j, c in enumerate(commitments)
        if scope == "place" and c.level in _LEVEL_REASONS
    }
    columns = {k: inputs[k].tolist() for k in INPUT_KEYS if k in inputs.columns}
    row_of = [first.get(c.id, -1) for c in commitments]
    return assess_rows(commitments, row_of, columns, fixed, locate)


def _by_reference(
    commitments: list[Commitment], inputs: pd.DataFrame, scope: Scope, locate: Locator | None
) -> RowResults:
    results = assess_rows_reference(commitments, inputs, scope=scope, locate=locate)
    return RowResults(
        rag=[r.rag for r in results],
        reason=[r.reason for r in results],
        rule=[r.rule for r in results],
        checks=[r.checks for r in results],
        issues=tuple(i for r in results for i in r.issues),
    )


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
    commitments, base = _scope_base(catalogue, scope)
    run = _in_bulk if inputs.columns.is_unique else _by_reference
    results = run(commitments, inputs, scope, locate)
    computed = {
        "rag": results.rag,
        "reason": results.reason,
        "rule": results.rule,
        "checks": results.checks,
    }
    if commitments:
        # The dtype pandas infers for text, as when the frame is built from lists at once.
        text: Any = pd.Series(["text"]).dtype
        results_frame = pd.DataFrame(
            {k: pd.array(v, dtype=text) for k, v in computed.items()}, copy=False
        )
        frame = pd.concat([base, results_frame], axis=1)  # copies: the cache stays as it is
    else:
        frame = _frame(commitments, computed)
    return PlaceAssessment(unit_id=unit_id, scope=scope, frame=frame, issues=results.issues)


def _frame(commitments: list[Commitment], computed: dict[str, list[str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {**catalogue_columns(commitments), **computed},
        columns=[k for k in ASSESSMENT_COLUMNS if k in computed or k not in _COMPUTED],
    )
    frame["chapter"] = frame["chapter"].astype("int64")
    frame["must_do"] = frame["must_do"].astype(bool)
    return frame


_COMPUTED = ("rag", "reason", "rule", "checks")
_BASES: dict[tuple[int, str], tuple[weakref.ref[Catalogue], list[Commitment], pd.DataFrame]] = {}


def _scope_base(catalogue: Catalogue, scope: Scope) -> tuple[list[Commitment], pd.DataFrame]:
    """The commitments in scope and their catalogue columns, built once per catalogue object."""
    key = (id(catalogue), scope)
    hit = _BASES.get(key)
    if hit is not None and hit[0]() is catalogue:
        return hit[1], hit[2]
    commitments = [c for c in catalogue.commitments if scope == "place" or c.level == "ics"]
    base = _frame(commitments, {})
    if len(_BASES) > 32:
        _BASES.clear()
    _BASES[key] = (weakref.ref(catalogue), commitments, base)
    return commitments, base
