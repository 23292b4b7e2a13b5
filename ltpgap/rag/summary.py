"""Place summaries (SPEC §6): RAG counts, % green, % assessed and must-dos at Red per group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from ltpgap.catalogue import Catalogue, para_sort_key
from ltpgap.issues import LtpgapError, make_issue
from ltpgap.schema import RAG_VALUES

__all__ = ["SUMMARY_COLUMNS", "GroupBy", "rag_codes", "rag_counts", "summarise"]

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


def rag_codes(rags: pd.Series | Sequence[object], *, what: str = "rag") -> np.ndarray:
    """Positions in RAG_VALUES (Green 0 … N/A 4); raise LtpgapError on any other value."""
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
    counts = np.bincount(rag_codes(frame["rag"]), minlength=len(RAG_VALUES))
    return {rag: int(n) for rag, n in zip(RAG_VALUES, counts, strict=True)}


def _group_order(values: pd.Series, key: str, catalogue: Catalogue | None) -> list[object]:
    present = list(pd.unique(values))
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
    codes = rag_codes(frame["rag"])
    onehot = np.zeros((len(frame), len(RAG_VALUES)), dtype=np.int64)
    onehot[np.arange(len(frame)), codes] = 1
    counts = pd.DataFrame(onehot, columns=list(RAG_VALUES), index=frame.index)
    counts["must_do_red"] = (frame["must_do"].astype(bool).to_numpy() & (codes == 2)).astype(
        np.int64
    )
    if keys:
        grouped = counts.groupby([frame[k] for k in keys], sort=False, dropna=False).sum()
        table = grouped.reset_index()
        table.columns = [*keys, *counts.columns]
        for key in reversed(keys):
            order = _group_order(table[key], key, catalogue)
            rank = {v: i for i, v in enumerate(order)}
            table = table.iloc[np.argsort(table[key].map(rank).to_numpy(), kind="stable")]
        table = table.reset_index(drop=True)
    else:
        table = counts.sum().to_frame().T.reset_index(drop=True)
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
