"""The analyst API: pandas DataFrames in, DataFrames out (SPEC §11).

>>> assessed = assess(inputs)            # inputs: place, para, status, coverage, …
>>> summary(assessed, by="chapter")      # per place × chapter
>>> rollup(assessed)                     # the ICS RAG per commitment, with why
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.ics import IcsConfig, load_ics
from ltpgap.issues import Issue, LtpgapError, make_issue
from ltpgap.rag.place import UnitInputs, assess_units
from ltpgap.rag.rollup import rollup_ics
from ltpgap.rag.summary import GroupBy, summarise

__all__ = ["ASSESSED_COLUMNS", "assess", "rollup", "summary"]

#: Columns of :func:`assess`'s result, in order.
ASSESSED_COLUMNS: tuple[str, ...] = ("place", "para", "rag", "reason", "rule", "checks")


def _defaults(catalogue: Catalogue | None, ics: IcsConfig | None) -> tuple[Catalogue, IcsConfig]:
    return catalogue or load_catalogue(), ics or load_ics()


def _unit_order(found: Sequence[str], ics: IcsConfig) -> list[str]:
    known = [*ics.place_ids, ics.id]
    unknown = sorted(set(found) - set(known))
    if unknown:
        raise LtpgapError(
            [
                make_issue(
                    "place-not-in-ics",
                    f"place {u!r} is not in the ICS {ics.id} ({', '.join(ics.place_ids)}, or "
                    f"{ics.id} for the ICS team's own rows); fix the place column or pass ics=.",
                )
                for u in unknown
            ]
        )
    return [u for u in known if u in set(found)]


def assess(
    inputs: pd.DataFrame,
    catalogue: Catalogue | None = None,
    ics: IcsConfig | None = None,
) -> pd.DataFrame:
    """Apply the §5 rules to every place's inputs: columns place, para, rag, reason, rule, checks.

    ``inputs`` has a ``place`` column (a place id, or the ICS id for the ICS team's rows),
    ``para`` and any input columns (status, coverage, expected_delivery …). Every issue found
    is also kept in ``result.attrs["issues"]``.
    """
    catalogue, ics = _defaults(catalogue, ics)
    if "place" not in inputs.columns:
        raise LtpgapError(
            [make_issue("missing-column", "inputs need a 'place' column naming each row's place.")]
        )
    places = inputs["place"].astype(str)
    frames: list[pd.DataFrame] = []
    issues: list[Issue] = []
    order = _unit_order(list(pd.unique(places)), ics)
    units = [
        UnitInputs(
            unit_id=unit,
            inputs=inputs[places == unit],
            scope="ics" if unit == ics.id else "place",
        )
        for unit in order
    ]
    for unit, result in zip(order, assess_units(catalogue, units), strict=True):
        frame = result.frame[["para", "rag", "reason", "rule", "checks"]]
        frames.append(frame.assign(place=unit))
        issues.extend(result.issues)
    if frames:
        out = pd.concat(frames, ignore_index=True)[list(ASSESSED_COLUMNS)]
    else:
        out = pd.DataFrame(columns=list(ASSESSED_COLUMNS))
    out.attrs["issues"] = issues
    return out


def _with_catalogue(assessed: pd.DataFrame, catalogue: Catalogue, need: list[str]) -> pd.DataFrame:
    missing = [k for k in need if k not in assessed.columns]
    if not missing:
        return assessed
    table = pd.DataFrame(
        {
            "para": list(catalogue.ids),
            "chapter": [c.chapter for c in catalogue],
            "programme_area": [c.programme_area for c in catalogue],
            "life_course": [c.life_course for c in catalogue],
            "must_do": [c.must_do for c in catalogue],
            "level": [c.level for c in catalogue],
        }
    )
    return assessed.merge(table[["para", *missing]], on="para", how="left")


def summary(
    assessed: pd.DataFrame,
    by: GroupBy | None = "chapter",
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Summaries per place (when there is a place column) and per ``by`` (chapter, programme area).

    Columns: place, <by>, Green, Amber, Red, Not assessed, N/A, total, pct_green,
    pct_assessed, must_do_red. Catalogue columns missing from ``assessed`` are joined in.
    Places keep the order they have in ``assessed``.
    """
    catalogue = catalogue or load_catalogue()
    within = ["place"] if "place" in assessed.columns else []
    frame = _with_catalogue(assessed, catalogue, [*([by] if by else []), "must_do"])
    table = summarise(frame, by, catalogue=catalogue, within=within)
    if not within:
        return table
    # Places in the order assess() gave them (ICS order, the ICS team last).
    first = {p: i for i, p in enumerate(pd.unique(assessed["place"]))}
    order = np.argsort(table["place"].map(first).to_numpy(), kind="stable")
    return table.iloc[order].reset_index(drop=True)


def rollup(
    assessed: pd.DataFrame,
    ics: IcsConfig | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """The ICS roll-up of :func:`assess`'s result: one row per commitment, with why."""
    catalogue, ics = _defaults(catalogue, ics)
    team = assessed["place"].astype(str) == ics.id
    places = assessed.loc[~team, ["place", "para", "rag"]]
    ics_rags = assessed.loc[team, ["para", "rag"]] if team.any() else None
    return rollup_ics(catalogue, places, ics=ics, ics_rags=ics_rags).frame
