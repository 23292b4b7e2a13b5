"""Carry a workbook's inputs through a migration plan, losing nothing (SPEC §8). Pure pandas.

Rows are matched by Para, whatever order they are in. Unchanged, reworded and renumbered rows
keep their inputs; split successors each get a copy; merged successors get the predecessors'
inputs combined (see :mod:`ltpgap.catalogue.migration._combine`); rows of retired commitments,
and rows that match no commitment at all, go to ``retired`` with every input they hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ltpgap.catalogue.migration._combine import combine, format_value, is_blank
from ltpgap.catalogue.migration.plan import MigrationPlan
from ltpgap.catalogue.model import Commitment
from ltpgap.issues import Issue, Severity, make_issue
from ltpgap.schema import INPUT_KEYS

__all__ = ["PUSH_WORDS", "RETIRED_LEAD", "FlagWords", "MigrationResult", "apply_plan"]

#: The first columns of :attr:`MigrationResult.retired`, before the inputs.
RETIRED_LEAD: tuple[str, ...] = ("para", "title", "reason")
_BOOKKEEPING = {"para", "row"}

Values = dict[str, object]


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagWords:
    """What a migration's flags say became of the rows and what to do: str.format templates.

    ``split``: {source} {siblings} {id} {title}; ``merged``: {id} {title} {sources} {detail};
    ``retired``: {para} {title} {reason}; ``leftover``: {reason}. A push rewrites the
    workbook (:data:`PUSH_WORDS`); a merge changes no file and words them its own way.
    """

    split: str
    merged: str
    retired: str
    leftover: str


PUSH_WORDS = FlagWords(
    split="{source} was split into {siblings}; the inputs of {source} were copied to {id} "
    "('{title}'). Check they apply to this part and edit or clear what does not.",
    merged="{id} ('{title}') merges {sources}; their inputs were combined here (text joined "
    "with [para] labels, Status/Coverage/RAG override the worse, Expected delivery the "
    "latest).{detail} Review and tidy the combined row.",
    retired="{para} ('{title}') {reason}; its row and inputs were moved to the Retired sheet.",
    leftover="{reason}; the row and its inputs were moved to the Retired sheet.",
)


@dataclass(frozen=True, kw_only=True)
class MigrationResult:
    """A migrated inputs frame, the rows retired, and the rows flagged for a planner to check."""

    plan: MigrationPlan
    #: ``para`` + INPUT_KEYS + extra columns; one row per new commitment in scope, in order.
    rows: pd.DataFrame
    #: RETIRED_LEAD + INPUT_KEYS + extra columns: rows that have no place in the new catalogue.
    retired: pd.DataFrame
    flags: tuple[Issue, ...]
    extra_columns: tuple[str, ...]


@dataclass(slots=True)
class _Rows:
    """The input rows indexed by Para, and those that match no old commitment."""

    by_para: dict[str, Values]
    leftovers: list[tuple[str, str, str, Values]]  # (para, issue code, reason, values)


def _clean(value: object) -> object:
    """pandas' missing markers (NaN, NaT, NA) become None; everything else is kept as is."""
    return None if not isinstance(value, str) and is_blank(value) else value


def _para(value: object) -> str:
    return "" if is_blank(value) else format_value(value)


def _index(plan: MigrationPlan, inputs: pd.DataFrame, carried: tuple[str, ...]) -> _Rows:
    old = plan.old
    out = _Rows(by_para={}, leftovers=[])
    for record in inputs.to_dict("records"):
        para = _para(record.get("para"))
        values = {k: _clean(record.get(k)) for k in carried}
        filled = any(not is_blank(v) for v in values.values())
        if para in out.by_para:
            if filled:
                reason = f"a second row for {para} (the first row was migrated)"
                out.leftovers.append((para, "duplicate-para", reason, values))
        elif para and para in old:
            out.by_para[para] = values
        elif filled:
            reason = (
                f"Para '{para}' is not a commitment of catalogue {old.info.id} {old.info.version}"
                if para
                else "a row without a Para"
            )
            out.leftovers.append((para, "unknown-para", reason, values))
    return out


def _blank(carried: tuple[str, ...]) -> Values:
    return dict.fromkeys(carried)


def _filled(values: Values) -> bool:
    return any(not is_blank(v) for v in values.values())


def _split_flag(c: Commitment, source: str, siblings: tuple[str, ...], words: FlagWords) -> Issue:
    return make_issue(
        "migration-split",
        words.split.format(source=source, siblings=", ".join(siblings), id=c.id, title=c.title),
        commitment=c.id,
    )


def _merged_flag(
    c: Commitment, sources: tuple[str, ...], notes: list[str], words: FlagWords
) -> Issue:
    detail = f" Where they disagreed: {'; '.join(notes)}." if notes else ""
    return make_issue(
        "migration-merged",
        words.merged.format(id=c.id, title=c.title, sources=", ".join(sources), detail=detail),
        commitment=c.id,
    )


def _migrate_row(
    plan: MigrationPlan, c: Commitment, rows: _Rows, carried: tuple[str, ...], words: FlagWords
) -> tuple[Values, Issue | None]:
    preds = plan.predecessors[c.id]
    present = [(p, rows.by_para[p]) for p in preds if p in rows.by_para]
    if not present:
        return _blank(carried), None
    if len(preds) == 1:
        values = dict(present[0][1])
        siblings = plan.successors[preds[0]]
        flag = _split_flag(c, preds[0], siblings, words) if len(siblings) > 1 else None
        return values, flag if flag and _filled(values) else None
    values, notes = combine(carried, present)
    return values, _merged_flag(c, preds, notes, words) if _filled(values) else None


def _retired_reason(plan: MigrationPlan, para: str, scope: str) -> str:
    new = plan.new
    successors = plan.successors[para]
    if not successors:
        return f"retired: not in catalogue {new.info.id} {new.info.version}"
    levels = ", ".join(f"{s} ({new.by_id[s].level} level)" for s in successors)
    return f"now {levels}: not assessed in this {scope} workbook"


def apply_plan(
    plan: MigrationPlan,
    inputs: pd.DataFrame,
    *,
    scope: Literal["place", "ics"] = "place",
    words: FlagWords = PUSH_WORDS,
) -> MigrationResult:
    """Carry ``inputs`` (Para + input columns, any order) through ``plan``; nothing is lost.

    ``scope='ics'`` migrates the ICS team's workbook, which holds only level-``ics`` rows;
    ``words`` says what the flags tell a planner (a push's by default).
    """
    extras = tuple(str(c) for c in inputs.columns if c not in _BOOKKEEPING | set(INPUT_KEYS))
    carried = (*INPUT_KEYS, *extras)
    rows = _index(plan, inputs.rename(columns=str), carried)
    in_scope = [c for c in plan.new if scope == "place" or c.level == "ics"]
    scope_ids = {c.id for c in in_scope}

    records: list[Values] = []
    flags: list[Issue] = []
    for c in in_scope:
        values, flag = _migrate_row(plan, c, rows, carried, words)
        records.append({"para": c.id, **values})
        if flag is not None:
            flags.append(flag)

    retired: list[Values] = []
    for para, values in rows.by_para.items():
        if any(s in scope_ids for s in plan.successors[para]):
            continue
        title = plan.old.by_id[para].title
        reason = _retired_reason(plan, para, scope)
        retired.append({"para": para, "title": title, "reason": reason, **values})
        flags.append(
            make_issue(
                "migration-retired",
                words.retired.format(para=para, title=title, reason=reason),
                commitment=para,
            )
        )
    for para, code, reason, values in rows.leftovers:
        retired.append({"para": para, "title": "", "reason": reason, **values})
        flags.append(
            make_issue(
                code,
                words.leftover.format(reason=reason),
                commitment=para or None,
                severity=Severity.WARNING,
            )
        )
    return MigrationResult(
        plan=plan,
        rows=pd.DataFrame(records, columns=["para", *carried], dtype=object),
        retired=pd.DataFrame(retired, columns=[*RETIRED_LEAD, *carried], dtype=object),
        flags=tuple(flags),
        extra_columns=extras,
    )
