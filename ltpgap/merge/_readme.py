"""The `Read me` sheet of the ICS workbook: what it is, whose data, the rules, each sheet."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.merge.model import IcsContent, PlaceRef
from ltpgap.workbook import _styles as st
from ltpgap.workbook._cells import put_text
from ltpgap.workbook._heights import fit_rows

__all__ = ["sheet_guide", "write_readme"]

_STATUS = {
    "submitted": "submitted in this merge",
    "kept": "kept from the previous merge (not submitted again)",
    "missing": "not submitted: counts as Not assessed",
    "skipped": "could not be merged (see Checks): counts as Not assessed",
}


def sheet_guide(content: IcsContent) -> list[tuple[str, str]]:
    """(sheet, what it shows) for every sheet of this workbook."""
    unit, level = content.unit_word, content.level_word
    units = "places" if unit == "place" else "ICSs"
    guide = [
        (
            "ICS matrix",
            f"One row per commitment, in catalogue order: each {unit}'s RAG, the {level} RAG, "
            f"the score behind it, which {units} counted and which were left out (and why), "
            "the rule used and an explanation in words.",
        ),
        (
            "Summary by chapter",
            f"Counts of Green, Amber, Red, Not assessed and N/A per {unit} and LTP chapter, "
            f"then for the {level} as a whole; % green and % assessed are over applicable "
            "commitments (N/A left out); must-dos at Red.",
        ),
        ("Summary by programme area", "The same by programme area."),
        (
            "Gaps",
            f"Every Red, with the {unit}, its initiatives, lead and the reason; must-dos "
            "first, then by paragraph.",
        ),
        (
            "Snapshot",
            f"The grid of the BLMK July 2019 paper (Appendix A): programme areas across, "
            f"life-course stages down; each cell lists 'para x.y Title — {level} RAG'. "
            "Commitments without a life-course stage are not shown there (they are in the "
            "matrix).",
        ),
        (
            "Checks",
            "Every problem found while reading and merging: severity, code, workbook › sheet › "
            "cell, paragraph and what to do. 'input-changed' rows list every input cell that "
            "changed or was cleared since the previous merge.",
        ),
    ]
    if content.scope == "ics-merge":
        guide.append(
            (
                "Place data",
                "Every place's inputs exactly as typed (rows with something in them), with the "
                "file and row they came from, so nothing a place wrote is lost.",
            )
        )
    if content.history is not None:
        guide.append(
            (
                "History",
                "From the history store (each merge is a snapshot): % green at every snapshot "
                "per place and for the ICS RAG (a table and a chart), then what moved since the "
                "previous snapshot (▲ improved, ▶ no change, ▼ worse, new, not comparable) by "
                "chapter and per commitment and place.",
            )
        )
    return guide


#: A kept unit whose new workbook this merge refused (--keep-going): it was submitted.
_KEPT_REFUSED = "kept from the previous merge: its new workbook was refused (see Checks)"


def _status(u: PlaceRef, content: IcsContent) -> str:
    """What became of the unit's data; never "not submitted" when that cannot be told."""
    if u.status == "kept" and u.id in content.refused:
        return _KEPT_REFUSED
    n = content.unplaced
    if n and u.status in ("kept", "missing"):
        # a refused file that could not be told whose it is may have been this unit's
        files = "1 refused file is" if n == 1 else f"{n} refused files are"
        unsure = f"but it cannot be told whose {files} (see Checks)"
        if u.status == "kept":
            return f"kept from the previous merge: no new workbook of it was merged, {unsure}"
        return f"no workbook of it was merged, {unsure}: counts as Not assessed"
    return _STATUS.get(u.status, u.status or "")


def _unit_line(u: PlaceRef, content: IcsContent) -> str:
    unassessed = content.unassessed
    parts = [_status(u, content)]
    if u.id in unassessed:
        parts.append(
            "recorded against a catalogue not known to this merge, so not assessed "
            "(see Checks): counts as Not assessed"
        )
    if u.status == "kept" and u.edited_after:
        parts.append(
            "its inputs were changed by hand on Place data after the merge of "
            f"{u.edited_after}, so they differ from its file's"
        )
    if u.file:
        parts.append(f"file {u.file}")
    if u.submitted_at:
        parts.append(f"saved {u.submitted_at}")
    if u.merged_at:
        parts.append(f"merged {u.merged_at}")
    if u.catalogue_version:
        parts.append(f"catalogue {u.catalogue_version}")
    return "; ".join(p for p in parts if p) + "."


def _rows(content: IcsContent) -> list[tuple[str, str, str]]:
    cat = content.catalogue
    what = (
        "merge of the place workbooks"
        if content.scope == "ics-merge"
        else f"{content.scope} roll-up of ICS workbooks"
    )
    rows: list[tuple[str, str, str]] = [
        ("title", f"{content.level_word} gap analysis: {content.unit_name}", ""),
        (
            "note",
            f"Made by ltpgap ({what}) at {content.generated_at}. Catalogue {cat.info.id} "
            f"{cat.info.version}; as at {content.as_at or 'not stated'}.",
            "",
        ),
        ("heading", "Whose data" if content.scope == "ics-merge" else "ICS workbooks", ""),
    ]
    rows += [("row", u.name, _unit_line(u, content)) for u in content.units]
    if content.team is not None:
        line = _unit_line(content.team, content)
        rows.append(("row", f"{content.team.name} (ICS team)", line))
    if content.scope == "ics-merge":
        rows += [
            ("heading", "Merging again", ""),
            (
                "text",
                "",
                "Run `ltpgap merge` again with the same --out to update this workbook. Each "
                "place's new submission replaces its earlier data; places not submitted again, "
                "or whose new workbook was refused (--keep-going), keep the data they had, "
                "read back from the Place data sheet. Checks then "
                "lists every input cell that changed or was cleared since the previous merge.",
            ),
        ]
    rows.append(("heading", "Rules in force", ""))
    rows += [("text", "", line) for line in content.rules.describe()]
    rows.append(("heading", "The sheets", ""))
    rows += [("row", sheet, text) for sheet, text in sheet_guide(content)]
    if content.notes:
        rows.append(("heading", "Notes", ""))
        rows += [("text", "", n) for n in content.notes]
    return rows


def write_readme(ws: Worksheet, content: IcsContent) -> None:
    """Fill the Read me sheet."""
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 100
    for r, (style, label, text) in enumerate(_rows(content), start=1):
        a, b = ws.cell(row=r, column=1), ws.cell(row=r, column=2)
        put_text(a, label or None)
        put_text(b, text or None)
        a.alignment = b.alignment = st.WRAP_TOP
        a.font = {"title": st.TITLE, "heading": st.HEADING, "note": st.NOTE}.get(style, st.BOLD)
        b.font = st.BODY
        if style in ("title", "note"):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    fit_rows(ws, range(3, ws.max_row + 1), {"A": 30, "B": 100})
    ws.sheet_view.showGridLines = False
    st.fit_to_a4(ws, "portrait")
