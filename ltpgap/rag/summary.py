"""Place summaries (SPEC §6): RAG counts, % green, % assessed and must-dos at Red per group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from ltpgap.catalogue import Catalogue, para_sort_key
from ltpgap.issues import LtpgapError, make_issue
from ltpgap.rag._table import Table
from ltpgap.schema import RAG_VALUES

__all__ = [
    "SUMMARY_COLUMNS",
    "Counts",
    "GroupBy",
    "must_do_red_rows",
    "rag_codes",
    "rag_counts",
    "rag_counts_of",
    "summarise",
    "summary_counts",
]

GroupBy = Literal["chapter", "programme_area"]

#: The count and percentage columns of a summary, after the group column(s).
SUMMARY_COLUMNS: tuple[str, ...] = (
    *RAG_VALUES,
    "total",
    "pct_green",
    "pct_assessed",
    "must_do_red",
)

_RAG_INDEX = pd.Index(list(RAG_VALUES), dtype=object)
_RAG_CODE: dict[object, int] = {rag: i for i, rag in enumerate(RAG_VALUES)}


def rag_codes(rags: pd.Series | Sequence[object], *, what: str = "rag") -> np.ndarray:
    """Positions in RAG_VALUES (Green 0 … N/A 4); raise LtpgapError on any other value."""
    if isinstance(rags, list):  # plain columns: a dict lookup per value, no index built
        codes = np.array([_RAG_CODE.get(v, -1) for v in rags], dtype=np.int8)
    else:
        codes = _RAG_INDEX.get_indexer(pd.Index(cast(Any, rags), dtype=object)).astype(np.int8)
    if (codes < 0).any():
        bad = sorted({str(v) for v, k in zip(rags, codes, strict=True) if k < 0})
        shown = ", ".join(repr(b) for b in bad[:5]) + (
            f" … +{len(bad) - 5} more" if len(bad) > 5 else ""
        )
        raise LtpgapError(
            [
                make_issue(
                    "unrecognised-value",
                    f"{what} values {shown} are not RAG values; expected one of "
                    f"{', '.join(RAG_VALUES)}. Pass the rag column of an assessment.",
                )
            ]
        )
    return codes


def rag_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Counts of Green, Amber, Red, Not assessed and N/A (all five keys, in that order)."""
    return rag_counts_of(frame["rag"])


def rag_counts_of(rags: pd.Series | Sequence[object]) -> dict[str, int]:
    """:func:`rag_counts` of a column of RAG values."""
    counts = np.bincount(rag_codes(rags), minlength=len(RAG_VALUES))
    return {rag: int(n) for rag, n in zip(RAG_VALUES, counts, strict=True)}


def _group_order(values: pd.Series, key: str, catalogue: Catalogue | None) -> list[object]:
    return _sorted_groups(list(pd.unique(values)), key, catalogue)


def _sorted_groups(present: list[Any], key: str, catalogue: Catalogue | None) -> list[object]:
    """Distinct group values in summary order (see :func:`summarise`)."""
    if key == "chapter":
        return sorted(
            present, key=lambda v: (float(v) if str(v).isdigit() else float("inf"), str(v))
        )
    if key == "programme_area" and catalogue is not None:
        order = {p.id: i for i, p in enumerate(catalogue.programme_areas)}
        return sorted(present, key=lambda v: (order.get(str(v), len(order)), str(v)))
    if key == "para":
        return sorted(present, key=lambda v: para_sort_key(str(v)))
    return sorted(present, key=str)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Counts:
    """A summary as plain columns: each group's keys, its RAG counts and must-dos at Red.

    :meth:`frame` gives what :func:`summarise` returns; the columns are there for callers
    that lay a few groups out as cells and need no frame.
    """

    keys: dict[str, pd.Index]  # key column -> each group's value, in group order
    rags: np.ndarray  # groups × RAG_VALUES, int64
    must_do_red: np.ndarray  # int64

    @property
    def total(self) -> np.ndarray:
        """Commitments per group."""
        return self.rags.sum(axis=1)

    def _applicable(self) -> np.ndarray:
        applicable = (self.total - self.rags[:, 4]).astype(float)
        applicable[applicable == 0.0] = np.nan
        return applicable

    @property
    def pct_green(self) -> np.ndarray:
        """Green over applicable (N/A left out); NaN where nothing applies."""
        return self.rags[:, 0] / self._applicable()

    @property
    def pct_assessed(self) -> np.ndarray:
        """Green, Amber or Red over applicable; NaN where nothing applies."""
        return (self.rags[:, 0] + self.rags[:, 1] + self.rags[:, 2]) / self._applicable()

    def column(self, name: str) -> np.ndarray:
        """One of SUMMARY_COLUMNS as an array."""
        if name in RAG_VALUES:
            return self.rags[:, RAG_VALUES.index(name)]
        return cast(np.ndarray, getattr(self, name))

    def frame(self) -> pd.DataFrame:
        """The summary frame: key columns, then SUMMARY_COLUMNS."""
        columns: dict[str, Any] = dict(self.keys)
        columns |= {name: self.column(name) for name in SUMMARY_COLUMNS}
        return pd.DataFrame(columns)


def summarise(
    frame: pd.DataFrame,
    by: GroupBy | None = None,
    *,
    catalogue: Catalogue | None = None,
    within: Sequence[str] = (),
) -> pd.DataFrame:
    """Counts per RAG, % green and % assessed over applicable, and must-dos at Red, per group.

    ``by`` is ``'chapter'``, ``'programme_area'`` (any other column works too) or ``None``
    for one overall row; ``within`` adds outer groups, e.g. ``within=['place']``. Groups are
    sorted: chapters numerically, programme areas in catalogue order when a catalogue is
    given, anything else by name.
    """
    keys = [*within, *([by] if by is not None else [])]
    codes, red_must_do = _codes(frame)
    if keys and not (len(frame) and all(_plain(frame[k]) for k in keys)):
        return _grouped_reference(frame, keys, codes, red_must_do, catalogue)
    return _counts(frame, keys, codes, red_must_do, catalogue).frame()


def summary_counts(
    frame: Table,
    groupings: Sequence[GroupBy | None],
    *,
    catalogue: Catalogue | None = None,
    within: Sequence[str] = (),
) -> list[Counts]:
    """:func:`summarise` for several groupings at once, as plain columns (one RAG pass).

    ``frame`` may also be plain columns (name → list of values, all the same length), as an
    assessment's :meth:`~ltpgap.rag.PlaceAssessment.column` gives them: no frame is built
    unless a key column has gaps or mixed types.
    """
    if not isinstance(frame, pd.DataFrame):
        lists = frame
        if all(_plain_list(lists[k]) for g in groupings for k in [*within, *([g] if g else [])]):
            return _summary_counts(lists, groupings, catalogue, within)
        frame = pd.DataFrame({k: list(v) for k, v in lists.items()}, dtype=object)
    return _summary_counts(frame, groupings, catalogue, within)


def _summary_counts(
    frame: Table,
    groupings: Sequence[GroupBy | None],
    catalogue: Catalogue | None,
    within: Sequence[str],
) -> list[Counts]:
    codes, red_must_do = _codes(frame)
    out = []
    for by in groupings:
        keys: list[str] = [*within, *([by] if by is not None else [])]
        if isinstance(frame, pd.DataFrame) and (
            keys and not (len(frame) and all(_plain(frame[k]) for k in keys))
        ):
            table = _grouped_reference(frame, keys, codes, red_must_do, catalogue)
            out.append(
                Counts(
                    keys={k: pd.Index(table[k]) for k in keys},
                    rags=table[list(RAG_VALUES)].to_numpy(dtype=np.int64),
                    must_do_red=table["must_do_red"].to_numpy(dtype=np.int64),
                )
            )
        else:
            out.append(_counts(frame, keys, codes, red_must_do, catalogue))
    return out


def _codes(frame: Table) -> tuple[np.ndarray, np.ndarray]:
    """Each row's RAG code, and whether it is a must-do at Red."""
    codes = rag_codes(frame["rag"])
    if isinstance(frame, pd.DataFrame):
        must_do = frame["must_do"].astype(bool).to_numpy()
    else:
        must_do = np.array([bool(v) for v in frame["must_do"]], dtype=bool)
    return codes, must_do & (codes == 2)


def must_do_red_rows(frame: Table) -> list[int]:
    """Positions of the rows that are must-dos at Red: the ones ``must_do_red`` counts."""
    return np.flatnonzero(_codes(frame)[1]).tolist()


def _plain(column: pd.Series) -> bool:
    """Integers, booleans or text without gaps: grouped in one numpy pass, as pandas would."""
    if column.dtype.kind in "iub":
        return True
    if column.hasnans:
        return False
    return bool(pd.api.types.infer_dtype(column, skipna=False) == "string")


def _plain_list(values: Sequence[object]) -> bool:
    """:func:`_plain` for a list: all text, or all integers."""
    kinds = set(map(type, values))
    return kinds == {str} or kinds == {int}


def _counts(
    frame: Table,
    keys: list[str],
    codes: np.ndarray,
    red_must_do: np.ndarray,
    catalogue: Catalogue | None,
) -> Counts:
    """Every grouping in one pass: a group id per row, then one bincount."""
    n_rags = len(RAG_VALUES)
    if not keys:
        return Counts(
            keys={},
            rags=np.bincount(codes, minlength=n_rags).reshape(1, -1).astype(np.int64),
            must_do_red=np.array([red_must_do.sum()], dtype=np.int64),
        )
    group = np.zeros(len(codes), dtype=np.int64)
    span = 1  # group ids are below this
    key_codes: list[np.ndarray] = []
    uniques: list[list[object]] = []
    for key in keys:
        given = frame[key]
        column: Any = given
        if not isinstance(given, pd.Series):  # a plain list: all text or all int
            column = np.array(given, dtype=object if type(given[0]) is str else np.int64)
        found_codes, found_index = pd.factorize(column, sort=False)
        if span * len(found_index) >= 2**62:  # keep the combined id inside int64
            group = np.unique(group, return_inverse=True)[1].reshape(-1)
            span = int(group.max()) + 1
        group, span = group * len(found_index) + found_codes, span * len(found_index)
        key_codes.append(found_codes)
        uniques.append(found_index.tolist())
    _, first, inverse = np.unique(group, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    n_groups = len(first)
    counts = np.bincount(inverse * n_rags + codes, minlength=n_groups * n_rags)
    red = np.bincount(inverse, weights=red_must_do, minlength=n_groups).astype(np.int64)
    # Each group's value of each key, and its rank in that key's sort order.
    ranks: list[np.ndarray] = []
    for key, found, found_codes in zip(keys, uniques, key_codes, strict=True):
        in_order = _sorted_groups(list(found), key, catalogue)
        rank = {v: i for i, v in enumerate(in_order)}
        ranks.append(np.array([rank[v] for v in found], dtype=np.int64)[found_codes[first]])
    final = np.lexsort(ranks[::-1])
    return Counts(
        keys={
            key: pd.Index([found[c] for c in found_codes[first][final].tolist()])
            for key, found, found_codes in zip(keys, uniques, key_codes, strict=True)
        },
        rags=counts.reshape(n_groups, n_rags)[final].astype(np.int64),
        must_do_red=red[final],
    )


def _grouped_reference(
    frame: pd.DataFrame,
    keys: list[str],
    codes: np.ndarray,
    red_must_do: np.ndarray,
    catalogue: Catalogue | None,
) -> pd.DataFrame:
    """pandas' groupby: for keys with gaps, mixed types or categories (and the oracle)."""
    onehot = np.zeros((len(frame), len(RAG_VALUES)), dtype=np.int64)
    onehot[np.arange(len(frame)), codes] = 1
    counts = pd.DataFrame(onehot, columns=list(RAG_VALUES), index=frame.index)
    counts["must_do_red"] = red_must_do.astype(np.int64)
    grouped = counts.groupby([frame[k] for k in keys], sort=False, dropna=False).sum()
    table = grouped.reset_index()
    table.columns = [*keys, *counts.columns]
    for key in reversed(keys):
        order = _group_order(table[key], key, catalogue)
        rank = {v: i for i, v in enumerate(order)}
        table = table.iloc[np.argsort(table[key].map(rank).to_numpy(), kind="stable")]
    table = table.reset_index(drop=True)
    return _finish(table, keys)


def _finish(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    rags = table[list(RAG_VALUES)].astype("int64")
    total = rags.sum(axis=1)
    applicable = (total - rags["N/A"]).astype(float).replace(0.0, np.nan)
    out = table[keys].copy() if keys else pd.DataFrame(index=table.index)
    for rag in RAG_VALUES:
        out[rag] = rags[rag]
    out["total"] = total.astype("int64")
    out["pct_green"] = rags["Green"] / applicable
    out["pct_assessed"] = (rags["Green"] + rags["Amber"] + rags["Red"]) / applicable
    out["must_do_red"] = table["must_do_red"].astype("int64")
    return out
