"""ltpgap.layout: the workbook contract's one pure home, and both renderers that use it."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.layout import (
    CHAPTER_TITLES,
    COUNT_HEADERS,
    META_KEYS,
    SUMMARY_FIRST_ROW,
    SUMMARY_WIDTH,
    chapter_label,
    header_key,
    meta_checksum,
    new_meta,
    pushed_meta,
    summary_layout,
)
from ltpgap.rag import assess_place, rag_counts
from ltpgap.schema import COLUMNS, INPUT_KEYS, RAG_VALUES


def test_layout_imports_neither_openpyxl_nor_xlwings() -> None:
    code = (
        "import json, sys; import ltpgap.layout; "
        "print(json.dumps(sorted(m for m in ('openpyxl', 'xlwings', 'python_calamine') "
        "if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_meta_checksum_is_the_contract_hash() -> None:
    values = {k: f"value of {k}" for k in META_KEYS}
    joined = "\n".join(f"value of {k}" for k in META_KEYS if k != "checksum")
    assert meta_checksum(values) == hashlib.sha256(joined.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("edited", [k for k in META_KEYS if k != "checksum"])
def test_new_meta_checksum_catches_any_edit(catalogue: Catalogue, edited: str) -> None:
    meta = new_meta(
        catalogue,
        unit_id="luton",
        scope="place",
        unit_name="Luton",
        ics_id="blmk",
        generated_at="2024-01-01T00:00:00Z",
    )
    assert list(meta) == list(META_KEYS)
    assert meta["checksum"] == meta_checksum(meta)
    assert meta_checksum({**meta, edited: meta[edited] + "x"}) != meta["checksum"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Para", "para"),
        ("  expected   DELIVERY ", "expected_delivery"),
        ("Must-do", "must_do"),
        ("rag_override", "rag_override"),
        ("Not applicable?", "not_applicable"),
        ("Notes", None),
        (3.1, None),
        ("   ", None),
    ],
)
def test_header_key(text: object, key: str | None) -> None:
    assert header_key(text) == key


@pytest.mark.parametrize(
    ("chapter", "label"),
    [
        (2, "2. More NHS action on prevention and health inequalities"),
        ("7", "7. Next steps"),
        (7.0, "7. Next steps"),
        (9, "9"),
        ("enablers", "enablers"),
    ],
)
def test_chapter_label(chapter: object, label: str) -> None:
    assert chapter_label(chapter) == label


def _assessed(catalogue: Catalogue) -> pd.DataFrame:
    """A place's assessment with every RAG, some must-dos at Red among them."""
    paras = [c.id for c in catalogue if c.level == "place"]
    fills = [
        {"status": "In place", "coverage": "Full"},
        {"status": "None"},
        {"status": "In progress", "coverage": "Partial", "expected_delivery": "2022/23"},
        {"not_applicable": "Yes"},
        {},
    ]
    rows = [{"para": p, **fills[i % len(fills)]} for i, p in enumerate(paras)]
    inputs = pd.DataFrame(rows, columns=["para", *INPUT_KEYS], dtype=object)
    return assess_place(catalogue, inputs, unit_id="luton").frame


def test_summary_layout_counts_and_must_do_list(catalogue: Catalogue) -> None:
    frame = _assessed(catalogue)
    layout = summary_layout(frame, catalogue)
    rows = layout.rows
    assert [r.kind for r in rows[:4]] == ["heading", "header", "count", "blank"]
    assert rows[1].values == ("", *COUNT_HEADERS)
    counts = rag_counts(frame)
    assert rows[2].values[: 1 + len(RAG_VALUES)] == ("All", *counts.values())
    chapters = [r.values[0] for r in rows if r.kind == "count"][1 : 1 + len(CHAPTER_TITLES)]
    assert chapters == [chapter_label(n) for n in sorted(set(frame["chapter"]))]
    red = frame[frame["must_do"] & (frame["rag"] == "Red")]
    listed = [r.values for r in rows if r.kind == "list"]
    assert [str(v[0]).split(" ")[0] for v in listed] == red["para"].tolist()
    assert [v[1] for v in listed] == red["reason"].tolist()
    first, last = layout.must_do_rows or (0, 0)
    assert last - first == len(red)  # the header row, then one row per must-do at Red
    assert rows[first - SUMMARY_FIRST_ROW].kind == "list-header"
    assert all(len(v) == SUMMARY_WIDTH for v in layout.values())


def test_summary_layout_of_plain_columns_equals_that_of_the_frame(catalogue: Catalogue) -> None:
    """The add-in lays the Summary out from the assessment's columns, never its frame."""
    from ltpgap.layout import SUMMARY_INPUTS

    paras = [c.id for c in catalogue if c.level == "place"]
    rows = [{"para": p, "status": "None" if i % 3 else "In place"} for i, p in enumerate(paras)]
    inputs = pd.DataFrame(rows, columns=["para", *INPUT_KEYS], dtype=object)
    assessment = assess_place(catalogue, inputs, unit_id="luton")
    from_columns = summary_layout(assessment.columns(*SUMMARY_INPUTS), catalogue)
    from_frame = summary_layout(assessment.frame, catalogue)
    assert from_columns == from_frame
    assert any(r.kind == "list" for r in from_frame.rows)  # must-dos at Red are listed


def test_builder_and_add_in_render_the_same_summary(catalogue: Catalogue, tmp_path: Path) -> None:
    """The openpyxl Summary sheet and the add-in's block both hold the layout's values."""
    from ltpgap.workbook._summary_sheet import write_summary
    from ltpgap.xl.summary import summary_block

    frame = _assessed(catalogue)
    expected = summary_layout(frame, catalogue).values()
    wb = openpyxl.Workbook()
    write_summary(wb.active, frame, catalogue, unit_name="Luton", as_of="today")
    wb.save(tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    built = [
        [c.value for c in row]
        for row in ws.iter_rows(min_row=SUMMARY_FIRST_ROW, max_col=SUMMARY_WIDTH)
    ]

    def blank(v: object) -> object:  # "" and None alike; floats as xlsx text keeps them
        return None if v == "" else round(v, 12) if isinstance(v, float) else v

    assert [[blank(v) for v in r] for r in built] == [[blank(v) for v in r] for r in expected]
    addin = [
        [str(v).removeprefix("'") if isinstance(v, str) else v for v in r]
        for r in summary_block(frame, catalogue).rows
    ]
    assert [[blank(v) for v in r] for r in addin] == [[blank(v) for v in r] for r in expected]


def test_every_schema_header_is_recognised() -> None:
    assert [header_key(c.header) for c in COLUMNS] == [c.key for c in COLUMNS]
    assert [header_key(c.header.upper()) for c in COLUMNS] == [c.key for c in COLUMNS]


def test_pushed_meta_moves_to_the_new_catalogue(catalogue: Catalogue) -> None:
    old = {k: f"old {k}" for k in META_KEYS} | {"extra_row": "kept"}
    new = pushed_meta(old, catalogue)
    assert (new["catalogue_id"], new["catalogue_hash"]) == (
        catalogue.info.id,
        catalogue.content_hash,
    )
    assert (new["unit_id"], new["generated_at"], new["extra_row"]) == (
        "old unit_id",
        "old generated_at",
        "kept",
    )
    assert new["checksum"] == meta_checksum(new) != old["checksum"]
