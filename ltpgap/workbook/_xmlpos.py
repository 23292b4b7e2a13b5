"""Where a spreadsheet reader will place each cell of a worksheet, read from its XML.

python-calamine places a cell by its ``r`` attribute (the last one, under any namespace
prefix, any quoting, upper or lower case) and allocates the whole used range at once, so the
gate must find the used range exactly as the reader will, before the reader runs.
"""

from __future__ import annotations

import functools
import re

__all__ = ["ATTRIBUTE", "TAG_REST", "CellPositions", "column_number", "split_ref"]

_UPPER = bytes(range(65, 91))
#: The rest of a fast-path cell tag after its reference: only short, unprefixed attributes other
#: than ``r``, double-quoted, then the tag's end.
_REST = rb'(?: [a-qs-z]{1,2}+="[^"<>]*+")*+/?>'
_REF = re.compile(r"^\$?([A-Z]{1,4})\$?([0-9]{1,8})$")


def column_number(letters: str) -> int:
    """Excel column letters to a 1-based number: A → 1, XFD → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def split_ref(ref: str) -> tuple[int, int] | None:
    """'K12' → (12, 11) as (row, column), 1-based; ``None`` when it is not a cell reference."""
    m = _REF.match(ref.strip().upper())
    if not m:
        return None
    return int(m.group(2)), column_number(m.group(1))


class CellPositions:
    """Tracks the used range the way python-calamine will place the cells.

    Fast path (what Excel, LibreOffice and openpyxl write): every cell tag is exactly
    ``<c r="A1" s="…" t="…">`` with an upper-case reference and only short, unprefixed,
    non-``r`` attributes after it. Then each cell sits where its reference says, and one
    ``findall`` gives them all. Anything else (cells without references, other prefixes or
    attribute layouts, lower-case or over-long references, a second ``r``) takes the slow path,
    which reads every row and cell tag properly and refuses a reference no program writes.

    Faster still, when the sheet is as its writer laid it out (:meth:`_within`): its first row
    gives the widest column and its row tags the last row, and one search confirms that no
    cell tag is off the fast path's shape or beyond that corner, without making an object per
    cell. Any other answer leaves the used range to the ``findall`` above; both give the same.
    """

    _ANY = re.compile(rb" r=[\"']([A-Z]{0,4})([0-9]{1,9})[\"']")

    def __init__(self) -> None:
        self.row, self.col = 0, 0
        self.max_row, self.max_col = 0, 0
        self.canonical = True
        self.bad_reference: str | None = None  # set (and reading stops) on a reference no
        # program writes
        self.fast: dict[bytes, tuple[re.Pattern[bytes], ...]] = {}

    def _patterns(self, prefix: bytes) -> tuple[re.Pattern[bytes], ...]:
        if prefix not in self.fast:
            p = re.escape(prefix)
            self.fast[prefix] = (
                # every cell tag: its reference when it has exactly the fast path's shape, b""
                # when it does not (one pass for both; possessive: no backtracking)
                re.compile(
                    rb"<" + p + rb'c(?: r="([A-Z]{1,3}+[0-9]{1,7}+)"' + _REST + rb"|[\s>/])"
                ),
                re.compile(rb"<" + p + rb'row r="([0-9]{1,9}+)"'),
                # a row or cell tag under any other namespace prefix
                re.compile(rb":(?:c|row)(?=[\s>/])" if not prefix else rb"<[^>\s]*:(?:c|row)\b"),
            )
        return self.fast[prefix]

    def update(self, prefix: bytes, data: bytes) -> None:
        """Take in a chunk of whole tags."""
        cells, rows, foreign = self._patterns(prefix)
        if self.canonical and foreign.search(data):
            self.canonical = False
        if not self.canonical:
            self._slow(data)
            return
        row_tags = rows.findall(data)
        if self._within(prefix, data, row_tags):
            return
        found = cells.findall(data)
        if b"" in found:
            self.canonical = False
            self._slow(data)
            return
        # One regex pass; letters and digits are split with C-level bytes operations, so no
        # per-cell Python objects are made (a 500-row sheet has ~10,000 cells).
        refs = b" ".join(found)
        numbers = set(row_tags)
        if refs:
            letters = _letters(refs)
            numbers.update(refs.translate(None, _UPPER).split())
            self.max_col = max(self.max_col, max(column_number(c.decode()) for c in letters))
            last = refs.rsplit(b" ", 1)[-1].decode()
            self.row, self.col = split_ref(last) or (self.row, self.col)
        if numbers:
            self.max_row = max(self.max_row, max(map(int, numbers)))

    def _within(self, prefix: bytes, data: bytes, row_tags: list[bytes]) -> bool:
        """The used range of ``data`` taken in, if it is the corner its layout suggests.

        The guess: the widest column of the first row's cells (so some cell is in it), and the
        highest row tag. One search then looks for a cell tag that is either off the fast
        path's shape or beyond that corner; none means every cell lies within it, so the
        corner is exactly what :meth:`update`'s ``findall`` would find (which counts row tags
        too). False (nothing taken in) when there is no guess or the search finds such a tag.
        """
        cells = self._patterns(prefix)[0]
        end = data.find(b"</" + prefix + b"row>")
        first = cells.findall(data, 0, end) if row_tags and end > 0 else []
        if not first or b"" in first:
            return False
        top = max(map(int, row_tags))
        width, letters = max((column_number(c.decode()), c) for c in _letters(b" ".join(first)))
        if top >= 10**7 or width > _LAST_COLUMN or _beyond(prefix, letters, top).search(data):
            return False
        # Every cell tag has the fast path's shape, so the last one starts the last '<c r="'.
        start = data.rfind(b"<" + prefix + b'c r="') + len(prefix) + 6
        last = data[start : data.index(b'"', start)].decode()
        self.row, self.col = split_ref(last) or (self.row, self.col)
        self.max_row, self.max_col = max(self.max_row, top), max(self.max_col, width)
        return True

    def _slow(self, data: bytes) -> None:
        """Every row and cell tag, any prefix, attributes read properly (quotes may hold >)."""
        for m in _ANY_TAG.finditer(data):
            refs = [
                (a.group(2) if a.group(2) is not None else a.group(3))
                for a in ATTRIBUTE.finditer(m.group(2))
                if a.group(1) == b"r"
            ]
            if len(refs) > 1 or (refs and not _VALID_REF[m.group(1)].match(refs[0])):
                self.bad_reference = b"/".join(refs).decode("utf-8", "replace")[:40]
                return
            if m.group(1) == b"row":
                self.row = int(refs[0]) if refs else self.row + 1
                self.col = 0
            else:
                if refs:
                    letters, digits = _SPLIT_REF.match(refs[0]).groups()  # type: ignore[union-attr]
                    self.row, self.col = int(digits), column_number(letters.upper().decode())
                else:
                    self.col += 1
            self.max_row = max(self.max_row, self.row)
            self.max_col = max(self.max_col, self.col)

    def first_beyond(self, prefix: bytes, data: bytes, max_rows: int, max_cols: int) -> str:
        """The first cell reference beyond the bounds in ``data`` (else the row number)."""
        row_over = None
        for letters, digits in self._ANY.findall(data):
            over = int(digits) > max_rows or column_number(letters.decode()) > max_cols
            if over and letters:
                return (letters + digits).decode()
            if over and row_over is None:
                row_over = f"row {int(digits)}"
        return row_over or f"row {self.row}, column {self.col}"


_LAST_COLUMN = 16384  # XFD


def _letters(refs: bytes) -> set[bytes]:
    """The distinct column letters of space-separated cell references (C-level bytes
    operations only)."""
    return set(refs.translate(None, b"0123456789").split())


def _at_most(limit: bytes, alphabet: bytes) -> bytes:
    """A regular expression for the strings of ``alphabet`` characters, as long as ``limit``
    or shorter, that sort no later than it by length, then character by character (for
    column letters, the columns up to ``limit``; for digits without leading zeros, the
    numbers up to it)."""
    first, last = alphabet[:1].decode(), alphabet[-1:].decode()
    every = f"[{first}-{last}]"
    text = limit.decode()
    shapes = [f"{every}{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, ch in enumerate(text):
        if ch != first:
            below = chr(ord(ch) - 1)
            shapes.append(f"{text[:i]}[{first}-{below}]{every * (len(text) - i - 1)}")
    shapes.append(text)
    # Longest first: most references are as long as the limit, so the search backtracks less.
    return ("(?:" + "|".join(reversed(shapes)) + ")").encode()


@functools.lru_cache(maxsize=64)
def _beyond(prefix: bytes, letters: bytes, top: int) -> re.Pattern[bytes]:
    """The first cell tag that is off the fast path's shape, or placed beyond column
    ``letters`` or row ``top`` (the fast path allows leading zeros in up to 7 digits)."""
    p = re.escape(prefix)
    digits = str(top).encode()
    number = _at_most(digits, b"0123456789")
    pad = 7 - len(digits)
    rows = b"(?:0{0,%d}" % pad + number + b")" if pad else number
    column = _at_most(letters, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return re.compile(rb"<" + p + rb'c(?=[\s>/])(?! r="' + column + rows + rb'"' + _REST + rb")")


#: A row or cell start tag under any prefix; group 2 holds its attributes (quoted values may
#: contain ">"), as an XML parser sees them.
_ANY_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s>/])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
)
#: One attribute of a tag: its name, then its value in double (group 2) or single quotes (3).
ATTRIBUTE = re.compile(rb"""([^\s=/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: The rest of a start tag after its name: its attributes (quoted values may contain ">").
TAG_REST = re.compile(rb"""((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_VALID_REF = {b"c": re.compile(rb"[A-Za-z]{1,4}[0-9]{1,9}\Z"), b"row": re.compile(rb"[0-9]{1,9}\Z")}
_SPLIT_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")
