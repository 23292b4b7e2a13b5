"""The roll-up core: a commitments × units matrix of RAG codes → rolled RAG and why.

Vectorised with numpy so 42 ICSs × 5 places × 500 commitments roll up well inside a second.
Strings (units counted, explanations) are built once per distinct pattern, not per row.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from ltpgap.catalogue import Catalogue
from ltpgap.ics import Rules
from ltpgap.issues import LtpgapError, make_issue
from ltpgap.rag._table import Table, column_list, has_column
from ltpgap.rag.place import catalogue_columns
from ltpgap.rag.summary import rag_codes
from ltpgap.schema import RAG_VALUES

CATALOGUE_KEYS = ("para", "chapter", "programme_area", "life_course", "must_do", "level")
GREEN, AMBER, RED, NOT_ASSESSED, NA = range(5)
_RAGS = np.array(RAG_VALUES, dtype=object)
_EPS = 1e-9  # scores are sums of float products; 0.8 must count as 0.8
ROLL, GIVEN, LOCAL = 0, 1, 2
_NOUNS = {"place": ("place", "places"), "ics": ("ICS", "ICSs"), "region": ("region", "regions")}


# --- catalogue columns, computed once per catalogue object --------------------------------

_BASE: dict[int, tuple[weakref.ref[Catalogue], dict[str, Any]]] = {}


def catalogue_base(catalogue: Catalogue) -> dict[str, Any]:
    """Catalogue columns as arrays plus a para index, cached per catalogue object."""
    hit = _BASE.get(id(catalogue))
    if hit is not None and hit[0]() is catalogue:
        return hit[1]
    commitments = list(catalogue.commitments)
    columns = catalogue_columns(commitments)
    base: dict[str, Any] = {k: np.array(v, dtype=object) for k, v in columns.items()}
    base["chapter"] = np.array(columns["chapter"], dtype=np.int64)
    base["must_do"] = np.array(columns["must_do"], dtype=bool)
    base["index"] = pd.Index(columns["para"])
    # The catalogue columns as a frame holds them (text as pandas' text dtype), converted once
    # rather than in every roll-up frame built from this catalogue.
    base["frame_columns"] = {k: pd.Series(base[k]).array for k in CATALOGUE_KEYS}
    # ... and as lists of the values the frame holds (what ``frame[k].tolist()`` gives).
    base["lists"] = {k: pd.Series(base["frame_columns"][k]).tolist() for k in CATALOGUE_KEYS}
    base["rows"] = {p: i for i, p in enumerate(columns["para"])}
    if len(_BASE) > 32:
        _BASE.clear()
    _BASE[id(catalogue)] = (weakref.ref(catalogue), base)
    return base


# --- building the commitments × units matrix ----------------------------------------------


def check_weights(weights: Mapping[str, float], noun: str) -> np.ndarray:
    """Weights as an array; raise LtpgapError (bad-population) unless all are positive."""
    w = np.array([float(weights[u]) for u in weights], dtype=float)
    bad = [u for u, x in zip(weights, w, strict=True) if not (math.isfinite(x) and x > 0)]
    if bad:
        raise LtpgapError(
            [
                make_issue(
                    "bad-population",
                    f"{noun} {u!r} has population {weights[u]!r}; a roll-up weight must be a "
                    "positive number. Give its population.",
                )
                for u in bad
            ]
        )
    return w


def fill_matrix(base: dict[str, Any], modes: np.ndarray, n_units: int) -> np.ndarray:
    """Start matrix: Not assessed where a unit should answer, N/A elsewhere."""
    start = np.where(modes == ROLL, NOT_ASSESSED, NA).astype(np.int8)
    return np.repeat(start[:, None], n_units, axis=1)


def rows_of(base: dict[str, Any], paras: Sequence[object]) -> np.ndarray:
    """Each para's row in the catalogue (by its text), -1 for one outside it."""
    at = base["rows"]
    return np.array([at.get(p if type(p) is str else str(p), -1) for p in paras], dtype=np.int64)


def matrix_from_long(
    base: dict[str, Any],
    modes: np.ndarray,
    rags: Table,
    unit_col: str,
    units: Sequence[str],
    noun: str,
) -> np.ndarray:
    """The commitments × units code matrix from a long frame (unit, para, rag).

    ``rags`` may also be those columns as lists (name → values).
    """
    matrix = fill_matrix(base, modes, len(units))
    long = {n: column_list(rags, n) for n in (unit_col, "para", "rag")}
    if not long["para"]:
        return matrix
    position = {u: j for j, u in enumerate(units)}
    names = [u if type(u) is str else str(u) for u in long[unit_col]]
    col = np.array([position.get(u, -1) for u in names], dtype=np.int64)
    if (col < 0).any():
        unknown = sorted({u for u in names if u not in position})
        raise LtpgapError(
            [
                make_issue(
                    "place-not-in-ics",
                    f"{noun} {u!r} is not one of {', '.join(units)}; add it (with its "
                    "population) to the configuration or drop its rows.",
                )
                for u in unknown
            ]
        )
    row = rows_of(base, long["para"])
    codes = rag_codes(long["rag"])
    keep = row >= 0  # paras outside the catalogue: the workbook reader reports them
    row, col, codes = row[keep], col[keep], codes[keep]
    flat = row.astype(np.int64) * len(units) + col
    uniq, counts = np.unique(flat, return_counts=True)
    if (counts > 1).any():
        first = int(uniq[counts > 1][0])
        raise LtpgapError(
            [
                make_issue(
                    "duplicate-para",
                    f"{noun} {units[first % len(units)]!r} has more than one RAG for "
                    f"commitment {base['para'][first // len(units)]}; give one row per commitment.",
                )
            ]
        )
    matrix[row, col] = codes
    return matrix


# --- the roll-up itself ---------------------------------------------------------------------


def _pct_text(share: float) -> str:
    # Truncated like the score: 49.9% shows as 49%, never as a 50% that met the quorum.
    return f"{math.floor(share * 100 + 1e-6):d}%"


def _score_text(score: float) -> str:
    # Truncate rather than round so the figure shown never crosses a threshold it did not reach.
    return f"{math.floor(score * 100 + 1e-6) / 100:.2f}"


def _pattern_groups(small: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Group rows with the same pattern of small codes: (first row of each group, inverse)."""
    n_units = small.shape[1]
    if n_units * bits <= 62:
        shifts = np.arange(n_units, dtype=np.int64) * bits
        keys = (small.astype(np.int64) << shifts).sum(axis=1)
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(small, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _unit_lists(matrix: np.ndarray, units: Sequence[str]) -> tuple[np.ndarray, ...]:
    """Per row: units counted, excluded (with why), not assessed; and the worst units.

    Strings are built once per distinct pattern of units, not once per row.
    """
    n_rows = matrix.shape[0]
    if not units or n_rows == 0:
        return tuple(np.full(n_rows, "", dtype=object) for _ in range(4))
    # 0 counted, 1 not assessed, 2 N/A
    status = np.where(matrix <= RED, 0, matrix - RED).astype(np.int8)
    first, inverse = _pattern_groups(status, 2)
    counted, excluded, missing = [], [], []
    for row in status[first].tolist():
        pairs = list(zip(units, row, strict=True))
        counted.append(", ".join(u for u, c in pairs if c == 0))
        excluded.append(
            ", ".join(f"{u} ({'N/A' if c == 2 else 'not assessed'})" for u, c in pairs if c)
        )
        missing.append(", ".join(u for u, c in pairs if c == 1))
    worst_code = np.where(matrix <= RED, matrix, -1).max(axis=1, keepdims=True, initial=-1)
    at_worst = ((matrix == worst_code) & (worst_code >= 0)).astype(np.int8)
    w_first, w_inverse = _pattern_groups(at_worst, 1)
    worst = [
        ", ".join(u for u, c in zip(units, row, strict=True) if c)
        for row in at_worst[w_first].tolist()
    ]
    lists = [np.array(x, dtype=object)[inverse] for x in (counted, excluded, missing)]
    return (*lists, np.array(worst, dtype=object)[w_inverse])


def _compute(
    matrix: np.ndarray, w: np.ndarray, must_do: np.ndarray, rules: Rules
) -> dict[str, np.ndarray]:
    """Vectorised numbers: rag code, rule index, score and share for every row."""
    applicable = matrix != NA
    assessed = matrix <= RED
    pop_applicable = applicable @ w
    pop_assessed = assessed @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        share = pop_assessed / pop_applicable
        values = np.array([rules.green_weight, rules.amber_weight, rules.red_weight, 0.0, 0.0])
        score = (values[matrix] * assessed) @ w / pop_assessed
    weighted = np.where(
        score >= rules.green_threshold - _EPS,
        GREEN,
        np.where(score >= rules.amber_threshold - _EPS, AMBER, RED),
    )
    worst = np.where(assessed, matrix, -1).max(axis=1, initial=-1)
    use_worst = np.where(must_do, rules.must_do == "worst", rules.others == "worst")
    none_applicable = ~applicable.any(axis=1)
    short = ~none_applicable & (~assessed.any(axis=1) | (share < rules.min_assessed_share - _EPS))
    rag = np.where(use_worst, worst, weighted)
    rag = np.where(short, NOT_ASSESSED, rag)
    rag = np.where(none_applicable, NA, rag)
    rule = np.where(use_worst, "worst", "weighted").astype(object)
    rule[short] = "not-assessed-quorum"
    rule[none_applicable] = "not-applicable"
    # The score column holds the figure the weighted rule judged; NaN for every other rule.
    score = np.where(use_worst | short | none_applicable, np.nan, score)
    return {"rag": rag, "rule": rule, "score": score, "share": share}


def _explain(
    rag: list[str],
    rule: list[str],
    score: list[float],
    share: list[float],
    n_counted: list[int],
    worst_units: list[str],
    rules: Rules,
    noun: str,
) -> list[str]:
    one, many = _NOUNS.get(noun, (noun, noun + "s"))
    title = many[0].upper() + many[1:]
    quorum = f"{rules.min_assessed_share:.0%}"
    out = []
    for r, ru, s, sh, n, wu in zip(rag, rule, score, share, n_counted, worst_units, strict=True):
        if ru in ("weighted", "worst"):
            units = f"{n} {one if n == 1 else many} ({_pct_text(sh)} of population)"
        if ru == "weighted":
            out.append(f"Weighted score {_score_text(s)} over {units} → {r}")
        elif ru == "worst":
            out.append(f"Worst of {units} → {r} at {wu}")
        elif ru == "not-assessed-quorum" and n == 0:
            out.append(f"No {one} has assessed it yet → Not assessed")
        elif ru == "not-assessed-quorum":
            out.append(
                f"{title} assessed hold {_pct_text(sh)} of the population where it "
                f"applies (under {quorum}) → Not assessed"
            )
        else:
            out.append(f"Not applicable in any {one} → N/A")
    return out


def _rolled_columns(
    matrix: np.ndarray,
    units: list[str],
    w: np.ndarray,
    must_do: np.ndarray,
    rules: Rules,
    noun: str,
) -> dict[str, np.ndarray]:
    """Every output column for the rows that are rolled up from the units."""
    nums = _compute(matrix, w, must_do, rules)
    counted, excluded, missing, worst_units = _unit_lists(matrix, units)
    explanation = _explain(
        _RAGS[nums["rag"]].tolist(),
        nums["rule"].tolist(),
        nums["score"].tolist(),
        nums["share"].tolist(),
        (matrix <= RED).sum(axis=1).tolist(),
        worst_units.tolist(),
        rules,
        noun,
    )
    return {
        **nums,
        "counted": counted,
        "excluded": excluded,
        "missing": missing,
        "explanation": np.array(explanation, dtype=object),
    }


def _other_rows(
    cols: dict[str, np.ndarray], base: dict[str, Any], modes: np.ndarray, given: np.ndarray | None
) -> None:
    """Rows not rolled up: other levels are N/A here; ICS-level ones take the team's RAG."""
    other = modes != ROLL
    if not other.any():
        return
    for key in ("counted", "excluded", "missing"):
        cols[key][other] = ""
    cols["score"][other], cols["share"][other] = np.nan, np.nan
    local = modes == LOCAL
    cols["rag"][local], cols["rule"][local] = NA, "not-assessed-locally"
    cols["explanation"][local] = [
        f"{lvl.capitalize()}-level commitment: judged at {lvl} level, N/A here"
        for lvl in base["level"][local]
    ]
    if given is not None:
        fixed = modes == GIVEN
        cols["rag"][fixed], cols["rule"][fixed] = given[fixed], "assessed-by-ics"
        cols["explanation"][fixed] = [
            f"ICS-level commitment, assessed once by the ICS team → {r}"
            for r in _RAGS[given[fixed]]
        ]


@dataclass(frozen=True, slots=True, eq=False)
class Rolled:
    """A roll-up's columns, before they become frames: what :func:`rolled` computes."""

    base: dict[str, Any]
    matrix: np.ndarray  # commitments × units RAG codes
    units: list[str]
    cols: dict[str, np.ndarray]

    def column(self, name: str) -> list[object]:
        """``frame[name].tolist()`` of :func:`rollup_frames`, without the frame."""
        if name in self.base["lists"]:
            return list(self.base["lists"][name])
        key = _FRAME_KEYS[name]
        if key == "rag":
            return cast(list[object], _RAGS[self.cols["rag"]].tolist())
        return cast(list[object], self.cols[key].astype(_KINDS.get(key, object)).tolist())

    def unit_rags(self, unit: str) -> list[object]:
        """``matrix[unit].tolist()``: one unit's RAG per commitment."""
        return cast(list[object], _RAGS[self.matrix[:, self.units.index(unit)]].tolist())


#: Roll-up frame column → the key of its array in :attr:`Rolled.cols`.
_FRAME_KEYS = {
    "ics_rag": "rag",
    "rule": "rule",
    "score": "score",
    "assessed_share": "share",
    "places_counted": "counted",
    "places_excluded": "excluded",
    "places_not_assessed": "missing",
    "explanation": "explanation",
}
_KINDS = {"score": float, "share": float}


def rolled(
    base: dict[str, Any],
    matrix: np.ndarray,
    modes: np.ndarray,
    given: np.ndarray | None,
    weights: Mapping[str, float],
    rules: Rules,
    noun: str,
) -> Rolled:
    """Every roll-up column for a commitments × units matrix of RAG codes."""
    units = list(weights)
    cols = _rolled_columns(
        matrix, units, check_weights(weights, noun), base["must_do"], rules, noun
    )
    _other_rows(cols, base, modes, given)
    return Rolled(base=base, matrix=matrix, units=units, cols=cols)


def rollup_frames(done: Rolled) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roll-up frame and the unit matrix of :func:`rolled`'s columns."""
    base, cols = done.base, done.cols
    frame = pd.DataFrame(
        {
            **base["frame_columns"],
            "ics_rag": _RAGS[cols["rag"]],
            "rule": cols["rule"],
            "score": cols["score"].astype(float),
            "assessed_share": cols["share"].astype(float),
            "places_counted": cols["counted"],
            "places_excluded": cols["excluded"],
            "places_not_assessed": cols["missing"],
            "explanation": cols["explanation"],
        }
    )
    grid = pd.DataFrame(_RAGS[done.matrix], columns=done.units)
    grid.insert(0, "para", base["frame_columns"]["para"].copy())
    grid["ics_rag"] = frame["ics_rag"].to_numpy()
    return frame, grid


def level_modes(
    base: dict[str, Any], rolled: Sequence[str], given: Sequence[str] = ()
) -> np.ndarray:
    """Per commitment: rolled up from units, given by the ICS team, or N/A at this level."""
    level = base["level"]
    modes = np.full(len(level), LOCAL, dtype=np.int8)
    modes[np.isin(level, list(rolled))] = ROLL
    modes[np.isin(level, list(given))] = GIVEN
    return modes


def team_rags(base: dict[str, Any], rags: Table | None) -> np.ndarray:
    """RAG codes from the ICS team's own workbook (frame: para, rag); Not assessed if absent."""
    given = np.full(len(base["para"]), NOT_ASSESSED, dtype=np.int8)
    if rags is None:
        return given
    column = "rag" if has_column(rags, "rag") else "ics_rag"
    long = {n: column_list(rags, n) for n in ("para", column)}
    if not long["para"]:
        return given
    row = rows_of(base, long["para"])
    codes = rag_codes(long[column])
    given[row[row >= 0]] = codes[row >= 0]
    return given
