"""The place workbook as built (SPEC §4): a golden test of the template's meaning."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from bookkit import TEMPLATE, fingerprint, meta_values
from openpyxl.utils import get_column_letter

from ltpgap import TEMPLATE_VERSION, __version__
from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.issues import LtpgapError
from ltpgap.schema import (
    COLUMNS,
    COVERAGE_VALUES,
    HEADERS,
    NOT_APPLICABLE_VALUES,
    OVERRIDE_VALUES,
    RAG_COLOURS,
    STATUS_VALUES,
)
from ltpgap.workbook import META_KEYS, build_workbook, init_workbooks, meta_checksum

LETTER = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
LISTS = {
    "status": ("StatusList", "A", STATUS_VALUES),
    "coverage": ("CoverageList", "B", COVERAGE_VALUES),
    "not_applicable": ("NotApplicableList", "C", NOT_APPLICABLE_VALUES),
    "rag_override": ("OverrideList", "D", OVERRIDE_VALUES),
}


@pytest.fixture(scope="module")
def template(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The blank template, freshly generated from the shipped catalogue."""
    return build_workbook(
        catalogue, None, None, out_path=tmp_path_factory.mktemp("tpl") / "template.xlsx"
    )


@pytest.fixture(scope="module")
def blmk_books(
    catalogue: Catalogue, blmk: IcsConfig, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """`init` for BLMK: four places and the ICS team."""
    paths = init_workbooks(catalogue, blmk, tmp_path_factory.mktemp("blmk"))
    return {p.stem: p for p in paths}


@pytest.fixture(scope="module")
def gap(template: Path) -> openpyxl.worksheet.worksheet.Worksheet:
    """The Gap analysis sheet of the template."""
    return openpyxl.load_workbook(template)["Gap analysis"]


def test_committed_template_matches_the_code(template: Path) -> None:
    assert TEMPLATE.exists(), "run `make templates` to create workbook_templates/"
    assert fingerprint(TEMPLATE) == fingerprint(template), (
        "workbook_templates/place_gap_analysis.xlsx is out of date: run `make templates`"
    )


def test_sheets_order_and_visibility(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert [(ws.title, ws.sheet_state) for ws in wb.worksheets] == [
        ("Read me", "visible"),
        ("Gap analysis", "visible"),
        ("Summary", "visible"),
        ("Lists", "hidden"),
        ("_ltpgap", "hidden"),
    ]
    assert wb.active.title == "Read me"


def test_table_headers_and_rows(gap, catalogue: Catalogue) -> None:
    assert tuple(c.value for c in gap[1]) == HEADERS
    n = len(catalogue)
    assert {t.displayName: t.ref for t in gap.tables.values()} == {"GapAnalysis": f"A1:U{n + 1}"}
    paras = [gap[f"A{r}"] for r in range(2, n + 2)]
    assert [c.value for c in paras] == list(catalogue.ids)
    assert {(c.data_type, c.number_format) for c in paras} == {("s", "@")}
    assert gap[f"A{n + 2}"].value is None


def test_validations(gap, catalogue: Catalogue) -> None:
    last = len(catalogue) + 1
    found = {str(dv.sqref): dv for dv in gap.data_validations.dataValidation}
    inputs = [c for c in COLUMNS if c.group == "input"]
    assert set(found) == {f"{LETTER[c.key]}2:{LETTER[c.key]}{last}" for c in inputs}
    for column in inputs:
        dv = found[f"{LETTER[column.key]}2:{LETTER[column.key]}{last}"]
        assert (dv.showInputMessage, dv.prompt, dv.allow_blank) == (True, column.help, True)
        if column.key in LISTS:
            name = LISTS[column.key][0]
            assert (dv.type, dv.formula1, dv.showErrorMessage, dv.errorStyle) == (
                "list",
                name,
                True,
                "stop",
            )
            assert all(v in dv.error for v in LISTS[column.key][2])
        else:
            assert dv.type is None  # input message only: free text and dates


def test_lists_and_defined_names(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    lists = wb["Lists"]
    for name, col, values in LISTS.values():
        assert names[name] == f"'Lists'!${col}$2:${col}${len(values) + 1}"
        assert tuple(lists[f"{col}{r}"].value for r in range(2, len(values) + 2)) == values


def test_rag_conditional_formatting_in_nhs_colours(gap, catalogue: Catalogue) -> None:
    rules = {}
    for rng in gap.conditional_formatting:
        assert str(rng.sqref) == f"S2:S{len(catalogue) + 1}"
        for rule in rng.rules:
            rules[rule.formula[0].strip('"')] = (
                rule.type,
                rule.operator,
                rule.dxf.fill.bgColor.rgb[-6:],
                rule.dxf.font.color.rgb[-6:],
            )
    assert rules["Red"] == ("cellIs", "equal", "DA291C", "FFFFFF")
    assert rules["Amber"] == ("cellIs", "equal", "ED8B00", "000000")  # dark text on Amber
    assert rules["Green"] == ("cellIs", "equal", "006747", "FFFFFF")
    assert {k: v[2:] for k, v in rules.items()} == {k: v for k, v in RAG_COLOURS.items()}
    # The word is always in the cell: a fresh workbook already says Not assessed or N/A.
    assert {gap[f"S{r}"].value for r in range(2, len(catalogue) + 2)} == {"Not assessed", "N/A"}


def test_protection_flags_per_column(gap, catalogue: Catalogue) -> None:
    p = gap.protection
    assert (p.sheet, p.password) == (True, None)
    assert (p.sort, p.autoFilter, p.formatColumns, p.formatRows) == (False,) * 4  # allowed
    assert (p.insertRows, p.deleteRows, p.deleteColumns) == (True,) * 3  # not allowed
    for row, c in enumerate(catalogue, start=2):
        for column in COLUMNS:
            locked = gap[f"{LETTER[column.key]}{row}"].protection.locked
            expected = column.group != "input" or c.level != "place"
            assert locked is expected, (c.id, column.header)


def test_print_setup_and_freeze_panes(gap) -> None:
    ps = gap.page_setup
    assert (ps.orientation, int(ps.paperSize), int(ps.fitToWidth), int(ps.fitToHeight)) == (
        "landscape",
        9,  # A4
        1,
        0,
    )
    assert gap.sheet_properties.pageSetUpPr.fitToPage is True
    assert gap.print_title_rows == "$1:$1"
    assert gap.freeze_panes == "B2"
    widths = {LETTER[c.key]: c.width for c in COLUMNS}
    assert {k: gap.column_dimensions[k].width for k in widths} == widths
    assert all(gap[f"{LETTER[c.key]}2"].alignment.wrap_text for c in COLUMNS)


def test_metadata_sheet(template: Path, catalogue: Catalogue) -> None:
    meta = meta_values(template)
    assert tuple(meta) == META_KEYS
    assert meta["checksum"] == meta_checksum(meta)
    assert {k: meta[k] for k in META_KEYS[:8]} | {"ltpgap_version": meta["ltpgap_version"]} == {
        "catalogue_id": catalogue.info.id,
        "catalogue_version": catalogue.info.version,
        "catalogue_hash": catalogue.content_hash,
        "unit_id": "",
        "scope": "place",
        "unit_name": "",
        "ics_id": "",
        "template_version": TEMPLATE_VERSION,
        "ltpgap_version": __version__,
    }
    assert meta["generated_at"].endswith("Z") and "T" in meta["generated_at"]


def test_readme_first_names_place_and_catalogue(blmk_books: dict[str, Path], catalogue) -> None:
    ws = openpyxl.load_workbook(blmk_books["luton"])["Read me"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert ws["A1"].value == "NHS Long Term Plan gap analysis: Luton"
    assert f"{catalogue.info.id} version {catalogue.info.version}" in text
    for needle in ("In progress", "Coverage: Partial", "How the RAG is decided", "Override"):
        assert needle in text


@pytest.mark.parametrize("place", ["bedford", "central_beds", "luton", "milton_keynes"])
def test_init_place_workbooks(
    blmk_books: dict[str, Path], place: str, catalogue: Catalogue, blmk: IcsConfig
) -> None:
    meta = meta_values(blmk_books[place])
    assert (meta["unit_id"], meta["scope"], meta["ics_id"]) == (place, "place", "blmk")
    assert meta["unit_name"] == blmk.place(place).name
    ws = openpyxl.load_workbook(blmk_books[place])["Gap analysis"]
    rows = {ws[f"A{r}"].value: r for r in range(2, ws.max_row + 1)}
    assert list(rows) == list(catalogue.ids)
    ics_level = next(c for c in catalogue if c.level == "ics")
    assert ws[f"S{rows[ics_level.id]}"].value == "N/A"
    assert ws[f"T{rows[ics_level.id]}"].value.startswith("Assessed once by the ICS team")


def test_ics_team_workbook_holds_only_ics_commitments(
    blmk_books: dict[str, Path], catalogue: Catalogue
) -> None:
    assert sorted(blmk_books) == ["bedford", "blmk", "central_beds", "luton", "milton_keynes"]
    assert meta_values(blmk_books["blmk"])["scope"] == "ics"
    ws = openpyxl.load_workbook(blmk_books["blmk"])["Gap analysis"]
    paras = [ws[f"A{r}"].value for r in range(2, ws.max_row + 1)]
    assert paras == [c.id for c in catalogue if c.level == "ics"]
    assert all(ws[f"K{r}"].protection.locked is False for r in range(2, ws.max_row + 1))


def test_summary_sheet_counts(template: Path, catalogue: Catalogue) -> None:
    ws = openpyxl.load_workbook(template)["Summary"]
    header = [c.value for c in ws[5]][1:11]
    assert header[:5] == ["Green", "Amber", "Red", "Not assessed", "N/A"]
    counts = dict(zip(header, [c.value for c in ws[6]][1:11], strict=True))
    local = sum(c.level == "place" for c in catalogue)
    assert (counts["Green"], counts["Not assessed"], counts["N/A"], counts["Total"]) == (
        0,
        local,
        len(catalogue) - local,
        len(catalogue),
    )
    labels = [str(ws[f"A{r}"].value) for r in range(1, ws.max_row + 1)]
    assert "By chapter" in labels and "By programme area" in labels
    assert any(label.startswith("2. More NHS action on prevention") for label in labels)


def test_init_never_overwrites_without_force(
    catalogue: Catalogue, blmk: IcsConfig, tmp_path: Path
) -> None:
    (tmp_path / "luton.xlsx").write_bytes(b"a place's precious work")
    with pytest.raises(LtpgapError) as err:
        init_workbooks(catalogue, blmk, tmp_path)
    assert [i.code for i in err.value.issues] == ["file-exists"]
    assert (tmp_path / "luton.xlsx").read_bytes() == b"a place's precious work"
    assert not (tmp_path / "bedford.xlsx").exists()  # refused before writing anything
    init_workbooks(catalogue, blmk, tmp_path, force=True)
    assert meta_values(tmp_path / "luton.xlsx")["unit_id"] == "luton"


def test_unknown_place_is_refused(catalogue: Catalogue, blmk: IcsConfig, tmp_path: Path) -> None:
    with pytest.raises(LtpgapError) as err:
        build_workbook(catalogue, blmk, "watford", out_path=tmp_path / "w.xlsx")
    assert err.value.issues[0].code == "place-not-in-ics"
    assert "luton" in err.value.issues[0].message
    assert not (tmp_path / "w.xlsx").exists()
