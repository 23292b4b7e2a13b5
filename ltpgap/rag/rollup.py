"""The ICS roll-up (SPEC §6), composing upward: places → ICS → region → national.

One vectorised core works on a commitments × units matrix of RAG codes: must-dos take the
worst unit, other commitments a population-weighted score, both as the :class:`Rules` say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig, Rules
from ltpgap.issues import LtpgapError, make_issue
from ltpgap.rag._rollup_core import (
    Rolled,
    catalogue_base,
    fill_matrix,
    level_modes,
    matrix_from_long,
    rolled,
    rollup_frames,
    team_rags,
)
from ltpgap.rag._table import Table, has_column
from ltpgap.rag.summary import rag_codes, rag_counts_of

__all__ = [
    "ROLLUP_COLUMNS",
    "ROLLUP_RULES",
    "IcsRollup",
    "rollup_ics",
    "rollup_region",
    "rollup_units",
]

#: Columns of :attr:`IcsRollup.frame`, in order.
ROLLUP_COLUMNS: tuple[str, ...] = (
    "para",
    "chapter",
    "programme_area",
    "life_course",
    "must_do",
    "level",
    "ics_rag",
    "rule",
    "score",
    "assessed_share",
    "places_counted",
    "places_excluded",
    "places_not_assessed",
    "explanation",
)

#: Roll-up rule ids → meaning.
ROLLUP_RULES: dict[str, str] = {
    "worst": "the worst RAG of the units assessed (any Red gives Red)",
    "weighted": "population-weighted score against the thresholds",
    "assessed-by-ics": "ICS-level commitment, assessed once by the ICS team",
    "not-assessed-quorum": "units assessed hold less than the minimum share of population",
    "not-applicable": "not applicable in any unit",
    "not-assessed-locally": "region- or national-level commitment, N/A at this level",
}


class IcsRollup:
    """A roll-up: one row per commitment with the rolled RAG and why, plus the unit matrix.

    :attr:`frame` (:data:`ROLLUP_COLUMNS`) and :attr:`matrix` (para, one column per unit, the
    rolled RAG) are built from the computed columns the first time they are asked for;
    :meth:`column` and :meth:`unit_rags` read the same values without building them.
    """

    __slots__ = ("_done", "_frame", "_matrix", "id", "rules", "unit_label", "units", "weights")

    def __init__(
        self,
        *,
        rules: Rules,
        units: tuple[str, ...],
        frame: pd.DataFrame | None = None,
        matrix: pd.DataFrame | None = None,
        weights: Mapping[str, float] | None = None,
        unit_label: str = "place",
        id: str = "",
        rolled: Rolled | None = None,
    ) -> None:
        if (rolled is None) == (frame is None or matrix is None):
            raise TypeError("IcsRollup takes either frame and matrix, or rolled")
        self._done = rolled
        self._frame = frame
        self._matrix = matrix
        self.rules = rules
        self.units = tuple(units)
        self.weights: Mapping[str, float] = dict(weights or {})
        self.unit_label = unit_label
        self.id = id

    def __repr__(self) -> str:
        return f"IcsRollup(id={self.id!r}, units={self.units!r}, rows={len(self)})"

    def __len__(self) -> int:
        """Commitments rolled up (rows of the frame)."""
        if self._done is not None:
            return len(self._done.matrix)
        assert self._frame is not None
        return len(self._frame)

    def _build(self) -> None:
        assert self._done is not None
        self._frame, self._matrix = rollup_frames(self._done)

    @property
    def frame(self) -> pd.DataFrame:
        """One row per commitment: catalogue columns, the rolled RAG, its rule and why."""
        if self._frame is None:
            self._build()
        assert self._frame is not None
        return self._frame

    @property
    def matrix(self) -> pd.DataFrame:
        """The unit matrix: para, each unit's RAG, and the rolled RAG (``ics_rag``)."""
        if self._matrix is None:
            self._build()
        assert self._matrix is not None
        return self._matrix

    def column(self, name: str) -> list[object]:
        """One column of :attr:`frame` as a list (without building the frame)."""
        if self._done is not None:
            return self._done.column(name)
        return cast(list[object], self.frame[name].tolist())

    def unit_rags(self, unit: str) -> list[object]:
        """One unit's column of :attr:`matrix` as a list."""
        if self._done is not None:
            return self._done.unit_rags(unit)
        return cast(list[object], self.matrix[unit].tolist())

    def rag_counts(self) -> dict[str, int]:
        """Counts of each rolled RAG value."""
        return rag_counts_of(self.column("ics_rag"))


def rollup_units(
    catalogue: Catalogue,
    unit_rags: Table,
    weights: Mapping[str, float],
    rules: Rules,
    *,
    unit_label: str = "place",
    levels: Sequence[str] = ("place", "ics"),
    unit_id: str = "",
) -> IcsRollup:
    """Roll unit RAGs (long frame: unit, para, rag) up by the rules, weighting by population.

    Commitments whose level is in ``levels`` are rolled up; the others are N/A here. The unit
    column may be named ``unit`` or after ``unit_label`` (e.g. ``place``); ``unit_rags`` may
    also be given as plain columns (column name → list of values).
    """
    base = catalogue_base(catalogue)
    units = list(weights)
    modes = level_modes(base, levels)
    unit_col = unit_label if has_column(unit_rags, unit_label) else "unit"
    matrix = matrix_from_long(base, modes, unit_rags, unit_col, units, unit_label)
    done = rolled(base, matrix, modes, None, weights, rules, unit_label)
    return IcsRollup(
        rolled=done,
        rules=rules,
        units=tuple(units),
        weights=dict(weights),
        unit_label=unit_label,
        id=unit_id,
    )


def rollup_ics(
    catalogue: Catalogue,
    place_rags: Table,
    *,
    ics: IcsConfig,
    ics_rags: Table | None = None,
) -> IcsRollup:
    """The ICS RAG per commitment from the places' RAGs (long frame: place, para, rag).

    ICS-level commitments are taken once from ``ics_rags`` (frame: para, rag; the ICS team's
    workbook), Not assessed when absent; region- and national-level ones are N/A. Either may
    also be given as plain columns (column name → list of values).
    """
    base = catalogue_base(catalogue)
    weights = {p.id: float(p.population) for p in ics.places}
    units = list(weights)
    modes = level_modes(base, ("place",), ("ics",))
    unit_col = "place" if has_column(place_rags, "place") else "unit"
    matrix = matrix_from_long(base, modes, place_rags, unit_col, units, "place")
    given = team_rags(base, ics_rags)
    done = rolled(base, matrix, modes, given, weights, ics.rules, "place")
    return IcsRollup(rolled=done, rules=ics.rules, units=tuple(units), weights=weights, id=ics.id)


def _column_matrix(
    base: dict[str, Any], modes: np.ndarray, results: Mapping[str, Any], units: Sequence[str]
) -> np.ndarray:
    matrix = fill_matrix(base, modes, len(units))
    position = {u: j for j, u in enumerate(units)}
    for unit, result in results.items():
        frame = result.frame if isinstance(result, IcsRollup) else result
        column = "ics_rag" if "ics_rag" in frame.columns else "rag"
        row = base["index"].get_indexer(pd.Index(frame["para"].astype(str)))
        codes = rag_codes(frame[column])
        keep = row >= 0
        matrix[row[keep], position[unit]] = codes[keep]
    return matrix


def rollup_region(
    catalogue: Catalogue,
    ics_results: Mapping[str, pd.DataFrame | IcsRollup],
    populations: Mapping[str, int | float],
    rules: Rules | None = None,
    *,
    unit_label: str = "ics",
    region_id: str = "",
) -> IcsRollup:
    """Roll ICS results (frames with para, ics_rag) up to a region, weighting by population.

    Units are the keys of ``populations`` (an ICS with no result counts as Not assessed).
    The result has the same columns, so regions roll up to national the same way.
    """
    base = catalogue_base(catalogue)
    unknown = [u for u in ics_results if u not in populations]
    if unknown:
        raise LtpgapError(
            [
                make_issue(
                    "bad-population",
                    f"no population is given for {u!r}; add it to the populations.",
                )
                for u in unknown
            ]
        )
    rules = rules or Rules()
    units = list(populations)
    weights = {u: float(populations[u]) for u in units}
    modes = level_modes(base, ("place", "ics"))
    matrix = _column_matrix(base, modes, ics_results, units)
    done = rolled(base, matrix, modes, None, weights, rules, unit_label)
    return IcsRollup(
        rolled=done,
        rules=rules,
        units=tuple(units),
        weights=weights,
        unit_label=unit_label,
        id=region_id,
    )
