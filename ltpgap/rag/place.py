"""One unit's assessment: every commitment in scope, its RAG, Reason and Checks (SPEC §4-§5)."""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import pandas as pd

from ltpgap.catalogue import Catalogue, Commitment
from ltpgap.issues import Issue
from ltpgap.rag._batch import RowResults, assess_parts, assess_rows, not_counted
from ltpgap.rag._table import Table, column_list, first_positions, has_column, height
from ltpgap.rag.normalise import Locator, is_blank, locate_found, normalise_inputs
from ltpgap.rag.rules import RagResult, apply_rules
from ltpgap.schema import INPUT_KEYS

__all__ = [
    "ASSESSMENT_COLUMNS",
    "PlaceAssessment",
    "Scope",
    "UnitInputs",
    "assess_place",
    "assess_rows_reference",
    "assess_units",
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


class PlaceAssessment:
    """A place's (or the ICS team's) RAG for every commitment in scope, with the issues found.

    :attr:`frame` is the assessment as a DataFrame (:data:`ASSESSMENT_COLUMNS`). The rules
    produce plain columns, and the frame is built from them the first time it is asked for:
    callers that only read a few columns (the ICS roll-up and tables) use :meth:`column` and
    never pay for it. Either way the values are the same.
    """

    __slots__ = ("_base", "_computed", "_frame", "issues", "scope", "unit_id")

    def __init__(
        self,
        *,
        unit_id: str,
        scope: Scope,
        frame: pd.DataFrame | None = None,
        issues: tuple[Issue, ...] = (),
        columns: _Columns | None = None,
    ) -> None:
        if (frame is None) == (columns is None):
            raise TypeError("PlaceAssessment takes either frame or columns")
        self.unit_id = unit_id
        self.scope: Scope = scope
        self.issues = tuple(issues)
        self._frame = frame
        self._base: _ScopeBase | None = None
        self._computed: Mapping[str, Sequence[str]] = {}
        if columns is not None:
            self._base, self._computed = columns

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its columns (merge workers send assessments back): the catalogue's own
        objects and any frame stay behind, and the receiver builds the frame only if asked."""
        if self._base is None:
            return (_restored, (self.unit_id, self.scope, self.issues, self._frame, None, None))
        lists, computed = self._base.lists, dict(self._computed)
        return (_restored, (self.unit_id, self.scope, self.issues, None, lists, computed))

    def __repr__(self) -> str:
        return (
            f"PlaceAssessment(unit_id={self.unit_id!r}, scope={self.scope!r}, "
            f"rows={len(self)}, issues={len(self.issues)})"
        )

    def __len__(self) -> int:
        """Commitments assessed (rows of the frame)."""
        if self._base is not None:
            return len(self._base.lists["para"])
        assert self._frame is not None
        return len(self._frame)

    @property
    def frame(self) -> pd.DataFrame:
        """One row per commitment in scope: catalogue columns, then rag, reason, rule, checks."""
        if self._frame is None:
            assert self._base is not None
            base = self._base
            if base.lists["para"]:
                text = _text_dtype()
                computed = {k: pd.array(v, dtype=text) for k, v in self._computed.items()}
                self._frame = _with_results(base.frame, computed)
            else:
                self._frame = _frame([], {k: [] for k in _COMPUTED})
        return self._frame

    def column(self, name: str) -> list[object]:
        """One column of :attr:`frame` as a list (without building the frame)."""
        if name in self._computed:
            return list(self._computed[name])
        if self._base is not None and name in self._base.lists:
            return list(self._base.lists[name])
        return cast(list[object], self.frame[name].tolist())

    def columns(self, *names: str) -> dict[str, list[object]]:
        """Several columns of :attr:`frame` as lists, by name (without building the frame)."""
        return {name: self.column(name) for name in names}

    def rag_counts(self) -> dict[str, int]:
        """Counts of each RAG value over the frame."""
        from ltpgap.rag.summary import rag_counts_of

        return rag_counts_of(self.column("rag"))


@dataclass(frozen=True, slots=True, eq=False)
class _ScopeBase:
    """A catalogue's commitments in one scope: their catalogue columns as a frame and lists."""

    commitments: list[Commitment]
    frame: pd.DataFrame
    lists: dict[str, list[object]]


_Columns = tuple[_ScopeBase, Mapping[str, Sequence[str]]]
_RESTORED: dict[tuple[object, ...], _ScopeBase] = {}


def _restored(
    unit_id: str,
    scope: Scope,
    issues: tuple[Issue, ...],
    frame: pd.DataFrame | None,
    lists: dict[str, list[object]] | None,
    computed: dict[str, list[str]] | None,
) -> PlaceAssessment:
    """A :class:`PlaceAssessment` back from a pickle (see its ``__reduce__``)."""
    if frame is not None or lists is None or computed is None:
        return PlaceAssessment(unit_id=unit_id, scope=scope, frame=frame, issues=issues)
    key = (len(lists["para"]), *lists["para"][:1], *lists["para"][-1:])
    base = _RESTORED.get(key)
    if base is None or base.lists != lists:  # one base per catalogue, not per assessment
        table = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in lists.items()})
        if len(table):  # the catalogue columns' own dtypes (see _frame)
            table = table.infer_objects()
            table["chapter"] = table["chapter"].astype("int64")
            table["must_do"] = table["must_do"].astype(bool)
            for k in ("para", "programme_area", "life_course", "level"):
                table[k] = table[k].astype(_text_dtype())
        base = _ScopeBase(commitments=[], frame=table, lists=lists)
        if len(_RESTORED) > 32:
            _RESTORED.clear()
        _RESTORED[key] = base
    return PlaceAssessment(unit_id=unit_id, scope=scope, columns=(base, computed), issues=issues)


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
        found = not_counted(c, (raw or {}).get)
        return RagResult(
            rag="N/A", rule=rule, reason=reason, issues=tuple(locate_found(found, c.id, locate))
        )
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


def _first_rows(inputs: Table) -> dict[str, int]:
    """Para → position of its first row (blank Paras skipped; the reader reports repeats)."""
    return first_positions(column_list(inputs, "para")) if has_column(inputs, "para") else {}


def _in_bulk(
    commitments: list[Commitment],
    inputs: Table,
    scope: Scope,
    locate: Locator | None,
) -> RowResults:
    first = _first_rows(inputs)
    fixed = {
        j: ("N/A", *_LEVEL_REASONS[c.level])
        for j, c in enumerate(commitments)
        if scope == "place" and c.level in _LEVEL_REASONS
    }
    columns = {k: column_list(inputs, k) for k in INPUT_KEYS if has_column(inputs, k)}
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
    inputs: Table,
    *,
    unit_id: str,
    scope: Scope = "place",
    locate: Locator | None = None,
) -> PlaceAssessment:
    """Apply the §5 rules to one workbook's inputs: one row per commitment in scope.

    ``inputs`` is a frame, or the same columns as lists (``PlaceWorkbook.input_columns``:
    no frame is built; the results are the same).
    """
    _check_scope(scope)
    base = _scope_base(catalogue, scope)
    if isinstance(inputs, pd.DataFrame) and not inputs.columns.is_unique:
        results = _by_reference(base.commitments, inputs, scope, locate)
    else:  # plain columns have unique names
        results = _in_bulk(base.commitments, inputs, scope, locate)
    return PlaceAssessment(
        unit_id=unit_id, scope=scope, columns=(base, _computed(results)), issues=results.issues
    )


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class UnitInputs:
    """One unit's inputs for :func:`assess_units`: the arguments of :func:`assess_place`."""

    unit_id: str
    inputs: Table  # a frame, or its columns as lists
    scope: Scope = "place"
    locate: Locator | None = None


def assess_units(catalogue: Catalogue, units: Sequence[UnitInputs]) -> list[PlaceAssessment]:
    """:func:`assess_place` for each unit, in one pass over all the units' inputs.

    Each assessment (frame and issues) is the one :func:`assess_place` gives for that unit
    alone; the units' rows go through the §5 rules together, each distinct cell value read
    once for them all (an ICS's places type the same words).
    """
    for unit in units:
        _check_scope(unit.scope)
    together = [
        k
        for k, u in enumerate(units)
        if not isinstance(u.inputs, pd.DataFrame) or u.inputs.columns.is_unique
    ]
    done = dict(
        zip(together, _assess_together(catalogue, [units[k] for k in together]), strict=True)
    )
    return [
        done[k]
        if k in done
        else assess_place(catalogue, u.inputs, unit_id=u.unit_id, scope=u.scope, locate=u.locate)
        for k, u in enumerate(units)
    ]


def _frame(commitments: list[Commitment], computed: dict[str, list[str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {**catalogue_columns(commitments), **computed},
        columns=[k for k in ASSESSMENT_COLUMNS if k in computed or k not in _COMPUTED],
    )
    frame["chapter"] = frame["chapter"].astype("int64")
    frame["must_do"] = frame["must_do"].astype(bool)
    return frame


_COMPUTED = ("rag", "reason", "rule", "checks")
_BASES: dict[tuple[int, str], tuple[weakref.ref[Catalogue], _ScopeBase]] = {}


def _scope_base(catalogue: Catalogue, scope: Scope) -> _ScopeBase:
    """The commitments in scope and their catalogue columns, built once per catalogue object.

    The lists are the frame's own values (``tolist``), so :meth:`PlaceAssessment.column`
    gives what the frame holds.
    """
    key = (id(catalogue), scope)
    hit = _BASES.get(key)
    if hit is not None and hit[0]() is catalogue:
        return hit[1]
    commitments = [c for c in catalogue.commitments if scope == "place" or c.level == "ics"]
    frame = _frame(commitments, {})
    lists = {str(k): frame[k].tolist() for k in frame.columns}
    base = _ScopeBase(commitments=commitments, frame=frame, lists=lists)
    if len(_BASES) > 32:
        _BASES.clear()
    _BASES[key] = (weakref.ref(catalogue), base)
    return base


def _check_scope(scope: str) -> None:
    if scope not in ("place", "ics"):
        raise ValueError(f"scope must be 'place' or 'ics', not {scope!r}")


def _computed(results: RowResults) -> dict[str, list[str]]:
    return {
        "rag": results.rag,
        "reason": results.reason,
        "rule": results.rule,
        "checks": results.checks,
    }


def _text_dtype() -> Any:
    """The dtype pandas infers for text, as when the frame is built from lists at once."""
    return pd.Series(["text"]).dtype


def _with_results(base: pd.DataFrame, computed: Mapping[str, Any]) -> pd.DataFrame:
    """The catalogue columns and the computed ones, as one frame."""
    results_frame = pd.DataFrame(dict(computed), copy=False)
    return pd.concat([base, results_frame], axis=1)  # copies: the cache stays as it is


def _assess_together(catalogue: Catalogue, units: Sequence[UnitInputs]) -> list[PlaceAssessment]:
    """Units whose inputs have unique column names, through :func:`assess_parts` at once."""
    if not units:
        return []
    every: list[Commitment] = []
    row_of: list[int] = []
    fixed: dict[int, tuple[str, str, str]] = {}
    parts: list[tuple[int, Locator | None]] = []
    bases: list[_ScopeBase] = []
    present = {k for u in units for k in INPUT_KEYS if has_column(u.inputs, k)}
    columns: dict[str, list[object]] = {k: [] for k in INPUT_KEYS if k in present}
    n_rows = 0  # rows of the units before this one, in ``columns``
    for unit in units:
        base = _scope_base(catalogue, unit.scope)
        commitments = base.commitments
        first = _first_rows(unit.inputs)
        at = len(every)
        if unit.scope == "place":
            for j, c in enumerate(commitments):
                if c.level in _LEVEL_REASONS:
                    fixed[at + j] = ("N/A", *_LEVEL_REASONS[c.level])
        row_of.extend(-1 if (r := first.get(c.id, -1)) < 0 else r + n_rows for c in commitments)
        every.extend(commitments)
        parts.append((len(commitments), unit.locate))
        bases.append(base)
        size = height(unit.inputs)
        for key, values in columns.items():
            values.extend(
                column_list(unit.inputs, key) if has_column(unit.inputs, key) else [None] * size
            )
        n_rows += size
    results, issues = assess_parts(every, row_of, columns, fixed, parts)
    computed = _computed(results)
    out: list[PlaceAssessment] = []
    start = 0
    for unit, base, (size, _), found in zip(units, bases, parts, issues, strict=True):
        end = start + size
        mine = {k: v[start:end] for k, v in computed.items()}
        out.append(
            PlaceAssessment(
                unit_id=unit.unit_id, scope=unit.scope, columns=(base, mine), issues=found
            )
        )
        start = end
    return out
