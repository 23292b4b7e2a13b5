"""Desktop Excel (Windows, macOS): RunPython entry points for the add-in's three operations.

Call them from a VBA button (the README's "Desktop Excel (xlwings, RunPython)" gives
``xlwings.conf`` and the macros)::

    Sub LtpgapRecompute()
        RunPython "from ltpgap.xl.desktop import recompute; recompute()"
    End Sub

``xw.Book.caller()`` is the workbook the button is in. When the buttons live elsewhere (a
personal macro workbook or an add-in), the active workbook is used instead. Sheet protection
is lifted and restored through COM; problems that stop an operation are shown in a message box.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import xlwings as xw

from ltpgap.issues import LtpgapError, format_issues
from ltpgap.xl import operations, runtime
from ltpgap.xl.ics import LAYOUT
from ltpgap.xl.operations import Outcome

__all__ = ["ComProtection", "check", "push_catalogue", "recompute", "target_book"]

_MARKERS = ("Gap analysis", LAYOUT.place_data)


class ComProtection:
    """Lift and restore sheet protection through the desktop object model (COM/AppleScript)."""

    def __init__(self) -> None:
        self._was: dict[str, dict[str, Any]] = {}

    def unprotect(self, book: xw.Book, sheets: Sequence[str]) -> None:
        """Unprotect each protected sheet, remembering what its protection allowed."""
        for name in sheets:
            api = book.sheets[name].api
            if sys.platform.startswith("win"):
                if api.ProtectContents:
                    p = api.Protection
                    self._was[name] = {
                        "AllowFormattingColumns": p.AllowFormattingColumns,
                        "AllowFormattingRows": p.AllowFormattingRows,
                        "AllowSorting": p.AllowSorting,
                        "AllowFiltering": p.AllowFiltering,
                    }
                    api.Unprotect()
            elif api.protect_contents.get():  # macOS (appscript)
                self._was[name] = {}
                api.unprotect()

    def protect(self, book: xw.Book, sheets: Sequence[str], cells: Sequence[str] = ()) -> None:
        """Apply cell locks (``L:``/``U:`` + Sheet!A1:B2), then re-protect what was protected."""
        for entry in cells:
            locked, ref = entry.startswith("L:"), entry[2:]
            sheet_name, _, address = ref.rpartition("!")
            rng = book.sheets[sheet_name.strip("'")].range(address).api
            if sys.platform.startswith("win"):
                rng.Locked = locked
            else:
                rng.locked.set(locked)
        for name in sheets:
            if name in self._was:
                options = self._was.pop(name)
                api = book.sheets[name].api
                if sys.platform.startswith("win"):
                    api.Protect(DrawingObjects=True, Contents=True, Scenarios=True, **options)
                else:
                    api.protect_worksheet()


def target_book() -> xw.Book:
    """The calling workbook, or the active one when the caller holds no ltpgap sheet."""
    book = xw.Book.caller()
    names = {s.name for s in book.sheets}
    if names & set(_MARKERS):
        return book
    return book.app.books.active


def _run(operation: Callable[..., Outcome], **kwargs: Any) -> Outcome | None:
    book = target_book()
    rt = runtime.current()
    try:
        outcome = operation(book, catalogue=rt.catalogue(), protection=ComProtection(), **kwargs)
    except LtpgapError as exc:
        book.app.alert(format_issues(exc.issues, limit=10), title="ltpgap", mode="critical")
        return None
    book.app.status_bar = outcome.describe()
    if (text := outcome.message()) is not None:  # what no cell shows (see Outcome.unshown)
        book.app.alert(text, title="ltpgap")
    return outcome


def recompute() -> Outcome | None:
    """RunPython entry point: recompute RAG, Reason, Checks and Summary (or the ICS sheets)."""
    return _run(operations.recompute, ics=runtime.current().ics())


def check() -> Outcome | None:
    """RunPython entry point: refresh the Checks column."""
    return _run(operations.check)


def push_catalogue() -> Outcome | None:
    """RunPython entry point: bring the Gap analysis sheet up to the current catalogue."""
    return _run(operations.push_catalogue)


runtime.configure(runtime.Runtime(name="desktop"))
