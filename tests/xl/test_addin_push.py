"""Push catalogue through the add-in: nothing a place team typed is ever lost (SPEC §8)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from addinkit import Client, bearer
from hypothesis import HealthCheck, given, settings
from officejs import ExcelStandIn, gap_payload, payload_from_xlsx, read_table, text_columns

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.catalogue.migration import format_value, is_blank
from ltpgap.schema import COLUMNS, INPUT_KEYS
from ltpgap.xl import operations
from ltpgap.xl.protection import OfficeJsProtection
from ltpgap.xl.scripts import PLACE_SHEETS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "catalogue"))
from test_migration_properties import EXTRA, Scenario, scenarios

SCRIPT = "/xlwings/custom-scripts-call/"
DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = {c.key: c.header for c in COLUMNS}


def _push(payload: dict[str, Any], catalogue: Catalogue) -> ExcelStandIn:
    book = xw.Book(json=payload)
    try:
        operations.push_catalogue(book, catalogue=catalogue, protection=OfficeJsProtection())
        actions = book.json()["actions"]
    finally:
        book.close()
    return ExcelStandIn(payload, {"Gap analysis": {1}, "_ltpgap": {2}}).apply(actions)


def _shown(value: object) -> str:
    # Excel keeps a time to the millisecond and xlwings sends it to the second.
    if isinstance(value, datetime):
        value = value.replace(microsecond=0)
    return format_value(value)


def _present(value: object, record: dict[str, object]) -> bool:
    text = _shown(value)
    return any(not is_blank(v) and text in _shown(v) for v in record.values())


@given(scenarios())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_push_keeps_every_input(s: Scenario) -> None:
    """The migration property, end to end: workbook → remote engine → actions → workbook."""
    rows = s.inputs.to_dict("records")
    excel = _push(gap_payload(s.old, rows, extras=[EXTRA]), s.new)
    assert excel.coerced == []
    after = {str(r["Para"]): r for r in read_table(excel, "Gap analysis")}
    assert list(after) == list(s.new.ids)  # one row per new commitment, in catalogue order
    names = [sheet["name"] for sheet in excel.payload["sheets"]]
    retired = read_table(excel, "Retired") if "Retired" in names else []
    for before in rows:
        para = "" if is_blank(before["para"]) else str(before["para"])
        heirs = [n for n in s.new.ids if para in s.truth[n]]
        for key in (*INPUT_KEYS, EXTRA):
            value = before.get(key)
            if is_blank(value):
                continue
            header = HEADER.get(key, key)
            if not heirs:
                assert any(
                    _present(value, r) for r in retired if str(r.get("Para") or "") == para
                ), (para, key, value)
            for heir in heirs:
                row = after[heir]
                if len(s.truth[heir]) == 1:
                    assert _shown(row[header]) == _shown(value), (para, heir, key)
                else:
                    assert _present(value, row), (heir, key, value)


def test_push_same_catalogue_changes_no_input(
    client: Client, books: dict[str, Path], catalogue: Catalogue
) -> None:
    payload = payload_from_xlsx(books["luton"], include=[*PLACE_SHEETS, "Retired"])
    before = {str(r["Para"]): r for r in read_table(ExcelStandIn(payload), "Gap analysis")}
    reply = client.post(SCRIPT + "push_catalogue", json=payload, headers=bearer("luton"))
    assert reply.status_code == 200, reply.text
    excel = ExcelStandIn(payload, text_columns(books["luton"])).apply(reply.json()["actions"])
    assert excel.coerced == []
    after = {str(r["Para"]): r for r in read_table(excel, "Gap analysis")}
    assert list(after) == list(catalogue.ids)
    for para, row in before.items():
        for key in INPUT_KEYS:
            assert _shown(after[para].get(HEADER[key])) == _shown(row.get(HEADER[key])), (para, key)
    assert "Retired" not in [s["name"] for s in excel.payload["sheets"]]


def test_push_v1_to_v2_through_the_server(
    client: Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A second catalogue version (split, merge, renumber, retire) pushed from the task pane."""
    from ltpgap.xl import runtime

    old, new = (
        load_catalogue(DATA / "catalogue-v1.yaml"),
        load_catalogue(DATA / "catalogue-v2.yaml"),
    )
    rows = [
        {
            "para": c.id,
            "initiatives": f"Work on {c.id}",
            "status": "Planned",
            "expected_delivery": "2023/24",
            "lead": "0123 lead",
        }
        for c in old
        if c.level == "place"
    ]
    payload = gap_payload(old, rows)
    monkeypatch.setattr(type(runtime.current()), "catalogue", lambda self: new)
    reply = client.post(SCRIPT + "push_catalogue", json=payload, headers=bearer("luton"))
    assert reply.status_code == 200, reply.text
    excel = ExcelStandIn(payload, {"Gap analysis": {1}, "_ltpgap": {2}}).apply(
        reply.json()["actions"]
    )
    assert excel.coerced == []
    after = read_table(excel, "Gap analysis")
    assert [str(r["Para"]) for r in after] == list(new.ids)
    kept = (
        {str(r.get("Initiatives")) for r in after}
        | {str(v) for r in read_table(excel, "Retired") for v in r.values()}
        if any(s["name"] == "Retired" for s in excel.payload["sheets"])
        else {str(r.get("Initiatives")) for r in after}
    )
    for row in rows:
        assert any(row["initiatives"] in k for k in kept), row["para"]
    meta = dict(excel.values("_ltpgap"))
    assert (meta["catalogue_version"], meta["catalogue_hash"]) == (
        new.info.version,
        new.content_hash,
    )
    funcs = [a["func"] for a in reply.json()["actions"]]
    assert "resizeTable" in funcs or len(new) == len(old)
    actions = reply.json()["actions"]
    assert [a for a in actions if a["func"] == "alert"] == []  # every change is on a row
    protect = actions[-1]
    assert protect["func"] == "runMacro" and protect["args"][0] == "ltpgapProtect"


def test_push_into_a_workbook_without_the_sheet(
    client: Client, books: dict[str, Path], catalogue: Catalogue
) -> None:
    payload = payload_from_xlsx(books["luton"], include=["Read me"])
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] == "Read me"]
    reply = client.post(SCRIPT + "push_catalogue", json=payload, headers=bearer("luton"))
    assert reply.status_code == 200, reply.text
    excel = ExcelStandIn(payload).apply(reply.json()["actions"])
    names = [s["name"] for s in excel.payload["sheets"]]
    assert names[:2] == ["Read me", "Gap analysis"] and {"Summary", "_ltpgap"} <= set(names)
    rows = read_table(excel, "Gap analysis")
    assert [str(r["Para"]) for r in rows] == list(catalogue.ids)
    assert dict(excel.values("_ltpgap"))["unit_id"] == "luton"  # from the caller's identity
    assert excel.sheet("_ltpgap")["visibility"] != "Visible"
    assert excel.coerced == []
