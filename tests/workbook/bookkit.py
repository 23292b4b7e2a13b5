"""Helpers for the workbook builder and command tests: what a workbook *means*, not its bytes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "workbook_templates" / "place_gap_analysis.xlsx"
#: Metadata values that change every time a workbook is written.
VOLATILE_META = ("generated_at", "checksum")


def meta_values(path: Path) -> dict[str, str]:
    """Key → value of the hidden _ltpgap sheet."""
    wb = openpyxl.load_workbook(path)
    ws = wb["_ltpgap"]
    return {str(r[0].value): str(r[1].value or "") for r in ws.iter_rows(max_col=2)}


def _colour(c: Any) -> str | None:
    return None if c is None or c.rgb is None else str(c.rgb)[-6:]


def _validations(ws: Worksheet) -> list[tuple[Any, ...]]:
    return sorted(
        (
            str(dv.sqref),
            dv.type,
            dv.formula1,
            dv.allow_blank,
            dv.showInputMessage,
            dv.promptTitle,
            dv.prompt,
            dv.showErrorMessage,
            dv.errorStyle,
            dv.error,
        )
        for dv in ws.data_validations.dataValidation
    )


def _conditional(ws: Worksheet) -> list[tuple[Any, ...]]:
    found = []
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            dxf = rule.dxf
            found.append(
                (
                    str(rng.sqref),
                    rule.type,
                    rule.operator,
                    tuple(rule.formula),
                    _colour(dxf.fill.bgColor) if dxf and dxf.fill else None,
                    _colour(dxf.font.color) if dxf and dxf.font else None,
                )
            )
    return sorted(found)


def _protection(ws: Worksheet) -> dict[str, Any]:
    p = ws.protection
    keys = ("sheet", "sort", "autoFilter", "formatColumns", "formatRows", "insertRows")
    return {k: getattr(p, k) for k in keys} | {"password": p.password}


def _print(ws: Worksheet) -> dict[str, Any]:
    ps = ws.page_setup
    return {
        "orientation": ps.orientation,
        "paperSize": ps.paperSize,
        "fitToWidth": ps.fitToWidth,
        "fitToHeight": ps.fitToHeight,
        "fitToPage": ws.sheet_properties.pageSetUpPr.fitToPage
        if ws.sheet_properties.pageSetUpPr
        else None,
        "print_title_rows": ws.print_title_rows,
    }


def _cells(ws: Worksheet, mask: dict[str, str]) -> list[tuple[str, Any, bool]]:
    out = []
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None:
                continue
            if isinstance(value, str):
                for text, label in mask.items():
                    value = value.replace(text, label)
            out.append((cell.coordinate, value, bool(cell.protection.locked)))
    return out


def fingerprint(path: Path) -> dict[str, Any]:
    """Everything a golden test compares: sheets, cells, validations, formats, names, set-up."""
    meta = meta_values(path)
    mask = {meta[k]: f"<{k}>" for k in VOLATILE_META if meta.get(k)}
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb.worksheets:
        sheets[ws.title] = {
            "state": ws.sheet_state,
            "cells": _cells(ws, mask),
            "tables": sorted((t.displayName, t.ref) for t in ws.tables.values()),
            "validations": _validations(ws),
            "conditional": _conditional(ws),
            "protection": _protection(ws),
            "print": _print(ws),
            "freeze": ws.freeze_panes,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items())},
        }
    return {
        "sheets": list(wb.sheetnames),
        "active": wb.active.title if wb.active else None,
        "defined_names": {n: d.attr_text for n, d in sorted(wb.defined_names.items())},
        "by_sheet": sheets,
    }


def ltpgap_command() -> list[str]:
    """The installed `ltpgap` script when there is one, else `python -m ltpgap`."""
    script = Path(sys.executable).with_name("ltpgap")
    if script.exists() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "ltpgap"]
