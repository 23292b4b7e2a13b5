"""The merge loses nothing and computes what SPEC §5–§6 say (checked independently)."""

from __future__ import annotations

import random
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mergekit import copy_books, input_cells, sheet_rows, type_inputs
from oracle import ics_rags, unit_rag

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.merge import merge_workbooks, read_ics_workbook
from ltpgap.merge._carry import by_column, unit_rows
from ltpgap.merge._data_crc import edited_columns
from ltpgap.merge._sheets import ICS_META_KEYS, ics_checksum
from ltpgap.merge._typed_over import gaps_edited, typed_over
from ltpgap.schema import INPUT_KEYS

SHEETS = [
    "Read me",
    "ICS matrix",
    "Summary by chapter",
    "Summary by programme area",
    "Gaps",
    "Snapshot",
    "Checks",
    "Place data",
    "_ltpgap",
]
TABLES = {
    "ICS matrix": "IcsMatrix",
    "Summary by chapter": "SummaryByChapter",
    "Summary by programme area": "SummaryByProgrammeArea",
    "Gaps": "Gaps",
    "Checks": "Checks",
    "Place data": "PlaceData",
}
SLOW = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

canonical = st.one_of(
    st.just({}),
    st.just({"not_applicable": "Yes"}),
    st.fixed_dictionaries(
        {
            "initiatives": st.sampled_from([None, "Local scheme"]),
            "status": st.sampled_from([None, "In place", "In progress", "Planned", "None"]),
            "coverage": st.sampled_from([None, "Full", "Partial"]),
            "expected_delivery": st.sampled_from(
                [None, "2019/20", "2021/22", "2023/24", "2030/31"]
            ),
        }
    ),
    st.fixed_dictionaries(
        {
            "status": st.just("Planned"),
            "rag_override": st.sampled_from(["Red", "Amber", "Green"]),
            "override_reason": st.just("Agreed at board"),
        }
    ),
)


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _merge(
    tmp: Path,
    blanks: dict[str, Path],
    typed: dict[str, dict[str, dict[str, Any]]],
    cat: Catalogue,
    ics: IcsConfig,
    **kw: Any,
) -> tuple[Any, Path]:
    books = copy_books(blanks, tmp / "books")
    for unit, values in typed.items():
        type_inputs(books[unit], values)
    out = tmp / "ICS.xlsx"
    files = [books[u] for u in typed]
    return merge_workbooks(files, out=out, catalogue=cat, ics=ics, **kw), out


def test_sheets_tables_and_metadata(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    typed = {
        u: {"1.8": {"initiatives": "x", "status": "In place", "coverage": "Full"}}
        for u in ics.place_ids
    }
    typed["blmk"] = {"1.52": {"status": "None"}}
    result, out = _merge(tmp_path, blanks, typed, cat1, ics)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS
    assert wb["_ltpgap"].sheet_state == "hidden"
    for sheet, table in TABLES.items():
        assert list(wb[sheet].tables) == [table], sheet
        assert wb[sheet].tables[table].ref.startswith("A1:")
    meta = {r[0].value: r[1].value for r in wb["_ltpgap"].iter_rows()}
    assert tuple(meta) == ICS_META_KEYS
    assert meta["scope"] == "ics-merge" and meta["unit_id"] == "blmk"
    assert meta["checksum"] == ics_checksum(meta)
    matrix = sheet_rows(out, "ICS matrix")
    assert [r["Para"] for r in matrix] == list(cat1.ids)
    header = [c.value for c in wb["ICS matrix"][1]]
    assert header[7:11] == [p.name for p in ics.places]
    assert header[11:] == [
        "ICS RAG",
        "Score",
        "Places counted",
        "Places excluded",
        "Rule",
        "Explanation",
    ]
    assert result.written and {s.ref.status for s in result.submissions} == {"submitted"}
    for ws in wb.worksheets:  # every visible sheet prints on A4, one page wide
        if ws.sheet_state != "visible":
            continue
        ps = ws.page_setup
        expected = "portrait" if ws.title == "Read me" else "landscape"
        tall = 1 if ws.title == "Snapshot" else 0  # the snapshot grid is one page; others run on
        assert (ps.orientation, int(ps.paperSize), int(ps.fitToWidth), int(ps.fitToHeight)) == (
            expected,
            9,  # A4
            1,
            tall,
        ), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title


@SLOW
@given(
    data=st.data(),
    submitted=st.sets(
        st.sampled_from(["bedford", "central_beds", "luton", "milton_keynes"]), min_size=1
    ),
    team=st.booleans(),
)
def test_ics_rag_equals_independent_spec(
    tmp_path_factory: pytest.TempPathFactory,
    data: Any,
    submitted: set[str],
    team: bool,
    blanks: dict[str, Path],
    cat1: Catalogue,
    ics: IcsConfig,
) -> None:
    typed: dict[str, dict[str, dict[str, Any]]] = {}
    for unit in sorted(submitted):
        paras = [c.id for c in cat1 if c.level == "place"]
        typed[unit] = {p: _clean(data.draw(canonical)) for p in paras}
    if team:
        typed["blmk"] = {c.id: _clean(data.draw(canonical)) for c in cat1 if c.level == "ics"}
    tmp = tmp_path_factory.mktemp("oracle")
    _result, out = _merge(tmp, blanks, typed, cat1, ics)
    expected = ics_rags(cat1, typed, [(p.id, p.population) for p in ics.places], "blmk", ics.rules)
    shown = {r["Para"]: r["ICS RAG"] for r in sheet_rows(out, "ICS matrix")}
    assert shown == expected
    book = read_ics_workbook(out)
    assert typed_over(book, cat1) == [] and gaps_edited(book, cat1) == []  # it agrees with itself
    # and each place column shows that place's §5 RAG
    for row in sheet_rows(out, "ICS matrix"):
        c = cat1.by_id[row["Para"]]
        for p in ics.places:
            want = (
                "Not assessed"
                if p.id not in typed
                else (unit_rag(c, typed[p.id].get(c.id, {})) if c.level == "place" else "N/A")
            )
            if c.level == "place":
                assert row[p.name] == want, (p.id, c.id)


text_values = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("=+-@\t\n"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() != "")
cell_values = st.one_of(
    text_values,
    st.sampled_from(["=1+1", "+44 1234", "-", "@home", "G", " green ", "Amber/Red", "#REF!"]),
    st.sampled_from([" ", "   ", "\t"]),  # only spaces: kept as typed (the rules read blank)
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2050, 12, 31)),
    st.booleans(),
)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, date) or isinstance(b, date):

        def day(v: Any) -> Any:
            return v.date() if isinstance(v, datetime) and v.time() == datetime.min.time() else v

        return bool(day(a) == day(b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return bool(a == b)


@SLOW
@given(data=st.data(), seed=st.integers(0, 10_000))
def test_every_input_cell_reaches_place_data(
    tmp_path_factory: pytest.TempPathFactory,
    data: Any,
    seed: int,
    blanks: dict[str, Path],
    cat1: Catalogue,
    ics: IcsConfig,
) -> None:
    tmp = tmp_path_factory.mktemp("nothing-lost")
    books = copy_books(blanks, tmp / "books")
    units = ["luton", "bedford", "blmk"]
    for unit in units:
        paras = [c.id for c in cat1 if unit != "blmk" or c.level == "ics"]
        chosen = data.draw(st.lists(st.sampled_from(paras), unique=True, max_size=6))
        values = {
            p: data.draw(st.dictionaries(st.sampled_from(INPUT_KEYS), cell_values, max_size=4))
            for p in chosen
        }
        notes = {
            p: data.draw(text_values)
            for p in data.draw(st.lists(st.sampled_from(paras), max_size=2))
        }
        type_inputs(
            books[unit],
            values,
            shuffle=random.Random(seed),
            extra=("Local notes", notes) if notes else None,
        )
    out = tmp / "ICS.xlsx"
    merge_workbooks([books[u] for u in units], out=out, catalogue=cat1, ics=ics)
    names = {p.id: p.name for p in ics.places} | {"blmk": ics.name}
    kept = {
        (r["Place"], r["Row"], h): v for r in sheet_rows(out, "Place data") for h, v in r.items()
    }
    for unit in units:
        for para, row, header, value in input_cells(books[unit]):
            key = (names[unit], row, header)
            assert key in kept, (unit, para, row, header, value)
            assert _same(kept[key], value), (key, kept[key], value)
            assert kept[(names[unit], row, "Para")] == para
    # Read back, every unit's rows are what the merge recorded writing: none taken for an edit
    # by hand (place-data-edited) at the next merge, whatever the values' types and text.
    book = read_ics_workbook(out)
    for ref in (*book.places, *([book.team] if book.team else [])):
        assert ref.crc is not None, ref.id
        rows = by_column(unit_rows(book.place_data, ref.id))
        assert edited_columns(ref.crc, rows) == [], ref.id


@pytest.mark.parametrize(
    ("override", "expected", "check"),
    [
        ("G", "Green", None),
        (" green ", "Green", None),
        ("Amber/Red", "Red", "ambiguous-rag"),
        ("r", "Red", None),
        ("Purple", "Amber", "unrecognised-value"),
    ],
)
def test_free_text_rag_variants(
    tmp_path: Path,
    blanks: dict[str, Path],
    cat1: Catalogue,
    ics: IcsConfig,
    override: str,
    expected: str,
    check: str | None,
) -> None:
    typed = {
        "luton": {
            "1.8": {
                "status": "in progress",
                "rag_override": override,
                "override_reason": "Board view",
            }
        }
    }
    _result, out = _merge(tmp_path, blanks, typed, cat1, ics)
    row = next(r for r in sheet_rows(out, "ICS matrix") if r["Para"] == "1.8")
    assert row["Luton"] == expected
    codes = {(r["Code"], r["Para"], r["Workbook"]) for r in sheet_rows(out, "Checks")}
    if check:
        assert (check, "1.8", "luton.xlsx") in codes


def test_formula_like_text_stays_text(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    typed = {
        "luton": {
            "1.8": {
                "initiatives": '=HYPERLINK("http://x")',
                "lead": "@boss",
                "evidence": "-3 sites\r\nsecond line",
                "status": "None",
            }
        }
    }
    _, out = _merge(tmp_path, blanks, typed, cat1, ics)
    wb = openpyxl.load_workbook(out)
    for sheet in ("Place data", "Gaps"):
        for row in wb[sheet].iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", (sheet, cell.coordinate, cell.value)
    data = sheet_rows(out, "Place data")[0]
    assert data["Initiatives"] == '=HYPERLINK("http://x")' and data["Lead"] == "@boss"
    gap = sheet_rows(out, "Gaps")[0]
    assert gap["Initiatives"] == '=HYPERLINK("http://x")' and gap["Place"] == "Luton"


def test_a_formula_never_calculated_reaches_place_data_as_typed(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """openpyxl (or a script) saves a formula without its value; the merge keeps the formula
    as text in Place data, never as a formula, and names the cell on the Checks sheet."""
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], {"1.8": {"status": "None"}})
    wb = openpyxl.load_workbook(books["luton"])
    ws = wb.worksheets[1]
    header = [c.value for c in ws[1]]
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "1.8")
    cell = ws.cell(row, header.index("Initiatives") + 1)
    cell.value = '="Falls "&"service"'  # openpyxl: a formula, saved without a value
    wb.save(books["luton"])
    out = tmp_path / "ICS.xlsx"
    merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    data = next(r for r in sheet_rows(out, "Place data") if r["Para"] == "1.8")
    assert data["Initiatives"] == '="Falls "&"service"'
    placed = openpyxl.load_workbook(out)["Place data"]
    assert all(c.data_type != "f" for r in placed.iter_rows(min_row=2) for c in r)
    checks = {(r["Code"], r["Para"], r["Cell"]) for r in sheet_rows(out, "Checks")}
    assert ("uncomputed-formula", "1.8", cell.coordinate) in checks


def test_read_ics_workbook_round_trips(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    typed = {
        "luton": {
            "1.8": {"status": "None", "lead": "Ann"},
            "2.9": {"status": "In place", "coverage": "Full"},
        },
        "bedford": {"1.8": {"status": "Planned", "expected_delivery": "2030/31"}},
        "blmk": {
            "1.52": {"status": "In progress", "coverage": "Full", "expected_delivery": "2019/20"}
        },
    }
    result, out = _merge(tmp_path, blanks, typed, cat1, ics)
    wb = read_ics_workbook(out)
    assert (wb.scope, wb.unit_id, wb.unit_name) == ("ics-merge", "blmk", ics.name)
    assert (wb.catalogue_id, wb.catalogue_version) == (cat1.info.id, cat1.info.version)
    assert wb.place_ids == ics.place_ids and wb.rules == ics.rules and wb.intact
    assert wb.team is not None and wb.team.file == "blmk.xlsx"
    frame = result.rollup.frame
    assert wb.matrix["para"].tolist() == frame["para"].tolist()
    assert wb.matrix["ics_rag"].tolist() == frame["ics_rag"].tolist()
    assert wb.matrix["programme_area"].tolist() == frame["programme_area"].tolist()
    assert wb.matrix["life_course"].tolist() == [c.life_course for c in cat1]
    for pid in ics.place_ids:
        assert wb.matrix[pid].tolist() == result.rollup.matrix[pid].tolist()
    assert wb.matrix["must_do"].tolist() == frame["must_do"].tolist()
    assert sorted(wb.gaps[["place", "para"]].itertuples(index=False, name=None)) == [
        ("bedford", "1.8"),
        ("luton", "1.8"),
    ]
    assert len(wb.checks) == len(result.issues)
    data = wb.place_data.set_index(["place", "para"])
    assert data.loc[("luton", "1.8"), "lead"] == "Ann"
    assert data.loc[("blmk", "1.52"), "status"] == "In progress"
    assert set(wb.place_data["place"]) == {"luton", "bedford", "blmk"}


def test_gaps_list_every_red_must_dos_first_then_paragraph_then_place_order(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """Seed 002's gap list: must-dos before the rest, each in paragraph order, and within a
    paragraph the places in the ICS file's order (the ICS team's own rows last)."""
    red = {"status": "None"}
    typed = {  # files given in another order than the ICS file's
        "milton_keynes": {"3.10": red, "2.9": red, "1.8": red},
        "luton": {"2.16": red, "1.8": red, "3.110": red},
        "bedford": {"2.9": red, "3.10": red},
        "blmk": {"6.4": red, "1.52": red},
    }
    _, out = _merge(tmp_path, blanks, typed, cat1, ics)
    gaps = [(r["Place"], r["Para"], r["Must-do"]) for r in sheet_rows(out, "Gaps")]
    matrix = sheet_rows(out, "ICS matrix")
    names = [u.name for u in ics.places] + [ics.name]
    reds = {(name, r["Para"]) for r in matrix for name in names if r.get(name) == "Red"}
    reds |= {(ics.name, "1.52"), (ics.name, "6.4")}  # the ICS team's own (no matrix column)
    assert {(place, para) for place, para, _ in gaps} == reds
    assert len(gaps) == len(reds) >= 9
    rank = {c.id: i for i, c in enumerate(cat1)}
    keys = [(must == "No", rank[para], names.index(place)) for place, para, must in gaps]
    assert keys == sorted(keys)
    assert {must for _, _, must in gaps} == {"Yes", "No"}


def test_an_ics_workbook_is_parsed_from_the_bytes_the_gate_checked(
    tmp_path: Path,
    blanks: dict[str, Path],
    cat1: Catalogue,
    ics: IcsConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file swapped right after the gate's check never reaches python-calamine."""
    from ltpgap.merge import ics_reader

    typed = {"luton": {"1.8": {"status": "None", "lead": "Ann"}}, "bedford": {}}
    _, out = _merge(tmp_path, blanks, typed, cat1, ics)
    before = read_ics_workbook(out)
    check = ics_reader.inspect_workbook

    def then_swap(path: str, *args: Any, **kwargs: Any) -> Any:
        found = check(path, *args, **kwargs)
        Path(path).write_bytes(b"swapped after the gate")
        return found

    monkeypatch.setattr(ics_reader, "inspect_workbook", then_swap)
    after = read_ics_workbook(out)
    assert out.read_bytes() == b"swapped after the gate"
    assert after.place_data.equals(before.place_data)
    assert after.matrix.equals(before.matrix)


def test_a_row_holding_only_spaces_reaches_place_data(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """Spaces typed in a cell are something typed: Place data keeps the row, verbatim, though
    the RAG rules read the cell as blank (Not assessed)."""
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], {"1.8": {"lead": "   "}, "2.9": {"status": "None"}})
    out = tmp_path / "ICS.xlsx"
    merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    data = {r["Para"]: r for r in sheet_rows(out, "Place data")}
    assert data["1.8"]["Lead"] == "   " and data["2.9"]["Status"] == "None"
    row = next(r for r in sheet_rows(out, "ICS matrix") if r["Para"] == "1.8")
    assert row["Luton"] == "Not assessed"


def test_places_own_columns_that_excel_would_take_for_one_stay_apart(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """Luton's column 'Notes', Bedford's 'notes' and a column headed 'Row' are three columns
    to Excel's Table too (it ignores case): each keeps its values, under a distinct header."""
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], {"1.8": {"status": "None"}}, extra=("Notes", {"1.8": "L note"}))
    type_inputs(books["bedford"], {"2.9": {"status": "None"}}, extra=("notes", {"2.9": "B note"}))
    type_inputs(books["blmk"], {"1.52": {"status": "None"}}, extra=("Row", {"1.52": "r1"}))
    out = tmp_path / "ICS.xlsx"
    merge_workbooks(
        [books[u] for u in ("luton", "bedford", "blmk")], out=out, catalogue=cat1, ics=ics
    )
    with zipfile.ZipFile(out) as zf:
        tables = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/tables/")]
    for xml in tables:
        names = [n.casefold() for n in re.findall(r'<tableColumn [^>]*name="([^"]*)"', xml)]
        assert len(names) == len(set(names)), names
    data = {(r["Place"], r["Para"]): r for r in sheet_rows(out, "Place data")}
    # places in the ICS file's order: Bedford's 'notes' comes first, Luton's is the repeat
    assert data[("Bedford Borough", "2.9")]["notes"] == "B note"
    assert data[("Luton", "1.8")]["Notes (2)"] == "L note"
    assert data[("Bedfordshire, Luton and Milton Keynes", "1.52")]["Row (2)"] == "r1"
    # Luton sends the same workbook again: its 'Notes' is still Place data's 'Notes (2)'
    again = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    assert again.changes == ()
