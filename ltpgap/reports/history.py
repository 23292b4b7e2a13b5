"""Movement since the last report, read from the history store (SPEC §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ltpgap.rag.movement import trend
from ltpgap.reports._text import uk_date
from ltpgap.reports.model import Movement

if TYPE_CHECKING:
    from ltpgap.catalogue import Catalogue
    from ltpgap.store import Store

__all__ = ["movement_from_store"]


def movement_from_store(
    store: Store, ics_id: str, *, catalogue: Catalogue | None = None, place: str | None = None
) -> Movement | None:
    """Movement from the previous snapshot to the latest, and % green over every snapshot.

    None when the store holds fewer than two snapshots of this ICS (no previous report).
    For an ICS report (``place`` None) the frame holds every place and the roll-up ("ICS");
    for a place report only that place.
    """
    previous, latest = store.latest_two(ics_id)
    if previous is None or latest is None:
        return None
    places = store.movement(ics_id, catalogue=catalogue)
    history = store.history(ics_id, carry_forward=True)
    if place is None:
        frame = pd.concat([places, store.rollup_movement(ics_id, catalogue=catalogue)])
        shares = pd.concat([trend(history), trend(store.rollup_history(ics_id))])
    else:
        frame = places[places["place"] == place]
        shares = trend(history[history["place"] == place])
    return Movement(
        frame=frame.reset_index(drop=True),
        trend=shares.reset_index(drop=True),
        previous=f"{previous.seq}, {uk_date(previous.taken_at)}",
    )
