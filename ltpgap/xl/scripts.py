"""The add-in's buttons: thin ``@script`` adapters around :mod:`ltpgap.xl.operations`.

The same functions serve xlwings Server (registered through ``custom_scripts``) and xlwings
Lite (imported by ``ltpgap.xl.lite``). ``include=`` sends only the sheets a script reads, so
the request stays small whatever else the workbook holds. Who may change the workbook comes
from the authenticated caller (:func:`ltpgap.xl.rights.require_write`), never from its content.
"""

from __future__ import annotations

import os
import sys

import xlwings as xw

from ltpgap.issues import has_errors
from ltpgap.xl import operations
from ltpgap.xl.ics import LAYOUT
from ltpgap.xl.rights import require_write
from ltpgap.xl.runtime import current

if os.environ.get("XLWINGS_ON_SERVER") == "true" or sys.platform == "emscripten":
    # xlwings Server and xlwings Lite register scripts through xlwings.server (PRO code).
    from xlwings.server import script
else:  # desktop: the decorator only marks the function (RunPython calls it by name)
    from xlwings import script

__all__ = [
    "CHECK_SHEETS",
    "PLACE_SHEETS",
    "RECOMPUTE_SHEETS",
    "check",
    "push_catalogue",
    "recompute",
]

#: Sheets each script reads (``include=``); everything else stays in Excel.
CHECK_SHEETS = ["Gap analysis", "_ltpgap"]
PLACE_SHEETS = ["Gap analysis", "Summary", "_ltpgap"]
RECOMPUTE_SHEETS = [*PLACE_SHEETS, LAYOUT.place_data, *LAYOUT.outputs]
PUSH_SHEETS = [*PLACE_SHEETS, "Retired"]


def _tell(book: xw.Book, outcome: operations.Outcome) -> None:
    """Show the problems no cell shows in a message box (one ``alert`` action, at the end).

    Queued on this book, not through ``book.app`` (which queues on the engine's active book,
    on a busy server possibly another request's).
    """
    text = outcome.message()
    queue = getattr(book.impl, "append_json_action", None)
    if text is None or queue is None:
        return
    mode = "critical" if has_errors(outcome.unshown()) else "info"
    queue(func="alert", args=[text, "ltpgap", "ok", mode, ""])


@script(include=RECOMPUTE_SHEETS, name="Recompute")
def recompute(book: xw.Book) -> None:
    """Recompute RAG, Reason, Checks and Summary (ICS workbook: matrix, summaries, grid)."""
    rt = current()
    outcome = operations.recompute(
        book,
        catalogue=rt.catalogue(),
        ics=rt.ics(),
        protection=rt.protection,
        authorize=require_write,
    )
    _tell(book, outcome)


@script(include=CHECK_SHEETS, name="Check")
def check(book: xw.Book) -> None:
    """Refresh the Checks column only: what is wrong with each row."""
    rt = current()
    outcome = operations.check(
        book, catalogue=rt.catalogue(), protection=rt.protection, authorize=require_write
    )
    _tell(book, outcome)


@script(include=PUSH_SHEETS, name="Push catalogue")
def push_catalogue(book: xw.Book, place: str = "") -> None:
    """Bring the Gap analysis sheet up to the current catalogue, matching rows by Para."""
    rt = current()
    outcome = operations.push_catalogue(
        book,
        catalogue=rt.catalogue(),
        unit_id=place or None,
        protection=rt.protection,
        authorize=require_write,
    )
    _tell(book, outcome)
