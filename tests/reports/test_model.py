"""The report model: every section agrees with the RAG columns it was computed from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportkit import FakeIcsBook

from ltpgap.catalogue import LIFE_COURSE_NAMES, Catalogue, para_sort_key
from ltpgap.ics import IcsConfig, ReportDefaults
from ltpgap.reports import Cover, ReportData, load_report_data
from ltpgap.reports._build import Basis, build_report
from ltpgap.reports._load import cover_for
from ltpgap.reports.model import CHART_RAGS, Unit
from ltpgap.schema import RAG_VALUES


def test_units_are_the_places_then_the_ics(ics_data: ReportData, blmk: IcsConfig) -> None:
    assert [u.id for u in ics_data.units] == [*blmk.place_ids, blmk.id]
    assert [u.name for u in ics_data.places] == [p.name for p in blmk.places]
    assert ics_data.subject == Unit(id="blmk", name=blmk.name, kind="ics")
    assert ics_data.as_at == date(2019, 7, 1)
    assert "As at 1 July 2019" in ics_data.footer and "ICS.xlsx" in ics_data.footer


@pytest.mark.parametrize("unit", ["bedford", "central_beds", "luton", "milton_keynes", "blmk"])
def test_counts_match_the_rag_column(ics_data: ReportData, unit: str) -> None:
    rags = ics_data.commitments[unit]
    overview = ics_data.overview.set_index("unit").loc[unit]
    by_chapter = ics_data.by_chapter[ics_data.by_chapter["unit"] == unit]
    for rag in RAG_VALUES:
        assert overview[rag] == (rags == rag).sum() == by_chapter[rag].sum()
    assert overview["total"] == len(ics_data.commitments)
    assert list(by_chapter["chapter"]) == sorted(set(ics_data.commitments["chapter"]))


def test_must_dos_at_red_are_exactly_those(ics_data: ReportData, book: FakeIcsBook) -> None:
    frame = ics_data.commitments
    expected = frame[frame["must_do"] & (frame["blmk"] == "Red")]["para"].tolist()
    assert ics_data.must_dos_red["para"].tolist() == expected
    names = {p.id: p.name for p in book.places}
    for rec in ics_data.must_dos_red.to_dict("records"):
        row = frame.set_index("para").loc[rec["para"]]
        reds = [names[p] for p in names if row[p] == "Red"]
        assert rec["places_red"] == ", ".join(reds)


def test_where_places_differ(ics_data: ReportData) -> None:
    places = [p.id for p in ics_data.places]
    assert not ics_data.differ.empty
    for rec in ics_data.differ.to_dict("records"):
        rags = {rec[p] for p in places}
        assert {"Green", "Red"} <= rags
    everything = ics_data.commitments[places]
    both = ((everything == "Green").any(axis=1) & (everything == "Red").any(axis=1)).sum()
    assert len(ics_data.differ) == both


def test_gaps_are_every_red_ranked_must_dos_first(ics_data: ReportData, book: FakeIcsBook) -> None:
    gaps = ics_data.gaps
    assert len(gaps) == len(book.gaps)
    keys = [
        (not m, -n, para_sort_key(p))
        for m, n, p in zip(gaps["must_do"], gaps["places_red"], gaps["para"], strict=True)
    ]
    assert keys == sorted(keys)
    for rec in gaps.to_dict("records"):
        assert ics_data.commitments.set_index("para").at[rec["para"], rec["unit"]] == "Red"


def test_snapshot_holds_every_life_course_commitment_once(
    ics_data: ReportData, catalogue: Catalogue
) -> None:
    snap = ics_data.snapshot
    assert snap.columns == tuple(a.name for a in catalogue.programme_areas)
    assert snap.rows == tuple(LIFE_COURSE_NAMES.values())
    shown = [i.para for row in snap.cells for cell in row for i in cell]
    expected = [c.id for c in catalogue if c.life_course]
    assert sorted(shown) == sorted(expected)
    assert snap.not_shown == len(catalogue) - len(expected)
    rag = dict(zip(ics_data.commitments["para"], ics_data.commitments["blmk"], strict=True))
    areas = [a.id for a in catalogue.programme_areas]
    for r, stage in enumerate(LIFE_COURSE_NAMES):
        for c, area in enumerate(areas):
            items = snap.cells[r][c]
            ids = [c.id for c in catalogue if c.life_course == stage and c.programme_area == area]
            assert [i.para for i in items] == ids  # catalogue order
            assert all(i.rag == rag[i.para] and i.label.startswith("para ") for i in items)


def test_highlights_say_the_numbers(ics_data: ReportData) -> None:
    text = " ".join(ics_data.highlights)
    ics = ics_data.overview.set_index("unit").loc["blmk"]
    assert f"{int(ics['Green'])} of {int(ics['total'] - ics['N/A'])} applicable" in text
    assert f"{len(ics_data.must_dos_red)} national must-dos are at Red" in text
    assert "3 problems were noted" in text


@pytest.mark.parametrize(
    ("ics_id", "given", "expected"),
    [
        ("blmk", None, {"meeting": "Board", "purpose": "P"}),
        ("blmk", Cover(meeting="Governing Body", purpose=""), {"meeting": "Governing Body"}),
        ("other", None, {"meeting": "", "purpose": ""}),
        ("other", Cover(date="1 May 2024"), {"date": "1 May 2024", "meeting": ""}),
    ],
)
def test_cover_fields_from_the_ics_file_then_the_command_line(
    blmk: IcsConfig, ics_id: str, given: Cover | None, expected: dict[str, str]
) -> None:
    from dataclasses import replace

    ics = replace(blmk, report=ReportDefaults(meeting="Board", purpose="P"))
    cover = cover_for(ics, ics_id, given)
    for field, value in expected.items():
        assert getattr(cover, field) == value
    assert cover.title == Cover().title


def test_cover_rows_leave_out_blank_fields() -> None:
    cover = Cover(meeting="Board", key_risks="Slippage")
    assert cover.rows() == (("Meeting", "Board"), ("Key risks", "Slippage"))
    with pytest.raises(TypeError):
        cover.updated(colour="blue")


def test_place_workbook_report(luton_workbook: Path, blmk: IcsConfig) -> None:
    data = load_report_data(luton_workbook, blmk)
    assert data.scope == "place" and data.subject == Unit(id="luton", name="Luton", kind="place")
    assert data.units == (data.subject,) and data.rag_label == "Luton RAG"
    assert data.source == "luton.xlsx" and data.source_kind == "place workbook"
    assert data.as_at == blmk.as_at and data.ics_id == "blmk"
    assert data.cover.organisation == blmk.report.organisation
    reds = data.commitments[data.commitments["luton"] == "Red"]["para"]
    assert sorted(data.gaps["para"]) == sorted(reds)
    assert data.differ.empty
    assert [g[0] for g in data.rules] == [
        "How each place's RAG is decided: the first rule that applies"
    ]


# --- invariants over random RAGs -------------------------------------------------------


def _basis(catalogue: Catalogue, rags: list[list[str]]) -> Basis:
    units = (
        Unit(id="a", name="Place A", kind="place"),
        Unit(id="b", name="Place B", kind="place"),
        Unit(id="ics", name="The ICS", kind="ics"),
    )
    paras = list(catalogue.ids)[: len(rags)]
    frame = pd.DataFrame(rags, columns=[u.id for u in units]).assign(para=paras)
    return Basis(
        scope="ics",
        subject=units[-1],
        units=units,
        rags=frame,
        attributes=pd.DataFrame({"para": paras}),
        gaps=pd.DataFrame(columns=["unit", "para", "lead", "initiatives", "reason"]),
        source="x.xlsx",
        source_kind="ICS workbook",
        rag_label="ICS RAG",
        as_at=None,
        catalogue_label="test 1.0.0",
        rules=(),
    )


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(RAG_VALUES), min_size=3, max_size=3), min_size=1, max_size=40)
)
def test_counts_add_up_for_any_rags(catalogue: Catalogue, rags: list[list[str]]) -> None:
    data = build_report(catalogue, _basis(catalogue, rags), cover=Cover())
    for unit in ("a", "b", "ics"):
        part = data.by_chapter[data.by_chapter["unit"] == unit]
        assert int(part["total"].sum()) == len(rags)
        for rag in CHART_RAGS:
            assert int(part[rag].sum()) == sum(
                r[["a", "b", "ics"].index(unit)] == rag for r in rags
            )
    assert data.snapshot.items + data.snapshot.not_shown == len(rags)
    assert data.as_at_text == "date not recorded"
