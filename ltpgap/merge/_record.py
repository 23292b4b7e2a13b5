"""`ltpgap merge` with the history store (SPEC §9): merge, record the snapshot, write once.

The order matters: the merge is computed without writing; the snapshot is recorded (one
transaction in the store); the History sheet is read back from the store, so it shows this
merge against the one before; then the ICS workbook is written once, with what the store
recorded or refused listed on its Checks sheet.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ltpgap._gc import collector_paused
from ltpgap.issues import Issue, Where, make_issue
from ltpgap.merge._history_view import HistoryView, history_view
from ltpgap.merge.ics_writer import write_ics_workbook
from ltpgap.merge.merge import merge_workbooks
from ltpgap.merge.model import EDITED_ON, MergeResult

if TYPE_CHECKING:
    from ltpgap.store import RecordResult, Store

__all__ = ["RecordedMerge", "default_who", "merge_and_record", "record_issues"]


@dataclass(frozen=True, kw_only=True, eq=False)
class RecordedMerge:
    """A merge and what the history store made of it.

    ``result.issues`` already include the store's (``snapshot-recorded``, refusals);
    ``recorded`` is None when no store was used; ``history`` is what the History sheet shows.
    """

    result: MergeResult
    recorded: RecordResult | None = None
    history: HistoryView | None = None
    store: str = ""

    @property
    def store_issues(self) -> tuple[Issue, ...]:
        """What the store recorded and refused, as listed on the Checks sheet."""
        if self.recorded is None:
            return ()
        codes = {"snapshot-recorded", *(i.code for i in self.recorded.issues)}
        return tuple(i for i in self.result.issues if i.code in codes)


def default_who() -> str:
    """Who is merging: the operating-system user (``--who`` overrides)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or password database
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


def _names(result: MergeResult, units: Sequence[str]) -> str:
    name = {
        s.unit_id: f"{s.ref.name}'s data {EDITED_ON}" if s.ref.edited_after else s.ref.name
        for s in result.submissions
    }
    team = result.ics.id
    return ", ".join(f"{name.get(u, u)} (ICS team)" if u == team else name.get(u, u) for u in units)


def record_issues(result: MergeResult, outcome: RecordResult, store: str) -> list[Issue]:
    """The store's answer as Issues: ``snapshot-recorded`` and every refusal.

    A unit kept from the previous merge (not submitted again, or its new workbook refused)
    is already on record: its ``duplicate-submission`` is expected, so it is folded into the
    recorded message.
    """
    kept = {s.unit_id for s in result.submissions if s.ref.status == "kept"}
    expected = [r for r in outcome.refused if r.unit_id in kept]
    expected = [r for r in expected if r.issue.code == "duplicate-submission"]
    folded = {id(r.issue) for r in expected}
    shown = [i for i in outcome.issues if id(i) not in folded]
    snapshot = outcome.snapshot
    if snapshot is None:
        return shown
    parts = [
        f"Snapshot {snapshot.seq} of '{snapshot.ics_id}' recorded in {store} by "
        f"{snapshot.who or 'an unnamed user'}: {len(outcome.recorded)} workbook(s)"
        + (f" ({_names(result, outcome.recorded)})" if outcome.recorded else "")
        + " and the ICS roll-up."
    ]
    if expected:
        again = _names(result, [r.unit_id for r in expected])
        parts.append(f"Kept from the previous merge and already on record: {again}.")
    parts.append(
        f"Movement since snapshot {snapshot.seq - 1} is on the History sheet."
        if snapshot.seq > 1
        else "It is the first snapshot of this ICS in this store, so there is no movement yet."
    )
    recorded = make_issue("snapshot-recorded", " ".join(parts), where=Where(file=store))
    return [recorded, *shown]


@collector_paused()
def merge_and_record(
    paths: Sequence[str | Path],
    *,
    out: str | Path,
    store: Store | None,
    who: str | None = None,
    **options: Any,
) -> RecordedMerge:
    """Merge into ``out`` (like :func:`merge_workbooks`), recording a snapshot in ``store``.

    With ``store`` None this is a plain merge (no History sheet). ``options`` go to
    :func:`merge_workbooks` (catalogue, ics, keep_going, from_catalogues, jobs, progress …).
    """
    result = merge_workbooks(paths, out=out, write=False, **options)
    content = result.content
    assert content is not None  # merge_workbooks always returns its content
    recorded = view = None
    if store is not None:
        recorded = store.record_snapshot(result.to_record(who=who or default_who()))
        units = [*(u.id for u in content.units), content.unit_id]
        view = history_view(store, content.unit_id, content.catalogue, units)
        issues = record_issues(result, recorded, store.url)
        content = replace(content, issues=(*content.issues, *issues), history=view)
    write_ics_workbook(content, result.out)
    result = replace(result, issues=content.issues, written=True, content=content)
    return RecordedMerge(
        result=result, recorded=recorded, history=view, store=store.url if store else ""
    )
