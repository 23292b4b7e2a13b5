"""Sheet protection around ltpgap's writes, one strategy per runtime.

ltpgap's workbooks protect their sheets (no password) so planners only type into input cells.
The ``xlwings.Book`` API has no call to lift protection, and Excel refuses writes to locked
cells of a protected sheet, so each runtime brings its own way:

- xlwings Server: the task pane registers two JavaScript callbacks (``ltpgapUnprotect`` and
  ``ltpgapProtect``, see ``_server_project/static/js/main.js``); ltpgap queues one
  ``runMacro`` action for each, around all its writes: two actions in all.
- desktop Excel: COM (``ltpgap.xl.desktop``).
- xlwings Lite: none available; planners unprotect the sheets first (README, "xlwings Lite").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import xlwings as xw

__all__ = [
    "PROTECT_CALLBACK",
    "UNPROTECT_CALLBACK",
    "NoProtection",
    "OfficeJsProtection",
    "SheetProtection",
    "unlocked",
]

UNPROTECT_CALLBACK = "ltpgapUnprotect"
PROTECT_CALLBACK = "ltpgapProtect"


class SheetProtection(Protocol):
    """Lift and restore protection on the sheets ltpgap is about to write."""

    def unprotect(self, book: xw.Book, sheets: Sequence[str]) -> None:
        """Lift protection (remembering what it was)."""

    def protect(self, book: xw.Book, sheets: Sequence[str], cells: Sequence[str] = ()) -> None:
        """Restore protection, first setting cell locks: ``L:Sheet!A1:B2`` lock, ``U:…`` unlock."""


class NoProtection:
    """Leave protection alone (xlwings Lite, or workbooks that are not protected)."""

    def unprotect(self, book: xw.Book, sheets: Sequence[str]) -> None:
        """Nothing to do."""

    def protect(self, book: xw.Book, sheets: Sequence[str], cells: Sequence[str] = ()) -> None:
        """Nothing to do."""


class OfficeJsProtection:
    """xlwings Server: queue a call to the task pane's JavaScript callbacks (one action each).

    The action is queued on this book directly: ``book.app.macro`` would queue it on the remote
    engine's *active* book, which on a busy server may be another request's.
    """

    def _run(self, book: xw.Book, callback: str, *args: object) -> None:
        book.impl.append_json_action(func="runMacro", args=[callback, *args])

    def unprotect(self, book: xw.Book, sheets: Sequence[str]) -> None:
        """Queue ``ltpgapUnprotect(sheets)``."""
        self._run(book, UNPROTECT_CALLBACK, list(sheets))

    def protect(self, book: xw.Book, sheets: Sequence[str], cells: Sequence[str] = ()) -> None:
        """Queue ``ltpgapProtect(sheets, cells)``."""
        self._run(book, PROTECT_CALLBACK, list(sheets), list(cells))


@contextmanager
def unlocked(
    protection: SheetProtection, book: xw.Book, sheets: Sequence[str], cells: list[str]
) -> Iterator[None]:
    """Lift protection on ``sheets`` for the writes inside, then restore it.

    ``cells`` may be filled inside the block with lock changes (``L:``/``U:`` + address) to
    apply before protection is restored.
    """
    protection.unprotect(book, sheets)
    yield
    protection.protect(book, sheets, cells)
