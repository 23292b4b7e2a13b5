"""Through real files: random inputs typed into a v1 workbook, rows in random order, pushed to v2.

Every non-blank input cell before the push is present after it, in the row of a commitment
that descends from it (by the plan) or on the Retired sheet — and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.catalogue.migration import format_value, is_blank, plan_migration
from ltpgap.ics import load_ics
from ltpgap.schema import COLUMNS, INPUT_KEYS, STATUS_VALUES
from ltpgap.workbook import build_workbook, read_workbook
from ltpgap.workbook.migrate import push_catalogue

DATA = Path(__file__).resolve().parents[1] / "data"
V1, V2 = load_catalogue(DATA / "catalogue-v1.yaml"), load_catalogue(DATA / "catalogue-v2.yaml")
PLAN = plan_migration(V1, V2)
HEADER = {c.key: c.header for c in COLUMNS}
COL = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
EXTRA = "Notes of our own"

cell_values = st.one_of(
    st.none(),
    st.sampled_from([*STATUS_VALUES, "Full", "Partial", "Yes", "2023/24", "=1+1", "-", "#N/A"]),
    st.text(alphabet="abcdefgh ;[]", min_size=1, max_size=12).filter(lambda s: s.strip()),
    st.integers(0, 5000),
    st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2030, 12, 31)),
)
typed = st.fixed_dictionaries(
    {
        p: st.lists(cell_values, min_size=len(INPUT_KEYS) + 1, max_size=len(INPUT_KEYS) + 1)
        for p in V1.ids
    }
)


@pytest.fixture(scope="module")
def blank_v1(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("blank")
    return build_workbook(V1, load_ics(), "luton", out_path=folder / "luton.xlsx")


def _type_in(path: Path, values: dict[str, list[object]], order: list[str]) -> None:
    """Type the values (text as text) with the rows in ``order`` and an extra column."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    extra = len(COLUMNS) + 1
    ws.cell(1, extra, EXTRA)
    catalogue_rows = {
        str(r[0].value): [c.value for c in r[: COL["initiatives"] - 1]]
        for r in ws.iter_rows(min_row=2, max_col=len(COLUMNS))
    }
    for row, para in enumerate(order, start=2):
        for col, value in enumerate(catalogue_rows[para], start=1):
            ws.cell(row, col).value = value
        for key, value in zip((*INPUT_KEYS, EXTRA), values[para], strict=True):
            cell = ws.cell(row, COL.get(key, extra))
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    wb.save(path)


def _by_para(path: Path, catalogue: Catalogue) -> dict[str, dict[str, object]]:
    frame = read_workbook(path, catalogue=catalogue).inputs
    return {str(r["para"]): r for r in frame.to_dict("records")}


def _retired(path: Path) -> list[dict[str, object]]:
    wb = openpyxl.load_workbook(path)
    if "Retired" not in wb.sheetnames:
        return []
    rows = list(wb["Retired"].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _same(a: object, b: object) -> bool:
    return format_value(a) == format_value(b)


@given(values=typed, order=st.permutations(V1.ids))
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_typed_cell_survives_a_push(
    blank_v1: Path, tmp_path_factory: pytest.TempPathFactory, values: dict, order: list
) -> None:
    path = tmp_path_factory.mktemp("push") / "luton.xlsx"
    shutil.copyfile(blank_v1, path)
    _type_in(path, values, list(order))
    before = _by_para(path, V1)
    push_catalogue(path, V2, old=V1, backup=False)
    after, retired = _by_para(path, V2), _retired(path)

    for para, row in before.items():
        heirs = PLAN.successors[para]
        for key in (*INPUT_KEYS, EXTRA):
            value = row.get(key)
            if is_blank(value):
                continue
            if not heirs:
                assert any(
                    r["Para"] == para and _same(r[HEADER.get(key, key)], value) for r in retired
                ), (para, key, value)
            for heir in heirs:
                kept = after[heir][key]
                if len(PLAN.predecessors[heir]) == 1:
                    assert _same(kept, value), (para, heir, key)
                else:
                    shown = format_value(value)
                    assert shown in format_value(kept) or f"'{shown}'" in str(
                        after[heir]["evidence"]
                    ), (para, heir, key)
    for heir, row in after.items():  # new commitments start blank: nothing from elsewhere
        if not PLAN.predecessors[heir]:
            assert all(is_blank(row[k]) for k in (*INPUT_KEYS, EXTRA)), heir
