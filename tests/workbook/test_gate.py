"""The pre-parse gate: each hostile or wrong file is refused fast, located, and left untouched."""

from __future__ import annotations

import io
import resource
import time
from collections.abc import Callable
from pathlib import Path

import _fixtures as fx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lockkit import excel_lock_file

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.issues import CODES, LtpgapError, Severity
from ltpgap.workbook import _xmlscan
from ltpgap.workbook.gate import GateLimits, gate_workbook, inspect_workbook
from ltpgap.workbook.reader import read_workbook


@pytest.fixture(scope="session")
def filled_base(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, blmk: IcsConfig
) -> Path:
    """Bedford's workbook from `ltpgap init`, filled with the sample inputs (read-only)."""
    return fx.filled_base_once(lambda: tmp_path_factory.mktemp("base"), catalogue, blmk)


Make = Callable[[Path, Path], Path]

#: (fixture, expected code, expected location (sheet, cell) or None for file level).
HOSTILE: list[tuple[str, Make, str, tuple[str | None, str | None]]] = [
    ("billion-laughs", fx.hostile_dtd, "gate-dtd", ("xl/sharedStrings.xml", None)),
    ("zip-bomb-600MB", fx.hostile_zip_bomb, "gate-zip-bomb", ("Summary", None)),
    ("cell-XFD1048576", fx.hostile_far_cell, "gate-too-many-cells", ("Gap analysis", "XFD1048576")),
    (
        "cell-XFD1048576-no-dimension",
        lambda b, d: fx.hostile_far_cell(b, d, keep_dimension=False),
        "gate-too-many-cells",
        ("Gap analysis", "XFD1048576"),
    ),
    ("cell-64MB", fx.hostile_huge_cell, "gate-cell-too-large", ("Gap analysis", "J2")),
    ("shared-string-40k", fx.long_shared_string, "gate-cell-too-large", ("Gap analysis", "J2")),
    ("sizes-that-lie", fx.lying_sizes, "unreadable-workbook", ("xl/worksheets/sheet3.xml", None)),
]

NOT_XLSX: list[tuple[str, Callable[[Path], Path], str, str]] = [
    ("xls-renamed", fx.xls_renamed, "gate-not-xlsx", "Excel 97-2003 (.xls)"),
    ("csv-renamed", fx.csv_renamed, "gate-not-xlsx", "CSV text"),
    ("encrypted", fx.encrypted, "gate-encrypted", "password"),
    ("empty", fx.empty, "gate-not-xlsx", "empty (0 bytes)"),
]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _refused(path: Path) -> tuple[LtpgapError, float, float]:
    """Read ``path`` expecting refusal: the error, seconds taken, peak-memory growth in MB."""
    before, start = _peak_mb(), time.perf_counter()
    with pytest.raises(LtpgapError) as caught:
        read_workbook(path)
    return caught.value, time.perf_counter() - start, _peak_mb() - before


@pytest.mark.parametrize(
    ("make", "code", "where"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_hostile_file_is_refused_fast_located_and_untouched(
    filled_base: Path,
    tmp_path: Path,
    make: Make,
    code: str,
    where: tuple[str | None, str | None],
) -> None:
    path = make(filled_base, tmp_path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    error, seconds, grew_mb = _refused(path)
    found = [i for i in error.issues if i.code == code]
    assert found, [str(i) for i in error.issues]
    assert all(i.severity is Severity.ERROR for i in error.issues)
    assert (str(path), *where) in {(i.where.file, i.where.sheet, i.where.cell) for i in found}
    assert seconds < 1.0
    assert grew_mb < 100  # nothing was inflated in memory
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_zip_bomb_fixture_really_inflates_to_600_mb(filled_base: Path, tmp_path: Path) -> None:
    path = fx.hostile_zip_bomb(filled_base, tmp_path)
    import zipfile

    with zipfile.ZipFile(path) as zf:
        inflated = zf.getinfo("xl/worksheets/sheet3.xml").file_size
    assert inflated > 600_000_000 > 100 * path.stat().st_size


@pytest.mark.parametrize(
    ("make", "code", "words"), [n[1:] for n in NOT_XLSX], ids=[n[0] for n in NOT_XLSX]
)
def test_not_a_workbook_says_what_it_is(
    tmp_path: Path, make: Callable[[Path], Path], code: str, words: str
) -> None:
    path = make(tmp_path)
    before = path.read_bytes()
    error, seconds, _ = _refused(path)
    (issue,) = error.issues
    assert issue.code == code and words in issue.message
    assert (issue.where.file, issue.where.sheet, issue.where.cell) == (str(path), None, None)
    assert path.name not in issue.message  # the location names the file; "x: x cannot…" no
    assert seconds < 1.0 and path.read_bytes() == before


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert [i.code for i in gate_workbook(tmp_path / "nope.xlsx")] == ["file-not-found"]
    assert [i.code for i in gate_workbook(tmp_path)] == ["gate-not-xlsx"]


def test_other_zip_files_are_named(tmp_path: Path) -> None:
    from _zipcraft import stored, write_zip

    ods = write_zip(
        tmp_path / "a.xlsx", [stored("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")]
    )
    xlsb = write_zip(tmp_path / "b.xlsx", [stored("xl/workbook.bin", b"\0")])
    assert "OpenDocument" in gate_workbook(ods)[0].message
    assert ".xlsb" in gate_workbook(xlsb)[0].message


def test_office_documents_whose_main_part_is_not_a_workbook(tmp_path: Path) -> None:
    """A .pptx or .docx has a main part too (its package relationships name it); the gate
    sees it is not a <workbook> and says what the file is, not that a reader failed."""
    from _zipcraft import stored, write_zip
    from pptx import Presentation

    deck = tmp_path / "report.pptx"
    Presentation().save(str(deck))
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="word/document.xml"/></Relationships>'
    )
    doc = write_zip(
        tmp_path / "minutes.docx",
        [
            stored("_rels/.rels", rels),
            stored("word/document.xml", b'<?xml version="1.0"?><w:document xmlns:w="urn:w"/>'),
        ],
    )
    for path in (deck, doc):
        (issue,) = gate_workbook(path)
        assert issue.code == "gate-not-xlsx", issue
        assert "Word or PowerPoint document, not a workbook" in issue.message


#: (file name, content, words the message must hold, words it must not).
BY_NAME: list[tuple[str, bytes, str, str]] = [
    ("bedford.csv", b"Para,Status\r\n3.10,In place\r\n", "CSV text, not an Excel", "renamed"),
    ("bedford.xlsx", b"Para,Status\r\n3.10,In place\r\n", "CSV text renamed .xlsx", "not an"),
    ("commitments.yaml", b"catalogue:\n  id: ltp-2019\n", "YAML file", "renamed"),
    ("blmk.yml", b"ics:\n  id: blmk\n", "--ics", "CSV"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document", "text"),
    ("notes.xlsx", b"%PDF-1.4\nplain ascii pdf\n", "a PDF document", "text"),
    ("history.sqlite", b"SQLite format 3\x00" + bytes(84), "SQLite database", "zip"),
]


@pytest.mark.parametrize(
    ("name", "content", "said", "unsaid"), BY_NAME, ids=[b[0] for b in BY_NAME]
)
def test_a_file_picked_by_mistake_is_named_for_what_it_is(
    tmp_path: Path, name: str, content: bytes, said: str, unsaid: str
) -> None:
    """The advice follows the file's name and signature: a .csv was not 'renamed .xlsx', a
    .yaml file belongs to --catalogue or --ics, and ltpgap's own PDF and history store are
    called what they are."""
    path = tmp_path / name
    path.write_bytes(content)
    (issue,) = gate_workbook(path)
    assert issue.code == "gate-not-xlsx"
    assert said in issue.message and unsaid not in issue.message, issue.message


def test_a_directory_that_lies_about_its_entry_count(tmp_path: Path) -> None:
    import struct

    from _zipcraft import stored, write_zip

    path = write_zip(tmp_path / "many.xlsx", [stored(f"p/{i}.xml", b"") for i in range(12_000)])
    data = bytearray(path.read_bytes())
    struct.pack_into("<HH", data, len(data) - 22 + 8, 5, 5)  # the end record now says 5
    path.write_bytes(bytes(data))
    start = time.perf_counter()
    (issue,) = gate_workbook(path)
    assert issue.code == "gate-zip-bomb" and time.perf_counter() - start < 1.0


def test_truncated_workbook(filled_base: Path, tmp_path: Path) -> None:
    cut = tmp_path / "bedford.xlsx"
    cut.write_bytes(filled_base.read_bytes()[:20_000])
    (issue,) = gate_workbook(cut)
    assert issue.code == "gate-not-xlsx" and "truncated" in issue.message


def test_a_good_workbook_passes_and_its_facts_are_kept(filled_base: Path) -> None:
    found = inspect_workbook(filled_base)
    assert found.passed and found.issues == ()
    gap = found.sheet("Gap analysis")
    assert gap is not None and gap.max_col == 21 and gap.error_cells == {}
    assert [(t.name, t.sheet) for t in found.package.tables] == [("GapAnalysis", "Gap analysis")]
    assert {s.name: s.state for s in found.sheets}["_ltpgap"] == "hidden"


@pytest.mark.parametrize(
    ("limits", "code"),
    [
        (GateLimits(max_file_bytes=1000), "gate-file-too-large"),
        (GateLimits(max_zip_entries=3), "gate-zip-bomb"),
        (GateLimits(max_uncompressed_bytes=10_000), "gate-zip-bomb"),
        (GateLimits(max_compression_ratio=1.5, ratio_grace_bytes=0), "gate-zip-bomb"),
        (GateLimits(max_rows=50), "gate-too-many-cells"),
        (GateLimits(max_columns=10), "gate-too-many-cells"),
        (GateLimits(max_cells=1000), "gate-too-many-cells"),
        (GateLimits(max_sheets=3), "gate-too-many-sheets"),
        (GateLimits(max_cell_chars=40), "gate-cell-too-large"),
    ],
    ids=["file", "entries", "inflated", "ratio", "rows", "columns", "cells", "sheets", "cell"],
)
def test_every_limit_is_configurable(filled_base: Path, limits: GateLimits, code: str) -> None:
    codes = {i.code for i in gate_workbook(filled_base, limits)}
    assert code in codes
    assert gate_workbook(filled_base) == []


def test_gate_codes_are_registered_errors() -> None:
    for code in (
        "gate-file-too-large",
        "gate-not-xlsx",
        "gate-encrypted",
        "gate-zip-bomb",
        "gate-dtd",
        "gate-too-many-cells",
        "gate-too-many-sheets",
        "gate-cell-too-large",
    ):
        assert CODES[code].severity is Severity.ERROR


# --- the scanners, property-tested ---------------------------------------------------------
_prolog_bits = st.lists(
    st.sampled_from(
        [
            "",
            " ",
            "\n",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            "<!-- note -->",
            "<?pi data?>",
            "\r\n\t",
        ]
    ),
    max_size=6,
).map("".join)


@given(before=_prolog_bits, dtd=st.booleans(), encoding=st.sampled_from(["utf-8", "utf-16"]))
def test_prolog_refuses_a_dtd_wherever_it_hides(before: str, dtd: bool, encoding: str) -> None:
    decl = '<!DOCTYPE x [<!ENTITY a "b">]>' if dtd else ""
    text = f'{before}{decl}<worksheet xmlns="urn:x"><v>&amp;</v></worksheet>'
    problem = _xmlscan.prolog_problem(text.encode(encoding), complete=True)
    assert (problem is not None) == dtd


def test_prolog_ignores_binary_parts() -> None:
    assert _xmlscan.prolog_problem(b"\x89PNG\r\n\x1a\n", complete=True) is None


def _sheet_xml(
    rows: list[list[str]], errors: dict[str, str], formulas: dict[str, str] | None = None
) -> bytes:
    """A sheet of inline strings; ``errors`` cells hold Excel errors (a formula and its
    value), ``formulas`` cells a formula saved without a value (as openpyxl saves one)."""
    body = []
    for r, values in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values):
            ref = f"{chr(65 + c)}{r}"
            if ref in errors:
                cells.append(f'<c r="{ref}" t="e"><f>1/0</f><v>{errors[ref]}</v></c>')
            elif ref in (formulas or {}):
                cells.append(f'<c r="{ref}" s="1"><f>{(formulas or {})[ref]}</f><v></v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (
        f'<worksheet xmlns="urn:x"><dimension ref="A1:Z{len(rows)}"/><sheetData>'
        f"{''.join(body)}</sheetData></worksheet>"
    ).encode()


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.lists(
            st.text("ab &<>é", max_size=30).map(
                lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            ),
            min_size=1,
            max_size=5,
        ),
        min_size=1,
        max_size=12,
    ),
    chunk=st.integers(min_value=16, max_value=700),
    data=st.data(),
)
def test_scan_does_not_depend_on_where_chunks_fall(
    rows: list[list[str]], chunk: int, data: st.DataObject
) -> None:
    refs = [f"{chr(65 + c)}{r}" for r, vals in enumerate(rows, start=1) for c in range(len(vals))]
    errors = {
        ref: data.draw(st.sampled_from(["#REF!", "#N/A", "#DIV/0!"]))
        for ref in data.draw(st.lists(st.sampled_from(refs), unique=True, max_size=4))
    }
    left = [ref for ref in refs if ref not in errors]
    drawn = data.draw(st.lists(st.sampled_from(left), unique=True, max_size=4)) if left else []
    formulas = {ref: f"SUM({ref})" for ref in drawn}
    xml = _sheet_xml(rows, errors, formulas)

    def scan(size: int) -> _xmlscan.PartScan:
        view = memoryview(xml)
        pos = 0

        def read(n: int) -> bytes:
            nonlocal pos
            out = bytes(view[pos : pos + n])
            pos += len(out)
            return out

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_xmlscan, "CHUNK", size)
            return _xmlscan.scan_sheet(
                read, max_cell_chars=100, max_rows=1000, max_cols=30, max_cells=10_000
            )

    small, whole = scan(chunk), scan(1 << 20)
    assert (small.max_row, small.max_col, small.error_cells, small.formula_cells) == (
        whole.max_row,
        whole.max_col,
        whole.error_cells,
        whole.formula_cells,
    )
    assert whole.error_cells == errors
    assert whole.formula_cells == formulas
    assert (whole.max_row, whole.max_col) == (len(rows), max(len(r) for r in rows))


@pytest.mark.parametrize(
    ("cell", "found"),
    [
        # openpyxl: a formula, an empty value
        ('<c r="J5" s="13"><f>"Joint "&amp;"plan"</f><v></v></c>', {"J5": '"Joint "&"plan"'}),
        ('<c r="J5" s="13"><f>1+1</f><v/></c>', {"J5": "1+1"}),
        ('<c r="J5"><f>1+1</f></c>', {"J5": "1+1"}),  # no value element at all
        ('<c r="j5"><f>1+1</f></c>', {"J5": "1+1"}),  # a lower-case reference
        ("<c s='1' r='J5' x=\"a>b\"><f>1+1</f></c>", {"J5": "1+1"}),  # ">" in a value
        ('<c r="J5"><f t="shared" si="0"/></c>', {"J5": ""}),  # shares another's formula
        # calculated and saved with the value (Excel, LibreOffice): nothing to report
        ('<c r="J5"><f>1+1</f><v>2</v></c>', {}),
        ('<c r="J5" t="str"><f aca="false">A1&amp;""</f><v>x</v></c>', {}),
        ('<c r="J5" t="str"><f>""</f><v></v></c>', {}),  # calculated: the empty text
        ('<c r="J5" t="e"><f>1/0</f><v>#DIV/0!</v></c>', {}),  # an error: error_cells
        ('<c r="J5" t="inlineStr"><is><t>f</t></is></c>', {}),
    ],
)
def test_a_formula_saved_without_its_value_is_found(cell: str, found: dict[str, str]) -> None:
    """Cells whose formula was never calculated would read as blank; the scan names them."""
    for prefix, ns in (("", ""), ("x:", ":x")):
        tagged = cell.replace("<", f"<{prefix}").replace(f"<{prefix}/", f"</{prefix}")
        xml = (
            f'<{prefix}worksheet xmlns{ns}="urn:x"><{prefix}sheetData><{prefix}row r="5">'
            f'<{prefix}c r="A5"><{prefix}v>1</{prefix}v></{prefix}c>{tagged}</{prefix}row>'
            f"</{prefix}sheetData></{prefix}worksheet>"
        ).encode()
        scan = _xmlscan.scan_sheet(
            io.BytesIO(xml).read, max_cell_chars=100, max_rows=10, max_cols=30, max_cells=300
        )
        assert scan.formula_cells == found, prefix


#: Cell and other tags as writers (and forgers) shape them: the fast path may take only the
#: first two shapes; any other cell tag must send the sheet down the tag-by-tag path.
_TAGS = [
    '<c r="{ref}" s="3" t="s"><v>1</v></c>',
    '<c r="{ref}"/>',
    "<c><v>1</v></c>",
    '<c s="3" r="{ref}"><v>1</v></c>',
    '<c r="{ref}" r="XFD9"><v>1</v></c>',
    '<c  r="{ref}"><v>1</v></c>',
    "<c r='{ref}'><v>1</v></c>",
    '<c\tr="{ref}"><v>1</v></c>',
    '<c r="{ref}" xr:uid="a"><v>1</v></c>',
    '<c r="{ref}" t="inlineStr"><is><r><rPr><color rgb="FF0000"/></rPr><t>x</t></r></is></c>',
]


@settings(max_examples=200, deadline=None)
@given(
    shapes=st.lists(
        st.lists(st.tuples(st.integers(0, len(_TAGS) - 1), st.integers(0, 30)), max_size=5),
        min_size=1,
        max_size=8,
    )
)
def test_the_fast_path_places_cells_as_the_tag_by_tag_path(
    shapes: list[list[tuple[int, int]]],
) -> None:
    """Whatever mix of cell tags a sheet holds, the one-regex fast path finds the same used
    range (and the same refusal) as reading every tag, or gives way to it."""
    from ltpgap.workbook._xmlpos import CellPositions, column_number

    rows = []
    for r, cells in enumerate(shapes, start=1):
        tags = "".join(_TAGS[k].format(ref=f"{chr(65 + c % 26)}{r + c}") for k, c in cells)
        rows.append(f'<row r="{r}">{tags}</row>')
    data = ("<sheetData>" + "".join(rows) + "</sheetData>").encode()
    fast, slow = CellPositions(), CellPositions()
    slow.canonical = False
    fast.update(b"", data)
    slow.update(b"", data)
    assert (fast.max_row, fast.max_col, fast.bad_reference) == (
        slow.max_row,
        slow.max_col,
        slow.bad_reference,
    )
    if all(k in (0, 1) for cells in shapes for k, _ in cells):
        assert fast.canonical  # the usual sheet stays on the fast path
    assert column_number("XFD") == 16384


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


@pytest.mark.parametrize("limit", [0, 1, 9, 10, 99, 100, 501, 1000, 65_536, 1_048_576, 9_999_999])
def test_the_row_bound_accepts_exactly_the_numbers_up_to_it(limit: int) -> None:
    from ltpgap.workbook._xmlpos import _beyond

    within = _beyond(b"", b"A", limit)
    numbers = [*range(1_200), max(limit - 1, 0), limit, limit + 1, 9_999_999, 10_000_000]
    for n in numbers:
        for digits in {str(n), str(n).zfill(3), str(n).zfill(7), str(n).zfill(8)}:
            tag = f'<c r="A{digits}" s="1"><v>1</v></c>'.encode()
            expected = n <= limit and len(digits) <= 7
            assert (within.search(tag) is None) is expected, (limit, digits)


@pytest.mark.parametrize("limit", [1, 2, 21, 26, 27, 52, 200, 702, 703, 16_384])
def test_the_column_bound_accepts_exactly_the_columns_up_to_it(limit: int) -> None:
    from ltpgap.workbook._xmlpos import _beyond

    within = _beyond(b"x:", _column_letters(limit).encode(), 9)
    for n in range(1, 18_279):  # A … ZZZ, every column a three-letter reference can name
        tag = f'<x:c r="{_column_letters(n)}9"/>'.encode()
        assert (within.search(tag) is None) is (n <= limit), (limit, n)


#: Cell references off the usual grid: a column past the first row's, leading zeros, row 0,
#: three letters past XFD, eight digits, a row past the last row tag.
_ODD_REFS = ["{col}{row}", "{col}0{row}", "{col}0", "ZZZ{row}", "XFD{row}", "{col}12345678"]


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(1, 60),
    rows=st.lists(st.sets(st.integers(0, 59), max_size=6), min_size=1, max_size=10),
    row_numbers=st.sampled_from(["plain", "zero-padded", "gaps"]),
    odd=st.lists(
        st.tuples(
            st.integers(0, 9),  # which row
            st.sampled_from(_ODD_REFS),
            st.integers(0, 70),  # column (1-based after +1)
            st.integers(0, 12),  # row offset
            st.integers(0, len(_TAGS) - 1),
        ),
        max_size=3,
    ),
    prefix=st.sampled_from([b"", b"x:"]),
)
def test_the_corner_search_finds_what_findall_finds(
    width: int,
    rows: list[set[int]],
    row_numbers: str,
    odd: list[tuple[int, str, int, int, int]],
    prefix: bytes,
) -> None:
    """The corner guessed from the first row and the row tags, confirmed by one search, gives
    the used range, last cell and verdict of the per-cell findall (and of reading every tag),
    whatever cells lie off the grid; and the usual grid is taken by the search."""
    from ltpgap.workbook._xmlpos import CellPositions

    p = prefix.decode()
    numbers = [r * 2 if row_numbers == "gaps" else r for r in range(1, len(rows) + 1)]
    body = []
    for i, (number, columns) in enumerate(zip(numbers, rows, strict=True)):
        picked = sorted({c % width for c in columns} | ({width - 1} if i == 0 else set()))
        tags = [f'<{p}c r="{_column_letters(c + 1)}{number}" s="1"/>' for c in picked]
        for at, shape, col, offset, k in odd:
            if at == i:
                ref = shape.format(col=_column_letters(col + 1), row=number + offset)
                tags.append(_TAGS[k].format(ref=ref).replace("<c", f"<{p}c"))
        label = str(number).zfill(4) if row_numbers == "zero-padded" else str(number)
        body.append(f'<{p}row r="{label}">{"".join(tags)}</{p}row>')
    data = f"<{p}sheetData>{''.join(body)}</{p}sheetData>".encode()

    def scan(mode: str) -> CellPositions:
        pos = CellPositions()
        if mode == "findall":
            pos._within = lambda *_: False  # type: ignore[method-assign]
        elif mode == "tags":
            pos.canonical = False
        pos.update(prefix, data)
        return pos

    new, old, tags = scan("corner"), scan("findall"), scan("tags")
    assert (new.max_row, new.max_col, new.row, new.col, new.canonical, new.bad_reference) == (
        old.max_row,
        old.max_col,
        old.row,
        old.col,
        old.canonical,
        old.bad_reference,
    )
    assert (new.max_row, new.max_col, new.bad_reference) == (
        tags.max_row,
        tags.max_col,
        tags.bad_reference,
    )
    if not odd:
        taken = CellPositions()
        assert taken._within(prefix, data, taken._patterns(prefix)[1].findall(data))


def test_a_place_workbook_takes_the_corner_search(filled_base: Path) -> None:
    from ltpgap.workbook._xmlpos import CellPositions

    sheet = fx.read_entries(filled_base)["xl/worksheets/sheet2.xml"]
    pos, old = CellPositions(), CellPositions()
    assert pos._within(b"", sheet, pos._patterns(b"")[1].findall(sheet))
    assert (pos.max_row, pos.max_col) > (100, 10)
    old._within = lambda *_: False  # type: ignore[method-assign]
    old.update(b"", sheet)
    assert (pos.max_row, pos.max_col, pos.row, pos.col) == (
        old.max_row,
        old.max_col,
        old.row,
        old.col,
    )


def test_cells_without_references_are_followed() -> None:
    xml = (
        b'<worksheet xmlns="urn:x"><sheetData><row><c><v>1</v></c><c><v>2</v></c></row>'
        b'<row r="7"><c/><c/><c/></row></sheetData></worksheet>'
    )
    pos = [0]

    def read(n: int) -> bytes:
        out = xml[pos[0] : pos[0] + n]
        pos[0] += len(out)
        return out

    found = _xmlscan.scan_sheet(read, max_cell_chars=100, max_rows=100, max_cols=10, max_cells=1000)
    assert (found.max_row, found.max_col) == (7, 3)


@settings(max_examples=30, deadline=None)
@given(
    part=st.sampled_from(
        [
            "xl/worksheets/sheet2.xml",
            "xl/workbook.xml",
            "xl/styles.xml",
            "xl/worksheets/sheet5.xml",
            "xl/tables/table1.xml",
        ]
    ),
    at=st.floats(0, 1),
    cut=st.integers(0, 400),
    junk=st.binary(max_size=40),
)
def test_damaged_xml_gives_a_located_error_or_a_read_never_a_crash(
    filled_base: Path,
    tmp_path_factory: pytest.TempPathFactory,
    part: str,
    at: float,
    cut: int,
    junk: bytes,
) -> None:
    xml = fx.read_entries(filled_base)[part]
    i = int(at * len(xml))
    path = tmp_path_factory.mktemp("damaged") / "bedford.xlsx"
    fx.rezip(filled_base, path, {part: xml[:i] + junk + xml[i + cut :]})
    try:
        book = read_workbook(path)
    except LtpgapError as exc:
        assert exc.issues and all(i.where.file == str(path) for i in exc.issues)
    else:
        assert book.sheet


# --- cell references a reader would place far away ------------------------------------------
# python-calamine places a cell by its last r attribute (any namespace prefix, any quoting,
# lower case letters too) and allocates the whole range: each of these aborted the process
# (a failed multi-GB allocation) until the gate learnt to read such tags as a parser does.
_MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
FAR_CELLS: list[tuple[str, bytes]] = [
    ("ten-digit-row", b'<row r="600"><c r="A1234567890" t="inlineStr"><is><t>x</t></is></c></row>'),
    ("five-letter-column", b'<row r="600"><c r="AAAAA600"><v>1</v></c></row>'),
    ("lower-case", b'<row r="600"><c r="xfd1048576"><v>1</v></c></row>'),
    ("second-r-attribute", b'<row r="600"><c r="A600" t="n" r="A9999999"><v>1</v></c></row>'),
    ("spaces-around-equals", b'<row r="600"><c r = "A9999999"><v>1</v></c></row>'),
    ("single-quotes", b"<row r=\"600\"><c r='A9999999'><v>1</v></c></row>"),
    ("tab-before-r", b'<row r="600"><c\tr="A9999999"><v>1</v></c></row>'),
    ("quoted-greater-than", b'<row r="600"><c s=">" r="A9999999"><v>1</v></c></row>'),
    ("other-prefix", b'<row r="600"><y:c r="A9999999"><v>1</v></y:c></row>'),
    ("far-row-no-cell-refs", b'<row r="4000000000"><c><v>1</v></c></row>'),
]


@pytest.mark.parametrize(("xml",), [(x,) for _, x in FAR_CELLS], ids=[n for n, _ in FAR_CELLS])
def test_a_cell_placed_far_away_by_its_tag_is_refused(
    filled_base: Path, tmp_path: Path, xml: bytes
) -> None:
    sheet = fx.read_entries(filled_base)["xl/worksheets/sheet2.xml"]
    assert _MAIN_NS in sheet  # the Gap analysis sheet, default namespace
    path = tmp_path / "bedford.xlsx"
    far = sheet.replace(b"</sheetData>", xml + b"</sheetData>")
    fx.rezip(filled_base, path, {"xl/worksheets/sheet2.xml": far})
    issues = gate_workbook(path)
    assert {i.code for i in issues} & {"gate-too-many-cells", "unreadable-workbook"}, issues
    assert all(i.severity is Severity.ERROR for i in issues)
    assert {i.where.sheet for i in issues} == {"Gap analysis"}


def test_a_cell_reference_in_another_attribute_is_not_a_position(
    filled_base: Path, tmp_path: Path
) -> None:
    """x:r is not r: the reader ignores it, so the gate does too (the tag is read in full)."""
    sheet = fx.read_entries(filled_base)["xl/worksheets/sheet2.xml"]
    extra = b'<row r="600"><c x:r="XFD1" r="A600"><v>1</v></c></row>'
    path = tmp_path / "bedford.xlsx"
    moved = sheet.replace(b"</sheetData>", extra + b"</sheetData>")
    fx.rezip(filled_base, path, {"xl/worksheets/sheet2.xml": moved})
    found = inspect_workbook(path)
    assert found.passed, found.issues
    gap = found.sheet("Gap analysis")
    assert gap is not None and gap.max_row == 600


def test_excel_lock_file_is_named_and_a_real_workbook_is_not_taken_for_one(
    tmp_path: Path, filled_base: Path
) -> None:
    """'~$bedford.xlsx' (165 bytes, the user's name first) is Excel's lock file; a workbook
    whose name happens to start with '~$' is read as a workbook all the same."""
    lock = excel_lock_file(tmp_path, "bedford.xlsx", "Ffion Jones")
    (issue,) = gate_workbook(lock)
    assert issue.code == "excel-lock-file" and issue.where.file == str(lock)
    assert "lock file Excel keeps while bedford.xlsx is open (by Ffion Jones)" in issue.message
    nameless = tmp_path / "~$luton.xlsx"
    nameless.write_bytes(bytes(165))  # no readable user name: the lock is still named
    (issue,) = gate_workbook(nameless)
    assert issue.code == "excel-lock-file" and "while luton.xlsx is open, not" in issue.message
    workbook = tmp_path / "~$copy.xlsx"
    workbook.write_bytes(filled_base.read_bytes())
    assert inspect_workbook(workbook).passed


@settings(max_examples=300, deadline=None)
@given(
    head=st.one_of(
        st.binary(max_size=300),
        st.builds(lambda n, rest: bytes([n]) + rest, st.integers(0, 255), st.binary(max_size=200)),
        st.sampled_from([b"%PDF-1.7\n", b"SQLite format 3\x00", b"PK\x03\x04", b"a,b\n"]).flatmap(
            lambda magic: st.binary(max_size=100).map(lambda rest: magic + rest)
        ),
    ),
    name=st.sampled_from(
        ["bedford.xlsx", "~$bedford.xlsx", "~$", "x.csv", "c.yaml", "r.PDF", "noext", "~$a.yml"]
    ),
)
def test_sniff_says_what_any_file_is_and_never_raises(head: bytes, name: str) -> None:
    """Whatever the bytes and the name: a kind, and advice for anything that is not a zip."""
    from ltpgap._sniff import sniff

    kind = sniff(io.BytesIO(head), name)
    assert (kind.kind == "zip") == head.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    assert kind.kind == "zip" or kind.advice.startswith(("it is", "the file is empty"))
    if kind.kind == "lock":  # only a small file with a lock file's name
        assert name.startswith("~$") and len(head) <= 1024
