"""The `Read me` sheet: what to fill in, what the dropdowns mean and how the RAG is decided."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue
from ltpgap.layout import README_SHEET
from ltpgap.schema import COLUMNS
from ltpgap.workbook import _styles as st
from ltpgap.workbook._cells import put_text
from ltpgap.workbook._heights import fit_rows

__all__ = ["README_SHEET", "Identity", "write_readme"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """Who a workbook is for: the unit (place or ICS team), its ICS and how it was made."""

    unit_id: str
    unit_name: str
    scope: str
    ics_id: str
    ics_name: str
    generated_at: str
    notice: str | None = None


def _letters(group: str) -> str:
    cols = [i for i, c in enumerate(COLUMNS, start=1) if c.group == group]
    return f"{get_column_letter(cols[0])} to {get_column_letter(cols[-1])}"


_DROPDOWNS: tuple[tuple[str, str], ...] = (
    ("Status: In place", "The initiative is running now."),
    ("Status: In progress", "The initiative is being put in place."),
    ("Status: Planned", "The initiative is agreed but has not started."),
    ("Status: None", "Nothing is in place or planned: a gap (Red)."),
    ("Coverage: Full", "The whole population of the place is covered."),
    ("Coverage: Partial", "Only part of the population (some practices, PCNs or wards)."),
    ("Not applicable: Yes", "The commitment does not apply here; say why in Evidence and notes."),
    (
        "RAG override",
        "Red, Amber or Green, only to overrule the calculated RAG; it is used only when "
        "Override reason says why.",
    ),
)

_RULES: tuple[str, ...] = (
    "Not applicable = Yes → N/A (left out of every percentage).",
    "Nothing entered in any of the columns you fill in → Not assessed.",
    "RAG override with an Override reason → the override. Without a reason it is ignored "
    "and Checks says so.",
    "Status None, or no Status and no Initiatives → Red (a gap).",
    "Status In place and Coverage Full → Green.",
    "Expected delivery after the commitment's deadline → Red (will miss the deadline).",
    "Status In place or In progress, Coverage Full and Expected delivery on or before the "
    "deadline → Green.",
    "Anything else (Partial coverage, Planned, no delivery date, no Status) → Amber. Checks "
    "says what is missing: a delivery date, a Status, or Coverage (blank counts as Partial).",
)


Line = tuple[str, str, str]  # (style, label, text)


def _heading(label: str) -> Line:
    return ("heading", label, "")


def _text(*parts: str) -> Line:
    return ("text", "", "".join(parts))


def _purpose(who: Identity, place: str) -> Line:
    if who.scope == "ics":
        return _text(
            f"The {who.ics_name} ICS team records here the initiatives behind the Long Term ",
            "Plan commitments delivered once for the whole ICS (level ICS). Each place ",
            "records its own commitments in its own workbook.",
        )
    return _text(
        f"{place} records here, against every NHS Long Term Plan (LTP) commitment, the ",
        "current or planned local initiatives that deliver it. ltpgap then rates each ",
        "commitment Red, Amber or Green (RAG) and the ICS team combines the places into ",
        "one ICS gap analysis.",
    )


def _how_to_fill(who: Identity, place: str) -> list[Line]:
    inputs, computed = _letters("input"), _letters("computed")
    rows = [
        _heading("What to fill in"),
        _text(
            "Go to the Gap analysis sheet: one row per commitment; Para (column A) is the LTP ",
            f"paragraph. Fill in the white columns {inputs}. The grey columns are written by ",
            "ltpgap and locked: the commitment itself, and RAG, Reason and Checks ",
            f"({computed}).",
        ),
    ]
    if who.scope == "place":
        rows.append(
            _text(
                "Rows whose white columns are greyed out are delivered by the ICS team (level ",
                "ICS), regionally or nationally. They are shown for information and do not ",
                f"count in {place}'s figures.",
            )
        )
    rows.append(
        _text(
            "You may sort and filter the table, resize columns and add your own columns to ",
            "the right of Checks. Please do not rename the headers or change Para: ltpgap ",
            "finds each commitment by its Para, whatever order the rows are in. The sheet is ",
            "protected without a password only to stop accidental edits (Review › Unprotect ",
            "Sheet).",
        )
    )
    return rows


def _rag_rules() -> list[Line]:
    return [
        _heading("How the RAG is decided"),
        _text("The first rule that applies wins:"),
        *(("pair", f"{n}.", rule) for n, rule in enumerate(_RULES, start=1)),
        _text(
            "Red, Amber and Green are shown in NHS colours and the word is always in the ",
            "cell, so the sheet reads the same printed in black and white. Not assessed: ",
            "nothing entered yet. N/A: not applicable, or assessed elsewhere. Reason says ",
            "which rule gave the RAG.",
        ),
    ]


def _about(catalogue: Catalogue, who: Identity) -> list[Line]:
    info = catalogue.info
    unit = f"{who.unit_name} ({who.unit_id})" if who.unit_id else "blank template"
    return [
        _heading("When you have finished"),
        _text(
            "Save the workbook and send it back to the ICS team under the same file name. ",
            "To refresh RAG, Reason, Checks and the Summary sheet yourself, click Recompute ",
            "in the ltpgap Excel add-in, or run: ltpgap recompute ",
            f"{who.unit_id or 'WORKBOOK'}.xlsx  (ltpgap check lists every problem).",
        ),
        _heading("About this workbook"),
        ("pair", "Unit", unit),
        ("pair", "ICS", f"{who.ics_name} ({who.ics_id})" if who.ics_id else "not set"),
        (
            "pair",
            "Catalogue",
            f"{info.title}: {info.id} version {info.version}, {len(catalogue)} commitments",
        ),
        ("pair", "Source", info.source),
        ("pair", "Generated", who.generated_at),
    ]


def _lines(catalogue: Catalogue, who: Identity) -> list[Line]:
    """(style, label, text) rows of the sheet, top to bottom."""
    place = who.unit_name if who.unit_id else "your place"
    return [
        _heading("What this workbook is for"),
        _purpose(who, place),
        *_how_to_fill(who, place),
        _heading("The columns you fill in"),
        *(("pair", c.header, c.help) for c in COLUMNS if c.group == "input"),
        _heading("What the dropdown values mean"),
        *(("pair", label, text) for label, text in _DROPDOWNS),
        *_rag_rules(),
        *_about(catalogue, who),
    ]


def write_readme(ws: Worksheet, catalogue: Catalogue, who: Identity) -> None:
    """Fill the Read me sheet (it must be empty)."""
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 100
    title = "NHS Long Term Plan gap analysis"
    if who.unit_id:
        title += f": {who.unit_name}"
    put_text(ws["A1"], title)
    ws["A1"].font = st.TITLE
    if who.notice:
        ws.merge_cells("A2:B2")
        put_text(ws["A2"], who.notice)
        ws["A2"].font = st.NOTICE_FONT
        ws["A2"].fill = st.NOTICE_FILL
        ws["A2"].alignment = st.WRAP_TOP
        fit_rows(ws, [2], {"A": 124})
    put_text(ws["A3"], f"Catalogue {catalogue.info.id} version {catalogue.info.version}")
    ws["A3"].font = st.NOTE
    row = 5
    for style, label, text in _lines(catalogue, who):
        a, b = ws.cell(row=row, column=1), ws.cell(row=row, column=2)
        if style == "heading":
            row += 1 if row > 5 else 0
            a, b = ws.cell(row=row, column=1), ws.cell(row=row, column=2)
            put_text(a, label)
            a.font = st.HEADING
        elif style == "text":
            put_text(b, text)
            b.font, b.alignment = st.BODY, st.WRAP_TOP
        else:
            put_text(a, label)
            put_text(b, text)
            a.font, a.alignment = st.BOLD, st.WRAP_TOP
            b.font, b.alignment = st.BODY, st.WRAP_TOP
        row += 1
    fit_rows(ws, range(5, row), {"A": 24, "B": 100})
    ws.sheet_view.showGridLines = False
    st.fit_to_a4(ws, "portrait")
    ws.protection.sheet = True
