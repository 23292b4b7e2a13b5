"""What the ICS workbook's History sheet shows (SPEC §7, §9), read from the history store.

Movement from the previous snapshot to the latest, per place (and the ICS team) and for the
ICS RAG, and % green at every snapshot. Built after the merge was recorded, so the sheet shows
the store as it now stands; the writer (:mod:`._history_sheet`) only lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ltpgap.catalogue import Catalogue, para_sort_key
from ltpgap.rag.movement import ICS_LABEL, MOVEMENT_COLUMNS, trend

if TYPE_CHECKING:
    from ltpgap.store import Snapshot, Store

__all__ = ["ICS_LABEL", "HistoryView", "assessed_here", "history_view"]


@dataclass(frozen=True, kw_only=True, eq=False)
class HistoryView:
    """The store's snapshots of one ICS, the latest movement and the % green trend.

    ``movement`` has :data:`ltpgap.rag.movement.MOVEMENT_COLUMNS` (place is a unit id, or
    "ICS" for the ICS RAG) and is ``None`` while only one snapshot is on record; ``trend`` has
    :data:`ltpgap.rag.movement.TREND_COLUMNS`, one row per snapshot and unit (and "ICS").
    """

    store: str  # where the history lives, as shown to users (no password)
    snapshots: tuple[Snapshot, ...]
    movement: pd.DataFrame | None
    trend: pd.DataFrame

    @property
    def previous(self) -> Snapshot | None:
        """The snapshot the movement starts from (None with a single snapshot)."""
        return self.snapshots[-2] if len(self.snapshots) > 1 else None

    @property
    def latest(self) -> Snapshot:
        """The newest snapshot on record."""
        return self.snapshots[-1]


def assessed_here(frame: pd.DataFrame, catalogue: Catalogue, ics_id: str) -> pd.DataFrame:
    """Rows of commitments assessed by their unit: place-level ones for a place, ICS-level
    ones for the ICS team, both for the ICS RAG (the rest are N/A there by design).

    Paragraphs the catalogue does not know (history under an older one) are kept.
    """
    level = {c.id: c.level for c in catalogue}
    keep = []
    for unit, para in zip(frame["place"].astype(str), frame["para"].astype(str), strict=True):
        at = level.get(para)
        if at is None:
            keep.append(True)
        elif unit == ICS_LABEL:
            keep.append(at in ("place", "ics"))
        else:
            keep.append(at == ("ics" if unit == ics_id else "place"))
    return frame[keep].reset_index(drop=True)


def _ordered(frame: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """Units in ICS order (the ICS RAG last), each commitment by commitment (natural order)."""
    rank = {u: i for i, u in enumerate(units)}
    keys = [
        (rank.get(str(u), len(rank)), str(u), para_sort_key(str(p)))
        for p, u in zip(frame["para"], frame["place"], strict=True)
    ]
    order = sorted(range(len(frame)), key=keys.__getitem__)
    return frame.iloc[order].reset_index(drop=True)


def history_view(
    store: Store, ics_id: str, catalogue: Catalogue, units: list[str]
) -> HistoryView | None:
    """What the History sheet shows for ``ics_id``; None when the store has no snapshot of it.

    ``units`` are the place ids in ICS order, then the ICS team's id: the order of rows.
    """
    shots = store.snapshots(ics_id)
    if not shots:
        return None
    history = store.history(ics_id, carry_forward=True)
    rollups = store.rollup_history(ics_id)
    shares = pd.concat([trend(history), trend(rollups)], ignore_index=True)
    moved = None
    if len(shots) > 1:
        both = pd.concat(
            [
                store.movement(ics_id, catalogue=catalogue),
                store.rollup_movement(ics_id, catalogue=catalogue),
            ],
            ignore_index=True,
        )
        both = both.loc[:, list(MOVEMENT_COLUMNS)]
        moved = _ordered(assessed_here(both, catalogue, ics_id), [*units, ICS_LABEL])
    return HistoryView(store=store.url, snapshots=shots, movement=moved, trend=shares)
