"""Writing a block of values through xlwings, with the engine's cell preparation done in bulk.

``range.value = block`` makes xlwings prepare every cell for its engine (blanks, NaN, dates,
numpy numbers …) through a chain of checks per cell; on the 10,000-cell blocks of an ICS
recompute that is a large part of the time. :func:`put_block` asks the engine once how it
prepares each kind of plain value (text, whole numbers, decimals, booleans, blanks) and, when
the answer is "as it is", passes those cells straight through; everything else (dates, NaN,
text starting with ``#``, numpy values …) still goes through the engine's own preparation,
cell by cell. The prepared block is handed to ``range.raw_value``: the same single write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from ltpgap.xl._cells import CellText, _keeper, keep_grid, keep_text

if TYPE_CHECKING:
    import xlwings as xw

__all__ = ["put_block", "put_kept"]

Prepare = Callable[[object], object]
#: Plain values the engine must leave exactly as they are for the bulk path to be used.
_PROBES: tuple[object, ...] = ("text", CellText("text"), 7, -3, 2.5, float("inf"), True, False)
_PASS = frozenset({str, CellText, int, bool})


def _preparer(rng: xw.Range) -> Prepare | None:
    """The engine's cell preparation as one function, or None when the bulk path cannot be
    shown to give the same cells (an engine that changes plain values)."""
    try:
        prepare = rng.sheet.book.app.engine.impl.prepare_xl_data_element
        options: dict[str, Any] = getattr(rng, "_options", None) or {}
        for probe in _PROBES:
            out = prepare(probe, options)
            if not (out is probe or (type(out) is type(probe) and out == probe)):
                return None
        blank = prepare(None, options)
    except Exception:  # an engine without the hook: let xlwings do it all
        return None

    def one(value: object) -> object:
        if value is None:
            return blank
        kind = type(value)
        if kind in _PASS:
            if kind is bool or kind is int or not value.startswith("#"):  # type: ignore[attr-defined]
                return value
        elif kind is float and value == value:  # NaN is not equal to itself
            return value
        return prepare(value, options)

    return one


def put_block(rng: xw.Range, block: Sequence[Sequence[object]]) -> None:
    """``rng.value = block`` for a rectangular block: the same single write action."""
    rows, cols = len(block), len(block[0]) if block else 0
    budget = getattr(rng.impl, "max_cells_per_write", None)
    prepare = _preparer(rng) if rows and cols else None
    jagged = any(len(r) != cols for r in block)
    if prepare is None or jagged or (budget and rows * cols > budget):
        rng.value = [list(r) for r in block]  # xlwings prepares (chunks, refuses) it itself
        return
    if tuple(rng.shape) != (rows, cols):  # as xlwings does: the range takes the block's shape
        rng = rng.resize(rows, cols)
    blank = prepare(None)
    rng.raw_value = [
        [
            blank
            if v is None
            else v
            if (kind := type(v)) is int
            or kind is bool
            or ((kind is CellText or kind is str) and v[:1] != "#")  # type: ignore[index]
            or (kind is float and v == v)  # NaN is not equal to itself
            else prepare(v)
            for v in row
        ]
        for row in block
    ]


def put_kept(rng: xw.Range, rows: Sequence[Sequence[object]], n_rows: int, n_cols: int) -> None:
    """``put_block(rng, keep_grid(rows, n_rows, n_cols))`` in one pass over the cells.

    Each distinct text is made safe (:func:`~ltpgap.xl._cells.keep_text`) and prepared for
    the engine once; ``rng`` takes the block's shape, as with put_block.
    """
    n, width = max(len(rows), n_rows), max([n_cols, *(len(r) for r in rows)])  # keep_grid's
    budget = getattr(rng.impl, "max_cells_per_write", None)
    prepare = _preparer(rng) if n and width else None
    if prepare is None or (budget and n * width > budget):
        put_block(rng, keep_grid(rows, n_rows, n_cols))
        return
    if tuple(rng.shape) != (n, width):
        rng = rng.resize(n, width)
    keep = _keeper()
    blank = prepare(None)  # prepare: the engine's preparation, plain values passed through
    memo: dict[str, object] = {}

    def put(value: object) -> object:
        """The prepared cell for a value: keep_text, then the engine's preparation."""
        kept = keep(value)
        return blank if kept is None else prepare(kept)

    def text(value: Any) -> object:  # a str not seen before: keep_text, then prepare
        kept = cast(CellText | None, keep_text(value))  # the engine passes CellText as it
        hit = memo[value] = (  # is, unless it starts with "#"
            blank if kept is None else kept if kept[:1] != "#" else prepare(kept)
        )
        return hit

    padding = [blank] * width
    out = [
        [
            blank
            if v is None
            else v
            if (kind := type(v)) is int or kind is bool or (kind is float and v == v)
            else memo[v]
            if kind is str and v in memo
            else text(v)
            if kind is str
            else put(v)
            for v in r
        ]
        for r in rows
    ]
    for row in out:
        if len(row) < width:
            row.extend(padding[: width - len(row)])
    out.extend(list(padding) for _ in range(n - len(out)))
    rng.raw_value = out
